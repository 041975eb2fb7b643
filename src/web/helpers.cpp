#include "web/helpers.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>

#include "core/decp.hpp"
#include "core/french.hpp"
#include "core/notice.hpp"
#include "core/procurement.hpp"
#include "core/validation.hpp"

namespace passerelle::web {

std::string return_path(const std::string& requested, const std::vector<std::string_view>& within,
                        const std::string& fallback) {
    std::string path = http::same_site_path(requested, "");
    if (path.empty()) return fallback;
    if (within.empty()) return path;
    for (auto prefix : within)
        if (path.rfind(prefix, 0) == 0) return path;
    return fallback;
}

std::optional<std::int64_t> parse_id(const std::string& s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}

std::string code_label(const std::vector<core::CodeLabel>& list, const std::string& code) {
    return core::label_of(list, code).value_or(code);
}

nlohmann::json code_options(const std::vector<core::CodeLabel>& list, const std::vector<std::string>& selected,
                            bool skip_none) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& cl : list) {
        if (skip_none && std::string(cl.code) == "none") continue;
        bool sel = std::find(selected.begin(), selected.end(), cl.code) != selected.end();
        out.push_back({{"code", cl.code}, {"label", cl.label}, {"selected", sel}});
    }
    return out;
}

void add_pagination(nlohmann::json& view, const std::string& url, int page, int per_page, std::int64_t total) {
    const int pages = total <= 0 ? 1 : static_cast<int>((total + per_page - 1) / per_page);
    const char sep = url.find('?') == std::string::npos ? '?' : '&';
    view["page"] = page;
    view["pages"] = pages;
    if (page > 1) view["prev_url"] = url + sep + "page=" + std::to_string(page - 1);
    if (page < pages) view["next_url"] = url + sep + "page=" + std::to_string(page + 1);
}

nlohmann::json crumbs(const std::vector<std::pair<std::string, std::string>>& items) {
    nlohmann::json out = nlohmann::json::array({{{"label", "Accueil"}, {"url", "/"}}});
    for (const auto& [l, u] : items) out.push_back({{"label", l}, {"url", u}});
    out.back()["current"] = true;
    return out;
}

const std::vector<core::CodeLabel>& clause_labels() {
    static const std::vector<core::CodeLabel> v = {{"insertion_hours", "Clause d'insertion (heures)"},
                                                   {"insertion", "Clause d'insertion envisagée"},
                                                   {"reserved_siae", "Réservé aux SIAE"},
                                                   {"reserved_ea_esat", "Réservé aux EA / ESAT"},
                                                   {"reserved_ess", "Réservé à l'ESS"},
                                                   {"reserved", "Marché réservé (SIAE / EA / ESAT)"},
                                                   {"award_criterion", "Critère d'attribution insertion"},
                                                   {"social_clause", "Clause sociale (marché attribué)"}};
    return v;
}

const std::vector<core::CodeLabel>& amount_bands() {
    static const std::vector<core::CodeLabel> v = {
        {"lt40k", "Moins de 40 000 €"},     {"40k-215k", "De 40 000 à 215 000 €"},
        {"215k-1m", "De 215 000 € à 1 M€"}, {"1m-5m", "De 1 à 5 M€"},
        {"gt5m", "Plus de 5 M€"},           {"unknown", "Montant non précisé"}};
    return v;
}

const std::vector<core::CodeLabel>& status_labels() {
    static const std::vector<core::CodeLabel> v = {{"published", "Publié / en cours"},
                                                   {"closed", "Clôturée"},
                                                   {"awarded", "Attribuée"},
                                                   {"unsuccessful", "Infructueuse"},
                                                   {"converted", "Consultation lancée"},
                                                   {"abandoned", "Abandonné"}};
    return v;
}

std::string invalid_filter(const http::Request& req) {
    auto in = [](const std::vector<core::CodeLabel>& list, const std::string& v) {
        return std::any_of(list.begin(), list.end(), [&](const core::CodeLabel& c) { return c.code == v; });
    };
    for (const auto& [k, v] : req.query) {
        if (v.empty()) continue;
        if (!core::is_valid_utf8(v)) return "Le filtre « " + k + " » n'est pas du texte valide.";
        if (k == "q" && core::utf8_length(v) > 300) return "La recherche compte 300 caractères au plus.";
        if (k == "departement" && !core::is_departement_code(v))
            return "Le département « " + v + " » n'existe pas (par exemple 93 ou 2A).";
        if (k == "division" && (v.size() != 2 || !std::all_of(v.begin(), v.end(), ::isdigit)))
            return "Le domaine CPV est une division de deux chiffres (par exemple 45).";
        if (k == "clause" && !in(clause_labels(), v) && !in(core::lot_clause_kinds(), v))
            return "La clause « " + v + " » n'existe pas.";
        if (k == "procedure" && !in(core::awarded_procedures(), v) && !in(core::procedures(), v))
            return "La procédure « " + v + " » n'existe pas.";
        if (k == "montant" && !in(amount_bands(), v)) return "La tranche de montant « " + v + " » n'existe pas.";
        if (k == "statut" && !in(status_labels(), v)) return "L'état « " + v + " » n'existe pas.";
        if (k == "acheteur" && !parse_id(v)) return "L'acheteur doit être désigné par son numéro.";
        if (k == "etat" && v != "toutes" && v != "ouvertes") return "L'état demandé est « toutes » ou « ouvertes ».";
    }
    return "";
}

void mark_selected(nlohmann::json& options, const nlohmann::json& values, const std::string& field) {
    const std::string chosen = values.value(field, "");
    for (auto& o : options) o["selected"] = std::to_string(o["id"].get<std::int64_t>()) == chosen;
}

std::set<std::string> typed_values(const nlohmann::json& values, const std::string& field) {
    std::set<std::string> out;
    std::istringstream in(values.value(field, ""));
    for (std::string v; in >> v;) out.insert(v);
    return out;
}

std::string typed_cpv(const http::Request& req) {
    return req.method == "POST" ? core::trim(req.form_value("cpv_query")) : std::string();
}

std::vector<std::string> cpv_codes_with_typed(const http::Request& req) {
    auto codes = req.form_values("cpv_codes");
    if (auto typed = typed_cpv(req); !typed.empty()) codes.push_back(typed);
    return codes;
}

std::vector<std::string> picked_cpv(const http::Request& req, std::vector<std::string> codes) {
    if (const auto typed = typed_cpv(req); !typed.empty() && !codes.empty() && codes.back() == typed) codes.pop_back();
    return codes;
}

search::Query page_query(const http::Request& req) {
    search::Query q;
    q.text = req.query_param("q");  // its length is checked (in characters) by invalid_filter
    if (auto d = req.query_param("departement"); !d.empty()) q.departements = {d};
    q.cpv_division = req.query_param("division");
    q.clause = req.query_param("clause");
    q.procedure = req.query_param("procedure");
    q.amount_band = req.query_param("montant");
    q.status = req.query_param("statut");
    if (auto b = parse_id(req.query_param("acheteur"))) q.buyer_id = b;
    return q;
}

http::Response download_response(std::string bytes, const std::string& content_type, const std::string& filename) {
    http::Response r;
    r.body = std::move(bytes);
    r.set_header("Content-Type", content_type);
    // Always a download, never rendered by the browser; the name is ASCII-safe plus its UTF-8 form (RFC 6266).
    std::string ascii;
    for (unsigned char c : filename) {
        if (c >= 0x80 && c < 0xC0) continue;  // one '_' per non-ASCII character
        ascii.push_back(c < 0x80 && c != '"' && c != '\\' ? static_cast<char>(c) : '_');
    }
    r.set_header("Content-Disposition",
                 "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + http::url_encode(filename));
    r.set_header("Cache-Control", "private, no-store");
    return r;
}

std::optional<PostedForm> posted_form(const http::Request& req) {
    if (req.form_malformed()) return std::nullopt;
    PostedForm out;
    for (const auto& [k, v] : req.form()) out.fields[k] = v;  // the last value of a name, as before
    out.files = req.files();
    out.csrf = out.fields["_csrf"];
    return out;
}

std::string recovery_codes_text(std::int64_t left) {
    return left <= 0   ? "aucun code de secours"
           : left == 1 ? "un seul code de secours"
                       : std::to_string(left) + " codes de secours";
}

}  // namespace passerelle::web
