// The news (actualités): the public list with its tags and upcoming events, an article with its event and
// registration button, the Atom feed, the cover image, sitemap.xml; the organisers' list and editor with
// drafts, scheduled publication and a Markdown preview.
#include "app/media.hpp"
#include "core/event.hpp"
#include "core/french.hpp"
#include "core/notice.hpp"
#include "web/feeds.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using json = nlohmann::json;
namespace nw = storage::news;

namespace {

constexpr const char* kSpace = "/mon-espace/actualites";

std::string article_path(const std::string& slug) { return "/actualites/" + slug; }
std::string edit_path(std::int64_t id) { return std::string(kSpace) + "/" + std::to_string(id); }

std::string tag_label(const std::string& tag) {
    std::string out = tag;
    for (auto& c : out)
        if (c == '-') c = ' ';
    return out;
}

json tags_view(const std::vector<std::string>& tags) {
    json out = json::array();
    for (const auto& t : tags) out.push_back({{"tag", t}, {"label", tag_label(t)}, {"url", "/actualites?tag=" + t}});
    return out;
}

std::string badge_of(core::news::Visibility v) {
    switch (v) {
        case core::news::Visibility::kDraft:
            return "text-bg-secondary";
        case core::news::Visibility::kScheduled:
            return "text-bg-info";
        case core::news::Visibility::kPublished:
            return "text-bg-success";
    }
    return "";
}

}  // namespace

json Site::article_summary(const nw::ArticleRecord& a) {
    const auto v = s_.news.visibility(a);
    json item = {{"id", a.id},
                 {"slug", a.slug},
                 {"url", article_path(a.slug)},
                 {"title", a.title},
                 {"summary", a.summary},
                 {"tags", tags_view(a.tags)},
                 {"has_tags", !a.tags.empty()},
                 {"status", core::news::visibility_label(v)},
                 {"badge", badge_of(v)},
                 {"edit_url", edit_path(a.id) + "/modifier"},
                 {"published", v == core::news::Visibility::kPublished}};
    if (a.publish_at) {
        item["date"] = core::format_date_fr(*a.publish_at);
        item["datetime"] = core::format_iso8601_utc(*a.publish_at);
        item["when"] = core::format_datetime_fr(*a.publish_at);
    }
    if (a.cover_sha256) {
        item["cover"] = {{"url", article_path(a.slug) + "/image"},
                         {"alt", a.cover_alt},
                         {"width", a.cover_width},
                         {"height", a.cover_height}};
    }
    return item;
}

Response Site::news_list(Ctx& ctx) {
    core::Page p;
    std::string why;
    if (!core::parse_page(ctx.req.query_param("page"), "", p, why, 10, 10)) return error_page(ctx, 400, why);
    const std::string tag = core::news::slugify(ctx.req.query_param("tag"));
    const bool tagged = !ctx.req.query_param("tag").empty();
    auto list = s_.news.list(tagged ? tag : "", p);
    if (!list) return fail(ctx, list.error());
    json items = json::array();
    for (const auto& a : list->items) items.push_back(article_summary(a));
    json tags = json::array();
    for (const auto& t : list->tags)
        tags.push_back({{"label", tag_label(t.tag)},
                        {"count", t.count},
                        {"url", "/actualites?tag=" + t.tag},
                        {"active", tagged && t.tag == tag}});
    json events = json::array();
    if (auto next = s_.events.upcoming(5))
        for (const auto& e : next.value())
            if (e.status == "published") events.push_back(event_summary(e));
    json view = {{"title", tagged ? "Actualités — " + tag_label(tag) : "Actualités"},
                 {"breadcrumb", tagged ? crumbs({{"Actualités", "/actualites"}, {tag_label(tag), ""}})
                                       : crumbs({{"Actualités", ""}})},
                 {"articles", items},
                 {"no_article", items.empty()},
                 {"tags", tags},
                 {"has_tags", !tags.empty()},
                 {"tagged", tagged},
                 {"tag", tag_label(tag)},
                 {"events", events},
                 {"has_events", !events.empty()},
                 {"writer", core::allowed(ctx.actor, core::Action::kWriteNews)}};
    add_pagination(view, tagged ? "/actualites?tag=" + tag : "/actualites", p.page, p.per_page, list->total);
    return page(ctx, "news_list", view);
}

Response Site::news_item(Ctx& ctx) {
    auto a = s_.news.article(ctx.actor, ctx.req.path_param("slug"));
    if (!a) return fail(ctx, a.error());
    json view = article_summary(a.value());
    view["breadcrumb"] = crumbs({{"Actualités", "/actualites"}, {a->title, ""}});
    view["body_html"] = app::render_markdown(a->body);
    view["preview"] = s_.news.visibility(a.value()) != core::news::Visibility::kPublished;
    view["writer"] = core::allowed(ctx.actor, core::Action::kWriteNews);
    view["author"] = a->author_name;
    if (a->event_id) {
        if (auto d = s_.events.details(ctx.actor, *a->event_id)) {
            json e = event_summary(d->event);
            const auto window = d->window;
            e["open"] = window == core::events::Availability::kOpen;
            e["window_message"] = core::events::registration_window_message(window, d->event.registration_opens_at);
            e["register_url"] = e["url"].get<std::string>() + "#inscription";
            view["event"] = e;
        }
    }
    return page(ctx, "news_item", view);
}

Response Site::news_cover(Ctx& ctx) {
    auto f = s_.news.cover(ctx.actor, ctx.req.path_param("slug"));
    if (!f) return fail(ctx, f.error());
    Response r;
    r.body = std::move(f->bytes);
    // Decoded as PNG or JPEG when uploaded; nosniff comes with every response.
    r.set_header("Content-Type", f->content_type);
    // A draft's or a scheduled article's cover is seen by organisers only: never kept by a shared cache.
    r.set_header("Cache-Control", f->is_public ? "public, max-age=3600" : "private, no-store");
    return r;
}

Response Site::news_atom(Ctx& ctx) {
    auto list = s_.news.list("", {1, 30});
    if (!list) return fail(ctx, list.error());
    AtomFeed f;
    f.id = settings_.base_url + "/actualites";
    f.title = "Passerelle — Actualités";
    f.self_url = settings_.base_url + "/actualites.atom";
    f.alternate_url = settings_.base_url + "/actualites";
    f.updated = s_.clock.now();
    if (!list->items.empty()) f.updated = std::max(list->items.front().updated_at, *list->items.front().publish_at);
    for (const auto& a : list->items) {
        AtomEntry e;
        e.id = settings_.base_url + article_path(a.slug);
        e.url = e.id;
        e.title = a.title;
        e.published = *a.publish_at;
        e.updated = std::max(a.updated_at, *a.publish_at);
        e.summary = a.summary;
        e.content_html = app::render_markdown(a.body);
        e.categories = a.tags;
        f.entries.push_back(std::move(e));
    }
    Response r;
    r.body = atom_xml(f);
    r.set_header("Content-Type", "application/atom+xml; charset=utf-8");
    r.set_header("Cache-Control", "public, max-age=300");
    return r;
}

Response Site::sitemap(Ctx& ctx) {
    auto pages = s_.news.public_pages();
    if (!pages) return fail(ctx, pages.error());
    std::vector<SitemapUrl> urls;
    for (const char* path : {"/", "/recherche", "/consultations", "/feuilles-de-route", "/marches-attribues",
                             "/entreprises", "/acheteurs", "/evenements", "/observatoire", "/actualites",
                             "/accessibilite", "/mentions-legales", "/donnees-personnelles"})
        urls.push_back({settings_.base_url + path, 0});
    for (const auto& p : pages.value()) {
        std::string path;
        if (p.kind == "notice") path = "/consultations/" + p.key;
        if (p.kind == "roadmap") path = "/feuilles-de-route/" + p.key;
        if (p.kind == "event") path = "/evenements/" + p.key;
        if (p.kind == "news") path = article_path(p.key);
        urls.push_back({settings_.base_url + path, p.updated_at});
    }
    Response r;
    r.body = sitemap_xml(urls);
    r.set_header("Content-Type", "application/xml; charset=utf-8");
    r.set_header("Cache-Control", "public, max-age=3600");
    return r;
}

Response Site::news_mine(Ctx& ctx) {
    auto all = s_.news.all(ctx.actor);
    if (!all) return fail(ctx, all.error());
    json items = json::array();
    for (const auto& a : all.value()) {
        json item = article_summary(a);
        item["actions_url"] = edit_path(a.id);
        item["can_unpublish"] = a.published;
        items.push_back(item);
    }
    return page(ctx, "news_mine",
                {{"title", "Actualités — rédaction"},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"}, {"Actualités", ""}})},
                 {"articles", items},
                 {"no_article", items.empty()}});
}

json Site::article_form_view(Ctx& ctx, const core::news::ArticleInput& in, std::int64_t event_id) {
    json events = json::array();
    if (auto managed = s_.events.managed(ctx.actor))
        for (const auto& e : managed.value())
            if (e.status != "cancelled")
                events.push_back({{"id", e.id},
                                  {"label", e.title + " — " + core::format_date_fr(e.starts_at)},
                                  {"selected", e.id == event_id}});
    return {{"title_value", in.title}, {"summary", in.summary},        {"body", in.body},
            {"tags", in.tags},         {"publish_at", in.publish_at},  {"cover_alt", in.cover_alt},
            {"events", events},        {"has_events", !events.empty()}};
}

Response Site::news_new_form(Ctx& ctx) {
    core::news::ArticleInput in;
    std::int64_t event_id = 0;
    if (auto e = parse_id(ctx.req.query_param("evenement"))) event_id = *e;  // « annoncer l'événement »
    return page(
        ctx, "news_form",
        {{"title", "Nouvel article"},
         {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"}, {"Actualités", kSpace}, {"Nouvel article", ""}})},
         {"action", std::string(kSpace) + "/nouvelle"},
         {"form", article_form_view(ctx, in, event_id)}});
}

namespace {

app::ArticleChange change_from(const PostedForm& form) {
    app::ArticleChange c;
    auto field = [&](const char* name) {
        auto it = form.fields.find(name);
        return it == form.fields.end() ? std::string() : it->second;
    };
    c.input = {field("title"),      field("summary"),  field("body"),     field("tags"),
               field("publish_at"), field("event_id"), field("cover_alt")};
    c.remove_cover = field("remove_cover") == "1";
    c.publish = field("intent") == "publish";
    for (const auto& f : form.files)
        if (f.name == "cover") c.cover = app::Upload{f.filename, f.data};
    return c;
}

}  // namespace

Response Site::news_create(Ctx& ctx) {
    auto form = posted_form(ctx.req);
    if (!form) return error_page(ctx, 403, kFormInvalid);
    const auto change = change_from(*form);
    auto id = s_.news.create(ctx.actor, change);
    if (!id) {
        const std::int64_t event_id = parse_id(change.input.event_id).value_or(0);
        return form_error(ctx, "news_form",
                          {{"title", "Nouvel article"},
                           {"action", std::string(kSpace) + "/nouvelle"},
                           {"form", article_form_view(ctx, change.input, event_id)}},
                          id.error());
    }
    auto a = s_.news.for_editing(ctx.actor, id.value());
    if (!a) return fail(ctx, a.error());
    const auto v = s_.news.visibility(a.value());
    const std::string msg = v == core::news::Visibility::kDraft ? "Le brouillon est enregistré."
                            : v == core::news::Visibility::kScheduled
                                ? "L'article paraîtra le " + core::format_datetime_fr(*a->publish_at) + "."
                                : "L'article est publié.";
    return redirect_flash(ctx, article_path(a->slug), msg);
}

Response Site::news_edit_form(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet article n'existe pas.");
    auto a = s_.news.for_editing(ctx.actor, *id);
    if (!a) return fail(ctx, a.error());
    core::news::ArticleInput in{a->title, a->summary, a->body, "", "", "", a->cover_alt};
    for (const auto& t : a->tags) in.tags += (in.tags.empty() ? "" : ", ") + tag_label(t);
    if (a->publish_at) in.publish_at = core::format_paris_datetime_local(*a->publish_at);
    json form = article_form_view(ctx, in, a->event_id.value_or(0));
    json view = {{"title", "Modifier l'article"},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"}, {"Actualités", kSpace}, {a->title, ""}})},
                 {"action", edit_path(*id) + "/modifier"},
                 {"editing", true},
                 {"article", article_summary(a.value())},
                 {"form", form}};
    return page(ctx, "news_form", view);
}

Response Site::news_update(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet article n'existe pas.");
    auto form = posted_form(ctx.req);
    if (!form) return error_page(ctx, 403, kFormInvalid);
    const auto change = change_from(*form);
    if (auto s = s_.news.update(ctx.actor, *id, change); !s) {
        auto a = s_.news.for_editing(ctx.actor, *id);
        if (!a) return fail(ctx, a.error());
        return form_error(ctx, "news_form",
                          {{"title", "Modifier l'article"},
                           {"action", edit_path(*id) + "/modifier"},
                           {"editing", true},
                           {"article", article_summary(a.value())},
                           {"form", article_form_view(ctx, change.input, parse_id(change.input.event_id).value_or(0))}},
                          s.error());
    }
    auto a = s_.news.for_editing(ctx.actor, *id);
    if (!a) return fail(ctx, a.error());
    return redirect_flash(ctx, article_path(a->slug), "L'article est enregistré.");
}

Response Site::news_action(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet article n'existe pas.");
    const std::string action = ctx.req.path_param("action");
    if (action == "depublier") {
        if (auto s = s_.news.unpublish(ctx.actor, *id); !s) return fail(ctx, s.error());
        return redirect_flash(ctx, kSpace, "L'article est retiré du site ; il reste en brouillon.");
    }
    if (action == "supprimer") {
        if (auto s = s_.news.remove(ctx.actor, *id); !s) return fail(ctx, s.error());
        return redirect_flash(ctx, kSpace, "L'article est supprimé.");
    }
    return error_page(ctx, 404, "Cette action n'existe pas.");
}

Response Site::news_preview(Ctx& ctx) {
    Response r;
    r.body = app::render_markdown(ctx.req.form_value("body"));
    r.set_header("Content-Type", "text/html; charset=utf-8");
    return r;
}

}  // namespace passerelle::web
