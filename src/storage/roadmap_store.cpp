#include "storage/roadmap_store.hpp"

#include <sstream>

namespace passerelle::storage::roadmaps {

namespace {

constexpr const char* kInsertItem =
    "INSERT INTO roadmap_items (org_id, status, title, search_text, description, amount_min, amount_max, "
    "quarter_year, quarter, procedure, lots, clause_intent, innovation, contact_name, contact_email, created_by, "
    "created_at, updated_at, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "RETURNING id";
constexpr const char* kUpdateItem =
    "UPDATE roadmap_items SET title = ?, search_text = ?, description = ?, amount_min = ?, amount_max = ?, "
    "quarter_year = ?, quarter = ?, procedure = ?, lots = ?, clause_intent = ?, innovation = ?, contact_name = ?, "
    "contact_email = ?, updated_at = ? WHERE id = ?";
constexpr const char* kSetStatus =
    "UPDATE roadmap_items SET status = ?, updated_at = ?, "
    "published_at = CASE WHEN ? = 'published' THEN ? ELSE published_at END WHERE id = ? AND status = ?";
constexpr const char* kItemColumns =
    "SELECT r.id, r.org_id, o.name, o.siret, r.status, r.title, r.search_text, r.description, r.amount_min, "
    "r.amount_max, r.quarter_year, r.quarter, r.procedure, r.lots, r.clause_intent, r.innovation, r.contact_name, "
    "r.contact_email, r.created_by, r.created_at, r.updated_at, r.published_at, "
    "(SELECT COUNT(*) FROM roadmap_interests i WHERE i.item_id = r.id), r.withdrawn_at, r.withdrawn_reason "
    "FROM roadmap_items r JOIN organisations o ON o.id = r.org_id ";
constexpr const char* kCpvOf = "SELECT cpv_code FROM roadmap_item_cpv WHERE item_id = ? ORDER BY cpv_code";
constexpr const char* kDepsOf =
    "SELECT departement FROM roadmap_item_departements WHERE item_id = ? ORDER BY departement";
constexpr const char* kDeleteCpv = "DELETE FROM roadmap_item_cpv WHERE item_id = ?";
constexpr const char* kDeleteDeps = "DELETE FROM roadmap_item_departements WHERE item_id = ?";
constexpr const char* kInsertCpv = "INSERT INTO roadmap_item_cpv (item_id, cpv_code) VALUES (?, ?)";
constexpr const char* kInsertDep = "INSERT INTO roadmap_item_departements (item_id, departement) VALUES (?, ?)";
constexpr const char* kInsertHistory =
    "INSERT INTO roadmap_history (item_id, at, user_id, summary) VALUES (?, ?, ?, ?)";
constexpr const char* kHistory = "SELECT at, summary FROM roadmap_history WHERE item_id = ? ORDER BY at DESC, id DESC";
constexpr const char* kUpsertInterest =
    "INSERT INTO roadmap_interests (item_id, org_id, user_id, message, created_at) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (item_id, org_id) DO UPDATE SET message = excluded.message, user_id = excluded.user_id";
constexpr const char* kDeleteInterest = "DELETE FROM roadmap_interests WHERE item_id = ? AND org_id = ?";
constexpr const char* kInterests =
    "SELECT o.id, o.name, o.siret, COALESCE(o.size, ''), COALESCE(o.website, ''), COALESCE(u.display_name, ''), "
    "COALESCE(u.email, ''), i.message, i.created_at FROM roadmap_interests i JOIN organisations o ON o.id = i.org_id "
    "LEFT JOIN users u ON u.id = i.user_id WHERE i.item_id = ? ORDER BY i.created_at, o.name";
constexpr const char* kInterestOf = "SELECT 1 FROM roadmap_interests WHERE item_id = ? AND org_id = ?";
constexpr const char* kOrgLabels = "SELECT label FROM organisation_labels WHERE org_id = ? ORDER BY label";
constexpr const char* kOrgCpv = "SELECT cpv_code FROM organisation_cpv WHERE org_id = ? ORDER BY cpv_code";
constexpr const char* kOrgDeps =
    "SELECT departement FROM organisation_departements WHERE org_id = ? ORDER BY departement";

Value nullable_id(std::optional<std::int64_t> v) { return v ? Value(*v) : Value(Null{}); }

Result<std::vector<std::string>> strings(Connection& c, const char* sql, std::int64_t id) {
    auto rows = c.query(sql, {id});
    if (!rows) return rows.error();
    std::vector<std::string> out;
    for (const auto& r : rows.value()) out.push_back(r.text(0));
    return out;
}

Status write_lists(Connection& c, const ItemRecord& r, std::int64_t id) {
    if (auto s = to_status(c.exec(kDeleteCpv, {id})); !s) return s;
    if (auto s = to_status(c.exec(kDeleteDeps, {id})); !s) return s;
    for (const auto& code : r.cpv_codes)
        if (auto s = to_status(c.exec(kInsertCpv, {id, code})); !s) return s;
    for (const auto& d : r.departements)
        if (auto s = to_status(c.exec(kInsertDep, {id, d})); !s) return s;
    return {};
}

Result<ItemRecord> item_from(Connection& c, const Row& r) {
    ItemRecord i;
    i.id = r.int64(0);
    i.org_id = r.int64(1);
    i.org_name = r.text(2);
    i.org_siret = r.text(3);
    i.status = r.text(4);
    i.title = r.text(5);
    i.search_text = r.text(6);
    i.description = r.text(7);
    i.amount_min = r.int64(8);
    i.amount_max = r.int64(9);
    i.quarter_year = static_cast<int>(r.int64(10));
    i.quarter = static_cast<int>(r.int64(11));
    i.procedure = r.text(12);
    i.lots = r.text(13);
    i.clause_intent = r.text(14);
    i.innovation = r.boolean(15);
    i.contact_name = r.text(16);
    i.contact_email = r.text(17);
    i.created_by = r.opt_int64(18);
    i.created_at = r.int64(19);
    i.updated_at = r.int64(20);
    i.published_at = r.opt_int64(21);
    i.interest_count = r.int64(22);
    i.withdrawn_at = r.opt_int64(23);
    i.withdrawn_reason = r.text(24);
    auto cpv = strings(c, kCpvOf, i.id);
    if (!cpv) return cpv.error();
    i.cpv_codes = std::move(cpv.value());
    auto deps = strings(c, kDepsOf, i.id);
    if (!deps) return deps.error();
    i.departements = std::move(deps.value());
    return i;
}

// WHERE clause and its parameters for a filter; every value is bound.
std::string where(const ItemFilter& f, std::vector<Value>& params) {
    std::ostringstream w;
    w << "WHERE 1 = 1 ";
    if (!f.include_withdrawn) w << "AND r.withdrawn_at IS NULL ";
    if (!f.status.empty()) {
        w << "AND r.status = ? ";
        params.emplace_back(f.status);
    }
    if (f.org_id) {
        w << "AND r.org_id = ? ";
        params.emplace_back(*f.org_id);
    }
    if (!f.org_ids.empty()) {
        w << "AND r.org_id IN (";
        for (std::size_t i = 0; i < f.org_ids.size(); ++i) {
            w << (i ? ", ?" : "?");
            params.emplace_back(f.org_ids[i]);
        }
        w << ") ";
    }
    std::istringstream words(f.text);
    int n = 0;
    for (std::string word; words >> word && n < 6; ++n) {
        w << "AND r.search_text LIKE ? ";
        params.emplace_back("%" + word + "%");
    }
    if (!f.departement.empty()) {
        w << "AND EXISTS (SELECT 1 FROM roadmap_item_departements d WHERE d.item_id = r.id AND d.departement = ?) ";
        params.emplace_back(f.departement);
    }
    if (!f.cpv_division.empty()) {
        w << "AND EXISTS (SELECT 1 FROM roadmap_item_cpv p WHERE p.item_id = r.id AND p.cpv_code LIKE ?) ";
        params.emplace_back(f.cpv_division + "%");
    }
    if (!f.clause_intent.empty()) {
        w << "AND r.clause_intent = ? ";
        params.emplace_back(f.clause_intent);
    }
    return w.str();
}

}  // namespace

Result<std::int64_t> insert_item(Connection& c, const ItemRecord& r) {
    auto rows =
        c.query(kInsertItem, {r.org_id, r.status, r.title, r.search_text, r.description, r.amount_min, r.amount_max,
                              std::int64_t{r.quarter_year}, std::int64_t{r.quarter}, r.procedure, r.lots,
                              r.clause_intent, std::int64_t{r.innovation ? 1 : 0}, r.contact_name, r.contact_email,
                              nullable_id(r.created_by), r.created_at, r.updated_at, nullable_id(r.published_at)});
    if (!rows) return rows.error();
    std::int64_t id = rows.value()[0].int64(0);
    if (auto s = write_lists(c, r, id); !s) return s.error();
    return id;
}

Status update_item(Connection& c, const ItemRecord& r) {
    auto n = c.exec(kUpdateItem,
                    {r.title, r.search_text, r.description, r.amount_min, r.amount_max, std::int64_t{r.quarter_year},
                     std::int64_t{r.quarter}, r.procedure, r.lots, r.clause_intent, std::int64_t{r.innovation ? 1 : 0},
                     r.contact_name, r.contact_email, r.updated_at, r.id});
    if (!n) return n.error();
    if (n.value() == 0) return Error::NotFound("Projet d'achat introuvable.");
    return write_lists(c, r, r.id);
}

Result<bool> set_status(Connection& c, std::int64_t id, const std::string& from, const std::string& to,
                        std::int64_t now) {
    auto n = c.exec(kSetStatus, {to, now, to, now, id, from});
    if (!n) return n.error();
    return n.value() == 1;
}

Result<std::optional<ItemRecord>> find_item(Connection& c, std::int64_t id) {
    auto rows = c.query(std::string(kItemColumns) + "WHERE r.id = ?", {id});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<ItemRecord>{};
    auto i = item_from(c, rows.value()[0]);
    if (!i) return i.error();
    return std::optional<ItemRecord>(std::move(i.value()));
}

Result<std::vector<ItemRecord>> list_items(Connection& c, const ItemFilter& f, std::int64_t limit,
                                           std::int64_t offset) {
    std::vector<Value> params;
    std::string sql = std::string(kItemColumns) + where(f, params) +
                      "ORDER BY r.quarter_year, r.quarter, r.updated_at DESC, r.id LIMIT ? OFFSET ?";
    params.emplace_back(limit);
    params.emplace_back(offset);
    auto rows = c.query(sql, params);
    if (!rows) return rows.error();
    std::vector<ItemRecord> out;
    for (const auto& r : rows.value()) {
        auto i = item_from(c, r);
        if (!i) return i.error();
        out.push_back(std::move(i.value()));
    }
    return out;
}

Result<std::int64_t> count_items(Connection& c, const ItemFilter& f) {
    std::vector<Value> params;
    auto rows = c.query("SELECT COUNT(*) FROM roadmap_items r " + where(f, params), params);
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Status add_history(Connection& c, std::int64_t item_id, std::int64_t at, std::optional<std::int64_t> user_id,
                   const std::string& summary) {
    return to_status(c.exec(kInsertHistory, {item_id, at, nullable_id(user_id), summary}));
}

Result<std::vector<HistoryRecord>> history(Connection& c, std::int64_t item_id) {
    auto rows = c.query(kHistory, {item_id});
    if (!rows) return rows.error();
    std::vector<HistoryRecord> out;
    for (const auto& r : rows.value()) out.push_back({r.int64(0), r.text(1)});
    return out;
}

Status upsert_interest(Connection& c, std::int64_t item_id, std::int64_t org_id, std::int64_t user_id,
                       const std::string& message, std::int64_t now) {
    return to_status(c.exec(kUpsertInterest, {item_id, org_id, user_id, message, now}));
}

Result<bool> delete_interest(Connection& c, std::int64_t item_id, std::int64_t org_id) {
    auto n = c.exec(kDeleteInterest, {item_id, org_id});
    if (!n) return n.error();
    return n.value() > 0;
}

Result<std::vector<InterestRecord>> interests(Connection& c, std::int64_t item_id) {
    auto rows = c.query(kInterests, {item_id});
    if (!rows) return rows.error();
    std::vector<InterestRecord> out;
    for (const auto& r : rows.value()) {
        InterestRecord i;
        i.org_id = r.int64(0);
        i.org_name = r.text(1);
        i.siret = r.text(2);
        i.size = r.text(3);
        i.website = r.text(4);
        i.user_name = r.text(5);
        i.user_email = r.text(6);
        i.message = r.text(7);
        i.created_at = r.int64(8);
        for (auto [sql, target] : {std::pair{kOrgLabels, &i.labels}, std::pair{kOrgCpv, &i.cpv_codes},
                                   std::pair{kOrgDeps, &i.departements}}) {
            auto v = strings(c, sql, i.org_id);
            if (!v) return v.error();
            *target = std::move(v.value());
        }
        out.push_back(std::move(i));
    }
    return out;
}

Result<std::vector<std::int64_t>> interested_orgs_among(Connection& c, std::int64_t item_id,
                                                        const std::vector<std::int64_t>& org_ids) {
    std::vector<std::int64_t> out;
    for (auto id : org_ids) {
        auto rows = c.query(kInterestOf, {item_id, id});
        if (!rows) return rows.error();
        if (!rows->empty()) out.push_back(id);
    }
    return out;
}

}  // namespace passerelle::storage::roadmaps
