// Awarded contracts (marchés attribués): the contract page, its summary in search results, the CSV of a
// selection (same filters as the list page) and the JSON shape used by the API.
#include <cstdio>
#include <set>

#include "core/decp.hpp"
#include "core/french.hpp"
#include "http/message.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;
namespace ct = storage::contracts;

namespace {

// « 28 442,86 € », or « 39 200 € » when there are no cents.
std::string amount_fr(const std::optional<double>& a) {
    if (!a) return "";
    const auto cents = static_cast<std::int64_t>(*a * 100 + 0.5);
    std::string s = core::format_integer_fr(cents / 100);
    if (cents % 100) {
        char buf[8];
        std::snprintf(buf, sizeof buf, ",%02d", static_cast<int>(cents % 100));
        s += buf;
    }
    return s + "\u202f€";
}

const char* format_label(const std::string& f) {
    if (f == "decp-v1") return "DECP (format 2019)";
    if (f == "decp-v2") return "DECP (format 2024)";
    if (f == "decp-csv") return "DECP (fichier tabulaire consolidé)";
    return "Passerelle (attribution publiée sur la plateforme)";
}

}  // namespace

std::string Site::contract_title(const ct::ContractRecord& c) {
    if (!c.object.empty()) return c.object;
    std::vector<std::string> labels;  // the tabular DECP has no object: named by its nature and CPV
    if (auto l = s_.reference.cpv_label(c.cpv); l && !l->empty()) labels.push_back(l.value());
    return app::contract_title(c.nature, labels);
}

json Site::contract_summary(const ct::ContractRecord& c) {
    // Linked organisations were matched by SIRET: their page is under their kind's directory.
    auto org_url = [](const std::string& kind, const std::string& siret) -> std::string {
        if (kind.empty()) return "";
        return (kind == "buyer" ? "/acheteurs/" : "/entreprises/") + siret;
    };
    json winners = json::array();
    std::string names;
    for (const auto& s : c.suppliers) {
        winners.push_back({{"name", s.name.empty() ? s.identifier : s.name},
                           {"identifier", s.identifier},
                           {"identifier_type", s.identifier_type},
                           {"url", org_url(s.org_kind, s.identifier)}});
        names += (names.empty() ? "" : ", ") + (s.name.empty() ? s.identifier : s.name);
    }
    const std::string title = contract_title(c);
    std::string detail = names.empty() ? "Titulaire non publié" : "Titulaire : " + names;
    if (c.amount) detail += " — " + amount_fr(c.amount);
    return {{"id", c.id},
            {"url", "/marches-attribues/" + std::to_string(c.id)},
            {"title", title},
            {"kind_label", c.kind == "concession" ? "Concession attribuée" : "Marché attribué"},
            {"status_label", c.notified_on.empty() ? "Date de notification non publiée"
                                                   : "Notifié le " + core::format_day_fr(c.notified_on)},
            {"buyer", c.buyer_name.empty() ? "Acheteur " + c.buyer_identifier : c.buyer_name},
            {"buyer_url", org_url(c.buyer_org_kind, c.buyer_identifier)},
            {"detail", detail},
            {"winners", winners},
            {"amount", amount_fr(c.amount)},
            {"notified", core::format_day_fr(c.notified_on)}};
}

json Site::contract_json(const ct::ContractRecord& c) {
    json winners = json::array();
    for (const auto& s : c.suppliers)
        winners.push_back({{"identifier", s.identifier}, {"identifier_type", s.identifier_type}, {"name", s.name}});
    json j = {{"kind", "contract"},
              {"id", c.id},
              {"title", contract_title(c)},
              {"buyer", {{"siret", c.buyer_identifier}, {"name", c.buyer_name}}},
              {"winners", winners},
              {"source_id", c.source_id},
              {"source_format", c.format},
              {"cpv", c.cpv},
              {"procedure", c.procedure_text},
              {"departement", c.departement},
              {"notified_on", c.notified_on},
              {"amount", c.amount ? json(*c.amount) : json(nullptr)},
              {"url", settings_.base_url + "/marches-attribues/" + std::to_string(c.id)}};
    return j;
}

Response Site::contract_item(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Ce marché n'existe pas.");
    auto c = s_.contracts.get(*id);
    if (!c) return fail(ctx, c.error());
    json view = contract_summary(c.value());
    view["breadcrumb"] = crumbs({{"Marchés attribués", "/marches-attribues"}, {view["title"], view["url"]}});
    view["object"] = c->object;
    view["nature"] = c->nature;
    view["cpv"] = cpv_chips({c->cpv});
    view["procedure"] = c->procedure_text.empty() ? "" : c->procedure_text;
    view["departement"] = c->departement;
    view["place_code"] = c->place_code;
    view["duration"] = c->duration_months ? std::to_string(*c->duration_months) + " mois" : "";
    view["published"] = core::format_day_fr(c->published_on);
    view["social_clause"] = c->social_clause;
    view["source_id"] = c->source_id.empty() ? "non publié" : c->source_id;
    view["source_label"] = format_label(c->format);
    view["source_platform"] = c->source;
    view["buyer_identifier"] = c->buyer_identifier;
    json warnings = json::array();
    std::string w = c->warnings;
    for (std::size_t start = 0; start < w.size();) {
        auto end = w.find('\n', start);
        if (end == std::string::npos) end = w.size();
        warnings.push_back(w.substr(start, end - start));
        start = end + 1;
    }
    view["warnings"] = warnings;
    view["has_warnings"] = !warnings.empty();
    if (c->notice_id) view["notice_url"] = "/consultations/" + std::to_string(*c->notice_id);
    add_clause_section(ctx, view, *id);
    return page(ctx, "contract", view);
}

Response Site::contract_csv(Ctx& ctx) {
    return export_download(ctx, "contracts", "marches-attribues.csv", [&](std::ostream& out) -> core::Status {
        search::Query q = page_query(ctx.req);
        q.kind = "contract";
        q.sort = q.text.empty() ? "published" : "relevance";
        q.facets = false;
        q.snippets = false;
        q.limit = 100;  // the most a search returns at once: the selection is read and written page by page
        constexpr int kMaxRows = 100000;  // the whole data set is in the OCDS export
        app::ContractService::write_csv_header(out);
        for (q.offset = 0; q.offset < kMaxRows; q.offset += q.limit) {
            auto results = s_.index.search(q);
            if (!results) return results.error();
            std::vector<std::int64_t> ids;
            for (const auto& h : results->hits) ids.push_back(h.id);
            if (auto st = s_.contracts.write_csv_rows(ids, out); !st) return st;
            if (results->hits.size() < static_cast<std::size_t>(q.limit)) break;
        }
        return {};
    });
}

Response Site::export_download(Ctx& ctx, const std::string& kind, const std::string& filename,
                               const std::function<core::Status(std::ostream&)>& build) {
    if (auto why = invalid_filter(ctx.req); !why.empty())
        return ctx.req.wants_json() ? problem(ctx, core::Error::Invalid(why)) : error_page(ctx, 400, why);
    // The selection: the kind and its filters in a canonical order (the query's multimap is sorted by name).
    // Other parameters change nothing of the file, so they do not make a new one (no cache busting).
    static const std::set<std::string, std::less<>> kFilters = {
        "acheteur", "clause", "departement", "division", "etat", "montant", "procedure", "q", "statut"};
    std::string selection = kind;
    for (const auto& [k, v] : ctx.req.query)
        if (!v.empty() && kFilters.count(k)) selection += "&" + http::url_encode(k) + "=" + http::url_encode(v);
    auto entry = s_.exports.get(selection, s_.index.version(), build);
    if (!entry) return fail(ctx, entry.error());
    Response r;
    r.set_header("ETag", entry->etag);
    r.set_header("Last-Modified", http::http_date(entry->modified));
    // Public data: any cache may keep it, and must ask again (a 304 while it has not changed).
    r.set_header("Cache-Control", "public, no-cache");
    if (http::not_modified(ctx.req, entry->etag, entry->modified)) {
        r.status = 304;
        return r;
    }
    r.body_file = entry->path;
    r.set_header("Content-Type", "text/csv; charset=utf-8");
    r.set_header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    return r;
}

}  // namespace passerelle::web
