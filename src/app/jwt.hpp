// JSON Web Tokens as OpenID providers sign them (ID tokens, signed userinfo): compact JWS decoding and
// signature verification with OpenSSL against the provider's JSON Web Key Set. Only RS256 and ES256 are
// accepted; "none", HMAC and anything else are refused, and the key is chosen by `kid` (or, without one,
// by the algorithm's key type). No claim is trusted before verify() succeeds.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace passerelle::app::jwt {

struct Jwk {
    std::string kid;
    std::string kty;        // "RSA" or "EC"
    std::string alg;        // optional
    std::string use;        // optional; "enc" keys are skipped
    std::string n, e;       // RSA, base64url
    std::string crv, x, y;  // EC P-256, base64url
};

// The keys of a JWKS document (unsupported kinds are skipped).
core::Result<std::vector<Jwk>> parse_jwks(std::string_view json_text);

struct Token {
    nlohmann::json header;
    nlohmann::json payload;
    std::string signing_input;  // base64url(header) "." base64url(payload)
    std::string signature;      // raw bytes
};

// Splits and decodes a compact JWS (three base64url parts, JSON header and payload). Not verified.
core::Result<Token> decode(std::string_view compact);

enum class Verification { kValid, kBadSignature, kUnknownKey, kRefusedAlgorithm };
// Checks the token's signature with the key its header designates.
Verification verify(const Token& t, const std::vector<Jwk>& keys);

}  // namespace passerelle::app::jwt
