// The observatory (public): figures with their charts and the tables behind them, filters by year, buyer and
// département, the method of each figure, and open-data downloads (CSV, XLSX, JSON); the same figures as
// JSON under /api/v1/observatoire, which the charts read.
#include "core/french.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using json = nlohmann::json;
namespace ob = core::observatory;

namespace {

std::string filter_query(const storage::observatory::Filter& f) {
    std::string q;
    auto add = [&](const char* k, const std::string& v) {
        if (v.empty()) return;
        q += (q.empty() ? "?" : "&") + std::string(k) + "=" + http::url_encode(v);
    };
    add("annee", f.year);
    add("acheteur", f.buyer_org_id ? std::to_string(*f.buyer_org_id) : "");
    add("departement", f.departement);
    return q;
}

json chart_json(const ob::Table& t) {
    json datasets = json::array();
    for (const auto& s : t.series) datasets.push_back({{"label", s.label}, {"values", s.values}});
    return {{"type", t.chart}, {"labels", t.chart_labels}, {"datasets", datasets}};
}

json table_json(const ob::Table& t) {
    return {{"id", t.id},           {"title", t.title}, {"method", t.note},
            {"columns", t.columns}, {"rows", t.raw},    {"chart", t.chart.empty() ? json(nullptr) : chart_json(t)}};
}

}  // namespace

std::optional<storage::observatory::Filter> Site::observatory_filter(Ctx& ctx, std::string& why) {
    auto f = app::ObservatoryService::parse_filter(ctx.req.query_param("annee"), ctx.req.query_param("acheteur"),
                                                   ctx.req.query_param("departement"));
    if (!f) {
        why = f.error().message;
        return std::nullopt;
    }
    return f.value();
}

Response Site::observatory_page(Ctx& ctx) {
    std::string why;
    auto f = observatory_filter(ctx, why);
    if (!f) return error_page(ctx, 400, why);
    auto o = s_.observatory.compute(*f);
    if (!o) return fail(ctx, o.error());
    auto choices = s_.observatory.choices();
    if (!choices) return fail(ctx, choices.error());
    const std::string q = filter_query(*f);
    json tables = json::array();
    for (const auto& t : o->tables) {
        json rows = json::array();
        for (const auto& r : t.rows) {
            json cells = json::array();
            for (std::size_t i = 0; i < r.size(); ++i) cells.push_back({{"value", r[i]}, {"first", i == 0}});
            rows.push_back({{"cells", cells}});
        }
        tables.push_back({{"id", t.id},
                          {"title", t.title},
                          {"note", t.note},
                          {"columns", t.columns},
                          {"rows", rows},
                          {"empty", rows.empty()},
                          {"chart", !t.chart.empty() && !t.chart_labels.empty()},
                          {"chart_type", t.chart},
                          {"wide", t.columns.size() > 5},
                          {"csv_url", "/observatoire/" + t.id + ".csv" + q},
                          {"xlsx_url", "/observatoire/" + t.id + ".xlsx" + q},
                          {"json_url", "/observatoire/" + t.id + ".json" + q}});
    }
    json years = json::array();
    for (const auto& y : choices->years) years.push_back({{"value", y}, {"selected", y == f->year}});
    json buyers = json::array();
    for (const auto& [id, name] : choices->buyers)
        buyers.push_back({{"value", id}, {"label", name}, {"selected", f->buyer_org_id == id}});
    const auto& i = o->innovation;
    return page(ctx, "observatory",
                {{"title", "Observatoire de la commande publique"},
                 {"breadcrumb", crumbs({{"Observatoire", ""}})},
                 {"charts", true},
                 {"api_url", "/api/v1/observatoire" + q},
                 {"all_xlsx_url", "/observatoire/observatoire.xlsx" + q},
                 {"years", years},
                 {"buyers", buyers},
                 {"departements", departement_options({}, f->departement)},
                 {"filtered", !q.empty()},
                 {"contracts", core::format_integer_fr(o->contracts)},
                 {"has_contracts", o->contracts > 0},
                 {"amount", core::format_amount_eur(static_cast<std::int64_t>(o->amount))},
                 {"innovation_percent", core::format_decimal_fr(i.amount_percent, 1) + " %"},
                 {"innovation_reached", i.reached},
                 {"tables", tables}});
}

Response Site::observatory_download(Ctx& ctx) {
    std::string file = ctx.req.path_param("fichier");
    const auto dot = file.rfind('.');
    if (dot == std::string::npos) return error_page(ctx, 404, "Ce fichier n'existe pas.");
    const std::string id = file.substr(0, dot), ext = file.substr(dot + 1);
    if (ext != "csv" && ext != "xlsx" && ext != "json") return error_page(ctx, 404, "Ce format n'existe pas.");
    std::string why;
    auto f = observatory_filter(ctx, why);
    if (!f) return error_page(ctx, 400, why);
    auto o = s_.observatory.compute(*f);
    if (!o) return fail(ctx, o.error());
    std::string suffix = f->year.empty() ? "" : "-" + f->year;
    if (id == "observatoire" && ext == "xlsx") {
        auto x = app::ObservatoryService::xlsx(o->tables);
        if (!x) return fail(ctx, x.error());
        return download_response(std::move(x.value()),
                                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                 "observatoire" + suffix + ".xlsx");
    }
    for (const auto& t : o->tables) {
        if (t.id != id) continue;
        if (ext == "csv")
            return download_response(app::ObservatoryService::csv(t), "text/csv; charset=utf-8",
                                     t.id + suffix + ".csv");
        if (ext == "json")
            return download_response(app::ObservatoryService::json(t), "application/json", t.id + suffix + ".json");
        auto x = app::ObservatoryService::xlsx({t});
        if (!x) return fail(ctx, x.error());
        return download_response(std::move(x.value()),
                                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                 t.id + suffix + ".xlsx");
    }
    return error_page(ctx, 404, "Ce tableau n'existe pas.");
}

Response Site::api_observatory(Ctx& ctx) {
    std::string why;
    auto f = observatory_filter(ctx, why);
    if (!f) return problem(ctx, core::Error::Invalid(why));
    auto o = s_.observatory.compute(*f);
    if (!o) return problem(ctx, o.error());
    const std::string only = ctx.req.path_param("id");
    json tables = json::object();
    for (const auto& t : o->tables) {
        if (!only.empty() && t.id != only) continue;
        tables[t.id] = table_json(t);
    }
    if (!only.empty() && tables.empty()) return problem(ctx, core::Error::NotFound("Ce tableau n'existe pas."));
    json filter = {{"annee", f->year.empty() ? json(nullptr) : json(f->year)},
                   {"acheteur", f->buyer_org_id ? json(*f->buyer_org_id) : json(nullptr)},
                   {"departement", f->departement.empty() ? json(nullptr) : json(f->departement)}};
    Response r = Response::json(
        json{{"filter", filter}, {"contracts", o->contracts}, {"amount", o->amount}, {"tables", tables}}.dump());
    r.set_header("Cache-Control", "public, max-age=300");
    return r;
}

}  // namespace passerelle::web
