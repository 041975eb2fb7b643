// Notices imported from the BOAMP and from eForms (TED): their page, with a link to the original, and
// their summary in search results and the API.
#include "core/decp.hpp"
#include "core/french.hpp"
#include "core/notice.hpp"
#include "http/message.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;
namespace en = storage::external_notices;

namespace {

const char* source_label(const std::string& source) {
    return source == "boamp" ? "BOAMP (Bulletin officiel des annonces des marchés publics)"
                             : "eForms (Journal officiel de l'Union européenne, TED)";
}

const char* type_label(const std::string& type) {
    if (type == "competition") return "Avis de marché";
    if (type == "award") return "Avis d'attribution";
    if (type == "planning") return "Avis de préinformation";
    return "Avis";
}

}  // namespace

json Site::external_summary(const en::ExternalNoticeRecord& n) {
    std::string detail = type_label(n.notice_type);
    if (n.bid_deadline)
        detail += " — date limite : " + core::format_datetime_fr(*n.bid_deadline);
    else if (!n.published_on.empty())
        detail += " — publié le " + core::format_day_fr(n.published_on);
    return {{"id", n.id},
            {"url", "/consultations/externes/" + std::to_string(n.id)},
            {"title", n.title},
            {"kind_label", n.source == "boamp" ? "Avis BOAMP" : "Avis eForms"},
            {"status_label", type_label(n.notice_type)},
            {"buyer", n.buyer_name.empty() ? "Acheteur non précisé" : n.buyer_name},
            {"buyer_url", ""},
            {"detail", detail}};
}

json Site::external_json(const en::ExternalNoticeRecord& n) {
    json j = {{"kind", "external"},
              {"id", n.id},
              {"title", n.title},
              {"buyer", {{"siret", n.buyer_identifier}, {"name", n.buyer_name}}},
              {"source", n.source},
              {"source_id", n.source_id},
              {"notice_type", n.notice_type},
              {"source_url", n.url},
              {"url", settings_.base_url + "/consultations/externes/" + std::to_string(n.id)}};
    if (n.bid_deadline) j["bid_deadline"] = core::format_iso8601_utc(*n.bid_deadline);
    return j;
}

Response Site::external_item(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet avis n'existe pas.");
    auto n = s_.external.get(*id);
    if (!n) return fail(ctx, n.error());
    json view = external_summary(n.value());
    view["breadcrumb"] = crumbs({{"Consultations", "/consultations"}, {n->title, view["url"]}});
    view["description"] = n->description;
    view["reference"] = n->reference;
    view["source_label"] = source_label(n->source);
    view["source_id"] = n->source_id;
    view["source_url"] = n->url;
    view["published"] = core::format_day_fr(n->published_on);
    view["deadline"] = n->bid_deadline ? core::format_datetime_fr(*n->bid_deadline) : "";
    view["procedure"] =
        n->procedure.empty() ? "" : core::label_of(core::awarded_procedures(), n->procedure).value_or("");
    view["reservation"] = code_label(clause_labels(), n->reservation);
    view["cpv"] = cpv_chips(n->cpv_codes);
    view["departements"] = n->departements;
    json lots = json::array();
    auto parsed = json::parse(n->lots_json, nullptr, false);
    if (parsed.is_array())
        for (const auto& l : parsed) {
            std::vector<std::string> codes;
            if (l.contains("cpv") && l["cpv"].is_array())
                for (const auto& c : l["cpv"]) codes.push_back(c.get<std::string>());
            json lot = {{"id", l.value("id", "")},
                        {"title", l.value("title", "")},
                        {"description", l.value("description", "")},
                        {"cpv", cpv_chips(codes)},
                        {"departements", l.contains("departements") ? l["departements"] : json::array()},
                        {"reservation", code_label(clause_labels(), l.value("reservation", ""))}};
            if (l.contains("deadline") && l["deadline"].is_number_integer())
                lot["deadline"] = core::format_datetime_fr(l["deadline"].get<std::int64_t>());
            lots.push_back(lot);
        }
    view["lots"] = lots;
    view["has_lots"] = !lots.empty();
    return page(ctx, "external_notice", view);
}

}  // namespace passerelle::web
