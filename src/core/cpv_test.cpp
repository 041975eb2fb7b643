#include "core/cpv.hpp"

#include <gtest/gtest.h>

using namespace passerelle::core;

TEST(Cpv, ParsesWithAndWithoutCheckDigit) {
    auto a = parse_cpv("72413000-8");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->code, "72413000");
    EXPECT_EQ(a->check_digit, 8);
    EXPECT_EQ(a->division(), "72");
    auto b = parse_cpv(" 45000000 ");
    ASSERT_TRUE(b);
    EXPECT_FALSE(b->check_digit.has_value());
    EXPECT_EQ(b->level(), 1);
    EXPECT_EQ(b->prefix(), "45");
}

TEST(Cpv, LevelsFollowSignificantDigits) {
    EXPECT_EQ(parse_cpv("72400000")->level(), 2);
    EXPECT_EQ(parse_cpv("72410000")->level(), 3);
    EXPECT_EQ(parse_cpv("72413000")->level(), 4);
    EXPECT_EQ(parse_cpv("72413000")->prefix(), "72413");
}

TEST(Cpv, RejectsMalformedWithFrenchReason) {
    std::string why;
    EXPECT_FALSE(parse_cpv("7241300", &why));
    EXPECT_NE(why.find("8 chiffres"), std::string::npos);
    EXPECT_FALSE(parse_cpv("72413000-88", &why));
    EXPECT_FALSE(parse_cpv("'; DROP TABLE cpv; --", &why));
    EXPECT_FALSE(parse_cpv("", &why));
    EXPECT_EQ(why, "Le code CPV est obligatoire.");
    EXPECT_EQ(format_cpv("72413000", 8), "72413000-8");
}
