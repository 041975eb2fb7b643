// Saved searches and alerts (veille): saving a search from /recherche, the user's list of searches and
// alerts, the private Atom feed of a search, and the one-click unsubscribe page.

#include "core/french.hpp"
#include "core/validation.hpp"
#include "http/message.hpp"
#include "web/feeds.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;

namespace {

std::string criteria_of(const storage::alerts::SavedSearchRecord& s) {
    std::string out;
    auto add = [&](const std::string& label, const std::string& v) {
        if (!v.empty()) out += (out.empty() ? "" : " ; ") + label + v;
    };
    add("mots : ", s.query_text);
    add("type : ", s.kind == "notice" ? "consultations" : s.kind == "roadmap" ? "projets d'achat" : "");
    add("département ", s.departement);
    add("domaine CPV ", s.cpv_division);
    add("clause ", s.clause);
    add("procédure ", s.procedure);
    return out.empty() ? "toutes les nouveautés" : out;
}

const char* frequency_label(const std::string& f) {
    return f == "immediate" ? "à chaque nouveauté" : f == "daily" ? "chaque jour" : "chaque semaine";
}

}  // namespace

Response Site::search_save(Ctx& ctx) {
    app::SavedSearchInput in;
    in.name = ctx.req.form_value("name");
    in.frequency = ctx.req.form_value("frequency");
    in.query.text = ctx.req.form_value("q");
    const std::string type = ctx.req.form_value("type");
    in.query.kind = type == "consultations" ? "notice" : type == "feuilles-de-route" ? "roadmap" : "";
    in.query.departement = ctx.req.form_value("departement");
    in.query.cpv_division = ctx.req.form_value("division");
    in.query.clause = ctx.req.form_value("clause");
    in.query.procedure = ctx.req.form_value("procedure");
    auto id = s_.alerts.save(ctx.actor, in);
    if (!id) {
        // Back to the same search, the form open as typed (its hidden fields are the search's criteria).
        std::string back = "/recherche";
        char sep = '?';
        for (const char* k : {"q", "type", "departement", "division", "clause", "procedure"})
            if (const std::string v = ctx.req.form_value(k); !v.empty()) {
                back += sep + std::string(k) + "=" + http::url_encode(v);
                sep = '&';
            }
        return refuse_form(ctx, back + "#enregistrer", "save", id.error(), {"name", "frequency"});
    }
    return redirect_flash(
        ctx, "/mon-espace/alertes",
        "La recherche « " + core::trim(in.name) + " » est enregistrée : vous serez alerté des nouveautés.");
}

Response Site::alerts_page(Ctx& ctx) {
    auto searches = s_.alerts.mine(ctx.actor);
    if (!searches) return fail(ctx, searches.error());
    auto alerts = s_.alerts.notifications(ctx.actor, 50);
    if (!alerts) return fail(ctx, alerts.error());
    json list = json::array();
    for (const auto& s : searches.value())
        list.push_back({{"name", s.name},
                        {"criteria", criteria_of(s)},
                        {"frequency", frequency_label(s.frequency)},
                        {"email_off", !s.email_active},
                        {"feed_url", settings_.base_url + "/alertes/" + s.feed_token + ".atom"},
                        {"delete_action", "/mon-espace/alertes/" + std::to_string(s.id) + "/supprimer"}});
    json items = json::array();
    for (const auto& a : alerts.value())
        items.push_back({{"title", a.title},
                         {"url", app::entity_path(a.kind, a.entity_id)},
                         {"kind_label", app::entity_label(a.kind)},
                         {"search", a.search_name},
                         {"reason", a.reason},
                         {"date", core::format_datetime_fr(a.created_at)}});
    return page(ctx, "alerts",
                {{"title", "Mes alertes"},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"}, {"Mes alertes", "/mon-espace/alertes"}})},
                 {"searches", list},
                 {"has_searches", !list.empty()},
                 {"alerts", items},
                 {"has_alerts", !items.empty()}});
}

Response Site::alert_delete(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette recherche n'existe pas.");
    auto st = s_.alerts.remove(ctx.actor, *id);
    if (!st) return fail(ctx, st.error());
    return redirect_flash(ctx, "/mon-espace/alertes", "La recherche sauvegardée est supprimée, ainsi que son flux.");
}

Response Site::alert_feed(Ctx& ctx) {
    std::string file = ctx.req.path_param("feed");
    const std::string ext = ".atom";
    if (file.size() <= ext.size() || file.compare(file.size() - ext.size(), ext.size(), ext) != 0)
        return error_page(ctx, 404, "Flux inconnu.");
    auto feed = s_.alerts.feed(file.substr(0, file.size() - ext.size()));
    if (!feed) return fail(ctx, feed.error());
    const auto& [search, alerts] = feed.value();
    AtomFeed f;
    f.title = "Passerelle — " + search.name;
    f.id = "urn:passerelle:recherche:" + std::to_string(search.id);
    f.updated = alerts.empty() ? search.created_at : alerts.front().created_at;
    f.self_url = settings_.base_url + "/alertes/" + file;
    for (const auto& a : alerts) {
        AtomEntry e;
        e.title = a.title;
        e.id = "urn:passerelle:" + a.kind + ":" + std::to_string(a.entity_id);
        e.updated = a.created_at;
        e.url = settings_.base_url + app::entity_path(a.kind, a.entity_id);
        e.summary = "Pourquoi : " + a.reason;
        f.entries.push_back(std::move(e));
    }
    Response r;
    r.body = atom_xml(f);
    r.set_header("Content-Type", "application/atom+xml; charset=utf-8");
    r.set_header("Cache-Control", "private, max-age=300");
    return r;
}

Response Site::alert_unsubscribe_form(Ctx& ctx) {
    ensure_session(ctx);
    return page(ctx, "unsubscribe",
                {{"title", "Ne plus recevoir les alertes"}, {"jeton", ctx.req.query_param("jeton")}});
}

Response Site::alert_unsubscribe(Ctx& ctx) {
    auto name = s_.alerts.unsubscribe(ctx.req.form_value("jeton"));
    if (!name) return fail(ctx, name.error());
    return page(ctx, "unsubscribe", {{"title", "Alertes arrêtées"}, {"done", true}, {"name", name.value()}});
}

}  // namespace passerelle::web
