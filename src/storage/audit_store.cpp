#include "storage/audit_store.hpp"

namespace passerelle::storage::audit {

namespace {

constexpr const char* kWhere =
    "WHERE (? = '' OR action = ?) AND (? = '' OR user_email LIKE ?) AND (CAST(? AS BIGINT) IS NULL OR at >= ?) "
    "AND (CAST(? AS BIGINT) IS NULL OR at < ?) ";

std::vector<Value> params(const Filter& f) {
    const std::string like = f.email_like.empty() ? "" : "%" + f.email_like + "%";
    const Value since = f.since ? Value(*f.since) : Value(Null{});
    const Value until = f.until ? Value(*f.until) : Value(Null{});
    return {f.action, f.action, like, like, since, since, until, until};
}

}  // namespace

Status append(Connection& c, const Entry& e) {
    return to_status(c.exec(
        "INSERT INTO audit_log (at, user_id, user_email, action, target, detail, address) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {e.at, e.user_id ? Value(*e.user_id) : Value(Null{}), e.user_email, e.action, e.target, e.detail, e.address}));
}

Result<std::vector<Entry>> list(Connection& c, const Filter& f, std::int64_t limit, std::int64_t offset) {
    auto p = params(f);
    p.emplace_back(limit);
    p.emplace_back(offset);
    auto rows =
        c.query(std::string("SELECT id, at, user_id, user_email, action, target, detail, address FROM audit_log ") +
                    kWhere + "ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
                p);
    if (!rows) return rows.error();
    std::vector<Entry> out;
    for (const auto& r : rows.value())
        out.push_back({r.int64(0), r.int64(1), r.opt_int64(2), r.text(3), r.text(4), r.text(5), r.text(6), r.text(7)});
    return out;
}

Result<std::int64_t> count(Connection& c, const Filter& f) {
    auto rows = c.query(std::string("SELECT COUNT(*) FROM audit_log ") + kWhere, params(f));
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

}  // namespace passerelle::storage::audit
