// OpenID Connect, the relying party's rules (pure): the checks of an ID token's claims (OpenID Connect
// Core 1.0 § 3.1.3.7), the claims ProConnect sends about a public agent, and what the login leads to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace passerelle::core::oidc {

struct IdTokenClaims {
    std::string iss;
    std::string sub;
    std::vector<std::string> aud;
    std::string azp;
    std::string nonce;
    std::optional<std::int64_t> exp;
    std::optional<std::int64_t> iat;
};

// Issuer exactly as discovered, audience containing the client (and azp naming it when there are several
// audiences), not expired, not issued in the future, and the nonce of this login; `leeway` seconds of clock
// difference allowed. The error says which check failed (French).
Status check_id_token(const IdTokenClaims& c, const std::string& issuer, const std::string& client_id,
                      const std::string& nonce, std::int64_t now, std::int64_t leeway = 120);

// What ProConnect sends about an agent (scopes openid email given_name usual_name uid siret
// organization_label, and roles where the identity provider knows them).
struct AgentClaims {
    std::string sub;
    std::string email;
    std::string given_name;
    std::string usual_name;
    std::string uid;
    std::string siret;
    std::string organization_label;
    std::vector<std::string> roles;
};

// « Aïcha Benali », or the e-mail when the provider sent no name.
std::string display_name(const AgentClaims& c);
// The agent holds an elected official's mandate ("elu", "élu", "elected" among the roles, any case).
bool is_elected(const AgentClaims& c);

// A login ends with the agent's account, or is refused with a reason and what to do.
enum class Refusal {
    kNone,
    kNoEmail,              // the provider sent no usable e-mail
    kNoSiret,              // no SIRET: the agent is not attached to an organisation
    kInvalidSiret,         // a SIRET that fails its check digit
    kNotABuyer,            // the SIRET is a company's on the platform
    kUnknownOrganisation,  // queued for an administrator
    kEmailTaken,           // a local account already uses the e-mail (accounts are matched by issuer and subject)
    kSuspended,            // the account is suspended by a moderator
};
// The French sentences of the refusal page: why, then what to do.
std::string refusal_reason(Refusal r);
std::string refusal_advice(Refusal r);

// Random values of the authorisation request must be at least this long (state, nonce, PKCE verifier).
inline constexpr std::size_t kMinRandomLength = 43;
// A login in progress expires after this many seconds.
inline constexpr std::int64_t kLoginTtl = 600;

}  // namespace passerelle::core::oidc
