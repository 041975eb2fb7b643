// eForms and BOAMP imports on every file of ../shared/data/eforms/examples/notices and boamp/xml_2017, with
// the exact counts, the mapping of one French notice of each format, idempotence and indexing.
#include "app/notice_import.hpp"

#include <filesystem>

#include "app/indexer.hpp"
#include "app/organisations.hpp"
#include "app/service_fixture.hpp"
#include "app/text_file.hpp"
#include "core/french.hpp"
#include "storage/org_store.hpp"

namespace passerelle::app {

namespace {

namespace fs = std::filesystem;
const fs::path kShared = fs::path(PASSERELLE_SHARED_DIR) / "data";

class NoticeImportTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        service_ = std::make_unique<ExternalNoticeService>(*db_, clock_);
    }
    NoticeImportReport run(const std::string& source, const fs::path& p) {
        auto r = service_->import_path(source, p);
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
        return r.ok() ? r.value() : NoticeImportReport{};
    }
    storage::external_notices::ExternalNoticeRecord by_source_id(const std::string& id) {
        auto rows = db_->query("SELECT id FROM external_notices WHERE source_id = ?", {id});
        EXPECT_FALSE(rows->empty()) << id;
        return service_->get(rows.value()[0].int64(0)).value();
    }
    std::unique_ptr<ExternalNoticeService> service_;
};

TEST_F(NoticeImportTest, EveryEformsExample) {
    auto r = run("eforms", kShared / "eforms/examples/notices");
    EXPECT_EQ(r.files, 82);
    EXPECT_EQ(r.imported, 69);  // 70 notices with an identifier, one of them in two identical files
    EXPECT_EQ(r.unchanged, 1);
    ASSERT_EQ(r.rejected.size(), 12u);  // 10 deliberately invalid without identifier, 2 registration notices
    for (const auto& x : r.rejected) {
        SCOPED_TRACE(x.file);
        EXPECT_TRUE(x.file.rfind("INVALID_", 0) == 0 || x.file.rfind("X0", 0) == 0);
        EXPECT_FALSE(x.reason.empty());
    }
    auto types = db_->query("SELECT notice_type, COUNT(*) FROM external_notices GROUP BY notice_type ORDER BY 1");
    ASSERT_EQ(types->size(), 3u);
    EXPECT_EQ(types.value()[0].text(0), "award");
    EXPECT_EQ(types.value()[1].text(0), "competition");
    EXPECT_EQ(types.value()[2].text(0), "planning");

    // The French contract notice: buyer, lots, CPV, NUTS place, deadline with its time zone, reservation.
    auto n = by_source_id("da4d46e9-490b-41ff-a2ae-8166d356a619");
    EXPECT_EQ(n.notice_type, "competition");
    EXPECT_EQ(n.buyer_name, "Rouen Habitat");
    EXPECT_EQ(n.title, "Service d'entretien de remise en état et de nettoyage des espaces verts");
    EXPECT_EQ(n.departements, std::vector<std::string>{"76"});  // NUTS FRD22
    ASSERT_FALSE(n.cpv_codes.empty());
    EXPECT_EQ(n.cpv_codes[0], "77310000");
    ASSERT_TRUE(n.bid_deadline);
    EXPECT_EQ(*n.bid_deadline, core::from_utc(2019, 6, 24, 16, 0));
    EXPECT_EQ(n.published_on, "2019-05-10");
    EXPECT_NE(n.lots_json.find("LOT-0001"), std::string::npos);

    auto again = run("eforms", kShared / "eforms/examples/notices");
    EXPECT_EQ(again.imported + again.updated, 0);
    EXPECT_EQ(again.unchanged, 70);
}

TEST_F(NoticeImportTest, EveryBoampNotice) {
    auto r = run("boamp", kShared / "boamp/xml_2017");
    EXPECT_EQ(r.files, 19);
    EXPECT_EQ(r.imported, 19);
    EXPECT_TRUE(r.rejected.empty());
    auto types = db_->query("SELECT notice_type, COUNT(*) FROM external_notices GROUP BY notice_type ORDER BY 1");
    EXPECT_EQ(types.value()[0].int64(1), 11);  // award
    EXPECT_EQ(types.value()[1].int64(1), 8);   // competition
    auto n = by_source_id("16-186394");
    EXPECT_EQ(n.buyer_name, "Ville de Paris");
    EXPECT_EQ(n.departements, std::vector<std::string>{"75"});
    EXPECT_EQ(n.cpv_codes, std::vector<std::string>{"50118110"});
    EXPECT_EQ(n.procedure, "ao_ouvert");
    ASSERT_TRUE(n.bid_deadline);
    EXPECT_EQ(*n.bid_deadline, core::from_utc(2017, 2, 7, 11, 0));  // 12:00+01:00
    EXPECT_EQ(n.url, "https://www.boamp.fr/avis/detail/16-186394");
    EXPECT_NE(n.lots_json.find("remorquage"), std::string::npos);
    auto again = run("boamp", kShared / "boamp/xml_2017");
    EXPECT_EQ(again.unchanged, 19);
}

TEST_F(NoticeImportTest, TheBuyerIsLinkedToItsProfileBySiret) {
    std::int64_t buyer = 0;
    ASSERT_TRUE(db_->with_connection([&](storage::Connection& c) -> core::Status {
                       auto id =
                           storage::orgs::insert_org(c, unclaimed_profile("buyer", "26830066200015", "Acheteur"), 1);
                       if (!id) return id.error();
                       buyer = id.value();
                       return {};
                   })
                    .ok());
    run("boamp", kShared / "boamp/xml_2017");
    EXPECT_EQ(by_source_id("17-2599").buyer_org_id, buyer);
    EXPECT_FALSE(by_source_id("16-186394").buyer_org_id);  // Ville de Paris: no SIRET in the notice
}

TEST_F(NoticeImportTest, NotANoticeIsRejectedWithItsReason) {
    EXPECT_FALSE(parse_boamp("<html/>").ok());
    EXPECT_FALSE(parse_eforms("<ContractNotice>").ok());  // not well-formed
    auto wrong = parse_eforms("<BusinessRegistrationInformationNotice/>");
    ASSERT_FALSE(wrong.ok());
    EXPECT_NE(wrong.error().message.find("n'est pas un avis"), std::string::npos);
    EXPECT_FALSE(service_->import_path("boamp", "/nonexistent").ok());
}

// Found by fuzzing (fuzz/seeds/eforms_fuzz/crash-invalid-utf8-lot): a byte that is not UTF-8 in a lot's
// title made the parser throw while writing the lots as JSON.
TEST_F(NoticeImportTest, TextThatIsNotUtf8IsRejectedWithItsReason) {
    auto xml = read_file(kShared / "eforms/examples/notices/cn_24_FRA_comments.xml");
    ASSERT_TRUE(xml.ok());
    ASSERT_TRUE(parse_eforms(*xml).ok());
    std::string broken = *xml;
    auto at = broken.find("<cbc:Name");
    ASSERT_NE(at, std::string::npos);
    broken.insert(broken.find('>', at) + 1, "caf\xE9 ");
    auto r = parse_eforms(broken);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("UTF-8"), std::string::npos);
    auto boamp = read_file(kShared / "boamp/xml_2017/test-pub.xml");
    ASSERT_TRUE(boamp.ok());
    std::string broken_boamp = *boamp;
    broken_boamp.insert(broken_boamp.rfind('<'), "\xED\xA0\x80");  // a surrogate
    EXPECT_FALSE(parse_boamp(broken_boamp).ok());
}

// A time or zone that is not digits made std::stoi throw out of the parser; now the instant is unknown.
TEST_F(NoticeImportTest, AMalformedTimeLeavesTheDeadlineUnknownWithoutThrowing) {
    auto xml = read_file(kShared / "eforms/examples/notices/cn_24_FRA_comments.xml");
    ASSERT_TRUE(xml.ok());
    auto good = parse_eforms(*xml);
    ASSERT_TRUE(good.ok());
    for (const char* bad : {"<cbc:EndTime>ab:00:00Z", "<cbc:EndTime>16:00:00+x1:00", "<cbc:EndTime>99:99:00Z"}) {
        std::string broken = *xml;
        for (auto at = broken.find("<cbc:EndTime>16:00:00Z"); at != std::string::npos;
             at = broken.find("<cbc:EndTime>16:00:00Z", at + 1))
            broken.replace(at, 22, bad);
        core::Result<storage::external_notices::ExternalNoticeRecord> r = core::Error::Internal("not run");
        EXPECT_NO_THROW(r = parse_eforms(broken)) << bad;
        ASSERT_TRUE(r.ok()) << bad;
        EXPECT_EQ(r->title, good->title);
    }
}

TEST_F(NoticeImportTest, ImportedNoticesAreSearchedAsConsultations) {
    run("boamp", kShared / "boamp/xml_2017");
    auto index = search::SearchIndex::open("").value();
    Indexer indexer(*db_, *index);
    ASSERT_TRUE(indexer.apply_outbox(1000).ok());
    search::Query q;
    q.text = "remorquage vehicules";
    q.kind = "notice";
    auto res = index->search(q);
    ASSERT_TRUE(res.ok());
    ASSERT_GE(res->total, 1);
    EXPECT_EQ(res->hits[0].kind, "external");
    EXPECT_EQ(entity_path("external", res->hits[0].id), "/consultations/externes/" + std::to_string(res->hits[0].id));

    // A full rebuild finds every imported notice again, whatever the other tables hold.
    auto rebuilt = search::SearchIndex::open("").value();
    Indexer again(*db_, *rebuilt);
    auto n = again.reindex_all();
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(n.value(), 19);
    search::Query all;
    all.kind = "notice";
    EXPECT_EQ(rebuilt->search(all)->total, 19);
}

}  // namespace
}  // namespace passerelle::app
