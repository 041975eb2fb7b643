#include "core/french.hpp"

#include <array>
#include <cstdio>

namespace passerelle::core {

namespace {

constexpr const char* kNarrowNbsp = "\u202F";

// Howard Hinnant's days_from_civil / civil_from_days.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Epoch of the last Sunday of the month at 01:00 UTC.
std::int64_t last_sunday_0100(int year, unsigned month) {
    unsigned next_m = month == 12 ? 1 : month + 1;
    int next_y = month == 12 ? year + 1 : year;
    std::int64_t last_day = days_from_civil(next_y, next_m, 1) - 1;
    // 1970-01-01 was a Thursday (weekday 4 with Sunday = 0).
    std::int64_t weekday = ((last_day % 7) + 11) % 7;
    return (last_day - weekday) * 86400 + 3600;
}

constexpr std::array<const char*, 12> kMonths = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                                                 "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};

std::string group_thousands(std::int64_t n) {
    bool neg = n < 0;
    std::string digits = std::to_string(neg ? -n : n);
    std::string out;
    int count = 0;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        if (count > 0 && count % 3 == 0) out.insert(0, kNarrowNbsp);
        out.insert(out.begin(), *it);
        ++count;
    }
    return neg ? "-" + out : out;
}

}  // namespace

int paris_utc_offset(std::int64_t t) {
    CivilTime u = to_utc(t);
    std::int64_t start = last_sunday_0100(u.year, 3);
    std::int64_t end = last_sunday_0100(u.year, 10);
    return (t >= start && t < end) ? 7200 : 3600;
}

CivilTime to_utc(std::int64_t t) {
    std::int64_t days = floor_div(t, 86400);
    std::int64_t secs = t - days * 86400;
    CivilTime c{};
    civil_from_days(days, c.year, c.month, c.day);
    c.hour = static_cast<int>(secs / 3600);
    c.minute = static_cast<int>(secs % 3600 / 60);
    c.second = static_cast<int>(secs % 60);
    return c;
}

CivilTime to_paris(std::int64_t t) { return to_utc(t + paris_utc_offset(t)); }

std::int64_t from_utc(int year, int month, int day, int hour, int minute, int second) {
    return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 + hour * 3600 +
           minute * 60 + second;
}

std::optional<CivilTime> parse_iso_day(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    auto num = [&](std::size_t pos, std::size_t len) -> int {
        int v = 0;
        for (std::size_t i = pos; i < pos + len; ++i) {
            if (s[i] < '0' || s[i] > '9') return -1;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    const int y = num(0, 4), m = num(5, 2), d = num(8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1) return std::nullopt;
    static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > kDays[m - 1] || (m == 2 && d == 29 && !leap)) return std::nullopt;
    return CivilTime{y, m, d, 0, 0, 0};
}

std::string format_date_fr(std::int64_t t) {
    CivilTime c = to_paris(t);
    std::string day = c.day == 1 ? "1er" : std::to_string(c.day);
    return day + " " + kMonths[static_cast<std::size_t>(c.month - 1)] + " " + std::to_string(c.year);
}

std::string format_time_fr(std::int64_t t) {
    CivilTime c = to_paris(t);
    char buf[16];
    if (c.minute == 0)
        std::snprintf(buf, sizeof buf, "%d h", c.hour);
    else
        std::snprintf(buf, sizeof buf, "%d h %02d", c.hour, c.minute);
    return buf;
}

std::string format_datetime_fr(std::int64_t t) { return format_date_fr(t) + " à " + format_time_fr(t); }

std::string format_amount_eur(std::int64_t euros) { return group_thousands(euros) + kNarrowNbsp + "€"; }

std::string format_integer_fr(std::int64_t n) { return group_thousands(n); }

std::string format_decimal_fr(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string out = buf;
    for (auto& ch : out)
        if (ch == '.') ch = ',';
    return out;
}

std::string format_day_fr(std::string_view iso_day) {
    auto c = parse_iso_day(iso_day);
    return c ? format_date_fr(from_utc(c->year, c->month, c->day, 12)) : std::string(iso_day);
}

std::string format_plain_decimal(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    return s == "-0" ? "0" : s;
}

std::string format_iso8601_utc(std::int64_t t) {
    CivilTime c = to_utc(t);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour, c.minute,
                  c.second);
    return buf;
}

std::string format_iso_day_paris(std::int64_t epoch_seconds) {
    const CivilTime c = to_paris(epoch_seconds);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
    return buf;
}

}  // namespace passerelle::core
