#include "core/api_token.hpp"

#include <algorithm>
#include <cctype>

#include "core/validation.hpp"

namespace passerelle::core::api_tokens {

const std::vector<ScopeInfo>& all_scopes() {
    static const std::vector<ScopeInfo> v = {
        {Scope::kRead, "read", "Lire les données (API en lecture)"},
        {Scope::kPublishNotices, "notices:publish", "Publier des avis de marché de l'organisation"},
        {Scope::kManageEvents, "events:manage", "Gérer les inscriptions aux événements que vous organisez"},
    };
    return v;
}

std::optional<Scope> parse_scope(std::string_view code) {
    for (const auto& s : all_scopes())
        if (code == s.code) return s.scope;
    return std::nullopt;
}

const char* scope_code(Scope s) {
    for (const auto& i : all_scopes())
        if (i.scope == s) return i.code;
    return "";
}

const char* scope_label(Scope s) {
    for (const auto& i : all_scopes())
        if (i.scope == s) return i.label;
    return "";
}

std::string join_scopes(const std::vector<Scope>& scopes) {
    std::string out;
    for (const auto& i : all_scopes())
        if (has_scope(scopes, i.scope)) out += (out.empty() ? "" : " ") + std::string(i.code);
    return out;
}

std::vector<Scope> split_scopes(std::string_view codes) {
    std::vector<Scope> found;
    std::size_t pos = 0;
    while (pos < codes.size()) {
        std::size_t end = codes.find(' ', pos);
        if (end == std::string_view::npos) end = codes.size();
        if (auto s = parse_scope(codes.substr(pos, end - pos))) found.push_back(*s);
        pos = end + 1;
    }
    std::vector<Scope> out;
    for (const auto& i : all_scopes())
        if (has_scope(found, i.scope)) out.push_back(i.scope);
    return out;
}

bool has_scope(const std::vector<Scope>& scopes, Scope s) {
    return std::find(scopes.begin(), scopes.end(), s) != scopes.end();
}

std::vector<Scope> grantable_scopes(bool buyer_organisation, bool organiser) {
    std::vector<Scope> out = {Scope::kRead};
    if (buyer_organisation) out.push_back(Scope::kPublishNotices);
    if (organiser) out.push_back(Scope::kManageEvents);
    return out;
}

Result<NewToken> validate_new_token(const std::string& name, const std::vector<std::string>& scope_codes) {
    Error err = Error::Invalid("Le jeton n'a pas été créé : corrigez les champs signalés.");
    NewToken t;
    t.name = trim(name);
    if (t.name.empty())
        err.fields["name"] = "Donnez un nom au jeton (par exemple, le logiciel qui l'utilisera).";
    else if (utf8_length(t.name) > 80 || !is_clean_line(t.name))
        err.fields["name"] = "Le nom doit faire au plus 80 caractères, sans caractère de contrôle.";
    std::vector<Scope> asked;
    for (const auto& c : scope_codes) {
        auto s = parse_scope(c);
        if (!s) {
            err.fields["scopes"] = "Droit inconnu : « " + c.substr(0, 40) + " ».";
            break;
        }
        asked.push_back(*s);
    }
    if (asked.empty() && !err.fields.count("scopes")) err.fields["scopes"] = "Choisissez au moins un droit.";
    if (!err.fields.empty()) return err;
    t.scopes = split_scopes(join_scopes(asked));
    return t;
}

std::optional<std::string> bearer_token(std::string_view authorization) {
    constexpr std::string_view kScheme = "bearer ";
    if (authorization.size() <= kScheme.size()) return std::nullopt;
    for (std::size_t i = 0; i < kScheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return std::nullopt;
    std::string token = trim(authorization.substr(kScheme.size()));
    if (token.rfind(kPrefix, 0) != 0 || token.size() > 200) return std::nullopt;
    return token;
}

}  // namespace passerelle::core::api_tokens
