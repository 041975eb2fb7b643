#include "app/crypto.hpp"

#include <gtest/gtest.h>

using namespace passerelle::app;

TEST(Crypto, TokensAreRandomAndUrlSafe) {
    ASSERT_TRUE(init_crypto());
    auto a = random_token(), b = random_token();
    EXPECT_EQ(a.size(), 43u);
    EXPECT_NE(a, b);
    EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
}

TEST(Crypto, PasswordHashVerifies) {
    ASSERT_TRUE(init_crypto());
    auto h = hash_password("Correct-Cheval-42");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->rfind("$argon2id$", 0), 0u);
    EXPECT_TRUE(verify_password(*h, "Correct-Cheval-42"));
    EXPECT_FALSE(verify_password(*h, "correct-cheval-42"));
    EXPECT_FALSE(verify_password("", "x"));
}

TEST(Crypto, FingerprintIs128BitsOfHexAndDependsOnEveryByte) {
    ASSERT_TRUE(passerelle::app::init_crypto());
    const std::string a = passerelle::app::fingerprint_hex("marché 1"),
                      b = passerelle::app::fingerprint_hex("marché 2");
    EXPECT_EQ(a.size(), 32u);
    EXPECT_NE(a, b);
    EXPECT_EQ(a, passerelle::app::fingerprint_hex("marché 1"));
}
