// Small helpers shared by the page handlers: id parsing, code-list labels and options, breadcrumbs.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/organisation.hpp"
#include "http/message.hpp"
#include "http/multipart.hpp"
#include "search/search_index.hpp"

namespace passerelle::web {

// A positive integer from a path or form value; nullopt otherwise (then the page answers 404).
std::optional<std::int64_t> parse_id(const std::string& s);

std::string code_label(const std::vector<core::CodeLabel>& list, const std::string& code);

// <option> view models; `skip_none` leaves out the "none" entry of a code list.
nlohmann::json code_options(const std::vector<core::CodeLabel>& list, const std::vector<std::string>& selected,
                            bool skip_none = false);

// Social clauses and reservations as search facets and on pages (lots, roadmap intentions, imported
// notices, awarded contracts).
const std::vector<core::CodeLabel>& clause_labels();

// Search facets' code lists.
const std::vector<core::CodeLabel>& amount_bands();
const std::vector<core::CodeLabel>& status_labels();

// The first filter of an export's query string (the search filters below, the notices' lists') that is not
// valid, as a French sentence; "" when all are. An export refuses a bad filter (400) instead of answering
// everything.
std::string invalid_filter(const http::Request& req);

// The search filters shared by /recherche, /marches-attribues and its CSV: q (300 characters at most),
// departement, division, clause, procedure, montant, statut, acheteur.
search::Query page_query(const http::Request& req);

// Breadcrumb starting at Accueil; the last item is the current page.
nlohmann::json crumbs(const std::vector<std::pair<std::string, std::string>>& items);

// Sets page, pages, prev_url and next_url; `url` may carry a query string already.
void add_pagination(nlohmann::json& view, const std::string& url, int page, int per_page, std::int64_t total);

// /mon-espace/sourcing prefilled with a purchase's CPV codes, first département, amount and clause (a roadmap
// clause intention or a lot's clause kind).
std::string sourcing_url(const std::vector<std::string>& cpv_codes, const std::vector<std::string>& departements,
                         std::int64_t amount, const std::string& clause);

// A file to download (never rendered by the browser), named in ASCII and in UTF-8 (RFC 6266), not cached.
http::Response download_response(std::string bytes, const std::string& content_type, const std::string& filename);

// The CPV codes of a form with a CPV picker: the chosen ones (cpv_codes) and, last, what is still typed in its
// search box (cpv_query) — a code typed but not picked is checked like the others, never ignored.
std::vector<std::string> cpv_codes_with_typed(const http::Request& req);
// What is typed in a CPV picker's search box on a POST (kept there when the form is refused), else "".
std::string typed_cpv(const http::Request& req);
// `codes` without the typed one cpv_codes_with_typed added (the chips are the codes picked).
std::vector<std::string> picked_cpv(const http::Request& req, std::vector<std::string> codes);

// A refused form's choices, from its values (form_view): marks the option of `options` (each with an "id")
// whose id the person had chosen in `field` as "selected".
void mark_selected(nlohmann::json& options, const nlohmann::json& values, const std::string& field);
// The values of a repeated field (checkboxes) in a refused form's values (they come back joined by spaces).
std::set<std::string> typed_values(const nlohmann::json& values, const std::string& field);

// The fields and files of a form, urlencoded or multipart; nullopt when the multipart body is malformed.
struct PostedForm {
    std::string csrf;
    std::map<std::string, std::string> fields;
    std::vector<http::Part> files;  // every file chosen, empty ones included (the services refuse them)
};
std::optional<PostedForm> posted_form(const http::Request& req);

// Where to go back after a form, from a `retour`/`back` value the request carries: a same-site path
// (http::same_site_path) under one of `within` (any when empty), else `fallback`. The only way a handler turns
// request text into a redirect target.
std::string return_path(const std::string& requested, const std::vector<std::string_view>& within,
                        const std::string& fallback);

// « aucun code de secours », « un seul code de secours », « 7 codes de secours ».
std::string recovery_codes_text(std::int64_t left);

// A sentence continued after a colon: its first letter in lower case (« … : votre organisation … »).
inline std::string lower_first(std::string s) {
    if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
    return s;
}

// The page where a person turns two-factor authentication on.
inline constexpr const char* kSecondFactorPage = "/mon-espace/double-authentification";

// Why an administrator or organiser without two-factor authentication is refused (never turned into a 404).
inline constexpr const char* kSecondFactorRequired =
    "Votre rôle sur la plateforme donne accès à toutes les données : activez la double authentification pour "
    "continuer (/mon-espace/double-authentification).";

inline constexpr const char* kFormInvalid =
    "Votre session a expiré ou le formulaire n'est pas valide. Rechargez la page et réessayez.";

}  // namespace passerelle::web
