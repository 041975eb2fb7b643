#include "app/oidc.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "app/crypto.hpp"
#include "app/service_fixture.hpp"
#include "storage/org_store.hpp"

namespace passerelle::app {
namespace {

using nlohmann::json;

// A signing key of the test provider, with its public JWK.
struct TestKey {
    EVP_PKEY* pkey = nullptr;
    std::string alg, kid;
    ~TestKey() { EVP_PKEY_free(pkey); }
    static std::string bn64(const BIGNUM* b, int width = 0) {
        std::string raw(static_cast<std::size_t>(width ? width : BN_num_bytes(b)), '\0');
        BN_bn2binpad(b, reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(raw.size()));
        return base64url(raw);
    }
    json jwk() const {
        if (alg == "RS256") {
            BIGNUM *n = nullptr, *e = nullptr;
            EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n);
            EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e);
            json j = {{"kty", "RSA"}, {"kid", kid}, {"alg", alg}, {"use", "sig"}, {"n", bn64(n)}, {"e", bn64(e)}};
            BN_free(n);
            BN_free(e);
            return j;
        }
        unsigned char point[65];
        std::size_t len = 0;
        EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len);
        std::string p(reinterpret_cast<char*>(point), len);
        return {{"kty", "EC"},
                {"kid", kid},
                {"alg", alg},
                {"crv", "P-256"},
                {"x", base64url(p.substr(1, 32))},
                {"y", base64url(p.substr(33, 32))}};
    }
    std::string sign(const json& payload, const json& extra_header = json::object()) const {
        json header = {{"alg", alg}, {"kid", kid}, {"typ", "JWT"}};
        header.update(extra_header);
        std::string input = base64url(header.dump()) + "." + base64url(payload.dump());
        EVP_MD_CTX* md = EVP_MD_CTX_new();
        EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, pkey);
        std::size_t len = 0;
        EVP_DigestSign(md, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size());
        std::string sig(len, '\0');
        EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size());
        sig.resize(len);
        EVP_MD_CTX_free(md);
        if (alg == "ES256") {  // DER -> r || s
            const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
            ECDSA_SIG* s = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
            sig = base64url_decode(bn64(ECDSA_SIG_get0_r(s), 32)) + base64url_decode(bn64(ECDSA_SIG_get0_s(s), 32));
            ECDSA_SIG_free(s);
        }
        return input + "." + base64url(sig);
    }
};

std::unique_ptr<TestKey> make_key(const std::string& alg, const std::string& kid) {
    auto k = std::make_unique<TestKey>();
    k->alg = alg;
    k->kid = kid;
    k->pkey = alg == "RS256" ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
    return k;
}

std::string query_value(const std::string& url, const std::string& name) {
    auto at = url.find("&" + name + "=");
    if (at == std::string::npos) at = url.find("?" + name + "=");
    if (at == std::string::npos) return "";
    at += name.size() + 2;
    std::string v = url.substr(at, url.find('&', at) - at);
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i)
        if (v[i] == '%' && i + 2 < v.size()) {
            out += static_cast<char>(std::stoi(v.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += v[i];
        }
    return out;
}

// The provider, in memory: discovery, JWKS, token and userinfo endpoints.
class FakeProvider : public Fetcher {
  public:
    std::string issuer = "https://idp.test";
    std::vector<const TestKey*> published;
    const TestKey* signer = nullptr;
    json userinfo;  // claims
    bool signed_userinfo = false;
    std::string userinfo_sub_override;
    std::string expected_challenge, nonce;
    std::vector<std::string> requests;
    int jwks_fetches = 0;

    Result<FetchReply> get(const std::string& url, const std::vector<std::string>& headers) override {
        requests.push_back("GET " + url);
        if (url == issuer + "/.well-known/openid-configuration")
            return FetchReply{200, "application/json",
                              json({{"issuer", issuer},
                                    {"authorization_endpoint", issuer + "/authorize"},
                                    {"token_endpoint", issuer + "/token"},
                                    {"userinfo_endpoint", issuer + "/userinfo"},
                                    {"jwks_uri", issuer + "/jwks"},
                                    {"end_session_endpoint", issuer + "/session/end"}})
                                  .dump()};
        if (url == issuer + "/jwks") {
            ++jwks_fetches;
            json keys = json::array();
            for (auto* k : published) keys.push_back(k->jwk());
            return FetchReply{200, "application/json", json({{"keys", keys}}).dump()};
        }
        if (url == issuer + "/userinfo") {
            if (headers.empty() || headers[0] != "Authorization: Bearer access-1") return FetchReply{401, "", ""};
            json u = userinfo;
            u["sub"] = userinfo_sub_override.empty() ? "agent-93" : userinfo_sub_override;
            if (signed_userinfo) {
                u["iss"] = issuer;
                u["aud"] = "passerelle";
                return FetchReply{200, "application/jwt", signer->sign(u)};
            }
            return FetchReply{200, "application/json", u.dump()};
        }
        return FetchReply{404, "", ""};
    }
    Result<FetchReply> post_form(const std::string& url, const std::string& body,
                                 const std::vector<std::string>&) override {
        requests.push_back("POST " + url + " " + body);
        if (url != issuer + "/token") return FetchReply{404, "", ""};
        std::string q = "?" + body;
        // PKCE: the verifier sent now hashes to the challenge of the authorisation request.
        std::string verifier = query_value(q, "code_verifier");
        unsigned char d[32];
        unsigned int n = 0;
        EVP_Digest(verifier.data(), verifier.size(), d, &n, EVP_sha256(), nullptr);
        if (base64url(std::string(reinterpret_cast<char*>(d), n)) != expected_challenge ||
            query_value(q, "code") != "code-1" || query_value(q, "client_secret") != "secret")
            return FetchReply{400, "application/json", R"({"error":"invalid_grant"})"};
        json claims = {{"iss", issuer},        {"sub", "agent-93"},    {"aud", "passerelle"}, {"nonce", nonce},
                       {"iat", 1'800'000'000}, {"exp", 1'800'000'600}, {"email", "ignored"}};
        return FetchReply{
            200, "application/json",
            json({{"access_token", "access-1"}, {"token_type", "Bearer"}, {"id_token", signer->sign(claims)}}).dump()};
    }
};

class OidcTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        rsa_ = make_key("RS256", "rsa-1");
        ec_ = make_key("ES256", "ec-1");
        idp_.published = {rsa_.get(), ec_.get()};
        idp_.signer = ec_.get();
        idp_.userinfo = {{"email", "A.Benali@SeineSaintDenis.example"},
                         {"given_name", "Aïcha"},
                         {"usual_name", "Benali"},
                         {"uid", "93-001"},
                         {"siret", "22930008201453"},
                         {"organization_label", "Département de la Seine-Saint-Denis"}};
        oidc_ = std::make_unique<OidcService>(
            *db_, clock_, idp_,
            std::vector<OidcProvider>{{"proconnect", "ProConnect", idp_.issuer + "/.well-known/openid-configuration",
                                       "passerelle", "secret", "openid email siret"}},
            "https://passerelle.test");
        admin_ = signup("admin@passerelle.test");
        buyer_ = make_buyer(admin_);  // Ville de Paris, 21750001600019, claimed
    }
    // begin() then complete() as the browser would, the provider answering with `code`.
    Result<OidcLogin> login(const std::string& code = "code-1") {
        auto url = oidc_->begin("proconnect", "/mon-espace/clauses", "session-a");
        EXPECT_TRUE(url.ok());
        last_url_ = url.value();
        idp_.nonce = query_value(url.value(), "nonce");
        idp_.expected_challenge = query_value(url.value(), "code_challenge");
        return oidc_->complete("proconnect", code, query_value(url.value(), "state"), "", "", "session-a");
    }
    std::int64_t users() { return count("users"); }

    FakeProvider idp_;
    std::unique_ptr<TestKey> rsa_, ec_;
    std::unique_ptr<OidcService> oidc_;
    std::string last_url_;
    std::int64_t admin_ = 0, buyer_ = 0;
};

TEST(Jwt, VerifiesRs256AndEs256AndRefusesEverythingElse) {
    auto rsa = make_key("RS256", "r"), ec = make_key("ES256", "e");
    std::vector<jwt::Jwk> keys = jwt::parse_jwks(json({{"keys", {rsa->jwk(), ec->jwk()}}}).dump()).value();
    ASSERT_EQ(keys.size(), 2u);
    for (auto* k : {rsa.get(), ec.get()}) {
        auto t = jwt::decode(k->sign({{"sub", "x"}}));
        ASSERT_TRUE(t.ok());
        EXPECT_EQ(jwt::verify(*t, keys), jwt::Verification::kValid) << k->alg;
        auto forged = *t;
        forged.signing_input[forged.signing_input.size() - 2] ^= 1;  // one bit of the payload
        EXPECT_EQ(jwt::verify(forged, keys), jwt::Verification::kBadSignature) << k->alg;
    }
    // alg "none", HMAC with the public key as secret, an unknown kid, a key of the wrong type.
    std::string body = base64url(R"({"sub":"x"})");
    EXPECT_EQ(jwt::verify(jwt::decode(base64url(R"({"alg":"none"})") + "." + body + ".").value(), keys),
              jwt::Verification::kRefusedAlgorithm);
    EXPECT_EQ(jwt::verify(jwt::decode(base64url(R"({"alg":"HS256","kid":"r"})") + "." + body + ".c2ln").value(), keys),
              jwt::Verification::kRefusedAlgorithm);
    EXPECT_EQ(jwt::verify(jwt::decode(rsa->sign({{"sub", "x"}}, {{"kid", "other"}})).value(), keys),
              jwt::Verification::kUnknownKey);
    EXPECT_EQ(jwt::verify(jwt::decode(rsa->sign({{"sub", "x"}}, {{"alg", "ES256"}})).value(), keys),
              jwt::Verification::kUnknownKey);
    EXPECT_FALSE(jwt::decode("a.b").ok());
    EXPECT_FALSE(jwt::decode("!!.e30.e30").ok());
    EXPECT_FALSE(jwt::parse_jwks("{}").ok());
}

TEST_F(OidcTest, TheAuthorisationRequestCarriesStateNoncePkceAndTheExactRedirect) {
    auto url = oidc_->begin("proconnect", "https://evil.example/", "session-a");
    ASSERT_TRUE(url.ok());
    EXPECT_EQ(url->rfind(idp_.issuer + "/authorize?response_type=code&client_id=passerelle", 0), 0u);
    EXPECT_EQ(query_value(*url, "redirect_uri"), "https://passerelle.test/connexion/oidc/proconnect/retour");
    EXPECT_GE(query_value(*url, "state").size(), core::oidc::kMinRandomLength);
    EXPECT_GE(query_value(*url, "nonce").size(), core::oidc::kMinRandomLength);
    EXPECT_EQ(query_value(*url, "code_challenge_method"), "S256");
    EXPECT_EQ(query_value(*url, "scope"), "openid email siret");
    EXPECT_NE(query_value(*url, "state"), query_value(*oidc_->begin("proconnect", "", "session-a"), "state"));
    EXPECT_EQ(db_->query("SELECT return_to FROM oidc_logins WHERE state = ?", {query_value(*url, "state")})
                  .value()[0]
                  .text(0),
              "");  // no open redirect
    EXPECT_EQ(oidc_->begin("unknown", "", "session-a").error().code, core::ErrorCode::kNotFound);
}

TEST_F(OidcTest, AnAgentIsCreatedAttachedByItsSiretAndFoundAgainByIssuerAndSubject) {
    // Seine-Saint-Denis is known from open data (unclaimed): its first agent becomes its administrator.
    ASSERT_TRUE(db_->with_connection([](storage::Connection& c) {
                       return storage::to_status(storage::orgs::insert_org(
                           c, unclaimed_profile("buyer", "22930008201453", "Département de la Seine-Saint-Denis"), 1));
                   })
                    .ok());
    const auto before = users();
    auto l = login();
    ASSERT_TRUE(l.ok());
    ASSERT_TRUE(l->user_id) << l->error << core::oidc::refusal_reason(l->refusal);
    EXPECT_EQ(users(), before + 1);
    EXPECT_EQ(l->return_to, "/mon-espace/clauses");
    ASSERT_EQ(l->joined.size(), 1u);
    auto actor = accounts_->actor_for(*l->user_id).value();
    ASSERT_EQ(actor.memberships.size(), 1u);
    EXPECT_EQ(actor.memberships[0].role, core::MemberRole::kAdmin);
    EXPECT_TRUE(actor.email_verified);
    auto id = accounts_->identity(*l->user_id).value();
    EXPECT_EQ(id.user.email, "a.benali@seinesaintdenis.example");
    EXPECT_EQ(id.user.display_name, "Aïcha Benali");
    EXPECT_FALSE(id.user.password_hash);

    // The state was used: replaying the answer fails; a new login finds the same account even though the
    // provider now sends another address and an elected official's mandate.
    auto replay = oidc_->complete("proconnect", "code-1", query_value(last_url_, "state"), "", "", "session-a");
    ASSERT_TRUE(replay.ok());
    EXPECT_FALSE(replay->user_id);
    EXPECT_NE(replay->error.find("state"), std::string::npos);
    idp_.userinfo["email"] = "aicha.benali@nouvelle-adresse.example";
    idp_.userinfo["roles"] = json::array({"agent", "elu"});
    idp_.signed_userinfo = true;
    idp_.signer = rsa_.get();
    auto again = login();
    ASSERT_TRUE(again.ok());
    ASSERT_TRUE(again->user_id) << again->error;
    EXPECT_EQ(*again->user_id, *l->user_id);
    EXPECT_TRUE(again->joined.empty());
    EXPECT_EQ(users(), before + 1);
    EXPECT_EQ(db_->query("SELECT elected FROM memberships WHERE user_id = ?", {*l->user_id}).value()[0].int64(0), 1);
}

TEST_F(OidcTest, EveryRefusalSaysWhyAndChangesNothing) {
    auto company_user = signup("contact@atelier.example");
    (void)make_company(company_user);
    const auto before = users();
    idp_.userinfo.erase("siret");
    auto l = login();
    ASSERT_TRUE(l.ok());
    EXPECT_EQ(l->refusal, core::oidc::Refusal::kNoSiret);
    EXPECT_EQ(l->claims.email, "a.benali@seinesaintdenis.example");
    idp_.userinfo["siret"] = "22930008201454";  // check digit
    EXPECT_EQ(login()->refusal, core::oidc::Refusal::kInvalidSiret);
    idp_.userinfo["siret"] = "73282932000074";
    EXPECT_EQ(login()->refusal, core::oidc::Refusal::kNotABuyer);
    idp_.userinfo["siret"] = "21750001600019";  // Ville de Paris, but the address is a local account's
    idp_.userinfo["email"] = "admin@passerelle.test";
    EXPECT_EQ(login()->refusal, core::oidc::Refusal::kEmailTaken);
    EXPECT_EQ(users(), before);
    // Provider-side failures: an error sent back, a bad code, a token signed by an unknown key, another sub.
    EXPECT_NE(oidc_->complete("proconnect", "", "", "access_denied", "L'usager a annulé", "session-a")
                  ->error.find("access_denied"),
              std::string::npos);
    EXPECT_NE(login("code-2")->error.find("échange du code"), std::string::npos);
    // Login CSRF: the answer brought to another browser (another session) is refused.
    auto url = oidc_->begin("proconnect", "", "session-a");
    idp_.nonce = query_value(*url, "nonce");
    idp_.expected_challenge = query_value(*url, "code_challenge");
    auto elsewhere = oidc_->complete("proconnect", "code-1", query_value(*url, "state"), "", "", "session-b");
    EXPECT_NE(elsewhere->error.find("autre navigateur"), std::string::npos);
    EXPECT_FALSE(oidc_->begin("proconnect", "", "").ok());
    auto stranger = make_key("ES256", "ec-1");  // same kid, another key
    idp_.signer = stranger.get();
    EXPECT_NE(login()->error.find("signature invalide"), std::string::npos);
    idp_.signer = ec_.get();
    idp_.userinfo["email"] = "a.benali@seinesaintdenis.example";
    idp_.userinfo_sub_override = "someone-else";
    EXPECT_NE(login()->error.find("sub"), std::string::npos);
    EXPECT_EQ(users(), before);
}

// An agent working for two administrations logs in with one, then the other: a member of both.
TEST_F(OidcTest, AnAgentOfSeveralOrganisationsBelongsToEach) {
    idp_.userinfo["siret"] = "21750001600019";  // Ville de Paris
    auto first = login();
    ASSERT_TRUE(first.ok() && first->user_id) << first->error;
    ASSERT_TRUE(db_->with_connection([](storage::Connection& c) {
                       return storage::to_status(storage::orgs::insert_org(
                           c, unclaimed_profile("buyer", "22930008201453", "Département de la Seine-Saint-Denis"), 1));
                   })
                    .ok());
    idp_.userinfo["siret"] = "22930008201453";
    auto second = login();
    ASSERT_TRUE(second.ok() && second->user_id) << second->error;
    EXPECT_EQ(*second->user_id, *first->user_id);
    auto a = accounts_->actor_for(*first->user_id).value();
    ASSERT_EQ(a.memberships.size(), 2u);
    EXPECT_TRUE(a.is_buyer_agent());
}

TEST_F(OidcTest, RotatedKeysAreFetchedAgainByKid) {
    idp_.userinfo["siret"] = "21750001600019";
    ASSERT_TRUE(login()->user_id);
    const int fetches = idp_.jwks_fetches;
    auto next = make_key("ES256", "ec-2");
    idp_.published = {rsa_.get(), next.get()};
    idp_.signer = next.get();
    auto l = login();
    ASSERT_TRUE(l.ok());
    EXPECT_TRUE(l->user_id) << l->error;
    EXPECT_EQ(idp_.jwks_fetches, fetches + 1);
}

TEST_F(OidcTest, AnUnknownOrganisationIsQueuedThenCreatedByAnAdministrator) {
    idp_.userinfo["siret"] = "21590163800019";
    idp_.userinfo["organization_label"] = "Mairie de Croix";
    auto l = login();
    ASSERT_TRUE(l.ok());
    EXPECT_EQ(l->refusal, core::oidc::Refusal::kUnknownOrganisation);
    EXPECT_EQ(login()->refusal, core::oidc::Refusal::kUnknownOrganisation);  // queued once
    auto platform_admin = core::Actor{admin_, true, {core::PlatformRole::kAdministrator}, {}};
    auto pending = oidc_->pending_requests(platform_admin);
    ASSERT_TRUE(pending.ok());
    ASSERT_EQ(pending->size(), 1u);
    EXPECT_EQ((*pending)[0].organisation_label, "Mairie de Croix");
    EXPECT_EQ(oidc_->pending_requests(actor(admin_)).error().code, core::ErrorCode::kForbidden);
    ASSERT_TRUE(oidc_->decide_request(platform_admin, (*pending)[0].id, true).ok());
    EXPECT_FALSE(oidc_->decide_request(platform_admin, (*pending)[0].id, true).ok());
    EXPECT_EQ(mails("a.benali@seinesaintdenis.example").front().subject, "Votre organisation est sur Passerelle");
    auto joined = login();
    ASSERT_TRUE(joined->user_id) << joined->error;
    ASSERT_EQ(joined->joined.size(), 1u);
    EXPECT_EQ(joined->joined[0], "Mairie de Croix");
}

TEST_F(OidcTest, LogoutGoesToTheProviderWithTheIdTokenHint) {
    auto url = oidc_->logout_url("proconnect", "the.id.token", "https://passerelle.test/connexion?deconnexion=1");
    EXPECT_EQ(url.rfind(idp_.issuer + "/session/end?id_token_hint=the.id.token", 0), 0u);
    EXPECT_EQ(query_value(url, "post_logout_redirect_uri"), "https://passerelle.test/connexion?deconnexion=1");
    EXPECT_EQ(oidc_->logout_url("unknown", "x", "y"), "");
}

}  // namespace
}  // namespace passerelle::app
