#include "app/organisations.hpp"

#include "app/crypto.hpp"
#include "app/mail_templates.hpp"
#include "core/fold.hpp"
#include "core/validation.hpp"
#include "storage/accounts_store.hpp"
#include "storage/outbox_store.hpp"
#include "storage/search_outbox_store.hpp"
#include "storage/withdrawal_store.hpp"

namespace passerelle::app {

namespace orgs = storage::orgs;
using core::Error;
using storage::Connection;
using storage::fetch;

Status policy_status(core::Decision d) {
    switch (d) {
        case core::Decision::kAllow:
            return {};
        case core::Decision::kLoginRequired:
            return Error::Unauthenticated("Connectez-vous pour continuer.");
        case core::Decision::kForbidden:
            return Error::Forbidden("Vous n'avez pas les droits nécessaires pour cette action.");
    }
    return Error::Forbidden("Action refusée.");
}

Status policy_status(const core::Actor& actor, core::Action action, const core::Target& target) {
    const core::Decision d = core::decide(actor, action, target);
    if (d == core::Decision::kForbidden)
        if (auto why = core::vetting_refusal(actor, action, target); !why.empty()) return Error::Forbidden(why);
    return policy_status(d);
}

core::Action procurement_action(const std::string& status) {
    return status == "draft" ? core::Action::kPrepareProcurement : core::Action::kPublishProcurement;
}

OrganisationService::OrganisationService(storage::Database& db, const core::Clock& clock, ReferenceService& reference,
                                         std::string base_url)
    : db_(db), clock_(clock), reference_(reference), base_url_(std::move(base_url)) {}

Status OrganisationService::authorise(const core::Actor& actor, core::Action action, std::int64_t org_id) {
    auto org = get(org_id);
    if (!org) return org.error();
    core::Target t{org_id, core::parse_org_kind(org->kind)};
    return policy_status(core::decide(actor, action, t));
}

Result<core::OrganisationProfile> OrganisationService::validate(const core::OrganisationInput& in) {
    auto profile = core::validate_organisation(in);
    core::FieldErrors fields;
    if (!profile) fields = profile.error().fields;
    if (!fields.count("cpv_codes")) {
        auto problem = reference_.check_cpv_codes(in.cpv_codes);
        if (!problem) return problem.error();
        if (!problem->empty()) fields["cpv_codes"] = *problem;
    }
    if (!fields.count("departements")) {
        auto unknown = reference_.first_unknown_departement(in.departements);
        if (!unknown) return unknown.error();
        if (!unknown->empty())
            fields["departements"] = "Le département " + *unknown + " n'est pas dans le référentiel géographique.";
    }
    if (in.kind == "buyer" && !fields.count("departement")) {
        auto unknown = reference_.first_unknown_departement({in.departement});
        if (!unknown) return unknown.error();
        if (!unknown->empty())
            fields["departement"] = "Le département " + *unknown + " n'est pas dans le référentiel géographique.";
    }
    // The reference checks come after the core's: the summary follows the form (templates/_org_fields).
    fields.order_as({"kind", "name", "siret", "legal_form", "size", "labels", "cpv_codes", "departements", "buyer_kind",
                     "departement", "description", "website"});
    if (!fields.empty()) return Error::Invalid("Le formulaire contient des erreurs.", std::move(fields));
    return profile;
}

static orgs::OrgRecord to_record(const core::OrganisationProfile& p) {
    orgs::OrgRecord r;
    r.kind = core::org_kind_code(p.kind);
    r.siret = p.siret;
    r.name = p.name;
    r.search_name = core::fold(p.name);
    r.legal_form = p.legal_form;
    r.size = p.size;
    r.description = p.description;
    r.website = p.website;
    r.buyer_kind = p.buyer_kind;
    r.departement = p.departement;
    r.labels = p.labels;
    r.cpv_codes = p.cpv_codes;
    r.departements = p.departements;
    return r;
}

orgs::OrgRecord unclaimed_profile(const std::string& kind, const std::string& siret, const std::string& name) {
    orgs::OrgRecord o;
    o.kind = kind;
    o.siret = siret;
    o.name = name.substr(0, 200);
    o.search_name = core::fold(o.name);
    o.claimed = false;
    return o;
}

Result<std::int64_t> OrganisationService::create(const core::Actor& actor, const core::OrganisationInput& in) {
    if (auto s = policy_status(core::decide(actor, core::Action::kCreateOrganisation)); !s) {
        if (s.error().code == core::ErrorCode::kForbidden && !actor.email_verified)
            return Error::Forbidden("Confirmez d'abord votre adresse e-mail (lien reçu par e-mail).");
        return s.error();
    }
    auto profile = validate(in);
    if (!profile) return profile.error();
    auto record = to_record(*profile);
    // A buyer declared by a person is vetted before it publishes or reads companies' contacts (a platform
    // administrator declaring one vouches for it).
    if (record.kind == "buyer" && !actor.has_role(core::PlatformRole::kAdministrator)) record.vetting = "pending";
    std::int64_t id = 0;
    Status st = db_.transaction([&](Connection& c) -> Status {
        auto created = orgs::insert_org(c, record, clock_.now());
        if (!created) {
            if (created.error().code == core::ErrorCode::kConflict)
                return Error::Conflict("Cette organisation existe déjà.",
                                       {{"siret",
                                         "Une organisation avec ce SIRET existe déjà sur Passerelle : "
                                         "demandez à la rejoindre depuis sa fiche, ou revendiquez-la si son "
                                         "profil vient des données publiques."}});
            return created.error();
        }
        id = created.value();
        return orgs::upsert_membership(c, id, *actor.user_id, "admin", "active", "", clock_.now());
    });
    if (!st) return st.error();
    return id;
}

Status OrganisationService::update(const core::Actor& actor, std::int64_t org_id, core::OrganisationInput in) {
    auto existing = get(org_id);
    if (!existing) return existing.error();
    if (auto s = policy_status(
            core::decide(actor, core::Action::kEditOrganisation, {org_id, core::parse_org_kind(existing->kind)}));
        !s)
        return s;
    // Identity fields are fixed after creation.
    in.kind = existing->kind;
    in.siret = existing->siret;
    auto profile = validate(in);
    if (!profile) return profile.error();
    orgs::OrgRecord r = to_record(*profile);
    r.id = org_id;
    return db_.transaction([&](Connection& c) { return orgs::update_org(c, r, clock_.now()); });
}

Result<orgs::OrgRecord> OrganisationService::get(std::int64_t org_id) {
    auto o = fetch<std::optional<orgs::OrgRecord>>(db_, [&](Connection& c) { return orgs::find_org(c, org_id); });
    if (!o) return o.error();
    if (!o.value()) return Error::NotFound("Cette organisation n'existe pas.");
    return std::move(*o.value());
}

Result<orgs::OrgRecord> OrganisationService::get_by_siret(const std::string& siret) {
    auto o =
        fetch<std::optional<orgs::OrgRecord>>(db_, [&](Connection& c) { return orgs::find_org_by_siret(c, siret); });
    if (!o) return o.error();
    if (!o.value()) return Error::NotFound("Aucune organisation avec ce SIRET.");
    return std::move(*o.value());
}

Result<OrgPage> OrganisationService::list(const orgs::OrgFilter& filter, const core::Page& page) {
    return fetch<OrgPage>(db_, [&](Connection& c) -> Result<OrgPage> {
        OrgPage out;
        auto total = orgs::count_orgs(c, filter);
        if (!total) return total.error();
        out.total = total.value();
        auto items = orgs::list_orgs(c, filter, page.per_page, page.offset());
        if (!items) return items.error();
        out.items = std::move(items.value());
        return out;
    });
}

Result<std::vector<orgs::MemberRecord>> OrganisationService::members(const core::Actor& actor, std::int64_t org_id) {
    if (auto s = authorise(actor, core::Action::kViewOrganisationPrivate, org_id); !s) return s.error();
    return fetch<std::vector<orgs::MemberRecord>>(db_, [&](Connection& c) { return orgs::list_members(c, org_id); });
}

Result<std::vector<orgs::MembershipOfUser>> OrganisationService::memberships_of(std::int64_t user_id) {
    return fetch<std::vector<orgs::MembershipOfUser>>(
        db_, [&](Connection& c) { return orgs::memberships_of_user(c, user_id); });
}

Result<std::vector<orgs::InvitationRecord>> OrganisationService::invitations(const core::Actor& actor,
                                                                             std::int64_t org_id) {
    if (auto s = authorise(actor, core::Action::kManageMembers, org_id); !s) return s.error();
    return fetch<std::vector<orgs::InvitationRecord>>(
        db_, [&](Connection& c) { return orgs::pending_invitations(c, org_id, clock_.now()); });
}

namespace {

// Asking to join (or to manage) an organisation: a logged-in person with a verified address.
Status may_ask_to_join(const core::Actor& actor, std::int64_t org_id) {
    auto s = policy_status(core::decide(actor, core::Action::kRequestMembership, {org_id, std::nullopt}));
    if (!s && s.error().code == core::ErrorCode::kForbidden)
        return Error::Forbidden("Confirmez d'abord votre adresse e-mail (lien reçu par e-mail).");
    return s;
}

}  // namespace

Status OrganisationService::request_membership(const core::Actor& actor, std::int64_t org_id,
                                               const std::string& message) {
    auto org = get(org_id);
    if (!org) return org.error();
    if (auto s = may_ask_to_join(actor, org_id); !s) return s;
    std::string text = core::trim(message);
    if (core::utf8_length(text) > 1000 || !core::is_clean_text(text))
        return Error::Invalid("Le formulaire contient des erreurs.",
                              {{"message", "Le message doit compter au plus 1 000 caractères."}});
    return db_.transaction([&](Connection& c) -> Status {
        auto existing = orgs::list_members(c, org_id);
        if (!existing) return existing.error();
        for (const auto& m : existing.value())
            if (m.user_id == *actor.user_id)
                return Error::Conflict(m.status == "active" ? "Vous êtes déjà membre de cette organisation."
                                                            : "Votre demande est déjà en attente.");
        if (auto s = orgs::upsert_membership(c, org_id, *actor.user_id, "member", "requested", text, clock_.now()); !s)
            return s;
        auto me = storage::accounts::find_user(c, *actor.user_id);
        if (!me) return me.error();
        std::string who = me.value() ? me.value()->display_name + " (" + me.value()->email + ")" : "Un utilisateur";
        MailMessage mail = membership_request_mail(base_url_, org->name, who, org_id);
        for (const auto& m : existing.value()) {
            if (m.role != "admin" || m.status != "active") continue;
            auto q = storage::outbox::enqueue(c, m.email, mail.subject, mail.body, clock_.now());
            if (!q) return q.error();
        }
        return {};
    });
}

Status OrganisationService::decide_membership(const core::Actor& actor, std::int64_t org_id, std::int64_t user_id,
                                              bool accept) {
    if (auto s = authorise(actor, core::Action::kManageMembers, org_id); !s) return s;
    auto org = get(org_id);
    if (!org) return org.error();
    return db_.transaction([&](Connection& c) -> Status {
        auto members = orgs::list_members(c, org_id);
        if (!members) return members.error();
        const orgs::MemberRecord* req = nullptr;
        for (const auto& m : members.value())
            if (m.user_id == user_id && m.status == "requested") req = &m;
        if (!req) return Error::NotFound("Cette demande n'existe plus.");
        Status s = accept ? orgs::upsert_membership(c, org_id, user_id, "member", "active", "", clock_.now())
                          : orgs::delete_membership(c, org_id, user_id);
        if (!s) return s;
        MailMessage mail = membership_decision_mail(base_url_, org->name, accept);
        auto q = storage::outbox::enqueue(c, req->email, mail.subject, mail.body, clock_.now());
        if (!q) return q.error();
        return {};
    });
}

Status OrganisationService::claim(const core::Actor& actor, std::int64_t org_id, const std::string& message) {
    auto org = get(org_id);
    if (!org) return org.error();
    if (auto s = may_ask_to_join(actor, org_id); !s) return s;
    if (org->claimed) return Error::Conflict("Ce profil est déjà géré par l'organisation : demandez à la rejoindre.");
    std::string text = core::trim(message);
    if (text.empty() || core::utf8_length(text) > 1000 || !core::is_clean_text(text))
        return Error::Invalid("Le formulaire contient des erreurs.",
                              {{"message",
                                "Dites en quelques mots votre fonction dans la structure (1 000 caractères "
                                "au plus) : l'équipe de Passerelle vérifie chaque demande."}});
    return db_.transaction([&](Connection& c) -> Status {
        auto existing = orgs::list_members(c, org_id);
        if (!existing) return existing.error();
        for (const auto& m : existing.value())
            if (m.user_id == *actor.user_id) return Error::Conflict("Votre demande est déjà en attente.");
        return orgs::upsert_membership(c, org_id, *actor.user_id, "admin", "requested", text, clock_.now());
    });
}

Result<std::vector<orgs::ClaimRecord>> OrganisationService::claims(const core::Actor& actor) {
    if (auto s = policy_status(core::decide(actor, core::Action::kAdminister)); !s) return s.error();
    return fetch<std::vector<orgs::ClaimRecord>>(db_, [](Connection& c) { return orgs::pending_claims(c); });
}

Result<std::vector<orgs::VettingRequest>> OrganisationService::vetting_queue(const core::Actor& actor) {
    if (auto s = policy_status(core::decide(actor, core::Action::kAdminister)); !s) return s.error();
    return storage::fetch<std::vector<orgs::VettingRequest>>(
        db_, [](Connection& c) { return orgs::vetting_requests(c, "pending"); });
}

Status OrganisationService::decide_vetting(const core::Actor& actor, std::int64_t org_id, bool approve,
                                           const std::string& note) {
    if (auto s = policy_status(core::decide(actor, core::Action::kAdminister)); !s) return s;
    auto org = get(org_id);
    if (!org) return org.error();
    if (org->kind != "buyer") return Error::Conflict("Seules les organisations acheteuses sont vérifiées.");
    const std::string reason = core::trim(note);
    if (!approve && reason.empty())
        return Error::Invalid("Indiquez le motif du refus.",
                              {{"note", "Indiquez le motif du refus : il est envoyé au demandeur."}});
    if (core::utf8_length(reason) > 1000 || !core::is_clean_text(reason))
        return Error::Invalid("Motif invalide.",
                              {{"note", "Le motif compte 1 000 caractères au plus, sans caractère de contrôle."}});
    return db_.transaction([&](Connection& c) -> Status {
        if (auto s =
                orgs::set_vetting(c, org_id, approve ? "verified" : "refused", reason, actor.user_id, clock_.now());
            !s)
            return s;
        auto members = orgs::list_members(c, org_id);
        if (!members) return members.error();
        const MailMessage mail = vetting_decision_mail(base_url_, org->name, org_id, approve, reason);
        for (const auto& m : members.value()) {
            if (m.status != "active") continue;
            if (auto q = storage::outbox::enqueue(c, m.email, mail.subject, mail.body, clock_.now()); !q)
                return q.error();
        }
        return {};
    });
}

Result<std::int64_t> OrganisationService::set_suspended(const core::Actor& actor, std::int64_t org_id, bool suspended) {
    if (auto s = policy_status(core::decide(actor, core::Action::kAdminister)); !s) return s.error();
    auto org = get(org_id);
    if (!org) return org.error();
    if (suspended == org->suspended_at.has_value())
        return Error::Conflict(suspended ? "Cette organisation est déjà suspendue."
                                         : "Cette organisation n'est pas suspendue.");
    std::int64_t changed = 0;
    Status st = db_.transaction([&](Connection& c) -> Status {
        const std::int64_t now = clock_.now();
        if (auto s = orgs::set_suspended(c, org_id, suspended ? std::optional<std::int64_t>(now) : std::nullopt, now);
            !s)
            return s;
        // A suspended company leaves the directory's index too (the indexer drops it).
        if (auto s = storage::search_outbox::enqueue(c, "company", org_id, now); !s) return s;
        auto n = suspended ? storage::withdrawals::withdraw_of_organisation(
                                 c, org_id, storage::withdrawals::kOrganisationSuspended, now)
                           : storage::withdrawals::reinstate_of_organisation(
                                 c, org_id, storage::withdrawals::kOrganisationSuspended, now);
        if (!n) return n.error();
        changed = n.value();
        const MailMessage mail = suspension_mail(base_url_, org->name, org_id, suspended);
        auto members = orgs::list_members(c, org_id);
        if (!members) return members.error();
        for (const auto& m : members.value())
            if (m.status == "active")
                if (auto q = storage::outbox::enqueue(c, m.email, mail.subject, mail.body, now); !q) return q.error();
        return {};
    });
    if (!st) return st.error();
    return changed;
}

Result<std::vector<storage::withdrawals::WithdrawnRecord>> OrganisationService::withdrawn(const core::Actor& actor) {
    if (auto s = policy_status(core::decide(actor, core::Action::kAdminister)); !s) return s.error();
    return storage::fetch<std::vector<storage::withdrawals::WithdrawnRecord>>(
        db_, [](Connection& c) { return storage::withdrawals::list(c, 200); });
}

Result<bool> OrganisationService::reinstate(const core::Actor& actor, const std::string& kind, std::int64_t id) {
    if (auto s = policy_status(core::decide(actor, core::Action::kAdminister)); !s) return s.error();
    return storage::fetch<bool>(
        db_, [&](Connection& c) { return storage::withdrawals::reinstate(c, kind, id, clock_.now()); });
}

Status OrganisationService::decide_claim(const core::Actor& actor, std::int64_t org_id, std::int64_t user_id,
                                         bool accept) {
    if (auto s = policy_status(core::decide(actor, core::Action::kAdminister)); !s) return s;
    auto org = get(org_id);
    if (!org) return org.error();
    return db_.transaction([&](Connection& c) -> Status {
        auto pending = orgs::pending_claims(c);
        if (!pending) return pending.error();
        const orgs::ClaimRecord* claim = nullptr;
        for (const auto& p : pending.value())
            if (p.org_id == org_id && p.user_id == user_id) claim = &p;
        if (!claim) return Error::NotFound("Cette demande n'existe plus.");
        const std::string email = claim->email;
        if (accept) {
            if (auto s = orgs::upsert_membership(c, org_id, user_id, "admin", "active", "", clock_.now()); !s) return s;
            if (auto s = orgs::set_claimed(c, org_id, true, clock_.now()); !s) return s;
            // Other pending claims on the profile are answered by its new administrator from now on.
        } else if (auto s = orgs::delete_membership(c, org_id, user_id); !s) {
            return s;
        }
        MailMessage mail = membership_decision_mail(base_url_, org->name, accept);
        auto q = storage::outbox::enqueue(c, email, mail.subject, mail.body, clock_.now());
        if (!q) return q.error();
        return {};
    });
}

namespace {

// The member `user_id` of the organisation (active only, unless any_status), and whether changing them
// would leave the organisation without an active administrator.
struct MemberCheck {
    std::optional<orgs::MemberRecord> member;
    bool last_admin = false;
};

Result<MemberCheck> check_member(Connection& c, std::int64_t org_id, std::int64_t user_id, bool any_status) {
    auto members = orgs::list_members(c, org_id);
    if (!members) return members.error();
    MemberCheck out;
    for (const auto& m : members.value())
        if (m.user_id == user_id && (any_status || m.status == "active")) out.member = m;
    if (!out.member) return Error::NotFound("Ce membre n'existe pas.");
    if (out.member->role == "admin" && out.member->status == "active") {
        auto admins = orgs::count_active_admins(c, org_id);
        if (!admins) return admins.error();
        out.last_admin = admins.value() <= 1;
    }
    return out;
}

const char* kLastAdmin = "L'organisation doit garder au moins un administrateur.";

}  // namespace

Status OrganisationService::set_member_role(const core::Actor& actor, std::int64_t org_id, std::int64_t user_id,
                                            const std::string& role) {
    if (!core::parse_member_role(role)) return Error::Invalid("Rôle inconnu : choisissez membre ou administrateur.");
    if (auto s = authorise(actor, core::Action::kManageMembers, org_id); !s) return s;
    return db_.transaction([&](Connection& c) -> Status {
        auto check = check_member(c, org_id, user_id, false);
        if (!check) return check.error();
        if (check->last_admin && role != "admin") return Error::Conflict(kLastAdmin);
        return orgs::upsert_membership(c, org_id, user_id, role, "active", "", clock_.now());
    });
}

Status OrganisationService::remove_member(const core::Actor& actor, std::int64_t org_id, std::int64_t user_id) {
    if (auto s = authorise(actor, core::Action::kManageMembers, org_id); !s) return s;
    return db_.transaction([&](Connection& c) -> Status {
        auto check = check_member(c, org_id, user_id, true);
        if (!check) return check.error();
        if (check->last_admin) return Error::Conflict(kLastAdmin);
        return orgs::delete_membership(c, org_id, user_id);
    });
}

namespace {
constexpr int kInvitationsPerHour = 20;
}  // namespace

Result<std::int64_t> OrganisationService::invite(const core::Actor& actor, std::int64_t org_id,
                                                 const std::string& email_in, const std::string& role) {
    if (auto s = authorise(actor, core::Action::kManageMembers, org_id); !s) return s.error();
    std::string why;
    auto email = core::normalize_email(email_in, &why);
    if (!email) return Error::Invalid("Le formulaire contient des erreurs.", {{"email", why}});
    if (!core::parse_member_role(role))
        return Error::Invalid("Le formulaire contient des erreurs.", {{"role", "Choisissez un rôle dans la liste."}});
    auto org = get(org_id);
    if (!org) return org.error();
    std::int64_t id = 0;
    Status st = db_.transaction([&](Connection& c) -> Status {
        const std::int64_t now = clock_.now();
        // The platform mails whomever an organisation names: a few an hour, not a mailing tool.
        auto sent = orgs::invitations_since(c, org_id, now - 3600);
        if (!sent) return sent.error();
        if (sent.value() >= kInvitationsPerHour)
            return Error::TooMany("Votre organisation a envoyé " + std::to_string(kInvitationsPerHour) +
                                      " invitations dans l'heure : réessayez plus tard.",
                                  3600);
        auto inviter = storage::accounts::find_user(c, *actor.user_id);
        if (!inviter) return inviter.error();
        std::string token = random_token();
        auto inserted = orgs::insert_invitation(c, org_id, *email, role, sha256_hex(token), actor.user_id, now,
                                                now + 7 * 24 * 3600);
        if (!inserted) return inserted.error();
        id = inserted.value();
        MailMessage m = invitation_mail(base_url_, token, org->name,
                                        inviter.value() ? inviter.value()->display_name : "Un administrateur");
        auto q = storage::outbox::enqueue(c, *email, m.subject, m.body, now);
        if (!q) return q.error();
        return {};
    });
    if (!st) return st.error();
    return id;
}

Result<std::int64_t> OrganisationService::accept_invitation(const core::Actor& actor, const std::string& token) {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous pour accepter l'invitation.");
    std::int64_t org_id = 0;
    Status st = db_.transaction([&](Connection& c) -> Status {
        auto me = storage::accounts::find_user(c, *actor.user_id);
        if (!me) return me.error();
        auto inv = orgs::accept_invitation(c, sha256_hex(token), clock_.now());
        if (!inv) return inv.error();
        if (!inv.value()) return Error::Invalid("Cette invitation n'est plus valide. Demandez-en une nouvelle.");
        if (!me.value() || inv.value()->email != me.value()->email)
            return Error::Forbidden("Cette invitation a été envoyée à une autre adresse e-mail (" + inv.value()->email +
                                    ") : connectez-vous avec celle-ci.");
        org_id = inv.value()->org_id;
        // The invitation link proves the address.
        if (auto s = storage::accounts::mark_email_verified(c, *actor.user_id, clock_.now()); !s) return s;
        return orgs::upsert_membership(c, org_id, *actor.user_id, inv.value()->role, "active", "", clock_.now());
    });
    if (!st) return st.error();
    return org_id;
}

}  // namespace passerelle::app
