// CPV 2008 codes (Common Procurement Vocabulary): 8 digits plus a check digit, e.g. "72413000-8".
//
// The syntax is checked here; whether the code exists and its check digit is the official one is
// answered by the reference table (storage), since the check digits are published, not derived.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace passerelle::core {

struct CpvCode {
    std::string code;                // 8 digits
    std::optional<int> check_digit;  // present when the input carried "-D"

    std::string division() const { return code.substr(0, 2); }
    // Number of significant digits minus one: 1 for a division "72000000", 2 for a group "72400000"...
    int level() const;
    // "72413000" -> "7241300" style prefix without trailing zeros (at least the division).
    std::string prefix() const;
};

// Accepts "72413000", "72413000-8", "72413000 - 8"; returns nullopt and a French reason otherwise.
std::optional<CpvCode> parse_cpv(std::string_view input, std::string* why = nullptr);

// Formats as "72413000-8".
std::string format_cpv(std::string_view code, int check_digit);

}  // namespace passerelle::core
