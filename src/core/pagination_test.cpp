#include "core/pagination.hpp"

#include <gtest/gtest.h>

using namespace passerelle::core;

TEST(Pagination, ParsesAndBounds) {
    Page p;
    std::string why;
    ASSERT_TRUE(parse_page("", "", p, why));
    EXPECT_EQ(p.page, 1);
    EXPECT_EQ(p.per_page, 20);
    ASSERT_TRUE(parse_page("3", "50", p, why));
    EXPECT_EQ(p.offset(), 100);
    EXPECT_FALSE(parse_page("0", "", p, why));
    EXPECT_FALSE(parse_page("1", "1000", p, why));
    EXPECT_FALSE(parse_page("1; DROP", "", p, why));
    EXPECT_NE(why.find("page"), std::string::npos);
}

TEST(Pagination, LinkHeader) {
    Page p{2, 10};
    std::string h = link_header("/api/v1/organisations?kind=company", p, 35);
    EXPECT_NE(h.find("</api/v1/organisations?kind=company&page=1&per_page=10>; rel=\"first\""), std::string::npos);
    EXPECT_NE(h.find("page=1&per_page=10>; rel=\"prev\""), std::string::npos);
    EXPECT_NE(h.find("page=3&per_page=10>; rel=\"next\""), std::string::npos);
    EXPECT_NE(h.find("page=4&per_page=10>; rel=\"last\""), std::string::npos);
    EXPECT_EQ(page_count(0, 10), 1);
    Page last{4, 10};
    EXPECT_EQ(link_header("/x", last, 35).find("rel=\"next\""), std::string::npos);
}
