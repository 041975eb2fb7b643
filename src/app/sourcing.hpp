// SourcingService: suppliers suggested to a buyer for a purchase (CPV, place, amount, labels sought),
// ranked by core::sourcing over the profiles and the awarded contracts in the database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/sourcing.hpp"
#include "storage/database.hpp"

namespace passerelle::app {

struct SourcingQuery {
    std::string cpv;  // "72413000" or "72413000-8"
    std::string departement;
    std::string buyer_siret;  // SIRET or SIREN of the buyer, optional
    std::optional<double> amount;
    std::string as_of;  // YYYY-MM-DD: only contracts notified strictly before; empty: all, recency from today
    bool social_clause = false;
    std::string reservation;  // "", "siae", "ea_esat", "ess"
    std::size_t limit = 10;
    // From a roadmap item's clause intention or a lot's clause kind (none, insertion, insertion_hours,
    // award_criterion, reserved_siae, reserved_ea_esat, reserved_ess).
    void set_clause(const std::string& intent);
};

struct SupplierSuggestion {
    core::sourcing::Suggestion suggestion;
    std::optional<std::int64_t> org_id;  // its profile on the platform, when it has one
};

class SourcingService {
  public:
    SourcingService(storage::Database& db, core::sourcing::Weights weights = {}) : db_(db), weights_(weights) {}

    // Checks the query (French field messages: "cpv", "departement", "buyer", "amount", "as_of", "limit")
    // and ranks. `today` (YYYY-MM-DD) is the recency reference when the query has no as_of.
    core::Result<std::vector<SupplierSuggestion>> suggest(SourcingQuery query, const std::string& today);
    // A purchase of several CPV codes: one ranking per code, each supplier keeping its best score and the
    // reasons that go with it, best first, at most query.limit. Field errors name the code ("cpv").
    core::Result<std::vector<SupplierSuggestion>> suggest_for_codes(const std::vector<std::string>& codes,
                                                                    SourcingQuery query, const std::string& today);

  private:
    storage::Database& db_;
    core::sourcing::Weights weights_;
};

}  // namespace passerelle::app
