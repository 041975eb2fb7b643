// Notice pages (consultations): the public list and notice page (lots, amendments, questions and
// answers, follow), the buyer's workspace (create with lots, edit, publish, close, award, answer), and the
// JSON API.
#include <charconv>

#include "core/cpv.hpp"
#include "core/document.hpp"
#include "core/french.hpp"
#include "core/notice.hpp"
#include "core/pagination.hpp"
#include "core/procurement.hpp"
#include "core/validation.hpp"
#include "http/message.hpp"
#include "http/multipart.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;
namespace nt = storage::notices;

namespace {

std::vector<std::string> split_codes(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == ',' || c == ' ' || c == ';') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

core::NoticeInput notice_input_from(const http::Request& req) {
    core::NoticeInput in;
    in.reference = req.form_value("reference");
    in.title = req.form_value("title");
    in.description = req.form_value("description");
    in.procedure = req.form_value("procedure");
    in.bid_deadline = req.form_value("bid_deadline");
    in.question_deadline = req.form_value("question_deadline");
    auto titles = req.form_values("lot_title");
    auto cpvs = req.form_values("lot_cpv");
    auto amounts = req.form_values("lot_amount");
    auto deps = req.form_values("lot_departements");
    auto clauses = req.form_values("lot_clause");
    auto hours = req.form_values("lot_hours");
    std::size_t n = std::max({titles.size(), cpvs.size(), amounts.size(), deps.size(), clauses.size(), hours.size()});
    n = std::min<std::size_t>(n, 100);
    auto at = [](const std::vector<std::string>& v, std::size_t i) { return i < v.size() ? v[i] : std::string(); };
    for (std::size_t i = 0; i < n; ++i)
        in.lots.push_back(
            {at(titles, i), at(cpvs, i), at(amounts, i), split_codes(at(deps, i)), at(clauses, i), at(hours, i)});
    return in;
}

core::NoticeInput input_of(const nt::NoticeRecord& n) {
    core::NoticeInput in;
    in.reference = n.reference;
    in.title = n.title;
    in.description = n.description;
    in.procedure = n.procedure;
    in.bid_deadline = core::format_paris_datetime_local(n.bid_deadline);
    in.question_deadline = core::format_paris_datetime_local(n.question_deadline);
    for (const auto& l : n.lots)
        in.lots.push_back({l.title, l.cpv_code, l.estimated_amount ? std::to_string(l.estimated_amount) : "",
                           l.departements, l.clause_kind, l.insertion_hours ? std::to_string(l.insertion_hours) : ""});
    return in;
}

json lot_clause_label(const nt::LotRecord& l) {
    if (l.clause_kind == "none") return "";
    if (l.clause_kind == "insertion_hours")
        return "Clause d'insertion : " + core::format_integer_fr(l.insertion_hours) + " heures";
    return code_label(core::lot_clause_kinds(), l.clause_kind);
}

}  // namespace

json Site::notice_summary(const nt::NoticeRecord& n) {
    auto status = s_.notices.effective_status(n);
    json lots = json::array();
    std::int64_t total = 0;
    for (const auto& l : n.lots) {
        total += l.estimated_amount;
        lots.push_back({{"number", std::to_string(l.number)},
                        {"title", l.title},
                        {"cpv", l.cpv_code},
                        {"amount", l.estimated_amount ? core::format_amount_eur(l.estimated_amount) : ""},
                        {"departements", l.departements},
                        {"clause", lot_clause_label(l)}});
    }
    return {{"id", n.id},
            {"url", "/consultations/" + std::to_string(n.id)},
            {"reference", n.reference},
            {"title", n.title},
            {"buyer", n.org_name},
            {"buyer_url", "/acheteurs/" + n.org_siret},
            {"procedure", code_label(core::procedures(), n.procedure)},
            {"status_label", n.withdrawn_at ? "Retirée par la plateforme" : core::notice_status_label(status)},
            {"withdrawn", n.withdrawn_at.has_value()},
            {"is_draft", status == core::NoticeStatus::kDraft},
            {"is_open", status == core::NoticeStatus::kPublished},
            {"is_closed", status == core::NoticeStatus::kClosed},
            {"is_final", status == core::NoticeStatus::kAwarded || status == core::NoticeStatus::kUnsuccessful},
            {"deadline", core::format_datetime_fr(n.bid_deadline)},
            {"question_deadline", core::format_datetime_fr(n.question_deadline)},
            {"total_amount", total ? core::format_amount_eur(total) : ""},
            {"lots", lots},
            {"lot_count", std::to_string(n.lots.size())},
            {"several_lots", n.lots.size() > 1}};
}

json Site::notice_json(const nt::NoticeRecord& n) {
    json lots = json::array();
    for (const auto& l : n.lots)
        lots.push_back({{"number", l.number},
                        {"title", l.title},
                        {"cpv_code", l.cpv_code},
                        {"estimated_amount", l.estimated_amount},
                        {"departements", l.departements},
                        {"social_clause", {{"kind", l.clause_kind}, {"insertion_hours", l.insertion_hours}}}});
    return {{"id", n.id},
            {"reference", n.reference},
            {"status", core::notice_status_code(s_.notices.effective_status(n))},
            {"title", n.title},
            {"description", n.description},
            {"buyer", {{"siret", n.org_siret}, {"name", n.org_name}}},
            {"procedure", n.procedure},
            {"bid_deadline", core::format_iso8601_utc(n.bid_deadline)},
            {"question_deadline", core::format_iso8601_utc(n.question_deadline)},
            {"roadmap_item_id", n.roadmap_item_id ? json(*n.roadmap_item_id) : json(nullptr)},
            {"published_at", n.published_at ? json(core::format_iso8601_utc(*n.published_at)) : json(nullptr)},
            {"lots", lots}};
}

namespace {

// A lot's fields: the validator's key (lots.N.<key>) and the element's id prefix on the page (<id>_N).
const std::vector<std::pair<std::string, std::string>> kLotFieldIds = {{"title", "lot_title"},
                                                                       {"cpv_code", "lot_cpv"},
                                                                       {"estimated_amount", "lot_amount"},
                                                                       {"departements", "lot_departements"},
                                                                       {"clause_kind", "lot_clause"},
                                                                       {"insertion_hours", "lot_hours"}};

// The same error, each lot's field named by its element's id, so the summary's links lead to it.
core::Error with_lot_ids(core::Error e) {
    core::FieldErrors renamed;
    for (const auto& [field, message] : e.fields) {
        std::string id = field;
        for (const auto& [key, prefix] : kLotFieldIds) {
            const auto dot = field.rfind('.');
            if (field.rfind("lots.", 0) == 0 && dot != std::string::npos && field.substr(dot + 1) == key)
                id = prefix + "_" + field.substr(5, dot - 5);
        }
        renamed[id] = message;
    }
    e.fields = std::move(renamed);
    return e;
}

}  // namespace

json Site::notice_form_view(const core::NoticeInput& in, const core::FieldErrors& errors) {
    json procedures = json::array();
    for (const auto& p : core::procedures())
        procedures.push_back({{"code", p.code}, {"label", p.label}, {"selected", in.procedure == p.code}});
    json lots = json::array();
    int i = 0;
    for (const auto& l : in.lots) {
        ++i;
        json clauses = json::array();
        for (const auto& c : core::lot_clause_kinds())
            clauses.push_back({{"code", c.code},
                               {"label", c.label},
                               {"selected", (l.clause_kind.empty() ? std::string("none") : l.clause_kind) == c.code}});
        const std::string key = "lots." + std::to_string(i) + ".";
        json row_errors = json::object();
        for (const auto& [field, id] : kLotFieldIds)
            if (auto it = errors.find(key + field); it != errors.end()) row_errors[id] = it->second;
        lots.push_back({{"n", std::to_string(i)},
                        {"errors", row_errors},
                        {"title", l.title},
                        {"cpv", l.cpv_code},
                        {"amount", l.estimated_amount},
                        {"departements", join(l.departements)},
                        {"clauses", clauses},
                        {"hours", l.insertion_hours},
                        {"key_title", key + "title"},
                        {"key_cpv", key + "cpv_code"},
                        {"key_amount", key + "estimated_amount"},
                        {"key_departements", key + "departements"},
                        {"key_hours", key + "insertion_hours"}});
    }
    return {{"reference", in.reference},
            {"title_value", in.title},
            {"description", in.description},
            {"procedures", procedures},
            {"bid_deadline", in.bid_deadline},
            {"question_deadline", in.question_deadline},
            {"lots", lots},
            {"can_remove_lot", in.lots.size() > 1}};
}

namespace {

// The filters of the public list, from its query string (shared by the page and its CSV export).
nt::NoticeFilter notice_filter_from(const http::Request& req) {
    nt::NoticeFilter f;
    f.text = req.query_param("q");
    f.departement = req.query_param("departement");
    if (!f.departement.empty() && !core::is_departement_code(f.departement)) f.departement.clear();
    f.cpv_division = req.query_param("division");
    if (f.cpv_division.size() != 2 || !std::all_of(f.cpv_division.begin(), f.cpv_division.end(), ::isdigit))
        f.cpv_division.clear();
    f.clause_kind = req.query_param("clause");
    if (!core::label_of(core::lot_clause_kinds(), f.clause_kind) || f.clause_kind == "none") f.clause_kind.clear();
    return f;
}

}  // namespace

Response Site::notice_csv(Ctx& ctx) {
    return export_download(ctx, "notices", "consultations.csv", [&](std::ostream& out) {
        return s_.notices.write_public_csv(notice_filter_from(ctx.req), ctx.req.query_param("etat") != "toutes", out);
    });
}

Response Site::notice_list(Ctx& ctx) {
    core::Page p;
    std::string why;
    if (!core::parse_page(ctx.req.query_param("page"), "", p, why, 20)) return error_page(ctx, 400, why);
    nt::NoticeFilter f = notice_filter_from(ctx.req);
    const bool all = ctx.req.query_param("etat") == "toutes";
    auto list = s_.notices.list_public(f, !all, p);
    if (!list) return fail(ctx, list.error());
    json items = json::array();
    for (const auto& n : list->items) items.push_back(notice_summary(n));
    json divisions = json::array();
    if (auto d = s_.reference.cpv_divisions())
        for (const auto& c : d.value())
            divisions.push_back({{"code", c.division},
                                 {"label", c.division + " — " + c.label_fr},
                                 {"selected", c.division == f.cpv_division}});
    json clauses = json::array();
    for (const auto& c : core::lot_clause_kinds())
        if (std::string(c.code) != "none")
            clauses.push_back({{"code", c.code}, {"label", c.label}, {"selected", f.clause_kind == c.code}});
    std::string qs = "?q=" + http::url_encode(f.text) + "&departement=" + f.departement +
                     "&division=" + f.cpv_division + "&clause=" + f.clause_kind + (all ? "&etat=toutes" : "");
    json view = {{"title", "Consultations"},
                 {"breadcrumb", crumbs({{"Consultations", "/consultations"}})},
                 {"items", items},
                 {"empty", items.empty()},
                 {"q", f.text},
                 {"all", all},
                 {"csv_url", "/consultations.csv" + qs},
                 {"departements", departement_options({}, f.departement)},
                 {"divisions", divisions},
                 {"clauses", clauses},
                 {"total", core::format_integer_fr(list->total)},
                 {"total_plural", list->total > 1}};
    add_pagination(view, "/consultations" + qs, p.page, p.per_page, list->total);
    return page(ctx, "notice_list", view);
}

Response Site::notice_item(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette consultation n'existe pas.");
    auto n = s_.notices.get(ctx.actor, *id);
    if (!n) return fail(ctx, n.error());
    auto history = s_.notices.history(ctx.actor, *id);
    auto questions = s_.notices.questions(ctx.actor, *id);
    if (!history) return fail(ctx, history.error());
    if (!questions) return fail(ctx, questions.error());
    json view = notice_summary(n.value());
    view["breadcrumb"] = crumbs({{"Consultations", "/consultations"}, {n->title, view["url"]}});
    view["description"] = n->description;
    json lots = view["lots"];
    for (std::size_t i = 0; i < n->lots.size(); ++i) lots[i]["cpv_items"] = cpv_chips({n->lots[i].cpv_code});
    view["lots"] = lots;
    json h = json::array();
    for (const auto& e : history.value())
        h.push_back(
            {{"date", core::format_datetime_fr(e.at)}, {"summary", e.summary}, {"amendment", e.kind == "amendment"}});
    view["history"] = h;
    view["has_history"] = !h.empty();
    const bool editor = s_.notices.can_edit(ctx.actor, n.value());
    json qs = json::array();
    for (const auto& q : questions.value())
        qs.push_back({{"id", q.id},
                      {"question", q.question},
                      {"asked", core::format_date_fr(q.asked_at)},
                      {"answer", q.answer.value_or("")},
                      {"answered", q.answered_at ? core::format_date_fr(*q.answered_at) : ""},
                      {"answer_action", "/mon-espace/consultations/" + std::to_string(*id) + "/questions/" +
                                            std::to_string(q.id) + "/reponse"},
                      {"answer_form", form_view(ctx, "answer-" + std::to_string(q.id))}});
    json docs = json::array();
    if (auto list = s_.notices.documents(ctx.actor, *id))
        for (const auto& d : list.value())
            docs.push_back({{"name", d.filename},
                            {"url", "/consultations/" + std::to_string(*id) + "/documents/" + std::to_string(d.id)},
                            {"size", core::format_integer_fr((d.size + 1023) / 1024) + "\u202fKio"},
                            {"date", core::format_date_fr(d.uploaded_at)},
                            {"downloads", std::to_string(d.downloads)}});
    view["documents"] = docs;
    view["has_documents"] = !docs.empty();
    view["upload_action"] = "/mon-espace/consultations/" + std::to_string(*id) + "/documents";
    view["downloads_url"] = "/mon-espace/consultations/" + std::to_string(*id) + "/retraits";
    view["questions"] = qs;
    view["has_questions"] = !qs.empty();
    view["editor"] = editor;
    view["edit_url"] = "/mon-espace/consultations/" + std::to_string(*id) + "/modifier";
    view["action_base"] = "/mon-espace/consultations/" + std::to_string(*id);
    view["upload_form"] = form_view(ctx, "upload");
    if (editor) {
        std::vector<std::string> codes, deps;
        std::string clause = "none";
        std::int64_t amount = 0;
        for (const auto& l : n->lots) {
            if (std::find(codes.begin(), codes.end(), l.cpv_code) == codes.end()) codes.push_back(l.cpv_code);
            deps.insert(deps.end(), l.departements.begin(), l.departements.end());
            amount += l.estimated_amount;
            if (clause == "none") clause = l.clause_kind;
        }
        view["sourcing_url"] = sourcing_url(codes, deps, amount, clause);
    }
    if (n->status == "awarded") {
        json awards = json::array();
        if (auto contracts = s_.contracts.of_notice(*id))
            for (const auto& c : contracts.value()) {
                json a = contract_summary(c);
                awards.push_back({{"title", c.object}, {"url", a["url"]}, {"detail", a["detail"]}});
            }
        std::reverse(awards.begin(), awards.end());  // lot order (the list is newest first)
        view["awards"] = awards;
        view["has_awards"] = !awards.empty();
    }
    if (n->roadmap_item_id) view["roadmap_url"] = "/feuilles-de-route/" + std::to_string(*n->roadmap_item_id);
    add_exchange_section(ctx, view, n.value(),
                         s_.notices.effective_status(n.value()) == core::NoticeStatus::kPublished);
    if (!ctx.user) {
        view["anonymous"] = true;
    } else if (!editor && n->status != "draft") {
        auto following = s_.notices.is_following(ctx.actor, *id);
        view["can_follow"] = true;
        view["following"] = following && following.value();
        const bool company = std::any_of(ctx.actor.memberships.begin(), ctx.actor.memberships.end(),
                                         [](const auto& m) { return m.org_kind == core::OrgKind::kCompany; });
        view["can_ask"] = company && s_.notices.questions_open(n.value());
        // The question as the person left it when it was refused.
        view["question_form"] = form_view(ctx, "question");
    }
    return page(ctx, "notice_item", view);
}

Response Site::notice_follow(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette consultation n'existe pas.");
    const bool stop = ctx.req.form_value("suivre") == "0";
    auto st = stop ? s_.notices.unfollow(ctx.actor, *id) : s_.notices.follow(ctx.actor, *id);
    if (!st) return fail(ctx, st.error());
    return redirect_flash(ctx, "/consultations/" + std::to_string(*id),
                          stop ? "Vous ne suivez plus cette consultation."
                               : "Vous suivez cette consultation : vous serez prévenu des rectificatifs, des réponses "
                                 "et de l'attribution.");
}

Response Site::notice_ask(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette consultation n'existe pas.");
    std::string back = "/consultations/" + std::to_string(*id);
    auto st = s_.notices.ask(ctx.actor, *id, ctx.req.form_value("question"));
    if (!st) {
        if (st.error().code == core::ErrorCode::kInvalidInput)
            return refuse_form(ctx, back + "#questions", "question", st.error(), {"question"});
        if (st.error().code == core::ErrorCode::kConflict)
            return redirect_flash(ctx, back, st.error().message, "warning");
        return fail(ctx, st.error());
    }
    return redirect_flash(ctx, back + "#questions",
                          "Votre question est transmise à l'acheteur. La réponse sera publiée ici, sans votre nom, et "
                          "vous sera envoyée.");
}

Response Site::notice_answer(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    auto q = parse_id(ctx.req.path_param("question"));
    if (!id || !q) return error_page(ctx, 404, "Cette question n'existe pas.");
    const std::string form = "answer-" + std::to_string(*q);
    std::string back = "/consultations/" + std::to_string(*id) + "#" + form;
    auto st = s_.notices.answer(ctx.actor, *id, *q, ctx.req.form_value("answer"));
    if (!st) return refuse_form(ctx, back, form, st.error(), {"answer"});
    return redirect_flash(ctx, back, "La réponse est publiée et envoyée aux entreprises qui suivent la consultation.");
}

Response Site::notice_mine(Ctx& ctx) {
    core::Page p;
    std::string why;
    if (!core::parse_page(ctx.req.query_param("page"), "", p, why, 50)) return error_page(ctx, 400, why);
    auto list = s_.notices.list_mine(ctx.actor, p);
    if (!list) return fail(ctx, list.error());
    json buyers = json::array();
    if (auto ms = s_.orgs.memberships_of(ctx.user->id))
        for (const auto& m : ms.value())
            if (m.org_kind == "buyer" && m.status == "active")
                buyers.push_back({{"name", m.org_name},
                                  {"new_url", "/mon-espace/consultations/nouvelle?org=" + std::to_string(m.org_id)}});
    json items = json::array();
    for (const auto& n : list->items) items.push_back(notice_summary(n));
    json view = {
        {"title", "Mes consultations"},
        {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"}, {"Consultations", "/mon-espace/consultations"}})},
        {"buyers", buyers},
        {"is_buyer", !buyers.empty()},
        {"items", items},
        {"empty", items.empty()}};
    add_pagination(view, "/mon-espace/consultations", p.page, p.per_page, list->total);
    return page(ctx, "notice_mine", view);
}

Response Site::notice_new_form(Ctx& ctx) {
    auto org = parse_id(ctx.req.query_param("org"));
    auto o = s_.orgs.get(*org);
    if (!o) return fail(ctx, o.error());
    core::NoticeInput in;
    in.lots.push_back({});
    std::string action = "/mon-espace/consultations/nouvelle?org=" + std::to_string(*org);
    // Started from a roadmap item: its contents fill the form.
    if (auto item_id = parse_id(ctx.req.query_param("projet"))) {
        auto item = s_.roadmaps.get(ctx.actor, *item_id);
        if (item && item->org_id == *org) {
            in.title = item->title;
            in.description = item->description;
            in.procedure = item->procedure;
            in.lots.clear();
            for (const auto& c : item->cpv_codes)
                in.lots.push_back({item->cpv_codes.size() > 1 ? item->title + " — " + c : item->title, c, "",
                                   item->departements, core::lot_clause_for_intent(item->clause_intent), ""});
            action += "&projet=" + std::to_string(*item_id);
        }
    }
    return page(ctx, "notice_form",
                {{"title", "Nouvelle consultation"},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"},
                                        {"Consultations", "/mon-espace/consultations"},
                                        {"Nouvelle consultation", ""}})},
                 {"buyer", o->name},
                 {"creating", true},
                 {"action", action},
                 {"form", notice_form_view(in)}});
}

Response Site::notice_create(Ctx& ctx) {
    auto org = parse_id(ctx.req.query_param("org"));
    if (!org) return error_page(ctx, 404, "Organisation inconnue.");
    auto in = notice_input_from(ctx.req);
    auto item = parse_id(ctx.req.query_param("projet"));
    std::string action = "/mon-espace/consultations/nouvelle?org=" + std::to_string(*org) +
                         (item ? "&projet=" + std::to_string(*item) : "");
    json view = {{"title", "Nouvelle consultation"}, {"creating", true}, {"action", action}};
    // Adding or removing a lot re-displays the form without saving.
    if (!ctx.req.form_value("add_lot").empty() || !ctx.req.form_value("remove_lot").empty()) {
        if (!ctx.req.form_value("add_lot").empty())
            in.lots.push_back({});
        else if (in.lots.size() > 1)
            in.lots.pop_back();
        view["form"] = notice_form_view(in);
        return page(ctx, "notice_form", view);
    }
    auto id = s_.notices.create(ctx.actor, *org, in, item);
    if (!id) {
        if (in.lots.empty()) in.lots.push_back({});
        view["form"] = notice_form_view(in, id.error().fields);
        return form_error(ctx, "notice_form", view, with_lot_ids(id.error()));
    }
    if (ctx.req.form_value("publish") == "1") {
        auto st = s_.notices.publish(ctx.actor, id.value());
        if (!st)
            return redirect_flash(
                ctx, "/consultations/" + std::to_string(id.value()),
                "La consultation est enregistrée en brouillon mais pas publiée : " + lower_first(st.error().message),
                "warning");
        return redirect_flash(ctx, "/consultations/" + std::to_string(id.value()), "La consultation est publiée.");
    }
    return redirect_flash(
        ctx, "/consultations/" + std::to_string(id.value()),
        "La consultation est enregistrée en brouillon : elle n'est visible que de votre organisation.");
}

Response Site::notice_edit_form(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette consultation n'existe pas.");
    auto n = s_.notices.get(ctx.actor, *id);
    if (!n) return fail(ctx, n.error());
    if (!s_.notices.can_edit(ctx.actor, n.value()))
        return error_page(ctx, 403, "Seuls les agents de l'acheteur peuvent modifier cette consultation.");
    return page(
        ctx, "notice_form",
        {{"title", "Modifier la consultation"},
         {"breadcrumb",
          crumbs({{"Mon espace", "/mon-espace"}, {"Consultations", "/mon-espace/consultations"}, {n->title, ""}})},
         {"buyer", n->org_name},
         {"is_published", n->status == "published"},
         {"action", "/mon-espace/consultations/" + std::to_string(*id) + "/modifier"},
         {"form", notice_form_view(input_of(n.value()))}});
}

Response Site::notice_update(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette consultation n'existe pas.");
    auto in = notice_input_from(ctx.req);
    json view = {{"title", "Modifier la consultation"},
                 {"action", "/mon-espace/consultations/" + std::to_string(*id) + "/modifier"}};
    if (!ctx.req.form_value("add_lot").empty() || !ctx.req.form_value("remove_lot").empty()) {
        if (!ctx.req.form_value("add_lot").empty())
            in.lots.push_back({});
        else if (in.lots.size() > 1)
            in.lots.pop_back();
        view["form"] = notice_form_view(in);
        return page(ctx, "notice_form", view);
    }
    auto st = s_.notices.update(ctx.actor, *id, in);
    if (!st) {
        if (st.error().code != core::ErrorCode::kInvalidInput && st.error().code != core::ErrorCode::kConflict)
            return fail(ctx, st.error());
        if (in.lots.empty()) in.lots.push_back({});
        view["form"] = notice_form_view(in, st.error().fields);
        return form_error(ctx, "notice_form", view, with_lot_ids(st.error()));
    }
    if (auto n = s_.notices.get(ctx.actor, *id); n && n->status != "draft")
        audit(ctx, "notice_amended", "consultation " + std::to_string(*id), n->title);
    return redirect_flash(ctx, "/consultations/" + std::to_string(*id), "La consultation est enregistrée.");
}

Response Site::notice_transition(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette consultation n'existe pas.");
    const std::string action = ctx.req.path_param("action");
    core::Status st;
    std::string done;
    if (action == "publier") {
        st = s_.notices.publish(ctx.actor, *id);
        done = "La consultation est publiée.";
    } else if (action == "cloturer" || action == "infructueuse") {  // awarding has its own form (pages_award)
        const std::string to = action == "cloturer" ? "closed" : "unsuccessful";
        st = s_.notices.set_status(ctx.actor, *id, to);
        done = "L'état de la consultation est mis à jour ; les entreprises qui la suivent sont prévenues.";
    } else {
        return error_page(ctx, 404, "Action inconnue.");
    }
    std::string back = "/consultations/" + std::to_string(*id);
    if (!st) {
        if (st.error().code == core::ErrorCode::kConflict || st.error().code == core::ErrorCode::kInvalidInput)
            return redirect_flash(ctx, back, st.error().message, "warning");
        return fail(ctx, st.error());
    }
    audit(ctx, action == "publier" ? "notice_published" : "notice_status", "consultation " + std::to_string(*id),
          action);
    return redirect_flash(ctx, back, done);
}

Response Site::api_notices(Ctx& ctx) {
    core::Page p;
    std::string why;
    if (!core::parse_page(ctx.req.query_param("page"), ctx.req.query_param("per_page"), p, why))
        return problem(ctx, core::Error::Invalid(why));
    nt::NoticeFilter f;
    f.text = ctx.req.query_param("q");
    f.departement = ctx.req.query_param("departement");
    f.cpv_division = ctx.req.query_param("cpv_division");
    f.clause_kind = ctx.req.query_param("clause");
    const std::string state = ctx.req.query_param("state");
    if (!state.empty() && state != "open" && state != "all")
        return problem(ctx, core::Error::Invalid("Le paramètre state vaut open ou all."));
    if (!f.departement.empty() && !core::is_departement_code(f.departement))
        return problem(ctx, core::Error::Invalid("Le paramètre departement n'est pas un code de département."));
    if (!f.cpv_division.empty() &&
        (f.cpv_division.size() != 2 || !std::all_of(f.cpv_division.begin(), f.cpv_division.end(), ::isdigit)))
        return problem(ctx, core::Error::Invalid("Le paramètre cpv_division compte deux chiffres."));
    if (!f.clause_kind.empty() && !core::label_of(core::lot_clause_kinds(), f.clause_kind))
        return problem(ctx, core::Error::Invalid("Valeur inconnue pour clause."));
    auto list = s_.notices.list_public(f, state != "all", p);
    if (!list) return problem(ctx, list.error());
    json items = json::array();
    for (const auto& n : list->items) items.push_back(notice_json(n));
    Response r = Response::json(
        json({{"items", items}, {"total", list->total}, {"page", p.page}, {"per_page", p.per_page}}).dump());
    std::string q;
    for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{{"q", f.text},
                                                                               {"departement", f.departement},
                                                                               {"cpv_division", f.cpv_division},
                                                                               {"clause", f.clause_kind},
                                                                               {"state", state}})
        if (!v.empty()) q += (q.empty() ? "?" : "&") + k + "=" + http::url_encode(v);
    r.set_header("Link", core::link_header(settings_.base_url + "/api/v1/notices" + q, p, list->total));
    r.set_header("X-Total-Count", std::to_string(list->total));
    return r;
}

Response Site::api_notice(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return problem(ctx, core::Error::Invalid("Identifiant invalide."));
    auto n = s_.notices.get(ctx.actor, *id);
    if (!n) return problem(ctx, n.error());
    json j = notice_json(n.value());
    json h = json::array();
    if (auto history = s_.notices.history(ctx.actor, *id))
        for (const auto& e : history.value())
            h.push_back({{"at", core::format_iso8601_utc(e.at)}, {"kind", e.kind}, {"summary", e.summary}});
    json qa = json::array();
    if (auto qs = s_.notices.questions(core::Actor{}, *id))
        for (const auto& q : qs.value()) qa.push_back({{"question", q.question}, {"answer", q.answer.value_or("")}});
    j["history"] = h;
    j["questions"] = qa;
    return Response::json(j.dump());
}

Response Site::notice_upload(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette consultation n'existe pas.");
    // The router read the form (and checked its CSRF token) already.
    if (ctx.req.form_malformed()) return error_page(ctx, 400, "Le fichier n'a pas été reçu correctement. Réessayez.");
    std::string filename;
    std::string_view bytes;
    for (const auto& p : ctx.req.files())
        if (p.name == "document") {
            filename = p.filename;
            bytes = p.data;
        }
    std::string back = "/consultations/" + std::to_string(*id) + "#documents";
    auto doc = s_.notices.add_document(ctx.actor, *id, filename, bytes);
    if (!doc) {
        core::Error e = doc.error();
        if (auto it = e.fields.find("document"); it != e.fields.end() && !filename.empty())
            it->second += " Choisissez un autre fichier.";  // a file input never comes back filled
        return refuse_form(ctx, back, "upload", e, {"document"});
    }
    return redirect_flash(
        ctx, back, "Le document « " + core::safe_filename(filename) + " » est ajouté au dossier de consultation.");
}

Response Site::notice_document(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    auto doc = parse_id(ctx.req.path_param("document"));
    if (!id || !doc) return error_page(ctx, 404, "Ce document n'existe pas.");
    auto d = s_.notices.download(ctx.actor, *id, *doc);
    if (!d) return fail(ctx, d.error());
    return download_response(std::move(d->bytes), d->meta.content_type, d->meta.filename);
}

Response Site::notice_downloads(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette consultation n'existe pas.");
    auto n = s_.notices.get(ctx.actor, *id);
    if (!n) return fail(ctx, n.error());
    auto log = s_.notices.download_log(ctx.actor, *id);
    if (!log) return fail(ctx, log.error());
    json rows = json::array();
    for (const auto& r : log.value())
        rows.push_back({{"document", r.document},
                        {"name", r.user_name},
                        {"email", r.user_email},
                        {"organisations", r.organisations},
                        {"date", core::format_datetime_fr(r.at)}});
    return page(ctx, "notice_downloads",
                {{"title", "Registre des retraits"},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"},
                                        {"Consultations", "/mon-espace/consultations"},
                                        {n->title, "/consultations/" + std::to_string(*id)},
                                        {"Registre des retraits", ""}})},
                 {"notice", notice_summary(n.value())},
                 {"rows", rows},
                 {"empty", rows.empty()},
                 {"count", std::to_string(rows.size())}});
}

}  // namespace passerelle::web
