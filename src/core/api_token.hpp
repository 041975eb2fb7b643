// API tokens for integrations: what a token may do (scopes), how one is asked for (validation) and how it
// is sent (Authorization: Bearer). Pure: the token's secret, hashing and storage are the application's.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace passerelle::core::api_tokens {

enum class Scope {
    kRead,            // the API's reading endpoints (public data, the organisation's own)
    kPublishNotices,  // create and publish the organisation's notices
    kManageEvents,    // registrations of the events the token's creator organises
};

struct ScopeInfo {
    Scope scope;
    const char* code;   // stored and shown in the API: "read", "notices:publish", "events:manage"
    const char* label;  // French, for the page
};
const std::vector<ScopeInfo>& all_scopes();
std::optional<Scope> parse_scope(std::string_view code);
const char* scope_code(Scope s);
const char* scope_label(Scope s);
// Space-separated codes, in the order of all_scopes(); unknown codes are skipped when reading.
std::string join_scopes(const std::vector<Scope>& scopes);
std::vector<Scope> split_scopes(std::string_view codes);
bool has_scope(const std::vector<Scope>& scopes, Scope s);

// The scopes a person may put on a token of an organisation: publishing notices for a buyer organisation,
// managing events for an organiser; reading always.
std::vector<Scope> grantable_scopes(bool buyer_organisation, bool organiser);

struct NewToken {
    std::string name;
    std::vector<Scope> scopes;  // in the order of all_scopes(), each once
};
// A name (1 to 80 characters of clean text) and at least one known scope; French messages per field
// ("name", "scopes").
Result<NewToken> validate_new_token(const std::string& name, const std::vector<std::string>& scope_codes);

// Secrets start with this prefix, so that a leaked one is recognisable (secret scanners) and never taken
// for a session cookie.
inline constexpr std::string_view kPrefix = "psl_";
// The secret of an "Authorization: Bearer psl_…" header value, or nullopt when it holds none.
std::optional<std::string> bearer_token(std::string_view authorization);

// Requests per minute allowed to one token.
inline constexpr int kRequestsPerMinute = 120;

}  // namespace passerelle::core::api_tokens
