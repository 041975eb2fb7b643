#include "app/api_tokens.hpp"

#include "app/crypto.hpp"
#include "app/service_fixture.hpp"

namespace passerelle::app {
namespace {

class ApiTokenTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        tokens_ = std::make_unique<ApiTokenService>(*db_, clock_);
        admin_ = signup("admin@paris.example");
        buyer_ = make_buyer(admin_);
    }
    std::unique_ptr<ApiTokenService> tokens_;
    std::int64_t admin_ = 0, buyer_ = 0;
};

TEST_F(ApiTokenTest, TheSecretIsShownOnceAndOnlyItsHashIsStored) {
    auto t = tokens_->create(actor(admin_), buyer_, "Profil d'acheteur", {"read", "notices:publish"});
    ASSERT_TRUE(t.ok()) << t.error().message;
    EXPECT_EQ(t->secret.rfind("psl_", 0), 0u);
    EXPECT_GE(t->secret.size(), 40u);
    EXPECT_EQ(t->secret.rfind(t->record.prefix, 0), 0u);
    auto stored = db_->query("SELECT token_hash, scopes FROM api_tokens").value();
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].text(0), sha256_hex(t->secret));
    EXPECT_EQ(stored[0].text(1), "read notices:publish");
    auto all = db_->query("SELECT * FROM api_tokens").value();
    for (std::size_t i = 0; i < all[0].size(); ++i)
        if (!all[0].is_null(i)) {
            EXPECT_EQ(all[0].text(i).find(t->secret), std::string::npos);
        }

    auto list = tokens_->list(actor(admin_), buyer_);
    ASSERT_TRUE(list.ok());
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ((*list)[0].created_by_email, "admin@paris.example");
    EXPECT_FALSE((*list)[0].last_used_at.has_value());
}

TEST_F(ApiTokenTest, OnlyTheOrganisationsAdministratorsManageTokens) {
    auto other = signup("autre@example.org");
    EXPECT_EQ(tokens_->create(actor(other), buyer_, "CRM", {"read"}).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(tokens_->list(actor(other), buyer_).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(tokens_->create(core::Actor{}, buyer_, "CRM", {"read"}).error().code, core::ErrorCode::kUnauthenticated);
    EXPECT_EQ(tokens_->create(actor(admin_), 999, "CRM", {"read"}).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(count("api_tokens"), 0);
}

TEST_F(ApiTokenTest, ScopesMustFitTheOrganisationAndThePerson) {
    auto company_admin = signup("contact@atelier.example");
    auto company = make_company(company_admin);
    auto c = tokens_->create(actor(company_admin), company, "ERP", {"read", "notices:publish"});
    ASSERT_FALSE(c.ok());
    EXPECT_NE(c.error().fields.at("scopes").find("acheteuse"), std::string::npos);
    auto e = tokens_->create(actor(admin_), buyer_, "Agenda", {"events:manage"});
    ASSERT_FALSE(e.ok());
    EXPECT_NE(e.error().fields.at("scopes").find("organisatrices"), std::string::npos);
    EXPECT_EQ(count("api_tokens"), 0);
}

TEST_F(ApiTokenTest, AuthenticationNarrowsTheCreatorToTheOrganisationAndRecordsTheLastUse) {
    auto other_org_admin = signup("admin@seine.example");
    (void)other_org_admin;
    ASSERT_TRUE(accounts_
                    ->set_platform_roles(core::Actor{999, true, {core::PlatformRole::kAdministrator}, {}}, admin_,
                                         {"facilitator", "organiser"})
                    .ok());
    auto t = tokens_->create(actor(admin_), buyer_, "Agenda", {"read", "events:manage"});
    ASSERT_TRUE(t.ok()) << t.error().message;
    auto id = tokens_->authenticate(t->secret, "192.0.2.7");
    ASSERT_TRUE(id.ok()) << id.error().message;
    EXPECT_EQ(*id->actor.user_id, admin_);
    ASSERT_EQ(id->actor.memberships.size(), 1u);
    EXPECT_EQ(id->actor.memberships[0].org_id, buyer_);
    EXPECT_TRUE(id->actor.has_role(core::PlatformRole::kOrganiser));
    EXPECT_FALSE(id->actor.has_role(core::PlatformRole::kFacilitator));  // never more than the scopes
    EXPECT_EQ(id->creator.email, "admin@paris.example");
    auto listed = tokens_->list(actor(admin_), buyer_).value();
    EXPECT_EQ(listed[0].last_used_at, clock_.now());
    EXPECT_EQ(listed[0].last_used_address, "192.0.2.7");

    // Within the minute the last use is not written again; after it, it is.
    clock_.advance(30);
    ASSERT_TRUE(tokens_->authenticate(t->secret, "192.0.2.8").ok());
    EXPECT_EQ(tokens_->list(actor(admin_), buyer_).value()[0].last_used_address, "192.0.2.7");
    clock_.advance(31);
    ASSERT_TRUE(tokens_->authenticate(t->secret, "192.0.2.8").ok());
    EXPECT_EQ(tokens_->list(actor(admin_), buyer_).value()[0].last_used_address, "192.0.2.8");

    EXPECT_EQ(tokens_->authenticate("psl_unknown", "192.0.2.7").error().code, core::ErrorCode::kUnauthenticated);
    EXPECT_EQ(tokens_->authenticate(t->secret.substr(0, t->secret.size() - 1), "x").error().code,
              core::ErrorCode::kUnauthenticated);
}

TEST_F(ApiTokenTest, ARevokedTokenOrOneWhoseCreatorLeftNoLongerWorks) {
    auto t1 = tokens_->create(actor(admin_), buyer_, "Un", {"read"});
    auto t2 = tokens_->create(actor(admin_), buyer_, "Deux", {"read"});
    ASSERT_TRUE(t1.ok() && t2.ok());
    ASSERT_TRUE(tokens_->revoke(actor(admin_), buyer_, t1->record.id).ok());
    EXPECT_EQ(tokens_->revoke(actor(admin_), buyer_, t1->record.id).error().code, core::ErrorCode::kNotFound);
    auto r = tokens_->authenticate(t1->secret, "x");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("révoqué"), std::string::npos);
    EXPECT_TRUE(tokens_->list(actor(admin_), buyer_).value()[1].revoked_at.has_value());
    ASSERT_TRUE(tokens_->authenticate(t2->secret, "x").ok());

    // A second administrator takes over; the first becomes a plain member: the token stops working.
    auto second = signup("second@paris.example");
    ASSERT_TRUE(orgs_->invite(actor(admin_), buyer_, "second@paris.example", "admin").ok());
    ASSERT_TRUE(orgs_->accept_invitation(actor(second), token_in_mail("second@paris.example")).ok());
    ASSERT_TRUE(orgs_->set_member_role(actor(second), buyer_, admin_, "member").ok());
    auto gone = tokens_->authenticate(t2->secret, "x");
    ASSERT_FALSE(gone.ok());
    EXPECT_NE(gone.error().message.find("n'administre plus"), std::string::npos);
}

}  // namespace
}  // namespace passerelle::app
