// The news storage: articles with their tags and cover, and the list of what the public may read
// (sitemap).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage::news {

struct ArticleRecord {
    std::int64_t id = 0;
    std::string slug;
    std::string title;
    std::string summary;
    std::string body;
    bool published = false;
    std::optional<std::int64_t> publish_at;  // when published: the time it became or becomes public
    std::optional<std::int64_t> event_id;
    std::optional<std::string> cover_sha256;
    std::string cover_type;
    int cover_width = 0;
    int cover_height = 0;
    std::string cover_alt;
    std::optional<std::int64_t> author_user_id;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::vector<std::string> tags;
    // Read only.
    std::string author_name;
    std::string event_title;
};

// Inserts the article and its tags; returns its id. The slug must be free (see slug_taken).
Result<std::int64_t> insert(Connection& c, const ArticleRecord& r, std::int64_t now);
// Text, tags, event and cover (slug, publication and author stay).
Status update(Connection& c, const ArticleRecord& r, std::int64_t now);
Status set_publication(Connection& c, std::int64_t id, bool published, std::optional<std::int64_t> publish_at,
                       std::int64_t now);
Status remove(Connection& c, std::int64_t id);
Result<bool> slug_taken(Connection& c, const std::string& slug);
Result<std::optional<ArticleRecord>> find(Connection& c, std::int64_t id);
Result<std::optional<ArticleRecord>> find_by_slug(Connection& c, const std::string& slug);

// Public articles (published, publish_at <= now), newest first; with a tag, only those carrying it.
Result<std::vector<ArticleRecord>> list_public(Connection& c, std::int64_t now, const std::string& tag, int limit,
                                               int offset);
Result<std::int64_t> count_public(Connection& c, std::int64_t now, const std::string& tag);
// Every article (organisers' list), most recently changed first.
Result<std::vector<ArticleRecord>> list_all(Connection& c, int limit);

struct TagCount {
    std::string tag;
    std::int64_t count = 0;
};
// Tags of public articles, most used first.
Result<std::vector<TagCount>> public_tags(Connection& c, std::int64_t now);

// A page the public may read, for sitemap.xml: kind (notice, roadmap, event, news, organisation), its key
// (id or slug) and when it last changed.
struct PublicPage {
    std::string kind;
    std::string key;
    std::int64_t updated_at = 0;
};
Result<std::vector<PublicPage>> public_pages(Connection& c, std::int64_t now, int limit_per_kind);

}  // namespace passerelle::storage::news
