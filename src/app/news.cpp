#include "app/news.hpp"

#include "app/media.hpp"
#include "core/french.hpp"
#include "storage/event_store.hpp"

namespace passerelle::app {

using core::Error;
using core::Result;
using core::Status;
namespace nw = storage::news;

namespace {

bool organiser(const core::Actor& a) { return core::allowed(a, core::Action::kWriteNews); }

Error not_organiser(const core::Actor& a) {
    if (a.anonymous()) return Error::Unauthenticated("Connectez-vous pour écrire des actualités.");
    return Error::Forbidden("Les actualités sont écrites par les organisateurs de la plateforme.");
}

Error not_found() { return Error::NotFound("Cet article n'existe pas ou n'est pas encore publié."); }

}  // namespace

core::news::Visibility NewsService::visibility(const nw::ArticleRecord& a) const {
    return core::news::visibility(a.published, a.publish_at, clock_.now());
}

Result<nw::ArticleRecord> NewsService::prepare(const ArticleChange& change, nw::ArticleRecord base) {
    const bool has_cover = change.cover || (base.cover_sha256 && !change.remove_cover);
    auto a = core::news::validate_article(change.input, has_cover);
    core::FieldErrors errors;
    if (!a) errors = a.error().fields;
    std::optional<ImageInfo> image;
    if (change.cover) {
        if (static_cast<std::int64_t>(change.cover->bytes.size()) > core::news::kMaxCoverBytes) {
            errors["cover"] = "L'image pèse plus de 5 Mo : réduisez-la avant de l'envoyer.";
        } else if (auto info = image_info(change.cover->bytes); !info) {
            errors["cover"] = info.error().message;
        } else if (info->width > core::news::kMaxCoverSide || info->height > core::news::kMaxCoverSide ||
                   info->width < 1 || info->height < 1) {
            errors["cover"] = "L'image mesure au plus 6 000 pixels de côté.";
        } else {
            image = info.value();
        }
    }
    if (a && a->event_id) {
        auto e = storage::fetch<std::optional<storage::events::EventRecord>>(
            db_, [&](storage::Connection& c) { return storage::events::find_event(c, *a->event_id); });
        if (!e) return e.error();
        if (!e.value()) errors["event_id"] = "Cet événement n'existe pas.";
    }
    if (!errors.empty()) return Error::Invalid("L'article contient des erreurs.", std::move(errors));

    base.title = a->title;
    base.summary = a->summary;
    base.body = a->body;
    base.tags = a->tags;
    base.event_id = a->event_id;
    base.cover_alt = a->cover_alt;
    if (change.remove_cover && !change.cover) {
        base.cover_sha256.reset();
        base.cover_type.clear();
        base.cover_width = base.cover_height = 0;
        base.cover_alt.clear();
    }
    if (image) {
        auto sha = blobs_.put(change.cover->bytes);
        if (!sha) return sha.error();
        base.cover_sha256 = sha.value();
        base.cover_type = image->mime;
        base.cover_width = image->width;
        base.cover_height = image->height;
    }
    const std::int64_t now = clock_.now();
    if (change.publish) {
        base.published = true;
        base.publish_at = a->publish_at.value_or(now);
    } else if (!base.published) {
        base.publish_at = a->publish_at;  // kept for when it is published
    } else {
        base.publish_at = a->publish_at.value_or(base.publish_at.value_or(now));
    }
    return base;
}

Result<std::int64_t> NewsService::create(const core::Actor& actor, const ArticleChange& change) {
    if (!organiser(actor)) return not_organiser(actor);
    auto r = prepare(change, {});
    if (!r) return r.error();
    auto& a = r.value();
    a.author_user_id = actor.user_id;
    const std::string stem = core::news::slugify(a.title);
    std::int64_t id = 0;
    Status st = db_.transaction([&](storage::Connection& c) -> Status {
        // The first free address among stem, stem-2, stem-3…
        a.slug = stem;
        for (int n = 2;; ++n) {
            auto taken = nw::slug_taken(c, a.slug);
            if (!taken) return taken.error();
            if (!taken.value()) break;
            a.slug = stem + "-" + std::to_string(n);
        }
        auto inserted = nw::insert(c, a, clock_.now());
        if (!inserted) return inserted.error();
        id = inserted.value();
        return {};
    });
    if (!st) return st.error();
    return id;
}

Status NewsService::update(const core::Actor& actor, std::int64_t id, const ArticleChange& change) {
    if (!organiser(actor)) return not_organiser(actor);
    auto current = for_editing(actor, id);
    if (!current) return current.error();
    auto r = prepare(change, current.value());
    if (!r) return r.error();
    return db_.transaction([&](storage::Connection& c) -> Status {
        if (auto s = nw::update(c, r.value(), clock_.now()); !s) return s;
        return nw::set_publication(c, id, r->published, r->publish_at, clock_.now());
    });
}

Status NewsService::unpublish(const core::Actor& actor, std::int64_t id) {
    if (!organiser(actor)) return not_organiser(actor);
    auto current = for_editing(actor, id);
    if (!current) return current.error();
    return db_.with_connection(
        [&](storage::Connection& c) { return nw::set_publication(c, id, false, current->publish_at, clock_.now()); });
}

Status NewsService::remove(const core::Actor& actor, std::int64_t id) {
    if (!organiser(actor)) return not_organiser(actor);
    auto current = for_editing(actor, id);
    if (!current) return current.error();
    return db_.with_connection([&](storage::Connection& c) { return nw::remove(c, id); });
}

Result<nw::ArticleRecord> NewsService::for_editing(const core::Actor& actor, std::int64_t id) {
    if (!organiser(actor)) return not_organiser(actor);
    auto a =
        storage::fetch<std::optional<nw::ArticleRecord>>(db_, [&](storage::Connection& c) { return nw::find(c, id); });
    if (!a) return a.error();
    if (!a.value()) return Error::NotFound("Cet article n'existe pas.");
    return std::move(*a.value());
}

Result<std::vector<nw::ArticleRecord>> NewsService::all(const core::Actor& actor) {
    if (!organiser(actor)) return not_organiser(actor);
    return storage::fetch<std::vector<nw::ArticleRecord>>(db_,
                                                          [&](storage::Connection& c) { return nw::list_all(c, 500); });
}

Result<NewsList> NewsService::list(const std::string& tag, const core::Page& page) {
    NewsList out;
    const std::int64_t now = clock_.now();
    Status st = db_.with_connection([&](storage::Connection& c) -> Status {
        auto items = nw::list_public(c, now, tag, page.per_page, static_cast<int>(page.offset()));
        if (!items) return items.error();
        out.items = std::move(items.value());
        auto total = nw::count_public(c, now, tag);
        if (!total) return total.error();
        out.total = total.value();
        auto tags = nw::public_tags(c, now);
        if (!tags) return tags.error();
        out.tags = std::move(tags.value());
        return {};
    });
    if (!st) return st.error();
    return out;
}

Result<nw::ArticleRecord> NewsService::article(const core::Actor& actor, const std::string& slug) {
    auto a = storage::fetch<std::optional<nw::ArticleRecord>>(
        db_, [&](storage::Connection& c) { return nw::find_by_slug(c, slug); });
    if (!a) return a.error();
    if (!a.value()) return not_found();
    if (visibility(*a.value()) != core::news::Visibility::kPublished && !organiser(actor)) return not_found();
    return std::move(*a.value());
}

Result<FileDownload> NewsService::cover(const core::Actor& actor, const std::string& slug) {
    auto a = article(actor, slug);
    if (!a) return a.error();
    if (!a->cover_sha256) return Error::NotFound("Cet article n'a pas d'image.");
    auto bytes = blobs_.get(*a->cover_sha256);
    if (!bytes) return bytes.error();
    const std::string ext = a->cover_type == "image/png" ? ".png" : ".jpg";
    return FileDownload{a->slug + ext, a->cover_type, std::move(bytes.value()),
                        visibility(a.value()) == core::news::Visibility::kPublished};
}

Result<std::vector<nw::PublicPage>> NewsService::public_pages() {
    return storage::fetch<std::vector<nw::PublicPage>>(
        db_, [&](storage::Connection& c) { return nw::public_pages(c, clock_.now(), 10000); });
}

}  // namespace passerelle::app
