#include "storage/org_store.hpp"

#include "storage/search_outbox_store.hpp"

namespace passerelle::storage::orgs {

namespace {

constexpr const char* kInsertOrg =
    "INSERT INTO organisations (kind, siret, name, search_name, legal_form, size, description, website, buyer_kind, "
    "departement, "
    "claimed, vetting, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr const char* kUpdateOrg =
    "UPDATE organisations SET name = ?, search_name = ?, legal_form = ?, size = ?, description = ?, website = ?, "
    "buyer_kind = ?, "
    "departement = ?, updated_at = ? WHERE id = ?";
constexpr const char* kOrgColumns =
    "SELECT id, kind, siret, name, legal_form, size, description, website, buyer_kind, departement, claimed, "
    "created_at, updated_at, search_name, vetting, vetting_note, suspended_at FROM organisations ";
constexpr const char* kLabelsOf = "SELECT label FROM organisation_labels WHERE org_id = ? ORDER BY label";
constexpr const char* kCpvOf = "SELECT cpv_code FROM organisation_cpv WHERE org_id = ? ORDER BY cpv_code";
constexpr const char* kDepsOf =
    "SELECT departement FROM organisation_departements WHERE org_id = ? ORDER BY departement";
constexpr const char* kDeleteLabels = "DELETE FROM organisation_labels WHERE org_id = ?";
constexpr const char* kDeleteCpv = "DELETE FROM organisation_cpv WHERE org_id = ?";
constexpr const char* kDeleteDeps = "DELETE FROM organisation_departements WHERE org_id = ?";
constexpr const char* kInsertLabel = "INSERT INTO organisation_labels (org_id, label) VALUES (?, ?)";
constexpr const char* kInsertCpv = "INSERT INTO organisation_cpv (org_id, cpv_code) VALUES (?, ?)";
constexpr const char* kInsertDep = "INSERT INTO organisation_departements (org_id, departement) VALUES (?, ?)";
// Filter: every condition is neutral when its parameter is empty. Listings never show an organisation that is
// not vetted (a buyer declared by a person and waiting, or refused) or that is suspended.
constexpr const char* kFilterWhere =
    "WHERE vetting = 'verified' AND suspended_at IS NULL AND (? = '' OR kind = ?) AND (? = '' OR search_name LIKE ?) "
    "AND (? = '' OR EXISTS (SELECT 1 FROM organisation_labels l WHERE l.org_id = organisations.id AND l.label = ?)) "
    "AND (? = '' OR departement = ? OR EXISTS (SELECT 1 FROM organisation_departements d "
    "WHERE d.org_id = organisations.id AND d.departement = ?)) AND (? = 0 OR claimed = 1) ";

constexpr const char* kUpsertMembership =
    "INSERT INTO memberships (org_id, user_id, role, status, message, created_at, decided_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role, "
    "status = excluded.status, decided_at = excluded.decided_at";
constexpr const char* kDeleteMembership = "DELETE FROM memberships WHERE org_id = ? AND user_id = ?";
constexpr const char* kListMembers =
    "SELECT m.org_id, m.user_id, u.email, u.display_name, m.role, m.status, m.message, m.created_at "
    "FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = ? ORDER BY m.status, u.display_name";
constexpr const char* kMembershipsOfUser =
    "SELECT o.id, o.kind, o.name, o.siret, m.role, m.status, m.elected, o.vetting, o.suspended_at FROM memberships m "
    "JOIN organisations o ON o.id = m.org_id "
    "WHERE m.user_id = ? ORDER BY o.name";
constexpr const char* kCountAdmins =
    "SELECT COUNT(*) FROM memberships WHERE org_id = ? AND role = 'admin' AND status = 'active'";

constexpr const char* kSetVetting =
    "UPDATE organisations SET vetting = ?, vetting_note = ?, vetted_by = ?, vetted_at = ?, updated_at = ? "
    "WHERE id = ?";
constexpr const char* kSetSuspended = "UPDATE organisations SET suspended_at = ?, updated_at = ? WHERE id = ?";
constexpr const char* kFirstAdmin =
    "SELECT u.email, u.display_name FROM memberships m JOIN users u ON u.id = m.user_id "
    "WHERE m.org_id = ? AND m.role = 'admin' ORDER BY m.created_at, u.id LIMIT 1";
constexpr const char* kContractsOfBuyer = "SELECT COUNT(*) FROM contracts WHERE buyer_org_id = ?";
// Through the organisations' unique SIRET index and the contracts' buyer index (DECP links every buyer SIRET
// to a profile).
constexpr const char* kContractsOfBuyerSiren =
    "SELECT COUNT(*) FROM contracts c JOIN organisations o ON o.id = c.buyer_org_id "
    "WHERE o.siret >= ? AND o.siret <= ?";
constexpr const char* kOpenDataProfileOfSiren =
    "SELECT id FROM organisations WHERE siret >= ? AND siret <= ? AND claimed = 0 AND kind = 'buyer' LIMIT 1";

constexpr const char* kInvitationsSince = "SELECT COUNT(*) FROM invitations WHERE org_id = ? AND created_at >= ?";
constexpr const char* kInsertInvitation =
    "INSERT INTO invitations (org_id, email, role, token_hash, invited_by, created_at, expires_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr const char* kAcceptInvitation =
    "UPDATE invitations SET accepted_at = ? WHERE token_hash = ? AND accepted_at IS NULL AND expires_at > ? "
    "RETURNING id, org_id, email, role, created_at, expires_at, accepted_at";
constexpr const char* kPendingInvitations =
    "SELECT id, org_id, email, role, created_at, expires_at, accepted_at FROM invitations "
    "WHERE org_id = ? AND accepted_at IS NULL AND expires_at > ? ORDER BY created_at DESC";

Value nullable(const std::string& s) { return s.empty() ? Value(Null{}) : Value(s); }

Status write_lists(Connection& c, const OrgRecord& o, std::int64_t id) {
    for (const char* del : {kDeleteLabels, kDeleteCpv, kDeleteDeps})
        if (auto s = to_status(c.exec(del, {id})); !s) return s;
    for (const auto& l : o.labels)
        if (auto s = to_status(c.exec(kInsertLabel, {id, l})); !s) return s;
    for (const auto& cpv : o.cpv_codes)
        if (auto s = to_status(c.exec(kInsertCpv, {id, cpv})); !s) return s;
    for (const auto& d : o.departements)
        if (auto s = to_status(c.exec(kInsertDep, {id, d})); !s) return s;
    return {};
}

Result<std::vector<std::string>> column_list(Connection& c, const char* sql, std::int64_t id) {
    auto rows = c.query(sql, {id});
    if (!rows) return rows.error();
    std::vector<std::string> out;
    for (const auto& r : rows.value()) out.push_back(r.text(0));
    return out;
}

Result<OrgRecord> org_from(Connection& c, const Row& r, bool with_lists) {
    OrgRecord o;
    o.id = r.int64(0);
    o.kind = r.text(1);
    o.siret = r.text(2);
    o.name = r.text(3);
    o.legal_form = r.text(4);
    o.size = r.text(5);
    o.description = r.text(6);
    o.website = r.text(7);
    o.buyer_kind = r.text(8);
    o.departement = r.text(9);
    o.claimed = r.boolean(10);
    o.created_at = r.int64(11);
    o.updated_at = r.int64(12);
    o.search_name = r.text(13);
    o.vetting = r.text(14);
    o.vetting_note = r.text(15);
    o.suspended_at = r.opt_int64(16);
    if (with_lists) {
        auto l = column_list(c, kLabelsOf, o.id);
        if (!l) return l.error();
        o.labels = std::move(l.value());
        auto cp = column_list(c, kCpvOf, o.id);
        if (!cp) return cp.error();
        o.cpv_codes = std::move(cp.value());
        auto d = column_list(c, kDepsOf, o.id);
        if (!d) return d.error();
        o.departements = std::move(d.value());
    }
    return o;
}

Result<std::optional<OrgRecord>> one_org(Connection& c, const std::string& where, const Value& v) {
    auto rows = c.query(std::string(kOrgColumns) + where, {v});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<OrgRecord>{};
    auto o = org_from(c, rows.value()[0], true);
    if (!o) return o.error();
    return std::optional<OrgRecord>(std::move(o.value()));
}

std::vector<Value> filter_params(const OrgFilter& f) {
    std::string like = f.name_like.empty() ? "" : "%" + f.name_like + "%";
    return {f.kind,  f.kind,        like,          like,          f.label,
            f.label, f.departement, f.departement, f.departement, std::int64_t{f.claimed_only ? 1 : 0}};
}

}  // namespace

Result<std::int64_t> insert_org(Connection& c, const OrgRecord& o, std::int64_t now) {
    auto rows = c.query(kInsertOrg, {o.kind, o.siret, o.name, o.search_name, nullable(o.legal_form), nullable(o.size),
                                     o.description, nullable(o.website), nullable(o.buyer_kind),
                                     nullable(o.departement), std::int64_t{o.claimed ? 1 : 0}, o.vetting, now, now});
    if (!rows) return rows.error();
    std::int64_t id = rows.value()[0].int64(0);
    if (auto s = write_lists(c, o, id); !s) return s.error();
    if (o.kind == "company")
        if (auto s = search_outbox::enqueue(c, "company", id, now); !s) return s.error();
    return id;
}

Status update_org(Connection& c, const OrgRecord& o, std::int64_t now) {
    auto r = c.exec(kUpdateOrg, {o.name, o.search_name, nullable(o.legal_form), nullable(o.size), o.description,
                                 nullable(o.website), nullable(o.buyer_kind), nullable(o.departement), now, o.id});
    if (!r) return r.error();
    if (r.value() == 0) return Error::NotFound("Organisation introuvable.");
    if (auto s = write_lists(c, o, o.id); !s) return s;
    return search_outbox::enqueue(c, "company", o.id, now);  // a buyer's is dropped by the indexer
}

Result<std::optional<OrgRecord>> find_org(Connection& c, std::int64_t id) { return one_org(c, "WHERE id = ?", id); }

Result<std::optional<OrgRecord>> find_org_by_siret(Connection& c, const std::string& siret) {
    return one_org(c, "WHERE siret = ?", siret);
}

Result<std::vector<OrgRecord>> list_orgs(Connection& c, const OrgFilter& f, std::int64_t limit, std::int64_t offset) {
    auto params = filter_params(f);
    params.emplace_back(limit);
    params.emplace_back(offset);
    auto rows = c.query(std::string(kOrgColumns) + kFilterWhere + "ORDER BY name, id LIMIT ? OFFSET ?", params);
    if (!rows) return rows.error();
    std::vector<OrgRecord> out;
    for (const auto& r : rows.value()) {
        auto o = org_from(c, r, true);
        if (!o) return o.error();
        out.push_back(std::move(o.value()));
    }
    return out;
}

Result<std::int64_t> count_orgs(Connection& c, const OrgFilter& f) {
    auto rows = c.query(std::string("SELECT COUNT(*) FROM organisations ") + kFilterWhere, filter_params(f));
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Status upsert_membership(Connection& c, std::int64_t org_id, std::int64_t user_id, const std::string& role,
                         const std::string& status, const std::string& message, std::int64_t now) {
    Value decided = status == "active" ? Value(now) : Value(Null{});
    return to_status(c.exec(kUpsertMembership, {org_id, user_id, role, status, message, now, decided}));
}

Status delete_membership(Connection& c, std::int64_t org_id, std::int64_t user_id) {
    return to_status(c.exec(kDeleteMembership, {org_id, user_id}));
}

Result<std::vector<MemberRecord>> list_members(Connection& c, std::int64_t org_id) {
    auto rows = c.query(kListMembers, {org_id});
    if (!rows) return rows.error();
    std::vector<MemberRecord> out;
    for (const auto& r : rows.value())
        out.push_back({r.int64(0), r.int64(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6), r.int64(7)});
    return out;
}

Result<std::vector<MembershipOfUser>> memberships_of_user(Connection& c, std::int64_t user_id) {
    auto rows = c.query(kMembershipsOfUser, {user_id});
    if (!rows) return rows.error();
    std::vector<MembershipOfUser> out;
    for (const auto& r : rows.value())
        out.push_back({r.int64(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.int64(6) != 0,
                       r.text(7) == "verified" && !r.opt_int64(8)});
    return out;
}

Result<std::int64_t> count_active_admins(Connection& c, std::int64_t org_id) {
    auto rows = c.query(kCountAdmins, {org_id});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::int64_t> insert_invitation(Connection& c, std::int64_t org_id, const std::string& email,
                                       const std::string& role, const std::string& token_hash,
                                       std::optional<std::int64_t> invited_by, std::int64_t now,
                                       std::int64_t expires_at) {
    auto rows = c.query(kInsertInvitation, {org_id, email, role, token_hash, opt(invited_by), now, expires_at});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

static InvitationRecord invitation_from(const Row& r) {
    return {r.int64(0), r.int64(1), r.text(2), r.text(3), r.int64(4), r.int64(5), r.opt_int64(6)};
}

Result<std::optional<InvitationRecord>> accept_invitation(Connection& c, const std::string& token_hash,
                                                          std::int64_t now) {
    auto rows = c.query(kAcceptInvitation, {now, token_hash, now});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<InvitationRecord>{};
    return std::optional<InvitationRecord>(invitation_from(rows.value()[0]));
}

Result<std::vector<InvitationRecord>> pending_invitations(Connection& c, std::int64_t org_id, std::int64_t now) {
    auto rows = c.query(kPendingInvitations, {org_id, now});
    if (!rows) return rows.error();
    std::vector<InvitationRecord> out;
    for (const auto& r : rows.value()) out.push_back(invitation_from(r));
    return out;
}

Result<std::vector<ClaimRecord>> pending_claims(Connection& c) {
    auto rows = c.query(
        "SELECT m.org_id, o.kind, o.name, o.siret, m.user_id, u.email, u.display_name, m.message, m.created_at "
        "FROM memberships m JOIN organisations o ON o.id = m.org_id JOIN users u ON u.id = m.user_id "
        "WHERE o.claimed = 0 AND m.status = 'requested' ORDER BY m.created_at, m.org_id, m.user_id");
    if (!rows) return rows.error();
    std::vector<ClaimRecord> out;
    for (const auto& r : rows.value())
        out.push_back(
            {r.int64(0), r.text(1), r.text(2), r.text(3), r.int64(4), r.text(5), r.text(6), r.text(7), r.int64(8)});
    return out;
}

Status set_claimed(Connection& c, std::int64_t org_id, bool claimed, std::int64_t now) {
    if (auto s = to_status(c.exec("UPDATE organisations SET claimed = ?, updated_at = ? WHERE id = ?",
                                  {std::int64_t{claimed ? 1 : 0}, now, org_id}));
        !s)
        return s;
    return search_outbox::enqueue(c, "company", org_id, now);
}

Result<std::unordered_map<std::int64_t, SourcingProfile>> sourcing_profiles(Connection& c,
                                                                            const std::string& division) {
    std::unordered_map<std::int64_t, SourcingProfile> out;
    auto profile = [&](const Row& r) -> SourcingProfile& {
        auto& p = out[r.int64(0)];
        p.id = r.int64(0);
        p.siret = r.text(1);
        p.name = r.text(2);
        return p;
    };
    auto skills = c.query(
        "SELECT o.id, o.siret, o.name, k.cpv_code FROM organisation_cpv k JOIN organisations o ON o.id = k.org_id "
        "WHERE o.kind = 'company' AND substr(k.cpv_code, 1, 2) = ? ORDER BY o.id, k.cpv_code",
        {division});
    if (!skills) return skills.error();
    for (const auto& r : skills.value()) profile(r).cpv_codes.push_back(r.text(3));
    auto labels = c.query(
        "SELECT o.id, o.siret, o.name, l.label FROM organisation_labels l JOIN organisations o ON o.id = l.org_id "
        "WHERE o.kind = 'company' ORDER BY o.id, l.label");
    if (!labels) return labels.error();
    for (const auto& r : labels.value()) profile(r).labels.push_back(r.text(3));
    auto deps = c.query(
        "SELECT d.org_id, d.departement FROM organisation_departements d JOIN organisations o ON o.id = d.org_id "
        "WHERE o.kind = 'company' ORDER BY d.org_id, d.departement");
    if (!deps) return deps.error();
    for (const auto& r : deps.value())
        if (auto it = out.find(r.int64(0)); it != out.end()) it->second.departements.push_back(r.text(1));
    return out;
}

Result<std::unordered_map<std::string, std::int64_t>> org_ids_by_siret(Connection& c) {
    auto rows = c.query("SELECT siret, id FROM organisations");
    if (!rows) return rows.error();
    std::unordered_map<std::string, std::int64_t> out;
    for (const auto& r : rows.value()) out.emplace(r.text(0), r.int64(1));
    return out;
}

Result<std::int64_t> invitations_since(Connection& c, std::int64_t org_id, std::int64_t since) {
    auto rows = c.query(kInvitationsSince, {org_id, since});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Status set_vetting(Connection& c, std::int64_t org_id, const std::string& vetting, const std::string& note,
                   std::optional<std::int64_t> by_user, std::int64_t now) {
    auto r = c.exec(kSetVetting, {vetting, note, by_user ? Value(*by_user) : Value(Null{}), now, now, org_id});
    if (!r) return r.error();
    if (r.value() == 0) return Error::NotFound("Organisation introuvable.");
    return {};
}

Status set_suspended(Connection& c, std::int64_t org_id, std::optional<std::int64_t> at, std::int64_t now) {
    auto r = c.exec(kSetSuspended, {at ? Value(*at) : Value(Null{}), now, org_id});
    if (!r) return r.error();
    if (r.value() == 0) return Error::NotFound("Organisation introuvable.");
    return {};
}

Result<std::vector<VettingRequest>> vetting_requests(Connection& c, const std::string& vetting) {
    auto rows =
        c.query(std::string(kOrgColumns) + "WHERE kind = 'buyer' AND vetting = ? ORDER BY created_at, id", {vetting});
    if (!rows) return rows.error();
    std::vector<VettingRequest> out;
    for (const auto& r : rows.value()) {
        auto o = org_from(c, r, false);
        if (!o) return o.error();
        VettingRequest v;
        v.org = std::move(o.value());
        auto admin = c.query(kFirstAdmin, {v.org.id});
        if (!admin) return admin.error();
        if (!admin->empty()) {
            v.requester_email = admin.value()[0].text(0);
            v.requester_name = admin.value()[0].text(1);
        }
        auto same = c.query(kContractsOfBuyer, {v.org.id});
        if (!same) return same.error();
        v.contracts_same_siret = same.value()[0].int64(0);
        // SIRETs of one SIREN share its nine digits: a range scan of digits, not a LIKE (digits sort alike in
        // every collation).
        const std::string siren = v.org.siret.substr(0, 9);
        const std::string first = siren + "00000", last = siren + "99999";
        auto siren_count = c.query(kContractsOfBuyerSiren, {first, last});
        if (!siren_count) return siren_count.error();
        v.contracts_same_siren = siren_count.value()[0].int64(0);
        auto profile = c.query(kOpenDataProfileOfSiren, {first, last});
        if (!profile) return profile.error();
        if (!profile->empty()) v.open_data_profile = profile.value()[0].int64(0);
        out.push_back(std::move(v));
    }
    return out;
}

}  // namespace passerelle::storage::orgs
