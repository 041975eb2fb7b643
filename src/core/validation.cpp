#include "core/validation.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace passerelle::core {

std::string_view trim_view(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::string trim(std::string_view s) { return std::string(trim_view(s)); }

std::size_t utf8_length(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool is_filter_year(std::string_view s) {
    auto n = parse_int(s);
    return s.size() == 4 && n && *n >= 1990 && *n <= 2100;
}

namespace {

// The length of the valid UTF-8 sequence starting at s[i] (RFC 3629: shortest form, no surrogates, at most
// U+10FFFF), or 0 when the byte there does not start one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const unsigned char c = at(0);
    if (c < 0x80) return 1;
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;  // overlong
        if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;  // overlong
        if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    if (at(1) < lo || at(1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if ((at(k) & 0xC0) != 0x80) return 0;
    return n;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        std::size_t n = utf8_sequence(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string repair_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        std::size_t n = utf8_sequence(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";  // U+FFFD
            ++i;
        } else {
            out.append(s.substr(i, n));
            i += n;
        }
    }
    return out;
}

bool is_clean_line(std::string_view s) {
    if (!is_valid_utf8(s)) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7F) return false;
        if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0) return false;  // C1
        if (c == 0xE2 && i + 2 < s.size()) {
            const auto b1 = static_cast<unsigned char>(s[i + 1]), b2 = static_cast<unsigned char>(s[i + 2]);
            if (b1 == 0x80 && (b2 == 0xA8 || b2 == 0xA9 || (b2 >= 0xAA && b2 <= 0xAE))) return false;
            if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) return false;
        }
    }
    return true;
}

bool looks_like_link(std::string_view s) {
    std::string lower(s);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.find("://") != std::string::npos || lower.find("www.") != std::string::npos;
}

bool is_clean_text(std::string_view s) {
    for (unsigned char c : s)
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return false;
    return is_valid_utf8(s);
}

std::optional<std::string> normalize_email(std::string_view input, std::string* why) {
    std::string s = trim(input);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto fail = [&](const char* reason) -> std::optional<std::string> {
        if (why) *why = reason;
        return std::nullopt;
    };
    if (s.empty()) return fail("L'adresse e-mail est obligatoire.");
    if (s.size() > 254) return fail("L'adresse e-mail est trop longue.");
    auto at = s.find('@');
    if (at == std::string::npos || at == 0 || s.find('@', at + 1) != std::string::npos)
        return fail("Saisissez une adresse e-mail valide, par exemple nom@domaine.fr.");
    std::string_view local = std::string_view(s).substr(0, at);
    std::string_view domain = std::string_view(s).substr(at + 1);
    auto ok_char = [](char c, bool in_domain) {
        if (std::isalnum(static_cast<unsigned char>(c))) return true;
        if (c == '-' || c == '.') return true;
        return !in_domain && std::string_view("_+'").find(c) != std::string_view::npos;
    };
    if (local.size() > 64 || local.front() == '.' || local.back() == '.' ||
        !std::all_of(local.begin(), local.end(), [&](char c) { return ok_char(c, false); }))
        return fail("Saisissez une adresse e-mail valide, par exemple nom@domaine.fr.");
    auto dot = domain.rfind('.');
    if (domain.empty() || dot == std::string_view::npos || dot == 0 || dot + 2 > domain.size() ||
        domain.find("..") != std::string_view::npos || domain.front() == '-' ||
        !std::all_of(domain.begin(), domain.end(), [&](char c) { return ok_char(c, true); }))
        return fail("Saisissez une adresse e-mail valide, par exemple nom@domaine.fr.");
    return s;
}

std::vector<std::string> password_problems(std::string_view password, std::string_view email) {
    std::vector<std::string> out;
    std::size_t len = utf8_length(password);
    if (len < 10) out.emplace_back("Le mot de passe doit compter au moins 10 caractères.");
    if (password.size() > 128) out.emplace_back("Le mot de passe ne doit pas dépasser 128 caractères.");
    bool lower = false, upper = false, digit = false, other = false;
    for (unsigned char c : password) {
        if (std::islower(c))
            lower = true;
        else if (std::isupper(c))
            upper = true;
        else if (std::isdigit(c))
            digit = true;
        else
            other = true;
    }
    int classes = lower + upper + digit + other;
    if (len < 16 && classes < 3)
        out.emplace_back(
            "Le mot de passe doit mélanger au moins trois types de caractères parmi : minuscules, majuscules, "
            "chiffres, symboles (ou compter au moins 16 caractères).");
    auto at = email.find('@');
    std::string local(email.substr(0, at == std::string_view::npos ? email.size() : at));
    if (local.size() >= 4) {
        std::string lp(password);
        std::transform(lp.begin(), lp.end(), lp.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::transform(local.begin(), local.end(), local.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (lp.find(local) != std::string::npos)
            out.emplace_back("Le mot de passe ne doit pas contenir votre adresse e-mail.");
    }
    return out;
}

std::optional<int> parse_int(std::string_view raw) {
    const std::string s = trim(raw);
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

}  // namespace passerelle::core
