#include "core/policy.hpp"

#include <algorithm>

namespace passerelle::core {

std::string platform_role_code(PlatformRole r) {
    switch (r) {
        case PlatformRole::kOrganiser:
            return "organiser";
        case PlatformRole::kFacilitator:
            return "facilitator";
        case PlatformRole::kAdministrator:
            return "administrator";
    }
    return "";
}

std::optional<PlatformRole> parse_platform_role(const std::string& code) {
    if (code == "organiser") return PlatformRole::kOrganiser;
    if (code == "facilitator") return PlatformRole::kFacilitator;
    if (code == "administrator") return PlatformRole::kAdministrator;
    return std::nullopt;
}

std::string platform_role_label(PlatformRole r) {
    switch (r) {
        case PlatformRole::kOrganiser:
            return "Organisateur";
        case PlatformRole::kFacilitator:
            return "Facilitateur";
        case PlatformRole::kAdministrator:
            return "Administrateur";
    }
    return "";
}

std::string member_role_code(MemberRole r) { return r == MemberRole::kAdmin ? "admin" : "member"; }

std::optional<MemberRole> parse_member_role(const std::string& code) {
    if (code == "admin") return MemberRole::kAdmin;
    if (code == "member") return MemberRole::kMember;
    return std::nullopt;
}

bool Actor::has_role(PlatformRole r) const { return std::find(roles.begin(), roles.end(), r) != roles.end(); }

const Membership* Actor::membership(std::int64_t org_id) const {
    for (const auto& m : memberships)
        if (m.org_id == org_id) return &m;
    return nullptr;
}

bool Actor::is_buyer_agent() const {
    return std::any_of(memberships.begin(), memberships.end(),
                       [](const Membership& m) { return m.org_kind == OrgKind::kBuyer && m.vetted; });
}

bool Actor::awaits_vetting() const {
    return std::any_of(memberships.begin(), memberships.end(),
                       [](const Membership& m) { return m.org_kind == OrgKind::kBuyer && !m.vetted; });
}

const char* const kVettingRefusal =
    "Votre organisation acheteuse n'est pas encore vérifiée par l'équipe de Passerelle (ou elle est suspendue) : "
    "vous pouvez préparer des brouillons, mais rien n'est publié et les coordonnées des entreprises ne vous sont pas "
    "accessibles avant sa validation.";

std::string vetting_refusal(const Actor& a, Action action, const Target& t) {
    if (action != Action::kPublishProcurement && action != Action::kReadCompanyContacts) return "";
    if (decide(a, action, t) == Decision::kAllow) return "";
    const Membership* m = t.org_id ? a.membership(*t.org_id) : nullptr;
    const bool waiting = m ? (m->org_kind == OrgKind::kBuyer && !m->vetted) : a.awaits_vetting();
    if (!waiting) return "";
    return kVettingRefusal;
}

Decision decide(const Actor& a, Action action, const Target& t) {
    if (action == Action::kViewPublic) return Decision::kAllow;
    if (a.anonymous()) return Decision::kLoginRequired;
    const bool admin = a.has_role(PlatformRole::kAdministrator);
    auto yes = [](bool b) { return b ? Decision::kAllow : Decision::kForbidden; };
    const Membership* m = t.org_id ? a.membership(*t.org_id) : nullptr;

    switch (action) {
        case Action::kViewPublic:
            return Decision::kAllow;
        case Action::kViewOwnSpace:
            return Decision::kAllow;
        case Action::kCreateOrganisation:
        case Action::kRequestMembership:
            return yes(a.email_verified);
        case Action::kViewOrganisationPrivate:
            return yes(admin || m != nullptr);
        case Action::kEditOrganisation:
        case Action::kManageMembers:
            return yes(admin || (m && m->role == MemberRole::kAdmin));
        case Action::kPrepareProcurement:
            // Any active member of the buyer organisation prepares for it; the target must be a buyer.
            return yes(m && m->org_kind == OrgKind::kBuyer && t.org_kind.value_or(m->org_kind) == OrgKind::kBuyer);
        case Action::kPublishProcurement:
            // Publishing takes a vetted organisation as well.
            return yes(m && m->org_kind == OrgKind::kBuyer && m->vetted &&
                       t.org_kind.value_or(m->org_kind) == OrgKind::kBuyer);
        case Action::kReadCompanyContacts:
            if (admin || a.has_role(PlatformRole::kFacilitator)) return Decision::kAllow;
            if (t.org_id) return yes(m && m->org_kind == OrgKind::kBuyer && m->vetted);
            return yes(a.is_buyer_agent());
        case Action::kManageEvents:
        case Action::kWriteNews:
        case Action::kModerate:
            return yes(admin || a.has_role(PlatformRole::kOrganiser));
        case Action::kFollowClauses:
            return yes(admin || a.has_role(PlatformRole::kFacilitator));
        case Action::kAdminister:
        case Action::kSetPlatformRole:
            return yes(admin);
    }
    return Decision::kForbidden;
}

}  // namespace passerelle::core
