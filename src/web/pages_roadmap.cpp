// Roadmap pages (feuilles de route achats): the public list and item pages with their history, the
// companies' "Je suis intéressé", the buyer's workspace (create, edit, publish, abandon, publish the whole
// roadmap, interested companies and their CSV export), and the JSON API.
#include <charconv>

#include "core/cpv.hpp"
#include "core/french.hpp"
#include "core/pagination.hpp"
#include "core/procurement.hpp"
#include "core/validation.hpp"
#include "http/message.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;
namespace rm = storage::roadmaps;

namespace {

core::RoadmapItemInput roadmap_input_from(const http::Request& req) {
    core::RoadmapItemInput in;
    in.title = req.form_value("title");
    in.description = req.form_value("description");
    in.cpv_codes = cpv_codes_with_typed(req);
    in.amount_min = req.form_value("amount_min");
    in.amount_max = req.form_value("amount_max");
    in.quarter = req.form_value("quarter");
    in.procedure = req.form_value("procedure");
    in.departements = req.form_values("departements");
    in.lots = req.form_value("lots");
    in.clause_intent = req.form_value("clause_intent");
    in.innovation = req.form_value("innovation") == "1";
    in.contact_name = req.form_value("contact_name");
    in.contact_email = req.form_value("contact_email");
    return in;
}

core::RoadmapItemInput input_of(const rm::ItemRecord& r) {
    core::RoadmapItemInput in;
    in.title = r.title;
    in.description = r.description;
    for (const auto& c : r.cpv_codes) in.cpv_codes.push_back(c);
    in.amount_min = r.amount_min ? std::to_string(r.amount_min) : "";
    in.amount_max = std::to_string(r.amount_max);
    in.quarter = core::Quarter{r.quarter_year, r.quarter}.code();
    in.procedure = r.procedure;
    in.departements = r.departements;
    in.lots = r.lots;
    in.clause_intent = r.clause_intent;
    in.innovation = r.innovation;
    in.contact_name = r.contact_name;
    in.contact_email = r.contact_email;
    return in;
}

}  // namespace

json Site::roadmap_summary(const rm::ItemRecord& r) {
    auto status = core::parse_roadmap_status(r.status).value_or(core::RoadmapStatus::kDraft);
    json cpv = json::array();
    for (const auto& c : r.cpv_codes) cpv.push_back(c);
    return {{"id", r.id},
            {"url", "/feuilles-de-route/" + std::to_string(r.id)},
            {"title", r.title},
            {"buyer", r.org_name},
            {"buyer_url", "/acheteurs/" + r.org_siret},
            {"status_label", r.withdrawn_at ? "Retiré par la plateforme" : core::roadmap_status_label(status)},
            {"withdrawn", r.withdrawn_at.has_value()},
            {"is_draft", r.status == "draft"},
            {"is_published", r.status == "published"},
            {"is_closed", r.status == "converted" || r.status == "abandoned"},
            {"amount", core::amount_range_label(r.amount_min, r.amount_max)},
            {"quarter", core::Quarter{r.quarter_year, r.quarter}.label()},
            {"procedure", code_label(core::procedures(), r.procedure)},
            {"departements", r.departements},
            {"cpv", cpv},
            {"clause", r.clause_intent == "none" ? "" : code_label(core::clause_intents(), r.clause_intent)},
            {"innovation", r.innovation},
            {"interest_count", std::to_string(r.interest_count)},
            {"has_interest", r.interest_count > 0}};
}

json Site::roadmap_json(const rm::ItemRecord& r) {
    return {{"id", r.id},
            {"status", r.status},
            {"title", r.title},
            {"description", r.description},
            {"buyer", {{"siret", r.org_siret}, {"name", r.org_name}}},
            {"cpv_codes", r.cpv_codes},
            {"amount_min", r.amount_min},
            {"amount_max", r.amount_max},
            {"expected_quarter", core::Quarter{r.quarter_year, r.quarter}.code()},
            {"procedure", r.procedure},
            {"departements", r.departements},
            {"lots", r.lots},
            {"clause_intent", r.clause_intent},
            {"innovation", r.innovation},
            {"published_at", r.published_at ? json(core::format_iso8601_utc(*r.published_at)) : json(nullptr)},
            {"updated_at", core::format_iso8601_utc(r.updated_at)}};
}

json Site::roadmap_form_view(Ctx& ctx, const core::RoadmapItemInput& in) {
    json quarters = json::array();
    core::Quarter q = core::quarter_of(s_.clock.now());
    for (int i = 0; i < 7; ++i) {
        quarters.push_back(
            {{"code", q.code()}, {"label", q.label()}, {"selected", q.code() == core::trim(in.quarter)}});
        q = q.q == 4 ? core::Quarter{q.year + 1, 1} : core::Quarter{q.year, q.q + 1};
    }
    return {{"title_value", in.title},
            {"description", in.description},
            {"cpv", cpv_chips(picked_cpv(ctx.req, in.cpv_codes))},
            {"cpv_legend", "Codes CPV du projet d'achat"},
            {"cpv_query_label", "Ajouter un code CPV"},
            {"cpv_query_value", typed_cpv(ctx.req)},
            {"cpv_required", true},
            {"amount_min", in.amount_min},
            {"amount_max", in.amount_max},
            {"quarters", quarters},
            {"procedures", code_options(core::procedures(), {in.procedure}, true)},
            {"departements", departement_options(in.departements)},
            {"lots", in.lots},
            {"clause_intents",
             code_options(core::clause_intents(), {in.clause_intent.empty() ? "none" : in.clause_intent})},
            {"innovation", in.innovation},
            {"contact_name", in.contact_name},
            {"contact_email", in.contact_email}};
}

Response Site::roadmap_list(Ctx& ctx) {
    core::Page p;
    std::string why;
    if (!core::parse_page(ctx.req.query_param("page"), "", p, why, 20)) return error_page(ctx, 400, why);
    rm::ItemFilter f;
    f.text = ctx.req.query_param("q");
    f.departement = ctx.req.query_param("departement");
    if (!f.departement.empty() && !core::is_departement_code(f.departement)) f.departement.clear();
    f.cpv_division = ctx.req.query_param("division");
    if (f.cpv_division.size() != 2 || !std::isdigit(static_cast<unsigned char>(f.cpv_division[0])) ||
        !std::isdigit(static_cast<unsigned char>(f.cpv_division[1])))
        f.cpv_division.clear();
    f.clause_intent = ctx.req.query_param("clause");
    if (!core::label_of(core::clause_intents(), f.clause_intent)) f.clause_intent.clear();
    auto list = s_.roadmaps.list_public(f, p);
    if (!list) return fail(ctx, list.error());
    json items = json::array();
    for (const auto& r : list->items) items.push_back(roadmap_summary(r));
    json divisions = json::array();
    if (auto d = s_.reference.cpv_divisions())
        for (const auto& c : d.value())
            divisions.push_back({{"code", c.division},
                                 {"label", c.division + " — " + c.label_fr},
                                 {"selected", c.division == f.cpv_division}});
    std::string qs = "?q=" + http::url_encode(f.text) + "&departement=" + f.departement +
                     "&division=" + f.cpv_division + "&clause=" + f.clause_intent;
    json view = {{"title", "Feuilles de route des acheteurs"},
                 {"breadcrumb", crumbs({{"Feuilles de route", "/feuilles-de-route"}})},
                 {"items", items},
                 {"empty", items.empty()},
                 {"q", f.text},
                 {"departements", departement_options({}, f.departement)},
                 {"divisions", divisions},
                 {"clauses", code_options(core::clause_intents(), {f.clause_intent}, true)},
                 {"total", core::format_integer_fr(list->total)},
                 {"total_plural", list->total > 1}};
    add_pagination(view, "/feuilles-de-route" + qs, p.page, p.per_page, list->total);
    return page(ctx, "roadmap_list", view);
}

Response Site::roadmap_item(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Ce projet d'achat n'existe pas.");
    auto item = s_.roadmaps.get(ctx.actor, *id);
    if (!item) return fail(ctx, item.error());
    auto history = s_.roadmaps.history(ctx.actor, *id);
    if (!history) return fail(ctx, history.error());
    json view = roadmap_summary(item.value());
    view["title"] = item->title;
    view["breadcrumb"] = crumbs({{"Feuilles de route", "/feuilles-de-route"}, {item->title, view["url"]}});
    view["description"] = item->description;
    view["lots"] = item->lots;
    view["contact_name"] = item->contact_name;
    view["contact_email"] = item->contact_email;
    view["cpv_items"] = cpv_chips(item->cpv_codes);
    json h = json::array();
    for (const auto& e : history.value()) h.push_back({{"date", core::format_date_fr(e.at)}, {"summary", e.summary}});
    view["history"] = h;
    view["has_history"] = !h.empty();
    const bool editor = s_.roadmaps.can_edit(ctx.actor, item.value());
    view["editor"] = editor;
    if (editor) view["abandon"] = form_view(ctx, "abandon");
    view["edit_url"] = "/mon-espace/feuilles-de-route/" + std::to_string(*id) + "/modifier";
    view["action_base"] = "/mon-espace/feuilles-de-route/" + std::to_string(*id);
    if (editor)
        view["sourcing_url"] = sourcing_url(item->cpv_codes, item->departements, item->amount_max, item->clause_intent);
    view["notice_url"] =
        "/mon-espace/consultations/nouvelle?org=" + std::to_string(item->org_id) + "&projet=" + std::to_string(*id);
    if (!ctx.user) view["anonymous"] = true;
    // Companies of the visitor: interest form, with the ones already interested.
    if (ctx.user && item->status == "published") {
        auto already = s_.roadmaps.my_interests(ctx.actor, *id);
        auto mine = s_.orgs.memberships_of(ctx.user->id);
        // A refused interest comes back as typed (see roadmap_interest).
        json interest = form_view(ctx, "interest");
        const std::string chosen = interest["values"].value("company_id", "");
        json companies = json::array();
        if (already && mine)
            for (const auto& m : mine.value()) {
                if (m.org_kind != "company" || m.status != "active") continue;
                bool done = std::find(already->begin(), already->end(), m.org_id) != already->end();
                companies.push_back({{"id", m.org_id},
                                     {"name", m.org_name},
                                     {"interested", done},
                                     {"selected", std::to_string(m.org_id) == chosen}});
            }
        view["interest"] = interest;
        view["companies"] = companies;
        view["has_companies"] = !companies.empty();
        view["single_company"] = companies.size() == 1;
    }
    return page(ctx, "roadmap_item", view);
}

Response Site::roadmap_interest(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    auto company = parse_id(ctx.req.form_value("company_id"));
    if (!id) return error_page(ctx, 404, "Ce projet d'achat n'existe pas.");
    std::string back = "/feuilles-de-route/" + std::to_string(*id);
    if (std::none_of(ctx.actor.memberships.begin(), ctx.actor.memberships.end(),
                     [](const auto& m) { return m.org_kind == core::OrgKind::kCompany; }))
        return error_page(ctx, 403, "Seules les entreprises peuvent se déclarer intéressées par un projet d'achat.");
    if (!company)
        return refuse_form(
            ctx, back + "#interet", "interest",
            core::Error::Invalid("Intérêt non enregistré.",
                                 {{"company_id", "Choisissez l'entreprise au nom de laquelle vous répondez."}}),
            {"company_id", "message"});
    if (auto st = s_.roadmaps.express_interest(ctx.actor, *id, *company, ctx.req.form_value("message")); !st) {
        core::Error e = st.error();
        e.message = "Intérêt non enregistré." + (e.fields.empty() ? " " + e.message : "");
        return refuse_form(ctx, back + "#interet", "interest", e, {"company_id", "message"});
    }
    return redirect_flash(ctx, back, "C'est noté : l'acheteur voit que votre entreprise est intéressée.");
}

Response Site::roadmap_interest_withdraw(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    auto company = parse_id(ctx.req.form_value("company_id"));
    if (!id || !company) return error_page(ctx, 404, "Ce projet d'achat n'existe pas.");
    auto st = s_.roadmaps.withdraw_interest(ctx.actor, *id, *company);
    if (!st && st.error().code != core::ErrorCode::kNotFound) return fail(ctx, st.error());
    return redirect_flash(ctx, "/feuilles-de-route/" + std::to_string(*id), "Votre marque d'intérêt est retirée.");
}

Response Site::roadmap_mine(Ctx& ctx) {
    core::Page p;
    std::string why;
    if (!core::parse_page(ctx.req.query_param("page"), "", p, why, 50)) return error_page(ctx, 400, why);
    auto list = s_.roadmaps.list_mine(ctx.actor, p);
    if (!list) return fail(ctx, list.error());
    json buyers = json::array();
    auto ms = s_.orgs.memberships_of(ctx.user->id);
    if (ms)
        for (const auto& m : ms.value())
            if (m.org_kind == "buyer" && m.status == "active")
                buyers.push_back({{"id", m.org_id},
                                  {"name", m.org_name},
                                  {"new_url", "/mon-espace/feuilles-de-route/nouveau?org=" + std::to_string(m.org_id)},
                                  {"publish_all_action", "/mon-espace/organisations/" + std::to_string(m.org_id) +
                                                             "/feuille-de-route/publier"}});
    json items = json::array();
    for (const auto& r : list->items) {
        json s = roadmap_summary(r);
        s["edit_url"] = "/mon-espace/feuilles-de-route/" + std::to_string(r.id) + "/modifier";
        s["interested_url"] = "/mon-espace/feuilles-de-route/" + std::to_string(r.id) + "/interesses";
        items.push_back(s);
    }
    json view = {
        {"title", "Ma feuille de route achats"},
        {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"}, {"Feuille de route", "/mon-espace/feuilles-de-route"}})},
        {"buyers", buyers},
        {"is_buyer", !buyers.empty()},
        {"items", items},
        {"empty", items.empty()}};
    add_pagination(view, "/mon-espace/feuilles-de-route", p.page, p.per_page, list->total);
    return page(ctx, "roadmap_mine", view);
}

Response Site::roadmap_new_form(Ctx& ctx) {
    auto org = parse_id(ctx.req.query_param("org"));
    auto o = s_.orgs.get(*org);
    if (!o) return fail(ctx, o.error());
    core::RoadmapItemInput in;
    in.contact_name = ctx.user->display_name;
    in.contact_email = ctx.user->email;
    return page(ctx, "roadmap_form",
                {{"title", "Nouveau projet d'achat"},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"},
                                        {"Feuille de route", "/mon-espace/feuilles-de-route"},
                                        {"Nouveau projet d'achat", ""}})},
                 {"buyer", o->name},
                 {"creating", true},
                 {"action", "/mon-espace/feuilles-de-route/nouveau?org=" + std::to_string(*org)},
                 {"form", roadmap_form_view(ctx, in)}});
}

Response Site::roadmap_create(Ctx& ctx) {
    auto org = parse_id(ctx.req.query_param("org"));
    if (!org) return error_page(ctx, 404, "Organisation inconnue.");
    auto in = roadmap_input_from(ctx.req);
    // An organisation not vetted yet keeps what was typed as a draft, and is told why it is not published.
    const bool wants_publish = ctx.req.form_value("publish") == "1";
    const std::string held =
        core::vetting_refusal(ctx.actor, core::Action::kPublishProcurement, {*org, core::OrgKind::kBuyer});
    const bool publish = wants_publish && held.empty();
    auto id = s_.roadmaps.create(ctx.actor, *org, in, publish);
    if (!id) {
        auto o = s_.orgs.get(*org);
        json view = {{"title", "Nouveau projet d'achat"},
                     {"buyer", o ? o->name : ""},
                     {"creating", true},
                     {"action", "/mon-espace/feuilles-de-route/nouveau?org=" + std::to_string(*org)},
                     {"form", roadmap_form_view(ctx, in)}};
        return form_error(ctx, "roadmap_form", view, id.error());
    }
    if (wants_publish && !publish)
        return redirect_flash(ctx, "/feuilles-de-route/" + std::to_string(id.value()),
                              "Le projet d'achat est enregistré en brouillon mais pas publié : " + lower_first(held),
                              "warning");
    return redirect_flash(
        ctx, "/feuilles-de-route/" + std::to_string(id.value()),
        publish ? "Le projet d'achat est publié sur votre feuille de route."
                : "Le projet d'achat est enregistré en brouillon : il n'est visible que de votre organisation.");
}

Response Site::roadmap_edit_form(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Ce projet d'achat n'existe pas.");
    auto item = s_.roadmaps.get(ctx.actor, *id);
    if (!item) return fail(ctx, item.error());
    if (!s_.roadmaps.can_edit(ctx.actor, item.value()))
        return error_page(ctx, 403, "Seuls les agents de l'acheteur peuvent modifier ce projet d'achat.");
    return page(ctx, "roadmap_form",
                {{"title", "Modifier le projet d'achat"},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"},
                                        {"Feuille de route", "/mon-espace/feuilles-de-route"},
                                        {item->title, ""}})},
                 {"buyer", item->org_name},
                 {"is_published", item->status == "published"},
                 {"action", "/mon-espace/feuilles-de-route/" + std::to_string(*id) + "/modifier"},
                 {"form", roadmap_form_view(ctx, input_of(item.value()))}});
}

Response Site::roadmap_update(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Ce projet d'achat n'existe pas.");
    auto in = roadmap_input_from(ctx.req);
    auto st = s_.roadmaps.update(ctx.actor, *id, in);
    if (!st) {
        if (st.error().code != core::ErrorCode::kInvalidInput && st.error().code != core::ErrorCode::kConflict)
            return fail(ctx, st.error());
        json view = {{"title", "Modifier le projet d'achat"},
                     {"action", "/mon-espace/feuilles-de-route/" + std::to_string(*id) + "/modifier"},
                     {"form", roadmap_form_view(ctx, in)}};
        return form_error(ctx, "roadmap_form", view, st.error());
    }
    audit(ctx, "roadmap_published", "projet d'achat " + std::to_string(*id), "modifié");
    return redirect_flash(ctx, "/feuilles-de-route/" + std::to_string(*id), "Le projet d'achat est enregistré.");
}

Response Site::roadmap_transition(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Ce projet d'achat n'existe pas.");
    const std::string action = ctx.req.path_param("action");
    core::Status st;
    std::string done;
    if (action == "publier") {
        st = s_.roadmaps.publish(ctx.actor, *id);
        done = "Le projet d'achat est publié.";
    } else if (action == "abandonner") {
        st = s_.roadmaps.abandon(ctx.actor, *id, ctx.req.form_value("reason"));
        done = "Le projet d'achat est marqué comme abandonné.";
    } else {
        return error_page(ctx, 404, "Action inconnue.");
    }
    std::string back = "/feuilles-de-route/" + std::to_string(*id);
    if (!st && action == "abandonner" && st.error().code == core::ErrorCode::kInvalidInput)
        return refuse_form(ctx, back + "#outils-acheteur", "abandon", st.error(), {"reason"});
    if (!st) return flash_or_fail(ctx, st.error(), back, "");
    audit(ctx, "roadmap_published", "projet d'achat " + std::to_string(*id), action);
    return redirect_flash(ctx, back, done);
}

Response Site::roadmap_publish_all(Ctx& ctx) {
    std::optional<std::int64_t> org;
    if (auto refused = org_id_param(ctx, org)) return *refused;
    auto n = s_.roadmaps.publish_all(ctx.actor, *org);
    if (!n) return fail(ctx, n.error());
    std::string msg = n.value() == 0 ? "Aucun brouillon à publier."
                                     : std::to_string(n.value()) +
                                           (n.value() > 1 ? " projets d'achat publiés." : " projet d'achat publié.");
    return redirect_flash(ctx, "/mon-espace/feuilles-de-route", msg, n.value() == 0 ? "info" : "success");
}

Response Site::roadmap_interested(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Ce projet d'achat n'existe pas.");
    auto item = s_.roadmaps.get(ctx.actor, *id);
    if (!item) return fail(ctx, item.error());
    auto list = s_.roadmaps.interested(ctx.actor, *id);
    if (!list) return fail(ctx, list.error());
    json rows = json::array();
    for (const auto& i : list.value()) {
        json labels = json::array();
        for (const auto& l : i.labels) labels.push_back(code_label(core::company_labels(), l));
        rows.push_back({{"name", i.org_name},
                        {"url", "/entreprises/" + i.siret},
                        {"siret", i.siret},
                        {"size", i.size},
                        {"labels", labels},
                        {"departements", i.departements},
                        {"cpv", i.cpv_codes},
                        {"contact", i.user_name},
                        {"email", i.user_email},
                        {"message", i.message},
                        {"date", core::format_date_fr(i.created_at)}});
    }
    return page(ctx, "roadmap_interested",
                {{"title", "Entreprises intéressées"},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"},
                                        {"Feuille de route", "/mon-espace/feuilles-de-route"},
                                        {"Entreprises intéressées", ""}})},
                 {"item", roadmap_summary(item.value())},
                 {"rows", rows},
                 {"empty", rows.empty()},
                 {"count", std::to_string(rows.size())},
                 {"csv_url", "/mon-espace/feuilles-de-route/" + std::to_string(*id) + "/interesses.csv"}});
}

Response Site::roadmap_interested_csv(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Ce projet d'achat n'existe pas.");
    auto csv = s_.roadmaps.interested_csv(ctx.actor, *id);
    if (!csv) return fail(ctx, csv.error());
    Response r;
    r.body = std::move(csv.value());
    r.set_header("Content-Type", "text/csv; charset=utf-8");
    r.set_header("Content-Disposition",
                 "attachment; filename=\"entreprises-interessees-" + std::to_string(*id) + ".csv\"");
    return r;
}

Response Site::api_roadmap_items(Ctx& ctx) {
    core::Page p;
    std::string why;
    if (!core::parse_page(ctx.req.query_param("page"), ctx.req.query_param("per_page"), p, why))
        return problem(ctx, core::Error::Invalid(why));
    rm::ItemFilter f;
    f.text = ctx.req.query_param("q");
    f.departement = ctx.req.query_param("departement");
    f.cpv_division = ctx.req.query_param("cpv_division");
    f.clause_intent = ctx.req.query_param("clause_intent");
    if (!f.departement.empty() && !core::is_departement_code(f.departement))
        return problem(ctx, core::Error::Invalid("Le paramètre departement n'est pas un code de département."));
    if (!f.cpv_division.empty() &&
        (f.cpv_division.size() != 2 || !std::all_of(f.cpv_division.begin(), f.cpv_division.end(), ::isdigit)))
        return problem(ctx, core::Error::Invalid("Le paramètre cpv_division compte deux chiffres."));
    if (!f.clause_intent.empty() && !core::label_of(core::clause_intents(), f.clause_intent))
        return problem(ctx, core::Error::Invalid("Valeur inconnue pour clause_intent."));
    auto list = s_.roadmaps.list_public(f, p);
    if (!list) return problem(ctx, list.error());
    json items = json::array();
    for (const auto& r : list->items) items.push_back(roadmap_json(r));
    Response r = Response::json(
        json({{"items", items}, {"total", list->total}, {"page", p.page}, {"per_page", p.per_page}}).dump());
    std::string q;
    for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{{"q", f.text},
                                                                               {"departement", f.departement},
                                                                               {"cpv_division", f.cpv_division},
                                                                               {"clause_intent", f.clause_intent}})
        if (!v.empty()) q += (q.empty() ? "?" : "&") + k + "=" + http::url_encode(v);
    r.set_header("Link", core::link_header(settings_.base_url + "/api/v1/roadmap-items" + q, p, list->total));
    r.set_header("X-Total-Count", std::to_string(list->total));
    return r;
}

Response Site::api_roadmap_item(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return problem(ctx, core::Error::Invalid("Identifiant invalide."));
    auto item = s_.roadmaps.get(ctx.actor, *id);
    if (!item) return problem(ctx, item.error());
    json j = roadmap_json(item.value());
    auto history = s_.roadmaps.history(ctx.actor, *id);
    json h = json::array();
    if (history)
        for (const auto& e : history.value())
            h.push_back({{"at", core::format_iso8601_utc(e.at)}, {"summary", e.summary}});
    j["history"] = h;
    return Response::json(j.dump());
}

}  // namespace passerelle::web
