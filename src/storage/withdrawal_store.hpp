// Withdrawals: what the platform takes out of public view when an organisation or an account is suspended.
// Notices and roadmap items that were public are marked withdrawn (never deleted): out of every public list,
// of the search index (through the outbox, in the same transaction) and of their public page, which says
// « retirée »; their organisation still sees them, marked, and an administrator reviews them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage::withdrawals {

// Why something was withdrawn (a code; web shows its French label).
inline constexpr const char* kOrganisationSuspended = "organisation_suspended";
inline constexpr const char* kAccountSuspended = "account_suspended";

struct WithdrawnRecord {
    std::string kind;  // "notice" | "roadmap"
    std::int64_t id = 0;
    std::string title;
    std::int64_t org_id = 0;
    std::string org_name;
    std::string reason;
    std::int64_t withdrawn_at = 0;
};

// Withdraws what `org_id` made public (not drafts, not already withdrawn); returns how many.
Result<std::int64_t> withdraw_of_organisation(Connection& c, std::int64_t org_id, const std::string& reason,
                                              std::int64_t now);
// Withdraws the public notices and roadmap items `user_id` created; returns how many.
Result<std::int64_t> withdraw_of_user(Connection& c, std::int64_t user_id, const std::string& reason, std::int64_t now);
// Puts back what was withdrawn for `reason` from `org_id`'s organisation; returns how many.
Result<std::int64_t> reinstate_of_organisation(Connection& c, std::int64_t org_id, const std::string& reason,
                                               std::int64_t now);
// Puts one back (kind "notice" or "roadmap"); false when it was not withdrawn.
Result<bool> reinstate(Connection& c, const std::string& kind, std::int64_t id, std::int64_t now);
// Everything withdrawn, newest first.
Result<std::vector<WithdrawnRecord>> list(Connection& c, int limit);

}  // namespace passerelle::storage::withdrawals
