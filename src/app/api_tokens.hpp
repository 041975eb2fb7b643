// ApiTokenService: an organisation's administrators create tokens for integrations (shown once, stored as
// a SHA-256 hash), list and revoke them. A request bearing a token acts as the person who created it,
// narrowed to the token's organisation and scopes: platform roles are dropped except « organisatrice »
// for a token that may manage events, and the token stops working when its creator leaves the
// organisation or loses its administration.
//
// Errors: kInvalidInput (per-field French messages), kForbidden / kUnauthenticated (policy), kNotFound,
// kUnauthenticated from authenticate() for an unknown or revoked token, kUnavailable (database).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/api_token.hpp"
#include "core/clock.hpp"
#include "core/policy.hpp"
#include "core/result.hpp"
#include "storage/accounts_store.hpp"
#include "storage/api_token_store.hpp"
#include "storage/database.hpp"

namespace passerelle::app {

struct CreatedToken {
    std::string secret;  // shown once, never stored
    storage::api_tokens::TokenRecord record;
};

struct TokenIdentity {
    storage::api_tokens::TokenRecord token;
    std::vector<core::api_tokens::Scope> scopes;
    core::Actor actor;  // the creator, narrowed to the token's organisation and scopes
    storage::accounts::UserRecord creator;
};

class ApiTokenService {
  public:
    ApiTokenService(storage::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

    core::Result<std::vector<storage::api_tokens::TokenRecord>> list(const core::Actor& actor, std::int64_t org_id);
    core::Result<CreatedToken> create(const core::Actor& actor, std::int64_t org_id, const std::string& name,
                                      const std::vector<std::string>& scope_codes);
    core::Status revoke(const core::Actor& actor, std::int64_t org_id, std::int64_t token_id);
    // The identity behind a bearer secret; records the last use (at most once a minute per token).
    core::Result<TokenIdentity> authenticate(const std::string& secret, const std::string& address);

  private:
    core::Status authorise(storage::Connection& c, const core::Actor& actor, std::int64_t org_id,
                           core::OrgKind* kind = nullptr);
    storage::Database& db_;
    const core::Clock& clock_;
};

}  // namespace passerelle::app
