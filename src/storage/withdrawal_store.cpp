#include "storage/withdrawal_store.hpp"

#include <algorithm>

#include "storage/search_outbox_store.hpp"

namespace passerelle::storage::withdrawals {

namespace {

// The two tables share the columns withdrawals use; `table` and `kind` are our constants, never input.
struct Kind {
    const char* kind;
    const char* table;
};
constexpr Kind kKinds[] = {{"notice", "notices"}, {"roadmap", "roadmap_items"}};

std::string sql(const char* pattern, const Kind& k) {
    std::string s = pattern;
    for (std::size_t p; (p = s.find("{t}")) != std::string::npos;) s.replace(p, 3, k.table);
    return s;
}

constexpr const char* kPublicOfOrg =
    "SELECT id FROM {t} WHERE org_id = ? AND status <> 'draft' AND withdrawn_at IS NULL";
constexpr const char* kPublicOfUser =
    "SELECT id FROM {t} WHERE created_by = ? AND status <> 'draft' AND withdrawn_at IS NULL";
constexpr const char* kWithdrawnOfOrg = "SELECT id FROM {t} WHERE org_id = ? AND withdrawn_reason = ?";
constexpr const char* kWithdraw = "UPDATE {t} SET withdrawn_at = ?, withdrawn_reason = ? WHERE id = ?";
constexpr const char* kReinstate =
    "UPDATE {t} SET withdrawn_at = NULL, withdrawn_reason = '' WHERE id = ? AND withdrawn_at IS NOT NULL";
constexpr const char* kList =
    "SELECT x.id, x.title, x.org_id, o.name, x.withdrawn_reason, x.withdrawn_at FROM {t} x "
    "JOIN organisations o ON o.id = x.org_id WHERE x.withdrawn_at IS NOT NULL ORDER BY x.withdrawn_at DESC LIMIT ?";

Result<std::vector<std::int64_t>> ids(Connection& c, const std::string& query, const std::vector<Value>& params) {
    auto rows = c.query(query, params);
    if (!rows) return rows.error();
    std::vector<std::int64_t> out;
    for (const auto& r : rows.value()) out.push_back(r.int64(0));
    return out;
}

// Marks (or unmarks) each id and records it in the search outbox.
Result<std::int64_t> apply(Connection& c, const Kind& k, const std::vector<std::int64_t>& which,
                           const std::optional<std::string>& reason, std::int64_t now) {
    for (auto id : which) {
        auto r = reason ? c.exec(sql(kWithdraw, k), {now, *reason, id}) : c.exec(sql(kReinstate, k), {id});
        if (!r) return r.error();
        if (auto s = search_outbox::enqueue(c, k.kind, id, now); !s) return s.error();
    }
    return static_cast<std::int64_t>(which.size());
}

Result<std::int64_t> each_kind(Connection& c, const char* select, const std::vector<Value>& params,
                               const std::optional<std::string>& reason, std::int64_t now) {
    std::int64_t n = 0;
    for (const auto& k : kKinds) {
        auto found = ids(c, sql(select, k), params);
        if (!found) return found.error();
        auto done = apply(c, k, found.value(), reason, now);
        if (!done) return done.error();
        n += done.value();
    }
    return n;
}

}  // namespace

Result<std::int64_t> withdraw_of_organisation(Connection& c, std::int64_t org_id, const std::string& reason,
                                              std::int64_t now) {
    return each_kind(c, kPublicOfOrg, {org_id}, reason, now);
}

Result<std::int64_t> withdraw_of_user(Connection& c, std::int64_t user_id, const std::string& reason,
                                      std::int64_t now) {
    return each_kind(c, kPublicOfUser, {user_id}, reason, now);
}

Result<std::int64_t> reinstate_of_organisation(Connection& c, std::int64_t org_id, const std::string& reason,
                                               std::int64_t now) {
    return each_kind(c, kWithdrawnOfOrg, {org_id, reason}, std::nullopt, now);
}

Result<bool> reinstate(Connection& c, const std::string& kind, std::int64_t id, std::int64_t now) {
    for (const auto& k : kKinds) {
        if (kind != k.kind) continue;
        auto r = c.exec(sql(kReinstate, k), {id});
        if (!r) return r.error();
        if (r.value() == 0) return false;
        if (auto s = search_outbox::enqueue(c, k.kind, id, now); !s) return s.error();
        return true;
    }
    return false;
}

Result<std::vector<WithdrawnRecord>> list(Connection& c, int limit) {
    std::vector<WithdrawnRecord> out;
    for (const auto& k : kKinds) {
        auto rows = c.query(sql(kList, k), {std::int64_t{limit}});
        if (!rows) return rows.error();
        for (const auto& r : rows.value())
            out.push_back({k.kind, r.int64(0), r.text(1), r.int64(2), r.text(3), r.text(4), r.int64(5)});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.withdrawn_at > b.withdrawn_at; });
    if (out.size() > static_cast<std::size_t>(limit)) out.resize(static_cast<std::size_t>(limit));
    return out;
}

}  // namespace passerelle::storage::withdrawals
