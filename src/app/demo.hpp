// Demo data (passerelle demo): the real public buyers of Île-de-France named in public material, a GIP
// organiser, a facilitator, an administrator, and ~40 synthetic companies with valid SIRETs, each with a
// verified demo account. Idempotent: a second run changes nothing.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "app/accounts.hpp"
#include "app/reference.hpp"

namespace passerelle::app {

struct DemoAccount {
    std::string email;
    std::string what;
};

struct DemoResult {
    bool loaded_now = false;  // false: was already there
    std::vector<DemoAccount> accounts;
    std::string password;
    std::string second_factor_secret;  // of the accounts whose role requires two-factor authentication
};

constexpr const char* kDemoPassword = "Passerelle-Demo-2026";
// The demo administrator and organiser have two-factor authentication on, with this published key (base32): add
// it to an authenticator application, or compute the code (README.md).
constexpr const char* kDemoTotpSecret = "PASSERELLEDEMOTOTPSECRETKEY23456";

// Builds a Luhn-valid SIRET from a seed (synthetic companies only).
std::string synthetic_siret(int seed);

class DemoLoader {
  public:
    DemoLoader(storage::Database& db, const core::Clock& clock, ReferenceService& reference,
               std::filesystem::path geo_dir, PasswordHasherSettings hasher = {})
        : db_(db), clock_(clock), reference_(reference), geo_dir_(std::move(geo_dir)), hasher_(hasher) {}

    Result<DemoResult> load();
    // The list of demo accounts (whether loaded or not), for the start-up banner.
    static std::vector<DemoAccount> accounts();

  private:
    storage::Database& db_;
    const core::Clock& clock_;
    ReferenceService& reference_;
    std::filesystem::path geo_dir_;
    PasswordHasherSettings hasher_;
};

}  // namespace passerelle::app
