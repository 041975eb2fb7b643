// The observatory over the real DECP sample, each figure checked against an independent computation from
// the plain rows of the contracts table; the holders' profiles with hand-made companies; the downloads
// (CSV, JSON, XLSX opened as a spreadsheet program would).
#include "app/observatory.hpp"

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "app/decp_import.hpp"
#include "app/service_fixture.hpp"
#include "app/xlsx_test_reader.hpp"
#include "storage/contract_store.hpp"

namespace passerelle::app {
namespace {

namespace fs = std::filesystem;
const fs::path kDecp = fs::path(PASSERELLE_SHARED_DIR) / "data" / "decp";

class ObservatoryTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        observatory_ = std::make_unique<ObservatoryService>(*db_);
    }
    void import_decp() {
        DecpImporter importer(*db_, clock_);
        for (const auto& f : {kDecp / "v1_2018-2019" / "decp_v1_2018-2019.json",
                              kDecp / "tabular_2024H2_travaux" / "decp_2024H2_travaux_cpv4521.csv"})
            ASSERT_TRUE(importer.import_file(f).ok());
    }
    const core::observatory::Table& table(const Observatory& o, const std::string& id) {
        for (const auto& t : o.tables)
            if (t.id == id) return t;
        throw std::runtime_error("no table " + id);
    }
    std::unique_ptr<ObservatoryService> observatory_;
};

// The independent side: the rows as stored, aggregated here.
struct Plain {
    std::string notified_on, cpv, departement;
    double amount;
    bool social;
};

TEST_F(ObservatoryTest, FiguresOnTheRealDecpSampleMatchAnIndependentComputation) {
    if (!fs::exists(kDecp)) GTEST_SKIP() << "../shared/data/decp is not there";
    import_decp();
    auto rows = db_->query("SELECT notified_on, cpv, departement, amount, social_clause FROM contracts");
    ASSERT_TRUE(rows.ok());
    std::vector<Plain> plain;
    for (const auto& r : rows.value())
        plain.push_back({r.text(0), r.text(1), r.text(2), r.is_null(3) ? 0.0 : r.real(3), r.int64(4) == 1});
    ASSERT_GT(plain.size(), 10000u);

    for (const std::string dep : {"", "59"}) {
        SCOPED_TRACE("département « " + dep + " »");
        std::map<std::string, std::pair<std::int64_t, double>> by_year;
        std::map<std::string, std::pair<std::int64_t, std::int64_t>> clauses;  // division -> (contracts, with)
        std::int64_t all = 0;
        for (const auto& p : plain) {
            if (!dep.empty() && p.departement != dep) continue;
            ++all;
            if (!p.notified_on.empty()) {
                auto& y = by_year[p.notified_on.substr(0, 4)];
                ++y.first;
                y.second += p.amount;
            }
            if (!p.cpv.empty()) {
                auto& k = clauses[p.cpv.substr(0, 2)];
                ++k.first;
                k.second += p.social ? 1 : 0;
            }
        }
        auto f = ObservatoryService::parse_filter("", "", dep);
        ASSERT_TRUE(f.ok());
        auto o = observatory_->compute(f.value());
        ASSERT_TRUE(o.ok()) << o.error().message;
        EXPECT_EQ(o->contracts, all);

        const auto& years = table(o.value(), "contrats-par-annee");
        ASSERT_EQ(years.raw.size(), by_year.size());
        for (const auto& r : years.raw) {
            EXPECT_EQ(std::stoll(r[1]), by_year.at(r[0]).first) << r[0];
            EXPECT_NEAR(std::stod(r[2]), by_year.at(r[0]).second, 0.01) << r[0];
        }
        const auto& families = table(o.value(), "clauses-par-famille");
        ASSERT_EQ(families.raw.size(), clauses.size());
        std::int64_t with = 0;
        for (const auto& r : families.raw) {
            const auto& [n, k] = clauses.at(r[0]);
            EXPECT_EQ(std::stoll(r[2]), n) << r[0];
            EXPECT_EQ(std::stoll(r[3]), k) << r[0];
            EXPECT_NEAR(std::stod(r[4]), 100.0 * static_cast<double>(k) / static_cast<double>(n), 0.01) << r[0];
            with += k;
        }
        // The sample's formats (DECP 2019, the tabular extract) carry no social consideration.
        EXPECT_EQ(with, 0);
    }

    // A year filter keeps that year only.
    auto o = observatory_->compute(ObservatoryService::parse_filter("2024", "", "").value());
    ASSERT_TRUE(o.ok());
    const auto& years = table(o.value(), "contrats-par-annee");
    ASSERT_EQ(years.raw.size(), 1u);
    EXPECT_EQ(years.raw[0][0], "2024");
    EXPECT_EQ(o->contracts, std::stoll(years.raw[0][1]));
}

TEST_F(ObservatoryTest, HolderProfilesGiveTheSharesAndTheDownloadsCarryThem) {
    // Two platform companies win contracts: a PME declaring « entreprise innovante » and an EI (SIAE).
    const auto user = signup("dirigeante@exemple.fr");
    core::OrganisationInput pme;
    pme.kind = "company";
    pme.name = "Capteurs du Nord";
    pme.siret = "73282932000074";
    pme.size = "PME";
    pme.labels = {"innovante"};
    const auto innovative = orgs_->create(actor(user), pme).value();
    core::OrganisationInput ei = pme;
    ei.name = "Chantier Solidaire";
    ei.siret = "80746931700018";
    ei.size = "TPE";
    ei.labels = {"siae_ei"};
    const auto siae = orgs_->create(actor(user), ei).value();
    auto add = [&](const std::string& key, double amount, std::optional<std::int64_t> holder, bool social) {
        storage::contracts::ContractRecord c;
        c.key = key;
        c.source_id = key;
        c.format = "test";
        c.kind = "marche";
        c.buyer_identifier = "21590163800019";
        c.cpv = "45000000";
        c.notified_on = "2025-03-01";
        c.amount = amount;
        c.social_clause = social;
        c.content_hash = key;
        c.suppliers = {{holder, "x", "SIRET", "x", ""}};
        ASSERT_TRUE(db_->with_connection([&](storage::Connection& conn) {
                           return storage::to_status(storage::contracts::insert(conn, c, 1));
                       })
                        .ok());
    };
    add("a", 30000, innovative, false);  // 3 % of the amount
    add("b", 20000, siae, true);
    add("c", 950000, std::nullopt, false);
    auto o = observatory_->compute({});
    ASSERT_TRUE(o.ok()) << o.error().message;
    EXPECT_DOUBLE_EQ(o->innovation.amount_percent, 3.0);
    EXPECT_TRUE(o->innovation.reached);
    const auto& sizes = table(o.value(), "titulaires-par-taille");
    EXPECT_EQ(sizes.raw[0][0], "TPE");
    EXPECT_EQ(sizes.raw[0][4], "2");  // 20 000 of 1 000 000
    EXPECT_EQ(sizes.raw[1][4], "3");  // PME
    EXPECT_EQ(sizes.raw[4][1], "1");  // the holder without a profile: size unknown
    const auto& social = table(o.value(), "economie-sociale");
    EXPECT_EQ(social.raw[0][0], "SIAE");
    EXPECT_EQ(social.raw[0][1], "1");
    EXPECT_EQ(social.raw[0][2], "33.33");

    const std::string csv = ObservatoryService::csv(sizes);
    EXPECT_NE(csv.find("Catégorie,Contrats,Part en nombre,Montant,Part en montant\r\nTPE,1,33.33,20000,2\r\n"),
              std::string::npos);
    auto js = nlohmann::json::parse(ObservatoryService::json(social));
    EXPECT_EQ(js["rows"][0]["Catégorie"], "SIAE");
    EXPECT_DOUBLE_EQ(js["rows"][0]["Montant"].get<double>(), 20000);

    auto x = ObservatoryService::xlsx(o->tables);
    ASSERT_TRUE(x.ok());
    auto wb = testing::read_xlsx(x.value());
    ASSERT_TRUE(wb.has_value());
    ASSERT_TRUE(wb->count("titulaires-par-taille"));
    ASSERT_TRUE(wb->count("economie-sociale"));
    ASSERT_TRUE(wb->count("heures-insertion"));
    const auto& sheet = wb->at("titulaires-par-taille");
    EXPECT_EQ(sheet.at("A1"), "Catégorie");
    EXPECT_EQ(sheet.at("A3"), "PME");
    EXPECT_EQ(sheet.at("D3"), "30000");  // a number, not text
    EXPECT_EQ(sheet.at("E3"), "3");
}

TEST_F(ObservatoryTest, BadFiltersAreRefusedInFrench) {
    EXPECT_FALSE(ObservatoryService::parse_filter("24", "", "").ok());
    EXPECT_FALSE(ObservatoryService::parse_filter("", "x", "").ok());
    EXPECT_FALSE(ObservatoryService::parse_filter("", "", "'; DROP").ok());
    EXPECT_TRUE(ObservatoryService::parse_filter("2024", "3", "2A").ok());
}

}  // namespace
}  // namespace passerelle::app
