#include "app/second_factor.hpp"

#include <gtest/gtest.h>

#include <set>

#include "app/crypto.hpp"

namespace passerelle::app::totp {

// RFC 6238, appendix B: the SHA-1 key "12345678901234567890", last six digits of the eight-digit codes.
constexpr const char* kRfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

TEST(Totp, CodesAreThoseOfRfc6238) {
    EXPECT_EQ(code_at(kRfcSecret, 59), "287082");
    EXPECT_EQ(code_at(kRfcSecret, 1111111109), "081804");
    EXPECT_EQ(code_at(kRfcSecret, 1234567890), "005924");
    EXPECT_EQ(code_at(kRfcSecret, 2000000000), "279037");
    EXPECT_EQ(code_at("pas du base32 !", 59), "");
}

TEST(Totp, OnlyTheNeighbouringStepsAreAccepted) {
    const std::int64_t now = 1'800'000'015;
    const std::int64_t step = step_of(now);
    EXPECT_EQ(matching_step(kRfcSecret, code_at(kRfcSecret, now), now), step);
    EXPECT_EQ(matching_step(kRfcSecret, code_at(kRfcSecret, now - 30), now), step - 1);
    EXPECT_EQ(matching_step(kRfcSecret, code_at(kRfcSecret, now + 30), now), step + 1);
    EXPECT_FALSE(matching_step(kRfcSecret, code_at(kRfcSecret, now - 60), now));
    EXPECT_FALSE(matching_step(kRfcSecret, code_at(kRfcSecret, now + 60), now));
    const std::string c = code_at(kRfcSecret, now);
    EXPECT_EQ(matching_step(kRfcSecret, c.substr(0, 3) + " " + c.substr(3), now), step);  // as some apps show it
    EXPECT_FALSE(matching_step(kRfcSecret, c.substr(0, 5), now));
    EXPECT_FALSE(matching_step(kRfcSecret, c + "0", now));
    EXPECT_FALSE(matching_step(kRfcSecret, "12a456", now));
    EXPECT_FALSE(matching_step(kRfcSecret, "", now));
}

TEST(Totp, NewSecretsAreRandomBase32OfTwentyBytes) {
    ASSERT_TRUE(init_crypto());
    const std::string a = new_secret(), b = new_secret();
    EXPECT_EQ(a.size(), 32u);
    EXPECT_NE(a, b);
    EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), std::string::npos);
    EXPECT_EQ(code_at(a, 1'800'000'000).size(), 6u);
    EXPECT_EQ(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
}

TEST(Totp, TheQrCodeAddressNamesTheAccountAndTheIssuer) {
    EXPECT_EQ(otpauth_uri("Passerelle", "marie.durand+test@exemple.fr", "ABCD"),
              "otpauth://totp/Passerelle:marie.durand%2Btest@exemple.fr?secret=ABCD&issuer=Passerelle&algorithm=SHA1&"
              "digits=6&period=30");
    EXPECT_EQ(otpauth_uri("Passerelle Île", "a@b.fr", "X"),
              "otpauth://totp/Passerelle%20%C3%8Ele:a@b.fr?secret=X&issuer=Passerelle%20%C3%8Ele&algorithm=SHA1&"
              "digits=6&period=30");
}

TEST(Totp, RecoveryCodesAreDistinctAndReadBackHoweverTyped) {
    ASSERT_TRUE(init_crypto());
    auto codes = new_recovery_codes(10);
    ASSERT_EQ(codes.size(), 10u);
    EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), 10u);
    for (const auto& c : codes) {
        ASSERT_EQ(c.size(), 11u);
        EXPECT_EQ(c[5], '-');
        EXPECT_FALSE(looks_like_totp(c));
    }
    std::string lower = codes[0];
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    EXPECT_EQ(normalize_recovery_code(" " + lower + " "), normalize_recovery_code(codes[0]));
    EXPECT_EQ(normalize_recovery_code(codes[0]).size(), 10u);
    EXPECT_EQ(normalize_recovery_code("ABCDE-FGH"), "");
    EXPECT_EQ(normalize_recovery_code("ABCDE-FGHJ<"), "");
    EXPECT_TRUE(looks_like_totp("123 456"));
    EXPECT_FALSE(looks_like_totp("12345"));
}

}  // namespace passerelle::app::totp
