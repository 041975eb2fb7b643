// DECP import on every JSON and CSV file of ../shared/data/decp, with the exact counts (cross-checked by
// an independent count of distinct keys), idempotence, updates, damaged input and organisation matching.
#include "app/decp_import.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/contracts.hpp"
#include "app/indexer.hpp"
#include "app/service_fixture.hpp"
#include "storage/contract_store.hpp"

namespace passerelle::app {

namespace {

namespace fs = std::filesystem;

const fs::path kDecp = fs::path(PASSERELLE_SHARED_DIR) / "data" / "decp";

class DecpImportTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        importer_ = std::make_unique<DecpImporter>(*db_, clock_);
        dir_ = fs::temp_directory_path() / ("passerelle-decp-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    ImportReport run(const fs::path& file) {
        auto r = importer_->import_file(file);
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
        return r.ok() ? r.value() : ImportReport{};
    }
    fs::path write(const std::string& name, const std::string& text) {
        fs::path p = dir_ / name;
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }
    std::optional<storage::contracts::ContractRecord> by_source_id(const std::string& source_id) {
        auto rows = db_->query("SELECT id FROM contracts WHERE source_id = ?", {source_id});
        if (!rows.ok() || rows->empty()) return std::nullopt;
        return ContractService(*db_, "").get(rows.value()[0].int64(0)).value();
    }

    std::unique_ptr<DecpImporter> importer_;
    fs::path dir_;
};

TEST(DecpRead, ReadsInPlaceOrFromACopyAlike) {
    // read_file leaves room after the text, so JSON is parsed in place; a string without that room is
    // copied first. Both read the same records, up to the last byte.
    const std::string json =
        "{\"marches\": [{\"id\": \"A1\", \"objet\": \"Nettoyage des locaux\", \"acheteur\": {\"id\": "
        "\"28850001000013\"}}, {\"id\": \"A2\", \"objet\": \"Élagage\"}]}";
    auto read = [](const std::string& text) {
        ImportReport report;
        std::vector<std::string> seen;
        auto st = read_decp(text, report, [&](std::int64_t pos, core::RawContract raw) -> core::Status {
            seen.push_back(std::to_string(pos) + ":" + raw.id + ":" + raw.object + ":" + raw.buyer.id);
            return {};
        });
        EXPECT_TRUE(st.ok());
        EXPECT_EQ(report.format, "decp-v1");
        EXPECT_TRUE(report.stopped.empty()) << report.stopped;
        return seen;
    };
    std::string roomy = json;
    roomy.reserve(json.size() + 64);
    std::string tight = json;
    tight.shrink_to_fit();
    ASSERT_LT(tight.capacity(), tight.size() + 64);
    const std::vector<std::string> expected = {"1:A1:Nettoyage des locaux:28850001000013", "2:A2:Élagage:"};
    EXPECT_EQ(read(roomy), expected);
    EXPECT_EQ(read(tight), expected);
}

TEST_F(DecpImportTest, V1FileFromFourPlatforms) {
    auto r = run(kDecp / "v1_2018-2019" / "decp_v1_2018-2019.json");
    EXPECT_EQ(r.format, "decp-v1");
    EXPECT_EQ(r.read, 8439);
    EXPECT_EQ(r.imported, 8176);   // distinct (buyer, id, notification date)
    EXPECT_EQ(r.superseded, 257);  // same key later in the file
    EXPECT_EQ(r.rejected, 6);      // 5 without identifier, object or date; 1 without buyer
    EXPECT_EQ(r.updated, 0);
    EXPECT_EQ(r.read, r.imported + r.updated + r.unchanged + r.superseded + r.rejected);
    EXPECT_EQ(r.rejections.size(), 6u);
    EXPECT_EQ(r.rejections[0].position, 1875);
    // 2,887 records carry U+FFFD; 4 of them are among the rejected.
    EXPECT_EQ(r.warning_counts["caractères accentués perdus à la source (�)"], 2883);
    EXPECT_EQ(r.warning_counts["code CPV à 7 chiffres … : zéro initial restitué"], 75);
    EXPECT_EQ(r.warning_counts["date de notification impossible … : ignorée"], 2);
    EXPECT_TRUE(r.stopped.empty());
    EXPECT_EQ(count("contracts"), 8176);
    EXPECT_EQ(count("search_outbox WHERE kind = 'contract'"), 8176 + 257);
    // Each supplier's directory entry is refreshed with its references (at least once per supplier).
    EXPECT_EQ(count("contract_suppliers WHERE org_id IS NOT NULL AND org_id NOT IN "
                    "(SELECT entity_id FROM search_outbox WHERE kind = 'company')"),
              0);
    // …once per batch (one batch here; and once more when its profile was created), however many of its
    // contracts it holds.
    EXPECT_EQ(count("(SELECT entity_id FROM search_outbox WHERE kind = 'company' GROUP BY entity_id "
                    "HAVING COUNT(*) > 2)"),
              0);

    // The first record of the file, as published (accents lost upstream, no date at all).
    auto c = by_source_id(
        "83455372900015"
        "2018COs68fWklM00");
    ASSERT_TRUE(c);
    EXPECT_NE(c->buyer_name.find("Soci\xEF\xBF\xBDt\xEF\xBF\xBD de livraison"), std::string::npos);
    EXPECT_EQ(c->cpv, "79100000");
    EXPECT_EQ(c->notified_on, "");
    EXPECT_EQ(c->departement, "75");
    EXPECT_DOUBLE_EQ(*c->amount, 26130);
    EXPECT_EQ(c->duration_months, 12);
    EXPECT_EQ(c->procedure, "ao_ouvert");
    EXPECT_EQ(c->source, "data.gouv.fr_aife");
    ASSERT_EQ(c->suppliers.size(), 1u);
    EXPECT_EQ(c->suppliers[0].identifier, "78471226700060");
    EXPECT_NE(c->warnings.find("caractères accentués perdus"), std::string::npos);
    auto cpv_with_check_digit = db_->query("SELECT COUNT(*) FROM contracts WHERE length(cpv) <> 8 AND cpv <> ''");
    EXPECT_EQ(cpv_with_check_digit.value()[0].int64(0), 0);

    // A second import changes nothing.
    auto again = run(kDecp / "v1_2018-2019" / "decp_v1_2018-2019.json");
    EXPECT_EQ(again.imported, 0);
    EXPECT_EQ(again.updated, 0);
    EXPECT_EQ(again.unchanged, 8176);
    EXPECT_EQ(again.superseded, 257);
    EXPECT_EQ(again.organisations_created, 0);
    EXPECT_EQ(count("contracts"), 8176);
}

TEST_F(DecpImportTest, ManySmallBatchesWrittenWhileTheNextAreReadGiveTheSameCounts) {
    // 97 records a batch: keys repeated across batches go through the update path of a later batch.
    importer_->set_batch_size(97);
    auto r = run(kDecp / "v1_2018-2019" / "decp_v1_2018-2019.json");
    EXPECT_EQ(r.read, 8439);
    EXPECT_EQ(r.imported, 8176);
    EXPECT_EQ(r.superseded, 257);
    EXPECT_EQ(r.rejected, 6);
    EXPECT_EQ(r.updated, 0);
    EXPECT_EQ(r.rejections[0].position, 1875);
    EXPECT_EQ(r.warning_counts["caractères accentués perdus à la source (�)"], 2883);
    EXPECT_EQ(count("contracts"), 8176);
    EXPECT_EQ(count("search_outbox WHERE kind = 'contract'"), 8176 + 257);
    auto again = run(kDecp / "v1_2018-2019" / "decp_v1_2018-2019.json");
    EXPECT_EQ(again.unchanged, 8176);
    EXPECT_EQ(again.superseded, 257);
    EXPECT_EQ(count("contracts"), 8176);
}

TEST_F(DecpImportTest, AFailedBatchStopsTheImportWithItsErrorAndKeepsTheBatchesBefore) {
    ASSERT_TRUE(db_->exec("CREATE TRIGGER refuse BEFORE INSERT ON contracts WHEN NEW.source_position = 2500 "
                          "BEGIN SELECT RAISE(ABORT, 'disque plein'); END")
                    .ok());
    importer_->set_batch_size(1000);
    auto r = importer_->import_file(kDecp / "v1_2018-2019" / "decp_v1_2018-2019.json");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("disque plein"), std::string::npos) << r.error().message;
    // The two batches before were written; nothing of the failed one, nor after it.
    EXPECT_GT(count("contracts"), 1500);
    auto last = db_->query("SELECT MAX(source_position) FROM contracts");
    ASSERT_TRUE(last.ok());
    EXPECT_LT(last.value()[0].int64(0), 2500);
}

TEST_F(DecpImportTest, V1FileWithPublisherQuirks) {
    auto r = run(kDecp / "v1_croix_2019-2021" / "decp_21590163800019_2019-2021.json");
    EXPECT_EQ(r.read, 127);
    EXPECT_EQ(r.imported, 120);
    EXPECT_EQ(r.superseded, 7);
    EXPECT_EQ(r.rejected, 0);
    // 33 records have an empty "id": kept under a key made of object, date and supplier.
    EXPECT_EQ(r.warning_counts["identifiant du marché absent : reconnu par son objet, sa date et son titulaire"], 33);
    // Numbers as strings, "nom " with a trailing space, "Code Postal".
    auto rows = db_->query(
        "SELECT amount, duration_months, departement FROM contracts WHERE object = "
        "'ENTRETIEN DES TERRAINS SYNTHETIQUES DE FOOTBALL'");
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_DOUBLE_EQ(rows.value()[0].real(0), 39200.0);
    EXPECT_EQ(rows.value()[0].int64(1), 48);
    EXPECT_EQ(rows.value()[0].text(2), "59");
    auto again = run(kDecp / "v1_croix_2019-2021" / "decp_21590163800019_2019-2021.json");
    EXPECT_EQ(again.imported + again.updated, 0);
    EXPECT_EQ(again.unchanged, 120);
}

TEST_F(DecpImportTest, TabularCsvMergesTheRowsOfOneContract) {
    auto r = run(kDecp / "tabular_2024H2_travaux" / "decp_2024H2_travaux_cpv4521.csv");
    EXPECT_EQ(r.format, "decp-csv");
    EXPECT_EQ(r.rows, 7191);
    EXPECT_EQ(r.read, 5619);  // distinct (buyer, id, notification date); consecutive rows merged
    EXPECT_EQ(r.imported, 5619);
    EXPECT_EQ(r.rejected, 0);
    EXPECT_EQ(count("contract_suppliers"), 7189);  // two rows name no supplier at all
    EXPECT_EQ(r.warning_counts["aucun titulaire"], 2);
    auto again = run(kDecp / "tabular_2024H2_travaux" / "decp_2024H2_travaux_cpv4521.csv");
    EXPECT_EQ(again.imported + again.updated, 0);
    EXPECT_EQ(again.unchanged, 5619);
}

TEST_F(DecpImportTest, EveryOfficialJsonExampleIsReadWhole) {
    for (const char* sub : {"schemas/v1/exemples/json", "schemas/v2/exemples/json"}) {
        for (const auto& entry : fs::directory_iterator(kDecp / sub)) {
            SetUp();  // a fresh database per file: the examples reuse identifiers
            auto r = run(entry.path());
            SCOPED_TRACE(entry.path().string());
            EXPECT_TRUE(r.stopped.empty()) << r.stopped;
            EXPECT_GT(r.read, 0);
            EXPECT_EQ(r.rejected, 0);
            EXPECT_EQ(r.imported + r.superseded, r.read);
            EXPECT_EQ(r.format, std::string(sub).find("v1") != std::string::npos ? "decp-v1" : "decp-v2");
        }
    }
}

TEST_F(DecpImportTest, V2ContractsAndConcessions) {
    auto r = run(kDecp / "schemas/v2/exemples/json/marches_concessions.json");
    EXPECT_EQ(r.read, 4);
    auto rows = db_->query("SELECT kind, COUNT(*) FROM contracts GROUP BY kind ORDER BY kind");
    ASSERT_EQ(rows->size(), 2u);
    EXPECT_EQ(rows.value()[0].text(0), "concession");
    EXPECT_EQ(rows.value()[1].text(0), "marche");

    SetUp();
    run(kDecp / "schemas/v2/exemples/json/marches_avec_modifications.json");
    auto c = by_source_id("21750001630066TEST2022");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->cpv, "45000000");
    EXPECT_EQ(c->notified_on, "2024-05-15");
    EXPECT_TRUE(c->social_clause);
    ASSERT_EQ(c->suppliers.size(), 1u);  // {"titulaire": {...}} wrappers
    EXPECT_EQ(c->suppliers[0].identifier, "55204599900869");
    EXPECT_EQ(c->departement, "75");
}

TEST_F(DecpImportTest, AChangedRecordIsUpdatedAndReindexed) {
    const std::string v1 =
        R"({"marches": [{"id": "A1", "acheteur": {"id": "21750001600019", "nom": "Ville de Paris"},
        "objet": "Nettoyage des écoles", "codeCPV": "90911200-8", "procedure": "Appel d'offres ouvert",
        "lieuExecution": {"code": "75013", "typeCode": "Code postal"}, "dateNotification": "2024-03-01",
        "montant": 100000, "titulaires": [{"typeIdentifiant": "SIRET", "id": "73282932000074",
        "denominationSociale": "Atelier Vert"}]}]})";
    auto first = run(write("a.json", v1));
    EXPECT_EQ(first.imported, 1);
    std::string v2 = v1;
    v2.replace(v2.find("100000"), 6, "120000");
    ASSERT_TRUE(db_->exec("DELETE FROM search_outbox").ok());
    auto second = run(write("a.json", v2));
    EXPECT_EQ(second.updated, 1);
    EXPECT_EQ(count("search_outbox WHERE kind = 'contract'"), 1);
    EXPECT_EQ(count("search_outbox WHERE kind = 'company'"), 1);  // its supplier
    auto c = by_source_id("21750001600019A1");
    ASSERT_TRUE(c);
    EXPECT_DOUBLE_EQ(*c->amount, 120000);
    EXPECT_EQ(c->procedure, "ao_ouvert");
}

TEST_F(DecpImportTest, BuyersAndSuppliersAreMatchedBySiretOrCreatedUnclaimed) {
    const std::int64_t buyer = make_buyer(signup("a@ville.fr"));  // Ville de Paris, 21750001600019
    const std::string text =
        R"({"marches": [{"id": "A1", "acheteur": {"id": "21750001600019", "nom": "VILLE DE PARIS"},
        "objet": "Nettoyage", "dateNotification": "2024-03-01", "titulaires": [
        {"typeIdentifiant": "SIRET", "id": "732 829 320 00074", "denominationSociale": "Atelier Vert"},
        {"typeIdentifiant": "TVA", "id": "BE0123456789", "denominationSociale": "Entreprise belge"}]}]})";
    auto r = run(write("b.json", text));
    EXPECT_EQ(r.imported, 1);
    EXPECT_EQ(r.organisations_created, 1);  // the supplier; the buyer existed
    auto c = by_source_id("21750001600019A1");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->buyer_org_id, buyer);
    EXPECT_EQ(c->buyer_name, "Ville de Paris");  // the organisation's name
    ASSERT_EQ(c->suppliers.size(), 2u);
    ASSERT_TRUE(c->suppliers[0].org_id);
    EXPECT_FALSE(c->suppliers[1].org_id);
    EXPECT_EQ(c->suppliers[1].identifier_type, "TVA");
    auto org = orgs_->get(*c->suppliers[0].org_id);
    EXPECT_EQ(org->kind, "company");
    EXPECT_FALSE(org->claimed);
}

TEST_F(DecpImportTest, DamagedRecordsAreReportedNeverDropped) {
    const std::string text =
        R"({"marches": [42, {"id": "B1", "acheteur": {"id": "21750001600019"}, "objet": "x",
        "dateNotification": "0218-05-02", "codeCPV": "3192000"},
        {"id": "B2", "acheteur": {"nom": "Sans SIRET"}, "objet": "y"},
        {"id": "B3", "acheteur": {"id": "21750001600019"}, "objet": "z", "dateNotification": "2024-01-05"}]})";
    auto r = run(write("c.json", text));
    EXPECT_TRUE(r.stopped.empty()) << r.stopped;
    EXPECT_EQ(r.read, 4);
    EXPECT_EQ(r.imported, 2);
    EXPECT_EQ(r.rejected, 2);
    ASSERT_EQ(r.rejections.size(), 2u);
    EXPECT_EQ(r.rejections[0].position, 1);
    EXPECT_NE(r.rejections[0].message.find("pas un objet"), std::string::npos);
    EXPECT_EQ(r.rejections[1].position, 3);
    EXPECT_NE(r.rejections[1].message.find("acheteur"), std::string::npos);
    auto c = by_source_id("21750001600019B1");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->cpv, "03192000");
    EXPECT_EQ(c->notified_on, "");
    EXPECT_NE(c->warnings.find("date de notification impossible"), std::string::npos);
    EXPECT_EQ(r.with_warnings, 2);  // B1 (date, CPV, no supplier) and B3 (no supplier)
}

TEST_F(DecpImportTest, AnUnreadableFileChangesNothingAndSaysWhy) {
    // Truncated inside a string: the JSON structure is checked before any record is written.
    auto truncated = run(write("t.json", R"({"marches": [{"id": "B1", "acheteur": {"id": "2175000160)"));
    EXPECT_NE(truncated.stopped.find("JSON illisible"), std::string::npos) << truncated.stopped;
    EXPECT_EQ(truncated.imported, 0);
    EXPECT_EQ(count("contracts"), 0);
    auto not_decp = run(write("d.json", R"({"foo": []})"));
    EXPECT_NE(not_decp.stopped.find("pas un fichier DECP"), std::string::npos);
    auto bad_csv = run(write("e.csv", "a,b\n1,2\n"));
    EXPECT_NE(bad_csv.stopped.find("colonne"), std::string::npos);
    EXPECT_FALSE(importer_->import_file(dir_ / "missing.json").ok());
}

TEST_F(DecpImportTest, ImportedContractsAreIndexedAndExported) {
    run(kDecp / "v1_croix_2019-2021" / "decp_21590163800019_2019-2021.json");
    auto index = search::SearchIndex::open("").value();
    Indexer indexer(*db_, *index);
    ASSERT_TRUE(indexer.apply_outbox(100000).ok());
    search::Query q;
    q.text = "terrains synthetiques";
    q.kind = "contract";
    auto res = index->search(q);
    ASSERT_TRUE(res.ok());
    ASSERT_GE(res->total, 1);
    ContractService service(*db_, "https://passerelle.test");
    std::ostringstream out;
    ContractService::write_csv_header(out);
    ASSERT_TRUE(service.write_csv_rows({res->hits[0].id}, out).ok());
    const std::string csv = out.str();
    EXPECT_EQ(csv.rfind("\xEF\xBB\xBFidentifiant,", 0), 0u);
    EXPECT_NE(csv.find("ENTRETIEN DES TERRAINS SYNTHETIQUES"), std::string::npos);
    EXPECT_NE(csv.find("https://passerelle.test/marches-attribues/"), std::string::npos);
}

}  // namespace
}  // namespace passerelle::app
