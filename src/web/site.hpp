// Site: the web front of Passerelle — HTML pages (French), the htmx fragments, and the JSON API under
// /api/v1. Handlers are thin: they parse the request, ask the policy through a service, and map the result
// to a view model (rendered by TemplateEngine) or to JSON. Errors map to HTTP statuses in one table
// (status_for); people get French pages, API clients application/problem+json.
//
// Every response carries the security headers (CSP with a per-response nonce, no inline script).
// Sessions live in the database; the cookie holds a random token whose hash is the key.
#pragma once

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/accounts.hpp"
#include "app/alerts.hpp"
#include "app/api_tokens.hpp"
#include "app/audit.hpp"
#include "app/clauses.hpp"
#include "app/contracts.hpp"
#include "app/events.hpp"
#include "app/exchange.hpp"
#include "app/export_cache.hpp"
#include "app/indexer.hpp"
#include "app/news.hpp"
#include "app/notice_import.hpp"
#include "app/notices.hpp"
#include "app/observatory.hpp"
#include "app/oidc.hpp"
#include "app/organisations.hpp"
#include "app/pitches.hpp"
#include "app/reference.hpp"
#include "app/roadmaps.hpp"
#include "app/sourcing.hpp"
#include "core/rate_limit.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "search/search_index.hpp"
#include "storage/database.hpp"
#include "web/templates.hpp"

namespace passerelle::web {

struct SiteSettings {
    std::string base_url = "http://127.0.0.1:8080";
    std::filesystem::path static_dir;
    std::filesystem::path openapi_file;
    std::string version = "0.1.0";
    // Per client address; 0 turns a limit off (benchmarks, load tests).
    int search_per_minute = 120;  // /recherche, /marches-attribues, /entreprises, /api/v1/search
    int signups_per_hour = 10;
    int resets_per_hour = 10;         // password-reset requests
    int oidc_logins_per_minute = 30;  // logins started at an OpenID provider
    int exports_per_minute = 20;      // CSV exports (/marches-attribues.csv, /consultations.csv)
};

struct SiteServices {
    app::AccountService& accounts;
    app::OrganisationService& orgs;
    app::ReferenceService& reference;
    app::RoadmapService& roadmaps;
    app::NoticeService& notices;
    search::SearchIndex& index;
    app::AlertService& alerts;
    app::ContractService& contracts;
    app::ExternalNoticeService& external;
    app::SourcingService& sourcing;
    app::ExchangeService& exchange;
    app::AuditService& audit;
    app::EventService& events;
    app::PitchService& pitches;
    app::NewsService& news;
    app::ObservatoryService& observatory;
    app::ClauseService& clauses;
    app::ApiTokenService& tokens;
    app::OidcService& oidc;
    app::ExportCache& exports;
    storage::Database& db;
    const core::Clock& clock;
    std::function<void()> after_change;  // wakes the mail and search workers after a state-changing request
};

// The per-request state: session, the actor the policy sees, the user, the CSP nonce.
struct Ctx {
    http::Request& req;
    std::optional<storage::accounts::SessionRecord> session;
    std::optional<storage::accounts::UserRecord> user;
    core::Actor actor;
    std::string nonce;
    std::vector<std::string> set_cookies;
    std::optional<nlohmann::json> flash;
    // An API request authenticated by a bearer token (then `actor` is the token's narrowed identity).
    std::optional<app::TokenIdentity> token;
};

int status_for(core::ErrorCode code);

class Site {
  public:
    Site(SiteServices services, SiteSettings settings, const TemplateEngine& templates);
    void register_routes(http::Router& router);
    http::ServerHooks hooks();
    // What the server answers outside the routes: unknown path, wrong method, 413/500.
    http::Response on_not_found(http::Request& req);
    http::Response on_method_not_allowed(http::Request& req);
    http::Response on_error(http::Request& req, int status, const std::string& detail);
    // The OpenAPI document served at /api/v1/openapi.json (loaded at start-up).
    const nlohmann::json& openapi() const { return openapi_; }

  private:
    using PageFn = std::function<http::Response(Ctx&)>;
    http::Handler wrap(PageFn fn);
    // Who may call a route, declared in the route table and enforced before its handler runs: a visitor gets
    // the login page, anyone else without the right a 403, and every unsafe method needs the session's CSRF
    // token (kAnyone: no login needed, the CSRF token still is). (The routes declared this way have no such check in
    // their handler; #21 moves every route here.)
    // Who may call a route, as routes.cpp declares it: the platform action it needs (kViewPublic: anyone;
    // kViewOwnSpace: anyone signed in; a role's action such as kManageEvents; kAdminister), on the organisation
    // named by the path parameter `org_param` when there is one (its members, its administrators); or, for an API
    // route only a token may call, the token's scope. `guarded` enforces it, and CSRF, before the handler runs.
    // A rate-limit class: the requests of routes sharing `name` share one counter, per client address or per
    // signed-in person; `count` per `window` seconds (read at request time, from the settings).
    struct RateLimit {
        std::string name;
        bool per_person = false;
        std::function<int()> count;
        std::int64_t window = 60;
    };
    struct Access {
        core::Action needs = core::Action::kViewPublic;
        std::string org_param;
        std::optional<core::api_tokens::Scope> token_scope;
        std::optional<RateLimit> limit;
    };
    http::Handler guarded(Access access, PageFn fn);
    Ctx begin(http::Request& req);
    void finish(Ctx& ctx, http::Response& res);

    // Rendering helpers.
    nlohmann::json layout_view(Ctx& ctx, const std::string& title);
    http::Response page(Ctx& ctx, const std::string& tmpl, nlohmann::json view, int status = 200);
    http::Response error_page(Ctx& ctx, int status, const std::string& message);
    http::Response fail(Ctx& ctx, const core::Error& e);
    http::Response problem(Ctx& ctx, const core::Error& e);
    http::Response form_error(Ctx& ctx, const std::string& tmpl, nlohmann::json view, const core::Error& e);
    http::Response redirect_flash(Ctx& ctx, const std::string& to, const std::string& message,
                                  const std::string& kind = "success");
    // A form refused whose page is another URL (a form inside the notice page, say): what was typed and the errors
    // travel in the session to that page, and the browser is sent back there (303) — nothing typed is lost and a
    // reload posts nothing. An error goes beside its field, whose element id is `form_id-field`; the summary
    // follows the error's order (the validators', which is the form's). When `shown` is given, only those fields
    // are on the page: an error on another field is listed pointing at the form itself.
    http::Response refuse_form(Ctx& ctx, const std::string& back, const std::string& form_id, const core::Error& e,
                               const std::vector<std::string>& shown = {});
    // That form as the person left it: {id, values: {field: text}, errors: {field: message}, error_list: [{field,
    // message, target}] in form order, has_errors, error_message}; only {id} when nothing came back. Its summary
    // is templates/_form_summary.mustache.
    nlohmann::json form_view(Ctx& ctx, const std::string& form_id);
    // The same, its values being `stored` (what the database holds) unless the form came back refused.
    nlohmann::json form_view(Ctx& ctx, const std::string& form_id, nlohmann::json stored);
    http::Response login_redirect(Ctx& ctx);
    http::Response flash_or_fail(Ctx& ctx, const core::Error& e, const std::string& back, const std::string& prefix);
    // One line of the audit log for the logged-in user, from the request's address.
    void audit(Ctx& ctx, const std::string& action, const std::string& target, const std::string& detail);
    // A session for this browser (an anonymous one when none); false when none could be started.
    bool ensure_session(Ctx& ctx);
    void set_session_cookie(Ctx& ctx, const std::string& token, std::int64_t max_age);
    std::string session_cookie_name() const;
    // Sensitive actions (an API token, a platform role): nullopt when the person proved who they are recently
    // (their login, or a confirmation) or types their password now in `confirm_password`; else the refusal.
    std::optional<core::Error> unconfirmed(Ctx& ctx);
    bool needs_confirmation(Ctx& ctx) { return !ctx.session || !s_.accounts.recently_confirmed(*ctx.session); }
    http::Response confirm_identity(Ctx& ctx);
    std::string browser_cookie_name() const { return secure() ? "__Host-passerelle_browser" : "passerelle_browser"; }
    bool csrf_ok(Ctx& ctx);
    bool csrf_ok(Ctx& ctx, const std::string& sent);
    // /api/ requests bearing "Authorization: Bearer": the token's identity in ctx, or the answer (401, 403,
    // 429) when it is refused. Other requests: nothing.
    std::optional<http::Response> authenticate_bearer(Ctx& ctx);
    // 401 without a token, 403 when the token lacks the scope.
    std::optional<http::Response> require_scope(Ctx& ctx, core::api_tokens::Scope scope);
    // The tokens page's view (the list read once; the policy's refusal as an error).
    core::Result<nlohmann::json> tokens_view(Ctx& ctx, std::int64_t org_id, const storage::orgs::OrgRecord& org);
    http::Response tokens_page(Ctx& ctx);
    http::Response token_create(Ctx& ctx);
    http::Response token_revoke(Ctx& ctx);
    http::Response api_notice_create(Ctx& ctx);
    nlohmann::json oidc_buttons(const std::string& retour);
    http::Response oidc_begin(Ctx& ctx);
    http::Response oidc_return(Ctx& ctx);
    // The provider's logout URL when the session came from one ("" otherwise).
    std::string oidc_logout_url(Ctx& ctx);
    http::Response admin_agent_requests(Ctx& ctx);
    http::Response admin_identity_providers(Ctx& ctx);
    http::Response admin_agent_request_decide(Ctx& ctx);
    // Vetting of buyer organisations, suspension, review of withdrawals (pages_vetting.cpp).
    http::Response admin_vetting(Ctx& ctx);
    http::Response admin_vetting_decide(Ctx& ctx);
    http::Response admin_org_suspend(Ctx& ctx);
    http::Response admin_withdrawal_reinstate(Ctx& ctx);
    // Two-factor authentication (pages_second_factor.cpp). open_session: the person's session once every factor
    // was checked; ask_second_factor: the password (or the identity provider) was right, a code must follow —
    // `pending` says where to go next (retour, message, provider, id_token, email).
    // `then` runs with the new session's hash before the redirection (an identity provider's session).
    http::Response open_session(Ctx& ctx, std::int64_t user_id, const std::string& new_browser_token,
                                const std::string& back, const std::string& message,
                                const std::function<core::Status(const std::string&)>& then = {});
    http::Response ask_second_factor(Ctx& ctx, std::int64_t user_id, nlohmann::json pending);
    // Administrators and organisers without two-factor authentication reach only the page that turns it on.
    std::optional<http::Response> second_factor_gate(Ctx& ctx);
    nlohmann::json second_factor_view(Ctx& ctx);
    http::Response no_pending_login(Ctx& ctx);
    http::Response show_recovery_codes(Ctx& ctx, const std::vector<std::string>& codes, bool enabled_now);
    http::Response recovery_codes_page(Ctx& ctx);
    http::Response login_code_form(Ctx& ctx);
    http::Response login_code(Ctx& ctx);
    http::Response second_factor_page(Ctx& ctx);
    http::Response second_factor_enable(Ctx& ctx);
    http::Response second_factor_codes(Ctx& ctx);
    http::Response second_factor_disable(Ctx& ctx);
    http::Response admin_second_factor_reset(Ctx& ctx);
    http::Response api_event_registrations(Ctx& ctx);
    http::Response api_event_registration_decide(Ctx& ctx);
    bool secure() const { return settings_.base_url.rfind("https://", 0) == 0; }

    // Pages: public.
    http::Response home(Ctx& ctx);
    http::Response legal(Ctx& ctx, const std::string& which);
    http::Response directory(Ctx& ctx, const std::string& kind);
    http::Response company_directory(Ctx& ctx);
    http::Response company_list(Ctx& ctx) { return directory(ctx, "company"); }  // /entreprises
    http::Response org_page(Ctx& ctx, const std::string& kind);
    http::Response cpv_suggestions(Ctx& ctx);
    http::Response cpv_choice(Ctx& ctx);
    // Pages: accounts.
    http::Response signup_form(Ctx& ctx);
    http::Response signup(Ctx& ctx);
    http::Response login_form(Ctx& ctx);
    http::Response login(Ctx& ctx);
    http::Response logout(Ctx& ctx);
    http::Response verify_email(Ctx& ctx);
    http::Response resend_verification(Ctx& ctx);
    http::Response forgot_form(Ctx& ctx);
    http::Response forgot(Ctx& ctx);
    http::Response reset_form(Ctx& ctx);
    http::Response reset(Ctx& ctx);
    http::Response change_password_form(Ctx& ctx);
    http::Response change_password(Ctx& ctx);
    // « Mes sessions »: the browsers where the account is open, closing one or all the others.
    http::Response sessions_page(Ctx& ctx);
    http::Response session_close(Ctx& ctx);
    http::Response sessions_close_others(Ctx& ctx);
    // Pages: personal space and organisations.
    http::Response dashboard(Ctx& ctx);
    http::Response org_new_form(Ctx& ctx);
    http::Response org_create(Ctx& ctx);
    http::Response org_manage(Ctx& ctx);
    http::Response org_update(Ctx& ctx);
    http::Response member_action(Ctx& ctx);
    http::Response org_invite(Ctx& ctx);
    http::Response join_request(Ctx& ctx);
    http::Response invitation_form(Ctx& ctx);
    http::Response invitation_accept(Ctx& ctx);
    // Roadmaps (feuilles de route).
    http::Response roadmap_list(Ctx& ctx);
    http::Response roadmap_item(Ctx& ctx);
    http::Response roadmap_interest(Ctx& ctx);
    http::Response roadmap_interest_withdraw(Ctx& ctx);
    http::Response roadmap_mine(Ctx& ctx);
    http::Response roadmap_new_form(Ctx& ctx);
    http::Response roadmap_create(Ctx& ctx);
    http::Response roadmap_edit_form(Ctx& ctx);
    http::Response roadmap_update(Ctx& ctx);
    http::Response roadmap_transition(Ctx& ctx);
    http::Response roadmap_publish_all(Ctx& ctx);
    http::Response roadmap_interested(Ctx& ctx);
    http::Response roadmap_interested_csv(Ctx& ctx);
    http::Response api_roadmap_items(Ctx& ctx);
    http::Response api_roadmap_item(Ctx& ctx);
    nlohmann::json roadmap_summary(const storage::roadmaps::ItemRecord& r);
    nlohmann::json roadmap_form_view(Ctx& ctx, const core::RoadmapItemInput& in);
    nlohmann::json roadmap_json(const storage::roadmaps::ItemRecord& r);
    // Notices (consultations).
    http::Response notice_list(Ctx& ctx);
    http::Response notice_item(Ctx& ctx);
    http::Response notice_csv(Ctx& ctx);
    http::Response notice_follow(Ctx& ctx);
    http::Response notice_ask(Ctx& ctx);
    http::Response notice_answer(Ctx& ctx);
    http::Response notice_mine(Ctx& ctx);
    http::Response notice_new_form(Ctx& ctx);
    http::Response notice_create(Ctx& ctx);
    http::Response notice_edit_form(Ctx& ctx);
    http::Response notice_update(Ctx& ctx);
    http::Response notice_transition(Ctx& ctx);
    http::Response notice_upload(Ctx& ctx);
    http::Response notice_document(Ctx& ctx);
    http::Response notice_downloads(Ctx& ctx);
    http::Response notice_award_form(Ctx& ctx);
    http::Response notice_award(Ctx& ctx);
    http::Response sourcing_page(Ctx& ctx);
    http::Response offer_publish(Ctx& ctx);
    http::Response offer_list(Ctx& ctx);
    http::Response offer_item(Ctx& ctx);
    http::Response offer_answer(Ctx& ctx);
    http::Response offer_close(Ctx& ctx);
    http::Response content_report(Ctx& ctx);
    http::Response messages_page(Ctx& ctx);
    http::Response conversation_page(Ctx& ctx);
    http::Response conversation_post(Ctx& ctx);
    http::Response attachment_download(Ctx& ctx);
    http::Response consortium_form(Ctx& ctx);
    http::Response consortia_page(Ctx& ctx);
    http::Response consortium_page(Ctx& ctx);
    http::Response consortium_action(Ctx& ctx);
    http::Response consortium_member(Ctx& ctx);
    http::Response consortium_check(Ctx& ctx);
    http::Response consortium_document(Ctx& ctx);
    http::Response moderation_page(Ctx& ctx);
    http::Response moderation_decide(Ctx& ctx);
    http::Response search_page(Ctx& ctx);
    http::Response search_view(Ctx& ctx, bool contracts_only);
    // Awarded contracts (marchés attribués).
    http::Response contract_list(Ctx& ctx);
    http::Response contract_item(Ctx& ctx);
    http::Response contract_csv(Ctx& ctx);
    // An export from the cache: 400 for a bad filter, 429 over the client's limit, 304 when the client's copy is
    // current, else the file (built by `build` when the selection or the data changed).
    http::Response export_download(Ctx& ctx, const std::string& kind, const std::string& filename,
                                   const std::function<core::Status(std::ostream&)>& build);
    nlohmann::json contract_summary(const storage::contracts::ContractRecord& c);
    std::string contract_title(const storage::contracts::ContractRecord& c);
    nlohmann::json contract_json(const storage::contracts::ContractRecord& c);
    // Notices imported from BOAMP and eForms.
    http::Response external_item(Ctx& ctx);
    nlohmann::json external_summary(const storage::external_notices::ExternalNoticeRecord& n);
    nlohmann::json external_json(const storage::external_notices::ExternalNoticeRecord& n);
    http::Response search_save(Ctx& ctx);
    http::Response alerts_page(Ctx& ctx);
    http::Response alert_delete(Ctx& ctx);
    http::Response alert_feed(Ctx& ctx);
    http::Response alert_unsubscribe_form(Ctx& ctx);
    http::Response alert_unsubscribe(Ctx& ctx);
    http::Response api_search(Ctx& ctx);
    http::Response api_notices(Ctx& ctx);
    http::Response api_notice(Ctx& ctx);
    nlohmann::json notice_summary(const storage::notices::NoticeRecord& n);
    // The notice form; `errors` (a refused submit's) go beside their fields, the lots' ones in their row.
    nlohmann::json notice_form_view(const core::NoticeInput& in, const core::FieldErrors& errors = {});
    nlohmann::json notice_json(const storage::notices::NoticeRecord& n);
    // Matchmaking events.
    http::Response event_list(Ctx& ctx);
    http::Response event_page(Ctx& ctx);
    http::Response event_register(Ctx& ctx);
    http::Response event_unregister(Ctx& ctx);
    http::Response events_mine(Ctx& ctx);
    http::Response event_new_form(Ctx& ctx);
    http::Response event_create(Ctx& ctx);
    http::Response event_edit_form(Ctx& ctx);
    http::Response event_update(Ctx& ctx);
    http::Response event_transition(Ctx& ctx);
    http::Response event_registrants(Ctx& ctx);
    http::Response event_registrants_export(Ctx& ctx, bool xlsx);
    http::Response registration_action(Ctx& ctx);
    http::Response event_meetings(Ctx& ctx);
    http::Response event_request(Ctx& ctx);
    http::Response event_availability(Ctx& ctx);
    http::Response meeting_action(Ctx& ctx);
    http::Response event_requests(Ctx& ctx);
    http::Response event_add_meeting(Ctx& ctx);
    http::Response event_schedule(Ctx& ctx);
    http::Response event_schedule_action(Ctx& ctx);
    http::Response event_tables(Ctx& ctx);
    http::Response event_agenda(Ctx& ctx);
    http::Response event_agenda_ics(Ctx& ctx);
    http::Response event_qr(Ctx& ctx);
    http::Response event_checkin(Ctx& ctx);
    http::Response event_checkin_post(Ctx& ctx);
    http::Response event_results(Ctx& ctx);
    http::Response event_results_json(Ctx& ctx);
    http::Response event_results_export(Ctx& ctx, bool xlsx);
    // A table (header first) as CSV or XLSX.
    http::Response table_download(Ctx& ctx, const std::vector<std::vector<std::string>>& table, const std::string& name,
                                  const std::string& sheet, bool xlsx);
    http::Response pitch_board(Ctx& ctx);
    http::Response pitch_board_post(Ctx& ctx);
    http::Response pitch_juror(Ctx& ctx);
    http::Response pitch_juror_remove(Ctx& ctx);
    http::Response pitch_release(Ctx& ctx);
    http::Response pitch_form(Ctx& ctx);
    http::Response pitch_apply(Ctx& ctx);
    http::Response pitch_jury(Ctx& ctx);
    http::Response pitch_review(Ctx& ctx);
    http::Response pitch_file(Ctx& ctx);
    void add_pitch_section(Ctx& ctx, nlohmann::json& view, std::int64_t event_id);
    http::Response news_list(Ctx& ctx);
    http::Response news_item(Ctx& ctx);
    http::Response news_cover(Ctx& ctx);
    http::Response news_atom(Ctx& ctx);
    http::Response sitemap(Ctx& ctx);
    http::Response news_mine(Ctx& ctx);
    http::Response news_new_form(Ctx& ctx);
    http::Response news_create(Ctx& ctx);
    http::Response news_edit_form(Ctx& ctx);
    http::Response news_update(Ctx& ctx);
    http::Response news_action(Ctx& ctx);
    http::Response news_preview(Ctx& ctx);
    nlohmann::json article_summary(const storage::news::ArticleRecord& a);
    http::Response observatory_page(Ctx& ctx);
    http::Response observatory_download(Ctx& ctx);
    http::Response api_observatory(Ctx& ctx);
    std::optional<storage::observatory::Filter> observatory_filter(Ctx& ctx, std::string& why);
    http::Response clause_add(Ctx& ctx);
    http::Response clause_edit_form(Ctx& ctx);
    http::Response clause_update(Ctx& ctx);
    http::Response clause_remove(Ctx& ctx);
    http::Response subcontractor_add(Ctx& ctx);
    http::Response subcontractor_remove(Ctx& ctx);
    http::Response declare_form(Ctx& ctx);
    http::Response declare(Ctx& ctx);
    http::Response declaration_page(Ctx& ctx);
    http::Response declaration_review(Ctx& ctx);
    http::Response declaration_correct(Ctx& ctx);
    http::Response clauses_space(Ctx& ctx);
    http::Response clauses_report(Ctx& ctx, bool xlsx);
    http::Response clause_parameters(Ctx& ctx);
    http::Response clause_estimate(Ctx& ctx);
    void add_clause_section(Ctx& ctx, nlohmann::json& view, std::int64_t contract_id);
    nlohmann::json clause_form_view(const core::clauses::ClauseInput& in, bool follow);
    nlohmann::json declaring_choices(Ctx& ctx, std::int64_t contract_id);
    nlohmann::json article_form_view(Ctx& ctx, const core::news::ArticleInput& in, std::int64_t event_id);
    nlohmann::json company_choices(Ctx& ctx);
    nlohmann::json event_summary(const storage::events::EventRecord& e);
    nlohmann::json programme_view(const app::EventDetails& d);
    nlohmann::json event_form_view(const core::events::EventInput& in);
    // The organisation the viewer acts for at the event: ?organisation=N, else their first one registered.
    std::optional<std::int64_t> event_org(Ctx& ctx, std::int64_t event_id);
    // Administration.
    http::Response admin_users(Ctx& ctx);
    http::Response admin_set_roles(Ctx& ctx);
    http::Response admin_claims(Ctx& ctx);
    http::Response admin_audit(Ctx& ctx);
    http::Response admin_audit_csv(Ctx& ctx);
    http::Response admin_claim_decide(Ctx& ctx);
    http::Response org_claim(Ctx& ctx);
    // A POST on /organisations/{id}/… (a request to join, or a claim of the profile): `ask` on the organisation,
    // back to its page with `done`, or its form `form_id` ("join" or "claim") as typed with the refusal.
    http::Response org_request(Ctx& ctx, const std::string& form_id,
                               const std::function<core::Status(std::int64_t)>& ask, const std::string& done);
    // API.
    http::Response api_organisations(Ctx& ctx);
    http::Response api_organisation(Ctx& ctx);
    http::Response api_cpv(Ctx& ctx);
    http::Response api_me(Ctx& ctx);
    http::Response healthz(Ctx& ctx);

    nlohmann::json org_form_view(Ctx& ctx, const core::OrganisationInput& in, const std::string& kind);
    nlohmann::json org_summary(const storage::orgs::OrgRecord& o);
    nlohmann::json cpv_chips(const std::vector<std::string>& codes);
    nlohmann::json offer_summary(const storage::exchange::OfferRecord& o);
    void add_exchange_section(Ctx& ctx, nlohmann::json& view, const storage::notices::NoticeRecord& n, bool open);
    nlohmann::json departement_options(const std::vector<std::string>& selected, const std::string& single = "");
    nlohmann::json org_json(const storage::orgs::OrgRecord& o);
    core::OrganisationInput org_input_from_form(const http::Request& req);
    // For POSTs on /…/organisations/{id}: a login, a numeric id and a valid CSRF token; the refusal otherwise.
    std::optional<http::Response> org_id_param(Ctx& ctx, std::optional<std::int64_t>& id);
    // 429 with Retry-After (page or problem+json) when the client address went over `limit` per `window`.
    std::optional<http::Response> throttled(Ctx& ctx, const std::string& what, int limit, std::int64_t window);
    // The same per logged-in person (whatever their address): questions, reports, tokens, saved searches.
    std::optional<http::Response> throttled_person(Ctx& ctx, const std::string& what, int limit, std::int64_t window);

    SiteServices s_;
    SiteSettings settings_;
    const TemplateEngine& templates_;
    http::StaticFiles static_files_;
    nlohmann::json openapi_;
    core::RateLimiter limiter_;
    std::string form_action_;  // CSP form-action: 'self' and the identity providers' origins
};

}  // namespace passerelle::web
