#include "core/validation.hpp"

#include <gtest/gtest.h>

#include "core/result.hpp"

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

// Found by fuzzing: bytes that JSON serialisation refuses (overlong forms, surrogates, above U+10FFFF).
TEST(Text, Utf8ValidationIsStrictAndRepairReplacesBadBytes) {
    EXPECT_TRUE(is_valid_utf8("Maîtrise d'œuvre 😀 \xF4\x8F\xBF\xBF"));
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
    EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong, 3 bytes
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
    EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(is_valid_utf8("caf\xE9"));           // Latin-1
    EXPECT_FALSE(is_clean_text("\xED\xA0\x80"));
    EXPECT_EQ(repair_utf8("caf\xE9 cr\xE8me"), "caf\xEF\xBF\xBD cr\xEF\xBF\xBDme");
    EXPECT_EQ(repair_utf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // a truncated €
    EXPECT_EQ(repair_utf8("déjà"), "déjà");
    EXPECT_TRUE(is_valid_utf8(repair_utf8("\xFF\xC3(\xED\xBF\xBF")));
}

TEST(FieldErrors, KeepTheOrderFieldsWereFoundAndReorderOnRequest) {
    passerelle::core::FieldErrors e;
    e["title"] = "a";
    e["amount"] = "b";
    e["title"] = "c";  // a field already there keeps its place
    e.add("amount", "ignored");
    std::vector<std::string> fields;
    for (const auto& [f, m] : e) fields.push_back(f + "=" + m);
    EXPECT_EQ(fields, (std::vector<std::string>{"title=c", "amount=b"}));
    e["cpv"] = "d";
    e.order_as({"cpv", "title"});
    fields.clear();
    for (const auto& [f, m] : e) fields.push_back(f);
    EXPECT_EQ(fields, (std::vector<std::string>{"cpv", "title", "amount"}));
}
