// Validation of what people type into account forms: e-mail addresses and passwords.
// Messages are French: they are shown as is next to the field.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle::core {

// Trims ASCII whitespace at both ends.
std::string trim(std::string_view s);
// The same, as a view into `s`.
std::string_view trim_view(std::string_view s);
// A whole decimal integer after trimming ("12", "-3"); nullopt for anything else ("", "1,5", "12 ans").
std::optional<int> parse_int(std::string_view s);
// A year as filters take it: four digits, 1990 to 2100; the message when it is not.
bool is_filter_year(std::string_view s);
inline constexpr const char* kYearFilterMessage = "L'année doit s'écrire sur quatre chiffres, par exemple 2026.";

// Lower-cases and trims; returns nullopt (and a French reason) when not a plausible address.
std::optional<std::string> normalize_email(std::string_view input, std::string* why = nullptr);

// Password rules: at least 10 characters, at most 128 bytes, three character classes out of four
// (lower case, upper case, digit, other) unless 16 characters or more, not containing the local part of
// the e-mail address. Returns the list of unmet rules (empty when acceptable).
std::vector<std::string> password_problems(std::string_view password, std::string_view email);

// Counts UTF-8 code points.
std::size_t utf8_length(std::string_view s);

// True when s is valid UTF-8 (RFC 3629: shortest forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view s);
// s with every byte that does not start a valid UTF-8 sequence replaced by U+FFFD.
std::string repair_utf8(std::string_view s);

// True when s is valid UTF-8 without control characters other than tab/newline.
// For one-line values a person types (names, titles, references): valid UTF-8 without any control character
// (tab and line breaks included, C1 controls, U+2028/U+2029) nor bidirectional overrides (U+202A–U+202E,
// U+2066–U+2069), which could forge a mail header or disguise a text.
bool is_clean_line(std::string_view s);
// A web address or a mail-like link inside a text ("http://", "https://", "www."): refused in the names of
// people and organisations, which the platform puts into mails.
bool looks_like_link(std::string_view s);
bool is_clean_text(std::string_view s);

}  // namespace passerelle::core
