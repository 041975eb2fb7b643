#include "app/alerts.hpp"

#include <spdlog/spdlog.h>

#include "app/crypto.hpp"
#include "app/indexer.hpp"
#include "core/french.hpp"
#include "core/validation.hpp"
#include "storage/outbox_store.hpp"

namespace passerelle::app {

namespace al = storage::alerts;
using core::Error;
using storage::Connection;
using storage::fetch;

namespace {
const char* kSignature = "\n\n-- \nPasserelle, la plateforme qui rapproche acheteurs publics et entreprises.\n";
}

search::SavedQuery saved_query_of(const al::SavedSearchRecord& r) {
    return {r.id, r.query_text, r.kind, r.departement, r.cpv_division, r.clause, r.procedure};
}

std::string AlertService::url_of(const std::string& kind, std::int64_t id) const {
    return base_url_ + entity_path(kind, id);
}

Status AlertService::load() {
    auto all = fetch<std::vector<al::SavedSearchRecord>>(db_, [](Connection& c) { return al::all_saved_searches(c); });
    if (!all) return all.error();
    for (const auto& s : all.value()) percolator_.add(saved_query_of(s));
    return {};
}

Result<std::int64_t> AlertService::save(const core::Actor& actor, const SavedSearchInput& in) {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous pour enregistrer une recherche.");
    core::FieldErrors errors;
    std::string name = core::trim(in.name);
    if (name.empty())
        errors["name"] = "Donnez un nom à cette recherche.";
    else if (core::utf8_length(name) > 100 || !core::is_clean_line(name))
        errors["name"] = "Le nom compte au plus 100 caractères.";
    if (in.frequency != "immediate" && in.frequency != "daily" && in.frequency != "weekly")
        errors["frequency"] = "Choisissez la fréquence des alertes.";
    if (core::utf8_length(in.query.text) > 300 || !core::is_clean_text(in.query.text))
        errors["name"] = "La recherche est trop longue.";
    if (!errors.empty()) return Error::Invalid("Le formulaire contient des erreurs.", std::move(errors));
    al::SavedSearchRecord r;
    r.user_id = *actor.user_id;
    r.name = name;
    r.query_text = core::trim(in.query.text);
    r.kind = in.query.kind;
    r.departement = in.query.departement;
    r.cpv_division = in.query.cpv_division;
    r.clause = in.query.clause;
    r.procedure = in.query.procedure;
    r.frequency = in.frequency;
    r.feed_token = random_token();
    r.unsubscribe_token = random_token();
    r.created_at = r.last_digest_at = clock_.now();
    auto id = fetch<std::int64_t>(db_, [&](Connection& c) { return al::insert_saved_search(c, r); });
    if (!id) return id.error();
    r.id = id.value();
    percolator_.add(saved_query_of(r));
    return id;
}

Status AlertService::remove(const core::Actor& actor, std::int64_t id) {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous.");
    auto done = fetch<bool>(db_, [&](Connection& c) { return al::delete_saved_search(c, id, *actor.user_id); });
    if (!done) return done.error();
    if (!done.value()) return Error::NotFound("Cette recherche sauvegardée n'existe pas.");
    percolator_.remove(id);
    return {};
}

Result<std::vector<al::SavedSearchRecord>> AlertService::mine(const core::Actor& actor) {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous.");
    return fetch<std::vector<al::SavedSearchRecord>>(
        db_, [&](Connection& c) { return al::saved_searches_of(c, *actor.user_id); });
}

Result<std::vector<al::AlertRecord>> AlertService::notifications(const core::Actor& actor, int limit) {
    if (actor.anonymous()) return Error::Unauthenticated("Connectez-vous.");
    return fetch<std::vector<al::AlertRecord>>(
        db_, [&](Connection& c) { return al::alerts_of_user(c, *actor.user_id, limit); });
}

Result<std::pair<al::SavedSearchRecord, std::vector<al::AlertRecord>>> AlertService::feed(const std::string& token) {
    if (token.size() < 20 || token.size() > 100) return Error::NotFound("Flux inconnu.");
    auto s = fetch<std::optional<al::SavedSearchRecord>>(
        db_, [&](Connection& c) { return al::find_by_feed_token(c, token); });
    if (!s) return s.error();
    if (!s.value()) return Error::NotFound("Flux inconnu ou supprimé.");
    auto list = fetch<std::vector<al::AlertRecord>>(
        db_, [&](Connection& c) { return al::alerts_of_search(c, s.value()->id, 50); });
    if (!list) return list.error();
    return std::make_pair(*s.value(), std::move(list.value()));
}

Result<std::string> AlertService::unsubscribe(const std::string& token) {
    if (token.size() < 20 || token.size() > 100) return Error::NotFound("Lien inconnu.");
    auto s = fetch<std::optional<al::SavedSearchRecord>>(
        db_, [&](Connection& c) { return al::find_by_unsubscribe_token(c, token); });
    if (!s) return s.error();
    if (!s.value()) return Error::NotFound("Ce lien de désabonnement n'est plus valide.");
    Status st = db_.with_connection([&](Connection& c) { return al::set_email_active(c, s.value()->id, false); });
    if (!st) return st.error();
    return s.value()->name;
}

Status AlertService::on_document(const search::IndexedDoc& doc) {
    auto matches = percolator_.match(doc);
    if (matches.empty()) return {};
    const std::int64_t now = clock_.now();
    return db_.transaction([&](Connection& c) -> Status {
        for (const std::int64_t id : matches) {
            const auto reasons = percolator_.reasons(id);
            if (!reasons) continue;  // removed since
            std::string reason;
            for (const auto& r : *reasons) reason += (reason.empty() ? "" : " ; ") + r;
            auto s = al::find_saved_search(c, id);
            if (!s) return s.error();
            if (!s.value()) continue;
            auto up = al::upsert_alert(c, {0, id, "", doc.kind, doc.id, doc.title, reason, now, std::nullopt});
            if (!up) return up.error();
            if (s.value()->frequency != "immediate" || !s.value()->email_active) continue;
            const std::string what = entity_label(doc.kind);
            std::string body = "Bonjour,\n\nVotre recherche « " + s.value()->name +
                               " » correspond à un nouveau document :\n\n" + what + " : " + doc.title + " (" +
                               doc.buyer + ")\n" + url_of(doc.kind, doc.id) + "\n\nPourquoi : " + reason +
                               "\n\nNe plus recevoir ces e-mails : " + base_url_ +
                               "/alertes/desabonnement?jeton=" + s.value()->unsubscribe_token + kSignature;
            auto q = storage::outbox::enqueue(c, s.value()->user_email,
                                              "Alerte « " + s.value()->name + " » : " + doc.title, body, now);
            if (!q) return q.error();
            auto unsent = al::unsent_alerts(c, id);
            if (!unsent) return unsent.error();
            if (!unsent->empty())
                if (auto st = al::mark_emailed(c, id, unsent->back().id, now); !st) return st;
        }
        return {};
    });
}

Result<int> AlertService::send_digests() {
    auto all = fetch<std::vector<al::SavedSearchRecord>>(db_, [](Connection& c) { return al::all_saved_searches(c); });
    if (!all) return all.error();
    const std::int64_t now = clock_.now();
    int sent = 0;
    for (const auto& s : all.value()) {
        const std::int64_t period = s.frequency == "daily" ? 86400 : s.frequency == "weekly" ? 7 * 86400 : 0;
        if (period == 0 || now - s.last_digest_at < period) continue;
        Status st = db_.transaction([&](Connection& c) -> Status {
            auto unsent = al::unsent_alerts(c, s.id);
            if (!unsent) return unsent.error();
            if (!unsent->empty() && s.email_active) {
                std::string body = "Bonjour,\n\nVoici les nouveautés de votre recherche « " + s.name + " » :\n\n";
                for (const auto& a : unsent.value())
                    body += "- " + a.title + "\n  " + url_of(a.kind, a.entity_id) + "\n  Pourquoi : " + a.reason + "\n";
                body += "\nNe plus recevoir ces e-mails : " + base_url_ +
                        "/alertes/desabonnement?jeton=" + s.unsubscribe_token + kSignature;
                auto q = storage::outbox::enqueue(
                    c, s.user_email,
                    std::string(s.frequency == "daily" ? "Votre veille du jour" : "Votre veille de la semaine") +
                        " : « " + s.name + " »",
                    body, now);
                if (!q) return q.error();
                ++sent;
            }
            if (!unsent->empty())
                if (auto m = al::mark_emailed(c, s.id, unsent->back().id, now); !m) return m;
            return al::set_last_digest(c, s.id, now);
        });
        if (!st) return st.error();
    }
    return sent;
}

void AlertService::start_digests(int period_ms) {
    loop_.start(
        [this] {
            auto n = send_digests();
            if (!n) spdlog::warn("alert digests: {}", n.error().message);
        },
        std::chrono::milliseconds(period_ms));
}

}  // namespace passerelle::app
