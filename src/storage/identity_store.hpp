// OpenID Connect on the storage side: logins in progress (single use), the identities that find an
// account again (issuer + subject), and agents' organisations waiting for an administrator.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage::identities {

struct LoginRecord {
    std::string state;
    std::string provider;
    std::string session_hash;  // the browser session that started the login
    std::string nonce;
    std::string verifier;
    std::string return_to;
    std::int64_t created_at = 0;
};
Status insert_login(Connection& c, const LoginRecord& l);
// Removes and returns the login of this state (a state is used once); nullopt when unknown or used.
Result<std::optional<LoginRecord>> take_login(Connection& c, const std::string& state);
Status purge_logins(Connection& c, std::int64_t created_before);

Result<std::optional<std::int64_t>> user_of(Connection& c, const std::string& issuer, const std::string& subject);
Status link(Connection& c, const std::string& issuer, const std::string& subject, std::int64_t user_id,
            const std::string& provider, const std::string& uid, std::int64_t now);
Status touch(Connection& c, const std::string& issuer, const std::string& subject, const std::string& uid,
             std::int64_t now);
// How many identities the user has (an account made by a provider has no password).
Result<std::int64_t> count_of_user(Connection& c, std::int64_t user_id);
// How many accounts log in through the provider, and when the last did.
struct ProviderUse {
    std::int64_t accounts = 0;
    std::optional<std::int64_t> last_login_at;
};
Result<ProviderUse> use_of_provider(Connection& c, const std::string& provider);

struct OrgRequest {
    std::int64_t id = 0;
    std::string siret;
    std::string organisation_label;
    std::string email;
    std::string display_name;
    std::string issuer;
    std::string subject;
    std::string status;  // pending, created, declined
    std::int64_t created_at = 0;
    std::optional<std::int64_t> org_id;
};
// Queues the request once per agent and SIRET while it is pending; returns its id.
Result<std::int64_t> queue_org_request(Connection& c, const OrgRequest& r);
Result<std::vector<OrgRequest>> pending_org_requests(Connection& c);
Result<std::optional<OrgRequest>> find_org_request(Connection& c, std::int64_t id);
// Decides a pending request; false when it was not pending.
Result<bool> decide_org_request(Connection& c, std::int64_t id, const std::string& status, std::int64_t by,
                                std::int64_t at, std::optional<std::int64_t> org_id);

// The elected official's mandate of a member.
Status set_elected(Connection& c, std::int64_t org_id, std::int64_t user_id, bool elected);

// The provider and ID token of a session (for the logout at the provider).
Status set_session_provider(Connection& c, const std::string& token_hash, const std::string& provider,
                            const std::string& id_token);
struct SessionProvider {
    std::string provider;
    std::string id_token;
};
Result<std::optional<SessionProvider>> session_provider(Connection& c, const std::string& token_hash);

}  // namespace passerelle::storage::identities
