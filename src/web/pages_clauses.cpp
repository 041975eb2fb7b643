// Social clauses on the site: the clauses section of an awarded contract (clauses with their progress,
// subcontractors, declarations; forms for facilitators and for the contract's parties), the hours
// declaration form, a declaration's page (review or correction), the facilitator's workspace (portfolio,
// declarations to review), the buyer's yearly report (printable, XLSX), the estimate's parameters, and the
// advice shown beside each lot of a notice being written (htmx fragment).
#include <cmath>

#include "core/clause.hpp"
#include "core/french.hpp"
#include "core/validation.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using json = nlohmann::json;
namespace cc = core::clauses;

namespace {

std::string contract_path(std::int64_t id) { return "/marches-attribues/" + std::to_string(id); }
constexpr const char* kSpace = "/mon-espace/clauses";

std::string day_text(const std::string& iso) { return iso.empty() ? "" : core::format_day_fr(iso); }

std::string status_label(const std::string& s) {
    if (s == "accepted") return "acceptée";
    if (s == "correction") return "à corriger";
    return "à examiner";
}
std::string status_badge(const std::string& s) {
    if (s == "accepted") return "text-bg-success";
    if (s == "correction") return "text-bg-warning";
    return "text-bg-info";
}

json clause_line_view(const app::ClauseLine& l) {
    const auto& k = l.record;
    const bool hours = k.clause.kind == "insertion_hours";
    const int delivered = static_cast<int>(std::lround(std::min(1.0, l.progress.delivered) * 100));
    json v = {
        {"id", k.id},
        {"kind", code_label(cc::clause_kinds(), k.clause.kind)},
        {"hours", hours},
        {"required", core::format_integer_fr(k.clause.hours_required)},
        {"accepted", core::format_integer_fr(std::llround(k.accepted_hours))},
        {"delivered_percent", delivered},
        {"delivered_label", core::format_decimal_fr(l.progress.delivered * 100, 0) + " %"},
        {"elapsed_label", core::format_decimal_fr(l.progress.elapsed * 100, 0) + " %"},
        {"period", hours ? "du " + day_text(k.clause.period_start) + " au " + day_text(k.clause.period_end) : ""},
        {"territory", k.clause.departement},
        {"notes", k.clause.notes},
        {"facilitator", k.facilitator_name},
        {"late", l.progress.late},
        {"finished", l.progress.finished},
        {"pending", k.pending_declarations},
        {"has_pending", k.pending_declarations > 0},
        {"contract_url", contract_path(k.contract_id)},
        {"contract", k.contract_object.empty() ? "Marché n° " + std::to_string(k.contract_id) : k.contract_object},
        {"buyer", k.buyer_name},
        {"holder", k.holder_name},
        {"declare_url", contract_path(k.contract_id) + "/clauses/" + std::to_string(k.id) + "/heures"},
        {"edit_url", std::string(kSpace) + "/" + std::to_string(k.id) + "/modifier"},
        {"remove_url", std::string(kSpace) + "/" + std::to_string(k.id) + "/supprimer"}};
    return v;
}

json declaration_view(const storage::clauses::DeclarationRecord& d) {
    json cats = json::array();
    for (const auto& c : cc::participant_categories()) {
        auto it = d.declaration.categories.find(c.code);
        cats.push_back({{"label", c.label}, {"count", it == d.declaration.categories.end() ? 0 : it->second}});
    }
    return {{"id", d.id},
            {"url", std::string(kSpace) + "/declarations/" + std::to_string(d.id)},
            {"period", "du " + day_text(d.declaration.period_start) + " au " + day_text(d.declaration.period_end)},
            {"hours", core::format_decimal_fr(d.declaration.hours, 1)},
            {"employer", d.declaration.employer_name},
            {"participants", d.declaration.participants},
            {"women", d.declaration.women},
            {"men", d.declaration.men},
            {"categories", cats},
            {"status", status_label(d.status)},
            {"badge", status_badge(d.status)},
            {"submitted", d.status == "submitted"},
            {"correction", d.status == "correction"},
            {"comment", d.review_comment},
            {"org", d.declared_for_name},
            {"by", d.declared_by_email},
            {"date", core::format_date_fr(d.created_at)},
            {"contract", d.contract_object},
            {"contract_url", contract_path(d.contract_id)}};
}

json declaration_form_view(const cc::DeclarationInput& in) {
    json cats = json::array();
    for (const auto& c : cc::participant_categories()) {
        auto it = in.categories.find(c.code);
        cats.push_back({{"code", c.code}, {"label", c.label}, {"value", it == in.categories.end() ? "" : it->second}});
    }
    return {{"period_start", in.period_start},
            {"period_end", in.period_end},
            {"hours_value", in.hours},
            {"employer_name", in.employer_name},
            {"participants", in.participants},
            {"categories", cats},
            {"women", in.women},
            {"men", in.men}};
}

// The per-category messages of a refused declaration, beside their fields.
json with_errors(json form, const core::Error& e) {
    for (auto& c : form["categories"]) {
        auto it = e.fields.find(c["code"].get<std::string>());
        if (it != e.fields.end()) c["message"] = it->second;
    }
    return form;
}

cc::DeclarationInput declaration_input(const http::Request& req) {
    cc::DeclarationInput in;
    in.period_start = req.form_value("period_start");
    in.period_end = req.form_value("period_end");
    in.hours = req.form_value("hours");
    in.employer_name = req.form_value("employer_name");
    in.participants = req.form_value("participants");
    for (const auto& c : cc::participant_categories()) in.categories[c.code] = req.form_value(c.code);
    in.women = req.form_value("women");
    in.men = req.form_value("men");
    return in;
}

cc::ClauseInput clause_input(const http::Request& req) {
    return {req.form_value("kind"),       req.form_value("hours_required"), req.form_value("period_start"),
            req.form_value("period_end"), req.form_value("departement"),    req.form_value("notes")};
}

}  // namespace

json Site::clause_form_view(const cc::ClauseInput& in, bool follow) {
    return {{"kinds", code_options(cc::clause_kinds(), {in.kind})},
            {"hours_required", in.hours_required},
            {"period_start", in.period_start},
            {"period_end", in.period_end},
            {"departements", departement_options({}, in.departement)},
            {"notes", in.notes},
            {"follow", follow},
            {"prefix", ""}};
}

void Site::add_clause_section(Ctx& ctx, json& view, std::int64_t contract_id) {
    auto c = s_.clauses.of_contract(ctx.actor, contract_id);
    if (!c) return;
    json clauses = json::array();
    for (const auto& l : c->clauses) {
        json v = clause_line_view(l);
        v["can_declare"] = l.record.clause.kind == "insertion_hours" && (!c->declaring_orgs.empty() || c->facilitator);
        clauses.push_back(v);
    }
    json subs = json::array();
    for (const auto& s : c->subcontractors)
        subs.push_back(
            {{"name", s.name},
             {"siret", s.siret},
             {"remove_url", contract_path(contract_id) + "/sous-traitants/" + std::to_string(s.org_id) + "/retirer"}});
    json decls = json::array();
    for (const auto& d : c->declarations) decls.push_back(declaration_view(d));
    view["clauses"] = clauses;
    view["has_clauses"] = !clauses.empty();
    view["facilitator"] = c->facilitator;
    view["party"] = !c->declaring_orgs.empty();
    view["holder"] = c->holder || c->facilitator;
    view["subcontractors"] = subs;
    view["has_subcontractors"] = !subs.empty();
    view["sees_declarations"] = c->sees_declarations && !decls.empty();
    view["declarations"] = decls;
    view["clause_action"] = contract_path(contract_id) + "/clauses";
    view["subcontractor_action"] = contract_path(contract_id) + "/sous-traitants";
    view["subcontractor_form"] = form_view(ctx, "subcontractor");  // as typed when refused
    if (!c->facilitator) return;
    // The form to add a clause: empty, or as typed when it came back refused (the section then open).
    json refused = form_view(ctx, "clause");
    const json& v = refused["values"];
    const bool again = refused["has_errors"].get<bool>();
    json form = again
                    ? clause_form_view({v.value("kind", ""), v.value("hours_required", ""), v.value("period_start", ""),
                                        v.value("period_end", ""), v.value("departement", ""), v.value("notes", "")},
                                       v.value("follow", "") == "1")
                    : clause_form_view({}, true);
    form["prefix"] = "clause-";
    form["errors"] = refused["errors"];
    view["clause_form"] = form;
    view["clause_refused"] = refused;
}

Response Site::clause_add(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Ce marché n'existe pas.");
    const auto in = clause_input(ctx.req);
    auto r = s_.clauses.add(ctx.actor, *id, in, ctx.req.form_value("follow") == "1");
    if (!r) return refuse_form(ctx, contract_path(*id) + "#clauses", "clause", r.error());
    audit(ctx, "clause_changed", "marché " + std::to_string(*id),
          "ajout : " + code_label(cc::clause_kinds(), in.kind) +
              (in.hours_required.empty() ? "" : ", " + in.hours_required + " h"));
    return redirect_flash(ctx, contract_path(*id) + "#clauses", "La clause sociale est enregistrée.");
}

Response Site::clause_edit_form(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("clause"));
    if (!id) return error_page(ctx, 404, "Cette clause n'existe pas.");
    auto k = s_.clauses.clause(*id);
    if (!k) return fail(ctx, k.error());
    const cc::ClauseInput in{k->clause.kind,         std::to_string(k->clause.hours_required),
                             k->clause.period_start, k->clause.period_end,
                             k->clause.departement,  k->clause.notes};
    return page(ctx, "clause_form",
                {{"title", "Modifier la clause"},
                 {"breadcrumb", crumbs({{"Mes clauses", kSpace}, {"Modifier la clause", ""}})},
                 {"contract", k->contract_object},
                 {"contract_url", contract_path(k->contract_id)},
                 {"action", std::string(kSpace) + "/" + std::to_string(*id) + "/modifier"},
                 {"remove_url", std::string(kSpace) + "/" + std::to_string(*id) + "/supprimer"},
                 {"form", clause_form_view(in, k->facilitator_user_id == ctx.user->id)}});
}

Response Site::clause_update(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("clause"));
    if (!id) return error_page(ctx, 404, "Cette clause n'existe pas.");
    const auto in = clause_input(ctx.req);
    const bool follow = ctx.req.form_value("follow") == "1";
    auto k = s_.clauses.clause(*id);
    if (!k) return fail(ctx, k.error());
    if (auto s = s_.clauses.update(ctx.actor, *id, in, follow); !s)
        return form_error(ctx, "clause_form",
                          {{"title", "Modifier la clause"},
                           {"contract", k->contract_object},
                           {"contract_url", contract_path(k->contract_id)},
                           {"action", std::string(kSpace) + "/" + std::to_string(*id) + "/modifier"},
                           {"remove_url", std::string(kSpace) + "/" + std::to_string(*id) + "/supprimer"},
                           {"form", clause_form_view(in, follow)}},
                          s.error());
    audit(ctx, "clause_changed", "clause " + std::to_string(*id),
          "heures exigées : " + std::to_string(k->clause.hours_required) + " → " + in.hours_required);
    return redirect_flash(ctx, contract_path(k->contract_id) + "#clauses", "La clause est modifiée.");
}

Response Site::clause_remove(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("clause"));
    if (!id) return error_page(ctx, 404, "Cette clause n'existe pas.");
    auto k = s_.clauses.clause(*id);
    if (!k) return fail(ctx, k.error());
    if (auto s = s_.clauses.remove(ctx.actor, *id); !s) return fail(ctx, s.error());
    audit(ctx, "clause_changed", "clause " + std::to_string(*id), "retrait");
    return redirect_flash(ctx, contract_path(k->contract_id) + "#clauses", "La clause est retirée.");
}

Response Site::subcontractor_add(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Ce marché n'existe pas.");
    if (auto s = s_.clauses.add_subcontractor(ctx.actor, *id, ctx.req.form_value("siret")); !s)
        return refuse_form(ctx, contract_path(*id) + "#sous-traitants", "subcontractor", s.error(), {"siret"});
    return redirect_flash(ctx, contract_path(*id) + "#sous-traitants",
                          "Le sous-traitant est désigné : il peut déclarer ses heures d'insertion.");
}

Response Site::subcontractor_remove(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    auto org = parse_id(ctx.req.path_param("org"));
    if (!id || !org) return error_page(ctx, 404, "Ce marché n'existe pas.");
    if (auto s = s_.clauses.remove_subcontractor(ctx.actor, *id, *org); !s) return fail(ctx, s.error());
    return redirect_flash(ctx, contract_path(*id) + "#sous-traitants", "Le sous-traitant est retiré.");
}

json Site::declaring_choices(Ctx& ctx, std::int64_t contract_id) {
    json out = json::array();
    auto c = s_.contracts.get(contract_id);
    auto view = s_.clauses.of_contract(ctx.actor, contract_id);
    if (!c || !view) return out;
    auto add = [&](std::int64_t org, const std::string& name) {
        const bool mine =
            std::find(view->declaring_orgs.begin(), view->declaring_orgs.end(), org) != view->declaring_orgs.end();
        if (mine || view->facilitator) out.push_back({{"id", org}, {"name", name}});
    };
    for (const auto& s : c->suppliers)
        if (s.org_id) add(*s.org_id, s.name);
    for (const auto& s : view->subcontractors) add(s.org_id, s.name + " (sous-traitant)");
    return out;
}

namespace {

json declare_view(const storage::clauses::ClauseRecord& k, json orgs, json form) {
    const std::string url = contract_path(k.contract_id);
    return {
        {"title", "Déclarer des heures d'insertion"},
        {"breadcrumb",
         crumbs({{"Marchés attribués", "/marches-attribues"}, {k.contract_object, url}, {"Déclarer des heures", ""}})},
        {"contract", k.contract_object},
        {"contract_url", url},
        {"required", core::format_integer_fr(k.clause.hours_required)},
        {"period", "du " + day_text(k.clause.period_start) + " au " + day_text(k.clause.period_end)},
        {"orgs", std::move(orgs)},
        {"action", url + "/clauses/" + std::to_string(k.id) + "/heures"},
        {"form", std::move(form)}};
}

}  // namespace

Response Site::declare_form(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    auto clause = parse_id(ctx.req.path_param("clause"));
    if (!id || !clause) return error_page(ctx, 404, "Cette clause n'existe pas.");
    auto k = s_.clauses.clause(*clause);
    if (!k || k->contract_id != *id) return error_page(ctx, 404, "Cette clause n'existe pas.");
    json orgs = declaring_choices(ctx, *id);
    if (orgs.empty()) return error_page(ctx, 403, cc::kOnlyPartiesDeclare);
    return page(ctx, "clause_declare", declare_view(k.value(), orgs, declaration_form_view({})));
}

Response Site::declare(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    auto clause = parse_id(ctx.req.path_param("clause"));
    if (!id || !clause) return error_page(ctx, 404, "Cette clause n'existe pas.");
    auto k = s_.clauses.clause(*clause);
    if (!k || k->contract_id != *id) return error_page(ctx, 404, "Cette clause n'existe pas.");
    json orgs = declaring_choices(ctx, *id);
    if (orgs.empty()) return error_page(ctx, 403, cc::kOnlyPartiesDeclare);
    const auto in = declaration_input(ctx.req);
    auto org = parse_id(ctx.req.form_value("organisation"));
    auto r =
        org ? s_.clauses.declare(ctx.actor, *clause, *org, in)
            : core::Result<std::int64_t>(core::Error::Invalid(
                  "La déclaration contient des erreurs.", {{"organisation", "Choisissez l'organisation déclarante."}}));
    if (!r)
        return form_error(ctx, "clause_declare",
                          declare_view(k.value(), orgs, with_errors(declaration_form_view(in), r.error())), r.error());
    return redirect_flash(ctx, contract_path(*id) + "#declarations",
                          "Vos heures sont déclarées ; le facilitateur va les examiner.");
}

Response Site::declaration_page(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette déclaration n'existe pas.");
    auto d = s_.clauses.declaration(ctx.actor, *id);
    if (!d) return fail(ctx, d.error());
    json view = declaration_view(d.value());
    view["title"] = "Déclaration d'heures d'insertion";
    view["breadcrumb"] = crumbs({{"Mes clauses", kSpace}, {"Déclaration", ""}});
    view["reviewer"] = core::allowed(ctx.actor, core::Action::kFollowClauses);
    view["review_action"] = std::string(kSpace) + "/declarations/" + std::to_string(*id) + "/examen";
    // A review refused (no comment for a correction) comes back as typed, its error beside the comment.
    view["review"] = form_view(ctx, "review");
    view["correct_action"] = std::string(kSpace) + "/declarations/" + std::to_string(*id) + "/correction";
    if (d->status == "correction") {
        cc::DeclarationInput in{d->declaration.period_start,
                                d->declaration.period_end,
                                core::format_decimal_fr(d->declaration.hours, 2),
                                d->declaration.employer_name,
                                std::to_string(d->declaration.participants),
                                {},
                                std::to_string(d->declaration.women),
                                std::to_string(d->declaration.men)};
        for (const auto& [k, v] : d->declaration.categories) in.categories[k] = std::to_string(v);
        view["form"] = declaration_form_view(in);
    }
    return page(ctx, "clause_declaration", view);
}

Response Site::declaration_review(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette déclaration n'existe pas.");
    const std::string decision = ctx.req.form_value("decision");
    const std::string back = std::string(kSpace) + "/declarations/" + std::to_string(*id);
    if (auto s = s_.clauses.review(ctx.actor, *id, decision, ctx.req.form_value("comment")); !s) {
        if (s.error().code == core::ErrorCode::kInvalidInput && !s.error().fields.empty())
            return refuse_form(ctx, back + "#examen", "review", s.error(), {"comment"});
        return flash_or_fail(ctx, s.error(), back, "");
    }
    audit(ctx, "declaration_reviewed", "déclaration " + std::to_string(*id),
          decision == "accept" ? "acceptée" : "renvoyée pour correction");
    return redirect_flash(ctx, kSpace,
                          decision == "accept" ? "La déclaration est acceptée : ses heures comptent."
                                               : "La déclaration est renvoyée pour correction.");
}

Response Site::declaration_correct(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette déclaration n'existe pas.");
    const auto in = declaration_input(ctx.req);
    if (auto s = s_.clauses.resubmit(ctx.actor, *id, in); !s) {
        auto d = s_.clauses.declaration(ctx.actor, *id);
        if (!d) return fail(ctx, d.error());
        json view = declaration_view(d.value());
        view["title"] = "Déclaration d'heures d'insertion";
        view["correct_action"] = std::string(kSpace) + "/declarations/" + std::to_string(*id) + "/correction";
        view["form"] = with_errors(declaration_form_view(in), s.error());
        return form_error(ctx, "clause_declaration", view, s.error());
    }
    return redirect_flash(ctx, std::string(kSpace) + "/declarations/" + std::to_string(*id),
                          "La déclaration corrigée est renvoyée au facilitateur.");
}

Response Site::clauses_space(Ctx& ctx) {
    const bool reviewer = core::allowed(ctx.actor, core::Action::kFollowClauses);
    json view = {{"title", "Clauses sociales"},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"}, {"Clauses sociales", ""}})},
                 {"reviewer", reviewer}};
    // Companies: the hours to declare.
    if (auto mine = s_.clauses.to_declare(ctx.actor)) {
        json items = json::array();
        for (const auto& l : mine.value()) items.push_back(clause_line_view(l));
        view["to_declare"] = items;
        view["has_to_declare"] = !items.empty();
    }
    // Buyers: their reports.
    json buyers = json::array();
    for (const auto& m : ctx.actor.memberships)
        if (m.org_kind == core::OrgKind::kBuyer)
            if (auto o = s_.orgs.get(m.org_id))
                buyers.push_back({{"name", o->name},
                                  {"report_url", std::string(kSpace) + "/bilan?acheteur=" + std::to_string(m.org_id)}});
    view["buyer_reports"] = buyers;
    view["has_buyer_reports"] = !buyers.empty();
    if (!reviewer) {
        if (!view.value("has_to_declare", false) && buyers.empty())
            return error_page(ctx, 403,
                              "Cet espace sert aux facilitateurs, aux entreprises titulaires de marchés avec clause "
                              "sociale et aux acheteurs.");
        return page(ctx, "clauses_space", view);
    }
    app::PortfolioQuery q;
    q.departement = ctx.req.query_param("departement");
    q.buyer_org_id = parse_id(ctx.req.query_param("acheteur"));
    q.year = ctx.req.query_param("annee");
    q.late_only = ctx.req.query_param("retard") == "1";
    q.mine_only = ctx.req.query_param("tous") != "1";
    auto lines = s_.clauses.portfolio(ctx.actor, q);
    if (!lines) return fail(ctx, lines.error());
    json items = json::array();
    std::int64_t late = 0;
    for (const auto& l : lines.value()) {
        items.push_back(clause_line_view(l));
        if (l.progress.late) ++late;
    }
    auto pending = s_.clauses.to_review(ctx.actor, false);
    if (!pending) return fail(ctx, pending.error());
    json reviews = json::array();
    for (const auto& d : pending.value()) reviews.push_back(declaration_view(d));
    json buyer_choices = json::array();
    if (auto ch = s_.observatory.choices())
        for (const auto& [id, name] : ch->buyers)
            buyer_choices.push_back({{"value", id}, {"label", name}, {"selected", q.buyer_org_id == id}});
    view["portfolio"] = items;
    view["has_portfolio"] = !items.empty();
    view["late_count"] = late;
    view["reviews"] = reviews;
    view["has_reviews"] = !reviews.empty();
    view["departements"] = departement_options({}, q.departement);
    view["buyers"] = buyer_choices;
    view["year"] = q.year;
    view["late_only"] = q.late_only;
    view["all"] = !q.mine_only;
    view["siae_url"] = "/entreprises?label=siae" + (q.departement.empty() ? "" : "&departement=" + q.departement);
    if (q.buyer_org_id)
        view["report_url"] = std::string(kSpace) + "/bilan?acheteur=" + std::to_string(*q.buyer_org_id) +
                             (q.year.empty() ? "" : "&annee=" + q.year);
    return page(ctx, "clauses_space", view);
}

Response Site::clauses_report(Ctx& ctx, bool xlsx) {
    auto buyer = parse_id(ctx.req.query_param("acheteur"));
    if (!buyer) return error_page(ctx, 400, "Choisissez un acheteur.");
    const std::string year = ctx.req.query_param("annee");
    if (!year.empty() && !core::is_filter_year(year)) return error_page(ctx, 400, core::kYearFilterMessage);
    auto org = s_.orgs.get(*buyer);
    if (!org) return fail(ctx, org.error());
    if (xlsx) {
        auto x = s_.clauses.report_xlsx(ctx.actor, *buyer, year, org->name);
        if (!x) return fail(ctx, x.error());
        return download_response(std::move(x.value()),
                                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                 "bilan-clauses-" + org->siret + (year.empty() ? "" : "-" + year) + ".xlsx");
    }
    auto r = s_.clauses.report(ctx.actor, *buyer, year);
    if (!r) return fail(ctx, r.error());
    json lines = json::array();
    for (const auto& l : r->lines)
        lines.push_back({{"contract", l.contract},
                         {"holder", l.holder},
                         {"required", core::format_integer_fr(l.required)},
                         {"delivered", core::format_integer_fr(std::llround(l.delivered))},
                         {"rate", core::format_decimal_fr(
                                      l.required ? 100.0 * l.delivered / static_cast<double>(l.required) : 0, 0) +
                                      " %"},
                         {"participants", l.participants}});
    json cats = json::array();
    for (const auto& c : cc::participant_categories()) {
        auto it = r->categories.find(c.code);
        cats.push_back({{"label", c.label}, {"count", it == r->categories.end() ? 0 : it->second}});
    }
    const std::string q = "?acheteur=" + std::to_string(*buyer) + (year.empty() ? "" : "&annee=" + year);
    return page(ctx, "clauses_report",
                {{"title", "Bilan des clauses sociales — " + org->name + (year.empty() ? "" : " — " + year)},
                 {"breadcrumb", crumbs({{"Clauses sociales", kSpace}, {"Bilan", ""}})},
                 {"buyer", org->name},
                 {"year", year.empty() ? "toutes années" : year},
                 {"lines", lines},
                 {"has_lines", !lines.empty()},
                 {"required", core::format_integer_fr(r->required)},
                 {"delivered", core::format_integer_fr(std::llround(r->delivered))},
                 {"fte", core::format_decimal_fr(r->fte, 1)},
                 {"participants", r->participants},
                 {"women", r->women},
                 {"men", r->men},
                 {"categories", cats},
                 {"xlsx_url", std::string(kSpace) + "/bilan.xlsx" + q}});
}

Response Site::clause_parameters(Ctx& ctx) {
    auto p = s_.clauses.parameters();
    if (!p) return fail(ctx, p.error());
    // Rows as stored, then one empty row for a new family; a refused submit shows the rows as typed instead.
    std::vector<std::tuple<std::string, std::string, std::string>> rows;
    std::string hourly_cost = core::format_decimal_fr(p->global.hourly_cost, 2);
    std::string insertion_rate = core::format_decimal_fr(p->global.insertion_rate * 100, 1);
    const bool post = ctx.req.method == "POST";
    if (post) {
        auto divisions = ctx.req.form_values("division");
        auto shares = ctx.req.form_values("share");
        auto froms = ctx.req.form_values("candidate_from");
        for (std::size_t i = 0; i < divisions.size(); ++i)
            rows.emplace_back(divisions[i], i < shares.size() ? shares[i] : "", i < froms.size() ? froms[i] : "");
        hourly_cost = ctx.req.form_value("hourly_cost");
        insertion_rate = ctx.req.form_value("insertion_rate");
    } else {
        for (const auto& [d, f] : p->families)
            rows.emplace_back(d, core::format_decimal_fr(f.labour_share * 100, 1),
                              f.candidate_from ? std::to_string(f.candidate_from) : "");
        rows.emplace_back("", "", "");
    }
    core::Error refused;
    if (post) {
        auto s = s_.clauses.save_parameters(ctx.actor, hourly_cost, insertion_rate, rows);
        if (s)
            return redirect_flash(ctx, std::string(kSpace) + "/parametres",
                                  "Les paramètres de l'estimation sont enregistrés.");
        if (s.error().code != core::ErrorCode::kInvalidInput) return fail(ctx, s.error());
        refused = s.error();
    }
    json families = json::array();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& [d, share, from] = rows[i];
        json row = {
            {"row", i}, {"division", d}, {"share", share}, {"candidate_from", from}, {"new", i + 1 == rows.size()}};
        for (const char* field : {"division", "share", "candidate_from"})
            if (auto it = refused.fields.find(field + ("." + std::to_string(i))); it != refused.fields.end())
                row[std::string(field) + "_error"] = it->second;
        families.push_back(row);
    }
    json view = {{"title", "Paramètres de l'estimation des heures"},
                 {"breadcrumb", crumbs({{"Clauses sociales", kSpace}, {"Paramètres", ""}})},
                 {"hourly_cost", hourly_cost},
                 {"insertion_rate", insertion_rate},
                 {"families", families}};
    if (!post) return page(ctx, "clause_parameters", view);
    return form_error(ctx, "clause_parameters", view, refused);
}

Response Site::clause_estimate(Ctx& ctx) {
    if (!ctx.actor.is_buyer_agent() && !core::allowed(ctx.actor, core::Action::kFollowClauses))
        return Response::html("", 403);
    std::string dep = ctx.req.query_param("lot_departements");
    if (auto comma = dep.find_first_of(", "); comma != std::string::npos) dep = dep.substr(0, comma);
    auto e = s_.clauses.estimate(ctx.req.query_param("lot_cpv"), ctx.req.query_param("lot_amount"), dep);
    json view;
    if (!e) {
        view["hint"] =
            "Indiquez le code CPV et le montant estimé du lot : Passerelle vous dira si une clause sociale "
            "d'insertion est d'usage et combien d'heures exiger.";
    } else {
        json suppliers = json::array();
        for (const auto& o : e->suppliers) {
            std::string labels;
            for (const auto& l : o.labels)
                if (l.rfind("siae_", 0) == 0 || l == "ea" || l == "esat")
                    labels += (labels.empty() ? "" : ", ") + code_label(core::company_labels(), l);
            suppliers.push_back({{"name", o.name}, {"url", "/entreprises/" + o.siret}, {"labels", labels}});
        }
        view = {{"candidate", e->estimate.candidate},
                {"hours", core::format_integer_fr(e->estimate.hours)},
                {"method", e->estimate.method},
                {"reason", e->estimate.reason},
                {"suppliers", suppliers},
                {"has_suppliers", !suppliers.empty()},
                {"departement", dep}};
    }
    return Response::html(templates_.render("_clause_advice", view));
}

}  // namespace passerelle::web
