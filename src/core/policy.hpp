// The authorisation policy: the one place that answers "may this actor do this action on this object?".
//
// Every handler asks here before acting. Pure function over the actor's roles and memberships and the
// target's identity; no I/O. Anonymous actors are told to log in (kLoginRequired), logged-in actors
// without the right are refused (kForbidden).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/organisation.hpp"

namespace passerelle::core {

// Platform-wide roles, held by a user regardless of organisation.
enum class PlatformRole { kOrganiser, kFacilitator, kAdministrator };
std::string platform_role_code(PlatformRole r);
std::optional<PlatformRole> parse_platform_role(const std::string& code);
std::string platform_role_label(PlatformRole r);

// Roles inside an organisation.
enum class MemberRole { kMember, kAdmin };
std::string member_role_code(MemberRole r);
std::optional<MemberRole> parse_member_role(const std::string& code);

struct Membership {
    std::int64_t org_id = 0;
    OrgKind org_kind = OrgKind::kCompany;
    MemberRole role = MemberRole::kMember;
    // The organisation is vetted and not suspended. A buyer organisation declared by a person is not, until a
    // platform administrator approves it (or an agent's shared identity vouches for its SIRET): its members
    // prepare drafts, nothing they write is public, and they read no company's contact data.
    bool vetted = true;
};

struct Actor {
    std::optional<std::int64_t> user_id;  // empty: anonymous visitor
    bool email_verified = false;
    std::vector<PlatformRole> roles;
    std::vector<Membership> memberships;  // active memberships only

    bool anonymous() const { return !user_id.has_value(); }
    bool has_role(PlatformRole r) const;
    const Membership* membership(std::int64_t org_id) const;
    bool is_buyer_agent() const;  // member of at least one vetted buyer organisation
    bool awaits_vetting() const;  // member of a buyer organisation not vetted (yet)
};

enum class Action {
    kViewPublic,               // public pages and open data
    kViewOwnSpace,             // /mon-espace
    kCreateOrganisation,       // declare a new organisation (becomes its admin)
    kRequestMembership,        // ask to join an existing organisation
    kViewOrganisationPrivate,  // members list, pending requests
    kEditOrganisation,         // profile
    kManageMembers,            // invite, approve requests, change roles, remove
    kPrepareProcurement,       // drafts of roadmap items and notices for a buyer organisation (vetted or not)
    kPublishProcurement,       // make them public, and change what is public: vetted buyer organisations only
    kReadCompanyContacts,      // sourcing, the companies interested in a purchase: vetted buyers, facilitators
    kManageEvents,             // organiser
    kWriteNews,                // organiser
    kModerate,                 // organiser: reports on the co-contracting exchange, hide content, suspend
    kFollowClauses,            // facilitator workspace
    kAdminister,               // administrator pages: organisations, users, roles, audit
    kSetPlatformRole,          // grant or remove organiser/facilitator/administrator
};

struct Target {
    std::optional<std::int64_t> org_id;
    std::optional<OrgKind> org_kind;
};

enum class Decision { kAllow, kLoginRequired, kForbidden };

Decision decide(const Actor& actor, Action action, const Target& target = {});
// Why `decide` refused, in French, when the reason is the organisation's vetting (kVettingRefusal); "" otherwise.
extern const char* const kVettingRefusal;
std::string vetting_refusal(const Actor& actor, Action action, const Target& target = {});
inline bool allowed(const Actor& a, Action act, const Target& t = {}) { return decide(a, act, t) == Decision::kAllow; }

}  // namespace passerelle::core
