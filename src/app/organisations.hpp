// OrganisationService: creating and editing buyer and company profiles, and the membership workflow
// (request to join, approval by an admin, invitations by e-mail, roles). Every call asks the policy first.
//
// Errors: kForbidden / kUnauthenticated from the policy, kInvalidInput with field messages, kConflict
// (SIRET already registered, last admin), kNotFound.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "app/reference.hpp"
#include "core/clock.hpp"
#include "core/organisation.hpp"
#include "core/pagination.hpp"
#include "core/policy.hpp"
#include "storage/database.hpp"
#include "storage/org_store.hpp"
#include "storage/withdrawal_store.hpp"

namespace passerelle::app {

struct OrgPage {
    std::vector<storage::orgs::OrgRecord> items;
    std::int64_t total = 0;
};

// A profile created from open data (imports, awards to an unknown company): not claimed, no member, its
// name kept to 200 bytes and folded for the directory search.
storage::orgs::OrgRecord unclaimed_profile(const std::string& kind, const std::string& siret, const std::string& name);

class OrganisationService {
  public:
    OrganisationService(storage::Database& db, const core::Clock& clock, ReferenceService& reference,
                        std::string base_url);

    Result<std::int64_t> create(const core::Actor& actor, const core::OrganisationInput& in);
    Status update(const core::Actor& actor, std::int64_t org_id, core::OrganisationInput in);
    Result<storage::orgs::OrgRecord> get(std::int64_t org_id);
    Result<storage::orgs::OrgRecord> get_by_siret(const std::string& siret);
    Result<OrgPage> list(const storage::orgs::OrgFilter& filter, const core::Page& page);

    Result<std::vector<storage::orgs::MemberRecord>> members(const core::Actor& actor, std::int64_t org_id);
    Result<std::vector<storage::orgs::MembershipOfUser>> memberships_of(std::int64_t user_id);
    Result<std::vector<storage::orgs::InvitationRecord>> invitations(const core::Actor& actor, std::int64_t org_id);

    Status request_membership(const core::Actor& actor, std::int64_t org_id, const std::string& message);
    Status decide_membership(const core::Actor& actor, std::int64_t org_id, std::int64_t user_id, bool accept);
    // Profiles created from open data (unclaimed) have no one to approve a request: a person asks to manage
    // one (claim), a platform administrator checks and decides; accepted, the person becomes its
    // administrator and the profile is claimed.
    Status claim(const core::Actor& actor, std::int64_t org_id, const std::string& message);
    Result<std::vector<storage::orgs::ClaimRecord>> claims(const core::Actor& actor);
    Status decide_claim(const core::Actor& actor, std::int64_t org_id, std::int64_t user_id, bool accept);
    // Buyer organisations declared by people wait for a platform administrator ("pending"), who approves
    // ("verified") or refuses them with a reason sent to the requester. kForbidden for anyone else.
    Result<std::vector<storage::orgs::VettingRequest>> vetting_queue(const core::Actor& actor);
    Status decide_vetting(const core::Actor& actor, std::int64_t org_id, bool approve, const std::string& note);
    // Suspends an organisation (administrators): what it published is withdrawn, and comes back when the
    // suspension is lifted. Returns how many notices and roadmap items changed.
    Result<std::int64_t> set_suspended(const core::Actor& actor, std::int64_t org_id, bool suspended);
    // What suspensions withdrew from public view, newest first, and putting one back (administrators).
    Result<std::vector<storage::withdrawals::WithdrawnRecord>> withdrawn(const core::Actor& actor);
    Result<bool> reinstate(const core::Actor& actor, const std::string& kind, std::int64_t id);
    Status set_member_role(const core::Actor& actor, std::int64_t org_id, std::int64_t user_id,
                           const std::string& role);
    Status remove_member(const core::Actor& actor, std::int64_t org_id, std::int64_t user_id);
    Result<std::int64_t> invite(const core::Actor& actor, std::int64_t org_id, const std::string& email,
                                const std::string& role);
    // The invited person, logged in with the invited address, accepts; returns the organisation id.
    Result<std::int64_t> accept_invitation(const core::Actor& actor, const std::string& token);

  private:
    Status authorise(const core::Actor& actor, core::Action action, std::int64_t org_id);
    Result<core::OrganisationProfile> validate(const core::OrganisationInput& in);

    storage::Database& db_;
    const core::Clock& clock_;
    ReferenceService& reference_;
    std::string base_url_;
};

Status policy_status(core::Decision d);
// decide() as a Status, with the French reason when the refusal comes from the organisation's vetting.
Status policy_status(const core::Actor& actor, core::Action action, const core::Target& target = {});
// What may be done to a notice or roadmap item of `org_id` in `status`: a draft is prepared, whatever is
// public is changed only by a vetted organisation.
core::Action procurement_action(const std::string& status);

}  // namespace passerelle::app
