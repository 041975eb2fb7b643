#include "app/demo.hpp"

#include <gtest/gtest.h>

#include <set>

#include "core/siret.hpp"

using namespace passerelle::app;

TEST(Demo, SyntheticSiretsAreValidAndDistinct) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        auto s = synthetic_siret(i);
        EXPECT_TRUE(passerelle::core::is_valid_siret(s)) << s;
        EXPECT_TRUE(passerelle::core::is_valid_siren(s.substr(0, 9))) << s;
        seen.insert(s);
    }
    EXPECT_EQ(seen.size(), 1000u);
}

TEST(Demo, AccountsAreUnique) {
    std::set<std::string> emails;
    for (const auto& a : DemoLoader::accounts()) emails.insert(a.email);
    EXPECT_EQ(emails.size(), DemoLoader::accounts().size());
    EXPECT_GE(emails.size(), 40u + 7u + 3u);
}
