// API tokens of organisations (the secret's hash only). Revoked tokens stay listed with their revocation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage::api_tokens {

struct TokenRecord {
    std::int64_t id = 0;
    std::int64_t org_id = 0;
    std::string name;
    std::string scopes;  // space-separated codes
    std::string prefix;
    std::int64_t created_by = 0;
    std::string created_by_email;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> last_used_at;
    std::string last_used_address;
    std::optional<std::int64_t> revoked_at;
};

Result<std::int64_t> insert(Connection& c, const TokenRecord& t, const std::string& token_hash);
// The organisation's tokens, newest first.
Result<std::vector<TokenRecord>> of_org(Connection& c, std::int64_t org_id);
Result<std::optional<TokenRecord>> by_hash(Connection& c, const std::string& token_hash);
// Marks the token revoked (once); false when it is not the organisation's or already revoked.
Result<bool> revoke(Connection& c, std::int64_t org_id, std::int64_t token_id, std::int64_t by, std::int64_t at);
Status touch(Connection& c, std::int64_t token_id, std::int64_t at, const std::string& address);

}  // namespace passerelle::storage::api_tokens
