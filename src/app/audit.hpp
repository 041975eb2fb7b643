// AuditService: the log of sensitive actions (logins and failed logins, platform roles, publication and
// amendment of notices and roadmap items, awards, moderation, claims), for administrators: filtered,
// paged, exported as CSV. Recording never fails the action it records (a failure is logged).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/pagination.hpp"
#include "core/policy.hpp"
#include "core/result.hpp"
#include "storage/audit_store.hpp"
#include "storage/database.hpp"

namespace passerelle::app {

// The actions, with their French labels (the page's filter).
const std::vector<std::pair<std::string, std::string>>& audit_actions();

class AuditService {
  public:
    AuditService(storage::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

    void record(std::optional<std::int64_t> user_id, const std::string& email, const std::string& action,
                const std::string& target, const std::string& detail, const std::string& address);

    using Page = storage::Paged<storage::audit::Entry>;
    core::Result<Page> list(const core::Actor& actor, const storage::audit::Filter& f, const core::Page& page);
    // The whole selection as CSV (UTF-8 with BOM), dates in Paris time.
    core::Result<std::string> csv(const core::Actor& actor, const storage::audit::Filter& f);

  private:
    storage::Database& db_;
    const core::Clock& clock_;
};

}  // namespace passerelle::app
