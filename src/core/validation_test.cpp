#include "core/validation.hpp"

#include <gtest/gtest.h>

using namespace passerelle::core;

TEST(Email, NormalizesAndRejects) {
    EXPECT_EQ(normalize_email("  Marie.Durand@Exemple.FR ").value_or(""), "marie.durand@exemple.fr");
    std::string why;
    EXPECT_FALSE(normalize_email("marie", &why));
    EXPECT_NE(why.find("adresse e-mail valide"), std::string::npos);
    EXPECT_FALSE(normalize_email("a@b", &why));
    EXPECT_FALSE(normalize_email("a@@b.fr", &why));
    EXPECT_FALSE(normalize_email("<script>@x.fr", &why));
    EXPECT_FALSE(normalize_email("x@exa mple.fr", &why));
    EXPECT_FALSE(normalize_email("", &why));
    EXPECT_EQ(why, "L'adresse e-mail est obligatoire.");
}

TEST(Password, Rules) {
    EXPECT_TRUE(password_problems("Correct-Cheval-42", "marie@exemple.fr").empty());
    EXPECT_TRUE(password_problems("phrase de passe tres longue", "marie@exemple.fr").empty());
    EXPECT_EQ(password_problems("court", "x@y.fr").size(), 2u);
    EXPECT_EQ(password_problems("abcdefghijkl", "x@y.fr").size(), 1u);
    auto p = password_problems("Marie.durand-2026!", "marie.durand@exemple.fr");
    ASSERT_EQ(p.size(), 1u);
    EXPECT_NE(p[0].find("adresse e-mail"), std::string::npos);
    EXPECT_EQ(utf8_length("éàü"), 3u);
}

TEST(Text, CleanTextRejectsControlAndBadUtf8) {
    EXPECT_TRUE(is_clean_text("Bonjour, ça va ? 😀\n"));
    EXPECT_FALSE(is_clean_text(std::string("a\0b", 3)));
    EXPECT_FALSE(is_clean_text("\xC3"));
    EXPECT_FALSE(is_clean_text("\xFF\xFE"));
    EXPECT_FALSE(is_clean_text("\x1B[31m"));
}
