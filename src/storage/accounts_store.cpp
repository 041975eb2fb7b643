#include "storage/accounts_store.hpp"

namespace passerelle::storage::accounts {

namespace {

constexpr const char* kInsertUser =
    "INSERT INTO users (email, display_name, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id";
constexpr const char* kUserColumns =
    "SELECT id, email, display_name, password_hash, email_verified_at, created_at, suspended_at, totp_enabled_at "
    "FROM users ";
constexpr const char* kUserRoles = "SELECT role FROM user_roles WHERE user_id = ? ORDER BY role";
constexpr const char* kSetPassword = "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?";
constexpr const char* kMarkVerified =
    "UPDATE users SET email_verified_at = COALESCE(email_verified_at, ?) WHERE id = ?";
constexpr const char* kSetDisplayName = "UPDATE users SET display_name = ? WHERE id = ?";
constexpr const char* kGrantRole =
    "INSERT INTO user_roles (user_id, role, granted_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
constexpr const char* kRevokeRole = "DELETE FROM user_roles WHERE user_id = ? AND role = ?";
constexpr const char* kCountUsers = "SELECT COUNT(*) FROM users WHERE email LIKE ?";

constexpr const char* kInsertSession =
    "INSERT INTO sessions (token_hash, user_id, csrf_token, flash, created_at, last_seen_at, expires_at, user_agent, "
    "ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kUserSessions =
    "SELECT token_hash, user_id, csrf_token, flash, created_at, last_seen_at, expires_at, user_agent, ip "
    "FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY last_seen_at DESC";
constexpr const char* kDeleteUserSession =
    "DELETE FROM sessions WHERE user_id = ? AND token_hash >= ? AND token_hash <= ?";
constexpr const char* kFindSession =
    "SELECT token_hash, user_id, csrf_token, flash, created_at, last_seen_at, expires_at, user_agent, ip, "
    "confirmed_at, "
    "pending_login, enrol_secret FROM sessions WHERE token_hash = ? AND expires_at > ?";
constexpr const char* kConfirmSession = "UPDATE sessions SET confirmed_at = ? WHERE token_hash = ?";
constexpr const char* kTouchSession = "UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?";
constexpr const char* kSetFlash = "UPDATE sessions SET flash = ? WHERE token_hash = ?";
constexpr const char* kDeleteSession = "DELETE FROM sessions WHERE token_hash = ?";
constexpr const char* kDeleteUserSessions = "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?";
constexpr const char* kPurgeSessions = "DELETE FROM sessions WHERE expires_at <= ?";

constexpr const char* kInsertToken =
    "INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)";
constexpr const char* kRevokeTokens =
    "UPDATE user_tokens SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL";
constexpr const char* kTokensSince =
    "SELECT COUNT(*) FROM user_tokens WHERE user_id = ? AND purpose = ? AND created_at >= ?";
constexpr const char* kConsumeToken =
    "UPDATE user_tokens SET used_at = ? WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ? "
    "RETURNING user_id";

constexpr const char* kInsertFailure = "INSERT INTO login_failures (scope, subject, at) VALUES (?, ?, ?)";
constexpr const char* kFailuresSince =
    "SELECT COUNT(*), COALESCE(MIN(at), 0) FROM login_failures WHERE scope = ? AND subject = ? AND at >= ?";
constexpr const char* kLatestFailures =
    "SELECT COUNT(*), COALESCE(MAX(at), 0) FROM login_failures WHERE scope = ? AND subject = ? AND at >= ?";
constexpr const char* kTouchBrowser = "UPDATE known_browsers SET last_used_at = ? WHERE token_hash = ? AND user_id = ?";
constexpr const char* kAddBrowser =
    "INSERT INTO known_browsers (token_hash, user_id, created_at, last_used_at) VALUES (?, ?, ?, ?)";
constexpr const char* kSetPending = "UPDATE sessions SET pending_login = ? WHERE token_hash = ?";
constexpr const char* kSetEnrolSecret = "UPDATE sessions SET enrol_secret = ? WHERE token_hash = ?";
constexpr const char* kSecondFactor =
    "SELECT totp_secret, totp_last_step FROM users WHERE id = ? AND totp_secret IS NOT NULL";
constexpr const char* kEnableSecondFactor =
    "UPDATE users SET totp_secret = ?, totp_enabled_at = ?, totp_last_step = ? WHERE id = ?";
constexpr const char* kDisableSecondFactor =
    "UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = ?";
// Only a later step than the last accepted one: of two requests with the same code, one wins.
constexpr const char* kAdvanceStep =
    "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_secret IS NOT NULL AND COALESCE(totp_last_step, -1) < ?";
constexpr const char* kDeleteRecoveryCodes = "DELETE FROM recovery_codes WHERE user_id = ?";
constexpr const char* kInsertRecoveryCode =
    "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)";
constexpr const char* kUseRecoveryCode =
    "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL";
constexpr const char* kUnusedRecoveryCodes =
    "SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL";
constexpr const char* kClearFailures = "DELETE FROM login_failures WHERE scope = ? AND subject = ?";

Result<UserRecord> user_from(Connection& c, const Row& r) {
    UserRecord u;
    u.id = r.int64(0);
    u.email = r.text(1);
    u.display_name = r.text(2);
    u.password_hash = r.opt_text(3);
    u.email_verified_at = r.opt_int64(4);
    u.created_at = r.int64(5);
    u.suspended_at = r.opt_int64(6);
    u.second_factor_since = r.opt_int64(7);
    auto roles = c.query(kUserRoles, {u.id});
    if (!roles) return roles.error();
    for (const auto& rr : roles.value()) u.roles.push_back(rr.text(0));
    return u;
}

Result<std::optional<UserRecord>> one_user(Connection& c, const std::string& where, const Value& v) {
    auto rows = c.query(std::string(kUserColumns) + where, {v});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<UserRecord>{};
    auto u = user_from(c, rows.value()[0]);
    if (!u) return u.error();
    return std::optional<UserRecord>(std::move(u.value()));
}

}  // namespace

Result<std::int64_t> create_user(Connection& c, const std::string& email, const std::string& display_name,
                                 const std::optional<std::string>& password_hash, std::int64_t now) {
    auto rows = c.query(kInsertUser, {email, display_name, opt(password_hash), now});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::optional<UserRecord>> find_user_by_email(Connection& c, const std::string& email) {
    return one_user(c, "WHERE email = ?", email);
}

Result<std::optional<UserRecord>> find_user(Connection& c, std::int64_t id) { return one_user(c, "WHERE id = ?", id); }

Status set_password(Connection& c, std::int64_t user_id, const std::string& hash, std::int64_t now) {
    return to_status(c.exec(kSetPassword, {hash, now, user_id}));
}

Status mark_email_verified(Connection& c, std::int64_t user_id, std::int64_t now) {
    return to_status(c.exec(kMarkVerified, {now, user_id}));
}

Status set_display_name(Connection& c, std::int64_t user_id, const std::string& name) {
    return to_status(c.exec(kSetDisplayName, {name, user_id}));
}

Status grant_role(Connection& c, std::int64_t user_id, const std::string& role, std::int64_t now) {
    return to_status(c.exec(kGrantRole, {user_id, role, now}));
}

Status revoke_role(Connection& c, std::int64_t user_id, const std::string& role) {
    return to_status(c.exec(kRevokeRole, {user_id, role}));
}

Result<std::vector<UserRecord>> list_users(Connection& c, const std::string& email_like, std::int64_t limit,
                                           std::int64_t offset) {
    auto rows = c.query(std::string(kUserColumns) + "WHERE email LIKE ? ORDER BY email LIMIT ? OFFSET ?",
                        {"%" + email_like + "%", limit, offset});
    if (!rows) return rows.error();
    std::vector<UserRecord> out;
    for (const auto& r : rows.value()) {
        auto u = user_from(c, r);
        if (!u) return u.error();
        out.push_back(std::move(u.value()));
    }
    return out;
}

Result<std::int64_t> count_users(Connection& c, const std::string& email_like) {
    auto rows = c.query(kCountUsers, {"%" + email_like + "%"});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Status create_session(Connection& c, const SessionRecord& s) {
    return to_status(
        c.exec(kInsertSession, {s.token_hash, opt(s.user_id), s.csrf_token, opt(s.flash), s.created_at, s.last_seen_at,
                                s.expires_at, s.user_agent.substr(0, 200), s.ip.substr(0, 64)}));
}

Result<std::vector<SessionRecord>> user_sessions(Connection& c, std::int64_t user_id, std::int64_t now) {
    auto rows = c.query(kUserSessions, {user_id, now});
    if (!rows) return rows.error();
    std::vector<SessionRecord> out;
    for (const auto& r : rows.value())
        out.push_back({r.text(0), r.opt_int64(1), r.text(2), r.opt_text(3), r.int64(4), r.int64(5), r.int64(6),
                       r.text(7), r.text(8), std::nullopt, std::nullopt, std::nullopt});
    return out;
}

Result<bool> delete_user_session(Connection& c, std::int64_t user_id, const std::string& hash_prefix) {
    if (hash_prefix.size() < 16 || hash_prefix.size() > 64) return false;
    // Hashes are lower-case hexadecimal: the prefix's range, in the same order whatever the collation.
    auto n = c.exec(kDeleteUserSession, {user_id, hash_prefix + std::string(64 - hash_prefix.size(), '0'),
                                         hash_prefix + std::string(64 - hash_prefix.size(), 'f')});
    if (!n) return n.error();
    return n.value() > 0;
}

Result<std::optional<SessionRecord>> find_session(Connection& c, const std::string& token_hash, std::int64_t now) {
    auto rows = c.query(kFindSession, {token_hash, now});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<SessionRecord>{};
    const Row& r = rows.value()[0];
    return std::optional<SessionRecord>(SessionRecord{r.text(0), r.opt_int64(1), r.text(2), r.opt_text(3), r.int64(4),
                                                      r.int64(5), r.int64(6), r.text(7), r.text(8), r.opt_int64(9),
                                                      r.opt_text(10), r.opt_text(11)});
}

Status touch_session(Connection& c, const std::string& token_hash, std::int64_t now, std::int64_t expires_at) {
    return to_status(c.exec(kTouchSession, {now, expires_at, token_hash}));
}

Status set_session_flash(Connection& c, const std::string& token_hash, const std::optional<std::string>& flash) {
    return to_status(c.exec(kSetFlash, {opt(flash), token_hash}));
}

Status set_session_confirmed(Connection& c, const std::string& token_hash, std::int64_t at) {
    return to_status(c.exec(kConfirmSession, {at, token_hash}));
}

Status delete_session(Connection& c, const std::string& token_hash) {
    return to_status(c.exec(kDeleteSession, {token_hash}));
}

Status delete_user_sessions(Connection& c, std::int64_t user_id, const std::string& keep) {
    return to_status(c.exec(kDeleteUserSessions, {user_id, keep}));
}

Status set_suspended(Connection& c, std::int64_t user_id, std::optional<std::int64_t> at) {
    if (auto s = to_status(
            c.exec("UPDATE users SET suspended_at = ? WHERE id = ?", {at ? Value(*at) : Value(Null{}), user_id}));
        !s)
        return s;
    return at ? delete_user_sessions(c, user_id, "") : Status{};
}

Result<std::int64_t> purge_expired_sessions(Connection& c, std::int64_t now) { return c.exec(kPurgeSessions, {now}); }

Status create_token(Connection& c, const std::string& token_hash, std::int64_t user_id, const std::string& purpose,
                    std::int64_t now, std::int64_t expires_at) {
    return to_status(c.exec(kInsertToken, {token_hash, user_id, purpose, now, expires_at}));
}

Result<std::optional<std::int64_t>> consume_token(Connection& c, const std::string& token_hash,
                                                  const std::string& purpose, std::int64_t now) {
    auto rows = c.query(kConsumeToken, {now, token_hash, purpose, now});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(rows.value()[0].int64(0));
}

Status revoke_tokens(Connection& c, std::int64_t user_id, const std::string& purpose, std::int64_t now) {
    return to_status(c.exec(kRevokeTokens, {now, user_id, purpose}));
}

Result<std::int64_t> tokens_issued_since(Connection& c, std::int64_t user_id, const std::string& purpose,
                                         std::int64_t since) {
    auto rows = c.query(kTokensSince, {user_id, purpose, since});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Status record_login_failure(Connection& c, const std::string& scope, const std::string& subject, std::int64_t at) {
    return to_status(c.exec(kInsertFailure, {scope, subject, at}));
}

Result<std::pair<std::int64_t, std::int64_t>> login_failures_since(Connection& c, const std::string& scope,
                                                                   const std::string& subject, std::int64_t since) {
    auto rows = c.query(kFailuresSince, {scope, subject, since});
    if (!rows) return rows.error();
    return std::make_pair(rows.value()[0].int64(0), rows.value()[0].int64(1));
}

Result<std::pair<std::int64_t, std::int64_t>> latest_login_failures(Connection& c, const std::string& scope,
                                                                    const std::string& subject, std::int64_t since) {
    auto rows = c.query(kLatestFailures, {scope, subject, since});
    if (!rows) return rows.error();
    return std::make_pair(rows.value()[0].int64(0), rows.value()[0].int64(1));
}

Result<bool> is_known_browser(Connection& c, const std::string& token_hash, std::int64_t user_id, std::int64_t now) {
    auto n = c.exec(kTouchBrowser, {now, token_hash, user_id});
    if (!n) return n.error();
    return n.value() == 1;
}

Status add_known_browser(Connection& c, const std::string& token_hash, std::int64_t user_id, std::int64_t now) {
    return to_status(c.exec(kAddBrowser, {token_hash, user_id, now, now}));
}

Status clear_login_failures(Connection& c, const std::string& scope, const std::string& subject) {
    return to_status(c.exec(kClearFailures, {scope, subject}));
}

Status set_session_pending_login(Connection& c, const std::string& token_hash,
                                 const std::optional<std::string>& pending) {
    return to_status(c.exec(kSetPending, {opt(pending), token_hash}));
}

Status set_session_enrol_secret(Connection& c, const std::string& token_hash,
                                const std::optional<std::string>& secret) {
    return to_status(c.exec(kSetEnrolSecret, {opt(secret), token_hash}));
}

Result<std::optional<SecondFactor>> second_factor(Connection& c, std::int64_t user_id) {
    auto rows = c.query(kSecondFactor, {user_id});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<SecondFactor>{};
    const Row& r = rows.value()[0];
    return std::optional<SecondFactor>(SecondFactor{r.text(0), r.opt_int64(1)});
}

Status enable_second_factor(Connection& c, std::int64_t user_id, const std::string& secret, std::int64_t step,
                            std::int64_t now) {
    return to_status(c.exec(kEnableSecondFactor, {secret, now, step, user_id}));
}

Status disable_second_factor(Connection& c, std::int64_t user_id) {
    if (auto s = to_status(c.exec(kDeleteRecoveryCodes, {user_id})); !s) return s;
    return to_status(c.exec(kDisableSecondFactor, {user_id}));
}

Result<bool> advance_totp_step(Connection& c, std::int64_t user_id, std::int64_t step) {
    auto n = c.exec(kAdvanceStep, {step, user_id, step});
    if (!n) return n.error();
    return n.value() > 0;
}

Status replace_recovery_codes(Connection& c, std::int64_t user_id, const std::vector<std::string>& hashes,
                              std::int64_t now) {
    if (auto s = to_status(c.exec(kDeleteRecoveryCodes, {user_id})); !s) return s;
    for (const auto& h : hashes)
        if (auto s = to_status(c.exec(kInsertRecoveryCode, {user_id, h, now})); !s) return s;
    return {};
}

Result<bool> use_recovery_code(Connection& c, std::int64_t user_id, const std::string& hash, std::int64_t now) {
    auto n = c.exec(kUseRecoveryCode, {now, user_id, hash});
    if (!n) return n.error();
    return n.value() > 0;
}

Result<std::int64_t> unused_recovery_codes(Connection& c, std::int64_t user_id) {
    auto rows = c.query(kUnusedRecoveryCodes, {user_id});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

}  // namespace passerelle::storage::accounts
