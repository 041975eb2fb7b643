// Matchmaking events on the site: the public list and event pages with registration (/evenements), each
// participant's meeting requests, availability and agenda (/mon-espace/evenements/{id}/…), and the
// organiser's pages: the event form, registrants and their exports, the request matrix, the schedule,
// the sheets per table, and check-in.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "app/csv.hpp"
#include "app/office_formats.hpp"
#include "core/event.hpp"
#include "core/french.hpp"
#include "core/validation.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;
namespace ev = storage::events;
namespace ce = core::events;

namespace {

std::string event_path(std::int64_t id) { return "/evenements/" + std::to_string(id); }
std::string space_path(std::int64_t id) { return "/mon-espace/evenements/" + std::to_string(id); }

std::string status_label(const std::string& s) {
    if (s == "draft") return "Brouillon";
    if (s == "published") return "Publié";
    if (s == "cancelled") return "Annulé";
    return s;
}

std::string slot_label(const ce::Slot& s) {
    return core::format_time_fr(s.starts_at) + " – " + core::format_time_fr(s.ends_at);
}

std::string slot_label_at(const std::vector<ce::Slot>& slots, int n) {
    return n >= 0 && n < static_cast<int>(slots.size()) ? slot_label(slots[static_cast<std::size_t>(n)]) : "—";
}

std::string status_badge(const std::string& s) {
    if (s == "accepted" || s == "confirmed") return "text-bg-success";
    if (s == "pending" || s == "waitlisted") return "text-bg-warning";
    return "text-bg-secondary";
}

// A slot number from a form (0 included).
std::optional<int> parse_slot(const std::string& v) {
    auto n = core::parse_int(v);
    if (!n || *n < 0) return std::nullopt;
    return n;
}

// « 99,7 % », rounded down (never shows 100 % below the bound).
std::string percent_fr(std::int64_t part, std::int64_t whole) {
    if (whole <= 0) return "100 %";
    const auto tenths = part * 1000 / whole;
    return std::to_string(tenths / 10) + "," + std::to_string(tenths % 10) + " %";
}

// How the scheduler reached its result, for the organiser.
std::string method_label(const std::string& m) {
    if (m == "konig") return "coloration exacte de König : optimal";
    if (m == "cbc-optimal" || m == "local-search+cbc-optimal")
        return "recherche locale puis programme linéaire en nombres entiers (CBC) : optimal prouvé";
    if (m == "local-search") return "recherche locale (chaînes de Kempe, éjections)";
    return m;
}

constexpr int kSessionRows = 6;
constexpr int kQuestionRows = 4;

ce::EventInput event_input_from(const http::Request& req) {
    ce::EventInput in;
    in.title = req.form_value("title");
    in.summary = req.form_value("summary");
    in.description = req.form_value("description");
    in.place = req.form_value("place");
    in.address = req.form_value("address");
    in.day = req.form_value("day");
    in.starts = req.form_value("starts");
    in.ends = req.form_value("ends");
    in.registration_opens = req.form_value("registration_opens");
    in.registration_closes = req.form_value("registration_closes");
    in.requests_deadline = req.form_value("requests_deadline");
    in.capacity_buyers = req.form_value("capacity_buyers");
    in.capacity_companies = req.form_value("capacity_companies");
    in.max_per_org = req.form_value("max_per_org");
    in.approval_required = req.form_value("approval_required") == "1";
    for (int i = 1; i <= kSessionRows; ++i) {
        const std::string k = "sessions." + std::to_string(i) + ".";
        in.sessions.push_back({req.form_value(k + "kind"), req.form_value(k + "title"), req.form_value(k + "starts"),
                               req.form_value(k + "ends"), req.form_value(k + "slot_minutes"),
                               req.form_value(k + "tables")});
    }
    for (int i = 1; i <= kQuestionRows; ++i) {
        const std::string k = "questions." + std::to_string(i) + ".";
        in.questions.push_back({req.form_value(k + "label"), req.form_value(k + "required") == "1"});
    }
    return in;
}

}  // namespace

json Site::event_summary(const ev::EventRecord& e) {
    return {{"id", e.id},
            {"url", event_path(e.id)},
            {"title", e.title},
            {"summary", e.summary},
            {"date", core::format_date_fr(e.starts_at)},
            {"time", core::format_time_fr(e.starts_at) + " – " + core::format_time_fr(e.ends_at)},
            {"place", e.place},
            {"cancelled", e.status == "cancelled"},
            {"draft", e.status == "draft"},
            {"status", status_label(e.status)}};
}

json Site::programme_view(const app::EventDetails& d) {
    json sessions = json::array();
    for (const auto& s : d.event.sessions) {
        json item = {{"title", s.title},
                     {"kind", ce::session_kind_label(s.kind)},
                     {"time", core::format_time_fr(s.starts_at) + " – " + core::format_time_fr(s.ends_at)}};
        if (s.kind == "networking" && s.slot_minutes)
            item["detail"] = "créneaux de " + std::to_string(*s.slot_minutes) + " minutes" +
                             (s.tables ? ", " + std::to_string(*s.tables) + " tables" : "");
        sessions.push_back(item);
    }
    return sessions;
}

Response Site::event_list(Ctx& ctx) {
    auto next = s_.events.upcoming(50);
    if (!next) return fail(ctx, next.error());
    auto before = s_.events.past(20);
    if (!before) return fail(ctx, before.error());
    json upcoming = json::array(), past = json::array();
    for (const auto& e : next.value()) upcoming.push_back(event_summary(e));
    for (const auto& e : before.value()) past.push_back(event_summary(e));
    return page(ctx, "events",
                {{"title", "Événements"},
                 {"breadcrumb", crumbs({{"Événements", ""}})},
                 {"upcoming", upcoming},
                 {"no_upcoming", upcoming.empty()},
                 {"past", past},
                 {"has_past", !past.empty()},
                 {"organiser", core::allowed(ctx.actor, core::Action::kManageEvents)}});
}

Response Site::event_page(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto d = s_.events.details(ctx.actor, *id);
    if (!d) return fail(ctx, d.error());
    const auto& e = d->event;
    json view = event_summary(e);
    view["title"] = e.title;
    view["breadcrumb"] = crumbs({{"Événements", "/evenements"}, {e.title, ""}});
    view["description"] = e.description;
    view["address"] = e.address;
    view["programme"] = programme_view(d.value());
    view["has_programme"] = !e.sessions.empty();
    view["requests_deadline"] = core::format_datetime_fr(e.requests_deadline);
    view["has_slots"] = !d->slots.empty();
    auto seats = [](std::optional<int> cap, std::int64_t taken) -> std::string {
        if (!cap) return "sans limite";
        const auto left = std::max<std::int64_t>(0, *cap - taken);
        return left == 0 ? "complet (liste d'attente)" : core::format_integer_fr(left) + " place(s) restante(s)";
    };
    view["seats_buyers"] = seats(e.capacity_buyers, d->buyers_confirmed);
    view["seats_companies"] = seats(e.capacity_companies, d->companies_confirmed);
    view["approval"] = e.approval_required;
    view["window_message"] = ce::registration_window_message(d->window, e.registration_opens_at);
    if (e.registration_closes_at) view["closes"] = core::format_datetime_fr(*e.registration_closes_at);
    view["organiser"] = core::allowed(ctx.actor, core::Action::kManageEvents);
    view["manage_url"] = space_path(*id) + "/modifier";
    add_pitch_section(ctx, view, *id);
    if (!ctx.user) {
        view["login_url"] = "/connexion?retour=" + http::url_encode(event_path(*id));
        return page(ctx, "event", view);
    }
    auto mine = s_.events.my_registration(ctx.actor, *id);
    if (mine && mine.value() && mine.value()->status != "cancelled") {
        const auto& r = *mine.value();
        view["registration"] = {
            {"status", ce::registration_status_label(r.status)},
            {"badge", status_badge(r.status)},
            {"org", r.org_name},
            {"confirmed", r.status == "confirmed"},
            {"code", r.checkin_code},
            {"cancellable", r.status != "refused" && s_.clock.now() < e.starts_at},
            {"cancel_action", event_path(*id) + "/desinscription"},
            {"meetings_url", space_path(*id) + "/rendez-vous?organisation=" + std::to_string(r.org_id)},
            {"agenda_url", space_path(*id) + "/agenda?organisation=" + std::to_string(r.org_id)}};
        return page(ctx, "event", view);
    }
    if (d->window != ce::Availability::kOpen) return page(ctx, "event", view);
    json orgs = json::array();
    if (auto ms = s_.orgs.memberships_of(ctx.user->id))
        for (const auto& m : ms.value())
            if (m.status == "active")
                orgs.push_back(
                    {{"id", m.org_id},
                     {"name", m.org_name + (m.org_kind == "buyer" ? " (acheteur public)" : " (entreprise)")}});
    // The registration as typed when it came back refused.
    json form = form_view(ctx, "register");
    mark_selected(orgs, form["values"], "organisation");
    view["register_open"] = true;
    view["register_action"] = event_path(*id) + "/inscription";
    view["register_form"] = form;
    view["orgs"] = orgs;
    view["no_org"] = orgs.empty();
    json questions = json::array();
    for (std::size_t i = 0; i < e.questions.size(); ++i) {
        const std::string field = "answers." + std::to_string(i + 1);
        questions.push_back({{"field", field},
                             {"label", e.questions[i].label},
                             {"required", e.questions[i].required},
                             {"answer", form["values"].value(field, "")},
                             {"error", form["errors"].value(field, "")}});
    }
    view["questions"] = questions;
    return page(ctx, "event", view);
}

Response Site::event_register(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto org = parse_id(ctx.req.form_value("organisation"));
    const std::string back = event_path(*id) + "#inscription";
    if (!org)
        return refuse_form(ctx, back, "register",
                           core::Error::Invalid("Votre inscription n'est pas envoyée.",
                                                {{"organisation", "Choisissez l'organisation que vous représentez."}}));
    std::vector<std::string> answers;
    for (int i = 1; i <= 50; ++i) {
        const auto key = "answers." + std::to_string(i);
        if (ctx.req.form().count(key) == 0) break;
        answers.push_back(ctx.req.form_value(key));
    }
    auto r = s_.events.register_for(ctx.actor, *id, *org, answers);
    if (!r) return refuse_form(ctx, back, "register", r.error());
    const std::string msg = r->status == "confirmed" ? "Votre inscription est confirmée. Un e-mail vous a été envoyé."
                            : r->status == "pending" ? "Votre demande d'inscription est transmise à l'organisateur."
                                                     : "L'événement est complet : vous êtes sur la liste d'attente.";
    return redirect_flash(ctx, event_path(*id), msg, r->status == "confirmed" ? "success" : "info");
}

Response Site::event_unregister(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    if (auto s = s_.events.cancel_registration(ctx.actor, *id); !s)
        return flash_or_fail(ctx, s.error(), event_path(*id), "");
    return redirect_flash(ctx, event_path(*id), "Votre inscription est annulée.");
}

Response Site::events_mine(Ctx& ctx) {
    auto regs = s_.events.my_registrations(ctx.actor);
    if (!regs) return fail(ctx, regs.error());
    json items = json::array();
    for (const auto& r : regs.value()) {
        const bool active = r.status != "cancelled" && r.status != "refused";
        items.push_back(
            {{"title", r.event_title},
             {"url", event_path(r.event_id)},
             {"date", core::format_datetime_fr(r.event_starts_at)},
             {"org", r.org_name},
             {"status", ce::registration_status_label(r.status)},
             {"badge", status_badge(r.status)},
             {"confirmed", r.status == "confirmed" && active},
             {"meetings_url", space_path(r.event_id) + "/rendez-vous?organisation=" + std::to_string(r.org_id)},
             {"agenda_url", space_path(r.event_id) + "/agenda?organisation=" + std::to_string(r.org_id)}});
    }
    json view = {{"title", "Mes événements"},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"}, {"Mes événements", ""}})},
                 {"registrations", items},
                 {"no_registration", items.empty()}};
    if (core::allowed(ctx.actor, core::Action::kManageEvents)) {
        auto managed = s_.events.managed(ctx.actor);
        if (!managed) return fail(ctx, managed.error());
        json list = json::array();
        for (const auto& e : managed.value()) {
            json item = event_summary(e);
            item["edit_url"] = space_path(e.id) + "/modifier";
            item["registrants_url"] = space_path(e.id) + "/inscrits";
            item["requests_url"] = space_path(e.id) + "/demandes";
            item["schedule_url"] = space_path(e.id) + "/planning";
            item["checkin_url"] = space_path(e.id) + "/emargement";
            item["pitches_url"] = space_path(e.id) + "/pitchs";
            item["results_url"] = space_path(e.id) + "/bilan";
            list.push_back(item);
        }
        view["organiser"] = true;
        view["managed"] = list;
    }
    return page(ctx, "events_mine", view);
}

// ---- The event form ----

json Site::event_form_view(const ce::EventInput& in) {
    json sessions = json::array();
    for (int i = 0; i < kSessionRows; ++i) {
        const auto s =
            i < static_cast<int>(in.sessions.size()) ? in.sessions[static_cast<std::size_t>(i)] : ce::SessionInput{};
        json kinds = json::array();
        for (const char* k : {"plenary", "pitch", "networking"})
            kinds.push_back({{"code", k}, {"label", ce::session_kind_label(k)}, {"selected", s.kind == k}});
        sessions.push_back({{"n", i + 1},
                            {"prefix", "sessions." + std::to_string(i + 1) + "."},
                            {"kinds", kinds},
                            {"title", s.title},
                            {"starts", s.starts},
                            {"ends", s.ends},
                            {"slot_minutes", s.slot_minutes},
                            {"tables", s.tables}});
    }
    json questions = json::array();
    for (int i = 0; i < kQuestionRows; ++i) {
        const auto q =
            i < static_cast<int>(in.questions.size()) ? in.questions[static_cast<std::size_t>(i)] : ce::QuestionInput{};
        questions.push_back({{"n", i + 1},
                             {"prefix", "questions." + std::to_string(i + 1) + "."},
                             {"label", q.label},
                             {"required", q.required}});
    }
    return {{"title_value", in.title},
            {"summary", in.summary},
            {"description", in.description},
            {"place", in.place},
            {"address", in.address},
            {"day", in.day},
            {"starts", in.starts},
            {"ends", in.ends},
            {"registration_opens", in.registration_opens},
            {"registration_closes", in.registration_closes},
            {"requests_deadline", in.requests_deadline},
            {"capacity_buyers", in.capacity_buyers},
            {"capacity_companies", in.capacity_companies},
            {"max_per_org", in.max_per_org},
            {"approval_required", in.approval_required},
            {"sessions", sessions},
            {"questions", questions}};
}

namespace {
// Row errors ("sessions.2.starts") shown beside their row.
void add_row_errors(json& form, const core::Error& e) {
    for (const char* list : {"sessions", "questions"})
        for (auto& row : form[list]) {
            // The row's message under it, and each field at fault marked (its own "bad", never the event's).
            const std::string prefix = row["prefix"].get<std::string>();
            std::string msg;
            json bad = json::object();
            for (const auto& [k, v] : e.fields)
                if (k.rfind(prefix, 0) == 0) {
                    msg += (msg.empty() ? "" : " ") + v;
                    bad[k.substr(prefix.size())] = true;
                }
            if (!msg.empty()) row["error"] = msg;
            row["bad"] = bad;
        }
}
}  // namespace

Response Site::event_new_form(Ctx& ctx) {
    ce::EventInput in;
    in.max_per_org = "2";
    in.sessions = {{"plenary", "Table ronde", "08:30", "09:30", "", ""},
                   {"pitch", "Pitchs d'entreprises", "09:30", "10:15", "", ""},
                   {"networking", "Rendez-vous d'affaires", "10:30", "12:30", "20", ""}};
    return page(ctx, "event_form",
                {{"title", "Nouvel événement"},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"},
                                        {"Mes événements", "/mon-espace/evenements"},
                                        {"Nouvel événement", ""}})},
                 {"action", "/mon-espace/evenements/nouveau"},
                 {"form", event_form_view(in)}});
}

Response Site::event_create(Ctx& ctx) {
    auto in = event_input_from(ctx.req);
    auto id = s_.events.create(ctx.actor, in);
    if (!id) {
        json form = event_form_view(in);
        add_row_errors(form, id.error());
        return form_error(ctx, "event_form",
                          {{"title", "Nouvel événement"}, {"action", "/mon-espace/evenements/nouveau"}, {"form", form}},
                          id.error());
    }
    return redirect_flash(ctx, space_path(id.value()) + "/modifier",
                          "L'événement est enregistré en brouillon. Publiez-le pour ouvrir les inscriptions.");
}

Response Site::event_edit_form(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto d = s_.events.details(ctx.actor, *id);
    if (!d) return fail(ctx, d.error());
    json view = {
        {"title", "Modifier l'événement"},
        {"breadcrumb",
         crumbs({{"Mon espace", "/mon-espace"}, {"Mes événements", "/mon-espace/evenements"}, {d->event.title, ""}})},
        {"editing", true},
        {"event", event_summary(d->event)},
        {"action", space_path(*id) + "/modifier"},
        {"publish_action", space_path(*id) + "/statut/publier"},
        {"cancel_action", space_path(*id) + "/statut/annuler"},
        {"is_draft", d->event.status == "draft"},
        {"is_cancelled", d->event.status == "cancelled"},
        {"form", event_form_view(app::EventService::input_of(d->event))}};
    return page(ctx, "event_form", view);
}

Response Site::event_update(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto in = event_input_from(ctx.req);
    if (auto s = s_.events.update(ctx.actor, *id, in); !s) {
        json form = event_form_view(in);
        add_row_errors(form, s.error());
        return form_error(ctx, "event_form",
                          {{"title", "Modifier l'événement"},
                           {"editing", true},
                           {"action", space_path(*id) + "/modifier"},
                           {"form", form}},
                          s.error());
    }
    return redirect_flash(ctx, space_path(*id) + "/modifier", "L'événement est enregistré.");
}

Response Site::event_transition(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    const auto action = ctx.req.path_param("action");
    if (auto s = s_.events.transition(ctx.actor, *id, action); !s)
        return flash_or_fail(ctx, s.error(), space_path(*id) + "/modifier", "");
    audit(ctx, action == "publier" ? "event.publish" : "event.cancel", "event:" + std::to_string(*id), "");
    return redirect_flash(ctx, action == "publier" ? event_path(*id) : space_path(*id) + "/modifier",
                          action == "publier" ? "L'événement est publié : les inscriptions sont ouvertes."
                                              : "L'événement est annulé ; les inscrits sont prévenus par e-mail.");
}

// ---- Registrants ----

Response Site::event_registrants(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto regs = s_.events.registrants(ctx.actor, *id);
    if (!regs) return fail(ctx, regs.error());
    auto d = s_.events.details(ctx.actor, *id);
    if (!d) return fail(ctx, d.error());
    json items = json::array();
    std::map<std::string, int> counts;
    for (const auto& r : regs.value()) {
        ++counts[r.status];
        const std::string base = "/mon-espace/inscriptions/" + std::to_string(r.id) + "/";
        items.push_back({{"name", r.user_name},
                         {"email", r.user_email},
                         {"org", r.org_name},
                         {"role", ce::role_label(r.role)},
                         {"status", ce::registration_status_label(r.status)},
                         {"badge", status_badge(r.status)},
                         {"date", core::format_datetime_fr(r.created_at)},
                         {"decidable", r.status == "pending"},
                         {"refusable", r.status == "pending" || r.status == "waitlisted"},
                         {"approve_action", base + "valider"},
                         {"refuse_action", base + "refuser"}});
    }
    json figures = json::array();
    for (const char* s : {"confirmed", "pending", "waitlisted", "cancelled", "refused"})
        figures.push_back({{"label", ce::registration_status_label(s)}, {"count", counts[s]}});
    return page(ctx, "event_registrants",
                {{"title", "Inscrits — " + d->event.title},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"},
                                        {"Mes événements", "/mon-espace/evenements"},
                                        {d->event.title, space_path(*id) + "/modifier"},
                                        {"Inscrits", ""}})},
                 {"event_title", d->event.title},
                 {"registrants", items},
                 {"empty", items.empty()},
                 {"figures", figures},
                 {"back", space_path(*id) + "/inscrits"},
                 {"csv_url", space_path(*id) + "/inscrits.csv"},
                 {"xlsx_url", space_path(*id) + "/inscrits.xlsx"}});
}

Response Site::event_registrants_export(Ctx& ctx, bool xlsx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto table = s_.events.registrants_table(ctx.actor, *id);
    if (!table) return fail(ctx, table.error());
    return table_download(ctx, table.value(), "inscrits-evenement-" + std::to_string(*id), "Inscrits", xlsx);
}

Response Site::registration_action(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette inscription n'existe pas.");
    const auto action = ctx.req.path_param("action");
    const std::string back =
        return_path(ctx.req.form_value("retour"), {"/mon-espace/evenements/"}, "/mon-espace/evenements");
    core::Status st = action == "valider" || action == "refuser" ? s_.events.decide_registration(ctx.actor, *id, action)
                                                                 : s_.events.mark_attendance(ctx.actor, *id, action);
    if (!st) return flash_or_fail(ctx, st.error(), back, "");
    return redirect_flash(ctx, back,
                          action == "valider"   ? "Inscription validée."
                          : action == "refuser" ? "Inscription refusée."
                                                : "Émargement mis à jour.");
}

// ---- Meetings: a participant's side ----

std::optional<std::int64_t> Site::event_org(Ctx& ctx, std::int64_t event_id) {
    if (auto org = parse_id(ctx.req.query_param("organisation"))) return org;
    if (auto org = parse_id(ctx.req.form_value("organisation"))) return org;
    auto r = s_.events.my_registration(ctx.actor, event_id);
    if (r && r.value() && r.value()->status == "confirmed") return r.value()->org_id;
    return std::nullopt;
}

Response Site::event_meetings(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto org = event_org(ctx, *id);
    if (!org) return error_page(ctx, 403, "Inscrivez-vous à l'événement pour demander des rendez-vous.");
    auto sp = s_.events.meeting_space(ctx.actor, *id, *org);
    if (!sp) return fail(ctx, sp.error());
    const auto& e = sp->details.event;
    const bool buyer = sp->me.role == "buyer";
    const std::string me_q = "?organisation=" + std::to_string(*org);
    json sent = json::array(), received = json::array(), agreed = json::array();
    for (const auto& v : sp->requests) {
        const auto& q = v.request;
        const std::string base = "/mon-espace/rendez-vous/" + std::to_string(q.id) + "/";
        json item = {{"other", buyer ? q.company_name : q.buyer_name},
                     {"message", q.message},
                     {"topic", q.topic_title},
                     {"status", ce::request_status_label(v.effective_status)},
                     {"badge", status_badge(v.effective_status)},
                     {"mutual", q.mutual},
                     {"priority", q.priority},
                     {"by_organiser", q.by_organiser},
                     {"date", core::format_datetime_fr(q.created_at)},
                     {"base", base},
                     {"buyer", buyer},
                     {"can_answer", v.actions.answer},
                     {"can_withdraw", v.actions.withdraw},
                     {"can_cancel", v.actions.cancel},
                     {"can_prioritise", v.actions.prioritise}};
        if (v.effective_status == "accepted")
            agreed.push_back(item);
        else if (v.incoming)
            received.push_back(item);
        else
            sent.push_back(item);
    }
    json request = form_view(ctx, "request");
    const auto& typed = request["values"];
    json counterparts = json::array();
    for (const auto& p : sp->counterparts)
        counterparts.push_back(
            {{"id", p.participant.org_id}, {"name", p.participant.org_name}, {"requestable", p.requestable}});
    mark_selected(counterparts, typed, "to");
    // Topics grouped by buyer (a company may pick one of the buyer it asks; a buyer, one of its own).
    json topic_groups = json::array();
    std::map<std::int64_t, std::string> buyer_names;
    if (buyer)
        buyer_names[*org] = sp->me.org_name;
    else
        for (const auto& p : sp->counterparts) buyer_names[p.participant.org_id] = p.participant.org_name;
    for (const auto& t : sp->topics) {
        if (topic_groups.empty() || topic_groups.back()["org_id"] != t.org_id)
            topic_groups.push_back({{"org_id", t.org_id}, {"name", buyer_names[t.org_id]}, {"items", json::array()}});
        const std::string value = t.kind + ":" + std::to_string(t.id);
        topic_groups.back()["items"].push_back(
            {{"value", value},
             {"label", (t.kind == "notice" ? "Consultation : " : "Projet d'achat : ") + t.title},
             {"selected", typed.value("topic", "") == value}});
    }
    json stored = {{"max_meetings", sp->me.max_meetings ? std::to_string(*sp->me.max_meetings) : ""}};
    for (int n : sp->unavailable) stored["unavailable"] = stored.value("unavailable", "") + " " + std::to_string(n);
    json availability = form_view(ctx, "availability", stored);
    const std::set<std::string> off = typed_values(availability["values"], "unavailable");
    json slots = json::array();
    for (const auto& s : sp->details.slots)
        slots.push_back({{"n", s.number}, {"label", slot_label(s)}, {"off", off.count(std::to_string(s.number)) > 0}});
    return page(ctx, "event_meetings",
                {{"title", "Rendez-vous — " + e.title},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"},
                                        {"Mes événements", "/mon-espace/evenements"},
                                        {e.title, event_path(*id)},
                                        {"Rendez-vous", ""}})},
                 {"event_title", e.title},
                 {"event_url", event_path(*id)},
                 {"org_id", *org},
                 {"org_name", sp->me.org_name},
                 {"buyer", buyer},
                 {"deadline", core::format_datetime_fr(e.requests_deadline)},
                 {"requests_open", sp->requests_open},
                 {"request_action", space_path(*id) + "/rendez-vous"},
                 {"availability_action", space_path(*id) + "/disponibilites"},
                 {"agenda_url", space_path(*id) + "/agenda" + me_q},
                 {"counterparts", counterparts},
                 {"topic_groups", topic_groups},
                 {"has_topics", !topic_groups.empty()},
                 {"no_counterpart", counterparts.empty()},
                 {"sent", sent},
                 {"received", received},
                 {"agreed", agreed},
                 {"has_sent", !sent.empty()},
                 {"has_received", !received.empty()},
                 {"has_agreed", !agreed.empty()},
                 {"accepted_count", sp->accepted},
                 {"slots", slots},
                 {"has_slots", !slots.empty()},
                 {"request_form", request},
                 {"availability_form", availability},
                 {"back", space_path(*id) + "/rendez-vous" + me_q}});
}

Response Site::event_request(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto org = parse_id(ctx.req.form_value("organisation"));
    auto to = parse_id(ctx.req.form_value("to"));
    const std::string back = space_path(*id) + "/rendez-vous" + (org ? "?organisation=" + std::to_string(*org) : "");
    if (!org) return error_page(ctx, 404, "Organisation inconnue.");
    if (!to)
        return refuse_form(ctx, back + "#demander", "request",
                           core::Error::Invalid("La demande n'est pas envoyée.",
                                                {{"to", "Choisissez avec qui vous souhaitez un rendez-vous."}}));
    std::string topic_kind;
    std::optional<std::int64_t> topic_id;
    const auto topic = ctx.req.form_value("topic");  // "notice:12" or "roadmap:3"
    if (auto colon = topic.find(':'); colon != std::string::npos) {
        topic_kind = topic.substr(0, colon);
        topic_id = parse_id(topic.substr(colon + 1));
    }
    auto r = s_.events.request_meeting(ctx.actor, *id, *org, *to, ctx.req.form_value("message"), topic_kind, topic_id);
    if (!r) return refuse_form(ctx, back + "#demander", "request", r.error(), {"to", "topic", "message"});
    return redirect_flash(ctx, back, "Votre demande de rendez-vous est envoyée.");
}

Response Site::event_availability(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto org = parse_id(ctx.req.form_value("organisation"));
    if (!org) return error_page(ctx, 404, "Organisation inconnue.");
    const std::string back = space_path(*id) + "/rendez-vous?organisation=" + std::to_string(*org);
    std::vector<int> off;
    for (const auto& v : ctx.req.form_values("unavailable"))
        if (auto n = parse_slot(v)) off.push_back(*n);
    if (auto s = s_.events.save_availability(ctx.actor, *id, *org, off, ctx.req.form_value("max_meetings")); !s)
        return refuse_form(ctx, back + "#disponibilites", "availability", s.error(), {"max_meetings"});
    return redirect_flash(ctx, back, "Vos disponibilités sont enregistrées.");
}

Response Site::meeting_action(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette demande n'existe pas.");
    const auto action = ctx.req.path_param("action");
    const std::string back =
        return_path(ctx.req.form_value("retour"), {"/mon-espace/evenements/"}, "/mon-espace/evenements");
    core::Status st;
    std::string done;
    if (action == "deplacer") {
        auto slot = parse_slot(ctx.req.form_value("slot"));
        if (!slot) return redirect_flash(ctx, back, "Choisissez un créneau.", "warning");
        st = s_.events.move_meeting(ctx.actor, *id, *slot);
        done = "Le rendez-vous est déplacé.";
    } else if (action == "avis") {
        auto org = parse_id(ctx.req.form_value("organisation"));
        if (!org) return error_page(ctx, 404, "Organisation inconnue.");
        st = s_.events.give_feedback(ctx.actor, *id, *org, ctx.req.form_value("held") != "0",
                                     ctx.req.form_value("usefulness"), ctx.req.form_value("follow_up") == "1",
                                     ctx.req.form_value("comment"));
        done = "Merci pour votre avis.";
    } else if (action == "epingler" || action == "liberer") {
        st = s_.events.pin_meeting(ctx.actor, *id, action == "epingler");
        done = action == "epingler" ? "Le rendez-vous est épinglé : il ne bougera plus." : "Le rendez-vous est libéré.";
    } else {
        st = s_.events.act_on_request(ctx.actor, *id, action);
        done = action == "accepter"      ? "Rendez-vous accepté."
               : action == "decliner"    ? "Demande déclinée."
               : action == "retirer"     ? "Demande retirée."
               : action == "annuler"     ? "Rendez-vous annulé ; votre interlocuteur est prévenu."
               : action == "prioritaire" ? "Rendez-vous marqué prioritaire."
                                         : "Priorité retirée.";
    }
    if (!st) return flash_or_fail(ctx, st.error(), back, "");
    return redirect_flash(ctx, back, done);
}

// ---- Organisers: requests, schedule, tables ----

Response Site::event_requests(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto m = s_.events.matrix(ctx.actor, *id);
    if (!m) return fail(ctx, m.error());
    const auto& e = m->details.event;
    // The matrix: a row per company, a column per buyer, the request's state in the cell.
    std::map<std::pair<std::int64_t, std::int64_t>, const app::RequestView*> cell;
    std::map<std::int64_t, int> per_buyer_in, per_buyer_ok;
    for (const auto& v : m->requests) {
        cell[{v.request.company_org_id, v.request.buyer_org_id}] = &v;
        ++per_buyer_in[v.request.buyer_org_id];
        if (v.effective_status == "accepted") ++per_buyer_ok[v.request.buyer_org_id];
    }
    json buyers = json::array();
    for (const auto& b : m->buyers)
        buyers.push_back({{"id", b.org_id},
                          {"name", b.org_name},
                          {"requests", per_buyer_in[b.org_id]},
                          {"accepted", per_buyer_ok[b.org_id]},
                          {"cap", b.max_meetings ? std::to_string(*b.max_meetings) : "—"}});
    json rows = json::array();
    for (const auto& c : m->companies) {
        json cells = json::array();
        for (const auto& b : m->buyers) {
            auto it = cell.find({c.org_id, b.org_id});
            if (it == cell.end()) {
                cells.push_back({{"text", ""}, {"label", "aucune demande"}});
                continue;
            }
            const auto& s = it->second->effective_status;
            const std::string mark = s == "accepted"  ? (it->second->request.mutual ? "✔✔" : "✔")
                                     : s == "pending" ? "…"
                                                      : "✘";
            cells.push_back({{"text", mark}, {"label", ce::request_status_label(s)}, {"badge", status_badge(s)}});
        }
        rows.push_back({{"name", c.org_name}, {"cells", cells}});
    }
    json companies = json::array();
    for (const auto& c : m->companies) companies.push_back({{"id", c.org_id}, {"name", c.org_name}});
    json without = json::array();
    for (const auto& n : m->companies_without_accepted) without.push_back(n);
    // The organiser's « Ajouter » as chosen when it came back refused.
    json add_form = form_view(ctx, "add");
    mark_selected(companies, add_form["values"], "company");
    mark_selected(buyers, add_form["values"], "buyer");
    return page(ctx, "event_requests",
                {{"title", "Demandes de rendez-vous — " + e.title},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"},
                                        {"Mes événements", "/mon-espace/evenements"},
                                        {e.title, space_path(*id) + "/modifier"},
                                        {"Demandes", ""}})},
                 {"event_title", e.title},
                 {"deadline", core::format_datetime_fr(e.requests_deadline)},
                 {"total", m->requests.size()},
                 {"pending", m->pending},
                 {"accepted", m->accepted},
                 {"declined", m->declined},
                 {"expired", m->expired},
                 {"rate", m->accepted + m->declined + m->expired
                              ? std::to_string(static_cast<int>(std::lround(m->acceptance_rate * 100))) + " %"
                              : "—"},
                 {"buyers", buyers},
                 {"rows", rows},
                 {"has_rows", !rows.empty() && !buyers.empty()},
                 {"without", without},
                 {"has_without", !without.empty()},
                 {"companies", companies},
                 {"add_form", add_form},
                 {"add_action", space_path(*id) + "/demandes"},
                 {"schedule_url", space_path(*id) + "/planning"}});
}

Response Site::event_add_meeting(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    const std::string back = space_path(*id) + "/demandes";
    auto company = parse_id(ctx.req.form_value("company"));
    auto buyer = parse_id(ctx.req.form_value("buyer"));
    if (!company || !buyer) {
        core::FieldErrors missing;
        if (!company) missing["company"] = "Choisissez une entreprise.";
        if (!buyer) missing["buyer"] = "Choisissez un acheteur.";
        return refuse_form(ctx, back + "#ajouter", "add",
                           core::Error::Invalid("Le rendez-vous n'est pas ajouté.", std::move(missing)));
    }
    auto r = s_.events.add_meeting(ctx.actor, *id, *company, *buyer);
    if (!r) return refuse_form(ctx, back + "#ajouter", "add", r.error(), {"company", "buyer"});
    return redirect_flash(ctx, back, "Le rendez-vous est ajouté aux rendez-vous acceptés.");
}

Response Site::event_schedule(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto v = s_.events.schedule(ctx.actor, *id);
    if (!v) return fail(ctx, v.error());
    const auto& e = v->details.event;
    const auto& slots = v->details.slots;
    const std::string back = space_path(*id) + "/planning";
    json by_slot = json::array();
    for (const auto& s : slots) by_slot.push_back({{"label", slot_label(s)}, {"meetings", json::array()}});
    for (const auto& m : v->meetings) {
        if (m.slot < 0 || m.slot >= static_cast<int>(slots.size())) continue;
        const std::string base = "/mon-espace/rendez-vous/" + std::to_string(m.request_id) + "/";
        json options = json::array();
        for (const auto& s : slots)
            options.push_back({{"n", s.number}, {"label", slot_label(s)}, {"selected", s.number == m.slot}});
        by_slot[static_cast<std::size_t>(m.slot)]["meetings"].push_back(
            {{"id", m.request_id},
             {"company", m.company_name},
             {"buyer", m.buyer_name},
             {"table", m.table_number},
             {"topic", m.topic_title},
             {"weight", ce::meeting_weight(m.mutual, m.priority)},
             {"pinned", m.pinned},
             {"moved", m.announced_slot && *m.announced_slot != m.slot},
             {"was", m.announced_slot ? slot_label_at(slots, *m.announced_slot) : ""},
             {"new", !m.announced_slot && e.schedule_published_at.has_value()},
             {"move_action", base + "deplacer"},
             {"pin_action", base + (m.pinned ? "liberer" : "epingler")},
             {"slots", options},
             {"back", back}});
    }
    json view = {{"title", "Planning des rendez-vous — " + e.title},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"},
                                        {"Mes événements", "/mon-espace/evenements"},
                                        {e.title, space_path(*id) + "/modifier"},
                                        {"Planning", ""}})},
                 {"event_title", e.title},
                 {"slots", by_slot},
                 {"has_meetings", !v->meetings.empty()},
                 {"accepted", v->accepted_requests},
                 {"placed", v->meetings.size()},
                 {"moved", v->moved_since_announced},
                 {"without", v->companies_without_meeting},
                 {"run_action", back + "/calculer"},
                 {"publish_action", back + "/publier"},
                 {"tables_url", space_path(*id) + "/tables"},
                 {"requests_url", space_path(*id) + "/demandes"},
                 {"published", e.schedule_published_at.has_value()}};
    if (e.schedule_run_at) {
        const auto obj = e.schedule_objective.value_or(0), bound = e.schedule_bound.value_or(0);
        view["run"] = {{"objective", obj},
                       {"bound", bound},
                       {"optimal", obj >= bound},
                       {"ratio", percent_fr(obj, bound)},
                       {"method", method_label(e.schedule_method)},
                       {"when", core::format_datetime_fr(*e.schedule_run_at)}};
    }
    if (e.schedule_published_at) view["published_at"] = core::format_datetime_fr(*e.schedule_published_at);
    return page(ctx, "event_schedule", view);
}

Response Site::event_schedule_action(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    const std::string back = space_path(*id) + "/planning";
    const auto action = ctx.req.path_param("action");
    if (action == "calculer") {
        auto v = s_.events.run_schedule(ctx.actor, *id);
        if (!v) return flash_or_fail(ctx, v.error(), back, "");
        const auto& e = v->details.event;
        return redirect_flash(ctx, back,
                              std::to_string(v->meetings.size()) + " rendez-vous placés sur " +
                                  std::to_string(v->accepted_requests) + " acceptés ; poids " +
                                  core::format_integer_fr(e.schedule_objective.value_or(0)) + ", au plus " +
                                  core::format_integer_fr(e.schedule_bound.value_or(0)) + " possible.");
    }
    if (action == "publier") {
        if (auto s = s_.events.publish_schedule(ctx.actor, *id); !s) return flash_or_fail(ctx, s.error(), back, "");
        audit(ctx, "event.schedule_publish", "event:" + std::to_string(*id), "");
        return redirect_flash(ctx, back, "Le planning est publié : chaque participant reçoit son agenda par e-mail.");
    }
    return error_page(ctx, 404, "Action inconnue.");
}

Response Site::event_tables(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto v = s_.events.schedule(ctx.actor, *id);
    if (!v) return fail(ctx, v.error());
    const auto& slots = v->details.slots;
    std::map<int, std::vector<const ev::MeetingRecord*>> by_table;
    for (const auto& m : v->meetings) by_table[m.table_number].push_back(&m);
    json tables = json::array();
    for (const auto& [t, list] : by_table) {
        std::string buyer;
        json rows = json::array();
        for (const auto* m : list) {
            if (buyer.empty() || buyer == m->buyer_name)
                buyer = m->buyer_name;
            else
                buyer = "plusieurs acheteurs";
            rows.push_back({{"slot", slot_label_at(slots, m->slot)},
                            {"company", m->company_name},
                            {"buyer", m->buyer_name},
                            {"topic", m->topic_title}});
        }
        tables.push_back({{"number", t}, {"buyer", buyer}, {"rows", rows}});
    }
    return page(ctx, "event_tables",
                {{"title", "Feuilles de table — " + v->details.event.title},
                 {"event_title", v->details.event.title},
                 {"date", core::format_date_fr(v->details.event.starts_at)},
                 {"tables", tables},
                 {"empty", tables.empty()}});
}

// ---- Results ----

Response Site::event_results(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto r = s_.events.results(ctx.actor, *id);
    if (!r) return fail(ctx, r.error());
    const auto& e = r->details.event;
    const auto& f = r->feedback;
    auto row = [](const std::string& label, std::int64_t v) { return json{{"label", label}, {"value", v}}; };
    json registrations = json::array(
        {row("Acheteurs confirmés", r->confirmed_buyers), row("Entreprises confirmées", r->confirmed_companies),
         row("Sur liste d'attente", r->waitlisted), row("Annulations", r->cancelled), row("Refusées", r->refused),
         row("Présents (émargement)", r->present), row("Absents signalés", r->no_shows)});
    json pitches = json::array({row("Candidatures", r->pitch_applications), row("Pitchs retenus", r->pitch_selected)});
    json funnel = json::array({row("Demandes de rendez-vous", r->requests), row("Acceptées", r->accepted),
                               row("Planifiés", r->scheduled), row("Les deux participants présents", r->both_present),
                               row("Ont eu lieu (selon les avis)", f.held)});
    json other = json::array(
        {row("Déclinées", r->declined), row("Expirées", r->expired), row("Demandées des deux côtés", r->mutual),
         row("N'ont pas eu lieu (selon les avis)", f.not_held), row("Suites prévues", f.follow_ups)});
    json ratings = json::array();
    for (int i = 0; i < 5; ++i)
        ratings.push_back(row(std::to_string(i + 1) + " sur 5", f.usefulness[static_cast<std::size_t>(i)]));
    return page(ctx, "event_results",
                {{"title", "Bilan — " + e.title},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"},
                                        {"Mes événements", "/mon-espace/evenements"},
                                        {e.title, space_path(*id) + "/modifier"},
                                        {"Bilan", ""}})},
                 {"event_title", e.title},
                 {"date", core::format_date_fr(e.starts_at)},
                 {"registrations", registrations},
                 {"pitches", pitches},
                 {"funnel", funnel},
                 {"other", other},
                 {"ratings", ratings},
                 {"ratings_count", f.ratings},
                 {"mean", f.ratings ? core::format_decimal_fr(f.usefulness_mean, 1) + " sur 5" : "—"},
                 {"json_url", space_path(*id) + "/bilan.json"},
                 {"csv_url", space_path(*id) + "/bilan.csv"},
                 {"xlsx_url", space_path(*id) + "/bilan.xlsx"},
                 {"charts", true}});
}

// The figures behind the charts (organisers only).
Response Site::event_results_json(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return problem(ctx, core::Error::NotFound("Cet événement n'existe pas."));
    auto r = s_.events.results(ctx.actor, *id);
    if (!r) return problem(ctx, r.error());
    const auto& f = r->feedback;
    json out = {{"event", r->details.event.title},
                {"funnel",
                 {{"labels", {"Demandes", "Acceptées", "Planifiés", "Présents des deux côtés", "Ont eu lieu"}},
                  {"values", {r->requests, r->accepted, r->scheduled, r->both_present, f.held}}}},
                {"usefulness",
                 {{"labels", {"1", "2", "3", "4", "5"}},
                  {"values", f.usefulness},
                  {"mean", f.usefulness_mean},
                  {"ratings", f.ratings}}},
                {"registrations",
                 {{"buyers", r->confirmed_buyers},
                  {"companies", r->confirmed_companies},
                  {"waitlisted", r->waitlisted},
                  {"present", r->present}}},
                {"pitches", {{"applications", r->pitch_applications}, {"selected", r->pitch_selected}}}};
    return Response::json(out.dump());
}

Response Site::event_results_export(Ctx& ctx, bool xlsx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto r = s_.events.results(ctx.actor, *id);
    if (!r) return fail(ctx, r.error());
    return table_download(ctx, r->table, "bilan-evenement-" + std::to_string(*id), "Rendez-vous", xlsx);
}

Response Site::table_download(Ctx& ctx, const std::vector<std::vector<std::string>>& table, const std::string& name,
                              const std::string& sheet, bool xlsx) {
    if (xlsx) {
        std::vector<std::vector<std::string>> rows(table.begin() + 1, table.end());
        auto bytes = app::xlsx_table(sheet, table.front(), rows);
        if (!bytes) return fail(ctx, bytes.error());
        return download_response(std::move(bytes.value()),
                                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx");
    }
    std::string out = app::kCsvBom;
    for (const auto& row : table) {
        for (std::size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + app::csv_field(row[i]);
        out += "\r\n";
    }
    return download_response(std::move(out), "text/csv; charset=utf-8", name + ".csv");
}

// ---- Agenda, calendar, QR, check-in ----

Response Site::event_agenda(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto org = event_org(ctx, *id);
    if (!org) return error_page(ctx, 403, "Vous n'avez pas d'inscription confirmée à cet événement.");
    auto a = s_.events.agenda(ctx.actor, *id, *org);
    if (!a) return fail(ctx, a.error());
    const auto& e = a->details.event;
    json meetings = json::array();
    const std::string back = space_path(*id) + "/agenda?organisation=" + std::to_string(*org);
    for (const auto& m : a->meetings) {
        json item = {{"id", m.request_id},
                     {"slot", slot_label_at(a->details.slots, m.slot)},
                     {"table", m.table_number},
                     {"other", *org == m.company_org_id ? m.buyer_name : m.company_name},
                     {"topic", m.topic_title}};
        if (a->feedback_open) {
            const auto it = a->feedback.find(m.request_id);
            const auto* f = it == a->feedback.end() ? nullptr : &it->second;
            json ratings = json::array();
            for (int r = 1; r <= 5; ++r) ratings.push_back({{"value", r}, {"selected", f && f->usefulness == r}});
            item["feedback"] = {{"action", "/mon-espace/rendez-vous/" + std::to_string(m.request_id) + "/avis"},
                                {"org", *org},
                                {"back", back},
                                {"given", f != nullptr},
                                {"held_no", f && !f->held},
                                {"ratings", ratings},
                                {"follow_up", f && f->follow_up},
                                {"comment", f ? f->comment : ""}};
        }
        meetings.push_back(item);
    }
    json view = {{"title", "Agenda — " + e.title},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"},
                                        {"Mes événements", "/mon-espace/evenements"},
                                        {e.title, event_path(*id)},
                                        {"Agenda", ""}})},
                 {"event_title", e.title},
                 {"org_name", a->org_name},
                 {"date", core::format_date_fr(e.starts_at)},
                 {"place", e.place},
                 {"address", e.address},
                 {"programme", programme_view(a->details)},
                 {"meetings", meetings},
                 {"has_meetings", !meetings.empty()},
                 {"published", a->published},
                 {"ics_url", space_path(*id) + "/agenda.ics?organisation=" + std::to_string(*org)},
                 {"meetings_url", space_path(*id) + "/rendez-vous?organisation=" + std::to_string(*org)},
                 {"feedback_open", a->feedback_open}};
    if (a->registration) {
        view["code"] = a->registration->checkin_code;
        view["qr_url"] = space_path(*id) + "/qr.svg";
        view["person"] = a->registration->user_name;
    }
    return page(ctx, "event_agenda", view);
}

Response Site::event_agenda_ics(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto org = event_org(ctx, *id);
    if (!org) return error_page(ctx, 403, "Vous n'avez pas d'inscription confirmée à cet événement.");
    auto ics = s_.events.agenda_ics(ctx.actor, *id, *org);
    if (!ics) return fail(ctx, ics.error());
    return download_response(std::move(ics.value()), "text/calendar; charset=utf-8",
                             "agenda-evenement-" + std::to_string(*id) + ".ics");
}

Response Site::event_qr(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto svg = s_.events.checkin_qr(ctx.actor, *id);
    if (!svg) return fail(ctx, svg.error());
    Response r;
    r.body = std::move(svg.value());
    r.set_header("Content-Type", "image/svg+xml");
    r.set_header("Cache-Control", "private, no-store");
    return r;
}

Response Site::event_checkin(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto d = s_.events.details(ctx.actor, *id);
    if (!d) return fail(ctx, d.error());
    auto regs = s_.events.registrants(ctx.actor, *id);
    if (!regs) return fail(ctx, regs.error());
    auto live = s_.events.live(ctx.actor, *id);
    if (!live) return fail(ctx, live.error());
    const std::string back = space_path(*id) + "/emargement";
    json people = json::array();
    int present = 0, confirmed = 0;
    for (const auto& r : regs.value()) {
        if (r.status != "confirmed") continue;
        ++confirmed;
        if (r.checked_in_at) ++present;
        const std::string base = "/mon-espace/inscriptions/" + std::to_string(r.id) + "/";
        people.push_back({{"name", r.user_name},
                          {"org", r.org_name},
                          {"role", ce::role_label(r.role)},
                          {"present", r.checked_in_at.has_value()},
                          {"absent", r.no_show},
                          {"time", r.checked_in_at ? core::format_time_fr(*r.checked_in_at) : ""},
                          {"present_action", base + "present"},
                          {"absent_action", base + "absent"},
                          {"reset_action", base + "effacer"},
                          {"back", back}});
    }
    json slots = json::array();
    for (const auto& s : live.value()) {
        json items = json::array();
        for (const auto& it : s.items)
            items.push_back({{"company", it.meeting.company_name},
                             {"buyer", it.meeting.buyer_name},
                             {"table", it.meeting.table_number},
                             {"ready", it.company_present && it.buyer_present},
                             {"waiting_for", !it.company_present && !it.buyer_present ? "les deux participants"
                                             : !it.company_present                    ? it.meeting.company_name
                                                                                      : it.meeting.buyer_name}});
        if (!items.empty()) slots.push_back({{"label", slot_label(s.slot)}, {"items", items}});
    }
    json view = {{"title", "Émargement — " + d->event.title},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"},
                                        {"Mes événements", "/mon-espace/evenements"},
                                        {d->event.title, space_path(*id) + "/modifier"},
                                        {"Émargement", ""}})},
                 {"event_title", d->event.title},
                 {"action", back},
                 {"checkin_form", form_view(ctx, "checkin", {{"code", ctx.req.query_param("code")}})},
                 {"people", people},
                 {"present", present},
                 {"confirmed", confirmed},
                 {"slots", slots},
                 {"has_slots", !slots.empty()}};
    return page(ctx, "event_checkin", view);
}

Response Site::event_checkin_post(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    const std::string back = space_path(*id) + "/emargement";
    auto r = s_.events.check_in(ctx.actor, *id, ctx.req.form_value("code"));
    if (!r) return refuse_form(ctx, back, "checkin", r.error(), {"code"});
    return redirect_flash(
        ctx, back,
        r->user_name + " (" + r->org_name + ") est émargé(e) à " + core::format_time_fr(*r->checked_in_at) + ".");
}

}  // namespace passerelle::web
