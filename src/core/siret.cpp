#include "core/siret.hpp"

#include <algorithm>

namespace passerelle::core {

bool luhn_valid(std::string_view digits) {
    if (digits.empty()) return false;
    int sum = 0;
    bool twice = false;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        if (*it < '0' || *it > '9') return false;
        int d = *it - '0';
        if (twice) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
        twice = !twice;
    }
    return sum % 10 == 0;
}

std::string strip_identifier(std::string_view input) {
    std::string out;
    for (std::size_t i = 0; i < input.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(input[i]);
        if (c == ' ' || c == '.' || c == '-' || c == '\t') continue;
        // U+00A0 (C2 A0) and U+202F (E2 80 AF): no-break spaces pasted from documents.
        if (c == 0xC2 && i + 1 < input.size() && static_cast<unsigned char>(input[i + 1]) == 0xA0) {
            ++i;
            continue;
        }
        if (c == 0xE2 && i + 2 < input.size() && static_cast<unsigned char>(input[i + 1]) == 0x80 &&
            static_cast<unsigned char>(input[i + 2]) == 0xAF) {
            i += 2;
            continue;
        }
        out.push_back(static_cast<char>(c));
    }
    return out;
}

static bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_valid_siren(std::string_view siren) {
    return siren.size() == 9 && all_digits(siren) && (luhn_valid(siren) || siren == "356000000");
}

bool is_valid_siret(std::string_view siret) {
    if (siret.size() != 14 || !all_digits(siret)) return false;
    if (siret.substr(0, 9) == "356000000") {
        int sum = 0;
        for (char c : siret) sum += c - '0';
        return sum % 5 == 0;
    }
    return luhn_valid(siret);
}

std::optional<std::string> parse_siret(std::string_view input, std::string* why) {
    std::string s = strip_identifier(input);
    auto fail = [&](const char* reason) -> std::optional<std::string> {
        if (why) *why = reason;
        return std::nullopt;
    };
    if (s.empty()) return fail("Le numéro SIRET est obligatoire.");
    if (!all_digits(s)) return fail("Le numéro SIRET ne doit contenir que des chiffres.");
    if (s.size() != 14) return fail("Le numéro SIRET compte exactement 14 chiffres.");
    if (!is_valid_siret(s)) return fail("Ce numéro SIRET n'est pas valide (clé de contrôle incorrecte).");
    return s;
}

}  // namespace passerelle::core
