// What an identity provider sends: ID tokens and signed userinfo (compact JWS) and its key set (JWKS). The
// input is read both as a token, verified against a fixed RSA and EC key set, and as a JWKS document. A
// token never verifies without a signature made by one of the keys.
#include <cstdint>
#include <string>

#include "app/crypto.hpp"
#include "app/jwt.hpp"
#include "fuzz/fuzz_check.hpp"

using namespace passerelle::app;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::vector<jwt::Jwk> keys =
        jwt::parse_jwks(
            R"({"keys":[{"kty":"RSA","kid":"r","alg":"RS256","e":"AQAB","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw"},{"kty":"EC","kid":"e","alg":"ES256","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]})")
            .value();
    std::string in(reinterpret_cast<const char*>(data), size);
    if (auto t = jwt::decode(in)) FUZZ_CHECK(jwt::verify(*t, keys) != jwt::Verification::kValid);
    if (auto k = jwt::parse_jwks(in))
        for (const auto& key : *k) FUZZ_CHECK(key.kty == "RSA" || key.kty == "EC");
    bool ok = false;
    std::string raw = base64url_decode(in, &ok);
    if (ok) FUZZ_CHECK(base64url_decode(base64url(raw)) == raw);
    return 0;
}
