#include "core/news.hpp"

#include <gtest/gtest.h>

#include "core/notice.hpp"

namespace passerelle::core::news {
namespace {

TEST(News, SlugIsFoldedAsciiWithSingleHyphens) {
    EXPECT_EQ(slugify("Réunion des acheteurs : 2027 !"), "reunion-des-acheteurs-2027");
    EXPECT_EQ(slugify("  Œuvres -- d'été  "), "oeuvres-d-ete");
    EXPECT_EQ(slugify("!!!"), "article");
    EXPECT_LE(slugify(std::string(300, 'a')).size(), 80u);
}

TEST(News, TagsAreFoldedUniqueAndBounded) {
    auto t = parse_tags("Clauses sociales, SIAE ; Innovation, siae,,");
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t.value(), (std::vector<std::string>{"clauses-sociales", "siae", "innovation"}));
    EXPECT_FALSE(parse_tags("a,b,c,d,e,f,g,h,i").ok());
    EXPECT_FALSE(parse_tags(std::string(41, 'x')).ok());
    EXPECT_TRUE(parse_tags("").value().empty());
}

TEST(News, ValidationNamesEachWrongField) {
    ArticleInput in;
    in.title = " ";
    in.body = "";
    in.publish_at = "demain";
    in.event_id = "abc";
    auto r = validate_article(in, /*has_cover=*/true);
    ASSERT_FALSE(r.ok());
    const auto& f = r.error().fields;
    EXPECT_TRUE(f.count("title"));
    EXPECT_TRUE(f.count("body"));
    EXPECT_TRUE(f.count("publish_at"));
    EXPECT_TRUE(f.count("event_id"));
    EXPECT_TRUE(f.count("cover_alt"));  // a cover needs its text alternative
}

TEST(News, ValidArticleKeepsItsValues) {
    ArticleInput in{"  Matinale de mars ", "Le chapeau", "# Titre\n\nTexte", "Événements", "2027-03-01T09:30", "4", ""};
    auto r = validate_article(in, false);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->title, "Matinale de mars");
    EXPECT_EQ(r->tags, std::vector<std::string>{"evenements"});
    EXPECT_EQ(r->publish_at, parse_paris_datetime("2027-03-01T09:30"));
    EXPECT_EQ(r->event_id, 4);
}

TEST(News, VisibilityFollowsPublicationAndDate) {
    EXPECT_EQ(visibility(false, std::nullopt, 100), Visibility::kDraft);
    EXPECT_EQ(visibility(true, 200, 100), Visibility::kScheduled);
    EXPECT_EQ(visibility(true, 100, 100), Visibility::kPublished);
    EXPECT_EQ(visibility(true, std::nullopt, 100), Visibility::kPublished);
    EXPECT_EQ(visibility_label(Visibility::kScheduled), "programmé");
}

}  // namespace
}  // namespace passerelle::core::news
