// AccountService: sign-up, e-mail verification, login with throttling, password reset and change,
// and server-side sessions. Every state change that sends a message writes it to the mail outbox in the
// same transaction, so an acknowledged request never loses its e-mail.
//
// Errors: kInvalidInput with per-field French messages, kConflict (e-mail taken), kTooManyRequests
// (throttled, with retry_after_seconds), kUnauthenticated (bad credentials, without telling whether the
// account exists), kUnavailable (database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/crypto.hpp"
#include "core/clock.hpp"
#include "core/policy.hpp"
#include "core/result.hpp"
#include "storage/accounts_store.hpp"
#include "storage/database.hpp"

namespace passerelle::app {

using core::Result;
using core::Status;

struct AccountSettings {
    std::string base_url = "http://127.0.0.1:8080";
    std::int64_t session_ttl = 14 * 24 * 3600;
    std::int64_t anonymous_session_ttl = 24 * 3600;
    std::int64_t verify_ttl = 48 * 3600;
    std::int64_t reset_ttl = 3600;
    int resets_per_account_per_hour = 3;  // reset links mailed to one account (whatever the source address)
    // Per account: after `account_free_failures` failed logins, each attempt waits twice as long as the
    // previous one (2 s, 4 s, 8 s… at most `throttle_window`) after the last failure — a guesser is slowed down
    // without the owner being locked out, and a browser the owner already logged in from is not slowed at all.
    int account_free_failures = 5;
    // Per client address: `ip_max_failures` within `throttle_window`, then refused until the window passes.
    int ip_max_failures = 30;
    std::int64_t throttle_window = 15 * 60;
    // Absolute session lifetimes, however active the session: platform roles that act on all data get less.
    std::int64_t session_max_age = 30 * 24 * 3600;
    std::int64_t privileged_session_max_age = 12 * 3600;
    // Sensitive actions (an API token, a platform role) need the person to have proved who they are within
    // this many seconds: their login, or their password typed again.
    std::int64_t confirmation_window = 10 * 60;
    // Platform roles (codes) that act on all data: their holders must use two-factor authentication.
    std::vector<std::string> second_factor_roles = {"administrator", "organiser"};
    // Between the right password and the code: past this, the person types their password again.
    std::int64_t pending_login_ttl = 10 * 60;
    PasswordHasherSettings hasher;
};

struct SignupInput {
    std::string email;
    std::string display_name;
    std::string password;
    std::string password_confirm;
};

struct NewSession {
    std::string token;  // goes into the cookie; only its hash is stored
    storage::accounts::SessionRecord record;
};

class AccountService {
  public:
    AccountService(storage::Database& db, const core::Clock& clock, AccountSettings settings);

    Result<std::int64_t> sign_up(const SignupInput& in);
    // Marks the address verified; kInvalidInput when the link is unknown, used or expired.
    Result<std::int64_t> verify_email(const std::string& token);
    Status resend_verification(std::int64_t user_id);
    struct LoginResult {
        std::int64_t user_id = 0;
        std::string new_browser_token;  // set when the browser was not known: to keep in its cookie
        bool second_factor = false;     // the password was right; a code must follow (verify_second_factor)
    };
    // `browser_token` is the browser's known-browser cookie ("" when none). A login from a browser the account
    // never used is mailed to its owner.
    Result<LoginResult> login(const std::string& email, const std::string& password, const std::string& client_ip,
                              const std::string& browser_token = "");
    // Always succeeds for a well-formed address (no user enumeration); sends a link when the account exists.
    Status request_password_reset(const std::string& email);
    Status reset_password(const std::string& token, const std::string& password, const std::string& confirm);
    Status change_password(std::int64_t user_id, const std::string& current, const std::string& password,
                           const std::string& confirm, const std::string& keep_session_hash);

    // Two-factor authentication (TOTP, see second_factor.hpp). A login whose password was right waits for a code
    // from the application or a recovery code; failures are throttled per account like passwords, whatever the
    // browser. `browser_token` as for login (the browser is remembered once the code is right).
    struct SecondFactorLogin {
        std::string new_browser_token;
        bool recovery_code_used = false;
        std::int64_t recovery_codes_left = 0;
    };
    Result<SecondFactorLogin> verify_second_factor(std::int64_t user_id, const std::string& code,
                                                   const std::string& client_ip, const std::string& browser_token);
    struct SecondFactorStatus {
        std::optional<std::int64_t> since;  // on since then; nullopt: off
        std::int64_t recovery_codes_left = 0;
        bool required = false;  // by one of the person's platform roles
    };
    Result<SecondFactorStatus> second_factor_status(const core::Actor& actor);
    bool role_requires_second_factor(core::PlatformRole role) const;
    bool second_factor_required(const core::Actor& actor) const;
    // The same from the account's own roles (an API token's narrowed actor has none: its creator's count).
    bool second_factor_required(const storage::accounts::UserRecord& user) const;
    // Turns it on once `code` shows the person's application holds `secret`; returns the ten recovery codes,
    // shown once (only their hashes are kept).
    Result<std::vector<std::string>> enable_second_factor(std::int64_t user_id, const std::string& secret,
                                                          const std::string& code);
    // New recovery codes replacing the old ones (kConflict when two-factor authentication is off).
    Result<std::vector<std::string>> renew_recovery_codes(std::int64_t user_id);
    // Off, by the person themselves (refused while a role requires it) or, for a lost phone, by a platform
    // administrator for another person.
    Status disable_second_factor(const core::Actor& actor, std::int64_t user_id);
    // The operator's reset (`passerelle user reset-second-factor`): as an administrator's, without an actor.
    Status reset_second_factor(std::int64_t user_id);
    // The session's pending login (JSON written by the web layer) and the secret shown while enrolling.
    Status set_pending_login(const std::string& token_hash, const std::optional<std::string>& pending);
    Status set_enrol_secret(const std::string& token_hash, const std::optional<std::string>& secret);

    // `user_agent` and `ip` describe the browser in « Mes sessions ».
    Result<NewSession> start_session(std::optional<std::int64_t> user_id, const std::string& user_agent = "",
                                     const std::string& ip = "");
    // Looks the session up by its cookie token and slides its expiry; nullopt when unknown or expired.
    Result<std::optional<storage::accounts::SessionRecord>> load_session(const std::string& token);
    // Replaces the session by a fresh one bound to the user (session fixation defence).
    Result<NewSession> rotate_session(const std::string& old_token_hash, std::int64_t user_id,
                                      const std::string& user_agent = "", const std::string& ip = "");
    // « Mes sessions »: the user's live sessions; ending one (by the start of its hash, as the page names it) or
    // every other one.
    Result<std::vector<storage::accounts::SessionRecord>> sessions_of(std::int64_t user_id);
    Result<bool> end_user_session(std::int64_t user_id, const std::string& hash_prefix);
    Status end_other_sessions(std::int64_t user_id, const std::string& keep_token_hash);
    Status end_session(const std::string& token_hash);
    // Whether the session's login or its last password confirmation is within confirmation_window.
    bool recently_confirmed(const storage::accounts::SessionRecord& session) const;
    // The password typed again: marks the session confirmed; kInvalidInput with a French message otherwise
    // (failures count as failed logins), kTooManyRequests when throttled.
    Status confirm_password(const storage::accounts::SessionRecord& session, const std::string& password,
                            const std::string& client_ip);
    Status set_flash(const std::string& token_hash, const std::optional<std::string>& flash);

    // The actor the policy needs (roles and active memberships) with the user's record, read together
    // once per request.
    struct Identity {
        core::Actor actor;
        storage::accounts::UserRecord user;
    };
    Result<Identity> identity(std::int64_t user_id);
    Result<core::Actor> actor_for(std::int64_t user_id);

    // Administration: users by e-mail fragment, and setting a user's platform roles (administrators only;
    // an administrator cannot drop their own administrator role).
    struct UserPage {
        std::vector<storage::accounts::UserRecord> items;
        std::int64_t total = 0;
    };
    Result<UserPage> list_users(const core::Actor& actor, const std::string& email_like, std::int64_t limit,
                                std::int64_t offset);
    Result<std::string> set_platform_roles(const core::Actor& actor, std::int64_t user_id,
                                           const std::vector<std::string>& roles);

    const AccountSettings& settings() const { return settings_; }

  private:
    // `scope`: "account" for passwords (subject: the e-mail), "second_factor" for codes (subject: the user id).
    Status check_throttle(storage::Connection& c, const std::string& email, const std::string& ip, bool known_browser,
                          const std::string& scope = "account");
    // Off, the recovery codes deleted, the owner mailed; `reset` (lost phone): their sessions end too.
    Status turn_off_second_factor(std::int64_t user_id, bool reset);
    // After a full login: a browser the account never used is remembered and mailed about.
    Status remember_browser(storage::Connection& c, const storage::accounts::UserRecord& u, bool known,
                            const std::string& client_ip, std::string& new_token);
    Status issue_token_and_mail(storage::Connection& c, std::int64_t user_id, const std::string& email,
                                const std::string& purpose);

    storage::Database& db_;
    const core::Clock& clock_;
    AccountSettings settings_;
    std::string dummy_hash_;
};

}  // namespace passerelle::app
