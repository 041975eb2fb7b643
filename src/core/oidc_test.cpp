#include "core/oidc.hpp"

#include <gtest/gtest.h>

using namespace passerelle::core::oidc;

namespace {

IdTokenClaims good() {
    IdTokenClaims c;
    c.iss = "https://auth.example/api/v2";
    c.sub = "agent-93";
    c.aud = {"passerelle"};
    c.nonce = "n-0123456789";
    c.exp = 1'800'000'600;
    c.iat = 1'800'000'000;
    return c;
}

bool accepted(const IdTokenClaims& c, std::int64_t now = 1'800'000'010) {
    return check_id_token(c, "https://auth.example/api/v2", "passerelle", "n-0123456789", now).ok();
}

}  // namespace

TEST(OidcIdToken, AcceptsTheExpectedIssuerAudienceTimesAndNonce) { EXPECT_TRUE(accepted(good())); }

TEST(OidcIdToken, RefusesEachBrokenClaim) {
    auto c = good();
    c.iss = "https://auth.example/api/v2/";  // exact match only
    EXPECT_FALSE(accepted(c));
    c = good();
    c.aud = {"another-service"};
    EXPECT_FALSE(accepted(c));
    c = good();
    c.aud = {"passerelle", "another-service"};  // several audiences: azp must name us
    EXPECT_FALSE(accepted(c));
    c.azp = "passerelle";
    EXPECT_TRUE(accepted(c));
    c = good();
    c.nonce = "replayed";
    auto r = check_id_token(c, good().iss, "passerelle", "n-0123456789", 1'800'000'010);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("nonce"), std::string::npos);
    c = good();
    c.sub.clear();
    EXPECT_FALSE(accepted(c));
    c = good();
    c.exp.reset();
    EXPECT_FALSE(accepted(c));
    // Expiry and issue time, with two minutes of leeway.
    EXPECT_TRUE(accepted(good(), 1'800'000'600 + 119));
    EXPECT_FALSE(accepted(good(), 1'800'000'600 + 121));
    EXPECT_FALSE(accepted(good(), 1'800'000'000 - 121));
    EXPECT_FALSE(check_id_token(good(), good().iss, "passerelle", "", 1'800'000'010).ok());  // no nonce expected
}

TEST(OidcAgent, NameAndElectedMandateFromTheClaims) {
    AgentClaims a;
    a.email = "a.benali@seinesaintdenis.fr";
    EXPECT_EQ(display_name(a), "a.benali@seinesaintdenis.fr");
    a.given_name = " Aïcha ";
    a.usual_name = "Benali";
    EXPECT_EQ(display_name(a), "Aïcha Benali");
    EXPECT_FALSE(is_elected(a));
    a.roles = {"agent", "Élue"};
    EXPECT_TRUE(is_elected(a));
    a.roles = {"ELU"};
    EXPECT_TRUE(is_elected(a));
    EXPECT_FALSE(refusal_reason(Refusal::kUnknownOrganisation).empty());
    EXPECT_FALSE(refusal_advice(Refusal::kNoSiret).empty());
}
