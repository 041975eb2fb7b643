// Two-factor authentication, the parts that need no database: TOTP codes (RFC 6238, 6 digits, 30-second steps,
// HMAC-SHA1 — what every authenticator application reads from a QR code) computed and checked with liboath,
// the otpauth:// address the QR code carries, and recovery codes. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace passerelle::app::totp {

constexpr int kStepSeconds = 30;
constexpr int kDigits = 6;
// Codes of the step before and after are accepted too: a phone's clock a little off, a code typed as it changed.
constexpr int kWindow = 1;

// A new secret of 160 random bits, in base32 without padding (32 characters).
std::string new_secret();
// The secret grouped by four characters, for typing it by hand.
std::string grouped(const std::string& secret);
// The time step of a Unix time.
std::int64_t step_of(std::int64_t unix_time);
// The code of `secret` at `unix_time`; "" when the secret is not valid base32.
std::string code_at(const std::string& secret, std::int64_t unix_time);
// The time step whose code `code` is, within kWindow steps of `now`; nullopt when it is none of them. Spaces in
// the typed code are ignored.
std::optional<std::int64_t> matching_step(const std::string& secret, const std::string& code, std::int64_t now);
// otpauth://totp/Issuer:account?secret=…&issuer=…, percent-encoded.
std::string otpauth_uri(const std::string& issuer, const std::string& account, const std::string& secret);

// Recovery codes: `n` codes of ten characters without look-alikes, shown as XXXXX-XXXXX.
std::vector<std::string> new_recovery_codes(int n);
// What is compared: upper case, without spaces or dashes ("" when it cannot be a recovery code).
std::string normalize_recovery_code(const std::string& typed);
// Whether what was typed looks like an application code (six digits, spaces allowed) rather than a recovery code.
bool looks_like_totp(const std::string& typed);

}  // namespace passerelle::app::totp
