#include "app/second_factor.hpp"

#include <liboath/oath.h>

#include <cctype>
#include <cstdlib>
#include <mutex>

#include "app/crypto.hpp"

namespace passerelle::app::totp {

namespace {

void ensure_oath() {
    static std::once_flag once;
    std::call_once(once, [] { oath_init(); });
}

std::string digits_only(const std::string& typed) {
    std::string out;
    for (char ch : typed) {
        if (ch == ' ' || ch == '\t') continue;
        out += ch;
    }
    return out;
}

// The secret's bytes, or nullopt when it is not base32.
std::optional<std::string> decode(const std::string& secret) {
    ensure_oath();
    char* out = nullptr;
    size_t len = 0;
    if (oath_base32_decode(secret.data(), secret.size(), &out, &len) != OATH_OK || !out) return std::nullopt;
    std::string bytes(out, len);
    std::free(out);
    return bytes;
}

std::string percent_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char ch : s) {
        if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~' || ch == '@') {
            out += static_cast<char>(ch);
        } else {
            out += '%';
            out += hex[ch >> 4];
            out += hex[ch & 15];
        }
    }
    return out;
}

}  // namespace

std::string new_secret() {
    ensure_oath();
    const std::string raw = base64url_decode(random_token(20));
    char* out = nullptr;
    size_t len = 0;
    if (oath_base32_encode(raw.data(), raw.size(), &out, &len) != OATH_OK || !out) return "";
    std::string secret(out, len);
    std::free(out);
    while (!secret.empty() && secret.back() == '=') secret.pop_back();
    return secret;
}

std::string grouped(const std::string& secret) {
    std::string out;
    for (std::size_t i = 0; i < secret.size(); ++i) {
        if (i > 0 && i % 4 == 0) out += ' ';
        out += secret[i];
    }
    return out;
}

std::int64_t step_of(std::int64_t unix_time) { return unix_time / kStepSeconds; }

std::string code_at(const std::string& secret, std::int64_t unix_time) {
    auto key = decode(secret);
    if (!key) return "";
    char out[kDigits + 1] = {};
    if (oath_totp_generate(key->data(), key->size(), static_cast<time_t>(unix_time), kStepSeconds, 0, kDigits, out) !=
        OATH_OK)
        return "";
    return out;
}

std::optional<std::int64_t> matching_step(const std::string& secret, const std::string& typed, std::int64_t now) {
    const std::string code = digits_only(typed);
    if (code.size() != kDigits) return std::nullopt;
    for (char ch : code)
        if (ch < '0' || ch > '9') return std::nullopt;
    auto key = decode(secret);
    if (!key) return std::nullopt;
    uint64_t counter = 0;
    int pos = 0;
    const int rc = oath_totp_validate3(key->data(), key->size(), static_cast<time_t>(now), kStepSeconds, 0, kWindow,
                                       &pos, &counter, code.c_str());
    if (rc < 0) return std::nullopt;
    return static_cast<std::int64_t>(counter);
}

std::string otpauth_uri(const std::string& issuer, const std::string& account, const std::string& secret) {
    return "otpauth://totp/" + percent_encode(issuer) + ":" + percent_encode(account) + "?secret=" + secret +
           "&issuer=" + percent_encode(issuer) + "&algorithm=SHA1&digits=" + std::to_string(kDigits) +
           "&period=" + std::to_string(kStepSeconds);
}

std::vector<std::string> new_recovery_codes(int n) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) {
        const std::string c = random_code(10);
        out.push_back(c.substr(0, 5) + "-" + c.substr(5));
    }
    return out;
}

std::string normalize_recovery_code(const std::string& typed) {
    std::string out;
    for (unsigned char ch : typed) {
        if (ch == ' ' || ch == '-' || ch == '\t') continue;
        if (!std::isalnum(ch)) return "";
        out += static_cast<char>(std::toupper(ch));
    }
    return out.size() == 10 ? out : "";
}

bool looks_like_totp(const std::string& typed) {
    const std::string code = digits_only(typed);
    if (code.size() != kDigits) return false;
    for (char ch : code)
        if (ch < '0' || ch > '9') return false;
    return true;
}

}  // namespace passerelle::app::totp
