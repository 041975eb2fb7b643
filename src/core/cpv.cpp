#include "core/cpv.hpp"

#include <algorithm>

namespace passerelle::core {

int CpvCode::level() const {
    std::string p = prefix();
    return std::max<int>(1, static_cast<int>(p.size()) - 1);
}

std::string CpvCode::prefix() const {
    std::string p = code;
    while (p.size() > 2 && p.back() == '0') p.pop_back();
    return p;
}

std::optional<CpvCode> parse_cpv(std::string_view input, std::string* why) {
    std::string s;
    for (char c : input)
        if (c != ' ' && c != '\t') s.push_back(c);
    auto fail = [&](const char* reason) -> std::optional<CpvCode> {
        if (why) *why = reason;
        return std::nullopt;
    };
    if (s.empty()) return fail("Le code CPV est obligatoire.");
    CpvCode out;
    std::string_view main = s;
    auto dash = s.find('-');
    if (dash != std::string::npos) {
        std::string_view check = std::string_view(s).substr(dash + 1);
        if (check.size() != 1 || check[0] < '0' || check[0] > '9')
            return fail("Le chiffre de contrôle d'un code CPV est un seul chiffre (ex. 72413000-8).");
        out.check_digit = check[0] - '0';
        main = std::string_view(s).substr(0, dash);
    }
    if (main.size() != 8 || !std::all_of(main.begin(), main.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return fail("Un code CPV compte 8 chiffres, suivis éventuellement d'un tiret et d'un chiffre de contrôle.");
    out.code = std::string(main);
    if (out.code.substr(0, 2) == "00") return fail("Ce code CPV n'existe pas.");
    return out;
}

std::string format_cpv(std::string_view code, int check_digit) {
    return std::string(code) + "-" + std::to_string(check_digit);
}

}  // namespace passerelle::core
