#include "app/notices.hpp"

#include <unistd.h>

#include <filesystem>

#include "app/roadmaps.hpp"
#include "app/service_fixture.hpp"
#include "core/french.hpp"

namespace passerelle::app {

namespace {

core::NoticeInput notice_input() {
    core::NoticeInput in;
    in.reference = "2027-NET-01";
    in.title = "Nettoyage des collèges";
    in.description = "Entretien quotidien.";
    in.procedure = "ao_ouvert";
    in.bid_deadline = "2027-01-15T12:00";
    core::LotInput lot;
    lot.title = "Collèges du nord";
    lot.cpv_code = "90000000-7";
    lot.estimated_amount = "400 000";
    lot.departements = {"93"};
    lot.clause_kind = "insertion_hours";
    lot.insertion_hours = "1500";
    in.lots = {lot};
    return in;
}

class NoticeTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        clock_.set(core::from_utc(2026, 11, 28, 9, 0));
        blob_dir_ = std::filesystem::temp_directory_path() / ("passerelle-blobs-" + std::to_string(::getpid()));
        blobs_ = std::make_unique<FileBlobStore>(blob_dir_);
        notices_ = std::make_unique<NoticeService>(*db_, clock_, *reference_, *blobs_, "https://passerelle.test");
        roadmaps_ = std::make_unique<RoadmapService>(*db_, clock_, *reference_);
        buyer_user_ = signup("acheteur@ville.fr");
        buyer_ = make_buyer(buyer_user_);
        company_user_ = signup("contact@atelier.fr");
        company_ = make_company(company_user_);
    }
    std::int64_t published() {
        auto id = notices_->create(actor(buyer_user_), buyer_, notice_input(), std::nullopt);
        EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message);
        EXPECT_TRUE(notices_->publish(actor(buyer_user_), id.value()).ok());
        return id.value();
    }
    void TearDown() override { std::filesystem::remove_all(blob_dir_); }
    std::filesystem::path blob_dir_;
    std::unique_ptr<FileBlobStore> blobs_;
    std::unique_ptr<NoticeService> notices_;
    std::unique_ptr<RoadmapService> roadmaps_;
    std::int64_t buyer_user_ = 0, buyer_ = 0, company_user_ = 0, company_ = 0;
};

}  // namespace

TEST_F(NoticeTest, DraftsArePrivateAndReferencesUnique) {
    auto id = notices_->create(actor(buyer_user_), buyer_, notice_input(), std::nullopt);
    ASSERT_TRUE(id.ok());
    EXPECT_EQ(notices_->get(actor(company_user_), id.value()).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(notices_->list_public({}, false, {1, 20}).value().total, 0);
    auto dup = notices_->create(actor(buyer_user_), buyer_, notice_input(), std::nullopt);
    ASSERT_FALSE(dup.ok());
    EXPECT_TRUE(dup.error().fields.count("reference"));
    EXPECT_EQ(notices_->create(actor(company_user_), company_, notice_input(), std::nullopt).error().code,
              core::ErrorCode::kForbidden);
}

TEST_F(NoticeTest, PublishedNoticesAreListedAndCloseAtTheDeadline) {
    auto id = published();
    EXPECT_EQ(notices_->list_public({}, true, {1, 20}).value().total, 1);
    storage::notices::NoticeFilter f;
    f.clause_kind = "insertion_hours";
    f.departement = "93";
    f.text = "colleges";
    EXPECT_EQ(notices_->list_public(f, false, {1, 20}).value().total, 1);
    f.departement = "75";
    EXPECT_EQ(notices_->list_public(f, false, {1, 20}).value().total, 0);
    clock_.set(core::from_utc(2027, 1, 15, 11, 0));
    auto n = notices_->get(core::Actor{}, id).value();
    EXPECT_EQ(notices_->effective_status(n), core::NoticeStatus::kClosed);
    EXPECT_EQ(notices_->list_public({}, true, {1, 20}).value().total, 0);
    // Past the deadline it can be awarded straight away.
    ASSERT_TRUE(notices_->set_status(actor(buyer_user_), id, "awarded").ok());
    EXPECT_EQ(notices_->get(core::Actor{}, id).value().status, "awarded");
    EXPECT_FALSE(notices_->set_status(actor(buyer_user_), id, "unsuccessful").ok());
}

TEST_F(NoticeTest, AmendmentsAreRecordedAndSentToFollowers) {
    auto id = published();
    ASSERT_TRUE(notices_->follow(actor(company_user_), id).ok());
    auto in = notice_input();
    in.bid_deadline = "2027-01-22T12:00";
    ASSERT_TRUE(notices_->update(actor(buyer_user_), id, in).ok());
    auto h = notices_->history(core::Actor{}, id).value();
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[0].kind, "amendment");
    EXPECT_NE(h[0].summary.find("22 janvier 2027 à 12 h"), std::string::npos);
    auto m = mails("contact@atelier.fr");
    ASSERT_EQ(m.size(), 2u);  // verification, then the amendment
    EXPECT_EQ(m[0].subject, "Rectificatif : Nettoyage des collèges");
    EXPECT_NE(m[0].body_text.find("https://passerelle.test/consultations/"), std::string::npos);
    // A published notice cannot move its deadline into the past.
    in.bid_deadline = "2026-11-01T12:00";
    EXPECT_FALSE(notices_->update(actor(buyer_user_), id, in).ok());
}

TEST_F(NoticeTest, QuestionsBeforeTheDeadlineAnswersPublishedAnonymously) {
    auto id = published();
    EXPECT_EQ(notices_->ask(actor(buyer_user_), id, "?").error().code, core::ErrorCode::kForbidden);
    ASSERT_TRUE(notices_->ask(actor(company_user_), id, "Les vitres sont-elles comprises ?").ok());
    EXPECT_TRUE(notices_->is_following(actor(company_user_), id).value());
    EXPECT_TRUE(notices_->questions(core::Actor{}, id).value().empty());  // not answered yet
    auto for_buyer = notices_->questions(actor(buyer_user_), id).value();
    ASSERT_EQ(for_buyer.size(), 1u);
    EXPECT_TRUE(for_buyer[0].asker_email.empty());
    EXPECT_EQ(notices_->answer(actor(company_user_), id, for_buyer[0].id, "Oui").error().code,
              core::ErrorCode::kForbidden);
    ASSERT_TRUE(notices_->answer(actor(buyer_user_), id, for_buyer[0].id, "Oui, deux fois par an.").ok());
    EXPECT_EQ(notices_->answer(actor(buyer_user_), id, for_buyer[0].id, "Encore").error().code,
              core::ErrorCode::kConflict);
    auto pub = notices_->questions(core::Actor{}, id).value();
    ASSERT_EQ(pub.size(), 1u);
    EXPECT_EQ(pub[0].answer, "Oui, deux fois par an.");
    EXPECT_FALSE(pub[0].asker_user_id.has_value());
    EXPECT_EQ(mails("contact@atelier.fr")[0].subject, "Nouvelle réponse : Nettoyage des collèges");
    clock_.set(core::from_utc(2027, 1, 10, 0, 0));  // after the question deadline (9 January)
    EXPECT_EQ(notices_->ask(actor(company_user_), id, "Trop tard ?").error().code, core::ErrorCode::kConflict);
}

TEST_F(NoticeTest, NoticeFromARoadmapItemConvertsItAndTellsInterestedCompanies) {
    core::RoadmapItemInput r;
    r.title = "Nettoyage des collèges";
    r.cpv_codes = {"90000000"};
    r.amount_max = "500 000";
    r.quarter = "2027-T1";
    r.procedure = "ao_ouvert";
    r.departements = {"93"};
    auto item = roadmaps_->create(actor(buyer_user_), buyer_, r, true).value();
    ASSERT_TRUE(roadmaps_->express_interest(actor(company_user_), item, company_, "").ok());
    auto id = notices_->create(actor(buyer_user_), buyer_, notice_input(), item).value();
    ASSERT_TRUE(notices_->publish(actor(buyer_user_), id).ok());
    EXPECT_EQ(roadmaps_->get(core::Actor{}, item).value().status, "converted");
    auto m = mails("contact@atelier.fr");
    ASSERT_FALSE(m.empty());
    EXPECT_EQ(m[0].subject, "Consultation publiée : Nettoyage des collèges");
    EXPECT_NE(m[0].body_text.find("15 janvier 2027 à 12 h"), std::string::npos);
}

TEST_F(NoticeTest, PublishingAnOutdatedDraftIsRefused) {
    auto in = notice_input();
    in.bid_deadline = "2026-11-01T12:00";
    auto id = notices_->create(actor(buyer_user_), buyer_, in, std::nullopt).value();
    auto r = notices_->publish(actor(buyer_user_), id);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("futur"), std::string::npos);
    EXPECT_EQ(notices_->get(actor(buyer_user_), id).value().status, "draft");
}

TEST_F(NoticeTest, DocumentsAreCheckedStoredByHashAndDownloadsRecorded) {
    auto id = published();
    ASSERT_TRUE(notices_->follow(actor(company_user_), id).ok());
    auto bad = notices_->add_document(actor(buyer_user_), id, "rc.pdf", "<html><script>alert(1)</script>");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().fields.at("document").find("Format refusé"), std::string::npos);
    EXPECT_EQ(notices_->add_document(actor(company_user_), id, "rc.pdf", "%PDF-1.7").error().code,
              core::ErrorCode::kForbidden);
    auto doc = notices_->add_document(actor(buyer_user_), id, "C:\\DCE\\Règlement.pdf", "%PDF-1.7 contenu");
    ASSERT_TRUE(doc.ok()) << doc.error().message;
    ASSERT_TRUE(notices_->add_document(actor(buyer_user_), id, "copie.pdf", "%PDF-1.7 contenu").ok());  // same bytes
    auto list = notices_->documents(core::Actor{}, id).value();
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].filename, "Règlement.pdf");
    EXPECT_EQ(list[0].sha256, list[1].sha256);
    EXPECT_EQ(mails("contact@atelier.fr")[0].subject, "Rectificatif : Nettoyage des collèges");
    EXPECT_EQ(notices_->download(core::Actor{}, id, doc.value()).error().code, core::ErrorCode::kUnauthenticated);
    auto got = notices_->download(actor(company_user_), id, doc.value());
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->bytes, "%PDF-1.7 contenu");
    EXPECT_EQ(got->meta.content_type, "application/pdf");
    EXPECT_EQ(notices_->download_log(actor(company_user_), id).error().code, core::ErrorCode::kForbidden);
    auto log = notices_->download_log(actor(buyer_user_), id).value();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].user_email, "contact@atelier.fr");
    EXPECT_EQ(log[0].organisations, "Atelier Vert");
    EXPECT_EQ(notices_->download(actor(company_user_), id + 1, doc.value()).error().code, core::ErrorCode::kNotFound);
}

}  // namespace passerelle::app
