// OidcService: public agents log in with a shared identity (OpenID Connect relying party, ProConnect-style).
//
// Authorisation code flow with PKCE (S256), `state` and `nonce` (43 random characters each, single use,
// ten minutes), the exact redirect URI; the ID token's signature checked against the provider's JWKS
// (RS256 or ES256, the key chosen by `kid`; an unknown kid fetches the JWKS again once: key rotation), then
// issuer, audience, expiry and nonce; userinfo fetched (plain JSON or a signed JWT, checked the same way).
// The account is found by (issuer, subject), never by e-mail; a new agent gets an account without password.
// The `siret` claim attaches the agent to the buyer organisation with that SIRET (a profile known from open
// data is claimed by its first agent, who becomes its administrator); an unknown SIRET is queued for an
// administrator and the login refused with its reason. The `roles` claim may carry an elected official's
// mandate. Logout ends the local session and sends the browser to the provider's end_session_endpoint with
// id_token_hint.
//
// Discovery, JWKS, token and userinfo requests go through an injected Fetcher (libcurl in production).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/jwt.hpp"
#include "core/clock.hpp"
#include "core/oidc.hpp"
#include "core/policy.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/identity_store.hpp"

namespace passerelle::app {

struct FetchReply {
    long status = 0;
    std::string content_type;
    std::string body;
};

// Outgoing HTTP for the relying party.
class Fetcher {
  public:
    virtual ~Fetcher() = default;
    virtual core::Result<FetchReply> get(const std::string& url, const std::vector<std::string>& headers) = 0;
    virtual core::Result<FetchReply> post_form(const std::string& url, const std::string& body,
                                               const std::vector<std::string>& headers) = 0;
};
// libcurl, http(s) only, 10-second timeouts, redirects not followed.
std::unique_ptr<Fetcher> make_curl_fetcher();

struct OidcProvider {
    std::string id;     // in URLs: /connexion/oidc/{id}
    std::string label;  // on the button: « ProConnect »
    std::string discovery_url;
    std::string client_id;
    std::string client_secret;
    std::string scopes;  // default: openid email given_name usual_name uid siret organization_label
};
// The providers of a JSON configuration file: [{"id", "label", "discovery_url", "client_id", "client_secret",
// "scopes"}] (scopes optional).
core::Result<std::vector<OidcProvider>> parse_oidc_providers(const std::string& json_text);

struct OidcLogin {
    std::optional<std::int64_t> user_id;  // set when the login succeeded
    std::string id_token;                 // kept with the session for the logout
    std::string return_to;
    std::vector<std::string> joined;  // organisations the agent was attached to by this login
    // When refused: why, what to do, and what the provider sent.
    core::oidc::Refusal refusal = core::oidc::Refusal::kNone;
    std::string error;  // a protocol or provider failure (French), when not a refusal
    core::oidc::AgentClaims claims;
};

struct OidcMetadata {
    std::string issuer;
    std::string authorization_endpoint;
    std::string token_endpoint;
    std::string userinfo_endpoint;
    std::string jwks_uri;
    std::string end_session_endpoint;
};

class OidcService {
  public:
    OidcService(storage::Database& db, const core::Clock& clock, Fetcher& fetcher, std::vector<OidcProvider> providers,
                std::string base_url);

    const std::vector<OidcProvider>& providers() const { return providers_; }
    const OidcProvider* provider(const std::string& id) const;
    std::string redirect_uri(const std::string& provider_id) const;
    // Where providers send the browser back after their logout.
    std::string post_logout_uri() const { return base_url_ + "/connexion?deconnexion=1"; }

    // The provider's authorisation URL for a new login (state, nonce and verifier stored), bound to the
    // browser session `session_hash` (the hash of its session token).
    core::Result<std::string> begin(const std::string& provider_id, const std::string& return_to,
                                    const std::string& session_hash);
    // The browser is back with `code` and `state`, or with `error`; it must be the session that began the
    // login (login CSRF). A failure of the protocol or of the provider is reported in OidcLogin::error;
    // Result errors are the database's.
    core::Result<OidcLogin> complete(const std::string& provider_id, const std::string& code, const std::string& state,
                                     const std::string& error, const std::string& error_description,
                                     const std::string& session_hash);
    // Where to send the browser after the local logout (empty when the provider has no end_session_endpoint).
    std::string logout_url(const std::string& provider_id, const std::string& id_token,
                           const std::string& post_logout_redirect_uri);

    // The provider and ID token kept with a session, for the logout at the provider.
    core::Status remember_session(const std::string& token_hash, const std::string& provider_id,
                                  const std::string& id_token);
    core::Result<std::optional<storage::identities::SessionProvider>> session_provider(const std::string& token_hash);

    // Administrators: each provider with what to register at it, whether its discovery answers now, and its use.
    struct ProviderStatus {
        OidcProvider provider;
        std::string redirect_uri;
        std::string post_logout_uri;
        std::string issuer;   // as discovered
        std::string problem;  // why the discovery failed, empty when it answered
        bool logout = false;  // the provider has an end_session_endpoint
        storage::identities::ProviderUse use;
    };
    core::Result<std::vector<ProviderStatus>> provider_status(const core::Actor& actor);

    // Administrators: agents' organisations waiting to be created.
    core::Result<std::vector<storage::identities::OrgRequest>> pending_requests(const core::Actor& actor);
    // Creates the buyer organisation (name from the provider's label) and tells the agent, or declines.
    core::Result<std::string> decide_request(const core::Actor& actor, std::int64_t id, bool create);

  private:
    struct Discovered {
        OidcMetadata meta;
        std::vector<jwt::Jwk> keys;
        std::int64_t fetched_at = 0;
    };
    core::Result<Discovered> discovered(const OidcProvider& p, bool refresh_keys);
    core::Result<jwt::Token> verified(const OidcProvider& p, const std::string& compact, std::string* why);
    core::Result<OidcLogin> attach(const OidcProvider& p, const std::string& issuer, OidcLogin login);

    storage::Database& db_;
    const core::Clock& clock_;
    Fetcher& fetcher_;
    std::vector<OidcProvider> providers_;
    std::string base_url_;
    std::mutex mu_;
    std::map<std::string, Discovered> cache_;
};

}  // namespace passerelle::app
