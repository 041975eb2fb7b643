// Two-factor authentication: the code asked after the password (or after an identity provider), the page where
// a person turns it on (QR code, recovery codes) and off, the administrators' reset for a lost phone, and the
// gate that keeps administrators and organisers out until they turned it on.
#include <algorithm>
#include <charconv>

#include "app/crypto.hpp"
#include "app/office_formats.hpp"
#include "app/second_factor.hpp"
#include "core/french.hpp"
#include "http/message.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;

namespace {

json second_factor_crumbs() {
    return crumbs({{"Mon espace", "/mon-espace"}, {"Double authentification", kSecondFactorPage}});
}

// The pending login of the session, when it is still fresh.
std::optional<json> pending_of(const Ctx& ctx, std::int64_t now, std::int64_t ttl) {
    if (!ctx.session || !ctx.session->pending_login) return std::nullopt;
    json p = json::parse(*ctx.session->pending_login, nullptr, false);
    if (p.is_discarded() || !p.is_object() || !p.contains("user") || !p["user"].is_number_integer())
        return std::nullopt;
    if (now - p.value("since", std::int64_t{0}) > ttl) return std::nullopt;
    return p;
}

}  // namespace

Response Site::open_session(Ctx& ctx, std::int64_t user_id, const std::string& new_browser_token,
                            const std::string& back, const std::string& message,
                            const std::function<core::Status(const std::string&)>& then) {
    if (!new_browser_token.empty()) {
        // Remembered for a year: a login from it is not slowed by guesses at the password elsewhere.
        std::string c = browser_cookie_name() + "=" + new_browser_token +
                        "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(365 * 24 * 3600);
        if (secure()) c += "; Secure";
        ctx.set_cookies.push_back(c);
    }
    auto session = s_.accounts.rotate_session(ctx.session ? ctx.session->token_hash : "", user_id,
                                              ctx.req.header("user-agent"), ctx.req.remote_addr);
    if (!session) return fail(ctx, session.error());
    ctx.session = session->record;
    set_session_cookie(ctx, session->token, s_.accounts.settings().session_ttl);
    if (then)
        if (auto st = then(ctx.session->token_hash); !st) return fail(ctx, st.error());
    return redirect_flash(ctx, back, message);
}

Response Site::ask_second_factor(Ctx& ctx, std::int64_t user_id, json pending) {
    if (!ensure_session(ctx)) return error_page(ctx, 503, "Le serveur est surchargé, réessayez dans un instant.");
    pending["user"] = user_id;
    pending["since"] = s_.clock.now();
    if (auto st = s_.accounts.set_pending_login(ctx.session->token_hash, pending.dump()); !st)
        return fail(ctx, st.error());
    return Response::redirect("/connexion/code");
}

Response Site::no_pending_login(Ctx& ctx) {
    const bool expired = ctx.session && ctx.session->pending_login;
    return redirect_flash(ctx, "/connexion",
                          expired ? "Le délai pour taper le code est dépassé : reconnectez-vous."
                                  : "Connectez-vous d'abord avec votre adresse e-mail et votre mot de passe.",
                          "warning");
}

Response Site::login_code_form(Ctx& ctx) {
    if (ctx.user) return Response::redirect("/mon-espace", 302);
    if (!pending_of(ctx, s_.clock.now(), s_.accounts.settings().pending_login_ttl)) return no_pending_login(ctx);
    return page(ctx, "login_code",
                {{"title", "Vérification en deux étapes"},
                 {"breadcrumb", crumbs({{"Connexion", "/connexion"}, {"Code", "/connexion/code"}})},
                 {"form", json::object()}});
}

Response Site::login_code(Ctx& ctx) {
    auto pending = pending_of(ctx, s_.clock.now(), s_.accounts.settings().pending_login_ttl);
    if (!pending) return no_pending_login(ctx);
    const std::int64_t user_id = (*pending)["user"].get<std::int64_t>();
    // Which of the two forms was sent: the application's code, or a recovery code.
    const bool recovery = ctx.req.form_value("kind") == "recovery";
    const std::string typed = recovery ? ctx.req.form_value("recovery_code") : ctx.req.form_value("code");
    json view = {{"title", "Vérification en deux étapes"},
                 {"breadcrumb", crumbs({{"Connexion", "/connexion"}, {"Code", "/connexion/code"}})},
                 {"form", {{recovery ? "recovery_code" : "code", typed.substr(0, 40)}}},
                 {"recovery_open", recovery}};
    const std::string email = pending->value("email", std::string());
    // Something that cannot be a code is not a guess: said plainly, not counted.
    if (recovery ? app::totp::normalize_recovery_code(typed).empty()
                 : !app::totp::looks_like_totp(typed) && app::totp::normalize_recovery_code(typed).empty())
        return form_error(
            ctx, "login_code", view,
            recovery ? core::Error::Invalid("Code refusé.", {{"recovery_code",
                                                              "Tapez l'un de vos codes de secours : "
                                                              "dix lettres et chiffres, XXXXX-XXXXX."}})
                     : core::Error::Invalid("Code refusé.",
                                            {{"code", "Tapez les six chiffres affichés par votre application."}}));
    auto r =
        s_.accounts.verify_second_factor(user_id, typed, ctx.req.remote_addr, ctx.req.cookie(browser_cookie_name()));
    if (!r) {
        s_.audit.record(user_id, email, "login_failed", "", "second facteur : " + r.error().message,
                        ctx.req.remote_addr);
        core::Error e = r.error();
        if (recovery && e.fields.count("code")) {
            e.fields["recovery_code"] = "Ce code de secours est incorrect ou a déjà servi.";
            e.fields.erase("code");
        }
        if (e.code == core::ErrorCode::kForbidden) {
            (void)s_.accounts.set_pending_login(ctx.session->token_hash, std::nullopt);
            return error_page(ctx, 403, e.message);
        }
        return form_error(ctx, "login_code", view, e);
    }
    const std::string provider = pending->value("provider", std::string());
    s_.audit.record(user_id, email, "login", "",
                    (provider.empty() ? std::string() : "par " + pending->value("provider_label", provider) + ", ") +
                        (r->recovery_code_used ? "avec un code de secours" : "avec un code à usage unique"),
                    ctx.req.remote_addr);
    std::string message = pending->value("message", std::string("Vous êtes connecté."));
    if (r->recovery_code_used)
        message += r->recovery_codes_left == 0
                       ? " C'était votre dernier code de secours : créez-en de nouveaux dès maintenant."
                       : " Il vous reste " + recovery_codes_text(r->recovery_codes_left) + ".";
    const std::string back = r->recovery_code_used && r->recovery_codes_left <= 2
                                 ? std::string(kSecondFactorPage)
                                 : return_path(pending->value("retour", std::string()), {}, "/mon-espace");
    if (provider.empty()) return open_session(ctx, user_id, r->new_browser_token, back, message);
    const std::string id_token = pending->value("id_token", "");
    return open_session(ctx, user_id, r->new_browser_token, back, message,
                        [&](const std::string& hash) { return s_.oidc.remember_session(hash, provider, id_token); });
}

json Site::second_factor_view(Ctx& ctx) {
    json view = {{"title", "Double authentification"},
                 {"breadcrumb", second_factor_crumbs()},
                 {"needs_confirmation", needs_confirmation(ctx)},
                 {"has_password", ctx.user->password_hash.has_value()},
                 {"form", json::object()}};
    auto status = s_.accounts.second_factor_status(ctx.actor);
    if (!status) return view;
    view["required"] = status->required;
    // The roles that require it, named (« administrateur de la plateforme, organisateur »).
    std::string roles;
    for (auto r : ctx.actor.roles)
        if (s_.accounts.role_requires_second_factor(r))
            roles += (roles.empty() ? "" : ", ") + core::platform_role_label(r);
    view["roles"] = roles;
    if (status->since) {
        view["enabled"] = true;
        view["since"] = core::format_datetime_fr(*status->since);
        view["codes_left"] = status->recovery_codes_left;
        view["codes_left_text"] = recovery_codes_text(status->recovery_codes_left);
        view["codes_low"] = status->recovery_codes_left <= 2;
        view["can_disable"] = !status->required;
        return view;
    }
    // The secret shown stays the same for the session until a code confirms it (a reload shows the same QR code).
    std::string secret = ctx.session->enrol_secret.value_or("");
    if (secret.empty()) {
        secret = app::totp::new_secret();
        if (!s_.accounts.set_enrol_secret(ctx.session->token_hash, secret)) return view;
        ctx.session->enrol_secret = secret;
    }
    const std::string uri = app::totp::otpauth_uri("Passerelle", ctx.user->email, secret);
    if (auto svg = app::qr_svg(uri, 5)) view["qr"] = "data:image/svg+xml;base64," + app::base64(svg.value());
    view["secret"] = app::totp::grouped(secret);
    view["otpauth"] = uri;
    return view;
}

Response Site::second_factor_page(Ctx& ctx) { return page(ctx, "second_factor", second_factor_view(ctx)); }

Response Site::second_factor_enable(Ctx& ctx) {
    json view = second_factor_view(ctx);
    if (view.value("enabled", false)) return Response::redirect(kSecondFactorPage);
    view["form"]["code"] = ctx.req.form_value("code").substr(0, 40);
    if (auto refused = unconfirmed(ctx)) return form_error(ctx, "second_factor", view, *refused);
    view["needs_confirmation"] = false;
    auto codes = s_.accounts.enable_second_factor(ctx.user->id, ctx.session->enrol_secret.value_or(""),
                                                  ctx.req.form_value("code"));
    if (!codes) return form_error(ctx, "second_factor", view, codes.error());
    (void)s_.accounts.set_enrol_secret(ctx.session->token_hash, std::nullopt);
    audit(ctx, "second_factor_enabled", "", "");
    return show_recovery_codes(ctx, codes.value(), true);
}

// The codes travel in the session's one-time message to the page that shows them: a reload of that page does
// not create new ones, and they are shown once.
Response Site::show_recovery_codes(Ctx& ctx, const std::vector<std::string>& codes, bool enabled_now) {
    (void)s_.accounts.set_flash(ctx.session->token_hash,
                                json{{"kind", "success"}, {"codes", codes}, {"enabled_now", enabled_now}}.dump());
    return Response::redirect(std::string(kSecondFactorPage) + "/codes");
}

Response Site::recovery_codes_page(Ctx& ctx) {
    if (!ctx.flash || !ctx.flash->contains("codes") || !(*ctx.flash)["codes"].is_array())
        return Response::redirect(kSecondFactorPage);
    json view = {{"title", "Vos codes de secours"},
                 {"breadcrumb", second_factor_crumbs()},
                 {"codes", (*ctx.flash)["codes"]},
                 {"enabled_now", ctx.flash->value("enabled_now", false)}};
    return page(ctx, "recovery_codes", view);
}

Response Site::second_factor_codes(Ctx& ctx) {
    if (auto refused = unconfirmed(ctx)) return form_error(ctx, "second_factor", second_factor_view(ctx), *refused);
    auto codes = s_.accounts.renew_recovery_codes(ctx.user->id);
    if (!codes) return flash_or_fail(ctx, codes.error(), kSecondFactorPage, "");
    audit(ctx, "recovery_codes_renewed", "", "");
    return show_recovery_codes(ctx, codes.value(), false);
}

Response Site::second_factor_disable(Ctx& ctx) {
    if (auto refused = unconfirmed(ctx)) {
        core::Error e = *refused;  // beside the password field of this form, not of the codes' one
        if (auto f = e.fields.find("confirm_password"); f != e.fields.end()) {
            e.fields["confirm_password_off"] = f->second;
            e.fields.erase(f);
        }
        return form_error(ctx, "second_factor", second_factor_view(ctx), e);
    }
    if (auto st = s_.accounts.disable_second_factor(ctx.actor, ctx.user->id); !st)
        return st.error().code == core::ErrorCode::kForbidden
                   ? redirect_flash(ctx, kSecondFactorPage, st.error().message, "warning")
                   : flash_or_fail(ctx, st.error(), kSecondFactorPage, "");
    audit(ctx, "second_factor_disabled", "", "");
    return redirect_flash(ctx, kSecondFactorPage, "La double authentification est désactivée.");
}

Response Site::admin_second_factor_reset(Ctx& ctx) {
    std::int64_t id = 0;
    const std::string raw = ctx.req.path_param("id");
    auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), id);
    if (ec != std::errc() || p != raw.data() + raw.size()) return error_page(ctx, 404, "Utilisateur introuvable.");
    const std::string back = return_path(ctx.req.form_value("retour"), {"/admin/utilisateurs"}, "/admin/utilisateurs");
    if (unconfirmed(ctx))
        return redirect_flash(ctx, back,
                              "Double authentification non réinitialisée : confirmez d'abord votre identité en haut "
                              "de la page.",
                              "warning");
    auto who = s_.accounts.identity(id);
    if (!who) return fail(ctx, who.error());
    if (auto st = s_.accounts.disable_second_factor(ctx.actor, id); !st)
        return flash_or_fail(ctx, st.error(), back, "");
    audit(ctx, "second_factor_reset", "utilisateur " + who->user.email, "");
    return redirect_flash(ctx, back,
                          "La double authentification de " + who->user.email +
                              " est réinitialisée ; un e-mail l'en informe. " +
                              (s_.accounts.second_factor_required(who->actor)
                                   ? "Son rôle l'exige : la personne devra la réactiver à sa prochaine connexion."
                                   : ""));
}

}  // namespace passerelle::web
