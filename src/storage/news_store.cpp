#include "storage/news_store.hpp"

namespace passerelle::storage::news {

namespace {

Value flag(bool b) { return std::int64_t{b ? 1 : 0}; }
Value opt(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(Null{}); }

constexpr const char* kColumns =
    "SELECT a.id, a.slug, a.title, a.summary, a.body, a.published, a.publish_at, a.event_id, a.cover_sha256, "
    "a.cover_type, a.cover_width, a.cover_height, a.cover_alt, a.author_user_id, a.created_at, a.updated_at, "
    "COALESCE(u.display_name, ''), COALESCE(e.title, '') FROM news_articles a "
    "LEFT JOIN users u ON u.id = a.author_user_id LEFT JOIN events e ON e.id = a.event_id ";

// Public: published and its time has come.
constexpr const char* kPublic = "a.published = 1 AND a.publish_at <= ? ";

Status load_tags(Connection& c, std::vector<ArticleRecord>& articles) {
    if (articles.empty()) return {};
    std::vector<std::int64_t> ids;
    for (const auto& a : articles) ids.push_back(a.id);
    std::vector<Value> params;
    const std::string in = in_list(ids, params);
    auto rows =
        c.query("SELECT article_id, tag FROM news_tags WHERE article_id IN (" + in + ") ORDER BY position", params);
    if (!rows) return rows.error();
    for (const auto& r : rows.value())
        for (auto& a : articles)
            if (a.id == r.int64(0)) a.tags.push_back(r.text(1));
    return {};
}

Result<std::vector<ArticleRecord>> rows_of(Connection& c, const std::string& tail, const std::vector<Value>& params) {
    auto rows = c.query(std::string(kColumns) + tail, params);
    if (!rows) return rows.error();
    std::vector<ArticleRecord> out;
    for (const auto& r : rows.value()) {
        ArticleRecord a;
        a.id = r.int64(0);
        a.slug = r.text(1);
        a.title = r.text(2);
        a.summary = r.text(3);
        a.body = r.text(4);
        a.published = r.boolean(5);
        a.publish_at = r.opt_int64(6);
        a.event_id = r.opt_int64(7);
        a.cover_sha256 = r.opt_text(8);
        a.cover_type = r.text(9);
        a.cover_width = static_cast<int>(r.int64(10));
        a.cover_height = static_cast<int>(r.int64(11));
        a.cover_alt = r.text(12);
        a.author_user_id = r.opt_int64(13);
        a.created_at = r.int64(14);
        a.updated_at = r.int64(15);
        a.author_name = r.text(16);
        a.event_title = r.text(17);
        out.push_back(std::move(a));
    }
    if (auto s = load_tags(c, out); !s) return s.error();
    return out;
}

Result<std::optional<ArticleRecord>> one(Connection& c, const std::string& tail, const std::vector<Value>& params) {
    auto rows = rows_of(c, tail, params);
    if (!rows) return rows.error();
    if (rows.value().empty()) return std::optional<ArticleRecord>{};
    return std::optional<ArticleRecord>{std::move(rows.value().front())};
}

Status replace_tags(Connection& c, std::int64_t id, const std::vector<std::string>& tags) {
    if (auto s = to_status(c.exec("DELETE FROM news_tags WHERE article_id = ?", {id})); !s) return s;
    std::int64_t pos = 0;
    for (const auto& t : tags)
        if (auto s =
                to_status(c.exec("INSERT INTO news_tags (article_id, tag, position) VALUES (?, ?, ?)", {id, t, pos++}));
            !s)
            return s;
    return {};
}

}  // namespace

Result<std::int64_t> insert(Connection& c, const ArticleRecord& r, std::int64_t now) {
    auto rows = c.query(
        "INSERT INTO news_articles (slug, title, summary, body, published, publish_at, event_id, cover_sha256, "
        "cover_type, cover_width, cover_height, cover_alt, author_user_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {r.slug, r.title, r.summary, r.body, flag(r.published), opt(r.publish_at), opt(r.event_id),
         r.cover_sha256 ? Value(*r.cover_sha256) : Value(Null{}), r.cover_type, std::int64_t{r.cover_width},
         std::int64_t{r.cover_height}, r.cover_alt, opt(r.author_user_id), now, now});
    if (!rows) return rows.error();
    const std::int64_t id = rows.value()[0].int64(0);
    if (auto s = replace_tags(c, id, r.tags); !s) return s.error();
    return id;
}

Status update(Connection& c, const ArticleRecord& r, std::int64_t now) {
    if (auto s = to_status(
            c.exec("UPDATE news_articles SET title = ?, summary = ?, body = ?, event_id = ?, cover_sha256 = ?, "
                   "cover_type = ?, cover_width = ?, cover_height = ?, cover_alt = ?, publish_at = ?, updated_at = ? "
                   "WHERE id = ?",
                   {r.title, r.summary, r.body, opt(r.event_id),
                    r.cover_sha256 ? Value(*r.cover_sha256) : Value(Null{}), r.cover_type, std::int64_t{r.cover_width},
                    std::int64_t{r.cover_height}, r.cover_alt, opt(r.publish_at), now, r.id}));
        !s)
        return s;
    return replace_tags(c, r.id, r.tags);
}

Status set_publication(Connection& c, std::int64_t id, bool published, std::optional<std::int64_t> publish_at,
                       std::int64_t now) {
    return to_status(c.exec("UPDATE news_articles SET published = ?, publish_at = ?, updated_at = ? WHERE id = ?",
                            {flag(published), opt(publish_at), now, id}));
}

Status remove(Connection& c, std::int64_t id) {
    return to_status(c.exec("DELETE FROM news_articles WHERE id = ?", {id}));
}

Result<bool> slug_taken(Connection& c, const std::string& slug) {
    auto rows = c.query("SELECT 1 FROM news_articles WHERE slug = ?", {slug});
    if (!rows) return rows.error();
    return !rows.value().empty();
}

Result<std::optional<ArticleRecord>> find(Connection& c, std::int64_t id) { return one(c, "WHERE a.id = ?", {id}); }

Result<std::optional<ArticleRecord>> find_by_slug(Connection& c, const std::string& slug) {
    return one(c, "WHERE a.slug = ?", {slug});
}

Result<std::vector<ArticleRecord>> list_public(Connection& c, std::int64_t now, const std::string& tag, int limit,
                                               int offset) {
    std::string where = std::string("WHERE ") + kPublic;
    std::vector<Value> params{now};
    if (!tag.empty()) {
        where += "AND a.id IN (SELECT article_id FROM news_tags WHERE tag = ?) ";
        params.emplace_back(tag);
    }
    params.emplace_back(std::int64_t{limit});
    params.emplace_back(std::int64_t{offset});
    return rows_of(c, where + "ORDER BY a.publish_at DESC, a.id DESC LIMIT ? OFFSET ?", params);
}

Result<std::int64_t> count_public(Connection& c, std::int64_t now, const std::string& tag) {
    std::string sql = std::string("SELECT COUNT(*) FROM news_articles a WHERE ") + kPublic;
    std::vector<Value> params{now};
    if (!tag.empty()) {
        sql += "AND a.id IN (SELECT article_id FROM news_tags WHERE tag = ?)";
        params.emplace_back(tag);
    }
    auto rows = c.query(sql, params);
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::vector<ArticleRecord>> list_all(Connection& c, int limit) {
    return rows_of(c, "ORDER BY a.updated_at DESC, a.id DESC LIMIT ?", {std::int64_t{limit}});
}

Result<std::vector<TagCount>> public_tags(Connection& c, std::int64_t now) {
    auto rows = c.query(std::string("SELECT t.tag, COUNT(*) FROM news_tags t JOIN news_articles a ON a.id = "
                                    "t.article_id WHERE ") +
                            kPublic + "GROUP BY t.tag ORDER BY COUNT(*) DESC, t.tag",
                        {now});
    if (!rows) return rows.error();
    std::vector<TagCount> out;
    for (const auto& r : rows.value()) out.push_back({r.text(0), r.int64(1)});
    return out;
}

Result<std::vector<PublicPage>> public_pages(Connection& c, std::int64_t now, int limit_per_kind) {
    const Value limit = std::int64_t{limit_per_kind};
    struct Source {
        const char* kind;
        const char* sql;
        std::vector<Value> params;
    };
    const std::vector<Source> sources = {
        {"notice",
         "SELECT id, updated_at FROM notices WHERE status IN ('published', 'closed', 'awarded', 'unsuccessful') "
         "AND withdrawn_at IS NULL ORDER BY id DESC LIMIT ?",
         {limit}},
        {"roadmap",
         "SELECT id, updated_at FROM roadmap_items WHERE status IN ('published', 'converted') "
         "AND withdrawn_at IS NULL ORDER BY id DESC LIMIT ?",
         {limit}},
        {"event", "SELECT id, updated_at FROM events WHERE status = 'published' ORDER BY id DESC LIMIT ?", {limit}},
        {"news",
         "SELECT slug, updated_at FROM news_articles a WHERE a.published = 1 AND a.publish_at <= ? "
         "ORDER BY a.publish_at DESC LIMIT ?",
         {now, limit}},
    };
    std::vector<PublicPage> out;
    for (const auto& s : sources) {
        auto rows = c.query(s.sql, s.params);
        if (!rows) return rows.error();
        for (const auto& r : rows.value()) out.push_back({s.kind, r.text(0), r.int64(1)});
    }
    return out;
}

}  // namespace passerelle::storage::news
