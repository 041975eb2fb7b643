#include "core/french.hpp"

#include <gtest/gtest.h>

using namespace passerelle::core;

TEST(French, DatesInParisTime) {
    // 2026-11-28 08:30 UTC is 9 h 30 in Paris (winter, UTC+1).
    std::int64_t t = from_utc(2026, 11, 28, 8, 30);
    EXPECT_EQ(format_date_fr(t), "28 novembre 2026");
    EXPECT_EQ(format_time_fr(t), "9 h 30");
    EXPECT_EQ(format_datetime_fr(t), "28 novembre 2026 à 9 h 30");
    // Summer: 2026-07-01 07:00 UTC is 9 h in Paris.
    EXPECT_EQ(format_time_fr(from_utc(2026, 7, 1, 7, 0)), "9 h");
    EXPECT_EQ(format_date_fr(from_utc(2026, 3, 1, 12)), "1er mars 2026");
    // Late evening UTC on 31 Dec is already New Year in Paris.
    EXPECT_EQ(format_date_fr(from_utc(2025, 12, 31, 23, 30)), "1er janvier 2026");
}

TEST(French, SummerTimeBoundaries) {
    // 2026: last Sunday of March is 29 March, of October 25 October, switch at 01:00 UTC.
    EXPECT_EQ(paris_utc_offset(from_utc(2026, 3, 29, 0, 59, 59)), 3600);
    EXPECT_EQ(paris_utc_offset(from_utc(2026, 3, 29, 1, 0, 0)), 7200);
    EXPECT_EQ(paris_utc_offset(from_utc(2026, 10, 25, 0, 59, 59)), 7200);
    EXPECT_EQ(paris_utc_offset(from_utc(2026, 10, 25, 1, 0, 0)), 3600);
}

TEST(French, AmountsWithNarrowNoBreakSpaces) {
    EXPECT_EQ(format_amount_eur(1250000), "1\u202F250\u202F000\u202F€");
    EXPECT_EQ(format_amount_eur(950), "950\u202F€");
    EXPECT_EQ(format_integer_fr(3853), "3\u202F853");
    EXPECT_EQ(format_integer_fr(-1000), "-1\u202F000");
    EXPECT_EQ(format_iso8601_utc(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(format_iso_day_paris(from_utc(2026, 11, 28, 23, 30)), "2026-11-29");  // already the next day in Paris
}

TEST(French, DecimalComma) {
    EXPECT_EQ(format_decimal_fr(4.5, 1), "4,5");
    EXPECT_EQ(format_decimal_fr(16, 1), "16,0");
}
