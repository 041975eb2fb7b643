#include "web/helpers.hpp"

#include <algorithm>
#include <charconv>

#include "core/french.hpp"

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

search::Query page_query(const http::Request& req) {
    search::Query q;
    q.text = req.query_param("q").substr(0, 300);
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
    PostedForm out;
    if (req.header("content-type").rfind("multipart/form-data", 0) != 0) {
        for (const auto& [k, v] : req.form()) out.fields[k] = v;
        out.csrf = out.fields["_csrf"];
        return out;
    }
    auto parts = http::parse_multipart(req.header("content-type"), req.body);
    if (!parts) return std::nullopt;
    for (auto& p : *parts) {
        if (!p.filename.empty()) {
            out.files.push_back(std::move(p));  // an empty file chosen is kept: the service refuses it by name
        } else {
            out.fields[p.name] = p.data;
        }
    }
    out.csrf = out.fields["_csrf"];
    return out;
}

}  // namespace passerelle::web
