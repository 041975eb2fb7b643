#include "app/roadmaps.hpp"

#include "app/csv.hpp"
#include "app/service_fixture.hpp"
#include "core/french.hpp"

namespace passerelle::app {

namespace {

core::RoadmapItemInput item_input() {
    core::RoadmapItemInput in;
    in.title = "Nettoyage des collèges";
    in.description = "Entretien de 40 collèges, avec clause d'insertion.";
    in.cpv_codes = {"90000000-7"};
    in.amount_min = "100 000";
    in.amount_max = "250 000";
    in.quarter = "2027-T3";
    in.procedure = "ao_ouvert";
    in.departements = {"93"};
    in.clause_intent = "insertion";
    return in;
}

class RoadmapTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        clock_.set(core::from_utc(2026, 11, 28, 9, 0));
        roadmaps_ = std::make_unique<RoadmapService>(*db_, clock_, *reference_);
        buyer_user_ = signup("acheteur@ville.fr");
        buyer_ = make_buyer(buyer_user_);
        company_user_ = signup("contact@atelier.fr");
        company_ = make_company(company_user_);
    }
    std::unique_ptr<RoadmapService> roadmaps_;
    std::int64_t buyer_user_ = 0, buyer_ = 0, company_user_ = 0, company_ = 0;
};

}  // namespace

TEST_F(RoadmapTest, OnlyBuyerMembersCreateAndDraftsArePrivate) {
    auto denied = roadmaps_->create(actor(company_user_), company_, item_input(), false);
    ASSERT_FALSE(denied.ok());
    EXPECT_EQ(denied.error().code, core::ErrorCode::kForbidden);
    EXPECT_FALSE(roadmaps_->create(actor(company_user_), buyer_, item_input(), false).ok());
    auto id = roadmaps_->create(actor(buyer_user_), buyer_, item_input(), false);
    ASSERT_TRUE(id.ok()) << id.error().message;
    EXPECT_TRUE(roadmaps_->get(actor(buyer_user_), id.value()).ok());
    auto hidden = roadmaps_->get(actor(company_user_), id.value());
    ASSERT_FALSE(hidden.ok());
    EXPECT_EQ(hidden.error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(roadmaps_->list_public({}, {1, 20}).value().total, 0);
}

TEST_F(RoadmapTest, PublishThenEditKeepsAVisibleHistory) {
    auto id = roadmaps_->create(actor(buyer_user_), buyer_, item_input(), false).value();
    ASSERT_TRUE(roadmaps_->publish(actor(buyer_user_), id).ok());
    EXPECT_EQ(roadmaps_->publish(actor(buyer_user_), id).error().code, core::ErrorCode::kConflict);
    clock_.advance(86400);
    auto in = item_input();
    in.amount_max = "300 000";
    in.quarter = "2027-T4";
    ASSERT_TRUE(roadmaps_->update(actor(buyer_user_), id, in).ok());
    auto h = roadmaps_->history(core::Actor{}, id).value();
    ASSERT_EQ(h.size(), 3u);
    EXPECT_EQ(h[2].summary, "Projet d'achat publié");
    EXPECT_NE(h[0].summary.find("Publication prévue"), std::string::npos);
    EXPECT_NE(h[1].summary.find("300\u202f000"), std::string::npos);
    EXPECT_EQ(roadmaps_->list_public({}, {1, 20}).value().total, 1);
    // An edit that changes nothing adds nothing.
    ASSERT_TRUE(roadmaps_->update(actor(buyer_user_), id, in).ok());
    EXPECT_EQ(roadmaps_->history(actor(buyer_user_), id).value().size(), 3u);
    EXPECT_EQ(roadmaps_->update(actor(company_user_), id, in).error().code, core::ErrorCode::kForbidden);
}

TEST_F(RoadmapTest, AbandonedItemsAreClosed) {
    auto id = roadmaps_->create(actor(buyer_user_), buyer_, item_input(), true).value();
    ASSERT_TRUE(roadmaps_->abandon(actor(buyer_user_), id, "Besoin mutualisé avec la Région").ok());
    EXPECT_EQ(roadmaps_->update(actor(buyer_user_), id, item_input()).error().code, core::ErrorCode::kConflict);
    EXPECT_EQ(roadmaps_->abandon(actor(buyer_user_), id, "").error().code, core::ErrorCode::kConflict);
    EXPECT_EQ(roadmaps_->history(actor(buyer_user_), id).value()[0].summary,
              "Projet d'achat abandonné : Besoin mutualisé avec la Région");
    EXPECT_EQ(roadmaps_->list_public({}, {1, 20}).value().total, 0);
}

TEST_F(RoadmapTest, PublishAllPublishesTheDraftsOfTheOrganisation) {
    for (const char* q : {"2027-T1", "2027-T2", "2027-T3"}) {
        auto in = item_input();
        in.quarter = q;
        ASSERT_TRUE(roadmaps_->create(actor(buyer_user_), buyer_, in, false).ok());
    }
    EXPECT_FALSE(roadmaps_->publish_all(actor(company_user_), buyer_).ok());
    EXPECT_EQ(roadmaps_->publish_all(actor(buyer_user_), buyer_).value(), 3);
    EXPECT_EQ(roadmaps_->publish_all(actor(buyer_user_), buyer_).value(), 0);
    EXPECT_EQ(roadmaps_->list_public({}, {1, 20}).value().total, 3);
    EXPECT_EQ(roadmaps_->list_mine(actor(buyer_user_), {1, 20}).value().total, 3);
}

TEST_F(RoadmapTest, FiltersByTextPlaceDivisionAndClause) {
    ASSERT_TRUE(roadmaps_->create(actor(buyer_user_), buyer_, item_input(), true).ok());
    auto other = item_input();
    other.title = "Maintenance informatique";
    other.description = "";
    other.cpv_codes = {"72000000"};
    other.departements = {"75"};
    other.clause_intent = "none";
    ASSERT_TRUE(roadmaps_->create(actor(buyer_user_), buyer_, other, true).ok());
    auto count = [&](storage::roadmaps::ItemFilter f) { return roadmaps_->list_public(f, {1, 20}).value().total; };
    storage::roadmaps::ItemFilter f;
    f.text = "COLLEGES nettoyage";  // accents and case do not matter
    EXPECT_EQ(count(f), 1);
    f = {};
    f.departement = "75";
    EXPECT_EQ(count(f), 1);
    f = {};
    f.cpv_division = "90";
    EXPECT_EQ(count(f), 1);
    f = {};
    f.clause_intent = "insertion";
    EXPECT_EQ(count(f), 1);
    EXPECT_EQ(count({}), 2);
}

TEST_F(RoadmapTest, CompaniesSayTheyAreInterestedAndTheBuyerExports) {
    auto id = roadmaps_->create(actor(buyer_user_), buyer_, item_input(), true).value();
    EXPECT_EQ(roadmaps_->express_interest(actor(buyer_user_), id, buyer_, "").error().code,
              core::ErrorCode::kForbidden);
    EXPECT_EQ(roadmaps_->express_interest(core::Actor{}, id, company_, "").error().code,
              core::ErrorCode::kUnauthenticated);
    ASSERT_TRUE(
        roadmaps_->express_interest(actor(company_user_), id, company_, "=HYPERLINK(\"x\") Nous sommes SIAE").ok());
    ASSERT_TRUE(roadmaps_->express_interest(actor(company_user_), id, company_, "Nous sommes une SIAE du 93.").ok());
    EXPECT_EQ(roadmaps_->my_interests(actor(company_user_), id).value(), std::vector<std::int64_t>{company_});
    EXPECT_EQ(roadmaps_->interested(actor(company_user_), id).error().code, core::ErrorCode::kForbidden);
    auto list = roadmaps_->interested(actor(buyer_user_), id).value();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].org_name, "Atelier Vert");
    EXPECT_EQ(list[0].labels, std::vector<std::string>{"siae_ei"});
    EXPECT_EQ(list[0].message, "Nous sommes une SIAE du 93.");
    auto csv = roadmaps_->interested_csv(actor(buyer_user_), id).value();
    EXPECT_EQ(csv.rfind("\xEF\xBB\xBFsiret,entreprise", 0), 0u);
    EXPECT_NE(csv.find("73282932000074,Atelier Vert,PME,siae_ei"), std::string::npos);
    EXPECT_EQ(roadmaps_->get(actor(buyer_user_), id).value().interest_count, 1);
    ASSERT_TRUE(roadmaps_->withdraw_interest(actor(company_user_), id, company_).ok());
    EXPECT_TRUE(roadmaps_->interested(actor(buyer_user_), id).value().empty());
}

TEST(Csv, FieldsAreQuotedAndFormulasNeutralised) {
    EXPECT_EQ(csv_field("simple"), "simple");
    EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_field("dit \"oui\""), "\"dit \"\"oui\"\"\"");
    EXPECT_EQ(csv_field("=1+1"), "'=1+1");
    EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
}

}  // namespace passerelle::app
