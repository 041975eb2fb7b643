// The search page (/recherche) over notices and roadmap items, with tabs, facets with counts, sorting,
// pagination and highlighted snippets; and the same search as JSON (/api/v1/search).
#include "core/decp.hpp"
#include "core/french.hpp"
#include "core/notice.hpp"
#include "core/pagination.hpp"
#include "core/procurement.hpp"
#include "core/validation.hpp"
#include "http/message.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;

namespace {

// Which request parameter drives each facet, in the order shown.
struct FacetDef {
    const char* facet;
    const char* param;
    const char* title;
};
const FacetDef kFacets[] = {{"division", "division", "Domaine (CPV)"}, {"departement", "departement", "Département"},
                            {"clause", "clause", "Clause sociale"},    {"procedure", "procedure", "Procédure"},
                            {"amount", "montant", "Montant estimé"},   {"status", "statut", "État"},
                            {"buyer", "acheteur", "Acheteur"}};

}  // namespace

Response Site::search_page(Ctx& ctx) { return search_view(ctx, false); }

Response Site::contract_list(Ctx& ctx) { return search_view(ctx, true); }

// The search page, or with `contracts_only` the awarded-contracts page (/marches-attribues): the same
// engine, facets and links, without tabs, deadlines or saving.
Response Site::search_view(Ctx& ctx, bool contracts_only) {
    core::Page p;
    std::string why;
    if (!core::parse_page(ctx.req.query_param("page"), "", p, why, 20)) return error_page(ctx, 400, why);
    const std::string base = contracts_only ? "/marches-attribues" : "/recherche";
    const std::string type = contracts_only ? "" : ctx.req.query_param("type");
    search::Query q = page_query(ctx.req);
    q.kind = contracts_only                ? "contract"
             : type == "consultations"     ? "notice"
             : type == "feuilles-de-route" ? "roadmap"
             : type == "marches-attribues" ? "contract"
                                           : "";
    const std::string window = ctx.req.query_param("echeance");
    const std::int64_t now = s_.clock.now();
    if (window == "7j" || window == "30j" || window == "90j") {
        q.deadline_after = now;
        q.deadline_before = now + 86400LL * (window == "7j" ? 7 : window == "30j" ? 30 : 90);
    }
    const std::string sort = ctx.req.query_param("tri");
    const bool contracts = q.kind == "contract";
    q.sort = sort == "echeance" ? "deadline" : sort == "publication" ? "published" : "relevance";
    if (contracts_only && sort.empty() && q.text.empty()) q.sort = "published";  // newest awards first
    // "Tout" is what one can still bid for or plan for; awarded contracts have their own tab.
    // Companies are searched in the directory (/entreprises).
    if (q.kind.empty()) q.kinds_excluded = {"contract", "company"};
    q.offset = static_cast<int>(p.offset());
    q.limit = p.per_page;
    q.now = now;
    auto results = s_.index.search(q);
    if (!results) return fail(ctx, results.error());
    // Tab counts come from the same query without the kind filter.
    std::map<std::string, std::int64_t> kind_counts = results->facets["kind"];
    if (!contracts_only) {
        search::Query all = q;
        all.kind.clear();
        all.kinds_excluded = {"company"};
        all.snippets = false;  // only its "kind" facet is read
        all.kind_facet_only = true;
        all.limit = 1;
        all.offset = 0;
        if (auto r = s_.index.search(all)) kind_counts = r->facets["kind"];
    }

    json hits = json::array();
    for (const auto& h : results->hits) {
        json item;
        if (h.kind == "notice") {
            auto n = s_.notices.get(core::Actor{}, h.id);
            if (!n) continue;
            item = notice_summary(n.value());
            item["kind_label"] = "Consultation";
            item["detail"] = "Date limite : " + item["deadline"].get<std::string>();
        } else if (h.kind == "roadmap") {
            auto r = s_.roadmaps.get(core::Actor{}, h.id);
            if (!r) continue;
            item = roadmap_summary(r.value());
            item["kind_label"] = "Projet d'achat";
            item["detail"] = item["quarter"].get<std::string>() + " — " + item["amount"].get<std::string>();
        } else if (h.kind == "external") {
            auto n = s_.external.get(h.id);
            if (!n) continue;
            item = external_summary(n.value());
        } else {
            auto c = s_.contracts.get(h.id);
            if (!c) continue;
            item = contract_summary(c.value());
        }
        item["snippet"] = h.snippet_html;  // escaped by Xapian; only <mark> is added
        hits.push_back(item);
    }

    // The current filters, to build links that add or remove one.
    std::vector<std::pair<std::string, std::string>> params = {{"q", q.text},
                                                               {"type", type},
                                                               {"departement", ctx.req.query_param("departement")},
                                                               {"division", q.cpv_division},
                                                               {"clause", q.clause},
                                                               {"procedure", q.procedure},
                                                               {"montant", q.amount_band},
                                                               {"statut", q.status},
                                                               {"acheteur", ctx.req.query_param("acheteur")},
                                                               {"echeance", window},
                                                               {"tri", sort}};
    auto link = [&](const std::string& key, const std::string& value) {
        std::string url = base;
        char sep = '?';
        for (const auto& [k, v] : params) {
            const std::string val = k == key ? value : v;
            if (val.empty()) continue;
            url += sep + k + "=" + http::url_encode(val);
            sep = '&';
        }
        return url;
    };
    auto deps = s_.reference.departements();
    auto divisions = s_.reference.cpv_divisions();
    auto facet_label = [&](const std::string& facet, const std::string& value) -> std::string {
        if (facet == "departement" && deps)
            for (const auto& d : deps.value())
                if (d.code == value) return d.code + " — " + d.name;
        if (facet == "division" && divisions)
            for (const auto& d : divisions.value())
                if (d.division == value) return d.division + " — " + d.label_fr;
        if (facet == "clause") return code_label(clause_labels(), value);
        if (facet == "procedure") return code_label(core::awarded_procedures(), value);
        if (facet == "amount") return code_label(amount_bands(), value);
        if (facet == "status") return code_label(status_labels(), value);
        if (facet == "buyer")
            if (auto o = parse_id(value))
                if (auto org = s_.orgs.get(*o)) return org->name;
        return value;
    };
    json facets = json::array();
    for (const auto& def : kFacets) {
        auto it = results->facets.find(def.facet);
        if (it == results->facets.end() || it->second.empty()) continue;
        std::string current;
        for (const auto& [k, v] : params)
            if (k == def.param) current = v;
        std::vector<std::pair<std::string, std::int64_t>> values(it->second.begin(), it->second.end());
        std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
        json entries = json::array();
        for (const auto& [value, count] : values) {
            if (entries.size() >= 12) break;
            const bool active = value == current;
            entries.push_back({{"label", facet_label(def.facet, value)},
                               {"count", core::format_integer_fr(count)},
                               {"url", link(def.param, active ? "" : value)},
                               {"active", active}});
        }
        const bool awarded_amount = contracts && std::string(def.facet) == "amount";
        facets.push_back({{"title", awarded_amount ? "Montant" : def.title}, {"entries", entries}});
    }
    auto tab = [&](const std::string& code, const std::string& label, std::int64_t count) {
        return json{{"label", label},
                    {"count", core::format_integer_fr(count)},
                    {"url", link("type", code)},
                    {"active", type == code}};
    };
    json tabs = json::array();
    if (!contracts_only)
        tabs = json::array({tab("", "Tout", kind_counts["notice"] + kind_counts["roadmap"]),
                            tab("consultations", "Consultations", kind_counts["notice"]),
                            tab("feuilles-de-route", "Projets d'achat", kind_counts["roadmap"]),
                            tab("marches-attribues", "Marchés attribués", kind_counts["contract"])});
    json sorts = json::array();
    std::vector<std::pair<std::string, std::string>> sort_choices = {{"", "Pertinence"}};
    if (!contracts) sort_choices.emplace_back("echeance", "Date limite");
    sort_choices.emplace_back("publication", contracts ? "Date de notification" : "Date de publication");
    for (const auto& [code, label] : sort_choices)
        sorts.push_back({{"label", label}, {"url", link("tri", code)}, {"active", sort == code}});
    json windows = json::array();
    if (!contracts)
        for (const auto& [code, label] : std::vector<std::pair<std::string, std::string>>{
                 {"7j", "Dans les 7 jours"}, {"30j", "Dans les 30 jours"}, {"90j", "Dans les 90 jours"}})
            windows.push_back({{"label", label},
                               {"count", core::format_integer_fr(results->facets["deadline"][code])},
                               {"url", link("echeance", window == code ? "" : code)},
                               {"active", window == code}});
    json save = nullptr;
    if (ctx.user && !contracts) {
        json fields = json::array();
        for (const auto& [k, v] : params)
            if (!v.empty() && k != "tri" && k != "echeance" && k != "acheteur" && k != "montant" && k != "statut")
                fields.push_back({{"name", k}, {"value", v}});
        // A refused save comes back as typed (see search_save), the section open.
        json form = form_view(ctx, "save", {{"name", q.text.empty() ? "Ma veille" : q.text}, {"frequency", "daily"}});
        const std::string frequency = form["values"].value("frequency", "");
        json frequencies = json::array();
        for (const auto& [code, label] : std::vector<std::pair<std::string, std::string>>{
                 {"immediate", "À chaque nouveauté"}, {"daily", "Chaque jour"}, {"weekly", "Chaque semaine"}})
            frequencies.push_back({{"code", code}, {"label", label}, {"selected", code == frequency}});
        save = {{"fields", fields}, {"form", form}, {"frequencies", frequencies}};
    }
    const std::string heading = contracts_only ? "Marchés attribués" : "Recherche";
    std::string csv_url = "/marches-attribues.csv" + link("type", "").substr(base.size());
    json view = {{"title", q.text.empty() ? heading : heading + " : " + q.text},
                 {"heading", heading},
                 {"action", base},
                 {"contracts_only", contracts_only},
                 {"csv_url", contracts ? csv_url : ""},
                 {"windows_shown", !contracts},
                 {"save", save},
                 {"anonymous", !ctx.user && !contracts},
                 {"breadcrumb", crumbs({{heading, base}})},
                 {"q", q.text},
                 {"type", type},
                 {"hits", hits},
                 {"empty", hits.empty()},
                 {"total", core::format_integer_fr(results->total)},
                 {"tabs", tabs},
                 {"facets", facets},
                 {"sorts", sorts},
                 {"windows", windows}};
    add_pagination(view, link("", ""), p.page, p.per_page, results->total);
    return page(ctx, "search", view);
}

Response Site::api_search(Ctx& ctx) {
    core::Page p;
    std::string why;
    if (!core::parse_page(ctx.req.query_param("page"), ctx.req.query_param("per_page"), p, why))
        return problem(ctx, core::Error::Invalid(why));
    search::Query q;
    q.text = ctx.req.query_param("q");
    if (core::utf8_length(q.text) > 300)
        return problem(ctx, core::Error::Invalid("Le paramètre q compte au plus 300 caractères."));
    q.kind = ctx.req.query_param("type");
    if (!q.kind.empty() && q.kind != "notice" && q.kind != "roadmap" && q.kind != "contract")
        return problem(ctx, core::Error::Invalid("Le paramètre type vaut notice, roadmap ou contract."));
    if (q.kind.empty()) q.kinds_excluded = {"company"};
    if (auto d = ctx.req.query_param("departement"); !d.empty()) q.departements = {d};
    q.cpv_division = ctx.req.query_param("cpv_division");
    q.clause = ctx.req.query_param("clause");
    q.procedure = ctx.req.query_param("procedure");
    q.amount_band = ctx.req.query_param("amount_band");
    q.status = ctx.req.query_param("status");
    q.sort = ctx.req.query_param("sort").empty() ? "relevance" : ctx.req.query_param("sort");
    if (q.sort != "relevance" && q.sort != "deadline" && q.sort != "published")
        return problem(ctx, core::Error::Invalid("Le paramètre sort vaut relevance, deadline ou published."));
    q.offset = static_cast<int>(p.offset());
    q.limit = p.per_page;
    auto results = s_.index.search(q);
    if (!results) return problem(ctx, results.error());
    json items = json::array();
    for (const auto& h : results->hits) {
        json item = {{"kind", h.kind}, {"id", h.id}, {"score", h.score}, {"snippet_html", h.snippet_html}};
        if (h.kind == "notice") {
            auto n = s_.notices.get(core::Actor{}, h.id);
            if (!n) continue;
            item["title"] = n->title;
            item["buyer"] = {{"siret", n->org_siret}, {"name", n->org_name}};
            item["url"] = settings_.base_url + "/consultations/" + std::to_string(h.id);
            item["bid_deadline"] = core::format_iso8601_utc(n->bid_deadline);
        } else if (h.kind == "contract") {
            auto c = s_.contracts.get(h.id);
            if (!c) continue;
            item.update(contract_json(c.value()));
        } else if (h.kind == "external") {
            auto n = s_.external.get(h.id);
            if (!n) continue;
            item.update(external_json(n.value()));
        } else {
            auto r = s_.roadmaps.get(core::Actor{}, h.id);
            if (!r) continue;
            item["title"] = r->title;
            item["buyer"] = {{"siret", r->org_siret}, {"name", r->org_name}};
            item["url"] = settings_.base_url + "/feuilles-de-route/" + std::to_string(h.id);
            item["expected_quarter"] = core::Quarter{r->quarter_year, r->quarter}.code();
        }
        items.push_back(item);
    }
    json facets = json::object();
    for (const auto& [facet, values] : results->facets) facets[facet] = values;
    Response r = Response::json(json({{"items", items},
                                      {"total", results->total},
                                      {"page", p.page},
                                      {"per_page", p.per_page},
                                      {"facets", facets}})
                                    .dump());
    r.set_header("X-Total-Count", std::to_string(results->total));
    return r;
}

}  // namespace passerelle::web
