#include "storage/observatory_store.hpp"

namespace passerelle::storage::observatory {

namespace {

namespace ob = core::observatory;

// The WHERE clause of a filter over contracts aliased `c`, with its parameters.
std::string where(const Filter& f, std::vector<Value>& params) {
    std::string w = "WHERE 1 = 1";
    if (!f.year.empty()) {
        w += " AND substr(c.notified_on, 1, 4) = ?";
        params.emplace_back(f.year);
    }
    if (f.buyer_org_id) {
        w += " AND c.buyer_org_id = ?";
        params.emplace_back(*f.buyer_org_id);
    }
    if (!f.departement.empty()) {
        w += " AND c.departement = ?";
        params.emplace_back(f.departement);
    }
    return w;
}

constexpr const char* kSiae = "('siae_aci', 'siae_ei', 'siae_etti', 'siae_ai')";

std::string has_label(const char* labels) {
    return std::string("CASE WHEN EXISTS (SELECT 1 FROM organisation_labels l WHERE l.org_id = o.id AND l.label IN ") +
           labels + ") THEN 1 ELSE 0 END";
}

Result<std::vector<KeyTotals>> totals(Connection& c, const std::string& sql, const std::vector<Value>& params) {
    auto rows = c.query(sql, params);
    if (!rows) return rows.error();
    std::vector<KeyTotals> out;
    for (const auto& r : rows.value()) out.push_back({r.text(0), r.text(1), {r.int64(2), r.real(3)}});
    return out;
}

}  // namespace

Result<std::vector<KeyTotals>> by_year(Connection& c, const Filter& f) {
    std::vector<Value> params;
    const std::string w = where(f, params);
    return totals(c,
                  "SELECT substr(c.notified_on, 1, 4), substr(c.notified_on, 1, 4), COUNT(*), "
                  "SUM(COALESCE(c.amount, 0)) FROM contracts c " +
                      w + " AND c.notified_on <> '' GROUP BY substr(c.notified_on, 1, 4) ORDER BY 1",
                  params);
}

Result<std::vector<KeyTotals>> by_division(Connection& c, const Filter& f) {
    std::vector<Value> params;
    const std::string w = where(f, params);
    return totals(c,
                  "SELECT t.d, COALESCE(cpv.label_fr, ''), t.n, t.a FROM (SELECT substr(c.cpv, 1, 2) AS d, "
                  "COUNT(*) AS n, SUM(COALESCE(c.amount, 0)) AS a FROM contracts c " +
                      w +
                      " AND c.cpv <> '' GROUP BY substr(c.cpv, 1, 2)) t LEFT JOIN cpv ON cpv.code = t.d || '000000' "
                      "ORDER BY t.a DESC, t.d",
                  params);
}

Result<std::vector<KeyTotals>> by_buyer(Connection& c, const Filter& f, int limit) {
    std::vector<Value> params;
    const std::string w = where(f, params);
    params.emplace_back(std::int64_t{limit});
    return totals(c,
                  "SELECT COALESCE(CAST(c.buyer_org_id AS TEXT), c.buyer_identifier), MAX(COALESCE(o.name, "
                  "c.buyer_name)), COUNT(*), SUM(COALESCE(c.amount, 0)) FROM contracts c LEFT JOIN organisations o "
                  "ON o.id = c.buyer_org_id " +
                      w +
                      " GROUP BY COALESCE(CAST(c.buyer_org_id AS TEXT), c.buyer_identifier) ORDER BY 4 DESC, 2 "
                      "LIMIT ?",
                  params);
}

Result<std::vector<ob::ProfileRow>> by_holder_profile(Connection& c, const Filter& f) {
    std::vector<Value> params;
    const std::string w = where(f, params);
    // The first holder (position 1) stands for the contract; contracts without a known holder count as
    // « taille inconnue » and « autres titulaires ».
    const std::string sql =
        "SELECT t.sz, t.siae, t.ea, t.ess, t.innov, COUNT(*), SUM(t.amt) FROM (SELECT COALESCE(o.size, '') AS sz, " +
        has_label(kSiae) + " AS siae, " + has_label("('ea', 'esat')") + " AS ea, " + has_label("('ess')") +
        " AS ess, " + has_label("('innovante')") +
        " AS innov, COALESCE(c.amount, 0) AS amt FROM contracts c LEFT JOIN contract_suppliers s ON "
        "s.contract_id = c.id AND s.position = 1 LEFT JOIN organisations o ON o.id = s.org_id " +
        w + ") t GROUP BY t.sz, t.siae, t.ea, t.ess, t.innov";
    auto rows = c.query(sql, params);
    if (!rows) return rows.error();
    std::vector<ob::ProfileRow> out;
    for (const auto& r : rows.value())
        out.push_back(
            {r.text(0), r.int64(1) != 0, r.int64(2) != 0, r.int64(3) != 0, r.int64(4) != 0, {r.int64(5), r.real(6)}});
    return out;
}

Result<std::vector<ob::ClauseRow>> clauses_by_division(Connection& c, const Filter& f) {
    std::vector<Value> params;
    const std::string w = where(f, params);
    auto rows = c.query(
        "SELECT t.d, COALESCE(cpv.label_fr, ''), t.n, t.k FROM (SELECT substr(c.cpv, 1, 2) AS d, COUNT(*) AS n, "
        "SUM(CASE WHEN c.social_clause = 1 OR EXISTS (SELECT 1 FROM contract_clauses k WHERE k.contract_id = c.id) "
        "THEN 1 ELSE 0 END) AS k FROM contracts c " +
            w + " AND c.cpv <> '' GROUP BY substr(c.cpv, 1, 2)) t LEFT JOIN cpv ON cpv.code = t.d || '000000'",
        params);
    if (!rows) return rows.error();
    std::vector<ob::ClauseRow> out;
    for (const auto& r : rows.value()) out.push_back({r.text(0), r.text(1), r.int64(2), r.int64(3), 0});
    return out;
}

Result<std::vector<HoursRow>> hours_by_year(Connection& c, const Filter& f) {
    std::vector<Value> params;
    const std::string w = where(f, params);
    auto rows = c.query(
        "SELECT substr(c.notified_on, 1, 4), k.departement, SUM(k.hours_required), SUM(COALESCE(h.hours, 0)), "
        "SUM(COALESCE(h.participants, 0)) FROM contract_clauses k JOIN contracts c ON c.id = k.contract_id "
        "LEFT JOIN (SELECT clause_id, SUM(hours) AS hours, SUM(participants) AS participants FROM "
        "hour_declarations WHERE status = 'accepted' GROUP BY clause_id) h ON h.clause_id = k.id " +
            w + " AND k.kind = 'insertion_hours' GROUP BY substr(c.notified_on, 1, 4), k.departement ORDER BY 1, 2",
        params);
    if (!rows) return rows.error();
    std::vector<HoursRow> out;
    for (const auto& r : rows.value()) out.push_back({r.text(0), r.text(1), r.real(2), r.real(3), r.int64(4)});
    return out;
}

Result<std::vector<EventFigures>> events(Connection& c, std::optional<std::int64_t> from,
                                         std::optional<std::int64_t> to) {
    std::string sql =
        "SELECT e.id, e.title, e.starts_at, "
        "(SELECT COUNT(*) FROM meeting_requests r WHERE r.event_id = e.id), "
        "(SELECT COUNT(*) FROM meeting_requests r WHERE r.event_id = e.id AND r.status = 'accepted'), "
        "(SELECT COUNT(*) FROM event_meetings m WHERE m.event_id = e.id), "
        "(SELECT COUNT(DISTINCT f.request_id) FROM meeting_feedback f JOIN meeting_requests r ON r.id = "
        "f.request_id WHERE r.event_id = e.id AND f.held = 1) "
        "FROM events e WHERE e.status = 'published'";
    std::vector<Value> params;
    if (from) {
        sql += " AND e.starts_at >= ?";
        params.emplace_back(*from);
    }
    if (to) {
        sql += " AND e.starts_at < ?";
        params.emplace_back(*to);
    }
    auto rows = c.query(sql + " ORDER BY e.starts_at DESC", params);
    if (!rows) return rows.error();
    std::vector<EventFigures> out;
    for (const auto& r : rows.value())
        out.push_back({r.int64(0), r.text(1), r.int64(2), r.int64(3), r.int64(4), r.int64(5), r.int64(6)});
    return out;
}

Result<std::vector<std::string>> years(Connection& c) {
    auto rows =
        c.query("SELECT DISTINCT substr(notified_on, 1, 4) FROM contracts WHERE notified_on <> '' ORDER BY 1 DESC");
    if (!rows) return rows.error();
    std::vector<std::string> out;
    for (const auto& r : rows.value()) out.push_back(r.text(0));
    return out;
}

Result<std::vector<KeyTotals>> buyers(Connection& c, int limit) {
    return totals(c,
                  "SELECT CAST(o.id AS TEXT), o.name, COUNT(*), SUM(COALESCE(c.amount, 0)) FROM contracts c JOIN "
                  "organisations o ON o.id = c.buyer_org_id GROUP BY o.id, o.name ORDER BY COUNT(*) DESC, o.name "
                  "LIMIT ?",
                  {std::int64_t{limit}});
}

}  // namespace passerelle::storage::observatory
