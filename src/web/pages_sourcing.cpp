// Sourcing for buyers (/mon-espace/sourcing): suppliers suggested for a purchase (CPV codes, place, amount,
// social clause or reservation), each with its reasons; prefilled from a roadmap item or a notice.
#include <algorithm>
#include <map>

#include "app/sourcing.hpp"
#include "core/cpv.hpp"
#include "core/french.hpp"
#include "core/procurement.hpp"
#include "core/validation.hpp"
#include "http/message.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;

std::string sourcing_url(const std::vector<std::string>& cpv_codes, const std::vector<std::string>& departements,
                         std::int64_t amount, const std::string& clause) {
    std::string url = "/mon-espace/sourcing?";
    for (const auto& c : cpv_codes) url += "cpv_codes=" + http::url_encode(c) + "&";
    if (!departements.empty()) url += "departement=" + http::url_encode(departements.front()) + "&";
    if (amount > 0) url += "montant=" + std::to_string(amount) + "&";
    const std::string intent = clause == "insertion_hours" ? "insertion" : clause;
    if (!intent.empty() && intent != "none") url += "clause=" + http::url_encode(intent) + "&";
    url.pop_back();
    return url;
}

Response Site::sourcing_page(Ctx& ctx) {
    std::vector<std::string> codes;
    auto range = ctx.req.query.equal_range("cpv_codes");
    for (auto it = range.first; it != range.second; ++it)
        if (auto c = core::trim(it->second); !c.empty() && std::find(codes.begin(), codes.end(), c) == codes.end())
            codes.push_back(c);
    const std::string dep = core::trim(ctx.req.query_param("departement"));
    const std::string amount_text = ctx.req.query_param("montant");
    std::string clause = ctx.req.query_param("clause");
    if (!core::label_of(core::clause_intents(), clause)) clause = "none";
    const bool asked = !codes.empty() || !ctx.req.query_param("chercher").empty();

    // The buyer's own past suppliers count: the first buyer organisation of the agent.
    std::string buyer_siret, buyer_name;
    if (auto mine = s_.orgs.memberships_of(ctx.user->id))
        for (const auto& m : mine.value())
            if (m.org_kind == "buyer" && m.status == "active") {
                buyer_siret = m.siret;
                buyer_name = m.org_name;
                break;
            }

    json dep_opts = json::array();
    if (auto deps = s_.reference.departements())
        for (const auto& d : deps.value())
            dep_opts.push_back({{"code", d.code}, {"label", d.code + " — " + d.name}, {"selected", d.code == dep}});
    json view = {{"title", "Sourcing : trouver des fournisseurs"},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"}, {"Sourcing", ""}})},
                 {"cpv", cpv_chips(codes)},
                 {"cpv_legend", "Ce que vous achetez"},
                 {"cpv_query_label", "Ajouter un code CPV"},
                 {"departements", dep_opts},
                 {"montant", amount_text},
                 {"clauses", code_options(core::clause_intents(), {clause})},
                 {"buyer_name", buyer_name},
                 {"asked", asked}};
    if (!asked) return page(ctx, "sourcing", view);

    core::FieldErrors errors;
    if (codes.empty()) errors["cpv_codes"] = "Choisissez au moins un code CPV.";
    if (codes.size() > 10) errors["cpv_codes"] = "Dix codes CPV au plus.";
    app::SourcingQuery q;
    q.departement = dep;
    q.buyer_siret = buyer_siret;
    q.set_clause(clause);
    q.limit = 20;
    if (!core::trim(amount_text).empty()) {
        if (auto euros = core::parse_euros(amount_text))
            q.amount = static_cast<double>(*euros);
        else
            errors["montant"] = "Indiquez un montant en euros, en chiffres (par exemple 250 000).";
    }
    std::vector<app::SupplierSuggestion> ranked;
    if (!errors.count("cpv_codes")) {  // every field's problem at once: the service checks the others
        auto found = s_.sourcing.suggest_for_codes(codes, q, core::format_iso_day_paris(s_.clock.now()));
        if (found) {
            ranked = std::move(found.value());
        } else if (found.error().code != core::ErrorCode::kInvalidInput) {
            return fail(ctx, found.error());
        } else {
            for (const auto& [field, why] : found.error().fields) errors[field == "cpv" ? "cpv_codes" : field] = why;
        }
    }
    if (!errors.empty())
        return form_error(ctx, "sourcing", view, core::Error::Invalid("Vérifiez les critères de recherche.", errors));
    json items = json::array();
    const double top = ranked.empty() ? 1 : ranked.front().suggestion.score;
    int rank = 0;
    for (const auto& s : ranked) {
        const int pct = static_cast<int>(std::lround(100 * s.suggestion.score / top));
        items.push_back({{"rank", ++rank},
                         {"name", s.suggestion.name.empty() ? "Entreprise sans nom publié" : s.suggestion.name},
                         {"siret", s.suggestion.siret},
                         {"url", s.org_id ? "/entreprises/" + s.suggestion.siret : ""},
                         {"relevance", std::max(1, pct)},
                         {"relevance_ratio", std::max(1, pct) / 100.0},
                         {"reasons", s.suggestion.reasons}});
    }
    view["items"] = items;
    view["count"] = items.size();
    view["empty"] = items.empty();
    return page(ctx, "sourcing", view);
}

}  // namespace passerelle::web
