#include "core/organisation.hpp"

#include <gtest/gtest.h>

using namespace passerelle::core;

static OrganisationInput valid_company() {
    OrganisationInput in;
    in.kind = "company";
    in.name = "  Atelier Vert  ";
    in.siret = "732 829 320 00074";
    in.size = "PME";
    in.labels = {"siae_ei", "ess"};
    in.cpv_codes = {"77310000-6", "45000000"};
    in.departements = {"93", "75", "93"};
    in.website = "https://atelier-vert.example";
    return in;
}

TEST(Organisation, ValidCompanyIsNormalised) {
    auto r = validate_organisation(valid_company());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->name, "Atelier Vert");
    EXPECT_EQ(r->siret, "73282932000074");
    EXPECT_EQ(r->cpv_codes, (std::vector<std::string>{"45000000", "77310000"}));
    EXPECT_EQ(r->departements, (std::vector<std::string>{"75", "93"}));
}

TEST(Organisation, ReportsEveryFieldError) {
    auto in = valid_company();
    in.name = "";
    in.siret = "123";
    in.size = "XXL";
    in.labels = {"siae_ei", "siae_aci"};
    in.cpv_codes = {"123"};
    in.departements = {"99"};
    in.website = "javascript:alert(1)";
    auto r = validate_organisation(in);
    ASSERT_FALSE(r.ok());
    const auto& f = r.error().fields;
    for (const char* k : {"name", "siret", "size", "labels", "cpv_codes", "departements", "website"})
        EXPECT_TRUE(f.count(k)) << k;
}

TEST(Organisation, BuyerNeedsAKind) {
    OrganisationInput in;
    in.kind = "buyer";
    in.name = "Ville de Paris";
    in.siret = "21750001600019";
    auto r = validate_organisation(in);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().fields.count("buyer_kind"));
    in.buyer_kind = "commune";
    in.departement = "75";
    EXPECT_TRUE(validate_organisation(in).ok());
}

TEST(Organisation, DepartementCodes) {
    EXPECT_TRUE(is_departement_code("2A"));
    EXPECT_TRUE(is_departement_code("974"));
    EXPECT_FALSE(is_departement_code("20"));
    EXPECT_TRUE(is_departement_code("975"));
    EXPECT_FALSE(is_departement_code("990"));
    EXPECT_FALSE(is_departement_code("1"));
}
