// Issue 20, item 2: a buyer organisation declared by a person publishes nothing and reads no company's contact
// data until a platform administrator vets it; suspending it (or its author's account) withdraws what it
// published, and lifting the suspension puts it back.
#include <unistd.h>

#include <filesystem>

#include "app/indexer.hpp"
#include "app/notices.hpp"
#include "app/roadmaps.hpp"
#include "app/service_fixture.hpp"
#include "core/french.hpp"

namespace passerelle::app {

namespace {

core::NoticeInput notice_input() {
    core::NoticeInput in;
    in.reference = "2027-FAUX-01";
    in.title = "Envoyez vos offres et votre RIB";
    in.description = "Transmettez vos coordonnées bancaires à une adresse extérieure.";
    in.procedure = "ao_ouvert";
    in.bid_deadline = "2027-01-15T12:00";
    core::LotInput lot;
    lot.cpv_code = "90000000";
    lot.departements = {"93"};
    in.lots = {lot};
    return in;
}

core::RoadmapItemInput roadmap_input() {
    core::RoadmapItemInput r;
    r.title = "Restauration scolaire";
    r.cpv_codes = {"55000000"};
    r.amount_max = "900 000";
    r.quarter = "2027-T2";
    r.procedure = "ao_ouvert";
    r.departements = {"75"};
    return r;
}

class VettingTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        clock_.set(core::from_utc(2026, 11, 28, 9, 0));
        blob_dir_ = std::filesystem::temp_directory_path() / ("passerelle-vet-" + std::to_string(::getpid()));
        blobs_ = std::make_unique<FileBlobStore>(blob_dir_);
        notices_ = std::make_unique<NoticeService>(*db_, clock_, *reference_, *blobs_, "https://passerelle.test");
        roadmaps_ = std::make_unique<RoadmapService>(*db_, clock_, *reference_);
        index_ = search::SearchIndex::open("").value();
        indexer_ = std::make_unique<Indexer>(*db_, *index_);
        requester_ = signup("faux.acheteur@gmail.example");
        buyer_ = make_buyer(requester_, /*vetted=*/false);
        admin_ = make_admin("admin@passerelle.test");
        company_user_ = signup("contact@atelier.fr");
        company_ = make_company(company_user_);
    }
    void TearDown() override { std::filesystem::remove_all(blob_dir_); }
    std::vector<std::int64_t> found(const std::string& text) {
        search::Query q;
        q.text = text;
        std::vector<std::int64_t> out;
        auto r = index_->search(q);
        for (const auto& h : r.value().hits) out.push_back(h.id);
        return out;
    }
    std::filesystem::path blob_dir_;
    std::unique_ptr<FileBlobStore> blobs_;
    std::unique_ptr<NoticeService> notices_;
    std::unique_ptr<RoadmapService> roadmaps_;
    std::unique_ptr<search::SearchIndex> index_;
    std::unique_ptr<Indexer> indexer_;
    std::int64_t requester_ = 0, buyer_ = 0, admin_ = 0, company_user_ = 0, company_ = 0;
};

}  // namespace

TEST_F(VettingTest, AnUnvettedBuyerPreparesDraftsButPublishesNothing) {
    EXPECT_EQ(orgs_->get(buyer_).value().vetting, "pending");
    const core::Actor waiting = actor(requester_);
    EXPECT_TRUE(waiting.awaits_vetting());
    EXPECT_FALSE(waiting.is_buyer_agent());

    // Drafts: yes.
    auto notice = notices_->create(waiting, buyer_, notice_input(), std::nullopt);
    ASSERT_TRUE(notice.ok()) << notice.error().message;
    ASSERT_TRUE(notices_->update(waiting, notice.value(), notice_input()).ok());
    auto draft = roadmaps_->create(waiting, buyer_, roadmap_input(), false);
    ASSERT_TRUE(draft.ok());

    // Anything public: no, and the refusal says why.
    auto published = notices_->publish(waiting, notice.value());
    ASSERT_FALSE(published.ok());
    EXPECT_EQ(published.error().code, core::ErrorCode::kForbidden);
    EXPECT_NE(published.error().message.find("pas encore vérifiée"), std::string::npos);
    EXPECT_FALSE(roadmaps_->publish(waiting, draft.value()).ok());
    EXPECT_FALSE(roadmaps_->create(waiting, buyer_, roadmap_input(), true).ok());
    EXPECT_FALSE(roadmaps_->publish_all(waiting, buyer_).ok());
    EXPECT_EQ(notices_->get(actor(company_user_), notice.value()).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(indexer_->reindex_all().value(), 1);  // the company only
    EXPECT_TRUE(found("RIB").empty());

    // The administrator approves: the requester is told, and publishing works.
    auto queue = orgs_->vetting_queue(actor(admin_));
    ASSERT_TRUE(queue.ok());
    ASSERT_EQ(queue->size(), 1u);
    EXPECT_EQ(queue->front().org.id, buyer_);
    EXPECT_EQ(queue->front().requester_email, "faux.acheteur@gmail.example");
    EXPECT_FALSE(orgs_->vetting_queue(waiting).ok());  // administrators only
    EXPECT_FALSE(orgs_->decide_vetting(waiting, buyer_, true, "").ok());
    ASSERT_TRUE(orgs_->decide_vetting(actor(admin_), buyer_, true, "").ok());
    EXPECT_NE(mails("faux.acheteur@gmail.example").front().subject.find("est vérifiée"), std::string::npos);
    EXPECT_TRUE(orgs_->vetting_queue(actor(admin_))->empty());
    const core::Actor vetted = actor(requester_);
    EXPECT_TRUE(vetted.is_buyer_agent());
    ASSERT_TRUE(notices_->publish(vetted, notice.value()).ok());
    ASSERT_TRUE(roadmaps_->publish(vetted, draft.value()).ok());
}

TEST_F(VettingTest, AnUnvettedBuyerReadsNoCompanyContacts) {
    // Vetted first to publish a roadmap item a company is interested in, then refused (as after a mistake).
    ASSERT_TRUE(orgs_->decide_vetting(actor(admin_), buyer_, true, "").ok());
    auto item = roadmaps_->create(actor(requester_), buyer_, roadmap_input(), true).value();
    ASSERT_TRUE(roadmaps_->express_interest(actor(company_user_), item, company_, "Nous sommes intéressés.").ok());
    EXPECT_EQ(roadmaps_->interested(actor(requester_), item).value().size(), 1u);
    // A refusal needs its reason, sent to the requester.
    EXPECT_EQ(orgs_->decide_vetting(actor(admin_), buyer_, false, "  ").error().code, core::ErrorCode::kInvalidInput);
    ASSERT_TRUE(orgs_->decide_vetting(actor(admin_), buyer_, false, "SIRET d'une autre commune").ok());
    EXPECT_NE(mails("faux.acheteur@gmail.example").front().body_text.find("SIRET d'une autre commune"),
              std::string::npos);
    auto refused = roadmaps_->interested(actor(requester_), item);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kForbidden);
    EXPECT_FALSE(roadmaps_->interested_csv(actor(requester_), item).ok());
    EXPECT_FALSE(core::allowed(actor(requester_), core::Action::kReadCompanyContacts));
}

TEST_F(VettingTest, SuspendingAnOrganisationWithdrawsWhatItPublishedUntilLifted) {
    ASSERT_TRUE(orgs_->decide_vetting(actor(admin_), buyer_, true, "").ok());
    const core::Actor agent = actor(requester_);
    auto notice = notices_->create(agent, buyer_, notice_input(), std::nullopt).value();
    ASSERT_TRUE(notices_->publish(agent, notice).ok());
    auto item = roadmaps_->create(agent, buyer_, roadmap_input(), true).value();
    auto kept_draft = notices_
                          ->create(
                              agent, buyer_,
                              [] {
                                  auto in = notice_input();
                                  in.reference = "2027-BROUILLON";
                                  return in;
                              }(),
                              std::nullopt)
                          .value();
    ASSERT_TRUE(indexer_->apply_outbox().ok());
    EXPECT_EQ(found("RIB"), std::vector<std::int64_t>{notice});

    EXPECT_FALSE(orgs_->set_suspended(agent, buyer_, true).ok());  // administrators only
    auto n = orgs_->set_suspended(actor(admin_), buyer_, true);
    ASSERT_TRUE(n.ok()) << n.error().message;
    EXPECT_EQ(n.value(), 2);  // the notice and the roadmap item; the draft stays a draft
    EXPECT_FALSE(orgs_->set_suspended(actor(admin_), buyer_, true).ok());

    // The public: « retirée », out of lists and search.
    const core::Actor visitor;
    auto gone = notices_->get(visitor, notice);
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().code, core::ErrorCode::kGone);
    EXPECT_NE(gone.error().message.find("retirée"), std::string::npos);
    EXPECT_EQ(roadmaps_->get(visitor, item).error().code, core::ErrorCode::kGone);
    EXPECT_EQ(notices_->list_public({}, false, {1, 20}).value().total, 0);
    EXPECT_EQ(roadmaps_->list_public({}, {1, 20}).value().total, 0);
    ASSERT_TRUE(indexer_->apply_outbox().ok());
    EXPECT_TRUE(found("RIB").empty());
    // The organisation still sees it, marked; nothing more is published meanwhile.
    auto mine = notices_->get(actor(requester_), notice);
    ASSERT_TRUE(mine.ok());
    EXPECT_TRUE(mine->withdrawn_at.has_value());
    EXPECT_FALSE(actor(requester_).is_buyer_agent());
    EXPECT_FALSE(notices_->publish(actor(requester_), kept_draft).ok());
    // The administrator reviews it.
    auto review = orgs_->withdrawn(actor(admin_));
    ASSERT_TRUE(review.ok());
    EXPECT_EQ(review->size(), 2u);

    // Lifting the suspension puts both back.
    EXPECT_EQ(orgs_->set_suspended(actor(admin_), buyer_, false).value(), 2);
    EXPECT_TRUE(notices_->get(visitor, notice).ok());
    EXPECT_EQ(notices_->list_public({}, false, {1, 20}).value().total, 1);
    ASSERT_TRUE(indexer_->apply_outbox().ok());
    EXPECT_EQ(found("RIB"), std::vector<std::int64_t>{notice});
    EXPECT_TRUE(orgs_->withdrawn(actor(admin_))->empty());
}

}  // namespace passerelle::app
