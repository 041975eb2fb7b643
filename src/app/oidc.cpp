#include "app/oidc.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "app/crypto.hpp"
#include "app/organisations.hpp"
#include "core/organisation.hpp"
#include "core/siret.hpp"
#include "core/validation.hpp"
#include "storage/accounts_store.hpp"
#include "storage/org_store.hpp"
#include "storage/outbox_store.hpp"

namespace passerelle::app {

namespace id = storage::identities;
namespace oi = core::oidc;
using core::Error;
using core::Result;
using core::Status;
using nlohmann::json;

namespace {

constexpr const char* kDefaultScopes = "openid email given_name usual_name uid siret organization_label";

std::string escape(const std::string& s) {
    char* e = curl_easy_escape(nullptr, s.c_str(), static_cast<int>(s.size()));
    std::string out = e ? e : "";
    curl_free(e);
    return out;
}

std::string form(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (const auto& [k, v] : fields) out += (out.empty() ? "" : "&") + escape(k) + "=" + escape(v);
    return out;
}

std::string with_query(const std::string& endpoint, const std::string& query) {
    return endpoint + (endpoint.find('?') == std::string::npos ? "?" : "&") + query;
}

std::string pkce_challenge(const std::string& verifier) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(verifier.data(), verifier.size(), digest, &len, EVP_sha256(), nullptr);
    return base64url(std::string_view(reinterpret_cast<const char*>(digest), len));
}

std::string text(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) return "";
    if (it->is_string()) return core::trim(it->get<std::string>());
    if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
    return "";
}

std::optional<std::int64_t> number(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return std::nullopt;
    if (it->is_number_integer()) return it->get<std::int64_t>();
    const double d = it->get<double>();  // seconds as a float: kept when it is a plausible date
    if (!(d > -1e12 && d < 1e12)) return std::nullopt;
    return static_cast<std::int64_t>(d);
}

class CurlFetcher final : public Fetcher {
  public:
    Result<FetchReply> get(const std::string& url, const std::vector<std::string>& headers) override {
        return perform(url, nullptr, headers);
    }
    Result<FetchReply> post_form(const std::string& url, const std::string& body,
                                 const std::vector<std::string>& headers) override {
        return perform(url, &body, headers);
    }

  private:
    static std::size_t write(char* data, std::size_t size, std::size_t n, void* out) {
        static_cast<std::string*>(out)->append(data, size * n);
        return size * n;
    }
    Result<FetchReply> perform(const std::string& url, const std::string* body,
                               const std::vector<std::string>& headers) {
        CURL* curl = curl_easy_init();
        if (!curl) return Error::Unavailable("libcurl indisponible");
        FetchReply reply;
        curl_slist* list = nullptr;
        for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
        if (body) list = curl_slist_append(list, "Content-Type: application/x-www-form-urlencoded");
        list = curl_slist_append(list, "Accept: application/json, application/jwt");
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &CurlFetcher::write);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
        curl_easy_setopt(curl, CURLOPT_USERAGENT, "Passerelle (OpenID Connect)");
        if (body) {
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->c_str());
            curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
        }
        CURLcode rc = curl_easy_perform(curl);
        if (rc == CURLE_OK) {
            curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
            char* ct = nullptr;
            curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &ct);
            reply.content_type = ct ? ct : "";
        }
        curl_slist_free_all(list);
        curl_easy_cleanup(curl);
        if (rc != CURLE_OK) return Error::Unavailable(std::string(curl_easy_strerror(rc)));
        return reply;
    }
};

}  // namespace

std::unique_ptr<Fetcher> make_curl_fetcher() { return std::make_unique<CurlFetcher>(); }

Result<std::vector<OidcProvider>> parse_oidc_providers(const std::string& json_text) {
    json doc = json::parse(json_text, nullptr, false);
    if (doc.is_discarded() || !doc.is_array())
        return Error::Invalid("configuration OpenID Connect : une liste JSON attendue");
    std::vector<OidcProvider> out;
    for (const auto& p : doc) {
        if (!p.is_object()) return Error::Invalid("configuration OpenID Connect : chaque fournisseur est un objet");
        OidcProvider o{text(p, "id"),        text(p, "label"),         text(p, "discovery_url"),
                       text(p, "client_id"), text(p, "client_secret"), text(p, "scopes")};
        if (o.scopes.empty()) o.scopes = kDefaultScopes;
        if (o.id.empty() || o.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos ||
            o.discovery_url.empty() || o.client_id.empty())
            return Error::Invalid(
                "configuration OpenID Connect : id (minuscules, chiffres, tirets), discovery_url et "
                "client_id sont requis");
        if (o.label.empty()) o.label = o.id;
        out.push_back(std::move(o));
    }
    return out;
}

OidcService::OidcService(storage::Database& db, const core::Clock& clock, Fetcher& fetcher,
                         std::vector<OidcProvider> providers, std::string base_url)
    : db_(db), clock_(clock), fetcher_(fetcher), providers_(std::move(providers)), base_url_(std::move(base_url)) {}

const OidcProvider* OidcService::provider(const std::string& pid) const {
    for (const auto& p : providers_)
        if (p.id == pid) return &p;
    return nullptr;
}

std::string OidcService::redirect_uri(const std::string& provider_id) const {
    return base_url_ + "/connexion/oidc/" + provider_id + "/retour";
}

Result<OidcService::Discovered> OidcService::discovered(const OidcProvider& p, bool refresh_keys) {
    {
        std::lock_guard lock(mu_);
        auto it = cache_.find(p.id);
        // Metadata kept an hour; keys fetched again on demand (an unknown kid: the provider rotated them).
        if (it != cache_.end() && !refresh_keys && clock_.now() - it->second.fetched_at < 3600) return it->second;
    }
    Discovered d;
    auto r = fetcher_.get(p.discovery_url, {});
    if (!r) return r.error();
    json meta = json::parse(r->body, nullptr, false);
    if (r->status != 200 || !meta.is_object())
        return Error::Unavailable("document de découverte illisible (HTTP " + std::to_string(r->status) + ")");
    d.meta = {text(meta, "issuer"),         text(meta, "authorization_endpoint"),
              text(meta, "token_endpoint"), text(meta, "userinfo_endpoint"),
              text(meta, "jwks_uri"),       text(meta, "end_session_endpoint")};
    if (d.meta.issuer.empty() || d.meta.authorization_endpoint.empty() || d.meta.token_endpoint.empty() ||
        d.meta.jwks_uri.empty())
        return Error::Unavailable("document de découverte incomplet (issuer, endpoints, jwks_uri)");
    auto k = fetcher_.get(d.meta.jwks_uri, {});
    if (!k) return k.error();
    auto keys = jwt::parse_jwks(k->body);
    if (!keys) return Error::Unavailable(keys.error().message);
    d.keys = std::move(keys.value());
    d.fetched_at = clock_.now();
    std::lock_guard lock(mu_);
    cache_[p.id] = d;
    return d;
}

Result<std::string> OidcService::begin(const std::string& provider_id, const std::string& return_to,
                                       const std::string& session_hash) {
    if (session_hash.empty()) return Error::Invalid("Activez les cookies pour vous connecter.");
    const OidcProvider* p = provider(provider_id);
    if (!p) return Error::NotFound("Ce fournisseur d'identité n'est pas configuré.");
    auto d = discovered(*p, false);
    if (!d)
        return Error::Unavailable("Le fournisseur d'identité ne répond pas (" + d.error().message + "). Réessayez.");
    id::LoginRecord l;
    l.state = random_token(32);
    l.nonce = random_token(32);
    l.verifier = random_token(48);
    l.provider = p->id;
    l.session_hash = session_hash;
    l.return_to = return_to.rfind('/', 0) == 0 && return_to.rfind("//", 0) != 0 ? return_to : "";
    l.created_at = clock_.now();
    Status st = db_.transaction([&](storage::Connection& c) -> Status {
        if (auto s = id::purge_logins(c, l.created_at - oi::kLoginTtl); !s) return s;
        return id::insert_login(c, l);
    });
    if (!st) return st.error();
    return with_query(d->meta.authorization_endpoint, form({{"response_type", "code"},
                                                            {"client_id", p->client_id},
                                                            {"redirect_uri", redirect_uri(p->id)},
                                                            {"scope", p->scopes},
                                                            {"state", l.state},
                                                            {"nonce", l.nonce},
                                                            {"code_challenge", pkce_challenge(l.verifier)},
                                                            {"code_challenge_method", "S256"}}));
}

Result<jwt::Token> OidcService::verified(const OidcProvider& p, const std::string& compact, std::string* why) {
    auto t = jwt::decode(compact);
    if (!t) {
        *why = t.error().message;
        return t.error();
    }
    auto d = discovered(p, false);
    if (!d) return d.error();
    auto v = jwt::verify(*t, d->keys);
    if (v == jwt::Verification::kUnknownKey) {  // rotated keys: fetch them again, once
        d = discovered(p, true);
        if (!d) return d.error();
        v = jwt::verify(*t, d->keys);
    }
    switch (v) {
        case jwt::Verification::kValid:
            return t;
        case jwt::Verification::kRefusedAlgorithm:
            *why = "algorithme de signature refusé (" + t->header.value("alg", std::string("?")) + ")";
            break;
        case jwt::Verification::kUnknownKey:
            *why = "clé de signature inconnue du fournisseur";
            break;
        case jwt::Verification::kBadSignature:
            *why = "signature invalide";
            break;
    }
    return Error::Unauthenticated(*why);
}

Result<OidcLogin> OidcService::complete(const std::string& provider_id, const std::string& code,
                                        const std::string& state, const std::string& error,
                                        const std::string& error_description, const std::string& session_hash) {
    OidcLogin out;
    const OidcProvider* p = provider(provider_id);
    if (!p) return Error::NotFound("Ce fournisseur d'identité n'est pas configuré.");
    auto fail = [&](const std::string& why) -> Result<OidcLogin> {
        out.error = why;
        spdlog::warn("OpenID Connect login refused ({}): {}", p->id, why);
        return out;
    };
    std::optional<id::LoginRecord> login;
    if (!state.empty()) {
        auto taken = storage::fetch<std::optional<id::LoginRecord>>(
            db_, [&](storage::Connection& c) { return id::take_login(c, state); });
        if (!taken) return taken.error();
        login = taken.value();
    }
    if (!error.empty())
        return fail("Le fournisseur d'identité a refusé la connexion (" + error.substr(0, 100) +
                    (error_description.empty() ? "" : " : " + error_description.substr(0, 300)) + ").");
    if (!login || login->provider != p->id || code.empty())
        return fail("Cette connexion a expiré ou a déjà servi (paramètre state inconnu). Recommencez.");
    if (session_hash.empty() || !constant_time_equal(login->session_hash, session_hash))
        return fail("Cette connexion a été commencée dans un autre navigateur. Recommencez depuis cette page.");
    if (clock_.now() - login->created_at > oi::kLoginTtl) return fail("Cette connexion a expiré. Recommencez.");
    out.return_to = login->return_to;
    auto d = discovered(*p, false);
    if (!d) return fail("Le fournisseur d'identité ne répond pas (" + d.error().message + ").");

    // The code for the tokens (client_secret_post, with the PKCE verifier).
    auto tr = fetcher_.post_form(d->meta.token_endpoint,
                                 form({{"grant_type", "authorization_code"},
                                       {"code", code},
                                       {"redirect_uri", redirect_uri(p->id)},
                                       {"client_id", p->client_id},
                                       {"client_secret", p->client_secret},
                                       {"code_verifier", login->verifier}}),
                                 {});
    if (!tr) return fail("Le fournisseur d'identité ne répond pas (" + tr.error().message + ").");
    json tokens = json::parse(tr->body, nullptr, false);
    if (tr->status != 200 || !tokens.is_object() || text(tokens, "id_token").empty())
        return fail("Le fournisseur d'identité a refusé l'échange du code (HTTP " + std::to_string(tr->status) +
                    (tokens.is_object() && !text(tokens, "error").empty() ? ", " + text(tokens, "error") : "") + ").");
    out.id_token = text(tokens, "id_token");
    std::string why;
    auto idt = verified(*p, out.id_token, &why);
    if (!idt) return fail("Jeton d'identité refusé : " + (why.empty() ? idt.error().message : why) + ".");
    oi::IdTokenClaims ic;
    const json& pl = idt->payload;
    ic.iss = text(pl, "iss");
    ic.sub = text(pl, "sub");
    if (pl.contains("aud") && pl["aud"].is_array()) {
        for (const auto& a : pl["aud"])
            if (a.is_string()) ic.aud.push_back(a.get<std::string>());
    } else {
        ic.aud.push_back(text(pl, "aud"));
    }
    ic.azp = text(pl, "azp");
    ic.nonce = text(pl, "nonce");
    ic.exp = number(pl, "exp");
    ic.iat = number(pl, "iat");
    if (auto st = oi::check_id_token(ic, d->meta.issuer, p->client_id, login->nonce, clock_.now()); !st)
        return fail("Jeton d'identité refusé : " + st.error().message + ".");

    // Userinfo: plain JSON, or a JWT signed like the ID token (ProConnect).
    json info = pl;
    if (!d->meta.userinfo_endpoint.empty() && !text(tokens, "access_token").empty()) {
        auto ur = fetcher_.get(d->meta.userinfo_endpoint, {"Authorization: Bearer " + text(tokens, "access_token")});
        if (!ur || ur->status != 200)
            return fail("Le fournisseur d'identité n'a pas donné les informations de la personne (userinfo).");
        if (ur->content_type.rfind("application/jwt", 0) == 0) {
            auto ut = verified(*p, core::trim(ur->body), &why);
            if (!ut) return fail("Informations de la personne refusées : " + why + ".");
            info = ut->payload;
            if (!text(info, "iss").empty() && text(info, "iss") != d->meta.issuer)
                return fail("Informations de la personne refusées : émetteur inattendu.");
        } else {
            info = json::parse(ur->body, nullptr, false);
            if (!info.is_object()) return fail("Informations de la personne illisibles (userinfo).");
        }
        if (text(info, "sub") != ic.sub) return fail("Informations d'une autre personne que celle du jeton (sub).");
    }
    auto& cl = out.claims;
    cl.sub = ic.sub;
    cl.email = core::normalize_email(text(info, "email")).value_or("");
    cl.given_name = text(info, "given_name");
    cl.usual_name = text(info, "usual_name");
    cl.uid = text(info, "uid");
    cl.siret = core::strip_identifier(text(info, "siret"));
    cl.organization_label = text(info, "organization_label");
    if (auto r = info.find("roles"); r != info.end()) {
        if (r->is_array()) {
            for (const auto& x : *r)
                if (x.is_string()) cl.roles.push_back(x.get<std::string>());
        } else if (r->is_string()) {
            cl.roles.push_back(r->get<std::string>());
        }
    }
    return attach(*p, d->meta.issuer, std::move(out));
}

Result<OidcLogin> OidcService::attach(const OidcProvider& p, const std::string& issuer, OidcLogin login) {
    const auto& cl = login.claims;
    const std::int64_t now = clock_.now();
    if (cl.email.empty()) {
        login.refusal = oi::Refusal::kNoEmail;
        return login;
    }
    if (cl.siret.empty()) {
        login.refusal = oi::Refusal::kNoSiret;
        return login;
    }
    if (!core::is_valid_siret(cl.siret)) {
        login.refusal = oi::Refusal::kInvalidSiret;
        return login;
    }
    Status st = db_.transaction([&](storage::Connection& c) -> Status {
        auto org = storage::orgs::find_org_by_siret(c, cl.siret);
        if (!org) return org.error();
        if (org.value() && org.value()->kind != "buyer") {
            login.refusal = oi::Refusal::kNotABuyer;
            return {};
        }
        if (!org.value()) {
            id::OrgRequest r;
            r.siret = cl.siret;
            r.organisation_label = cl.organization_label;
            r.email = cl.email;
            r.display_name = oi::display_name(cl);
            r.issuer = issuer;
            r.subject = cl.sub;
            r.created_at = now;
            auto q = id::queue_org_request(c, r);
            if (!q) return q.error();
            login.refusal = oi::Refusal::kUnknownOrganisation;
            return {};
        }
        const auto& o = *org.value();
        auto user = id::user_of(c, issuer, cl.sub);
        if (!user) return user.error();
        std::int64_t user_id = 0;
        if (user.value()) {
            user_id = *user.value();
            auto u = storage::accounts::find_user(c, user_id);
            if (!u) return u.error();
            if (u.value() && u.value()->suspended_at) {
                login.refusal = oi::Refusal::kSuspended;
                return {};
            }
            if (auto s = id::touch(c, issuer, cl.sub, cl.uid, now); !s) return s;
        } else {
            auto taken = storage::accounts::find_user_by_email(c, cl.email);
            if (!taken) return taken.error();
            if (taken.value()) {
                login.refusal = oi::Refusal::kEmailTaken;
                return {};
            }
            auto created = storage::accounts::create_user(c, cl.email, oi::display_name(cl), std::nullopt, now);
            if (!created) return created.error();
            user_id = created.value();
            if (auto s = storage::accounts::mark_email_verified(c, user_id, now); !s) return s;
            if (auto s = id::link(c, issuer, cl.sub, user_id, p.id, cl.uid, now); !s) return s;
        }
        auto ms = storage::orgs::memberships_of_user(c, user_id);
        if (!ms) return ms.error();
        bool active = false;
        for (const auto& m : ms.value()) active = active || (m.org_id == o.id && m.status == "active");
        if (!active) {
            // The first agent of a profile known from open data becomes its administrator; others join it.
            const bool claim = !o.claimed;
            if (auto s = storage::orgs::upsert_membership(c, o.id, user_id, claim ? "admin" : "member", "active",
                                                          "Rattachement par " + p.label, now);
                !s)
                return s;
            if (claim)
                if (auto s = storage::orgs::set_claimed(c, o.id, true, now); !s) return s;
            login.joined.push_back(o.name);
        }
        // An agent whose shared identity carries this SIRET vouches for an organisation declared by a person and
        // still waiting to be vetted (not for one an administrator refused or suspended).
        if (o.vetting == "pending")
            if (auto s = storage::orgs::set_vetting(
                    c, o.id, "verified", "Vérifiée par la connexion d'un agent (" + p.label + ")", user_id, now);
                !s)
                return s;
        if (auto s = id::set_elected(c, o.id, user_id, oi::is_elected(cl)); !s) return s;
        login.user_id = user_id;
        return {};
    });
    if (!st) return st.error();
    return login;
}

std::string OidcService::logout_url(const std::string& provider_id, const std::string& id_token,
                                    const std::string& post_logout_redirect_uri) {
    const OidcProvider* p = provider(provider_id);
    if (!p) return "";
    auto d = discovered(*p, false);
    if (!d || d->meta.end_session_endpoint.empty()) return "";
    return with_query(d->meta.end_session_endpoint, form({{"id_token_hint", id_token},
                                                          {"client_id", p->client_id},
                                                          {"post_logout_redirect_uri", post_logout_redirect_uri},
                                                          {"state", random_token(16)}}));
}

Status OidcService::remember_session(const std::string& token_hash, const std::string& provider_id,
                                     const std::string& id_token) {
    return db_.with_connection(
        [&](storage::Connection& c) { return id::set_session_provider(c, token_hash, provider_id, id_token); });
}

Result<std::optional<id::SessionProvider>> OidcService::session_provider(const std::string& token_hash) {
    return storage::fetch<std::optional<id::SessionProvider>>(
        db_, [&](storage::Connection& c) { return id::session_provider(c, token_hash); });
}

Result<std::vector<OidcService::ProviderStatus>> OidcService::provider_status(const core::Actor& actor) {
    if (!core::allowed(actor, core::Action::kAdminister))
        return Error::Forbidden("Réservé aux administrateurs de la plateforme.");
    std::vector<ProviderStatus> out;
    for (const auto& p : providers_) {
        ProviderStatus s;
        s.provider = p;
        s.provider.client_secret.clear();  // never shown
        s.redirect_uri = redirect_uri(p.id);
        s.post_logout_uri = post_logout_uri();
        auto d = discovered(p, false);
        if (d) {
            s.issuer = d->meta.issuer;
            s.logout = !d->meta.end_session_endpoint.empty();
        } else {
            s.problem = d.error().message;
        }
        auto use =
            storage::fetch<id::ProviderUse>(db_, [&](storage::Connection& c) { return id::use_of_provider(c, p.id); });
        if (!use) return use.error();
        s.use = use.value();
        out.push_back(std::move(s));
    }
    return out;
}

Result<std::vector<id::OrgRequest>> OidcService::pending_requests(const core::Actor& actor) {
    if (!core::allowed(actor, core::Action::kAdminister))
        return Error::Forbidden("Réservé aux administrateurs de la plateforme.");
    return storage::fetch<std::vector<id::OrgRequest>>(
        db_, [](storage::Connection& c) { return id::pending_org_requests(c); });
}

Result<std::string> OidcService::decide_request(const core::Actor& actor, std::int64_t rid, bool create) {
    if (!core::allowed(actor, core::Action::kAdminister))
        return Error::Forbidden("Réservé aux administrateurs de la plateforme.");
    std::string name;
    Status st = db_.transaction([&](storage::Connection& c) -> Status {
        auto r = id::find_org_request(c, rid);
        if (!r) return r.error();
        if (!r.value() || r.value()->status != "pending")
            return Error::NotFound("Cette demande n'attend plus de décision.");
        const auto& req = *r.value();
        const std::int64_t now = clock_.now();
        std::optional<std::int64_t> org_id;
        name = req.organisation_label.empty() ? "Organisation " + req.siret : req.organisation_label;
        if (create) {
            auto existing = storage::orgs::find_org_by_siret(c, req.siret);
            if (!existing) return existing.error();
            if (existing.value()) {
                org_id = existing.value()->id;
            } else {
                // Unclaimed: its first agent to log in becomes its administrator.
                auto made = storage::orgs::insert_org(c, unclaimed_profile("buyer", req.siret, name), now);
                if (!made) return made.error();
                org_id = made.value();
            }
        }
        auto done = id::decide_org_request(c, rid, create ? "created" : "declined", *actor.user_id, now, org_id);
        if (!done) return done.error();
        const std::string body =
            create ? "Bonjour,\n\nVotre organisation « " + name + " » (SIRET " + req.siret +
                         ") est maintenant sur Passerelle. Reconnectez-vous avec votre identité d'agent public : "
                         "vous y serez rattaché(e).\n\n" +
                         base_url_ + "/connexion\n\nL'équipe Passerelle\n"
                   : "Bonjour,\n\nVotre organisation (SIRET " + req.siret +
                         ") n'a pas été ajoutée à Passerelle. Pour toute question, répondez à ce message.\n\n"
                         "L'équipe Passerelle\n";
        return storage::to_status(storage::outbox::enqueue(
            c, req.email, create ? "Votre organisation est sur Passerelle" : "Votre organisation sur Passerelle", body,
            now));
    });
    if (!st) return st.error();
    return name;
}

}  // namespace passerelle::app
