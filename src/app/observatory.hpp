// ObservatoryService: the public figures of the observatory, computed from the database (awarded contracts
// from the platform and DECP, holders' profiles, social clauses and their hours, events) for a year, a buyer
// and a département; each as a table with its chart and its method, downloadable as CSV, XLSX and JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/observatory.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/observatory_store.hpp"

namespace passerelle::app {

struct ObservatoryChoices {
    std::vector<std::string> years;
    std::vector<std::pair<std::int64_t, std::string>> buyers;
};

struct Observatory {
    storage::observatory::Filter filter;
    std::vector<core::observatory::Table> tables;
    core::observatory::InnovationShare innovation;
    std::int64_t contracts = 0;
    double amount = 0;
};

class ObservatoryService {
  public:
    explicit ObservatoryService(storage::Database& db) : db_(db) {}

    // Query values as sent (annee, acheteur, departement): a French reason when one is malformed.
    static core::Result<storage::observatory::Filter> parse_filter(const std::string& year, const std::string& buyer,
                                                                   const std::string& departement);
    core::Result<Observatory> compute(const storage::observatory::Filter& f);
    core::Result<ObservatoryChoices> choices();

    // Downloads of one table (`id`) or, for XLSX, of every table (id empty): one sheet each.
    static std::string csv(const core::observatory::Table& t);
    static core::Result<std::string> xlsx(const std::vector<core::observatory::Table>& tables);
    static std::string json(const core::observatory::Table& t);

  private:
    storage::Database& db_;
};

}  // namespace passerelle::app
