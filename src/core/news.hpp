// News articles (actualités): what an organiser may write, the address (slug) an article gets, its tags,
// and when the public sees it. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace passerelle::core::news {

inline constexpr std::int64_t kMaxCoverBytes = 5LL * 1024 * 1024;
inline constexpr int kMaxCoverSide = 6000;  // pixels, either side
inline constexpr std::size_t kMaxTags = 8;

// What the form sends; dates as HTML datetime-local values in Paris time.
struct ArticleInput {
    std::string title;
    std::string summary;
    std::string body;        // Markdown
    std::string tags;        // comma-separated
    std::string publish_at;  // empty: now, when published
    std::string event_id;    // empty: no event
    std::string cover_alt;
};

struct Article {
    std::string title;
    std::string summary;
    std::string body;
    std::vector<std::string> tags;
    std::optional<std::int64_t> publish_at;
    std::optional<std::int64_t> event_id;
    std::string cover_alt;
};

// Checks every field (French messages per field). A cover's text alternative is required when there is a
// cover (`has_cover`).
Result<Article> validate_article(const ArticleInput& in, bool has_cover);

// "Réunion des acheteurs : 2027 !" -> "reunion-des-acheteurs-2027": folded, lowercase ASCII letters and
// digits separated by single hyphens, at most 80 characters, never empty ("article").
std::string slugify(std::string_view title);

// Tags as typed ("Clauses sociales, SIAE ; Innovation") -> folded, unique, in order: "clauses-sociales",
// "siae", "innovation". Fails (French reason) on more than kMaxTags tags or a tag longer than 40 characters.
Result<std::vector<std::string>> parse_tags(std::string_view text);

enum class Visibility { kDraft, kScheduled, kPublished };
Visibility visibility(bool published, std::optional<std::int64_t> publish_at, std::int64_t now);
std::string visibility_label(Visibility v);  // brouillon, programmé, publié

}  // namespace passerelle::core::news
