// API tokens: the organisation's page where administrators create (shown once), list and revoke them; the
// bearer authentication of /api/v1 requests with its per-token rate limit; and the API's writing endpoints
// that tokens open: publishing a notice, an event's registrations and their decisions.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/french.hpp"
#include "core/notice.hpp"
#include "web/helpers.hpp"
#include "web/site.hpp"

namespace passerelle::web {

using http::Response;
using nlohmann::json;
namespace tk = core::api_tokens;

namespace {

constexpr const char* kBearerHelp =
    "Envoyez « Authorization: Bearer psl_… » avec un jeton créé par un "
    "administrateur de votre organisation (Mon espace › organisation › Jetons d'API).";

Response unauthorised(const std::string& detail) {
    Response r = Response::problem(401, "Authentification requise", detail);
    r.set_header("WWW-Authenticate", "Bearer realm=\"passerelle\", error=\"invalid_token\"");
    return r;
}

// A text member of the request body (numbers written as text); a member of another type is recorded in
// `wrong` to be answered 422 with the others.
std::string string_field(const json& j, const std::string& key, core::FieldErrors& wrong,
                         const std::string& prefix = "") {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return "";
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
    wrong[prefix + key] = "« " + prefix + key + " » doit être un texte.";
    return "";
}

}  // namespace

std::optional<Response> Site::authenticate_bearer(Ctx& ctx) {
    const std::string header = ctx.req.header("authorization");
    if (header.empty() || ctx.req.path.rfind("/api/", 0) != 0) return std::nullopt;
    auto secret = tk::bearer_token(header);
    if (!secret) return unauthorised(std::string("En-tête Authorization non reconnu. ") + kBearerHelp);
    auto id = s_.tokens.authenticate(*secret, ctx.req.remote_addr);
    if (!id) {
        if (id.error().code == core::ErrorCode::kUnauthenticated) return unauthorised(id.error().message);
        return problem(ctx, id.error());
    }
    std::int64_t wait = 0;
    if (!limiter_.allow("api-token|" + std::to_string(id->token.id), tk::kRequestsPerMinute, 60, s_.clock.now(), &wait))
        return problem(ctx, core::Error::TooMany("Trop de requêtes pour ce jeton : au plus " +
                                                     std::to_string(tk::kRequestsPerMinute) +
                                                     " par minute. Réessayez dans " + std::to_string(wait) + " s.",
                                                 static_cast<int>(wait)));
    // The scope a route needs (reading, or its own) is checked with the route's declaration (Site::guarded).
    ctx.actor = id->actor;
    ctx.user = id->creator;
    ctx.token = std::move(id.value());
    return std::nullopt;
}

std::optional<Response> Site::require_scope(Ctx& ctx, tk::Scope scope) {
    if (!ctx.token) return unauthorised(std::string("Cette opération de l'API demande un jeton. ") + kBearerHelp);
    if (!tk::has_scope(ctx.token->scopes, scope))
        return problem(ctx, core::Error::Forbidden(std::string("Ce jeton n'a pas le droit « ") +
                                                   tk::scope_label(scope) + " » (" + tk::scope_code(scope) + ")."));
    return std::nullopt;
}

// --- The organisation's tokens page ---

core::Result<json> Site::tokens_view(Ctx& ctx, std::int64_t org_id, const storage::orgs::OrgRecord& org) {
    auto list = s_.tokens.list(ctx.actor, org_id);
    if (!list) return list.error();
    std::string base = "/mon-espace/organisations/" + std::to_string(org_id);
    json items = json::array();
    for (const auto& t : list.value()) {
        json scopes = json::array();
        for (auto s : tk::split_scopes(t.scopes))
            scopes.push_back({{"code", tk::scope_code(s)}, {"label", tk::scope_label(s)}});
        items.push_back({{"name", t.name},
                         {"prefix", t.prefix},
                         {"scopes", scopes},
                         {"created", core::format_datetime_fr(t.created_at)},
                         {"created_by", t.created_by_email},
                         {"last_used", t.last_used_at ? core::format_datetime_fr(*t.last_used_at) : ""},
                         {"last_address", t.last_used_address},
                         {"revoked", t.revoked_at ? core::format_datetime_fr(*t.revoked_at) : ""},
                         {"active", !t.revoked_at},
                         {"revoke_action", base + "/jetons/" + std::to_string(t.id) + "/revoquer"}});
    }
    json choices = json::array();
    for (auto s : tk::grantable_scopes(org.kind == "buyer", ctx.actor.has_role(core::PlatformRole::kOrganiser)))
        choices.push_back(
            {{"code", tk::scope_code(s)}, {"label", tk::scope_label(s)}, {"checked", s == tk::Scope::kRead}});
    return json{
        {"title", "Jetons d'API — " + org.name},
        {"breadcrumb", json::array({{{"label", "Accueil"}, {"url", "/"}},
                                    {{"label", "Mon espace"}, {"url", "/mon-espace"}},
                                    {{"label", org.name}, {"url", base}},
                                    {{"label", "Jetons d'API"}, {"url", base + "/jetons"}, {"current", true}}})},
        {"org_name", org.name},
        {"action", base + "/jetons"},
        {"tokens", items},
        {"has_tokens", !items.empty()},
        {"scope_choices", choices},
        {"needs_confirmation", needs_confirmation(ctx)},
        {"has_password", ctx.user && ctx.user->password_hash.has_value()},
        {"per_minute", tk::kRequestsPerMinute},
        {"api_url", settings_.base_url + "/api/v1/openapi.json"}};
}

Response Site::tokens_page(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return error_page(ctx, 404, "Cette organisation n'existe pas.");
    auto o = s_.orgs.get(*id);
    if (!o) return fail(ctx, o.error());
    auto view = tokens_view(ctx, *id, o.value());
    if (!view) return fail(ctx, view.error());
    return page(ctx, "api_tokens", view.value());
}

Response Site::token_create(Ctx& ctx) {
    std::optional<std::int64_t> id;
    if (auto r = org_id_param(ctx, id)) return *r;
    auto o = s_.orgs.get(*id);
    if (!o) return fail(ctx, o.error());
    const std::string name = ctx.req.form_value("name");
    const auto scopes = ctx.req.form_values("scopes");
    auto refused = unconfirmed(ctx);
    if (refused && refused->code == core::ErrorCode::kInvalidInput)
        if (auto t = tk::validate_new_token(name, scopes); !t) {  // every problem at once, in the form's order
            core::Error e = t.error();
            for (const auto& [field, message] : refused->fields) e.fields.add(field, message);
            refused = std::move(e);
        }
    auto created = refused ? core::Result<app::CreatedToken>(*refused) : s_.tokens.create(ctx.actor, *id, name, scopes);
    auto listed = tokens_view(ctx, *id, o.value());
    if (!listed) return fail(ctx, listed.error());
    json view = std::move(listed.value());
    if (!created) {
        if (created.error().code != core::ErrorCode::kInvalidInput) return fail(ctx, created.error());
        // The form as typed: the name and the rights ticked.
        view["name_value"] = name;
        for (auto& c : view["scope_choices"])
            c["checked"] = std::find(scopes.begin(), scopes.end(), c["code"].get<std::string>()) != scopes.end();
        return form_error(ctx, "api_tokens", view, created.error());
    }
    audit(ctx, "api_token_created", "organisation " + std::to_string(*id),
          "« " + created->record.name + " » (" + created->record.scopes + "), " + created->record.prefix + "…");
    // Shown here once, never redirected through the session (whose flash is stored).
    view["created"] = {{"name", created->record.name}, {"secret", created->secret}};
    return page(ctx, "api_tokens", view, 201);
}

Response Site::token_revoke(Ctx& ctx) {
    std::optional<std::int64_t> id;
    if (auto r = org_id_param(ctx, id)) return *r;
    auto token = parse_id(ctx.req.path_param("token"));
    if (!token) return error_page(ctx, 404, "Ce jeton n'existe pas.");
    const std::string back = "/mon-espace/organisations/" + std::to_string(*id) + "/jetons";
    if (auto st = s_.tokens.revoke(ctx.actor, *id, *token); !st) return flash_or_fail(ctx, st.error(), back, "");
    audit(ctx, "api_token_revoked", "organisation " + std::to_string(*id), "jeton " + std::to_string(*token));
    return redirect_flash(ctx, back, "Le jeton est révoqué : les requêtes qui l'utilisent sont refusées.");
}

// --- Writing endpoints opened by tokens ---

Response Site::api_notice_create(Ctx& ctx) {
    json body = json::parse(ctx.req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
        return problem(ctx, core::Error::Invalid("Le corps de la requête doit être un objet JSON."));
    core::FieldErrors wrong;
    core::NoticeInput in;
    in.reference = string_field(body, "reference", wrong);
    in.title = string_field(body, "title", wrong);
    in.description = string_field(body, "description", wrong);
    in.procedure = string_field(body, "procedure", wrong);
    in.bid_deadline = string_field(body, "bid_deadline", wrong);
    in.question_deadline = string_field(body, "question_deadline", wrong);
    if (auto lots = body.find("lots"); lots != body.end()) {
        if (!lots->is_array()) return problem(ctx, core::Error::Invalid("« lots » doit être une liste."));
        for (const auto& l : *lots) {
            if (!l.is_object()) return problem(ctx, core::Error::Invalid("Chaque lot doit être un objet JSON."));
            core::LotInput lot;
            const std::string at = "lots." + std::to_string(in.lots.size() + 1) + ".";  // as validation names them
            lot.title = string_field(l, "title", wrong, at);
            lot.cpv_code = string_field(l, "cpv_code", wrong, at);
            lot.estimated_amount = string_field(l, "estimated_amount", wrong, at);
            lot.clause_kind = string_field(l, "clause_kind", wrong, at);
            lot.insertion_hours = string_field(l, "insertion_hours", wrong, at);
            if (auto d = l.find("departements"); d != l.end() && d->is_array())
                for (const auto& x : *d)
                    if (x.is_string()) lot.departements.push_back(x.get<std::string>());
            in.lots.push_back(std::move(lot));
        }
    }
    if (!wrong.empty())
        return problem(ctx, core::Error::Invalid("Le corps de la requête contient des erreurs.", wrong));
    auto publish_field = body.find("publish");
    if (publish_field != body.end() && !publish_field->is_boolean())
        return problem(ctx, core::Error::Invalid("« publish » doit valoir true ou false.",
                                                 {{"publish", "Valeurs possibles : true, false."}}));
    const bool publish = publish_field != body.end() && publish_field->get<bool>();
    const std::int64_t org_id = ctx.token->token.org_id;
    auto created = s_.notices.create(ctx.actor, org_id, in, std::nullopt);
    if (!created) return problem(ctx, created.error());
    const std::string target = "consultation " + std::to_string(created.value());
    if (publish) {
        if (auto st = s_.notices.publish(ctx.actor, created.value()); !st) {
            // The draft stays (the buyer finds it in its space); the answer says why it is not published.
            core::Error e = st.error();
            e.message += " Le brouillon n° " + std::to_string(created.value()) + " est enregistré.";
            return problem(ctx, e);
        }
        audit(ctx, "notice_published", target, "par l'API, jeton « " + ctx.token->token.name + " »");
    }
    auto n = s_.notices.get(ctx.actor, created.value());
    if (!n) return problem(ctx, n.error());
    Response r = Response::json(notice_json(n.value()).dump(), 201);
    r.set_header("Location", settings_.base_url + "/api/v1/notices/" + std::to_string(created.value()));
    return r;
}

Response Site::api_event_registrations(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    if (!id) return problem(ctx, core::Error::Invalid("Identifiant invalide."));
    auto regs = s_.events.registrants(ctx.actor, *id);
    if (!regs) return problem(ctx, regs.error());
    json items = json::array();
    for (const auto& r : regs.value())
        items.push_back({{"id", r.id},
                         {"organisation", {{"name", r.org_name}, {"siret", r.org_siret}}},
                         {"person", {{"name", r.user_name}, {"email", r.user_email}}},
                         {"role", r.role},
                         {"status", r.status},
                         {"answers",
                          [&] {
                              json a = json::parse(r.answers, nullptr, false);
                              return a.is_array() ? a : json::array();
                          }()},
                         {"checked_in_at", r.checked_in_at ? json(core::format_iso8601_utc(*r.checked_in_at)) : json()},
                         {"registered_at", core::format_iso8601_utc(r.created_at)}});
    return Response::json(json({{"event_id", *id}, {"items", items}}).dump());
}

Response Site::api_event_registration_decide(Ctx& ctx) {
    auto id = parse_id(ctx.req.path_param("id"));
    auto reg = parse_id(ctx.req.path_param("registration"));
    if (!id || !reg) return problem(ctx, core::Error::Invalid("Identifiant invalide."));
    json body = json::parse(ctx.req.body, nullptr, false);
    core::FieldErrors wrong;  // a decision that is not a text is refused like an unknown one
    const std::string decision = body.is_object() ? string_field(body, "decision", wrong) : "";
    if (decision != "accept" && decision != "refuse")
        return problem(ctx, core::Error::Invalid("« decision » doit valoir « accept » ou « refuse ».",
                                                 {{"decision", "Valeurs possibles : accept, refuse."}}));
    auto regs = s_.events.registrants(ctx.actor, *id);
    if (!regs) return problem(ctx, regs.error());
    bool of_event = false;
    for (const auto& r : regs.value()) of_event = of_event || r.id == *reg;
    if (!of_event) return problem(ctx, core::Error::NotFound("Cette inscription n'existe pas pour cet événement."));
    if (auto st = s_.events.decide_registration(ctx.actor, *reg, decision == "accept" ? "valider" : "refuser"); !st)
        return problem(ctx, st.error());
    auto after = s_.events.registrants(ctx.actor, *id);
    if (!after) return problem(ctx, after.error());
    for (const auto& r : after.value())
        if (r.id == *reg) return Response::json(json({{"id", r.id}, {"status", r.status}}).dump());
    return problem(ctx, core::Error::NotFound("Cette inscription n'existe plus."));
}

}  // namespace passerelle::web
