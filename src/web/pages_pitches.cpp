// The call for pitches on the site: the company's application (/evenements/{id}/pitch), the jury's page
// (/mon-espace/evenements/{id}/jury) and the organiser's board (/mon-espace/evenements/{id}/pitchs: the
// call, its grid, the jury, the ranking and the decisions).

#include <set>

#include "core/french.hpp"
#include "core/notice.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;
namespace cp = core::pitches;

namespace {

std::string event_path(std::int64_t id) { return "/evenements/" + std::to_string(id); }
std::string board_path(std::int64_t id) { return "/mon-espace/evenements/" + std::to_string(id) + "/pitchs"; }
constexpr int kCriteriaRows = 5;

std::string score_fr(double score) { return core::format_decimal_fr(score, 1) + " / 20"; }

std::string decision_label(const std::string& status) {
    if (status == "selected") return "Retenue";
    if (status == "declined") return "Non retenue";
    if (status == "withdrawn") return "Retirée";
    return "En cours d'examen";
}

}  // namespace

// The event page's section: the call, and the viewer's application or the way to apply.
void Site::add_pitch_section(Ctx& ctx, json& view, std::int64_t event_id) {
    auto call = s_.pitches.call(event_id);
    if (!call || !call->call) return;
    const auto& k = *call->call;
    json p = {{"places", k.places},
              {"closes", core::format_datetime_fr(k.closes_at)},
              {"open", call->open},
              {"released", k.released_at.has_value()},
              {"apply_url", event_path(event_id) + "/pitch"},
              {"jury_url", "/mon-espace/evenements/" + std::to_string(event_id) + "/jury"},
              {"juror", s_.pitches.is_juror(ctx.actor, event_id)}};
    if (auto mine = s_.pitches.mine(ctx.actor, event_id); mine && !mine->empty()) {
        const auto& a = mine->front();
        const bool decided = k.released_at.has_value() && a.status != "submitted";
        p["application"] = {{"org", a.org_name},
                            {"status", decided ? decision_label(a.status) : decision_label("submitted")},
                            {"selected", decided && a.status == "selected"},
                            {"reason", decided && a.status == "declined" ? a.reason : ""}};
        p["open"] = false;
    }
    view["pitch"] = p;
}

// The companies the viewer acts for, as <option>s (one query, names included).
json Site::company_choices(Ctx& ctx) {
    json out = json::array();
    if (auto ms = s_.orgs.memberships_of(ctx.user->id))
        for (const auto& m : ms.value())
            if (m.org_kind == "company" && m.status == "active")
                out.push_back({{"id", m.org_id}, {"name", m.org_name}});
    return out;
}

Response Site::pitch_form(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto d = s_.events.details(ctx.actor, *id);
    if (!d) return fail(ctx, d.error());
    auto call = s_.pitches.call(*id);
    if (!call) return fail(ctx, call.error());
    if (!call->call) return error_page(ctx, 404, "Cet événement n'a pas d'appel à pitchs.");
    const json companies = company_choices(ctx);
    return page(
        ctx, "pitch_form",
        {{"title", "Candidater pour pitcher — " + d->event.title},
         {"breadcrumb", crumbs({{"Événements", "/evenements"}, {d->event.title, event_path(*id)}, {"Pitch", ""}})},
         {"event_title", d->event.title},
         {"event_url", event_path(*id)},
         {"closes", core::format_datetime_fr(call->call->closes_at)},
         {"open", call->open},
         {"companies", companies},
         {"no_company", companies.empty()},
         {"action", event_path(*id) + "/pitch"},
         {"form", json::object()}});
}

Response Site::pitch_apply(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto form = posted_form(ctx.req);
    if (!form) return error_page(ctx, 403, kFormInvalid);
    auto org = parse_id(form->fields["organisation"]);
    cp::ApplicationInput in{form->fields["summary"], form->fields["innovation"], form->fields["references"]};
    std::optional<app::Upload> file;
    if (!form->files.empty()) file = app::Upload{form->files.front().filename, form->files.front().data};
    auto r = org ? s_.pitches.apply(ctx.actor, *id, *org, in, file)
                 : core::Result<std::int64_t>(core::Error::Invalid("Votre candidature contient des erreurs.",
                                                                   {{"organisation", "Choisissez votre entreprise."}}));
    if (!r) {
        if (r.error().code == core::ErrorCode::kConflict) return flash_or_fail(ctx, r.error(), event_path(*id), "");
        auto d = s_.events.details(ctx.actor, *id);
        json companies = company_choices(ctx);
        for (auto& c : companies) c["selected"] = org && c["id"].get<std::int64_t>() == *org;
        return form_error(
            ctx, "pitch_form",
            {{"title", "Candidater pour pitcher"},
             {"event_title", d ? d->event.title : ""},
             {"event_url", event_path(*id)},
             {"open", true},
             {"companies", companies},
             {"action", event_path(*id) + "/pitch"},
             {"form", {{"summary", in.summary}, {"innovation", in.innovation}, {"references", in.references}}}},
            r.error());
    }
    return redirect_flash(ctx, event_path(*id),
                          "Votre candidature est envoyée. Le jury l'examinera ; la décision vous sera communiquée par "
                          "e-mail.");
}

Response Site::pitch_board(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto b = s_.pitches.board(ctx.actor, *id);
    if (!b) return fail(ctx, b.error());
    auto d = s_.events.details(ctx.actor, *id);
    if (!d) return fail(ctx, d.error());
    const auto& k = b->call.call;
    // The call's form: what is stored (or a proposal for a new call), unless it came back refused as typed.
    json stored = {{"places", k ? std::to_string(k->places) : "8"},
                   {"closes", k ? core::format_paris_datetime_local(k->closes_at)
                                : core::format_paris_datetime_local(d->event.starts_at - 14 * 86400)},
                   {"blind", k && k->blind ? "1" : ""}};
    for (std::size_t i = 0; i < b->call.criteria.size(); ++i) {
        const std::string prefix = "criteria." + std::to_string(i + 1) + ".";
        stored[prefix + "label"] = b->call.criteria[i].label;
        stored[prefix + "weight"] = std::to_string(b->call.criteria[i].weight);
    }
    json form = form_view(ctx, "call", stored);
    json criteria = json::array();
    for (int i = 1; i <= kCriteriaRows; ++i) {
        const std::string prefix = "criteria." + std::to_string(i) + ".";
        criteria.push_back({{"n", i},
                            {"first", i == 1},  // at least one criterion is required
                            {"prefix", prefix},
                            {"label", form["values"].value(prefix + "label", "")},
                            {"weight", form["values"].value(prefix + "weight", "")},
                            {"label_error", form["errors"].value(prefix + "label", "")},
                            {"weight_error", form["errors"].value(prefix + "weight", "")}});
    }
    form["criteria"] = criteria;
    json jurors = json::array();
    for (const auto& j : b->jurors)
        jurors.push_back({{"name", j.name},
                          {"email", j.email},
                          {"remove_action", board_path(*id) + "/jury/" + std::to_string(j.user_id) + "/retirer"}});
    // The decisions: ticks and reasons as stored (the ranking's proposal), unless they came back refused.
    json decisions = form_view(ctx, "decisions");
    const bool refused = decisions["has_errors"].get<bool>();
    const std::set<std::string> ticked = typed_values(decisions["values"], "selected");
    json ranking = json::array();
    int position = 0;
    for (const auto& line : b->ranking) {
        const auto& a = line.application;
        ++position;
        const std::string reason_key = "reason." + std::to_string(a.id);
        ranking.push_back(
            {{"id", a.id},
             {"position", position},
             {"org", a.org_name},
             {"summary", a.summary},
             {"innovation", a.innovation},
             {"references", a.references},
             {"file_url", a.file_name.empty() ? "" : "/mon-espace/pitchs/" + std::to_string(a.id) + "/fichier"},
             {"file_name", a.file_name},
             {"score", line.rank.reviews ? score_fr(line.rank.score) : "non notée"},
             {"reviews", line.rank.reviews},
             {"abstentions", line.rank.abstentions},
             {"preselected", refused ? ticked.count(std::to_string(a.id)) > 0 : k && position <= k->places},
             {"typed_reason", decisions["values"].value(reason_key, "")},
             {"reason_error", decisions["errors"].value(reason_key, "")},
             {"decision", decision_label(a.status)},
             {"reason", a.reason}});
    }
    json view = {{"title", "Appel à pitchs — " + d->event.title},
                 {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"},
                                        {"Mes événements", "/mon-espace/evenements"},
                                        {d->event.title, "/mon-espace/evenements/" + std::to_string(*id) + "/modifier"},
                                        {"Appel à pitchs", ""}})},
                 {"event_title", d->event.title},
                 {"action", board_path(*id)},
                 {"juror_action", board_path(*id) + "/jury"},
                 {"release_action", board_path(*id) + "/decisions"},
                 {"has_call", k.has_value()},
                 {"released", k && k->released_at},
                 {"grid_locked", b->call.grid_locked},
                 {"form", form},
                 {"decisions", decisions},
                 {"juror_form", form_view(ctx, "juror")},
                 {"jurors", jurors},
                 {"has_jurors", !jurors.empty()},
                 {"ranking", ranking},
                 {"has_ranking", !ranking.empty()}};
    if (k && k->released_at) view["released_at"] = core::format_datetime_fr(*k->released_at);
    return page(ctx, "pitch_board", view);
}

Response Site::pitch_board_post(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    cp::CallInput in{ctx.req.form_value("places"), ctx.req.form_value("closes"), ctx.req.form_value("blind") == "1"};
    std::vector<cp::CriterionInput> grid;
    for (int i = 1; i <= kCriteriaRows; ++i) {
        const std::string k = "criteria." + std::to_string(i) + ".";
        grid.push_back({ctx.req.form_value(k + "label"), ctx.req.form_value(k + "weight")});
    }
    if (auto s = s_.pitches.save_call(ctx.actor, *id, in, grid); !s) {
        if (s.error().code != core::ErrorCode::kInvalidInput) return flash_or_fail(ctx, s.error(), board_path(*id), "");
        return refuse_form(ctx, board_path(*id) + "#appel", "call", s.error());
    }
    return redirect_flash(ctx, board_path(*id), "L'appel à pitchs est enregistré.");
}

Response Site::pitch_juror(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    if (auto s = s_.pitches.add_juror(ctx.actor, *id, ctx.req.form_value("email")); !s)
        return refuse_form(ctx, board_path(*id) + "#jury", "juror", s.error(), {"email"});
    return redirect_flash(ctx, board_path(*id), "Le juré est ajouté et prévenu par e-mail.");
}

Response Site::pitch_juror_remove(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    auto user = parse_id(ctx.req.path_param("user"));
    if (!id || !user) return error_page(ctx, 404, "Ce juré n'existe pas.");
    if (auto s = s_.pitches.remove_juror(ctx.actor, *id, *user); !s) return fail(ctx, s.error());
    return redirect_flash(ctx, board_path(*id), "Le juré est retiré du jury.");
}

Response Site::pitch_release(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    std::vector<std::int64_t> selected;
    for (const auto& v : ctx.req.form_values("selected"))
        if (auto n = parse_id(v)) selected.push_back(*n);
    std::map<std::int64_t, std::string> reasons;
    for (const auto& [k, v] : ctx.req.form())
        if (k.rfind("reason.", 0) == 0)
            if (auto n = parse_id(k.substr(7))) reasons[*n] = v;
    if (auto s = s_.pitches.release(ctx.actor, *id, selected, reasons); !s) {
        if (s.error().code != core::ErrorCode::kInvalidInput) return flash_or_fail(ctx, s.error(), board_path(*id), "");
        return refuse_form(ctx, board_path(*id) + "#classement", "decisions", s.error());
    }
    audit(ctx, "event.pitch_release", "event:" + std::to_string(*id), std::to_string(selected.size()) + " retenue(s)");
    return redirect_flash(ctx, board_path(*id),
                          "Les décisions sont publiées ; chaque entreprise est prévenue par e-mail.");
}

Response Site::pitch_jury(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cet événement n'existe pas.");
    auto v = s_.pitches.jury(ctx.actor, *id);
    if (!v) return fail(ctx, v.error());
    auto d = s_.events.details(ctx.actor, *id);
    if (!d) return fail(ctx, d.error());
    const bool closed = v->call.call && v->call.call->released_at;
    json items = json::array();
    for (const auto& it : v->items) {
        const auto& a = it.application;
        // The notes as given, or as chosen when they came back refused.
        const std::string form_id = "note-" + std::to_string(a.id);
        json stored = json::object();
        if (it.mine)
            for (const auto& [criterion, score] : it.mine->scores)
                stored["score." + std::to_string(criterion)] = std::to_string(score);
        json note = form_view(ctx, form_id, stored);
        json criteria = json::array();
        for (const auto& c : v->call.criteria) {
            const std::string field = "score." + std::to_string(c.id);
            const std::string mine = note["values"].value(field, "");
            json options = json::array();
            for (int s = 0; s <= cp::kMaxScore; ++s)
                options.push_back({{"value", s}, {"selected", std::to_string(s) == mine}});
            criteria.push_back({{"id", c.id},
                                {"field", field},
                                {"input_id", form_id + "-" + field},
                                {"error", note["errors"].value(field, "")},
                                {"label", c.label},
                                {"weight", c.weight},
                                {"options", options}});
        }
        items.push_back(
            {{"id", a.id},
             {"label", it.label},
             {"summary", a.summary},
             {"innovation", a.innovation},
             {"references", a.references},
             {"file_url", a.file_name.empty() ? "" : "/mon-espace/pitchs/" + std::to_string(a.id) + "/fichier"},
             {"criteria", criteria},
             {"note", note},
             {"scored", it.mine && !it.mine->abstained},
             {"abstained", it.mine && it.mine->abstained},
             {"action", "/mon-espace/pitchs/" + std::to_string(a.id) + "/note"},
             {"closed", closed}});
    }
    return page(
        ctx, "pitch_jury",
        {{"title", "Jury de l'appel à pitchs — " + d->event.title},
         {"breadcrumb", crumbs({{"Mon espace", "/mon-espace"}, {d->event.title, event_path(*id)}, {"Jury", ""}})},
         {"event_title", d->event.title},
         {"blind", v->call.call && v->call.call->blind},
         {"closed", closed},
         {"items", items},
         {"empty", items.empty()},
         {"back", "/mon-espace/evenements/" + std::to_string(*id) + "/jury"}});
}

Response Site::pitch_review(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette candidature n'existe pas.");
    std::map<std::int64_t, std::string> scores;
    for (const auto& [k, v] : ctx.req.form())
        if (k.rfind("score.", 0) == 0)
            if (auto n = parse_id(k.substr(6))) scores[*n] = v;
    const auto back = return_path(ctx.req.form_value("retour"), {"/mon-espace/evenements/"}, "/mon-espace");
    if (auto s = s_.pitches.review(ctx.actor, *id, ctx.req.form_value("abstain") == "1", scores); !s)
        return refuse_form(ctx, back + "#candidature-" + std::to_string(*id), "note-" + std::to_string(*id), s.error());
    return redirect_flash(
        ctx, back + "#candidature-" + std::to_string(*id),
        ctx.req.form_value("abstain") == "1" ? "Votre abstention est enregistrée." : "Vos notes sont enregistrées.");
}

Response Site::pitch_file(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Ce fichier n'existe pas.");
    auto f = s_.pitches.file(ctx.actor, *id);
    if (!f) return fail(ctx, f.error());
    return download_response(std::move(f->bytes), f->content_type, f->filename);
}

}  // namespace passerelle::web
