// How people read dates, times and amounts on the site: « 28 novembre 2026 », « 9 h 30 »,
// « 1 250 000 € » (narrow no-break spaces), always in Europe/Paris time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace passerelle::core {

// Offset of Europe/Paris from UTC at that instant, in seconds (3600 or 7200): EU summer time runs from
// the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.
int paris_utc_offset(std::int64_t epoch_seconds);

struct CivilTime {
    int year, month, day, hour, minute, second;
};
CivilTime to_paris(std::int64_t epoch_seconds);
CivilTime to_utc(std::int64_t epoch_seconds);
std::int64_t from_utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0);
// "2026-11-28", exactly, and a day of the calendar (leap years counted); nullopt otherwise.
std::optional<CivilTime> parse_iso_day(std::string_view s);

std::string format_date_fr(std::int64_t epoch_seconds);      // « 28 novembre 2026 »
std::string format_time_fr(std::int64_t epoch_seconds);      // « 9 h 30 »
std::string format_datetime_fr(std::int64_t epoch_seconds);  // « 28 novembre 2026 à 9 h 30 »
std::string format_amount_eur(std::int64_t euros);           // « 1 250 000 € »
std::string format_integer_fr(std::int64_t n);               // « 3 853 »
std::string format_decimal_fr(double v, int decimals);       // « 4,5 » (decimal comma)
std::string format_day_fr(std::string_view iso_day);         // "2026-11-28" -> « 28 novembre 2026 » (else as is)
// 4.5, 12 (decimal point, no trailing zeros; at most `decimals` decimals): spreadsheet cells, JSON tables.
std::string format_plain_decimal(double v, int decimals = 2);
std::string format_iso8601_utc(std::int64_t epoch_seconds);    // 2026-11-28T09:30:00Z
std::string format_iso_day_paris(std::int64_t epoch_seconds);  // 2026-11-28, the day in Paris

}  // namespace passerelle::core
