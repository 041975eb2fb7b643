#include "web/site.hpp"

#include <spdlog/spdlog.h>

#include <fstream>

#include "app/crypto.hpp"
#include "core/french.hpp"
#include "web/helpers.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;

namespace {

// Reading an object another person may not read answers as if it did not exist: a 403 here and a 404 for an
// unknown id would let anyone list which ids exist. (A refused action on an object one may see keeps its 403
// and its reason.)
bool hides_existence(const http::Request& req, const core::Error& e) {
    return e.code == core::ErrorCode::kForbidden && (req.method == "GET" || req.method == "HEAD") &&
           !req.path_params.empty() && e.message != core::kVettingRefusal && e.message != kSecondFactorRequired;
}

// In the private spaces (/mon-espace, the API), a page about an object that is missing or not the viewer's
// answers with the same status and words, whichever handler refused it.
constexpr const char* kMissingOrPrivate = "Cette page n'existe pas, ou votre compte n'y a pas accès.";
bool private_object_page(const http::Request& req) {
    return (req.method == "GET" || req.method == "HEAD") && !req.path_params.empty() &&
           (req.path.rfind("/mon-espace/", 0) == 0 || req.path.rfind("/api/", 0) == 0);
}

const core::Error& not_found_instead() {
    static const core::Error e = core::Error::NotFound(kMissingOrPrivate);
    return e;
}

}  // namespace

std::string Site::session_cookie_name() const {
    // Served over https, the name carries the __Host- prefix: the browser then keeps the cookie only if it was
    // set Secure, for Path=/ and without Domain, so a sibling host or a plain-http page cannot plant one.
    return secure() ? "__Host-passerelle_session" : "passerelle_session";
}

int status_for(core::ErrorCode code) {
    switch (code) {
        case core::ErrorCode::kInvalidInput:
            return 422;
        case core::ErrorCode::kNotFound:
            return 404;
        case core::ErrorCode::kGone:
            return 410;
        case core::ErrorCode::kConflict:
            return 409;
        case core::ErrorCode::kForbidden:
            return 403;
        case core::ErrorCode::kUnauthenticated:
            return 401;
        case core::ErrorCode::kTooManyRequests:
            return 429;
        case core::ErrorCode::kUnavailable:
            return 503;
        case core::ErrorCode::kInternal:
            return 500;
    }
    return 500;
}

Site::Site(SiteServices services, SiteSettings settings, const TemplateEngine& templates)
    : s_(std::move(services)),
      settings_(std::move(settings)),
      templates_(templates),
      static_files_(settings_.static_dir) {
    std::ifstream in(settings_.openapi_file);
    if (in) openapi_ = json::parse(in, nullptr, false);
    if (openapi_.is_discarded() || !openapi_.is_object()) openapi_ = json::object();
    // The logout form is answered by a redirection to the identity provider: its origin must be allowed.
    form_action_ = "'self'";
    for (const auto& p : s_.oidc.providers()) {
        auto host_end = p.discovery_url.find('/', p.discovery_url.find("://") + 3);
        form_action_ += " " + p.discovery_url.substr(0, host_end);
    }
}

Ctx Site::begin(http::Request& req) {
    Ctx ctx{req, std::nullopt, std::nullopt, {}, app::random_token(16), {}, std::nullopt, std::nullopt};
    std::string token = req.cookie(session_cookie_name());
    if (!token.empty()) {
        auto s = s_.accounts.load_session(token);
        if (s && s.value()) {
            ctx.session = std::move(s.value());
            if (ctx.session->flash) {
                json f = json::parse(*ctx.session->flash, nullptr, false);
                if (!f.is_discarded()) ctx.flash = f;
                (void)s_.accounts.set_flash(ctx.session->token_hash, std::nullopt);
            }
            if (ctx.session->user_id) {
                if (auto id = s_.accounts.identity(*ctx.session->user_id)) {
                    ctx.actor = std::move(id->actor);
                    ctx.user = std::move(id->user);
                }
            }
        }
    }
    return ctx;
}

void Site::set_session_cookie(Ctx& ctx, const std::string& token, std::int64_t max_age) {
    std::string c =
        session_cookie_name() + "=" + token + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age);
    if (secure()) c += "; Secure";
    ctx.set_cookies.push_back(c);
}

std::optional<core::Error> Site::unconfirmed(Ctx& ctx) {
    if (!needs_confirmation(ctx)) return std::nullopt;
    const std::string password = ctx.req.form_value("confirm_password");
    if (password.empty())
        return core::Error::Invalid(
            "Confirmez votre identité.",
            {{"confirm_password", "Retapez votre mot de passe actuel pour confirmer cette action sensible."}});
    if (auto st = s_.accounts.confirm_password(*ctx.session, password, ctx.req.remote_addr); !st) return st.error();
    return std::nullopt;
}

Response Site::confirm_identity(Ctx& ctx) {
    const std::string back = return_path(ctx.req.form_value("retour"), {"/admin/", "/mon-espace/"}, "/mon-espace");
    auto st = s_.accounts.confirm_password(*ctx.session, ctx.req.form_value("confirm_password"), ctx.req.remote_addr);
    if (!st)
        return redirect_flash(
            ctx, back, st.error().fields.empty() ? st.error().message : st.error().fields.begin()->second, "warning");
    audit(ctx, "identity_confirmed", "", "");
    return redirect_flash(ctx, back, "Identité confirmée : vous pouvez faire cette action pendant 10 minutes.");
}

bool Site::ensure_session(Ctx& ctx) {
    if (ctx.session) return true;
    auto s = s_.accounts.start_session(std::nullopt);
    if (!s) return false;
    ctx.session = s->record;
    set_session_cookie(ctx, s->token, s_.accounts.settings().anonymous_session_ttl);
    return true;
}

bool Site::csrf_ok(Ctx& ctx) {
    std::string sent = ctx.req.form_value("_csrf");
    if (sent.empty()) sent = ctx.req.header("x-csrf-token");
    return csrf_ok(ctx, sent);
}

bool Site::csrf_ok(Ctx& ctx, const std::string& sent) {
    return ctx.session && !sent.empty() && app::constant_time_equal(sent, ctx.session->csrf_token);
}

void Site::finish(Ctx& ctx, Response& res) {
    for (const auto& c : ctx.set_cookies) res.add_cookie(c);
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; script-src 'self' 'nonce-" + ctx.nonce +
                       "'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
                       "object-src 'none'; base-uri 'self'; form-action " +
                       form_action_ + "; frame-ancestors 'none'");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "strict-origin-when-cross-origin");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (secure()) res.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    if (ctx.session && res.header("Cache-Control").empty()) res.set_header("Cache-Control", "no-store");
}

http::Handler Site::wrap(PageFn fn) {
    return [this, fn = std::move(fn)](http::Request& req) {
        Ctx ctx = begin(req);
        Response res;
        try {
            if (auto refused = authenticate_bearer(ctx))
                res = std::move(*refused);
            else if (auto gated = second_factor_gate(ctx))
                res = std::move(*gated);
            else
                res = fn(ctx);
        } catch (const std::exception& e) {
            spdlog::error("{} {}: {}", req.method, req.path, e.what());
            res = ctx.req.wants_json()
                      ? problem(ctx, core::Error::Internal("Erreur interne du serveur."))
                      : error_page(ctx, 500, "Une erreur inattendue s'est produite. Réessayez dans un instant.");
        }
        // Whatever a successful POST changed (mail queued, notice published), the workers pick it up now.
        if (req.method == "POST" && res.status < 400 && s_.after_change) s_.after_change();
        finish(ctx, res);
        return res;
    };
}

// Administrators and organisers without two-factor authentication: part of every route, like the access check.
std::optional<Response> Site::second_factor_gate(Ctx& ctx) {
    // A session's person, or an API token's creator (a token must not be the way round it).
    if (!ctx.user || ctx.user->second_factor_since) return std::nullopt;
    if (!s_.accounts.second_factor_required(*ctx.user)) return std::nullopt;
    const std::string& p = ctx.req.path;
    if (!ctx.token && (p.rfind(kSecondFactorPage, 0) == 0 || p == "/deconnexion" || p == "/mon-espace/confirmer"))
        return std::nullopt;
    if (ctx.token || p.rfind("/api/", 0) == 0) return problem(ctx, core::Error::Forbidden(kSecondFactorRequired));
    Response r = Response::redirect(kSecondFactorPage);  // the page says why
    if (!ctx.req.header("hx-request").empty()) {
        r = Response::text("", 200);
        r.set_header("HX-Redirect", kSecondFactorPage);  // htmx leaves the fragment for the page
    }
    return r;
}

namespace {

// Why a route declared for `action` refuses this person, in French.
std::string refusal(const core::Actor& actor, core::Action action, const core::Target& target) {
    if (auto why = core::vetting_refusal(actor, action, target); !why.empty()) return why;
    switch (action) {
        case core::Action::kManageEvents:
            return "La gestion des événements est réservée aux organisateurs.";
        case core::Action::kWriteNews:
            return "Les actualités sont écrites par les organisateurs de la plateforme.";
        case core::Action::kModerate:
            return "La modération est réservée aux organisateurs.";
        case core::Action::kFollowClauses:
            return "Le suivi des clauses sociales est réservé aux facilitateurs.";
        case core::Action::kReadCompanyContacts:
            return "Le sourcing est réservé aux agents des acheteurs publics et aux facilitateurs.";
        case core::Action::kAdminister:
        case core::Action::kSetPlatformRole:
            return "Cette page est réservée aux administrateurs.";
        default:
            return "Vous n'avez pas accès à cette page.";
    }
}

}  // namespace

http::Handler Site::guarded(Access access, PageFn fn) {
    return wrap([this, access = std::move(access), fn = std::move(fn)](Ctx& ctx) -> Response {
        const bool api = ctx.req.wants_json();
        // An API token reads with the read scope, and calls a token's route with that route's scope.
        const bool reading = ctx.req.method == "GET" || ctx.req.method == "HEAD";
        if (access.token_scope) {
            if (auto refused = require_scope(ctx, *access.token_scope)) return *refused;
        } else if (ctx.token && reading) {
            if (auto refused = require_scope(ctx, core::api_tokens::Scope::kRead)) return *refused;
        }
        const core::Action needs = access.needs;
        core::Target target;
        if (!access.org_param.empty()) {
            // « id »: a path parameter; « ?org »: a query parameter (a form for an organisation, /…/nouvelle?org=3).
            const std::string& p = access.org_param;
            target.org_id = parse_id(p[0] == '?' ? ctx.req.query_param(p.substr(1)) : ctx.req.path_param(p));
            if (!target.org_id) return fail(ctx, core::Error::NotFound("Cette organisation n'existe pas."));
        }
        // Signed in first (a visitor goes to the login page whatever the route needs), then the route's action.
        for (const core::Action action : {core::Action::kViewOwnSpace, needs}) {
            if (needs == core::Action::kViewPublic) break;
            const auto d = core::decide(ctx.actor, action, action == needs ? target : core::Target{});
            if (d == core::Decision::kAllow) continue;
            if (d == core::Decision::kLoginRequired)
                return api ? problem(ctx, core::Error::Unauthenticated("Authentification requise."))
                           : login_redirect(ctx);
            const std::string why = refusal(ctx.actor, action, target);
            // An organisation the person is not in answers as a missing one (404) whatever the method, so its id
            // cannot be probed; a member without the right gets the reason (403).
            if (target.org_id && !core::allowed(ctx.actor, core::Action::kViewOrganisationPrivate, target))
                return fail(ctx, core::Error::NotFound("Cette page n'existe pas, ou votre compte n'y a pas accès."));
            return target.org_id ? fail(ctx, core::Error::Forbidden(why))
                   : api         ? problem(ctx, core::Error::Forbidden(why))
                                 : error_page(ctx, 403, why);
        }
        // Every unsafe method carries the session's token: a form field (urlencoded or multipart) or the
        // X-CSRF-Token header (htmx). A request authenticated by an API token has no session and needs none.
        // An API request without any session cookie has nothing a forged form could ride on: it needs none.
        const bool unsafe = ctx.req.method != "GET" && ctx.req.method != "HEAD";
        const bool cookie_free_api = ctx.req.path.rfind("/api/", 0) == 0 && !ctx.session;
        if (unsafe && !ctx.token && !cookie_free_api && !csrf_ok(ctx))
            return api ? problem(ctx, core::Error::Forbidden(kFormInvalid)) : error_page(ctx, 403, kFormInvalid);
        if (const auto& l = access.limit) {
            auto limited = l->per_person ? throttled_person(ctx, l->name, l->count(), l->window)
                                         : throttled(ctx, l->name, l->count(), l->window);
            if (limited) return *limited;
        }
        return fn(ctx);
    });
}

json Site::layout_view(Ctx& ctx, const std::string& title) {
    json v;
    v["title"] = title;
    v["nonce"] = ctx.nonce;
    v["year"] = std::to_string(core::to_paris(s_.clock.now()).year);
    v["csrf"] = ctx.session ? ctx.session->csrf_token : "";
    v["version"] = settings_.version;
    json nav = json::array();
    auto add = [&](const std::string& label, const std::string& url, const std::string& icon = "") {
        bool active = ctx.req.path == url || (url != "/" && ctx.req.path.rfind(url, 0) == 0);
        nav.push_back({{"label", label}, {"url", url}, {"active", active}, {"icon", icon}});
    };
    // (The brand links to the home page.)
    add("Recherche", "/recherche", "search");
    add("Consultations", "/consultations");
    add("Feuilles de route", "/feuilles-de-route");
    add("Marchés attribués", "/marches-attribues");
    add("Annuaire", "/entreprises");
    if (ctx.req.path.rfind("/acheteurs", 0) == 0) nav.back()["active"] = true;  // the buyers' tab of the directory
    add("Événements", "/evenements");
    add("Actualités", "/actualites");
    add("Observatoire", "/observatoire");
    if (ctx.user) {
        add("Mon espace", "/mon-espace");
        if (ctx.actor.has_role(core::PlatformRole::kAdministrator))
            add("Administration", "/admin/utilisateurs", "shield-lock");
        v["user"] = {{"name", ctx.user->display_name}, {"email", ctx.user->email}};
        if (!ctx.user->email_verified_at) v["unverified"] = true;
    }
    v["nav"] = nav;
    // A refused form's return (refuse_form) and the recovery codes travel without text: shown by their page only.
    if (ctx.flash && ctx.flash->contains("text")) v["flash"] = *ctx.flash;
    return v;
}

Response Site::page(Ctx& ctx, const std::string& tmpl, json view, int status) {
    std::string title = view.value("title", std::string("Passerelle"));
    json layout = layout_view(ctx, title);
    if (view.value("charts", false)) layout["charts"] = true;  // Chart.js only where a page draws charts
    if (view.contains("breadcrumb") && !view["breadcrumb"].empty()) {
        layout["breadcrumb"] = view["breadcrumb"];
        layout["has_breadcrumb"] = true;
    }
    // The page sees the layout's values too (csrf, user).
    for (auto it = layout.begin(); it != layout.end(); ++it)
        if (!view.contains(it.key())) view[it.key()] = it.value();
    layout["content"] = templates_.render(tmpl, view);
    return Response::html(templates_.render("layout", layout), status);
}

Response Site::error_page(Ctx& ctx, int status, const std::string& given) {
    std::string message = given;
    if ((status == 403 || status == 404) && private_object_page(ctx.req) && given != core::kVettingRefusal &&
        given != kFormInvalid) {
        status = 404;
        message = kMissingOrPrivate;
    }
    std::string title = status == 404   ? "Page introuvable"
                        : status == 410 ? "Contenu retiré"
                        : status == 403 ? "Accès refusé"
                        : status == 429 ? "Trop de requêtes"
                        : status == 413 ? "Contenu trop volumineux"
                        : status >= 500 ? "Erreur du serveur"
                                        : "Requête invalide";
    json v = {{"title", title}, {"status", std::to_string(status)}, {"message", message}};
    if (status == 404) v["is_404"] = true;
    if (status == 403) v["is_403"] = true;
    Response r = page(ctx, "error", v, status);
    return r;
}

namespace {
// A problem's title, in the platform's language (the status line keeps HTTP's English reason phrase).
std::string problem_title(int status) {
    switch (status) {
        case 400:
            return "Requête invalide";
        case 401:
            return "Authentification requise";
        case 403:
            return "Accès refusé";
        case 404:
            return "Introuvable";
        case 409:
            return "Conflit";
        case 410:
            return "Retiré";
        case 413:
            return "Requête trop volumineuse";
        case 422:
            return "Données invalides";
        case 429:
            return "Trop de requêtes";
        case 503:
            return "Service indisponible";
        default:
            return status >= 500 ? "Erreur interne" : http::reason_phrase(status);
    }
}
}  // namespace

Response Site::problem(Ctx& ctx, const core::Error& error) {
    const bool same =
        hides_existence(ctx.req, error) || (error.code == core::ErrorCode::kNotFound && private_object_page(ctx.req));
    const core::Error& e = same ? not_found_instead() : error;
    int status = status_for(e.code);
    std::string title = problem_title(status);
    std::string extra;
    if (!e.fields.empty()) {
        json errs = json::object();
        for (const auto& [k, v] : e.fields) errs[k] = v;
        extra = "\"errors\":" + errs.dump();
    }
    std::string detail = e.code == core::ErrorCode::kInternal ? "Erreur interne du serveur." : e.message;
    Response r = Response::problem(status, title, detail, extra);
    if (e.retry_after_seconds > 0) r.set_header("Retry-After", std::to_string(e.retry_after_seconds));
    return r;
}

std::optional<Response> Site::throttled(Ctx& ctx, const std::string& what, int limit, std::int64_t window) {
    if (limit <= 0) return std::nullopt;
    std::int64_t wait = 0;
    if (limiter_.allow(what + "|" + ctx.req.remote_addr, limit, window, s_.clock.now(), &wait)) return std::nullopt;
    const std::int64_t minutes = (wait + 59) / 60;
    return fail(ctx, core::Error::TooMany("Trop de demandes en peu de temps depuis votre adresse. Réessayez dans " +
                                              std::to_string(minutes) + (minutes > 1 ? " minutes." : " minute."),
                                          static_cast<int>(wait)));
}

std::optional<Response> Site::throttled_person(Ctx& ctx, const std::string& what, int limit, std::int64_t window) {
    if (limit <= 0 || !ctx.user) return std::nullopt;
    std::int64_t wait = 0;
    if (limiter_.allow(what + "|user:" + std::to_string(ctx.user->id), limit, window, s_.clock.now(), &wait))
        return std::nullopt;
    const std::int64_t minutes = (wait + 59) / 60;
    return fail(ctx,
                core::Error::TooMany("Vous avez fait beaucoup de demandes de ce type en peu de temps. Réessayez dans " +
                                         std::to_string(minutes) + (minutes > 1 ? " minutes." : " minute."),
                                     static_cast<int>(wait)));
}

void Site::audit(Ctx& ctx, const std::string& action, const std::string& target, const std::string& detail) {
    s_.audit.record(ctx.user ? std::optional<std::int64_t>(ctx.user->id) : std::nullopt,
                    ctx.user ? ctx.user->email : "", action, target, detail, ctx.req.remote_addr);
}

Response Site::fail(Ctx& ctx, const core::Error& error) {
    if (ctx.req.wants_json()) return problem(ctx, error);
    const core::Error& e = hides_existence(ctx.req, error) ? not_found_instead() : error;
    if (e.code == core::ErrorCode::kUnauthenticated) return login_redirect(ctx);
    if (e.code == core::ErrorCode::kInternal || e.code == core::ErrorCode::kUnavailable) {
        spdlog::error("{} {}: {}", ctx.req.method, ctx.req.path, e.message);
        return error_page(ctx, status_for(e.code),
                          "Le service est momentanément indisponible. Réessayez dans un instant ; rien n'a été perdu.");
    }
    Response r = error_page(ctx, status_for(e.code), e.message);
    if (e.retry_after_seconds > 0) r.set_header("Retry-After", std::to_string(e.retry_after_seconds));
    return r;
}

Response Site::form_error(Ctx& ctx, const std::string& tmpl, json view, const core::Error& e) {
    if (e.code != core::ErrorCode::kInvalidInput && e.code != core::ErrorCode::kConflict &&
        e.code != core::ErrorCode::kTooManyRequests && e.code != core::ErrorCode::kUnauthenticated)
        return fail(ctx, e);
    json errors = json::object();
    json list = json::array();
    for (const auto& [k, v] : e.fields) {
        errors[k] = v;
        list.push_back({{"field", k}, {"message", v}});
    }
    view["errors"] = errors;
    view["error_list"] = list;
    view["has_error_list"] = !list.empty();
    view["has_errors"] = true;
    view["error_message"] = e.message;
    Response r = page(ctx, tmpl, view, status_for(e.code));
    if (e.retry_after_seconds > 0) r.set_header("Retry-After", std::to_string(e.retry_after_seconds));
    return r;
}

Response Site::refuse_form(Ctx& ctx, const std::string& back, const std::string& form_id, const core::Error& e,
                           const std::vector<std::string>& shown) {
    // What the person can fix comes back with the form; anything else (no right, gone, a failure) is not a form
    // matter.
    if (e.code != core::ErrorCode::kInvalidInput && e.code != core::ErrorCode::kConflict &&
        e.code != core::ErrorCode::kTooManyRequests)
        return fail(ctx, e);
    json values = json::object();
    for (const auto& [k, v] : ctx.req.form())
        if (k != "_csrf") values[k] = values.contains(k) ? values[k].get<std::string>() + " " + v : v;
    json list = json::array();
    for (const auto& [field, message] : e.fields) {
        const bool on_page = shown.empty() || std::find(shown.begin(), shown.end(), field) != shown.end();
        list.push_back({{"field", field}, {"message", message}, {"target", on_page ? form_id + "-" + field : form_id}});
    }
    ensure_session(ctx);
    if (ctx.session)
        (void)s_.accounts.set_flash(
            ctx.session->token_hash,
            json{{"form", {{"id", form_id}, {"values", values}, {"error_list", list}, {"message", e.message}}}}.dump());
    return Response::redirect(back);
}

json Site::form_view(Ctx& ctx, const std::string& form_id) {
    if (!ctx.flash || !ctx.flash->contains("form") || (*ctx.flash)["form"].value("id", "") != form_id)
        // Every key present: a section must not find the page's own errors further up the context.
        return {{"id", form_id},
                {"values", json::object()},
                {"errors", json::object()},
                {"error_list", json::array()},
                {"has_errors", false},
                {"has_error_list", false},
                {"error_message", ""}};
    const json& f = (*ctx.flash)["form"];
    json errors = json::object();
    for (const auto& item : f["error_list"]) errors[item.value("field", "")] = item.value("message", "");
    return {{"id", form_id},
            {"values", f["values"]},
            {"errors", errors},
            {"error_list", f["error_list"]},
            {"has_errors", true},
            {"has_error_list", !f["error_list"].empty()},
            {"error_message", f.value("message", "")}};
}

json Site::form_view(Ctx& ctx, const std::string& form_id, json stored) {
    json f = form_view(ctx, form_id);
    if (!f["has_errors"].get<bool>()) f["values"] = std::move(stored);
    return f;
}

Response Site::redirect_flash(Ctx& ctx, const std::string& to, const std::string& message, const std::string& kind) {
    ensure_session(ctx);
    if (ctx.session)
        (void)s_.accounts.set_flash(ctx.session->token_hash, json{{"kind", kind}, {"text", message}}.dump());
    return Response::redirect(to);
}

Response Site::login_redirect(Ctx& ctx) {
    std::string back = ctx.req.method == "GET" ? ctx.req.target : "/mon-espace";
    return redirect_flash(ctx, "/connexion?retour=" + http::url_encode(back),
                          "Connectez-vous pour accéder à cette page.", "info");
}

Response Site::on_not_found(http::Request& req) {
    Ctx ctx = begin(req);
    Response r = req.wants_json() ? problem(ctx, core::Error::NotFound("Ressource introuvable : " + req.path))
                                  : error_page(ctx, 404, "La page que vous cherchez n'existe pas ou a été déplacée.");
    finish(ctx, r);
    return r;
}

Response Site::on_method_not_allowed(http::Request& req) {
    Ctx ctx = begin(req);
    Response r = req.wants_json()
                     ? Response::problem(405, "Method Not Allowed", "Méthode non autorisée sur cette ressource.")
                     : error_page(ctx, 405, "Cette action n'est pas possible sur cette page.");
    finish(ctx, r);
    return r;
}

Response Site::on_error(http::Request& req, int status, const std::string& detail) {
    // No session lookup for oversized or failed requests: answer from what we have.
    Ctx ctx{req, std::nullopt, std::nullopt, {}, app::random_token(16), {}, std::nullopt, std::nullopt};
    if (status >= 500) spdlog::error("{} {}: {}", req.method, req.path, detail);
    std::string msg = status >= 500 ? "Une erreur inattendue s'est produite. Réessayez dans un instant." : detail;
    Response r =
        req.wants_json() ? Response::problem(status, problem_title(status), msg) : error_page(ctx, status, msg);
    finish(ctx, r);
    return r;
}

http::ServerHooks Site::hooks() {
    http::ServerHooks h;
    h.not_found = [this](http::Request& req) { return on_not_found(req); };
    h.method_not_allowed = [this](http::Request& req, const std::vector<std::string>&) {
        return on_method_not_allowed(req);
    };
    h.error = [this](http::Request& req, int status, const std::string& detail) {
        return on_error(req, status, detail);
    };
    return h;
}

}  // namespace passerelle::web
