#include <gtest/gtest.h>

#include "app/csv.hpp"

using namespace passerelle::app;

TEST(Csv, QuotedFieldsCommasAndDoubledQuotes) {
    std::string in = "a,b,c\n1,\"x, y\",\"he said \"\"hi\"\"\"\r\n2,,\"multi\nline\"\n";
    std::size_t pos = 0;
    std::vector<std::string> f;
    ASSERT_TRUE(read_csv_record(in, pos, f));
    EXPECT_EQ(f, (std::vector<std::string>{"a", "b", "c"}));
    ASSERT_TRUE(read_csv_record(in, pos, f));
    EXPECT_EQ(f, (std::vector<std::string>{"1", "x, y", "he said \"hi\""}));
    ASSERT_TRUE(read_csv_record(in, pos, f));
    EXPECT_EQ(f, (std::vector<std::string>{"2", "", "multi\nline"}));
    EXPECT_FALSE(read_csv_record(in, pos, f));
}
