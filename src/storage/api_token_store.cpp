#include "storage/api_token_store.hpp"

namespace passerelle::storage::api_tokens {

namespace {

constexpr const char* kColumns =
    "SELECT t.id, t.org_id, t.name, t.scopes, t.prefix, t.created_by, COALESCE(u.email, ''), t.created_at, "
    "t.last_used_at, t.last_used_address, t.revoked_at FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by ";

TokenRecord row_to_token(const Row& r) {
    return {r.int64(0), r.int64(1), r.text(2),      r.text(3), r.text(4),      r.int64(5),
            r.text(6),  r.int64(7), r.opt_int64(8), r.text(9), r.opt_int64(10)};
}

}  // namespace

Result<std::int64_t> insert(Connection& c, const TokenRecord& t, const std::string& token_hash) {
    auto rows = c.query(
        "INSERT INTO api_tokens (org_id, name, scopes, token_hash, prefix, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {t.org_id, t.name, t.scopes, token_hash, t.prefix, t.created_by, t.created_at});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::vector<TokenRecord>> of_org(Connection& c, std::int64_t org_id) {
    auto rows = c.query(std::string(kColumns) + "WHERE t.org_id = ? ORDER BY t.created_at DESC, t.id DESC", {org_id});
    if (!rows) return rows.error();
    std::vector<TokenRecord> out;
    for (const auto& r : rows.value()) out.push_back(row_to_token(r));
    return out;
}

Result<std::optional<TokenRecord>> by_hash(Connection& c, const std::string& token_hash) {
    auto rows = c.query(std::string(kColumns) + "WHERE t.token_hash = ?", {token_hash});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<TokenRecord>{};
    return std::optional<TokenRecord>(row_to_token(rows.value()[0]));
}

Result<bool> revoke(Connection& c, std::int64_t org_id, std::int64_t token_id, std::int64_t by, std::int64_t at) {
    auto n = c.exec(
        "UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND org_id = ? AND revoked_at IS NULL",
        {at, by, token_id, org_id});
    if (!n) return n.error();
    return n.value() > 0;
}

Status touch(Connection& c, std::int64_t token_id, std::int64_t at, const std::string& address) {
    return to_status(
        c.exec("UPDATE api_tokens SET last_used_at = ?, last_used_address = ? WHERE id = ?", {at, address, token_id}));
}

}  // namespace passerelle::storage::api_tokens
