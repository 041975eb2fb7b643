#include "app/organisations.hpp"

#include "app/demo.hpp"
#include "app/service_fixture.hpp"
#include "storage/accounts_store.hpp"
#include "storage/org_store.hpp"

namespace passerelle::app {

namespace {
core::OrganisationInput company_input() {
    core::OrganisationInput in;
    in.kind = "company";
    in.name = "Atelier Vert";
    in.siret = "73282932000074";
    in.size = "PME";
    in.labels = {"siae_ei"};
    in.cpv_codes = {"90000000-7"};
    in.departements = {"93"};
    return in;
}
}  // namespace

TEST_F(ServiceTest, CreateCompanyMakesTheCreatorAdmin) {
    auto u = signup("alice@exemple.fr");
    auto id = orgs_->create(actor(u), company_input());
    ASSERT_TRUE(id.ok()) << id.error().message;
    auto a = actor(u);
    ASSERT_NE(a.membership(id.value()), nullptr);
    EXPECT_EQ(a.membership(id.value())->role, core::MemberRole::kAdmin);
    auto o = orgs_->get_by_siret("73282932000074");
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o->cpv_codes, std::vector<std::string>{"90000000"});
    EXPECT_EQ(o->search_name, "atelier vert");
}

TEST_F(ServiceTest, UnverifiedUsersCannotCreate) {
    auto u = signup("bob@exemple.fr", /*verify=*/false);
    auto r = orgs_->create(actor(u), company_input());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(count("organisations"), 0);
}

TEST_F(ServiceTest, CpvMustExistWithTheOfficialCheckDigit) {
    auto u = signup("carol@exemple.fr");
    auto in = company_input();
    in.cpv_codes = {"90000000-3"};
    auto r = orgs_->create(actor(u), in);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().fields.at("cpv_codes").find("chiffre de contrôle"), std::string::npos);
    in.cpv_codes = {"90910000"};  // a real code, but not in this database's reference list
    r = orgs_->create(actor(u), in);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().fields.at("cpv_codes").find("n'existe pas"), std::string::npos);
    in.cpv_codes = {"abc"};
    in.departements = {"01"};  // well-formed, but not in the geography loaded here
    r = orgs_->create(actor(u), in);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().fields.count("cpv_codes"));
    EXPECT_TRUE(r.error().fields.count("departements"));
    EXPECT_EQ(count("organisations"), 0);
}

TEST_F(ServiceTest, DuplicateSiretPointsToJoining) {
    auto a = signup("dan@exemple.fr");
    auto b = signup("eve@exemple.fr");
    ASSERT_TRUE(orgs_->create(actor(a), company_input()).ok());
    auto r = orgs_->create(actor(b), company_input());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::kConflict);
    EXPECT_NE(r.error().fields.at("siret").find("demandez à la rejoindre"), std::string::npos);
    EXPECT_EQ(count("memberships"), 1);
}

TEST_F(ServiceTest, OnlyAdminsEditAndSiretIsFixed) {
    auto admin = signup("fay@exemple.fr");
    auto outsider = signup("gus@exemple.fr");
    auto id = orgs_->create(actor(admin), company_input()).value();
    auto in = company_input();
    in.name = "Atelier Vert et Bleu";
    in.siret = "21750001600019";  // ignored: identity is fixed
    auto denied = orgs_->update(actor(outsider), id, in);
    ASSERT_FALSE(denied.ok());
    EXPECT_EQ(denied.error().code, core::ErrorCode::kForbidden);
    ASSERT_TRUE(orgs_->update(actor(admin), id, in).ok());
    auto o = orgs_->get(id).value();
    EXPECT_EQ(o.name, "Atelier Vert et Bleu");
    EXPECT_EQ(o.siret, "73282932000074");
}

TEST_F(ServiceTest, MembershipRequestApprovalAndLastAdmin) {
    auto admin = signup("hal@exemple.fr");
    auto joiner = signup("ida@exemple.fr");
    auto id = orgs_->create(actor(admin), company_input()).value();
    ASSERT_TRUE(orgs_->request_membership(actor(joiner), id, "Je suis la comptable.").ok());
    EXPECT_EQ(mails("hal@exemple.fr").front().subject, "Demande pour rejoindre Atelier Vert");
    auto twice = orgs_->request_membership(actor(joiner), id, "");
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().code, core::ErrorCode::kConflict);
    EXPECT_EQ(actor(joiner).membership(id), nullptr);  // pending is not active
    EXPECT_FALSE(orgs_->decide_membership(actor(joiner), id, joiner, true).ok());
    ASSERT_TRUE(orgs_->decide_membership(actor(admin), id, joiner, true).ok());
    EXPECT_NE(actor(joiner).membership(id), nullptr);
    EXPECT_EQ(mails("ida@exemple.fr").front().subject, "Vous avez rejoint Atelier Vert");
    auto last = orgs_->set_member_role(actor(admin), id, admin, "member");
    ASSERT_FALSE(last.ok());
    EXPECT_NE(last.error().message.find("au moins un administrateur"), std::string::npos);
    ASSERT_TRUE(orgs_->set_member_role(actor(admin), id, joiner, "admin").ok());
    ASSERT_TRUE(orgs_->set_member_role(actor(admin), id, admin, "member").ok());
    ASSERT_TRUE(orgs_->remove_member(actor(joiner), id, admin).ok());
    EXPECT_FALSE(orgs_->remove_member(actor(joiner), id, joiner).ok());  // last admin
}

TEST_F(ServiceTest, InvitationIsForTheInvitedAddressOnly) {
    auto admin = signup("jo@exemple.fr");
    auto invited = signup("kim@exemple.fr");
    auto other = signup("lou@exemple.fr");
    auto id = orgs_->create(actor(admin), company_input()).value();
    ASSERT_TRUE(orgs_->invite(actor(admin), id, "Kim@Exemple.fr", "member").ok());
    std::string token = token_in_mail("kim@exemple.fr");
    ASSERT_FALSE(token.empty());
    EXPECT_FALSE(orgs_->invite(actor(other), id, "x@exemple.fr", "member").ok());
    EXPECT_FALSE(orgs_->invite(actor(admin), id, "pas une adresse", "member").ok());
    EXPECT_EQ(orgs_->invitations(actor(admin), id).value().size(), 1u);
    auto wrong = orgs_->accept_invitation(actor(other), token);
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(count("memberships"), 1);
    // The failed attempt rolled back: the invited person can still accept.
    auto ok = orgs_->accept_invitation(actor(invited), token);
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    EXPECT_EQ(ok.value(), id);
    EXPECT_NE(actor(invited).membership(id), nullptr);
    EXPECT_FALSE(orgs_->accept_invitation(actor(invited), token).ok());
}

TEST_F(ServiceTest, ListFiltersAndPages) {
    auto u = signup("max@exemple.fr");
    for (int i = 0; i < 3; ++i) {
        auto in = company_input();
        in.name = "Société Énergie " + std::to_string(i);
        in.siret = synthetic_siret(i);
        ASSERT_TRUE(orgs_->create(actor(u), in).ok());
    }
    auto page = orgs_->list({"company", "energie", "", ""}, {1, 2}).value();
    EXPECT_EQ(page.total, 3);
    EXPECT_EQ(page.items.size(), 2u);
    EXPECT_EQ(orgs_->list({"buyer", "", "", ""}, {1, 20}).value().total, 0);
}

}  // namespace passerelle::app

namespace passerelle::app {
namespace {

TEST_F(ServiceTest, AProfileFromOpenDataIsClaimedThroughThePlatformAdministrators) {
    // A profile created by an import: unclaimed, no member.
    std::int64_t org = 0;
    ASSERT_TRUE(db_->with_connection([&](storage::Connection& c) -> core::Status {
                       storage::orgs::OrgRecord o;
                       o.kind = "company";
                       o.siret = "80746931700018";
                       o.name = "Baluchon";
                       o.search_name = "baluchon";
                       o.claimed = false;
                       auto id = storage::orgs::insert_org(c, o, 1);
                       if (!id) return id.error();
                       org = id.value();
                       return {};
                   })
                    .ok());
    const std::int64_t someone = signup("direction@baluchon.fr");
    const std::int64_t admin = signup("admin@passerelle.fr");
    ASSERT_TRUE(db_->with_connection([&](storage::Connection& c) {
                       return storage::accounts::grant_role(c, admin, "administrator", 1);
                   })
                    .ok());
    auto empty = orgs_->claim(actor(someone), org, "  ");
    ASSERT_FALSE(empty.ok());
    EXPECT_TRUE(empty.error().fields.count("message"));
    ASSERT_TRUE(orgs_->claim(actor(someone), org, "Directrice").ok());
    EXPECT_EQ(orgs_->claim(actor(someone), org, "Directrice").error().code, core::ErrorCode::kConflict);
    // Only platform administrators see and decide claims.
    EXPECT_EQ(orgs_->claims(actor(someone)).error().code, core::ErrorCode::kForbidden);
    auto pending = orgs_->claims(actor(admin));
    ASSERT_TRUE(pending.ok());
    ASSERT_EQ(pending->size(), 1u);
    EXPECT_EQ(pending->front().email, "direction@baluchon.fr");
    EXPECT_EQ(orgs_->decide_claim(actor(someone), org, someone, true).error().code, core::ErrorCode::kForbidden);
    ASSERT_TRUE(orgs_->decide_claim(actor(admin), org, someone, true).ok());
    EXPECT_TRUE(orgs_->get(org)->claimed);
    const core::Actor now_admin = actor(someone);
    const auto* m = now_admin.membership(org);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->role, core::MemberRole::kAdmin);
    EXPECT_TRUE(orgs_->claims(actor(admin))->empty());
    // A claimed profile is joined, not claimed.
    const std::int64_t other = signup("autre@baluchon.fr");
    EXPECT_EQ(orgs_->claim(actor(other), org, "Salarié").error().code, core::ErrorCode::kConflict);
    EXPECT_FALSE(mails("direction@baluchon.fr").empty());
}

}  // namespace
}  // namespace passerelle::app

namespace passerelle::app {

// Issue 20, item 4: an organisation sends a limited number of invitations an hour; names that go into mails
// hold on one line, without links.
TEST_F(ServiceTest, InvitationsAreLimitedAndNamesHoldOnOneLine) {
    auto admin = signup("chef@exemple.fr");
    auto id = make_company(admin);
    for (int i = 0; i < 20; ++i)
        ASSERT_TRUE(orgs_->invite(actor(admin), id, "p" + std::to_string(i) + "@exemple.fr", "member").ok()) << i;
    auto limited = orgs_->invite(actor(admin), id, "p99@exemple.fr", "member");
    ASSERT_FALSE(limited.ok());
    EXPECT_EQ(limited.error().code, core::ErrorCode::kTooManyRequests);
    EXPECT_TRUE(mails("p99@exemple.fr").empty());
    clock_.advance(3601);
    EXPECT_TRUE(orgs_->invite(actor(admin), id, "p99@exemple.fr", "member").ok());

    for (const std::string name : {"Marie\nBcc: victime@exemple.fr", "Marie\r\nDurand", "Marie\tDurand",
                                   "Voir https://evil.example", "Gagnez sur www.evil.example",
                                   "Marie\xE2\x80\xAE"
                                   "dnaruD"}) {
        auto r = accounts_->sign_up(
            {"n" + std::to_string(name.size()) + "@exemple.fr", name, "Correct-Cheval-42", "Correct-Cheval-42"});
        ASSERT_FALSE(r.ok()) << name;
        EXPECT_TRUE(r.error().fields.count("display_name")) << name;
        core::OrganisationInput o;
        o.kind = "company";
        o.name = name;
        o.siret = "44399887700015";
        o.size = "PME";
        auto made = orgs_->create(actor(admin), o);
        ASSERT_FALSE(made.ok()) << name;
        EXPECT_TRUE(made.error().fields.count("name")) << name;
    }
    EXPECT_TRUE(
        accounts_->sign_up({"ok@exemple.fr", "Marie-Ève d'Arc", "Correct-Cheval-42", "Correct-Cheval-42"}).ok());
}

}  // namespace passerelle::app
