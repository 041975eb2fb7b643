// Public agents' shared identity (OpenID Connect): the buttons of the login page, the redirection to the
// provider, the return with its refusal page, the logout at the provider, and the administrators' queue of
// agents' organisations to create.
#include <nlohmann/json.hpp>

#include "core/french.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;
namespace oi = core::oidc;

json Site::oidc_buttons(const std::string& retour) {
    json out = json::array();
    for (const auto& p : s_.oidc.providers())
        out.push_back(
            {{"label", p.label},
             {"url", "/connexion/oidc/" + p.id + (retour.empty() ? "" : "?retour=" + http::url_encode(retour))}});
    return out;
}

Response Site::oidc_begin(Ctx& ctx) {
    const std::string pid = ctx.req.path_param("provider");
    if (!s_.oidc.provider(pid)) return error_page(ctx, 404, "Ce fournisseur d'identité n'est pas proposé.");
    ensure_session(ctx);  // the login is bound to this browser's session
    auto url = s_.oidc.begin(pid, return_path(ctx.req.query_param("retour"), {}, ""),
                             ctx.session ? ctx.session->token_hash : "");
    if (!url) return error_page(ctx, status_for(url.error().code), url.error().message);
    Response r = Response::redirect(url.value(), 302);
    r.set_header("Cache-Control", "no-store");
    return r;
}

Response Site::oidc_return(Ctx& ctx) {
    const std::string pid = ctx.req.path_param("provider");
    const app::OidcProvider* p = s_.oidc.provider(pid);
    if (!p) return error_page(ctx, 404, "Ce fournisseur d'identité n'est pas proposé.");
    auto login =
        s_.oidc.complete(pid, ctx.req.query_param("code"), ctx.req.query_param("state"), ctx.req.query_param("error"),
                         ctx.req.query_param("error_description"), ctx.session ? ctx.session->token_hash : "");
    if (!login) return fail(ctx, login.error());
    const auto& l = login.value();
    if (!l.user_id) {
        const std::string reason = !l.error.empty() ? l.error : oi::refusal_reason(l.refusal);
        s_.audit.record(std::nullopt, l.claims.email, "login_failed",
                        l.claims.siret.empty() ? "" : "SIRET " + l.claims.siret, p->label + " : " + reason,
                        ctx.req.remote_addr);
        ensure_session(ctx);
        json sent = json::array();
        auto add = [&](const char* label, const std::string& v) {
            if (!v.empty()) sent.push_back({{"label", label}, {"value", v}});
        };
        add("Adresse e-mail", l.claims.email);
        add("Nom", oi::display_name(l.claims) == l.claims.email ? "" : oi::display_name(l.claims));
        add("SIRET", l.claims.siret);
        add("Organisation", l.claims.organization_label);
        json view = {
            {"title", "Connexion refusée"},
            {"breadcrumb", crumbs({{"Connexion", "/connexion"}})},
            {"provider", p->label},
            {"reason", reason},
            {"advice", !l.error.empty() ? "Recommencez dans un instant ; si le problème persiste, connectez-vous "
                                          "avec un compte Passerelle (adresse e-mail et mot de passe)."
                                        : oi::refusal_advice(l.refusal)},
            {"sent", sent},
            {"has_sent", !sent.empty()},
            {"retry_url", "/connexion/oidc/" + p->id},
            {"queued", l.refusal == oi::Refusal::kUnknownOrganisation}};
        return page(ctx, "oidc_refused", view, l.error.empty() ? 403 : 502);
    }
    std::string message = "Vous êtes connecté par " + p->label + ".";
    for (const auto& o : l.joined) message += " Vous êtes rattaché(e) à « " + o + " ».";
    // The identity provider stands for the password; an account with two-factor authentication still types a code.
    if (auto id = s_.accounts.identity(*l.user_id); id && id->user.second_factor_since) {
        s_.audit.record(*l.user_id, l.claims.email, "login_password", "", "par " + p->label + ", code demandé",
                        ctx.req.remote_addr);
        return ask_second_factor(ctx, *l.user_id,
                                 {{"retour", l.return_to},
                                  {"email", l.claims.email},
                                  {"message", message},
                                  {"provider", p->id},
                                  {"provider_label", p->label},
                                  {"id_token", l.id_token}});
    }
    s_.audit.record(*l.user_id, l.claims.email, "login", "", "par " + p->label, ctx.req.remote_addr);
    // The browser is not remembered here: the provider, not a password, proved who this is.
    return open_session(ctx, *l.user_id, "", return_path(l.return_to, {}, "/mon-espace"), message,
                        [&](const std::string& hash) { return s_.oidc.remember_session(hash, p->id, l.id_token); });
}

std::string Site::oidc_logout_url(Ctx& ctx) {
    if (!ctx.session) return "";
    auto sp = s_.oidc.session_provider(ctx.session->token_hash);
    if (!sp || !sp.value()) return "";
    return s_.oidc.logout_url(sp.value()->provider, sp.value()->id_token, s_.oidc.post_logout_uri());
}

Response Site::admin_identity_providers(Ctx& ctx) {
    auto status = s_.oidc.provider_status(ctx.actor);
    if (!status) return fail(ctx, status.error());
    auto pending = s_.oidc.pending_requests(ctx.actor);
    if (!pending) return fail(ctx, pending.error());
    json items = json::array();
    for (const auto& s : status.value())
        items.push_back({{"label", s.provider.label},
                         {"id", s.provider.id},
                         {"discovery_url", s.provider.discovery_url},
                         {"client_id", s.provider.client_id},
                         {"scopes", s.provider.scopes},
                         {"redirect_uri", s.redirect_uri},
                         {"post_logout_uri", s.post_logout_uri},
                         {"issuer", s.issuer},
                         {"problem", s.problem},
                         {"logout", s.logout},
                         {"accounts", core::format_integer_fr(s.use.accounts)},
                         {"last_login", s.use.last_login_at ? core::format_datetime_fr(*s.use.last_login_at) : ""}});
    return page(
        ctx, "admin_identity_providers",
        {{"title", "Fournisseurs d'identité"},
         {"breadcrumb",
          json::array(
              {{{"label", "Accueil"}, {"url", "/"}},
               {{"label", "Administration"}, {"url", "/admin/utilisateurs"}},
               {{"label", "Fournisseurs d'identité"}, {"url", "/admin/fournisseurs-identite"}, {"current", true}}})},
         {"items", items},
         {"empty", items.empty()},
         {"pending", pending->size()},
         {"has_pending", !pending->empty()}});
}

Response Site::admin_agent_requests(Ctx& ctx) {
    auto list = s_.oidc.pending_requests(ctx.actor);
    if (!list) return fail(ctx, list.error());
    json items = json::array();
    for (const auto& r : list.value())
        items.push_back({{"siret", r.siret},
                         {"label", r.organisation_label.empty() ? "(sans nom transmis)" : r.organisation_label},
                         {"who", r.display_name},
                         {"email", r.email},
                         {"at", core::format_datetime_fr(r.created_at)},
                         {"action", "/admin/organisations-d-agents/" + std::to_string(r.id)}});
    return page(
        ctx, "admin_agent_requests",
        {{"title", "Organisations d'agents à créer"},
         {"breadcrumb",
          json::array(
              {{{"label", "Accueil"}, {"url", "/"}},
               {{"label", "Administration"}, {"url", "/admin/utilisateurs"}},
               {{"label", "Organisations d'agents"}, {"url", "/admin/organisations-d-agents"}, {"current", true}}})},
         {"items", items},
         {"empty", items.empty()}});
}

Response Site::admin_agent_request_decide(Ctx& ctx) {
    auto rid = parse_id(ctx.req.path_param("id"));
    const std::string action = ctx.req.path_param("action");
    if (!rid || (action != "creer" && action != "refuser")) return error_page(ctx, 404, "Action inconnue.");
    auto name = s_.oidc.decide_request(ctx.actor, *rid, action == "creer");
    if (!name) return flash_or_fail(ctx, name.error(), "/admin/organisations-d-agents", "");
    audit(ctx, "agent_org_decided", "demande " + std::to_string(*rid),
          (action == "creer" ? "organisation créée : " : "refusée : ") + name.value());
    return redirect_flash(ctx, "/admin/organisations-d-agents",
                          action == "creer"
                              ? "L'organisation « " + name.value() + " » est créée ; l'agent est prévenu par e-mail."
                              : "La demande est refusée ; l'agent est prévenu par e-mail.");
}

}  // namespace passerelle::web
