#include "app/indexer.hpp"

#include <unistd.h>

#include <filesystem>

#include "app/notices.hpp"
#include "app/roadmaps.hpp"
#include "app/service_fixture.hpp"
#include "core/french.hpp"
#include "storage/contract_store.hpp"
#include "storage/search_outbox_store.hpp"

namespace passerelle::app {

namespace {

class IndexerTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        clock_.set(core::from_utc(2026, 11, 28, 9, 0));
        blob_dir_ = std::filesystem::temp_directory_path() / ("passerelle-ix-" + std::to_string(::getpid()));
        blobs_ = std::make_unique<FileBlobStore>(blob_dir_);
        notices_ = std::make_unique<NoticeService>(*db_, clock_, *reference_, *blobs_, "https://passerelle.test");
        roadmaps_ = std::make_unique<RoadmapService>(*db_, clock_, *reference_);
        index_ = search::SearchIndex::open("").value();
        indexer_ = std::make_unique<Indexer>(*db_, *index_);
        buyer_user_ = signup("acheteur@ville.fr");
        buyer_ = make_buyer(buyer_user_);
    }
    void TearDown() override { std::filesystem::remove_all(blob_dir_); }
    core::NoticeInput input(const std::string& ref, const std::string& title) {
        core::NoticeInput in;
        in.reference = ref;
        in.title = title;
        in.procedure = "ao_ouvert";
        in.bid_deadline = "2027-01-15T12:00";
        core::LotInput lot;
        lot.cpv_code = "90000000";
        lot.departements = {"93"};
        lot.clause_kind = "reserved_siae";
        in.lots = {lot};
        return in;
    }
    std::vector<std::int64_t> found(const std::string& text, const std::string& kind = "") {
        search::Query q;
        q.text = text;
        q.kind = kind;
        std::vector<std::int64_t> out;
        auto results = index_->search(q);  // kept alive: the loop reads its members
        for (const auto& h : results.value().hits) out.push_back(h.id);
        return out;
    }
    std::filesystem::path blob_dir_;
    std::unique_ptr<FileBlobStore> blobs_;
    std::unique_ptr<NoticeService> notices_;
    std::unique_ptr<RoadmapService> roadmaps_;
    std::unique_ptr<search::SearchIndex> index_;
    std::unique_ptr<Indexer> indexer_;
    std::int64_t buyer_user_ = 0, buyer_ = 0;
};

}  // namespace

TEST_F(IndexerTest, TheIndexFollowsTheDatabaseThroughTheOutbox) {
    auto id =
        notices_
            ->create(actor(buyer_user_), buyer_, input("2027-A", "Entretien énergétique des gymnases"), std::nullopt)
            .value();
    EXPECT_EQ(indexer_->apply_outbox().value(), 1);
    EXPECT_TRUE(found("gymnases").empty());  // a draft is not searchable
    ASSERT_TRUE(notices_->publish(actor(buyer_user_), id).ok());
    EXPECT_EQ(indexer_->apply_outbox().value(), 1);
    EXPECT_EQ(found("energetique gymnase"), std::vector<std::int64_t>{id});
    // The CPV label of division 90 brings the word "hygienisation" although the text lacks it.
    EXPECT_EQ(found("hygienisation"), std::vector<std::int64_t>{id});
    auto in = input("2027-A", "Entretien des piscines");
    ASSERT_TRUE(notices_->update(actor(buyer_user_), id, in).ok());
    EXPECT_EQ(indexer_->apply_outbox().value(), 1);
    EXPECT_TRUE(found("gymnases").empty());
    EXPECT_EQ(found("piscine"), std::vector<std::int64_t>{id});
    EXPECT_EQ(indexer_->apply_outbox().value(), 0);  // nothing left
}

TEST_F(IndexerTest, ACrashBeforeAcknowledgingLosesNothing) {
    auto id =
        notices_->create(actor(buyer_user_), buyer_, input("2027-B", "Collecte des déchets"), std::nullopt).value();
    ASSERT_TRUE(notices_->publish(actor(buyer_user_), id).ok());
    // A fresh index (as after a crash that lost it) and an outbox not yet acknowledged: applying again works.
    auto other = search::SearchIndex::open("").value();
    Indexer again(*db_, *other);
    EXPECT_EQ(again.apply_outbox().value(), 2);
    search::Query q;
    q.text = "dechets";
    EXPECT_EQ(other->search(q).value().hits.size(), 1u);
}

TEST_F(IndexerTest, ReindexRebuildsEverythingPublic) {
    auto a =
        notices_->create(actor(buyer_user_), buyer_, input("2027-C", "Nettoyage des vitres"), std::nullopt).value();
    ASSERT_TRUE(notices_->publish(actor(buyer_user_), a).ok());
    ASSERT_TRUE(notices_->create(actor(buyer_user_), buyer_, input("2027-D", "Brouillon secret"), std::nullopt).ok());
    core::RoadmapItemInput r;
    r.title = "Restauration scolaire";
    r.cpv_codes = {"55000000"};
    r.amount_max = "900 000";
    r.quarter = "2027-T2";
    r.procedure = "ao_ouvert";
    r.departements = {"75"};
    auto item = roadmaps_->create(actor(buyer_user_), buyer_, r, true).value();
    EXPECT_EQ(indexer_->reindex_all().value(), 2);
    EXPECT_EQ(found("vitres", "notice"), std::vector<std::int64_t>{a});
    EXPECT_EQ(found("restauration", "roadmap"), std::vector<std::int64_t>{item});
    EXPECT_TRUE(found("secret").empty());
    EXPECT_EQ(index_->size(), 2);
}

// Issue 20, item 6: an index knows which database, and which point of its history, it reflects.
TEST_F(IndexerTest, AnIndexOfAnotherDatabaseOrAnotherPointOfItsHistoryIsRebuilt) {
    auto a =
        notices_->create(actor(buyer_user_), buyer_, input("2027-F", "Entretien des toitures"), std::nullopt).value();
    ASSERT_TRUE(notices_->publish(actor(buyer_user_), a).ok());
    EXPECT_TRUE(indexer_->needs_rebuild());  // empty
    EXPECT_EQ(indexer_->reindex_all().value(), 1);
    EXPECT_FALSE(indexer_->needs_rebuild());
    // Changes applied through the outbox keep it in step: a restart would not rebuild it.
    auto b = notices_->create(actor(buyer_user_), buyer_, input("2027-G", "Taille des haies"), std::nullopt).value();
    ASSERT_TRUE(notices_->publish(actor(buyer_user_), b).ok());
    EXPECT_FALSE(indexer_->needs_rebuild());  // behind, but only by changes still waiting in the outbox
    EXPECT_GE(indexer_->apply_outbox().value(), 2);
    EXPECT_FALSE(indexer_->needs_rebuild());

    // The same index read with another database (another --db with the same var/): rebuilt.
    auto other_db = storage::open_database("sqlite::memory:", 1).value();
    ASSERT_TRUE(storage::migrate(*other_db, PASSERELLE_MIGRATIONS_DIR).ok());
    Indexer other(*other_db, *index_);
    EXPECT_TRUE(other.needs_rebuild());
    EXPECT_EQ(other.reindex_all().value(), 0);
    EXPECT_TRUE(found("haies").empty());     // the documents of the first database are gone
    EXPECT_TRUE(indexer_->needs_rebuild());  // and the first database no longer recognises it

    // An index ahead of the database (a backup restored under it): rebuilt.
    EXPECT_EQ(indexer_->reindex_all().value(), 2);
    auto c = notices_->create(actor(buyer_user_), buyer_, input("2027-H", "Élagage"), std::nullopt).value();
    ASSERT_TRUE(notices_->publish(actor(buyer_user_), c).ok());
    EXPECT_GE(indexer_->apply_outbox().value(), 2);
    auto position = storage::fetch<storage::search_outbox::Position>(*db_, [](storage::Connection& conn) {
                        return storage::search_outbox::position(conn);
                    }).value();
    EXPECT_EQ(position.database_id.size(), 32u);
    ASSERT_TRUE(db_->with_connection([&](storage::Connection& conn) -> core::Status {
                       auto r = conn.exec("UPDATE settings SET value = ? WHERE key = 'search_acknowledged'",
                                          {std::to_string(position.acknowledged - 2)});
                       if (!r) return r.error();
                       return {};
                   })
                    .ok());
    EXPECT_TRUE(indexer_->needs_rebuild());
}

TEST_F(IndexerTest, ReindexOnDiskLeavesACompactedIndexThatKeepsFollowingTheDatabase) {
    const auto dir = blob_dir_ / "search";
    index_ = search::SearchIndex::open(dir.string()).value();
    indexer_ = std::make_unique<Indexer>(*db_, *index_);
    auto a =
        notices_->create(actor(buyer_user_), buyer_, input("2027-E", "Nettoyage des vitres"), std::nullopt).value();
    ASSERT_TRUE(notices_->publish(actor(buyer_user_), a).ok());
    EXPECT_EQ(indexer_->reindex_all().value(), 1);
    EXPECT_FALSE(indexer_->needs_rebuild());  // the format mark survives the compaction
    EXPECT_EQ(found("vitres", "notice"), std::vector<std::int64_t>{a});
    EXPECT_FALSE(std::filesystem::exists(dir.string() + ".compact"));
    EXPECT_FALSE(std::filesystem::exists(dir.string() + ".old"));
    // The compacted index takes the next changes.
    auto b =
        notices_->create(actor(buyer_user_), buyer_, input("2027-F", "Entretien des vitres"), std::nullopt).value();
    ASSERT_TRUE(notices_->publish(actor(buyer_user_), b).ok());
    ASSERT_TRUE(indexer_->apply_outbox().ok());
    auto both = found("vitres", "notice");
    std::sort(both.begin(), both.end());
    EXPECT_EQ(both, (std::vector<std::int64_t>{a, b}));
    indexer_.reset();
    index_.reset();
}

}  // namespace passerelle::app

namespace passerelle::app {
namespace {

TEST_F(IndexerTest, CompaniesAreFoundByTheirSkillsPlacesLabelsAndReferences) {
    // A company declaring cleaning (CPV 90) in the 93, an SIAE; the buyer is not in the directory.
    const std::int64_t company = make_company(signup("a@atelier.fr"), {"90000000"}, {"93"});
    storage::contracts::ContractRecord won;
    won.key = "k";
    won.source_id = "k";
    won.format = "decp-v1";
    won.kind = "marche";
    won.buyer_identifier = "21750001600019";
    won.object = "Entretien des espaces verts du parc départemental";
    won.cpv = "77310000";
    won.departement = "94";
    won.notified_on = "2024-03-01";
    won.content_hash = "k";
    won.suppliers = {{company, "73282932000074", "SIRET", "Atelier Vert", ""}};
    ASSERT_TRUE(db_->with_connection([&](storage::Connection& c) -> core::Status {
                       if (auto id = storage::contracts::insert(c, won, 1); !id) return id.error();
                       return storage::search_outbox::enqueue(c, "company", company, 1);
                   })
                    .ok());
    ASSERT_TRUE(indexer_->apply_outbox().ok());
    EXPECT_EQ(found("atelier", "company"), std::vector<std::int64_t>{company});
    EXPECT_EQ(found("espaces verts", "company"), std::vector<std::int64_t>{company});  // a reference's object
    EXPECT_EQ(found("73282932000074", "company"), std::vector<std::int64_t>{company});
    EXPECT_TRUE(found("ville", "company").empty());  // the buyer's profile is not a company

    search::Query q;
    q.kind = "company";
    auto r = index_->search(q).value();
    EXPECT_EQ(r.total, 1);
    EXPECT_EQ(r.facets["label"]["siae_ei"], 1);
    EXPECT_EQ(r.facets["label"]["siae"], 1);  // every kind of SIAE, for the directory's filter
    EXPECT_EQ(r.facets["size"]["PME"], 1);
    EXPECT_EQ(r.facets["departement"]["93"], 1);  // declared
    EXPECT_EQ(r.facets["departement"]["94"], 1);  // where it worked
    EXPECT_EQ(r.facets["division"]["90"], 1);
    EXPECT_EQ(r.facets["division"]["77"], 1);
    EXPECT_EQ(r.facets["status"]["claimed"], 1);
    q.label = "ea";
    EXPECT_EQ(index_->search(q).value().total, 0);

    // Notices and roadmap items are searched without the directory.
    EXPECT_TRUE(found("atelier", "notice").empty());
    EXPECT_TRUE(indexer_->needs_rebuild());         // an index from before the directory
    EXPECT_EQ(indexer_->reindex_all().value(), 2);  // the company and its contract
    EXPECT_EQ(index_->format(), Indexer::kFormat);
    EXPECT_FALSE(indexer_->needs_rebuild());
}

}  // namespace
}  // namespace passerelle::app
