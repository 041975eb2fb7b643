#include "app/alerts.hpp"

#include <unistd.h>

#include <filesystem>

#include "app/indexer.hpp"
#include "app/notices.hpp"
#include "app/service_fixture.hpp"
#include "core/french.hpp"

namespace passerelle::app {

namespace {

class AlertTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        clock_.set(core::from_utc(2026, 11, 28, 9, 0));
        blob_dir_ = std::filesystem::temp_directory_path() / ("passerelle-al-" + std::to_string(::getpid()));
        blobs_ = std::make_unique<FileBlobStore>(blob_dir_);
        notices_ = std::make_unique<NoticeService>(*db_, clock_, *reference_, *blobs_, "https://passerelle.test");
        alerts_ = std::make_unique<AlertService>(*db_, clock_, percolator_, "https://passerelle.test");
        index_ = search::SearchIndex::open("").value();
        indexer_ = std::make_unique<Indexer>(*db_, *index_,
                                             [this](const search::IndexedDoc& d) { return alerts_->on_document(d); });
        buyer_user_ = signup("acheteur@ville.fr");
        buyer_ = make_buyer(buyer_user_);
        watcher_ = signup("veille@atelier.fr");
    }
    void TearDown() override { std::filesystem::remove_all(blob_dir_); }
    std::int64_t publish(const std::string& ref, const std::string& title, const std::string& dep) {
        core::NoticeInput in;
        in.reference = ref;
        in.title = title;
        in.procedure = "ao_ouvert";
        in.bid_deadline = "2027-01-15T12:00";
        core::LotInput lot;
        lot.cpv_code = "90000000";
        lot.departements = {dep};
        in.lots = {lot};
        auto id = notices_->create(actor(buyer_user_), buyer_, in, std::nullopt).value();
        EXPECT_TRUE(notices_->publish(actor(buyer_user_), id).ok());
        EXPECT_TRUE(indexer_->apply_outbox().ok());
        return id;
    }
    SavedSearchInput search(const std::string& name, const std::string& text, const std::string& dep,
                            const std::string& freq) {
        SavedSearchInput in;
        in.name = name;
        in.frequency = freq;
        in.query.text = text;
        in.query.departement = dep;
        return in;
    }
    search::Percolator percolator_;
    std::filesystem::path blob_dir_;
    std::unique_ptr<FileBlobStore> blobs_;
    std::unique_ptr<NoticeService> notices_;
    std::unique_ptr<AlertService> alerts_;
    std::unique_ptr<search::SearchIndex> index_;
    std::unique_ptr<Indexer> indexer_;
    std::int64_t buyer_user_ = 0, buyer_ = 0, watcher_ = 0;
};

}  // namespace

TEST_F(AlertTest, ImmediateAlertSaysWhyAndCanBeStoppedWithoutLogin) {
    ASSERT_TRUE(alerts_->save(actor(watcher_), search("Nettoyage 93", "nettoyage", "93", "immediate")).ok());
    publish("A-1", "Nettoyage des crèches", "75");  // wrong département
    publish("A-2", "Nettoyage des écoles", "93");
    auto list = alerts_->notifications(actor(watcher_)).value();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].title, "Nettoyage des écoles");
    EXPECT_EQ(list[0].reason, "mots : nettoyage ; département 93");
    auto m = mails("veille@atelier.fr");
    ASSERT_EQ(m[0].subject, "Alerte « Nettoyage 93 » : Nettoyage des écoles");
    EXPECT_NE(m[0].body_text.find("Pourquoi : mots : nettoyage ; département 93"), std::string::npos);
    auto pos = m[0].body_text.find("desabonnement?jeton=");
    ASSERT_NE(pos, std::string::npos);
    std::string token = m[0].body_text.substr(pos + 20, 43);
    EXPECT_EQ(alerts_->unsubscribe(token).value(), "Nettoyage 93");
    publish("A-3", "Nettoyage des gymnases", "93");
    EXPECT_EQ(mails("veille@atelier.fr").size(), m.size());                 // no new e-mail
    EXPECT_EQ(alerts_->notifications(actor(watcher_)).value().size(), 2u);  // still in the list
}

TEST_F(AlertTest, DailyDigestGroupsAlerts) {
    ASSERT_TRUE(alerts_->save(actor(watcher_), search("Tout le 93", "", "93", "daily")).ok());
    publish("B-1", "Entretien des parcs", "93");
    publish("B-2", "Entretien des voiries", "93");
    auto before = mails("veille@atelier.fr").size();
    EXPECT_EQ(alerts_->send_digests().value(), 0);  // not a day yet
    clock_.advance(86400);
    EXPECT_EQ(alerts_->send_digests().value(), 1);
    auto m = mails("veille@atelier.fr");
    ASSERT_EQ(m.size(), before + 1);
    EXPECT_EQ(m[0].subject, "Votre veille du jour : « Tout le 93 »");
    EXPECT_NE(m[0].body_text.find("Entretien des parcs"), std::string::npos);
    EXPECT_NE(m[0].body_text.find("Entretien des voiries"), std::string::npos);
    clock_.advance(86400);
    EXPECT_EQ(alerts_->send_digests().value(), 0);  // nothing new
}

TEST_F(AlertTest, FeedsAreSecretAndSearchesBelongToTheirOwner) {
    auto id = alerts_->save(actor(watcher_), search("Écoles", "ecoles", "", "weekly")).value();
    publish("C-1", "Restauration des écoles", "75");
    auto mine = alerts_->mine(actor(watcher_)).value();
    ASSERT_EQ(mine.size(), 1u);
    auto feed = alerts_->feed(mine[0].feed_token).value();
    ASSERT_EQ(feed.second.size(), 1u);
    EXPECT_EQ(feed.second[0].title, "Restauration des écoles");
    EXPECT_EQ(alerts_->feed("pas-le-bon-jeton-mais-assez-long").error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(alerts_->remove(actor(buyer_user_), id).error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(alerts_->save(core::Actor{}, search("x", "", "", "daily")).error().code,
              core::ErrorCode::kUnauthenticated);
    EXPECT_TRUE(alerts_->save(actor(watcher_), search("", "x", "", "hourly")).error().fields.count("frequency"));
    ASSERT_TRUE(alerts_->remove(actor(watcher_), id).ok());
    EXPECT_EQ(percolator_.size(), 0u);
}

}  // namespace passerelle::app
