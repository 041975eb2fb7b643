// Social clauses over the service: a facilitator records a clause on an awarded contract, the holder names a
// subcontractor, both declare hours, the facilitator sends one back for correction and accepts the others;
// the accepted hours add up, lateness is flagged and digested weekly, the buyer's report adds up and
// opens as a workbook. Bad input (not a party, absurd hours) changes nothing.
#include "app/clauses.hpp"

#include "app/service_fixture.hpp"
#include "app/xlsx_test_reader.hpp"
#include "core/french.hpp"
#include "storage/accounts_store.hpp"
#include "storage/contract_store.hpp"
#include "storage/reference_store.hpp"

namespace passerelle::app {
namespace {

class ClausesTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        clock_.set(core::from_utc(2026, 7, 1, 10, 0));  // half of 2026 gone by
        clauses_ = std::make_unique<ClauseService>(*db_, clock_, "https://passerelle.test");
        facilitator_ = signup("marc@facilitateur.fr");
        ASSERT_TRUE(db_->with_connection([&](storage::Connection& c) {
                           return storage::accounts::grant_role(c, facilitator_, "facilitator", 1);
                       })
                        .ok());
        buyer_user_ = signup("achat@paris.fr");
        buyer_ = make_buyer(buyer_user_);
        holder_user_ = signup("chef@atelier.fr");
        holder_ = make_company(holder_user_);
        sub_user_ = signup("rh@chantier.fr");
        core::OrganisationInput s;
        s.kind = "company";
        s.name = "Chantier Solidaire";
        s.siret = "80746931700018";
        s.size = "TPE";
        s.labels = {"siae_aci"};
        sub_ = orgs_->create(actor(sub_user_), s).value();
        outsider_user_ = signup("autre@ailleurs.fr");
        storage::contracts::ContractRecord c;
        c.key = c.source_id = "paris|2026-01|voirie";
        c.format = "platform";
        c.kind = "marche";
        c.buyer_org_id = buyer_;
        c.buyer_identifier = "21750001600019";
        c.object = "Entretien de la voirie";
        c.cpv = "45233141";
        c.departement = "75";
        c.notified_on = "2026-01-05";
        c.amount = 1'200'000;
        c.content_hash = "h";
        c.suppliers = {{holder_, "73282932000074", "SIRET", "Atelier Vert", ""}};
        contract_ = storage::fetch<std::int64_t>(*db_, [&](storage::Connection& conn) {
                        return storage::contracts::insert(conn, c, 1);
                    }).value();
    }
    core::clauses::DeclarationInput hours(const std::string& h, const std::string& from, const std::string& to) {
        core::clauses::DeclarationInput in;
        in.period_start = from;
        in.period_end = to;
        in.hours = h;
        in.employer_name = "Chantier Solidaire (ACI)";
        in.participants = "4";
        in.categories = {{"under_26", "2"}, {"long_term_jobseekers", "1"}};
        in.women = "1";
        in.men = "3";
        return in;
    }
    std::unique_ptr<ClauseService> clauses_;
    std::int64_t facilitator_ = 0, buyer_user_ = 0, buyer_ = 0, holder_user_ = 0, holder_ = 0, sub_user_ = 0, sub_ = 0,
                 outsider_user_ = 0, contract_ = 0;
};

TEST_F(ClausesTest, DeclareReviewReportAndLateness) {
    // Only facilitators record clauses.
    const core::clauses::ClauseInput in{"insertion_hours", "1000", "2026-01-01", "2026-12-31", "", ""};
    EXPECT_EQ(clauses_->add(actor(holder_user_), contract_, in, true).error().code, core::ErrorCode::kForbidden);
    auto clause = clauses_->add(actor(facilitator_), contract_, in, true);
    ASSERT_TRUE(clause.ok()) << clause.error().message;
    EXPECT_EQ(clauses_->clause(clause.value())->clause.departement, "75");  // the contract's place by default

    // The holder names its subcontractor; an outsider cannot.
    EXPECT_EQ(clauses_->add_subcontractor(actor(outsider_user_), contract_, "80746931700018").error().code,
              core::ErrorCode::kForbidden);
    EXPECT_FALSE(clauses_->add_subcontractor(actor(holder_user_), contract_, "12345678901234").ok());
    ASSERT_TRUE(clauses_->add_subcontractor(actor(holder_user_), contract_, "807 469 317 00018").ok());

    // Declarations: the holder and the subcontractor; an outsider and absurd hours are refused.
    auto outsider =
        clauses_->declare(actor(outsider_user_), clause.value(), holder_, hours("100", "2026-01-01", "2026-01-31"));
    EXPECT_EQ(outsider.error().code, core::ErrorCode::kForbidden);
    auto absurd = clauses_->declare(actor(holder_user_), clause.value(), holder_,
                                    hours("5000", "2026-01-01", "2026-01-31"));  // > 24 h × 31 days × 4 people
    ASSERT_FALSE(absurd.ok());
    EXPECT_TRUE(absurd.error().fields.count("hours"));
    auto a = clauses_->declare(actor(holder_user_), clause.value(), holder_, hours("150", "2026-01-01", "2026-03-31"));
    ASSERT_TRUE(a.ok()) << a.error().message;
    auto b = clauses_->declare(actor(sub_user_), clause.value(), sub_, hours("120,5", "2026-04-01", "2026-05-31"));
    ASSERT_TRUE(b.ok()) << b.error().message;
    ASSERT_FALSE(mails("marc@facilitateur.fr").empty());  // the facilitator in charge is told

    // Review: one sent back for correction (a comment is required), corrected, accepted; the other accepted.
    EXPECT_EQ(clauses_->review(actor(holder_user_), a.value(), "accept", "").error().code, core::ErrorCode::kForbidden);
    EXPECT_FALSE(clauses_->review(actor(facilitator_), a.value(), "correction", " ").ok());
    ASSERT_TRUE(
        clauses_->review(actor(facilitator_), a.value(), "correction", "Période : un trimestre par déclaration.").ok());
    EXPECT_NE(mails("chef@atelier.fr").front().body_text.find("un trimestre par déclaration"), std::string::npos);
    EXPECT_EQ(clauses_->resubmit(actor(sub_user_), a.value(), hours("150", "2026-01-01", "2026-03-31")).error().code,
              core::ErrorCode::kForbidden);
    ASSERT_TRUE(clauses_->resubmit(actor(holder_user_), a.value(), hours("160", "2026-01-01", "2026-03-31")).ok());
    ASSERT_TRUE(clauses_->review(actor(facilitator_), a.value(), "accept", "").ok());
    EXPECT_EQ(clauses_->review(actor(facilitator_), a.value(), "accept", "").error().code, core::ErrorCode::kConflict);
    ASSERT_TRUE(clauses_->review(actor(facilitator_), b.value(), "accept", "Merci").ok());

    // 280,5 hours accepted of 1 000 with half the year gone (50 %): 28 % < 40 %, late.
    auto view = clauses_->of_contract(actor(buyer_user_), contract_);
    ASSERT_TRUE(view.ok());
    ASSERT_EQ(view->clauses.size(), 1u);
    EXPECT_DOUBLE_EQ(view->clauses[0].record.accepted_hours, 280.5);
    EXPECT_TRUE(view->clauses[0].progress.late);
    EXPECT_TRUE(view->sees_declarations);  // the buyer's agents see the declarations
    EXPECT_EQ(view->declarations.size(), 2u);
    EXPECT_FALSE(clauses_->of_contract(actor(outsider_user_), contract_)->sees_declarations);
    auto late = clauses_->portfolio(actor(facilitator_), {"", std::nullopt, "", true, true});
    ASSERT_TRUE(late.ok());
    EXPECT_EQ(late->size(), 1u);

    // The weekly digest goes once per week.
    EXPECT_EQ(clauses_->send_digests().value(), 1);
    EXPECT_EQ(clauses_->send_digests().value(), 0);
    EXPECT_NE(mails("marc@facilitateur.fr").front().subject.find("1 marché(s) en retard"), std::string::npos);
    clock_.set(clock_.now() + 7 * 86400);
    EXPECT_EQ(clauses_->send_digests().value(), 1);

    // The buyer's yearly report: hand-computed sums; the workbook opens with its sheets and cells.
    auto report = clauses_->report(actor(buyer_user_), buyer_, "2026");
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_EQ(report->required, 1000);
    EXPECT_DOUBLE_EQ(report->delivered, 280.5);
    EXPECT_EQ(report->participants, 8);
    EXPECT_EQ(report->categories.at("under_26"), 4);
    EXPECT_NEAR(report->fte, 280.5 / 1607, 1e-9);
    EXPECT_EQ(clauses_->report(actor(outsider_user_), buyer_, "2026").error().code, core::ErrorCode::kForbidden);
    auto x = clauses_->report_xlsx(actor(facilitator_), buyer_, "2026", "Ville de Paris");
    ASSERT_TRUE(x.ok());
    auto wb = testing::read_xlsx(x.value());
    ASSERT_TRUE(wb.has_value());
    ASSERT_TRUE(wb->count("Synthèse"));
    ASSERT_TRUE(wb->count("Marchés"));
    EXPECT_EQ(wb->at("Synthèse").at("A1"), "Indicateur");
    EXPECT_EQ(wb->at("Synthèse").at("B2"), "Ville de Paris");
    EXPECT_EQ(wb->at("Synthèse").at("B5"), "280.5");
    EXPECT_EQ(wb->at("Marchés").at("A2"), "Entretien de la voirie");
    EXPECT_EQ(wb->at("Marchés").at("C2"), "1000");
    EXPECT_EQ(wb->at("Marchés").at("A3"), "Total");
}

TEST_F(ClausesTest, EstimateForALotWithMethodAndInsertionSuppliers) {
    // 600 000 € of cleaning (division 90): × 75 % ÷ 35 × 5 % = 642,86 -> 643 hours.
    auto e = clauses_->estimate("90910000", "600 000", "");
    ASSERT_TRUE(e.ok()) << e.error().message;
    EXPECT_EQ(e->estimate.hours, 643);
    EXPECT_TRUE(e->estimate.candidate);
    // A facilitator edits the parameters: the estimate follows.
    EXPECT_FALSE(clauses_->save_parameters(actor(holder_user_), "40", "5", {}).ok());
    ASSERT_TRUE(clauses_->save_parameters(actor(facilitator_), "40", "10", {{"90", "80", "90000"}}).ok());
    e = clauses_->estimate("90910000", "600000", "");
    EXPECT_EQ(e->estimate.hours, 1200);  // 600 000 × 80 % ÷ 40 × 10 %
    // Both SIAE (labels siae_ei and siae_aci) are proposed.
    EXPECT_EQ(e->suppliers.size(), 2u);
    EXPECT_FALSE(clauses_->estimate("", "1000", "").ok());
    EXPECT_FALSE(clauses_->estimate("90910000", "abc", "").ok());

    // A setting damaged outside the application keeps its default instead of throwing.
    ASSERT_TRUE(db_->with_connection([](storage::Connection& c) {
                       return storage::reference::set_setting(c, "clauses.hourly_cost", "quarante");
                   })
                    .ok());
    auto p = clauses_->parameters();
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->global.hourly_cost, ClauseService::Parameters{}.global.hourly_cost);
    EXPECT_NEAR(p->global.insertion_rate, 0.10, 1e-9);  // the other setting is still read
}

}  // namespace
}  // namespace passerelle::app
