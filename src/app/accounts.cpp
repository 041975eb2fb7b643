#include "app/accounts.hpp"

#include <algorithm>

#include "app/mail_templates.hpp"
#include "app/password_quality.hpp"
#include "app/second_factor.hpp"
#include "core/validation.hpp"
#include "storage/org_store.hpp"
#include "storage/outbox_store.hpp"

namespace passerelle::app {

namespace acc = storage::accounts;
using core::Error;

namespace {

Error mismatch() {
    return Error::Invalid("Le formulaire contient des erreurs.",
                          {{"password_confirm", "Les deux mots de passe ne sont pas identiques."}});
}

Result<std::string> check_new_password(const std::string& password, const std::string& confirm,
                                       const std::string& email, const std::string& name) {
    auto problems = core::password_problems(password, email);
    if (!problems.empty()) {
        std::string msg;
        for (const auto& p : problems) msg += (msg.empty() ? "" : " ") + p;
        return Error::Invalid("Le formulaire contient des erreurs.", {{"password", msg}});
    }
    if (auto weak = password_weakness(password, email, name))
        return Error::Invalid("Le formulaire contient des erreurs.", {{"password", *weak}});
    if (password != confirm) return mismatch();
    return password;
}

}  // namespace

AccountService::AccountService(storage::Database& db, const core::Clock& clock, AccountSettings settings)
    : db_(db), clock_(clock), settings_(std::move(settings)) {
    // Verifying against this hash when the account does not exist keeps login time independent of it.
    dummy_hash_ = hash_password("passerelle-dummy-password", settings_.hasher).value_or("");
}

Status AccountService::issue_token_and_mail(storage::Connection& c, std::int64_t user_id, const std::string& email,
                                            const std::string& purpose) {
    const std::int64_t now = clock_.now();
    std::string token = random_token();
    std::int64_t ttl = purpose == "verify_email" ? settings_.verify_ttl : settings_.reset_ttl;
    // A new link replaces the ones mailed before: only the newest works.
    if (auto s = acc::revoke_tokens(c, user_id, purpose, now); !s) return s;
    if (auto s = acc::create_token(c, sha256_hex(token), user_id, purpose, now, now + ttl); !s) return s;
    MailMessage m = purpose == "verify_email" ? verification_mail(settings_.base_url, token)
                                              : reset_mail(settings_.base_url, token);
    auto q = storage::outbox::enqueue(c, email, m.subject, m.body, now);
    if (!q) return q.error();
    return {};
}

Result<std::int64_t> AccountService::sign_up(const SignupInput& in) {
    core::FieldErrors errors;
    std::string why;
    auto email = core::normalize_email(in.email, &why);
    if (!email) errors["email"] = why;
    std::string name = core::trim(in.display_name);
    if (name.empty())
        errors["display_name"] = "Indiquez vos prénom et nom.";
    else if (core::utf8_length(name) > 120)
        errors["display_name"] = "Le nom doit compter au plus 120 caractères.";
    else if (!core::is_clean_line(name) || core::looks_like_link(name))
        errors["display_name"] = "Le nom tient sur une ligne, sans adresse web ni caractère de contrôle.";
    auto problems = core::password_problems(in.password, email.value_or(""));
    if (!problems.empty()) {
        std::string msg;
        for (const auto& p : problems) msg += (msg.empty() ? "" : " ") + p;
        errors["password"] = msg;
    } else if (auto weak = password_weakness(in.password, email.value_or(""), name)) {
        errors["password"] = *weak;
    } else if (in.password != in.password_confirm) {
        errors["password_confirm"] = "Les deux mots de passe ne sont pas identiques.";
    }
    if (!errors.empty()) return Error::Invalid("Le formulaire contient des erreurs.", std::move(errors));

    auto hash = hash_password(in.password, settings_.hasher);
    if (!hash) return Error::Unavailable("Le serveur est surchargé, réessayez dans un instant.");
    std::int64_t id = 0;
    Status st = db_.transaction([&](storage::Connection& c) -> Status {
        auto created = acc::create_user(c, *email, name, *hash, clock_.now());
        if (!created) {
            if (created.error().code == core::ErrorCode::kConflict)
                return Error::Conflict("Un compte existe déjà avec cette adresse e-mail.",
                                       {{"email",
                                         "Un compte existe déjà avec cette adresse e-mail. Connectez-vous ou "
                                         "demandez un nouveau mot de passe."}});
            return created.error();
        }
        id = created.value();
        return issue_token_and_mail(c, id, *email, "verify_email");
    });
    if (!st) return st.error();
    return id;
}

Result<std::int64_t> AccountService::verify_email(const std::string& token) {
    std::optional<std::int64_t> user;
    Status st = db_.transaction([&](storage::Connection& c) -> Status {
        auto u = acc::consume_token(c, sha256_hex(token), "verify_email", clock_.now());
        if (!u) return u.error();
        user = u.value();
        if (!user)
            return Error::Invalid(
                "Ce lien de vérification n'est plus valide. Demandez-en un nouveau depuis votre espace.");
        return acc::mark_email_verified(c, *user, clock_.now());
    });
    if (!st) return st.error();
    return *user;
}

Status AccountService::resend_verification(std::int64_t user_id) {
    return db_.transaction([&](storage::Connection& c) -> Status {
        auto u = acc::find_user(c, user_id);
        if (!u) return u.error();
        if (!u.value()) return Error::NotFound("Compte introuvable.");
        if (u.value()->email_verified_at) return Error::Conflict("Votre adresse e-mail est déjà vérifiée.");
        return issue_token_and_mail(c, user_id, u.value()->email, "verify_email");
    });
}

Status AccountService::check_throttle(storage::Connection& c, const std::string& email, const std::string& ip,
                                      bool known_browser, const std::string& scope) {
    const std::int64_t now = clock_.now();
    auto refuse = [](std::int64_t retry) {
        const std::int64_t minutes = (retry + 59) / 60;
        return Error::TooMany(retry < 60 ? "Trop de tentatives de connexion. Réessayez dans " + std::to_string(retry) +
                                               (retry > 1 ? " secondes." : " seconde.")
                                         : "Trop de tentatives de connexion. Réessayez dans " +
                                               std::to_string(minutes) + (minutes > 1 ? " minutes." : " minute."),
                              static_cast<int>(retry));
    };
    if (!known_browser) {
        // A growing delay after the last failure, never a lock: the owner gets in once it has passed.
        auto f = acc::latest_login_failures(c, scope, email, now - 24 * 3600);
        if (!f) return f.error();
        const std::int64_t over = f.value().first - settings_.account_free_failures;
        if (over >= 0) {
            // 2 s, 4 s, 8 s… (failures are kept to the second: the first delay is at least one whole second).
            const std::int64_t delay =
                over >= 20 ? settings_.throttle_window : std::min<std::int64_t>(settings_.throttle_window, 2LL << over);
            if (now < f.value().second + delay) return refuse(f.value().second + delay - now);
        }
    }
    auto f = acc::login_failures_since(c, "ip", ip, now - settings_.throttle_window);
    if (!f) return f.error();
    if (f.value().first >= settings_.ip_max_failures)
        return refuse(std::max<std::int64_t>(1, f.value().second + settings_.throttle_window - now));
    return {};
}

Result<AccountService::LoginResult> AccountService::login(const std::string& email_in, const std::string& password,
                                                          const std::string& client_ip,
                                                          const std::string& browser_token) {
    std::string email = core::normalize_email(email_in).value_or(core::trim(email_in));
    const Error bad = Error::Unauthenticated("Adresse e-mail ou mot de passe incorrect.");
    std::optional<Error> failure;
    LoginResult result;
    Status st = db_.transaction([&](storage::Connection& c) -> Status {
        auto u = acc::find_user_by_email(c, email);
        if (!u) return u.error();
        const std::int64_t now = clock_.now();
        bool known = false;
        if (u.value() && !browser_token.empty() && browser_token.size() <= 100) {
            auto k = acc::is_known_browser(c, sha256_hex(browser_token), u.value()->id, now);
            if (!k) return k.error();
            known = k.value();
        }
        if (auto s = check_throttle(c, email, client_ip, known); !s) {
            failure = s.error();
            return {};
        }
        bool ok;
        if (u.value() && u.value()->password_hash) {
            ok = verify_password(*u.value()->password_hash, password);
        } else {
            (void)verify_password(dummy_hash_, password);
            ok = false;
        }
        if (!ok) {
            if (auto s = acc::record_login_failure(c, "account", email, now); !s) return s;
            if (auto s = acc::record_login_failure(c, "ip", client_ip, now); !s) return s;
            failure = bad;
            return {};
        }
        if (u.value()->suspended_at) {
            failure = Error::Forbidden(
                "Ce compte est suspendu par la modération de la plateforme. Écrivez à l'équipe de Passerelle pour en "
                "connaître la raison.");
            return {};
        }
        result.user_id = u.value()->id;
        result.second_factor = u.value()->second_factor_since.has_value();
        // With two-factor authentication, the browser is remembered (and a new one mailed about) only once the
        // code is right too: the password alone must not exempt a browser from the delay between guesses.
        if (!result.second_factor)
            if (auto s = remember_browser(c, *u.value(), known, client_ip, result.new_browser_token); !s) return s;
        // Wrong codes are counted apart ("second_factor"): the right password does not start them over.
        return acc::clear_login_failures(c, "account", email);
    });
    if (!st) return st.error();
    if (failure) return *failure;
    return result;
}

Status AccountService::remember_browser(storage::Connection& c, const acc::UserRecord& u, bool known,
                                        const std::string& client_ip, std::string& new_token) {
    if (known) return {};
    const std::int64_t now = clock_.now();
    new_token = random_token();
    if (auto s = acc::add_known_browser(c, sha256_hex(new_token), u.id, now); !s) return s;
    const MailMessage m = new_browser_mail(settings_.base_url, client_ip, now);
    if (auto q = storage::outbox::enqueue(c, u.email, m.subject, m.body, now); !q) return q.error();
    return {};
}

bool AccountService::role_requires_second_factor(core::PlatformRole role) const {
    const auto& codes = settings_.second_factor_roles;
    return std::find(codes.begin(), codes.end(), core::platform_role_code(role)) != codes.end();
}

bool AccountService::second_factor_required(const core::Actor& actor) const {
    return std::any_of(actor.roles.begin(), actor.roles.end(),
                       [&](core::PlatformRole r) { return role_requires_second_factor(r); });
}

bool AccountService::second_factor_required(const acc::UserRecord& user) const {
    return std::any_of(user.roles.begin(), user.roles.end(), [&](const std::string& code) {
        auto r = core::parse_platform_role(code);
        return r && role_requires_second_factor(*r);
    });
}

Result<AccountService::SecondFactorStatus> AccountService::second_factor_status(const core::Actor& actor) {
    if (!actor.user_id) return Error::Unauthenticated("Connectez-vous pour continuer.");
    SecondFactorStatus out;
    out.required = second_factor_required(actor);
    Status st = db_.with_connection([&](storage::Connection& c) -> Status {
        auto u = acc::find_user(c, *actor.user_id);
        if (!u) return u.error();
        if (!u.value()) return Error::NotFound("Compte introuvable.");
        out.since = u.value()->second_factor_since;
        auto left = acc::unused_recovery_codes(c, *actor.user_id);
        if (!left) return left.error();
        out.recovery_codes_left = left.value();
        return {};
    });
    if (!st) return st.error();
    return out;
}

namespace {

std::vector<std::string> hashes_of(const std::vector<std::string>& codes) {
    std::vector<std::string> out;
    for (const auto& c : codes) out.push_back(sha256_hex(totp::normalize_recovery_code(c)));
    return out;
}

const Error& wrong_code() {
    static const Error e = Error::Invalid(
        "Code refusé.", {{"code",
                          "Ce code est incorrect, expiré ou déjà utilisé. Attendez le code suivant de votre "
                          "application, ou tapez un code de secours."}});
    return e;
}

}  // namespace

Result<std::vector<std::string>> AccountService::enable_second_factor(std::int64_t user_id, const std::string& secret,
                                                                      const std::string& code) {
    if (!totp::looks_like_totp(code))
        return Error::Invalid("Code refusé.", {{"code", "Tapez les six chiffres affichés par votre application."}});
    const std::int64_t now = clock_.now();
    auto step = totp::matching_step(secret, code, now);
    if (!step)
        return Error::Invalid(
            "Code refusé.",
            {{"code",
              "Ce code ne correspond pas à la clé affichée. Prenez le code de l'entrée que vous venez d'ajouter "
              "(pas d'une ancienne entrée Passerelle), vérifiez que l'heure du téléphone est à jour, puis tapez "
              "le code affiché maintenant."}});
    std::vector<std::string> codes = totp::new_recovery_codes(10);
    Status st = db_.transaction([&](storage::Connection& c) -> Status {
        auto u = acc::find_user(c, user_id);
        if (!u) return u.error();
        if (!u.value()) return Error::NotFound("Compte introuvable.");
        if (u.value()->second_factor_since)
            return Error::Conflict("La double authentification est déjà activée sur votre compte.");
        if (auto s = acc::enable_second_factor(c, user_id, secret, *step, now); !s) return s;
        if (auto s = acc::replace_recovery_codes(c, user_id, hashes_of(codes), now); !s) return s;
        const MailMessage m = second_factor_mail(settings_.base_url, true, false, now);
        if (auto q = storage::outbox::enqueue(c, u.value()->email, m.subject, m.body, now); !q) return q.error();
        return {};
    });
    if (!st) return st.error();
    return codes;
}

Result<std::vector<std::string>> AccountService::renew_recovery_codes(std::int64_t user_id) {
    const std::int64_t now = clock_.now();
    std::vector<std::string> codes = totp::new_recovery_codes(10);
    Status st = db_.transaction([&](storage::Connection& c) -> Status {
        auto u = acc::find_user(c, user_id);
        if (!u) return u.error();
        if (!u.value()) return Error::NotFound("Compte introuvable.");
        if (!u.value()->second_factor_since) return Error::Conflict("Activez d'abord la double authentification.");
        if (auto s = acc::replace_recovery_codes(c, user_id, hashes_of(codes), now); !s) return s;
        const MailMessage m = recovery_codes_mail(settings_.base_url, now);
        if (auto q = storage::outbox::enqueue(c, u.value()->email, m.subject, m.body, now); !q) return q.error();
        return {};
    });
    if (!st) return st.error();
    return codes;
}

Status AccountService::disable_second_factor(const core::Actor& actor, std::int64_t user_id) {
    if (!actor.user_id) return Error::Unauthenticated("Connectez-vous pour continuer.");
    const bool own = *actor.user_id == user_id;
    if (!own && !actor.has_role(core::PlatformRole::kAdministrator))
        return Error::Forbidden(
            "Seule l'équipe de la plateforme peut réinitialiser la double authentification d'un "
            "autre compte.");
    if (own && second_factor_required(actor))
        return Error::Forbidden(
            "Votre rôle sur la plateforme exige la double authentification : elle ne peut pas "
            "être désactivée. En cas de téléphone perdu, utilisez un code de secours.");
    return turn_off_second_factor(user_id, !own);
}

Status AccountService::reset_second_factor(std::int64_t user_id) { return turn_off_second_factor(user_id, true); }

Status AccountService::turn_off_second_factor(std::int64_t user_id, bool reset) {
    const std::int64_t now = clock_.now();
    return db_.transaction([&](storage::Connection& c) -> Status {
        auto u = acc::find_user(c, user_id);
        if (!u) return u.error();
        if (!u.value()) return Error::NotFound("Compte introuvable.");
        if (!u.value()->second_factor_since)
            return Error::Conflict("La double authentification n'est pas activée sur ce compte.");
        if (auto s = acc::disable_second_factor(c, user_id); !s) return s;
        // Reset for a lost phone: whoever holds that phone's sessions is out too.
        if (reset)
            if (auto s = acc::delete_user_sessions(c, user_id, ""); !s) return s;
        const MailMessage m = second_factor_mail(settings_.base_url, false, reset, now);
        if (auto q = storage::outbox::enqueue(c, u.value()->email, m.subject, m.body, now); !q) return q.error();
        return {};
    });
}

Result<AccountService::SecondFactorLogin> AccountService::verify_second_factor(std::int64_t user_id,
                                                                               const std::string& code,
                                                                               const std::string& client_ip,
                                                                               const std::string& browser_token) {
    SecondFactorLogin result;
    std::optional<Error> failure;
    const std::int64_t now = clock_.now();
    Status st = db_.transaction([&](storage::Connection& c) -> Status {
        auto u = acc::find_user(c, user_id);
        if (!u) return u.error();
        if (!u.value()) return Error::NotFound("Compte introuvable.");
        if (u.value()->suspended_at) {
            failure = Error::Forbidden("Ce compte est suspendu par la modération de la plateforme.");
            return {};
        }
        // Wrong codes have a count of their own, per account, that no browser is exempt from (whoever is here
        // has the password) and that wrong passwords do not feed (a stranger cannot slow the owner's code down).
        const std::string subject = std::to_string(user_id);
        if (auto s = check_throttle(c, subject, client_ip, false, "second_factor"); !s) {
            failure = s.error();
            return {};
        }
        auto factor = acc::second_factor(c, user_id);
        if (!factor) return factor.error();
        bool ok = false;
        if (factor.value()) {
            if (totp::looks_like_totp(code)) {
                if (auto step = totp::matching_step(factor.value()->secret, code, now)) {
                    auto advanced = acc::advance_totp_step(c, user_id, *step);
                    if (!advanced) return advanced.error();
                    ok = advanced.value();  // false: this code (or a later one) was already used
                }
            } else if (auto normal = totp::normalize_recovery_code(code); !normal.empty()) {
                auto used = acc::use_recovery_code(c, user_id, sha256_hex(normal), now);
                if (!used) return used.error();
                ok = used.value();
                if (ok) {
                    result.recovery_code_used = true;
                    auto left = acc::unused_recovery_codes(c, user_id);
                    if (!left) return left.error();
                    result.recovery_codes_left = left.value();
                    const MailMessage m =
                        recovery_code_used_mail(settings_.base_url, client_ip, result.recovery_codes_left, now);
                    if (auto q = storage::outbox::enqueue(c, u.value()->email, m.subject, m.body, now); !q)
                        return q.error();
                }
            }
        }
        if (!ok) {
            if (auto s = acc::record_login_failure(c, "second_factor", subject, now); !s) return s;
            if (auto s = acc::record_login_failure(c, "ip", client_ip, now); !s) return s;
            failure = wrong_code();
            return {};
        }
        bool known = false;
        if (!browser_token.empty() && browser_token.size() <= 100) {
            auto k = acc::is_known_browser(c, sha256_hex(browser_token), user_id, now);
            if (!k) return k.error();
            known = k.value();
        }
        if (auto s = remember_browser(c, *u.value(), known, client_ip, result.new_browser_token); !s) return s;
        return acc::clear_login_failures(c, "second_factor", subject);
    });
    if (!st) return st.error();
    if (failure) return *failure;
    return result;
}

Status AccountService::set_pending_login(const std::string& token_hash, const std::optional<std::string>& pending) {
    return db_.transaction(
        [&](storage::Connection& c) -> Status { return acc::set_session_pending_login(c, token_hash, pending); });
}

Status AccountService::set_enrol_secret(const std::string& token_hash, const std::optional<std::string>& secret) {
    return db_.transaction(
        [&](storage::Connection& c) -> Status { return acc::set_session_enrol_secret(c, token_hash, secret); });
}

Status AccountService::request_password_reset(const std::string& email_in) {
    std::string why;
    auto email = core::normalize_email(email_in, &why);
    if (!email) return Error::Invalid("Le formulaire contient des erreurs.", {{"email", why}});
    return db_.transaction([&](storage::Connection& c) -> Status {
        auto u = acc::find_user_by_email(c, *email);
        if (!u) return u.error();
        if (!u.value()) return {};
        // Limited per account too, not only per source address: nobody fills a person's mailbox with links.
        // Past the limit the answer is the same (no enumeration); the newest link mailed still works.
        auto sent = acc::tokens_issued_since(c, u.value()->id, "reset_password", clock_.now() - 3600);
        if (!sent) return sent.error();
        if (sent.value() >= settings_.resets_per_account_per_hour) return {};
        return issue_token_and_mail(c, u.value()->id, *email, "reset_password");
    });
}

Status AccountService::reset_password(const std::string& token, const std::string& password,
                                      const std::string& confirm) {
    if (password != confirm) return mismatch();
    return db_.transaction([&](storage::Connection& c) -> Status {
        // Check the password before consuming the token, so that a weak password does not burn the link.
        auto consumed = acc::consume_token(c, sha256_hex(token), "reset_password", clock_.now());
        if (!consumed) return consumed.error();
        if (!consumed.value())
            return Error::Invalid("Ce lien de réinitialisation n'est plus valide. Demandez-en un nouveau.");
        std::int64_t user_id = *consumed.value();
        // Using a link ends every other one of the account.
        if (auto s = acc::revoke_tokens(c, user_id, "reset_password", clock_.now()); !s) return s;
        auto u = acc::find_user(c, user_id);
        if (!u) return u.error();
        if (!u.value()) return Error::NotFound("Compte introuvable.");
        auto ok = check_new_password(password, confirm, u.value()->email, u.value()->display_name);
        if (!ok) return ok.error();  // the transaction rolls back: the link stays usable
        auto hash = hash_password(password, settings_.hasher);
        if (!hash) return Error::Unavailable("Le serveur est surchargé, réessayez dans un instant.");
        if (auto s = acc::set_password(c, user_id, *hash, clock_.now()); !s) return s;
        // Receiving the link proves the address.
        if (auto s = acc::mark_email_verified(c, user_id, clock_.now()); !s) return s;
        if (auto s = acc::clear_login_failures(c, "account", u.value()->email); !s) return s;
        const MailMessage m = password_changed_mail(settings_.base_url, clock_.now());
        if (auto q = storage::outbox::enqueue(c, u.value()->email, m.subject, m.body, clock_.now()); !q)
            return q.error();
        return acc::delete_user_sessions(c, user_id, "");
    });
}

Status AccountService::change_password(std::int64_t user_id, const std::string& current, const std::string& password,
                                       const std::string& confirm, const std::string& keep_session_hash) {
    return db_.transaction([&](storage::Connection& c) -> Status {
        auto u = acc::find_user(c, user_id);
        if (!u) return u.error();
        if (!u.value()) return Error::NotFound("Compte introuvable.");
        if (!u.value()->password_hash || !verify_password(*u.value()->password_hash, current))
            return Error::Invalid("Le formulaire contient des erreurs.",
                                  {{"current_password", "Le mot de passe actuel est incorrect."}});
        auto ok = check_new_password(password, confirm, u.value()->email, u.value()->display_name);
        if (!ok) return ok.error();
        auto hash = hash_password(password, settings_.hasher);
        if (!hash) return Error::Unavailable("Le serveur est surchargé, réessayez dans un instant.");
        if (auto s = acc::set_password(c, user_id, *hash, clock_.now()); !s) return s;
        const MailMessage m = password_changed_mail(settings_.base_url, clock_.now());
        if (auto q = storage::outbox::enqueue(c, u.value()->email, m.subject, m.body, clock_.now()); !q)
            return q.error();
        return acc::delete_user_sessions(c, user_id, keep_session_hash);
    });
}

Result<NewSession> AccountService::start_session(std::optional<std::int64_t> user_id, const std::string& user_agent,
                                                 const std::string& ip) {
    const std::int64_t now = clock_.now();
    NewSession s;
    s.token = random_token();
    s.record.token_hash = sha256_hex(s.token);
    s.record.user_id = user_id;
    s.record.csrf_token = random_token();
    s.record.created_at = now;
    s.record.last_seen_at = now;
    s.record.expires_at = now + (user_id ? settings_.session_ttl : settings_.anonymous_session_ttl);
    s.record.user_agent = core::is_clean_line(user_agent) ? user_agent : "";
    s.record.ip = ip;
    Status st = db_.with_connection([&](storage::Connection& c) { return acc::create_session(c, s.record); });
    if (!st) return st.error();
    return s;
}

Result<std::optional<acc::SessionRecord>> AccountService::load_session(const std::string& token) {
    if (token.empty() || token.size() > 100) return std::optional<acc::SessionRecord>{};
    std::optional<acc::SessionRecord> out;
    const std::int64_t now = clock_.now();
    Status st = db_.with_connection([&](storage::Connection& c) -> Status {
        auto s = acc::find_session(c, sha256_hex(token), now);
        if (!s) return s.error();
        out = std::move(s.value());
        // However active, a logged-in session ends at its absolute age: 12 hours for the platform roles that
        // act on all data, 30 days otherwise (one query, only for sessions older than the shorter limit).
        if (out && out->user_id && now - out->created_at > settings_.privileged_session_max_age) {
            auto u = acc::find_user(c, *out->user_id);
            if (!u) return u.error();
            bool privileged = false;
            if (u.value())
                for (const auto& r : u.value()->roles)
                    privileged = privileged || r == "administrator" || r == "organiser" || r == "facilitator";
            const std::int64_t max_age = privileged ? settings_.privileged_session_max_age : settings_.session_max_age;
            if (now - out->created_at > max_age) {
                const std::string hash = out->token_hash;
                out.reset();
                return acc::delete_session(c, hash);
            }
        }
        // Slide the expiry at most once a minute, to spare writes.
        if (out && now - out->last_seen_at >= 60) {
            std::int64_t ttl = out->user_id ? settings_.session_ttl : settings_.anonymous_session_ttl;
            return acc::touch_session(c, out->token_hash, now, now + ttl);
        }
        return {};
    });
    if (!st) return st.error();
    return out;
}

Result<NewSession> AccountService::rotate_session(const std::string& old_token_hash, std::int64_t user_id,
                                                  const std::string& user_agent, const std::string& ip) {
    if (!old_token_hash.empty()) {
        Status st = db_.with_connection([&](storage::Connection& c) { return acc::delete_session(c, old_token_hash); });
        if (!st) return st.error();
    }
    return start_session(user_id, user_agent, ip);
}

Result<std::vector<acc::SessionRecord>> AccountService::sessions_of(std::int64_t user_id) {
    return storage::fetch<std::vector<acc::SessionRecord>>(
        db_, [&](storage::Connection& c) { return acc::user_sessions(c, user_id, clock_.now()); });
}

Result<bool> AccountService::end_user_session(std::int64_t user_id, const std::string& hash_prefix) {
    return storage::fetch<bool>(
        db_, [&](storage::Connection& c) { return acc::delete_user_session(c, user_id, hash_prefix); });
}

Status AccountService::end_other_sessions(std::int64_t user_id, const std::string& keep_token_hash) {
    return db_.with_connection(
        [&](storage::Connection& c) { return acc::delete_user_sessions(c, user_id, keep_token_hash); });
}

bool AccountService::recently_confirmed(const acc::SessionRecord& session) const {
    const std::int64_t proved = std::max(session.created_at, session.confirmed_at.value_or(0));
    return session.user_id && clock_.now() - proved < settings_.confirmation_window;
}

Status AccountService::confirm_password(const acc::SessionRecord& session, const std::string& password,
                                        const std::string& client_ip) {
    if (!session.user_id) return Error::Unauthenticated("Connectez-vous pour continuer.");
    std::optional<Error> failure;
    Status st = db_.transaction([&](storage::Connection& c) -> Status {
        auto u = acc::find_user(c, *session.user_id);
        if (!u) return u.error();
        if (!u.value()) return Error::NotFound("Compte introuvable.");
        if (!u.value()->password_hash) {
            failure = Error::Invalid("Confirmation impossible.",
                                     {{"confirm_password",
                                       "Votre compte n'a pas de mot de passe : reconnectez-vous avec votre identité "
                                       "d'agent public pour confirmer."}});
            return {};
        }
        const std::string email = u.value()->email;
        if (auto s = check_throttle(c, email, client_ip, true); !s) {
            failure = s.error();
            return {};
        }
        const std::int64_t now = clock_.now();
        if (!verify_password(*u.value()->password_hash, password)) {
            if (auto s = acc::record_login_failure(c, "account", email, now); !s) return s;
            if (auto s = acc::record_login_failure(c, "ip", client_ip, now); !s) return s;
            failure = Error::Invalid("Mot de passe incorrect.",
                                     {{"confirm_password", "Ce n'est pas votre mot de passe actuel."}});
            return {};
        }
        return acc::set_session_confirmed(c, session.token_hash, now);
    });
    if (!st) return st.error();
    if (failure) return *failure;
    return {};
}

Status AccountService::end_session(const std::string& token_hash) {
    return db_.with_connection([&](storage::Connection& c) { return acc::delete_session(c, token_hash); });
}

Status AccountService::set_flash(const std::string& token_hash, const std::optional<std::string>& flash) {
    return db_.with_connection([&](storage::Connection& c) { return acc::set_session_flash(c, token_hash, flash); });
}

Result<AccountService::UserPage> AccountService::list_users(const core::Actor& actor, const std::string& email_like,
                                                            std::int64_t limit, std::int64_t offset) {
    if (!core::allowed(actor, core::Action::kAdminister)) return Error::Forbidden("Réservé aux administrateurs.");
    return storage::fetch<UserPage>(db_, [&](storage::Connection& c) -> Result<UserPage> {
        UserPage page;
        auto total = acc::count_users(c, email_like);
        if (!total) return total.error();
        page.total = total.value();
        auto items = acc::list_users(c, email_like, limit, offset);
        if (!items) return items.error();
        page.items = std::move(items.value());
        return page;
    });
}

Result<std::string> AccountService::set_platform_roles(const core::Actor& actor, std::int64_t user_id,
                                                       const std::vector<std::string>& roles) {
    if (!core::allowed(actor, core::Action::kSetPlatformRole)) return Error::Forbidden("Réservé aux administrateurs.");
    for (const auto& r : roles)
        if (!core::parse_platform_role(r)) return Error::Invalid("Rôle inconnu : " + r.substr(0, 30));
    const bool keeps_admin = std::find(roles.begin(), roles.end(), "administrator") != roles.end();
    if (actor.user_id == user_id && !keeps_admin)
        return Error::Conflict("Vous ne pouvez pas retirer votre propre rôle d'administrateur.");
    std::string email;
    Status st = db_.transaction([&](storage::Connection& c) -> Status {
        auto u = acc::find_user(c, user_id);
        if (!u) return u.error();
        if (!u.value()) return Error::NotFound("Utilisateur introuvable.");
        email = u.value()->email;
        for (auto r :
             {core::PlatformRole::kOrganiser, core::PlatformRole::kFacilitator, core::PlatformRole::kAdministrator}) {
            std::string code = core::platform_role_code(r);
            bool want = std::find(roles.begin(), roles.end(), code) != roles.end();
            Status s = want ? acc::grant_role(c, user_id, code, clock_.now()) : acc::revoke_role(c, user_id, code);
            if (!s) return s;
        }
        return {};
    });
    if (!st) return st.error();
    return email;
}

Result<AccountService::Identity> AccountService::identity(std::int64_t user_id) {
    Identity id;
    core::Actor& a = id.actor;
    Status st = db_.with_connection([&](storage::Connection& c) -> Status {
        auto u = acc::find_user(c, user_id);
        if (!u) return u.error();
        if (!u.value()) return Error::NotFound("Compte introuvable.");
        id.user = *u.value();
        a.user_id = user_id;
        a.email_verified = id.user.email_verified_at.has_value();
        for (const auto& r : id.user.roles)
            if (auto pr = core::parse_platform_role(r)) a.roles.push_back(*pr);
        auto ms = storage::orgs::memberships_of_user(c, user_id);
        if (!ms) return ms.error();
        for (const auto& m : ms.value()) {
            if (m.status != "active") continue;
            a.memberships.push_back({m.org_id, core::parse_org_kind(m.org_kind).value_or(core::OrgKind::kCompany),
                                     core::parse_member_role(m.role).value_or(core::MemberRole::kMember), m.vetted});
        }
        return {};
    });
    if (!st) return st.error();
    return id;
}

Result<core::Actor> AccountService::actor_for(std::int64_t user_id) {
    auto id = identity(user_id);
    if (!id) return id.error();
    return std::move(id.value().actor);
}

}  // namespace passerelle::app
