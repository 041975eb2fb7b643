#include "storage/identity_store.hpp"

namespace passerelle::storage::identities {

namespace {

constexpr const char* kRequestColumns =
    "SELECT id, siret, organisation_label, email, display_name, issuer, subject, status, created_at, org_id "
    "FROM agent_org_requests ";

OrgRequest row_to_request(const Row& r) {
    return {r.int64(0), r.text(1), r.text(2), r.text(3),  r.text(4),
            r.text(5),  r.text(6), r.text(7), r.int64(8), r.opt_int64(9)};
}

}  // namespace

Status insert_login(Connection& c, const LoginRecord& l) {
    return to_status(
        c.exec("INSERT INTO oidc_logins (state, provider, session_hash, nonce, verifier, return_to, created_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)",
               {l.state, l.provider, l.session_hash, l.nonce, l.verifier, l.return_to, l.created_at}));
}

Result<std::optional<LoginRecord>> take_login(Connection& c, const std::string& state) {
    auto rows = c.query(
        "DELETE FROM oidc_logins WHERE state = ? RETURNING state, provider, session_hash, nonce, verifier, return_to, "
        "created_at",
        {state});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<LoginRecord>{};
    const Row& r = rows.value()[0];
    return std::optional<LoginRecord>(
        LoginRecord{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.int64(6)});
}

Status purge_logins(Connection& c, std::int64_t created_before) {
    return to_status(c.exec("DELETE FROM oidc_logins WHERE created_at < ?", {created_before}));
}

Result<std::optional<std::int64_t>> user_of(Connection& c, const std::string& issuer, const std::string& subject) {
    auto rows = c.query("SELECT user_id FROM user_identities WHERE issuer = ? AND subject = ?", {issuer, subject});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(rows.value()[0].int64(0));
}

Status link(Connection& c, const std::string& issuer, const std::string& subject, std::int64_t user_id,
            const std::string& provider, const std::string& uid, std::int64_t now) {
    return to_status(
        c.exec("INSERT INTO user_identities (issuer, subject, user_id, provider, uid, created_at, last_login_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)",
               {issuer, subject, user_id, provider, uid, now, now}));
}

Status touch(Connection& c, const std::string& issuer, const std::string& subject, const std::string& uid,
             std::int64_t now) {
    return to_status(c.exec("UPDATE user_identities SET last_login_at = ?, uid = ? WHERE issuer = ? AND subject = ?",
                            {now, uid, issuer, subject}));
}

Result<std::int64_t> count_of_user(Connection& c, std::int64_t user_id) {
    auto rows = c.query("SELECT COUNT(*) FROM user_identities WHERE user_id = ?", {user_id});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<ProviderUse> use_of_provider(Connection& c, const std::string& provider) {
    auto rows = c.query("SELECT COUNT(*), MAX(last_login_at) FROM user_identities WHERE provider = ?", {provider});
    if (!rows) return rows.error();
    return ProviderUse{rows.value()[0].int64(0), rows.value()[0].opt_int64(1)};
}

Result<std::int64_t> queue_org_request(Connection& c, const OrgRequest& r) {
    auto existing = c.query(std::string("SELECT id FROM agent_org_requests WHERE siret = ? AND issuer = ? AND "
                                        "subject = ? AND status = 'pending'"),
                            {r.siret, r.issuer, r.subject});
    if (!existing) return existing.error();
    if (!existing->empty()) return existing.value()[0].int64(0);
    auto rows = c.query(
        "INSERT INTO agent_org_requests (siret, organisation_label, email, display_name, issuer, subject, status, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?) RETURNING id",
        {r.siret, r.organisation_label, r.email, r.display_name, r.issuer, r.subject, r.created_at});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::vector<OrgRequest>> pending_org_requests(Connection& c) {
    auto rows = c.query(std::string(kRequestColumns) + "WHERE status = 'pending' ORDER BY created_at, id");
    if (!rows) return rows.error();
    std::vector<OrgRequest> out;
    for (const auto& r : rows.value()) out.push_back(row_to_request(r));
    return out;
}

Result<std::optional<OrgRequest>> find_org_request(Connection& c, std::int64_t id) {
    auto rows = c.query(std::string(kRequestColumns) + "WHERE id = ?", {id});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<OrgRequest>{};
    return std::optional<OrgRequest>(row_to_request(rows.value()[0]));
}

Result<bool> decide_org_request(Connection& c, std::int64_t id, const std::string& status, std::int64_t by,
                                std::int64_t at, std::optional<std::int64_t> org_id) {
    auto n = c.exec(
        "UPDATE agent_org_requests SET status = ?, decided_by = ?, decided_at = ?, org_id = ? "
        "WHERE id = ? AND status = 'pending'",
        {status, by, at, org_id ? Value(*org_id) : Value(Null{}), id});
    if (!n) return n.error();
    return n.value() > 0;
}

Status set_elected(Connection& c, std::int64_t org_id, std::int64_t user_id, bool elected) {
    return to_status(c.exec("UPDATE memberships SET elected = ? WHERE org_id = ? AND user_id = ?",
                            {static_cast<std::int64_t>(elected ? 1 : 0), org_id, user_id}));
}

Status set_session_provider(Connection& c, const std::string& token_hash, const std::string& provider,
                            const std::string& id_token) {
    return to_status(c.exec("UPDATE sessions SET oidc_provider = ?, id_token = ? WHERE token_hash = ?",
                            {provider, id_token, token_hash}));
}

Result<std::optional<SessionProvider>> session_provider(Connection& c, const std::string& token_hash) {
    auto rows =
        c.query("SELECT oidc_provider, id_token FROM sessions WHERE token_hash = ? AND oidc_provider IS NOT NULL",
                {token_hash});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<SessionProvider>{};
    return std::optional<SessionProvider>(SessionProvider{rows.value()[0].text(0), rows.value()[0].text(1)});
}

}  // namespace passerelle::storage::identities
