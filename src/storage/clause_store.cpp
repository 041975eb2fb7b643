#include "storage/clause_store.hpp"

namespace passerelle::storage::clauses {

namespace {

namespace cc = core::clauses;

Value opt(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(Null{}); }

constexpr const char* kClauseColumns =
    "SELECT k.id, k.contract_id, k.kind, k.hours_required, k.period_start, k.period_end, k.departement, k.notes, "
    "k.facilitator_user_id, k.created_at, k.updated_at, COALESCE(u.display_name, ''), "
    "COALESCE((SELECT SUM(h.hours) FROM hour_declarations h WHERE h.clause_id = k.id AND h.status = 'accepted'), 0), "
    "(SELECT COUNT(*) FROM hour_declarations h WHERE h.clause_id = k.id AND h.status = 'submitted'), c.object, "
    "c.notified_on, c.buyer_org_id, COALESCE(o.name, c.buyer_name), COALESCE((SELECT s.name FROM "
    "contract_suppliers s WHERE s.contract_id = c.id ORDER BY s.position LIMIT 1), '') "
    "FROM contract_clauses k JOIN contracts c ON c.id = k.contract_id LEFT JOIN users u ON u.id = "
    "k.facilitator_user_id LEFT JOIN organisations o ON o.id = c.buyer_org_id ";

Result<std::vector<ClauseRecord>> clause_rows(Connection& c, const std::string& tail,
                                              const std::vector<Value>& params) {
    auto rows = c.query(std::string(kClauseColumns) + tail, params);
    if (!rows) return rows.error();
    std::vector<ClauseRecord> out;
    for (const auto& r : rows.value()) {
        ClauseRecord k;
        k.id = r.int64(0);
        k.contract_id = r.int64(1);
        k.clause = {r.text(2), r.int64(3), r.text(4), r.text(5), r.text(6), r.text(7)};
        k.facilitator_user_id = r.opt_int64(8);
        k.created_at = r.int64(9);
        k.updated_at = r.int64(10);
        k.facilitator_name = r.text(11);
        k.accepted_hours = r.real(12);
        k.pending_declarations = r.int64(13);
        k.contract_object = r.text(14);
        k.contract_notified_on = r.text(15);
        k.buyer_org_id = r.opt_int64(16);
        k.buyer_name = r.text(17);
        k.holder_name = r.text(18);
        out.push_back(std::move(k));
    }
    return out;
}

constexpr const char* kDeclarationColumns =
    "SELECT d.id, d.clause_id, d.period_start, d.period_end, d.hours, d.employer_org_id, d.employer_name, "
    "d.participants, d.long_term_jobseekers, d.under_26, d.rsa_recipients, d.disabled, d.over_50, "
    "d.priority_neighbourhoods, d.women, d.men, d.status, d.review_comment, d.reviewed_by, d.reviewed_at, "
    "d.declared_by, d.declared_for_org_id, d.created_at, d.updated_at, COALESCE(u.email, ''), COALESCE(o.name, ''), "
    "k.contract_id, c.object FROM hour_declarations d JOIN contract_clauses k ON k.id = d.clause_id JOIN contracts c "
    "ON c.id = k.contract_id LEFT JOIN users u ON u.id = d.declared_by LEFT JOIN organisations o ON o.id = "
    "d.declared_for_org_id ";

// In the order of core::clauses::participant_categories().
const std::vector<std::string>& category_columns() {
    static const std::vector<std::string> v = {
        "long_term_jobseekers", "under_26", "rsa_recipients", "disabled", "over_50", "priority_neighbourhoods"};
    return v;
}

Result<std::vector<DeclarationRecord>> declaration_rows(Connection& c, const std::string& tail,
                                                        const std::vector<Value>& params) {
    auto rows = c.query(std::string(kDeclarationColumns) + tail, params);
    if (!rows) return rows.error();
    std::vector<DeclarationRecord> out;
    for (const auto& r : rows.value()) {
        DeclarationRecord d;
        d.id = r.int64(0);
        d.clause_id = r.int64(1);
        d.declaration.period_start = r.text(2);
        d.declaration.period_end = r.text(3);
        d.declaration.hours = r.real(4);
        d.employer_org_id = r.opt_int64(5);
        d.declaration.employer_name = r.text(6);
        d.declaration.participants = static_cast<int>(r.int64(7));
        for (std::size_t i = 0; i < category_columns().size(); ++i)
            d.declaration.categories[category_columns()[i]] = static_cast<int>(r.int64(8 + i));
        d.declaration.women = static_cast<int>(r.int64(14));
        d.declaration.men = static_cast<int>(r.int64(15));
        d.status = r.text(16);
        d.review_comment = r.text(17);
        d.reviewed_by = r.opt_int64(18);
        d.reviewed_at = r.opt_int64(19);
        d.declared_by = r.opt_int64(20);
        d.declared_for_org_id = r.opt_int64(21);
        d.created_at = r.int64(22);
        d.updated_at = r.int64(23);
        d.declared_by_email = r.text(24);
        d.declared_for_name = r.text(25);
        d.contract_id = r.int64(26);
        d.contract_object = r.text(27);
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<Value> declaration_values(const DeclarationRecord& r) {
    const auto& d = r.declaration;
    std::vector<Value> v{d.period_start,         d.period_end,    d.hours,
                         opt(r.employer_org_id), d.employer_name, std::int64_t{d.participants}};
    for (const auto& col : category_columns()) {
        auto it = d.categories.find(col);
        v.emplace_back(std::int64_t{it == d.categories.end() ? 0 : it->second});
    }
    v.emplace_back(std::int64_t{d.women});
    v.emplace_back(std::int64_t{d.men});
    return v;
}

}  // namespace

Result<std::int64_t> insert_clause(Connection& c, const ClauseRecord& r, std::int64_t now) {
    auto rows = c.query(
        "INSERT INTO contract_clauses (contract_id, kind, hours_required, period_start, period_end, "
        "facilitator_user_id, departement, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "RETURNING id",
        {r.contract_id, r.clause.kind, r.clause.hours_required, r.clause.period_start, r.clause.period_end,
         opt(r.facilitator_user_id), r.clause.departement, r.clause.notes, now, now});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Status update_clause(Connection& c, const ClauseRecord& r, std::int64_t now) {
    return to_status(
        c.exec("UPDATE contract_clauses SET kind = ?, hours_required = ?, period_start = ?, period_end = ?, "
               "facilitator_user_id = ?, departement = ?, notes = ?, updated_at = ? WHERE id = ?",
               {r.clause.kind, r.clause.hours_required, r.clause.period_start, r.clause.period_end,
                opt(r.facilitator_user_id), r.clause.departement, r.clause.notes, now, r.id}));
}

Status delete_clause(Connection& c, std::int64_t id) {
    return to_status(c.exec("DELETE FROM contract_clauses WHERE id = ?", {id}));
}

Result<std::optional<ClauseRecord>> find_clause(Connection& c, std::int64_t id) {
    auto rows = clause_rows(c, "WHERE k.id = ?", {id});
    if (!rows) return rows.error();
    if (rows.value().empty()) return std::optional<ClauseRecord>{};
    return std::optional<ClauseRecord>{std::move(rows.value().front())};
}

Result<std::vector<ClauseRecord>> clauses_of_contract(Connection& c, std::int64_t contract_id) {
    return clause_rows(c, "WHERE k.contract_id = ? ORDER BY k.id", {contract_id});
}

Result<std::vector<ClauseRecord>> portfolio(Connection& c, const PortfolioFilter& f, int limit) {
    std::string where = "WHERE 1 = 1";
    std::vector<Value> params;
    if (f.facilitator_user_id) {
        where += " AND k.facilitator_user_id = ?";
        params.emplace_back(*f.facilitator_user_id);
    }
    if (!f.departement.empty()) {
        where += " AND k.departement = ?";
        params.emplace_back(f.departement);
    }
    if (f.buyer_org_id) {
        where += " AND c.buyer_org_id = ?";
        params.emplace_back(*f.buyer_org_id);
    }
    if (!f.year.empty()) {
        where += " AND substr(c.notified_on, 1, 4) = ?";
        params.emplace_back(f.year);
    }
    params.emplace_back(std::int64_t{limit});
    return clause_rows(c, where + " ORDER BY c.notified_on DESC, k.id DESC LIMIT ?", params);
}

Result<std::vector<std::int64_t>> declaring_orgs(Connection& c, std::int64_t contract_id) {
    auto rows = c.query(
        "SELECT org_id FROM contract_suppliers WHERE contract_id = ? AND org_id IS NOT NULL UNION "
        "SELECT org_id FROM contract_subcontractors WHERE contract_id = ?",
        {contract_id, contract_id});
    if (!rows) return rows.error();
    std::vector<std::int64_t> out;
    for (const auto& r : rows.value()) out.push_back(r.int64(0));
    return out;
}

Status add_subcontractor(Connection& c, std::int64_t contract_id, std::int64_t org_id, std::int64_t now) {
    return to_status(c.exec(
        "INSERT INTO contract_subcontractors (contract_id, org_id, added_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        {contract_id, org_id, now}));
}

Status remove_subcontractor(Connection& c, std::int64_t contract_id, std::int64_t org_id) {
    return to_status(
        c.exec("DELETE FROM contract_subcontractors WHERE contract_id = ? AND org_id = ?", {contract_id, org_id}));
}

Result<std::vector<SubcontractorRecord>> subcontractors(Connection& c, std::int64_t contract_id) {
    auto rows = c.query(
        "SELECT o.id, o.name, o.siret FROM contract_subcontractors s JOIN organisations o ON o.id = s.org_id "
        "WHERE s.contract_id = ? ORDER BY o.name",
        {contract_id});
    if (!rows) return rows.error();
    std::vector<SubcontractorRecord> out;
    for (const auto& r : rows.value()) out.push_back({r.int64(0), r.text(1), r.text(2)});
    return out;
}

Result<std::vector<std::int64_t>> contracts_with_clauses_for(Connection& c, std::int64_t org_id, int limit) {
    auto rows = c.query(
        "SELECT c.id FROM contracts c WHERE EXISTS (SELECT 1 FROM contract_clauses k WHERE k.contract_id = c.id) "
        "AND (EXISTS (SELECT 1 FROM contract_suppliers s WHERE s.contract_id = c.id AND s.org_id = ?) OR EXISTS "
        "(SELECT 1 FROM contract_subcontractors t WHERE t.contract_id = c.id AND t.org_id = ?)) "
        "ORDER BY c.notified_on DESC, c.id DESC LIMIT ?",
        {org_id, org_id, std::int64_t{limit}});
    if (!rows) return rows.error();
    std::vector<std::int64_t> out;
    for (const auto& r : rows.value()) out.push_back(r.int64(0));
    return out;
}

Result<std::int64_t> insert_declaration(Connection& c, const DeclarationRecord& r, std::int64_t now) {
    auto v = declaration_values(r);
    v.insert(v.begin(), Value(r.clause_id));
    v.emplace_back(opt(r.declared_by));
    v.emplace_back(opt(r.declared_for_org_id));
    v.emplace_back(now);
    v.emplace_back(now);
    auto rows = c.query(
        "INSERT INTO hour_declarations (clause_id, period_start, period_end, hours, employer_org_id, employer_name, "
        "participants, long_term_jobseekers, under_26, rsa_recipients, disabled, over_50, priority_neighbourhoods, "
        "women, men, status, declared_by, declared_for_org_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?) RETURNING id",
        v);
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Status resubmit_declaration(Connection& c, const DeclarationRecord& r, std::int64_t now) {
    auto v = declaration_values(r);
    v.emplace_back(now);
    v.emplace_back(r.id);
    return to_status(
        c.exec("UPDATE hour_declarations SET period_start = ?, period_end = ?, hours = ?, employer_org_id = ?, "
               "employer_name = ?, participants = ?, long_term_jobseekers = ?, under_26 = ?, rsa_recipients = ?, "
               "disabled = ?, over_50 = ?, priority_neighbourhoods = ?, women = ?, men = ?, status = 'submitted', "
               "updated_at = ? WHERE id = ? AND status = 'correction'",
               v));
}

Status review_declaration(Connection& c, std::int64_t id, const std::string& status, const std::string& comment,
                          std::int64_t reviewer, std::int64_t now) {
    return to_status(
        c.exec("UPDATE hour_declarations SET status = ?, review_comment = ?, reviewed_by = ?, reviewed_at = ?, "
               "updated_at = ? WHERE id = ?",
               {status, comment, reviewer, now, now, id}));
}

Result<std::optional<DeclarationRecord>> find_declaration(Connection& c, std::int64_t id) {
    auto rows = declaration_rows(c, "WHERE d.id = ?", {id});
    if (!rows) return rows.error();
    if (rows.value().empty()) return std::optional<DeclarationRecord>{};
    return std::optional<DeclarationRecord>{std::move(rows.value().front())};
}

Result<std::vector<DeclarationRecord>> declarations_of_clause(Connection& c, std::int64_t clause_id) {
    return declaration_rows(c, "WHERE d.clause_id = ? ORDER BY d.period_start DESC, d.id DESC", {clause_id});
}

Result<std::vector<DeclarationRecord>> pending_declarations(Connection& c, std::optional<std::int64_t> facilitator,
                                                            int limit) {
    if (facilitator)
        return declaration_rows(c,
                                "WHERE d.status = 'submitted' AND k.facilitator_user_id = ? ORDER BY d.created_at, "
                                "d.id LIMIT ?",
                                {*facilitator, std::int64_t{limit}});
    return declaration_rows(c, "WHERE d.status = 'submitted' ORDER BY d.created_at, d.id LIMIT ?",
                            {std::int64_t{limit}});
}

Result<std::map<std::string, cc::FamilyParameters>> family_parameters(Connection& c) {
    auto rows = c.query("SELECT division, labour_share, candidate_from FROM clause_parameters ORDER BY division");
    if (!rows) return rows.error();
    std::map<std::string, cc::FamilyParameters> out;
    for (const auto& r : rows.value()) out[r.text(0)] = {r.real(1), r.int64(2)};
    return out;
}

Status save_family_parameters(Connection& c, const std::string& division, const cc::FamilyParameters& p,
                              std::int64_t user, std::int64_t now) {
    return to_status(c.exec(
        "INSERT INTO clause_parameters (division, labour_share, candidate_from, updated_by, updated_at) VALUES (?, ?, "
        "?, ?, ?) ON CONFLICT (division) DO UPDATE SET labour_share = excluded.labour_share, candidate_from = "
        "excluded.candidate_from, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        {division, p.labour_share, p.candidate_from, user, now}));
}

Result<std::vector<cc::ReportLine>> report_lines(Connection& c, std::int64_t buyer_org_id, const std::string& year) {
    std::string sql =
        "SELECT k.id, c.object, COALESCE((SELECT s.name FROM contract_suppliers s WHERE s.contract_id = c.id ORDER BY "
        "s.position LIMIT 1), ''), k.hours_required, COALESCE(SUM(d.hours), 0), COALESCE(SUM(d.participants), 0), "
        "COALESCE(SUM(d.long_term_jobseekers), 0), COALESCE(SUM(d.under_26), 0), COALESCE(SUM(d.rsa_recipients), 0), "
        "COALESCE(SUM(d.disabled), 0), COALESCE(SUM(d.over_50), 0), COALESCE(SUM(d.priority_neighbourhoods), 0), "
        "COALESCE(SUM(d.women), 0), COALESCE(SUM(d.men), 0) FROM contract_clauses k JOIN contracts c ON c.id = "
        "k.contract_id LEFT JOIN hour_declarations d ON d.clause_id = k.id AND d.status = 'accepted' "
        "WHERE c.buyer_org_id = ? AND k.kind = 'insertion_hours'";
    std::vector<Value> params{buyer_org_id};
    if (!year.empty()) {
        sql += " AND substr(c.notified_on, 1, 4) = ?";
        params.emplace_back(year);
    }
    auto rows = c.query(sql + " GROUP BY k.id, c.id, c.object, k.hours_required ORDER BY c.object, k.id", params);
    if (!rows) return rows.error();
    std::vector<cc::ReportLine> out;
    for (const auto& r : rows.value()) {
        cc::ReportLine l;
        l.contract = r.text(1);
        l.holder = r.text(2);
        l.required = r.int64(3);
        l.delivered = r.real(4);
        l.participants = static_cast<int>(r.int64(5));
        for (std::size_t i = 0; i < category_columns().size(); ++i)
            l.categories[category_columns()[i]] = static_cast<int>(r.int64(6 + i));
        l.women = static_cast<int>(r.int64(12));
        l.men = static_cast<int>(r.int64(13));
        out.push_back(std::move(l));
    }
    return out;
}

Result<std::vector<std::int64_t>> facilitators_with_clauses(Connection& c) {
    auto rows = c.query(
        "SELECT DISTINCT k.facilitator_user_id FROM contract_clauses k JOIN user_roles r ON r.user_id = "
        "k.facilitator_user_id AND r.role = 'facilitator' ORDER BY 1");
    if (!rows) return rows.error();
    std::vector<std::int64_t> out;
    for (const auto& r : rows.value()) out.push_back(r.int64(0));
    return out;
}

Result<bool> claim_digest(Connection& c, std::int64_t user_id, const std::string& week, std::int64_t now) {
    auto n = c.exec("INSERT INTO clause_digests (user_id, week, sent_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    {user_id, week, now});
    if (!n) return n.error();
    return n.value() == 1;
}

}  // namespace passerelle::storage::clauses
