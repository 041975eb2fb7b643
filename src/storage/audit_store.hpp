// The audit log: appended, read by administrators; never updated or deleted by the application.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage::audit {

struct Entry {
    std::int64_t id = 0;
    std::int64_t at = 0;
    std::optional<std::int64_t> user_id;
    std::string user_email;
    std::string action;  // e.g. login, login_failed, notice_published, roles_changed
    std::string target;  // e.g. "consultation 12", "user 7"
    std::string detail;
    std::string address;
};

struct Filter {
    std::string action;
    std::string email_like;  // part of the e-mail
    std::optional<std::int64_t> since;
    std::optional<std::int64_t> until;  // exclusive
};

Status append(Connection& c, const Entry& e);
// Newest first.
Result<std::vector<Entry>> list(Connection& c, const Filter& f, std::int64_t limit, std::int64_t offset);
Result<std::int64_t> count(Connection& c, const Filter& f);

}  // namespace passerelle::storage::audit
