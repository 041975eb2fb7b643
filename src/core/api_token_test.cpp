#include "core/api_token.hpp"

#include <gtest/gtest.h>

using namespace passerelle::core::api_tokens;

TEST(ApiTokenScopes, CodesRoundTripInAFixedOrderWithoutDuplicates) {
    EXPECT_EQ(join_scopes({Scope::kManageEvents, Scope::kRead, Scope::kRead}), "read events:manage");
    auto s = split_scopes("events:manage nonsense read read");
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0], Scope::kRead);
    EXPECT_EQ(s[1], Scope::kManageEvents);
    EXPECT_TRUE(has_scope(s, Scope::kManageEvents));
    EXPECT_FALSE(has_scope(s, Scope::kPublishNotices));
    EXPECT_EQ(parse_scope("notices:publish"), Scope::kPublishNotices);
    EXPECT_FALSE(parse_scope("admin").has_value());
}

TEST(ApiTokenValidation, NeedsANameAndKnownScopes) {
    auto ok = validate_new_token("  Profil d'acheteur ", {"notices:publish", "read"});
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->name, "Profil d'acheteur");
    EXPECT_EQ(join_scopes(ok->scopes), "read notices:publish");

    auto none = validate_new_token("", {});
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().fields.count("name"), 1u);
    EXPECT_NE(none.error().fields.at("scopes").find("au moins un droit"), std::string::npos);

    auto unknown = validate_new_token("CRM", {"read", "admin:all"});
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.error().fields.at("scopes").find("admin:all"), std::string::npos);

    EXPECT_FALSE(validate_new_token(std::string(81, 'x'), {"read"}).ok());
    EXPECT_FALSE(validate_new_token("a\x01", {"read"}).ok());
}

TEST(ApiTokenScopes, WhatAPersonMayGrantDependsOnTheOrganisationAndTheRole) {
    EXPECT_EQ(join_scopes(grantable_scopes(false, false)), "read");
    EXPECT_EQ(join_scopes(grantable_scopes(true, false)), "read notices:publish");
    EXPECT_EQ(join_scopes(grantable_scopes(false, true)), "read events:manage");
    EXPECT_EQ(join_scopes(grantable_scopes(true, true)), "read notices:publish events:manage");
}

TEST(ApiTokenBearer, ReadsOnlyOurTokensFromTheBearerScheme) {
    EXPECT_EQ(bearer_token("Bearer psl_abc"), "psl_abc");
    EXPECT_EQ(bearer_token("bearer   psl_abc  "), "psl_abc");
    EXPECT_FALSE(bearer_token("Basic dXNlcjpwYXNz").has_value());
    EXPECT_FALSE(bearer_token("Bearer abc").has_value());  // not ours
    EXPECT_FALSE(bearer_token("Bearer ").has_value());
    EXPECT_FALSE(bearer_token("Bearerpsl_abc").has_value());
    EXPECT_FALSE(bearer_token("Bearer psl_" + std::string(300, 'a')).has_value());
}
