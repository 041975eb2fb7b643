// Accounts storage: users, platform roles, sessions, one-use e-mail tokens, failed-login records.
// Free functions over a Connection so that callers compose them inside one transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage::accounts {

struct UserRecord {
    std::int64_t id = 0;
    std::string email;
    std::string display_name;
    std::optional<std::string> password_hash;
    std::optional<std::int64_t> email_verified_at;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> suspended_at;         // by a moderator: no login, no session
    std::optional<std::int64_t> second_factor_since;  // two-factor authentication on since then
    std::vector<std::string> roles;
};

struct SessionRecord {
    std::string token_hash;
    std::optional<std::int64_t> user_id;
    std::string csrf_token;
    std::optional<std::string> flash;
    std::int64_t created_at = 0;
    std::int64_t last_seen_at = 0;
    std::int64_t expires_at = 0;
    std::string user_agent;  // of the browser that opened it (200 bytes at most)
    std::string ip;
    std::optional<std::int64_t> confirmed_at;  // password typed again in this session (sensitive actions)
    std::optional<std::string> pending_login;  // password right, second factor awaited (JSON, see AccountService)
    std::optional<std::string> enrol_secret;   // TOTP secret shown while enrolling, until a code confirms it
};

// The TOTP secret (base32) and the time step of the last code accepted.
struct SecondFactor {
    std::string secret;
    std::optional<std::int64_t> last_step;
};

// Users. create_user fails with kConflict when the e-mail is taken.
Result<std::int64_t> create_user(Connection& c, const std::string& email, const std::string& display_name,
                                 const std::optional<std::string>& password_hash, std::int64_t now);
Result<std::optional<UserRecord>> find_user_by_email(Connection& c, const std::string& email);
Result<std::optional<UserRecord>> find_user(Connection& c, std::int64_t id);
Status set_password(Connection& c, std::int64_t user_id, const std::string& hash, std::int64_t now);
Status mark_email_verified(Connection& c, std::int64_t user_id, std::int64_t now);
Status set_display_name(Connection& c, std::int64_t user_id, const std::string& name);
Status grant_role(Connection& c, std::int64_t user_id, const std::string& role, std::int64_t now);
Status revoke_role(Connection& c, std::int64_t user_id, const std::string& role);
Result<std::vector<UserRecord>> list_users(Connection& c, const std::string& email_like, std::int64_t limit,
                                           std::int64_t offset);
Result<std::int64_t> count_users(Connection& c, const std::string& email_like);

// Sessions, keyed by the hash of the cookie token.
Status create_session(Connection& c, const SessionRecord& s);
Result<std::optional<SessionRecord>> find_session(Connection& c, const std::string& token_hash, std::int64_t now);
Status touch_session(Connection& c, const std::string& token_hash, std::int64_t now, std::int64_t expires_at);
Status set_session_flash(Connection& c, const std::string& token_hash, const std::optional<std::string>& flash);
Status delete_session(Connection& c, const std::string& token_hash);
Status set_session_confirmed(Connection& c, const std::string& token_hash, std::int64_t at);
// Ends every session of the user except `keep` (after a password change or reset).
Status delete_user_sessions(Connection& c, std::int64_t user_id, const std::string& keep);
Result<std::int64_t> purge_expired_sessions(Connection& c, std::int64_t now);
// The user's live sessions, most recently used first.
Result<std::vector<SessionRecord>> user_sessions(Connection& c, std::int64_t user_id, std::int64_t now);
// Ends one session of the user, named by the start of its hash; false when none matched.
Result<bool> delete_user_session(Connection& c, std::int64_t user_id, const std::string& hash_prefix);
// Suspends (ending every session) or reinstates the account.
Status set_suspended(Connection& c, std::int64_t user_id, std::optional<std::int64_t> at);

// One-use tokens. consume_token marks the token used and returns its user, or nullopt when unknown,
// used, expired or of another purpose.
Status create_token(Connection& c, const std::string& token_hash, std::int64_t user_id, const std::string& purpose,
                    std::int64_t now, std::int64_t expires_at);
Result<std::optional<std::int64_t>> consume_token(Connection& c, const std::string& token_hash,
                                                  const std::string& purpose, std::int64_t now);
// Ends every unused token of the user for this purpose (a new link replaces the old ones; a used one ends all).
Status revoke_tokens(Connection& c, std::int64_t user_id, const std::string& purpose, std::int64_t now);
// How many tokens of this purpose were issued to the user since `since` (per-account limits).
Result<std::int64_t> tokens_issued_since(Connection& c, std::int64_t user_id, const std::string& purpose,
                                         std::int64_t since);

// Browsers the user logged in from (by the hash of their cookie).
Result<bool> is_known_browser(Connection& c, const std::string& token_hash, std::int64_t user_id, std::int64_t now);
Status add_known_browser(Connection& c, const std::string& token_hash, std::int64_t user_id, std::int64_t now);

// Failed logins.
Status record_login_failure(Connection& c, const std::string& scope, const std::string& subject, std::int64_t at);
// Count and newest time of failures since `since`.
Result<std::pair<std::int64_t, std::int64_t>> latest_login_failures(Connection& c, const std::string& scope,
                                                                    const std::string& subject, std::int64_t since);
// Count and oldest time of failures since `since`.
Result<std::pair<std::int64_t, std::int64_t>> login_failures_since(Connection& c, const std::string& scope,
                                                                   const std::string& subject, std::int64_t since);
Status clear_login_failures(Connection& c, const std::string& scope, const std::string& subject);

// Two-factor authentication. advance_totp_step accepts only a step later than the last one accepted (false: a
// code replayed); use_recovery_code marks an unused code used (false: unknown or used).
Status set_session_pending_login(Connection& c, const std::string& token_hash,
                                 const std::optional<std::string>& pending);
Status set_session_enrol_secret(Connection& c, const std::string& token_hash, const std::optional<std::string>& secret);
Result<std::optional<SecondFactor>> second_factor(Connection& c, std::int64_t user_id);
Status enable_second_factor(Connection& c, std::int64_t user_id, const std::string& secret, std::int64_t step,
                            std::int64_t now);
// Turns it off and deletes the recovery codes.
Status disable_second_factor(Connection& c, std::int64_t user_id);
Result<bool> advance_totp_step(Connection& c, std::int64_t user_id, std::int64_t step);
Status replace_recovery_codes(Connection& c, std::int64_t user_id, const std::vector<std::string>& hashes,
                              std::int64_t now);
Result<bool> use_recovery_code(Connection& c, std::int64_t user_id, const std::string& hash, std::int64_t now);
Result<std::int64_t> unused_recovery_codes(Connection& c, std::int64_t user_id);

}  // namespace passerelle::storage::accounts
