#include "core/siret.hpp"

#include <gtest/gtest.h>

using namespace passerelle::core;

TEST(Siret, AcceptsRealSirets) {
    EXPECT_TRUE(is_valid_siret("73282932000074"));  // Apple France
    EXPECT_TRUE(is_valid_siret("21750001600019"));  // Ville de Paris
    EXPECT_TRUE(is_valid_siren("732829320"));
}

TEST(Siret, RejectsBadCheckDigitLengthAndLetters) {
    EXPECT_FALSE(is_valid_siret("73282932000075"));
    EXPECT_FALSE(is_valid_siret("7328293200007"));
    EXPECT_FALSE(is_valid_siret("7328293200007A"));
    EXPECT_FALSE(is_valid_siren("732829321"));
    EXPECT_FALSE(luhn_valid(""));
}

TEST(Siret, LaPosteException) {
    EXPECT_TRUE(is_valid_siren("356000000"));
    EXPECT_TRUE(is_valid_siret("35600000000010"));   // digit sum 15: multiple of 5
    EXPECT_FALSE(is_valid_siret("35600000000011"));  // digit sum 16
}

TEST(Siret, ParseStripsSpacesAndExplainsInFrench) {
    std::string why;
    auto s = parse_siret("732 829 320 00074", &why);
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(*s, "73282932000074");
    EXPECT_EQ(parse_siret("732\xC2\xA0"
                          "829\xE2\x80\xAF"
                          "320 00074")
                  .value_or(""),
              "73282932000074");
    EXPECT_FALSE(parse_siret("123", &why));
    EXPECT_EQ(why, "Le numéro SIRET compte exactement 14 chiffres.");
    EXPECT_FALSE(parse_siret("<script>", &why));
    EXPECT_EQ(why, "Le numéro SIRET ne doit contenir que des chiffres.");
    EXPECT_FALSE(parse_siret("73282932000075", &why));
    EXPECT_NE(why.find("clé de contrôle"), std::string::npos);
}
