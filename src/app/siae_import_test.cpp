// SIAE import on ../shared/data/siae/siae_structures.csv with the exact counts.
#include "app/siae_import.hpp"

#include <filesystem>
#include <fstream>

#include "app/service_fixture.hpp"
#include "storage/org_store.hpp"

namespace passerelle::app {

namespace {

const std::filesystem::path kCsv = std::filesystem::path(PASSERELLE_SHARED_DIR) / "data/siae/siae_structures.csv";

class SiaeImportTest : public ServiceTest {
  protected:
    storage::orgs::OrgRecord org(const std::string& siret) {
        return storage::fetch<std::optional<storage::orgs::OrgRecord>>(
                   *db_, [&](storage::Connection& c) { return storage::orgs::find_org_by_siret(c, siret); })
            .value()
            .value();
    }
};

TEST_F(SiaeImportTest, EveryStructureOfTheList) {
    // A company that manages its profile, and one of the list already there.
    const std::int64_t own = make_company(signup("a@atelier.fr"));  // SIRET 73282932000074, not in the list
    (void)own;
    SiaeImporter importer(*db_, clock_);
    auto r = importer.import_csv(kCsv);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->rows, 3853);
    EXPECT_EQ(r->rejected.size(), 13u);  // SIRET failing the Luhn check
    EXPECT_EQ(r->imported, 3828);        // distinct valid SIRET
    EXPECT_EQ(r->imported + r->updated + r->unchanged, 3840);
    EXPECT_EQ(r->rejected[0].siret, "50010961600027");
    EXPECT_NE(r->rejected[0].reason.find("SIRET"), std::string::npos);

    auto baluchon = org("80746931700018");
    EXPECT_EQ(baluchon.name, "Baluchon-À table citoyens");
    EXPECT_EQ(baluchon.labels, std::vector<std::string>{"siae_ei"});
    EXPECT_EQ(baluchon.departements, std::vector<std::string>{"93"});
    EXPECT_FALSE(baluchon.claimed);
    // One association with two conventions (ACI and AI) under one SIRET gets both labels.
    auto entraide = org("35058476900029");
    EXPECT_EQ(entraide.labels.size(), 2u);

    auto again = importer.import_csv(kCsv);
    EXPECT_EQ(again->imported + again->updated, 0);
    EXPECT_EQ(again->unchanged, 3840);
}

TEST_F(SiaeImportTest, AProfileTheCompanyManagesIsLeftAsItIs) {
    const std::int64_t id = make_company(signup("b@atelier.fr"));
    const std::string csv_path = (std::filesystem::temp_directory_path() / "siae-one.csv").string();
    {
        std::ofstream out(csv_path);
        out << "pk,siret,name,brand,kind,legal_form,naf,address,post_code,city,department\n"
            << "1,73282932000074,ATELIER VERT,,ACI,,,,,,75\n"
            << "2,1234,X,,EI,,,,,,75\n";
    }
    SiaeImporter importer(*db_, clock_);
    auto r = importer.import_csv(csv_path);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->unchanged, 1);
    EXPECT_EQ(r->rejected.size(), 1u);
    EXPECT_EQ(r->rejected[0].line, 3);
    auto o = orgs_->get(id).value();
    EXPECT_EQ(o.labels, std::vector<std::string>{"siae_ei"});  // as the company declared it
    EXPECT_TRUE(o.claimed);
    std::filesystem::remove(csv_path);
}

}  // namespace
}  // namespace passerelle::app
