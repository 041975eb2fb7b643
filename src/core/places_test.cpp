#include "core/places.hpp"

#include <gtest/gtest.h>

namespace passerelle::core {
namespace {

TEST(Places, NutsThreeIsADepartement) {
    EXPECT_EQ(departements_of_nuts("FRD22"), std::vector<std::string>{"76"});
    EXPECT_EQ(departements_of_nuts("FR106"), std::vector<std::string>{"93"});
    EXPECT_EQ(departements_of_nuts("FRM01"), std::vector<std::string>{"2A"});
}

TEST(Places, NutsTwoIsEveryDepartementUnderIt) {
    auto idf = departements_of_nuts("FR10");
    EXPECT_EQ(idf, (std::vector<std::string>{"75", "77", "78", "91", "92", "93", "94", "95"}));
    EXPECT_EQ(departements_of_nuts("FR").size(), 101u);
}

TEST(Places, OtherCodesGiveNothing) {
    EXPECT_TRUE(departements_of_nuts("DE300").empty());
    EXPECT_TRUE(departements_of_nuts("FRZZZ").empty());
    EXPECT_TRUE(departements_of_nuts("").empty());
}

}  // namespace
}  // namespace passerelle::core
