// Secrets: random tokens, their SHA-256 digests (what the database stores), and password hashes
// (argon2id, libsodium). Thread-safe. init_crypto() must be called once at start-up.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace passerelle::app {

bool init_crypto();

// `bytes` random bytes, base64url without padding (32 bytes -> 43 characters).
std::string random_token(std::size_t bytes = 32);
// `length` characters from an alphabet without look-alikes (no 0/O, 1/I/L): codes people type.
std::string random_code(std::size_t length);
std::string sha256_hex(std::string_view data);
// Standard base64 with padding (MIME).
std::string base64(std::string_view data);
// base64url without padding (JWT, PKCE), and back; `ok` false (and "" returned) on a malformed input.
std::string base64url(std::string_view data);
std::string base64url_decode(std::string_view text, bool* ok = nullptr);
// A 128-bit BLAKE2b digest in hex: fingerprints of content (change detection), not for passwords.
std::string fingerprint_hex(std::string_view data);
bool constant_time_equal(std::string_view a, std::string_view b);

struct PasswordHasherSettings {
    unsigned long long ops_limit = 0;  // 0: libsodium's INTERACTIVE limits
    std::size_t mem_limit = 0;
};

// Returns the encoded hash (with its salt and parameters), or nullopt when out of memory.
std::optional<std::string> hash_password(std::string_view password, const PasswordHasherSettings& s = {});
bool verify_password(const std::string& hash, std::string_view password);

}  // namespace passerelle::app
