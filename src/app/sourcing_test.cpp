// SourcingService over a database: candidates from awarded contracts and profiles, the as-of cut, checks.
#include "app/sourcing.hpp"

#include "app/service_fixture.hpp"
#include "storage/contract_store.hpp"
#include "storage/org_store.hpp"

namespace passerelle::app {
namespace {

class SourcingTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        ASSERT_TRUE(db_->with_connection([](storage::Connection& c) -> core::Status {
                           for (const char* code : {"90910000", "90911200", "90919200"}) {
                               storage::reference::CpvRecord r;
                               r.code = code;
                               r.level = 3;
                               r.division = "90";
                               r.label_fr = "Services de nettoyage";
                               r.search_text = "services de nettoyage";
                               if (auto s = storage::reference::upsert_cpv(c, r); !s) return s;
                           }
                           return {};
                       })
                        .ok());
    }
    void contract(const std::string& key, const std::string& supplier, const std::string& name, const std::string& cpv,
                  const std::string& dep, const std::string& day, const std::string& buyer = "21930001000011") {
        storage::contracts::ContractRecord r;
        r.key = key;
        r.source_id = key;
        r.format = "decp-v1";
        r.kind = "marche";
        r.buyer_identifier = buyer;
        r.buyer_name = "Acheteur";
        r.object = "Nettoyage";
        r.cpv = cpv;
        r.departement = dep;
        r.notified_on = day;
        r.content_hash = key;
        r.suppliers = {{std::nullopt, supplier, "SIRET", name, ""}};
        ASSERT_TRUE(db_->with_connection([&](storage::Connection& c) -> core::Status {
                           auto id = storage::contracts::insert(c, r, 0);
                           if (!id) return id.error();
                           return {};
                       })
                        .ok());
    }
    std::vector<std::string> sirets(const std::vector<SupplierSuggestion>& v) {
        std::vector<std::string> out;
        for (const auto& s : v) out.push_back(s.suggestion.siret);
        return out;
    }
};

TEST_F(SourcingTest, RanksFromHistoryAndProfiles) {
    contract("a", "11111111111111", "Propreté 93", "90911200", "93", "2023-03-01");
    contract("b", "11111111111111", "Propreté 93", "90919200", "93", "2023-09-01");
    contract("c", "22222222222222", "Nettoyage Paris", "90911200", "75", "2023-05-01");
    contract("d", "33333333333333", "Travaux", "45210000", "93", "2023-05-01");
    // An SIAE whose profile declares cleaning in the 93 (Atelier Vert, siae_ei).
    const std::int64_t org = make_company(signup("a@atelier.fr"), {"90910000"}, {"93"});

    SourcingService sourcing(*db_);
    SourcingQuery q;
    q.cpv = "90911200-8";
    q.departement = "93";
    auto out = sourcing.suggest(q, "2024-01-01");
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(sirets(out.value()), (std::vector<std::string>{"11111111111111", "73282932000074", "22222222222222"}));
    EXPECT_EQ(out->at(0).suggestion.reasons.at(0),
              "a remporté 2 marchés CPV 90 dans le 93 (Seine-Saint-Denis) depuis 2023");
    EXPECT_FALSE(out->at(0).org_id);  // no profile on the platform
    EXPECT_EQ(out->at(1).org_id, org);

    q.social_clause = true;  // an insertion clause puts the SIAE first
    out = sourcing.suggest(q, "2024-01-01");
    EXPECT_EQ(out->at(0).suggestion.siret, "73282932000074");

    q.social_clause = false;
    q.as_of = "2023-04-01";  // only contracts notified strictly before
    out = sourcing.suggest(q, "2024-01-01");
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out->at(0).suggestion.reasons.at(0),
              "a remporté 1 marché CPV 90 dans le 93 (Seine-Saint-Denis) depuis 2023");
    const auto listed = sirets(out.value());
    EXPECT_EQ(std::count(listed.begin(), listed.end(), "22222222222222"), 0);
    q.as_of = "2023-03-01";
    out = sourcing.suggest(q, "2024-01-01");
    EXPECT_EQ(sirets(out.value()), (std::vector<std::string>{"73282932000074"}));
}

TEST_F(SourcingTest, SeveralCodesMergeOnTheBestScore) {
    contract("a", "11111111111111", "Propreté 93", "90911200", "93", "2023-03-01");
    contract("b", "22222222222222", "Travaux 93", "45210000", "93", "2023-03-01");
    contract("c", "11111111111111", "Propreté 93", "45210000", "75", "2019-03-01");
    SourcingService sourcing(*db_);
    SourcingQuery q;
    q.departement = "93";
    auto out = sourcing.suggest_for_codes({"90911200", "45000000"}, q, "2024-01-01");
    ASSERT_TRUE(out.ok()) << out.error().message;
    ASSERT_EQ(out->size(), 2u);  // each supplier once
    EXPECT_EQ(out->at(0).suggestion.reasons.at(0),
              "a remporté 1 marché CPV 90 dans le 93 (Seine-Saint-Denis) depuis 2023");
    auto bad = sourcing.suggest_for_codes({"90911200", "99000000"}, q, "2024-01-01");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().fields.at("cpv").rfind("99000000 : ", 0), 0u);

    q.set_clause("insertion_hours");
    EXPECT_TRUE(q.social_clause);
    q.set_clause("reserved_ea_esat");
    EXPECT_FALSE(q.social_clause);
    EXPECT_EQ(q.reservation, "ea_esat");
}

TEST_F(SourcingTest, BadQueriesAreRefusedWithTheirField) {
    SourcingService sourcing(*db_);
    SourcingQuery q;
    q.cpv = "9091120";
    auto out = sourcing.suggest(q, "2024-01-01");
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_TRUE(out.error().fields.count("cpv"));

    q.cpv = "90911300";  // well formed, not in the nomenclature
    out = sourcing.suggest(q, "2024-01-01");
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().fields.at("cpv"), "Ce code CPV n'existe pas dans la nomenclature.");

    q.cpv = "90911200";
    q.departement = "99";
    q.buyer_siret = "123";
    q.as_of = "2023-02-30";
    q.limit = 0;
    out = sourcing.suggest(q, "2024-01-01");
    ASSERT_FALSE(out.ok());
    for (const char* f : {"departement", "buyer", "as_of", "limit"}) EXPECT_TRUE(out.error().fields.count(f)) << f;
}

}  // namespace
}  // namespace passerelle::app
