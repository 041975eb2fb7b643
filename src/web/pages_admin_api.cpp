// Administration pages (users and platform roles) and the JSON API (/api/v1).
#include <charconv>

#include "core/cpv.hpp"
#include "core/french.hpp"
#include "core/pagination.hpp"
#include "core/siret.hpp"
#include "core/validation.hpp"
#include "http/message.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;

Response Site::admin_users(Ctx& ctx) {
    core::Page p;
    std::string why;
    if (!core::parse_page(ctx.req.query_param("page"), "", p, why, 50)) return error_page(ctx, 400, why);
    std::string q = ctx.req.query_param("q");
    auto users = s_.accounts.list_users(ctx.actor, q, p.per_page, p.offset());
    if (!users) return fail(ctx, users.error());
    json items = json::array();
    for (const auto& u : users->items) {
        json roles = json::array();
        for (auto r :
             {core::PlatformRole::kOrganiser, core::PlatformRole::kFacilitator, core::PlatformRole::kAdministrator}) {
            std::string code = core::platform_role_code(r);
            bool has = std::find(u.roles.begin(), u.roles.end(), code) != u.roles.end();
            roles.push_back({{"code", code},
                             {"label", core::platform_role_label(r)},
                             {"checked", has},
                             {"input_id", "role-" + std::to_string(u.id) + "-" + code}});
        }
        items.push_back(
            {{"id", u.id},
             {"email", u.email},
             {"name", u.display_name},
             {"roles", roles},
             {"verified", u.email_verified_at.has_value()},
             {"since", core::format_date_fr(u.created_at)},
             {"action", "/admin/utilisateurs/" + std::to_string(u.id) + "/roles"},
             {"second_factor", u.second_factor_since.has_value()},
             {"self", u.id == ctx.user->id},
             {"reset_action", "/admin/utilisateurs/" + std::to_string(u.id) + "/double-authentification/reinitialiser"},
             {"confirm_retour", ctx.req.target}});
    }
    json view = {
        {"title", "Utilisateurs"},
        {"breadcrumb", json::array({{{"label", "Accueil"}, {"url", "/"}},
                                    {{"label", "Administration"}, {"url", "/admin/utilisateurs"}},
                                    {{"label", "Utilisateurs"}, {"url", "/admin/utilisateurs"}, {"current", true}}})},
        {"items", items},
        {"needs_confirmation", needs_confirmation(ctx)},
        {"has_password", ctx.user->password_hash.has_value()},
        {"confirm_retour", ctx.req.target},
        {"q", q},
        {"total", core::format_integer_fr(users->total)}};
    add_pagination(view, "/admin/utilisateurs?q=" + http::url_encode(q), p.page, p.per_page, users->total);
    return page(ctx, "admin_users", view);
}

Response Site::admin_set_roles(Ctx& ctx) {
    std::int64_t id = 0;
    const std::string raw = ctx.req.path_param("id");
    auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), id);
    if (ec != std::errc() || p != raw.data() + raw.size()) return error_page(ctx, 404, "Utilisateur introuvable.");
    if (auto refused = unconfirmed(ctx))
        return redirect_flash(ctx, "/admin/utilisateurs",
                              "Rôles non enregistrés : confirmez d'abord votre identité en haut de la page.",
                              "warning");
    auto who = s_.accounts.set_platform_roles(ctx.actor, id, ctx.req.form_values("roles"));
    if (!who) {
        if (who.error().code == core::ErrorCode::kConflict)
            return redirect_flash(ctx, "/admin/utilisateurs", who.error().message, "warning");
        return fail(ctx, who.error());
    }
    std::string roles;
    for (const auto& r : ctx.req.form_values("roles")) roles += (roles.empty() ? "" : ", ") + r;
    audit(ctx, "roles_changed", "utilisateur " + who.value(), roles.empty() ? "aucun rôle" : roles);
    return redirect_flash(ctx, "/admin/utilisateurs?q=" + http::url_encode(who.value()),
                          "Les rôles de " + who.value() + " sont enregistrés.");
}

namespace {

// The journal's filters from the query: action, e-mail, from and to days (Paris time, to inclusive).
storage::audit::Filter audit_filter(const http::Request& req) {
    storage::audit::Filter f;
    f.action = req.query_param("action");
    if (std::none_of(app::audit_actions().begin(), app::audit_actions().end(),
                     [&](const auto& a) { return a.first == f.action; }))
        f.action.clear();
    f.email_like = core::trim(req.query_param("email")).substr(0, 200);
    auto day = [](const std::string& s) -> std::optional<std::int64_t> {
        auto d = core::parse_iso_day(s);
        if (!d) return std::nullopt;
        const std::int64_t utc = core::from_utc(d->year, d->month, d->day);
        return utc - core::paris_utc_offset(utc);
    };
    f.since = day(req.query_param("du"));
    if (auto to = day(req.query_param("au"))) f.until = *to + 86400;
    return f;
}

}  // namespace

Response Site::admin_audit(Ctx& ctx) {
    core::Page p;
    std::string why;
    if (!core::parse_page(ctx.req.query_param("page"), "", p, why, 50)) return error_page(ctx, 400, why);
    const auto f = audit_filter(ctx.req);
    auto list = s_.audit.list(ctx.actor, f, p);
    if (!list) return fail(ctx, list.error());
    json rows = json::array();
    for (const auto& e : list->items) {
        std::string label = e.action;
        for (const auto& [code, l] : app::audit_actions())
            if (code == e.action) label = l;
        rows.push_back({{"date", core::format_datetime_fr(e.at)},
                        {"email", e.user_email},
                        {"action", label},
                        {"failed", e.action == "login_failed"},
                        {"target", e.target},
                        {"detail", e.detail},
                        {"address", e.address}});
    }
    json actions = json::array();
    for (const auto& [code, label] : app::audit_actions())
        actions.push_back({{"code", code}, {"label", label}, {"selected", code == f.action}});
    const std::string qs = "action=" + http::url_encode(f.action) + "&email=" + http::url_encode(f.email_like) +
                           "&du=" + http::url_encode(ctx.req.query_param("du")) +
                           "&au=" + http::url_encode(ctx.req.query_param("au"));
    json view = {{"title", "Journal d'audit"},
                 {"breadcrumb", crumbs({{"Administration", "/admin/utilisateurs"}, {"Journal d'audit", ""}})},
                 {"rows", rows},
                 {"empty", rows.empty()},
                 {"actions", actions},
                 {"email", f.email_like},
                 {"du", ctx.req.query_param("du")},
                 {"au", ctx.req.query_param("au")},
                 {"total", core::format_integer_fr(list->total)},
                 {"csv_url", "/admin/journal.csv?" + qs}};
    add_pagination(view, "/admin/journal?" + qs, p.page, p.per_page, list->total);
    return page(ctx, "admin_audit", view);
}

Response Site::admin_audit_csv(Ctx& ctx) {
    auto csv = s_.audit.csv(ctx.actor, audit_filter(ctx.req));
    if (!csv) return fail(ctx, csv.error());
    Response r;
    r.body = std::move(csv.value());
    r.set_header("Content-Type", "text/csv; charset=utf-8");
    r.set_header("Content-Disposition", "attachment; filename=\"journal-audit.csv\"");
    r.set_header("Cache-Control", "private, no-store");
    return r;
}

Response Site::admin_claims(Ctx& ctx) {
    auto claims = s_.orgs.claims(ctx.actor);
    if (!claims) return fail(ctx, claims.error());
    json items = json::array();
    for (const auto& c : claims.value())
        items.push_back(
            {{"org_name", c.org_name},
             {"siret", c.siret},
             {"org_url", (c.org_kind == "buyer" ? "/acheteurs/" : "/entreprises/") + c.siret},
             {"who", c.display_name},
             {"email", c.email},
             {"message", c.message},
             {"at", core::format_datetime_fr(c.created_at)},
             {"action", "/admin/revendications/" + std::to_string(c.org_id) + "/" + std::to_string(c.user_id)}});
    return page(ctx, "admin_claims",
                {{"title", "Revendications de profils"},
                 {"breadcrumb",
                  json::array({{{"label", "Accueil"}, {"url", "/"}},
                               {{"label", "Administration"}, {"url", "/admin/utilisateurs"}},
                               {{"label", "Revendications"}, {"url", "/admin/revendications"}, {"current", true}}})},
                 {"items", items},
                 {"empty", items.empty()}});
}

Response Site::admin_claim_decide(Ctx& ctx) {
    auto org = parse_id(ctx.req.path_param("org"));
    auto user = parse_id(ctx.req.path_param("user"));
    const std::string decision = ctx.req.path_param("decision");
    if (!org || !user || (decision != "accepter" && decision != "refuser"))
        return error_page(ctx, 404, "Cette demande n'existe pas.");
    auto st = s_.orgs.decide_claim(ctx.actor, *org, *user, decision == "accepter");
    if (!st) {
        if (st.error().code == core::ErrorCode::kNotFound)
            return redirect_flash(ctx, "/admin/revendications", st.error().message, "warning");
        return fail(ctx, st.error());
    }
    audit(ctx, "claim_decided", "organisation " + std::to_string(*org),
          decision + " (utilisateur " + std::to_string(*user) + ")");
    return redirect_flash(ctx, "/admin/revendications",
                          decision == "accepter"
                              ? "La revendication est acceptée : la personne gère désormais le profil."
                              : "La revendication est refusée ; la personne est prévenue.");
}

json Site::org_json(const storage::orgs::OrgRecord& o) {
    json j = {{"siret", o.siret},
              {"kind", o.kind},
              {"name", o.name},
              {"description", o.description},
              {"created_at", core::format_iso8601_utc(o.created_at)}};
    if (o.kind == "company") {
        j["size"] = o.size.empty() ? json(nullptr) : json(o.size);
        j["legal_form"] = o.legal_form.empty() ? json(nullptr) : json(o.legal_form);
        j["labels"] = o.labels;
        j["cpv_codes"] = o.cpv_codes;
        j["departements"] = o.departements;
        j["website"] = o.website.empty() ? json(nullptr) : json(o.website);
    } else {
        j["buyer_kind"] = o.buyer_kind;
        j["departement"] = o.departement.empty() ? json(nullptr) : json(o.departement);
    }
    return j;
}

Response Site::api_organisations(Ctx& ctx) {
    core::Page p;
    std::string why;
    if (!core::parse_page(ctx.req.query_param("page"), ctx.req.query_param("per_page"), p, why))
        return problem(ctx, core::Error::Invalid(why));
    std::string kind = ctx.req.query_param("kind");
    if (!kind.empty() && kind != "buyer" && kind != "company")
        return problem(ctx, core::Error::Invalid("Le paramètre kind vaut buyer ou company."));
    storage::orgs::OrgFilter f{kind, "", ctx.req.query_param("label"), ctx.req.query_param("departement")};
    auto list = s_.orgs.list(f, p);
    if (!list) return problem(ctx, list.error());
    json items = json::array();
    for (const auto& o : list->items) items.push_back(org_json(o));
    json body = {{"items", items}, {"total", list->total}, {"page", p.page}, {"per_page", p.per_page}};
    Response r = Response::json(body.dump());
    std::string base = "/api/v1/organisations";
    std::string q;
    for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
             {"kind", kind}, {"label", f.label}, {"departement", f.departement}})
        if (!v.empty()) q += (q.empty() ? "?" : "&") + k + "=" + http::url_encode(v);
    r.set_header("Link", core::link_header(settings_.base_url + base + q, p, list->total));
    r.set_header("X-Total-Count", std::to_string(list->total));
    return r;
}

Response Site::api_organisation(Ctx& ctx) {
    std::string why;
    auto siret = core::parse_siret(ctx.req.path_param("siret"), &why);
    if (!siret) return problem(ctx, core::Error::Invalid(why));
    auto o = s_.orgs.get_by_siret(*siret);
    if (!o) return problem(ctx, o.error());
    if ((o->vetting != "verified" || o->suspended_at) && !ctx.actor.membership(o->id) &&
        !ctx.actor.has_role(core::PlatformRole::kAdministrator))
        return problem(ctx, core::Error::NotFound("Organisation introuvable."));
    return Response::json(org_json(o.value()).dump());
}

Response Site::api_cpv(Ctx& ctx) {
    std::string q = ctx.req.query_param("q");
    if (q.size() < 2) return problem(ctx, core::Error::Invalid("Le paramètre q doit compter au moins 2 caractères."));
    auto list = s_.reference.suggest_cpv(q, 20);
    if (!list) return problem(ctx, list.error());
    json items = json::array();
    for (const auto& c : list.value())
        items.push_back({{"code", c.code},
                         {"check_digit", c.check_digit},
                         {"code_full", core::format_cpv(c.code, c.check_digit)},
                         {"level", c.level},
                         {"label_fr", c.label_fr},
                         {"label_en", c.label_en}});
    return Response::json(json({{"items", items}}).dump());
}

Response Site::api_me(Ctx& ctx) {
    json roles = json::array();
    for (auto r : ctx.actor.roles) roles.push_back(core::platform_role_code(r));
    json orgs = json::array();
    auto ms = s_.orgs.memberships_of(ctx.user->id);
    if (ms)
        for (const auto& m : ms.value()) {
            if (ctx.token && m.org_id != ctx.token->token.org_id) continue;  // a token sees its organisation only
            orgs.push_back({{"siret", m.siret},
                            {"name", m.org_name},
                            {"kind", m.org_kind},
                            {"role", m.role},
                            {"status", m.status},
                            // false while a buyer organisation waits to be vetted, or is suspended
                            {"vetted", m.vetted}});
        }
    json me = {{"email", ctx.user->email},
               {"display_name", ctx.user->display_name},
               {"email_verified", ctx.user->email_verified_at.has_value()},
               {"roles", roles},
               {"organisations", orgs}};
    if (ctx.token) {
        json scopes = json::array();
        for (auto s : ctx.token->scopes) scopes.push_back(core::api_tokens::scope_code(s));
        me["token"] = {
            {"name", ctx.token->token.name}, {"organisation_id", ctx.token->token.org_id}, {"scopes", scopes}};
    }
    return Response::json(me.dump());
}

Response Site::healthz(Ctx&) {
    if (!s_.db.ping()) return Response::json(R"({"status":"unavailable","database":"down"})", 503);
    return Response::json(R"({"status":"ok","database":"up","version":")" + settings_.version + "\"}");
}

}  // namespace passerelle::web
