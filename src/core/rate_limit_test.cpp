#include "core/rate_limit.hpp"

#include <gtest/gtest.h>

namespace passerelle::core {
namespace {

TEST(RateLimiter, SlidingWindowPerKey) {
    RateLimiter r;
    std::int64_t wait = 0;
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(r.allow("ip:1", 3, 60, 1000 + i, &wait));
    EXPECT_FALSE(r.allow("ip:1", 3, 60, 1010, &wait));
    EXPECT_EQ(wait, 50);                               // the first attempt (t=1000) leaves the window at 1060
    EXPECT_TRUE(r.allow("ip:2", 3, 60, 1010, &wait));  // another key
    EXPECT_FALSE(r.allow("ip:1", 3, 60, 1059, &wait));
    EXPECT_TRUE(r.allow("ip:1", 3, 60, 1060, &wait));
}

}  // namespace
}  // namespace passerelle::core
