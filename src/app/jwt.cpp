#include "app/jwt.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <array>
#include <cstdint>
#include <memory>

#include "app/crypto.hpp"

namespace passerelle::app::jwt {

using core::Error;
using core::Result;
using nlohmann::json;

Result<std::vector<Jwk>> parse_jwks(std::string_view json_text) {
    json doc = json::parse(json_text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array())
        return Error::Invalid("jeu de clés (JWKS) illisible");
    std::vector<Jwk> keys;
    auto text = [](const json& k, const char* name) {
        auto it = k.find(name);
        return it != k.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    for (const auto& k : doc["keys"]) {
        if (!k.is_object()) continue;
        Jwk j{text(k, "kid"), text(k, "kty"), text(k, "alg"), text(k, "use"), text(k, "n"),
              text(k, "e"),   text(k, "crv"), text(k, "x"),   text(k, "y")};
        if (j.use == "enc") continue;
        if ((j.kty == "RSA" && !j.n.empty() && !j.e.empty()) ||
            (j.kty == "EC" && j.crv == "P-256" && !j.x.empty() && !j.y.empty()))
            keys.push_back(std::move(j));
    }
    return keys;
}

Result<Token> decode(std::string_view compact) {
    auto d1 = compact.find('.');
    auto d2 = d1 == std::string_view::npos ? d1 : compact.find('.', d1 + 1);
    if (d2 == std::string_view::npos || compact.find('.', d2 + 1) != std::string_view::npos)
        return Error::Invalid("jeton JWT mal formé (trois parties attendues)");
    bool ok1 = false, ok2 = false, ok3 = false;
    std::string header = base64url_decode(compact.substr(0, d1), &ok1);
    std::string payload = base64url_decode(compact.substr(d1 + 1, d2 - d1 - 1), &ok2);
    Token t;
    t.signature = base64url_decode(compact.substr(d2 + 1), &ok3);
    if (!ok1 || !ok2 || !ok3) return Error::Invalid("jeton JWT mal encodé (base64url)");
    t.header = json::parse(header, nullptr, false);
    t.payload = json::parse(payload, nullptr, false);
    if (!t.header.is_object() || !t.payload.is_object()) return Error::Invalid("jeton JWT illisible (JSON)");
    t.signing_input = std::string(compact.substr(0, d2));
    return t;
}

namespace {

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

BIGNUM* bn(const std::string& b64) {
    bool ok = false;
    std::string raw = base64url_decode(b64, &ok);
    if (!ok || raw.empty()) return nullptr;
    return BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(raw.size()), nullptr);
}

Pkey key_from(const Jwk& k) {
    OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
    if (!bld) return nullptr;
    BIGNUM *n = nullptr, *e = nullptr;
    std::string point;
    bool ok = true;
    const char* type = nullptr;
    if (k.kty == "RSA") {
        type = "RSA";
        n = bn(k.n);
        e = bn(k.e);
        ok = n && e && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
             OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e);
    } else {
        type = "EC";
        bool okx = false, oky = false;
        std::string x = base64url_decode(k.x, &okx), y = base64url_decode(k.y, &oky);
        ok = okx && oky && x.size() == 32 && y.size() == 32;
        point = std::string(1, '\x04') + x + y;  // uncompressed point
        ok = ok && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
             OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
    }
    OSSL_PARAM* params = ok ? OSSL_PARAM_BLD_to_param(bld) : nullptr;
    EVP_PKEY* pkey = nullptr;
    if (params) {
        EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
        if (ctx && EVP_PKEY_fromdata_init(ctx) > 0) EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
        EVP_PKEY_CTX_free(ctx);
    }
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    return Pkey(pkey);
}

// JWS ES256 signatures are r || s (32 bytes each); OpenSSL verifies DER.
std::string ecdsa_der(const std::string& raw) {
    if (raw.size() != 64) return {};
    ECDSA_SIG* sig = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
    BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
    std::string der;
    if (sig && r && s && ECDSA_SIG_set0(sig, r, s) == 1) {
        r = s = nullptr;  // owned by sig
        int len = i2d_ECDSA_SIG(sig, nullptr);
        if (len > 0) {
            der.resize(static_cast<std::size_t>(len));
            auto* p = reinterpret_cast<unsigned char*>(der.data());
            i2d_ECDSA_SIG(sig, &p);
        }
    }
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return der;
}

bool verify_with(EVP_PKEY* key, const std::string& input, const std::string& signature) {
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    bool ok = md && EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key) == 1 &&
              EVP_DigestVerify(md, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                               reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    EVP_MD_CTX_free(md);
    return ok;
}

}  // namespace

Verification verify(const Token& t, const std::vector<Jwk>& keys) {
    const std::string alg = t.header.value("alg", "");
    const std::string kty = alg == "RS256" ? "RSA" : alg == "ES256" ? "EC" : "";
    if (kty.empty()) return Verification::kRefusedAlgorithm;
    const std::string kid =
        t.header.contains("kid") && t.header["kid"].is_string() ? t.header["kid"].get<std::string>() : "";
    // The key named by kid; without a kid, every key of the algorithm's type is tried.
    std::vector<const Jwk*> candidates;
    for (const auto& k : keys)
        if (k.kty == kty && (k.alg.empty() || k.alg == alg) && (kid.empty() || k.kid == kid)) candidates.push_back(&k);
    if (candidates.empty()) return Verification::kUnknownKey;
    const std::string sig = alg == "ES256" ? ecdsa_der(t.signature) : t.signature;
    if (sig.empty()) return Verification::kBadSignature;
    for (const Jwk* k : candidates) {
        Pkey key = key_from(*k);
        if (key && verify_with(key.get(), t.signing_input, sig)) return Verification::kValid;
    }
    return Verification::kBadSignature;
}

}  // namespace passerelle::app::jwt
