// Organisations storage: profiles, labels, CPV skills, départements, memberships and invitations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage::orgs {

struct OrgRecord {
    std::int64_t id = 0;
    std::string kind;
    std::string siret;
    std::string name;
    std::string search_name;  // folded name (no accents, lower case), for the directory search
    std::string legal_form;
    std::string size;
    std::string description;
    std::string website;
    std::string buyer_kind;
    std::string departement;
    bool claimed = true;
    // Buyers only: "verified" (demo, open data claimed through an administrator, an agent's shared identity,
    // an administrator's approval), "pending" (declared by a person, waiting), "refused".
    std::string vetting = "verified";
    std::string vetting_note;                  // the administrator's reason, shown to the requester
    std::optional<std::int64_t> suspended_at;  // suspended by an administrator: nothing of it is public
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::vector<std::string> labels;
    std::vector<std::string> cpv_codes;
    std::vector<std::string> departements;
};

struct MemberRecord {
    std::int64_t org_id = 0;
    std::int64_t user_id = 0;
    std::string email;
    std::string display_name;
    std::string role;    // member | admin
    std::string status;  // active | requested
    std::string message;
    std::int64_t created_at = 0;
};

struct MembershipOfUser {
    std::int64_t org_id = 0;
    std::string org_kind;
    std::string org_name;
    std::string siret;
    std::string role;
    std::string status;
    bool elected = false;  // an elected official's mandate (from the identity provider)
    bool vetted = true;    // the organisation is verified and not suspended
};

struct InvitationRecord {
    std::int64_t id = 0;
    std::int64_t org_id = 0;
    std::string email;
    std::string role;
    std::int64_t created_at = 0;
    std::int64_t expires_at = 0;
    std::optional<std::int64_t> accepted_at;
};

struct OrgFilter {
    std::string kind;       // empty: both
    std::string name_like;  // folded text to look for in the name
    std::string label;
    std::string departement;
    bool claimed_only = false;  // leave out the profiles created from open data and not claimed
};

// Every change of a company profile (insert, update, claim) is recorded in the search outbox in the same
// transaction: the directory is searched through the index.
// Inserts the profile with its labels, skills and départements; kConflict when the SIRET exists.
Result<std::int64_t> insert_org(Connection& c, const OrgRecord& o, std::int64_t now);
// Replaces the profile (SIRET and kind are not changed here).
Status update_org(Connection& c, const OrgRecord& o, std::int64_t now);
Result<std::optional<OrgRecord>> find_org(Connection& c, std::int64_t id);
Result<std::optional<OrgRecord>> find_org_by_siret(Connection& c, const std::string& siret);
Result<std::vector<OrgRecord>> list_orgs(Connection& c, const OrgFilter& f, std::int64_t limit, std::int64_t offset);
Result<std::int64_t> count_orgs(Connection& c, const OrgFilter& f);

Status upsert_membership(Connection& c, std::int64_t org_id, std::int64_t user_id, const std::string& role,
                         const std::string& status, const std::string& message, std::int64_t now);
Status delete_membership(Connection& c, std::int64_t org_id, std::int64_t user_id);
Result<std::vector<MemberRecord>> list_members(Connection& c, std::int64_t org_id);
Result<std::vector<MembershipOfUser>> memberships_of_user(Connection& c, std::int64_t user_id);
Result<std::int64_t> count_active_admins(Connection& c, std::int64_t org_id);

// A request to manage a profile created from open data (unclaimed), waiting for a platform administrator.
struct ClaimRecord {
    std::int64_t org_id = 0;
    std::string org_kind;
    std::string org_name;
    std::string siret;
    std::int64_t user_id = 0;
    std::string email;
    std::string display_name;
    std::string message;
    std::int64_t created_at = 0;
};
Result<std::vector<ClaimRecord>> pending_claims(Connection& c);
// SIRET -> organisation id, for every organisation (the imports' cache).
Result<std::unordered_map<std::string, std::int64_t>> org_ids_by_siret(Connection& c);
Status set_claimed(Connection& c, std::int64_t org_id, bool claimed, std::int64_t now);

// Vetting of buyer organisations declared by people.
Status set_vetting(Connection& c, std::int64_t org_id, const std::string& vetting, const std::string& note,
                   std::optional<std::int64_t> by_user, std::int64_t now);
Status set_suspended(Connection& c, std::int64_t org_id, std::optional<std::int64_t> at, std::int64_t now);
// What an administrator sees of a buyer organisation waiting to be vetted.
struct VettingRequest {
    OrgRecord org;
    std::string requester_email;  // its first administrator
    std::string requester_name;
    std::int64_t contracts_same_siret = 0;          // awarded contracts (DECP) whose buyer has this SIRET
    std::int64_t contracts_same_siren = 0;          // … or another establishment of the same SIREN
    std::optional<std::int64_t> open_data_profile;  // an unclaimed profile of the same SIREN
};
Result<std::vector<VettingRequest>> vetting_requests(Connection& c, const std::string& vetting);

// What the sourcing knows of a company profile: declared skills of one CPV division, labels, départements.
struct SourcingProfile {
    std::int64_t id = 0;
    std::string siret;
    std::string name;
    std::vector<std::string> labels;
    std::vector<std::string> cpv_codes;  // of the division asked for only
    std::vector<std::string> departements;
};
// Companies declaring a skill in `division`, and companies with a label; keyed by organisation id.
Result<std::unordered_map<std::int64_t, SourcingProfile>> sourcing_profiles(Connection& c, const std::string& division);

Result<std::int64_t> insert_invitation(Connection& c, std::int64_t org_id, const std::string& email,
                                       const std::string& role, const std::string& token_hash,
                                       std::optional<std::int64_t> invited_by, std::int64_t now,
                                       std::int64_t expires_at);
// Marks the invitation accepted and returns it, or nullopt when unknown, used or expired.
Result<std::optional<InvitationRecord>> accept_invitation(Connection& c, const std::string& token_hash,
                                                          std::int64_t now);
Result<std::vector<InvitationRecord>> pending_invitations(Connection& c, std::int64_t org_id, std::int64_t now);
// How many invitations the organisation sent since `since`.
Result<std::int64_t> invitations_since(Connection& c, std::int64_t org_id, std::int64_t since);

}  // namespace passerelle::storage::orgs
