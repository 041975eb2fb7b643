// The authorisation matrix, table-driven: every actor kind against every action.
#include "core/policy.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace passerelle::core;

namespace {

constexpr std::int64_t kCompanyA = 1, kCompanyB = 2, kBuyer = 3;

Actor make(std::optional<std::int64_t> id, std::vector<PlatformRole> roles, std::vector<Membership> ms) {
    Actor a;
    a.user_id = id;
    a.email_verified = id.has_value();
    a.roles = std::move(roles);
    a.memberships = std::move(ms);
    return a;
}

const std::map<std::string, Actor>& actors() {
    static const std::map<std::string, Actor> m = {
        {"anonymous", make(std::nullopt, {}, {})},
        {"company_member", make(10, {}, {{kCompanyA, OrgKind::kCompany, MemberRole::kMember}})},
        {"company_admin", make(11, {}, {{kCompanyA, OrgKind::kCompany, MemberRole::kAdmin}})},
        {"other_company_admin", make(12, {}, {{kCompanyB, OrgKind::kCompany, MemberRole::kAdmin}})},
        {"buyer_agent", make(13, {}, {{kBuyer, OrgKind::kBuyer, MemberRole::kMember}})},
        {"facilitator", make(14, {PlatformRole::kFacilitator}, {})},
        {"organiser", make(15, {PlatformRole::kOrganiser}, {})},
        {"administrator", make(16, {PlatformRole::kAdministrator}, {})},
    };
    return m;
}

struct Row {
    const char* name;
    Action action;
    Target target;
    // Expected decision per actor, in the order of the columns below.
    std::string expect;  // one letter per actor: A allow, L login required, F forbidden
};

// Columns: anonymous, company_member, company_admin, other_company_admin, buyer_agent, facilitator, organiser,
// administrator.
const char* kColumns[] = {"anonymous",   "company_member", "company_admin", "other_company_admin",
                          "buyer_agent", "facilitator",    "organiser",     "administrator"};

const Target kOnCompanyA{kCompanyA, OrgKind::kCompany};
const Target kOnBuyer{kBuyer, OrgKind::kBuyer};

const Row kMatrix[] = {
    {"view public", Action::kViewPublic, {}, "AAAAAAAA"},
    {"own space", Action::kViewOwnSpace, {}, "LAAAAAAA"},
    {"create organisation", Action::kCreateOrganisation, {}, "LAAAAAAA"},
    {"request membership", Action::kRequestMembership, kOnCompanyA, "LAAAAAAA"},
    {"view company A private", Action::kViewOrganisationPrivate, kOnCompanyA, "LAAFFFFA"},
    {"edit company A", Action::kEditOrganisation, kOnCompanyA, "LFAFFFFA"},
    {"manage company A members", Action::kManageMembers, kOnCompanyA, "LFAFFFFA"},
    {"edit buyer", Action::kEditOrganisation, kOnBuyer, "LFFFFFFA"},
    {"publish for buyer", Action::kPublishProcurement, kOnBuyer, "LFFFAFFF"},
    {"publish for company A", Action::kPublishProcurement, kOnCompanyA, "LFFFFFFF"},
    {"prepare for buyer", Action::kPrepareProcurement, kOnBuyer, "LFFFAFFF"},
    {"read company contacts (any)", Action::kReadCompanyContacts, {}, "LFFFAAFA"},
    {"read company contacts for buyer", Action::kReadCompanyContacts, kOnBuyer, "LFFFAAFA"},
    {"manage events", Action::kManageEvents, {}, "LFFFFFAA"},
    {"write news", Action::kWriteNews, {}, "LFFFFFAA"},
    {"follow clauses", Action::kFollowClauses, {}, "LFFFFAFA"},
    {"administer", Action::kAdminister, {}, "LFFFFFFA"},
    {"set platform role", Action::kSetPlatformRole, {}, "LFFFFFFA"},
};

char letter(Decision d) { return d == Decision::kAllow ? 'A' : d == Decision::kLoginRequired ? 'L' : 'F'; }

}  // namespace

TEST(Policy, Matrix) {
    for (const auto& row : kMatrix) {
        ASSERT_EQ(row.expect.size(), std::size(kColumns)) << row.name;
        for (std::size_t i = 0; i < std::size(kColumns); ++i) {
            const Actor& a = actors().at(kColumns[i]);
            EXPECT_EQ(letter(decide(a, row.action, row.target)), row.expect[i]) << row.name << " for " << kColumns[i];
        }
    }
}

TEST(Policy, UnverifiedEmailCannotCreateOrganisation) {
    Actor a = make(20, {}, {});
    a.email_verified = false;
    EXPECT_EQ(decide(a, Action::kCreateOrganisation), Decision::kForbidden);
}

TEST(Policy, RoleCodesRoundTrip) {
    for (auto r : {PlatformRole::kOrganiser, PlatformRole::kFacilitator, PlatformRole::kAdministrator})
        EXPECT_EQ(parse_platform_role(platform_role_code(r)), r);
    EXPECT_FALSE(parse_platform_role("root"));
    EXPECT_EQ(parse_member_role("admin"), MemberRole::kAdmin);
}

// Issue 20, item 2: a buyer organisation not vetted (declared by a person, waiting for an administrator, or
// suspended) prepares drafts but publishes nothing and reads no company's contact data; the refusal says why.
TEST(Policy, AnUnvettedBuyerPreparesButNeitherPublishesNorReadsContacts) {
    Membership m{kBuyer, OrgKind::kBuyer, MemberRole::kAdmin};
    m.vetted = false;
    const Actor waiting = make(30, {}, {m});
    EXPECT_EQ(decide(waiting, Action::kPrepareProcurement, kOnBuyer), Decision::kAllow);
    EXPECT_EQ(decide(waiting, Action::kPublishProcurement, kOnBuyer), Decision::kForbidden);
    EXPECT_EQ(decide(waiting, Action::kReadCompanyContacts, kOnBuyer), Decision::kForbidden);
    EXPECT_EQ(decide(waiting, Action::kReadCompanyContacts), Decision::kForbidden);
    EXPECT_FALSE(waiting.is_buyer_agent());
    EXPECT_TRUE(waiting.awaits_vetting());
    EXPECT_NE(vetting_refusal(waiting, Action::kPublishProcurement, kOnBuyer).find("vérifiée"), std::string::npos);
    EXPECT_NE(vetting_refusal(waiting, Action::kReadCompanyContacts).find("vérifiée"), std::string::npos);
    EXPECT_EQ(vetting_refusal(waiting, Action::kPrepareProcurement, kOnBuyer), "");
    // A vetted agent is not told about vetting; nor is a company.
    const Actor& agent = actors().at("buyer_agent");
    EXPECT_EQ(vetting_refusal(agent, Action::kPublishProcurement, kOnBuyer), "");
    EXPECT_EQ(vetting_refusal(actors().at("company_admin"), Action::kPublishProcurement, kOnBuyer), "");
    EXPECT_TRUE(agent.is_buyer_agent());
    EXPECT_FALSE(agent.awaits_vetting());
}
