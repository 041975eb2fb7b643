// Account pages: sign-up, login, logout, e-mail verification, password reset and change.
#include "core/french.hpp"
#include "core/validation.hpp"
#include "http/message.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;

Response Site::signup_form(Ctx& ctx) {
    if (ctx.user) return Response::redirect("/mon-espace", 302);
    ensure_session(ctx);
    return page(ctx, "signup",
                {{"title", "Créer un compte"},
                 {"breadcrumb", crumbs({{"Inscription", "/inscription"}})},
                 {"form", json::object()}});
}

Response Site::signup(Ctx& ctx) {
    json view = {
        {"title", "Créer un compte"},
        {"breadcrumb", crumbs({{"Inscription", "/inscription"}})},
        {"form", {{"email", ctx.req.form_value("email")}, {"display_name", ctx.req.form_value("display_name")}}}};
    app::SignupInput in{ctx.req.form_value("email"), ctx.req.form_value("display_name"), ctx.req.form_value("password"),
                        ctx.req.form_value("password_confirm")};
    auto id = s_.accounts.sign_up(in);
    if (!id) return form_error(ctx, "signup", view, id.error());
    return open_session(ctx, id.value(), "", "/mon-espace",
                        "Votre compte est créé. Un e-mail vous a été envoyé pour confirmer votre adresse.");
}

Response Site::login_form(Ctx& ctx) {
    if (ctx.user) return Response::redirect(return_path(ctx.req.query_param("retour"), {}, "/mon-espace"), 302);
    ensure_session(ctx);
    return page(ctx, "login",
                {{"title", "Se connecter"},
                 {"breadcrumb", crumbs({{"Connexion", "/connexion"}})},
                 {"form", {{"retour", ctx.req.query_param("retour")}}},
                 {"providers", oidc_buttons(ctx.req.query_param("retour"))},
                 {"has_providers", !s_.oidc.providers().empty()},
                 {"logged_out", !ctx.req.query_param("deconnexion").empty()}});
}

Response Site::login(Ctx& ctx) {
    json view = {{"title", "Se connecter"},
                 {"breadcrumb", crumbs({{"Connexion", "/connexion"}})},
                 {"form", {{"email", ctx.req.form_value("email")}, {"retour", ctx.req.form_value("retour")}}},
                 {"providers", oidc_buttons(ctx.req.form_value("retour"))},
                 {"has_providers", !s_.oidc.providers().empty()}};
    auto user = s_.accounts.login(ctx.req.form_value("email"), ctx.req.form_value("password"), ctx.req.remote_addr,
                                  ctx.req.cookie(browser_cookie_name()));
    const std::string typed = core::trim(ctx.req.form_value("email")).substr(0, 200);
    if (!user) {
        s_.audit.record(std::nullopt, typed, "login_failed", "", user.error().message, ctx.req.remote_addr);
        return form_error(ctx, "login", view, user.error());
    }
    const std::string retour = ctx.req.form_value("retour");
    if (user->second_factor) {
        s_.audit.record(user->user_id, typed, "login_password", "", "code à usage unique demandé", ctx.req.remote_addr);
        return ask_second_factor(ctx, user->user_id, {{"retour", retour}, {"email", typed}});
    }
    s_.audit.record(user->user_id, typed, "login", "", "", ctx.req.remote_addr);
    return open_session(ctx, user->user_id, user->new_browser_token, return_path(retour, {}, "/mon-espace"),
                        "Vous êtes connecté.");
}

Response Site::logout(Ctx& ctx) {
    if (!ctx.session) return Response::redirect("/");
    // A session opened by an identity provider ends there too, or the person would be logged in again silently.
    const std::string at_provider = oidc_logout_url(ctx);
    (void)s_.accounts.end_session(ctx.session->token_hash);
    ctx.session.reset();
    ctx.user.reset();
    set_session_cookie(ctx, "", 0);
    auto fresh = s_.accounts.start_session(std::nullopt);
    if (fresh) {
        ctx.session = fresh->record;
        ctx.set_cookies.clear();
        set_session_cookie(ctx, fresh->token, s_.accounts.settings().anonymous_session_ttl);
    }
    if (!at_provider.empty()) return Response::redirect(at_provider);
    return redirect_flash(ctx, "/", "Vous êtes déconnecté.");
}

Response Site::verify_email(Ctx& ctx) {
    auto r = s_.accounts.verify_email(ctx.req.query_param("jeton"));
    if (!r) {
        json view = {{"title", "Vérification de l'adresse e-mail"}, {"ok", false}, {"message", r.error().message}};
        return page(ctx, "verify", view, status_for(r.error().code));
    }
    if (ctx.user && ctx.user->id == r.value())
        return redirect_flash(ctx, "/mon-espace", "Votre adresse e-mail est confirmée.");
    return page(ctx, "verify", {{"title", "Adresse e-mail confirmée"}, {"ok", true}});
}

Response Site::resend_verification(Ctx& ctx) {
    auto st = s_.accounts.resend_verification(ctx.user->id);
    if (!st) return redirect_flash(ctx, "/mon-espace", st.error().message, "warning");
    return redirect_flash(ctx, "/mon-espace", "Un nouvel e-mail de confirmation vous a été envoyé.");
}

Response Site::forgot_form(Ctx& ctx) {
    ensure_session(ctx);
    return page(ctx, "forgot",
                {{"title", "Mot de passe oublié"},
                 {"breadcrumb", crumbs({{"Connexion", "/connexion"}, {"Mot de passe oublié", "/mot-de-passe-oublie"}})},
                 {"form", json::object()}});
}

Response Site::forgot(Ctx& ctx) {
    json view = {{"title", "Mot de passe oublié"},
                 {"breadcrumb", crumbs({{"Connexion", "/connexion"}, {"Mot de passe oublié", "/mot-de-passe-oublie"}})},
                 {"form", {{"email", ctx.req.form_value("email")}}}};
    auto st = s_.accounts.request_password_reset(ctx.req.form_value("email"));
    if (!st) return form_error(ctx, "forgot", view, st.error());
    view["sent"] = true;
    return page(ctx, "forgot", view);
}

Response Site::reset_form(Ctx& ctx) {
    ensure_session(ctx);
    return page(ctx, "reset",
                {{"title", "Choisir un nouveau mot de passe"}, {"form", {{"jeton", ctx.req.query_param("jeton")}}}});
}

Response Site::reset(Ctx& ctx) {
    json view = {{"title", "Choisir un nouveau mot de passe"}, {"form", {{"jeton", ctx.req.form_value("jeton")}}}};
    auto st = s_.accounts.reset_password(ctx.req.form_value("jeton"), ctx.req.form_value("password"),
                                         ctx.req.form_value("password_confirm"));
    if (!st) return form_error(ctx, "reset", view, st.error());
    return redirect_flash(ctx, "/connexion", "Votre mot de passe est changé. Connectez-vous avec le nouveau.");
}

Response Site::change_password_form(Ctx& ctx) {
    return page(
        ctx, "password",
        {{"title", "Changer mon mot de passe"},
         {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"}, {"Mot de passe", "/mon-espace/mot-de-passe"}})}});
}

Response Site::change_password(Ctx& ctx) {
    json view = {{"title", "Changer mon mot de passe"},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"}, {"Mot de passe", "/mon-espace/mot-de-passe"}})}};
    auto st = s_.accounts.change_password(ctx.user->id, ctx.req.form_value("current_password"),
                                          ctx.req.form_value("password"), ctx.req.form_value("password_confirm"),
                                          ctx.session->token_hash);
    if (!st) return form_error(ctx, "password", view, st.error());
    audit(ctx, "password_changed", "", "");
    return redirect_flash(ctx, "/mon-espace", "Votre mot de passe est changé. Vos autres sessions sont fermées.");
}

namespace {

// "Firefox sur Linux" from a User-Agent header, enough for a person to recognise their browser.
std::string device_label(const std::string& ua) {
    if (ua.empty()) return "Navigateur inconnu";
    auto has = [&](const char* s) { return ua.find(s) != std::string::npos; };
    const std::string browser = has("Edg/")       ? "Edge"
                                : has("OPR/")     ? "Opera"
                                : has("Firefox/") ? "Firefox"
                                : has("Chrome/")  ? "Chrome"
                                : has("Safari/")  ? "Safari"
                                : has("curl/")    ? "curl"
                                                  : "Navigateur";
    const std::string os = has("Android")                        ? "Android"
                           : has("iPhone") || has("iPad")        ? "iOS"
                           : has("Windows")                      ? "Windows"
                           : has("Mac OS X") || has("Macintosh") ? "macOS"
                           : has("Linux")                        ? "Linux"
                                                                 : "";
    return os.empty() ? browser : browser + " sur " + os;
}

}  // namespace

Response Site::sessions_page(Ctx& ctx) {
    auto list = s_.accounts.sessions_of(ctx.user->id);
    if (!list) return fail(ctx, list.error());
    json sessions = json::array();
    for (const auto& s : list.value())
        sessions.push_back({{"id", s.token_hash.substr(0, 16)},
                            {"device", device_label(s.user_agent)},
                            {"ip", s.ip.empty() ? "—" : s.ip},
                            {"created", core::format_datetime_fr(s.created_at)},
                            {"last_used", core::format_datetime_fr(s.last_seen_at)},
                            {"current", ctx.session && s.token_hash == ctx.session->token_hash}});
    const bool privileged = ctx.actor.has_role(core::PlatformRole::kAdministrator) ||
                            ctx.actor.has_role(core::PlatformRole::kOrganiser) ||
                            ctx.actor.has_role(core::PlatformRole::kFacilitator);
    return page(
        ctx, "sessions",
        {{"title", "Mes sessions"},
         {"breadcrumb", json::array({{{"label", "Accueil"}, {"url", "/"}},
                                     {{"label", "Mon espace"}, {"url", "/mon-espace"}},
                                     {{"label", "Mes sessions"}, {"url", "/mon-espace/sessions"}, {"current", true}}})},
         {"sessions", sessions},
         {"has_others", sessions.size() > 1},
         {"max_age", privileged ? "12 heures" : "30 jours"}});
}

Response Site::session_close(Ctx& ctx) {
    const std::string id = ctx.req.path_param("id");
    if (id.size() != 16 || (ctx.session && ctx.session->token_hash.rfind(id, 0) == 0))
        return redirect_flash(ctx, "/mon-espace/sessions", "Pour fermer cette session-ci, déconnectez-vous.",
                              "warning");
    auto done = s_.accounts.end_user_session(ctx.user->id, id);
    if (!done) return fail(ctx, done.error());
    if (done.value()) audit(ctx, "session_closed", "", "");
    return redirect_flash(ctx, "/mon-espace/sessions",
                          done.value() ? "La session est fermée." : "Cette session était déjà fermée.");
}

Response Site::sessions_close_others(Ctx& ctx) {
    if (auto st = s_.accounts.end_other_sessions(ctx.user->id, ctx.session ? ctx.session->token_hash : ""); !st)
        return fail(ctx, st.error());
    audit(ctx, "sessions_closed", "", "toutes sauf celle-ci");
    return redirect_flash(ctx, "/mon-espace/sessions",
                          "Vos autres sessions sont fermées : seule celle-ci reste ouverte.");
}

}  // namespace passerelle::web
