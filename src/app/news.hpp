// NewsService: the news (actualités). Organisers write articles in Markdown with a title, a summary, tags,
// an optional cover image (PNG or JPEG, checked by decoding, size-limited) and an optional event whose
// registration the article leads to; they save drafts, publish now or at a later time, unpublish, delete.
// The public reads the published articles (tag filter, pagination, Atom feed); the sitemap lists every page
// the public may read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/blob_store.hpp"
#include "app/exchange.hpp"
#include "core/clock.hpp"
#include "core/news.hpp"
#include "core/pagination.hpp"
#include "core/policy.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/news_store.hpp"

namespace passerelle::app {

struct NewsList {
    std::vector<storage::news::ArticleRecord> items;
    std::int64_t total = 0;
    std::vector<storage::news::TagCount> tags;
};

struct ArticleChange {
    core::news::ArticleInput input;
    std::optional<Upload> cover;  // a new cover
    bool remove_cover = false;
    bool publish = false;  // publish (at input.publish_at, or now) instead of keeping a draft
};

class NewsService {
  public:
    NewsService(storage::Database& db, const core::Clock& clock, BlobStore& blobs)
        : db_(db), clock_(clock), blobs_(blobs) {}

    core::Result<std::int64_t> create(const core::Actor& actor, const ArticleChange& change);
    core::Status update(const core::Actor& actor, std::int64_t id, const ArticleChange& change);
    core::Status unpublish(const core::Actor& actor, std::int64_t id);
    core::Status remove(const core::Actor& actor, std::int64_t id);
    core::Result<storage::news::ArticleRecord> for_editing(const core::Actor& actor, std::int64_t id);
    core::Result<std::vector<storage::news::ArticleRecord>> all(const core::Actor& actor);

    // Public articles, newest first; `tag` empty for all.
    core::Result<NewsList> list(const std::string& tag, const core::Page& page);
    // An article by its slug: public ones for everyone, drafts and scheduled ones for organisers (preview).
    core::Result<storage::news::ArticleRecord> article(const core::Actor& actor, const std::string& slug);
    // The cover image of an article the actor may read: bytes and type.
    core::Result<FileDownload> cover(const core::Actor& actor, const std::string& slug);
    core::news::Visibility visibility(const storage::news::ArticleRecord& a) const;

    core::Result<std::vector<storage::news::PublicPage>> public_pages();

  private:
    core::Result<storage::news::ArticleRecord> prepare(const ArticleChange& change, storage::news::ArticleRecord base);

    storage::Database& db_;
    const core::Clock& clock_;
    BlobStore& blobs_;
};

}  // namespace passerelle::app
