// The route table of the site: every URL and the handler behind it.
#include "web/site.hpp"

namespace passerelle::web {

void Site::register_routes(http::Router& r) {
    // Every route declares who may call it; Site::guarded enforces it before the handler (login, role, CSRF).
    using core::Action;
    // An Access for an action (on the organisation of the path parameter `org_param` when given).
    const auto needing = [](Action needs, std::string org_param = {}) {
        Access a;
        a.needs = needs;
        a.org_param = std::move(org_param);
        return a;
    };
    auto declare = [this, needing](Action needs, const char* label, PageFn fn) {
        return http::Declared{guarded(needing(needs), std::move(fn)), label};
    };
    auto method = [this](http::Response (Site::*fn)(Ctx&)) -> PageFn {
        return [this, fn](Ctx& c) { return (this->*fn)(c); };
    };
    auto anyone = [=](http::Response (Site::*fn)(Ctx&)) { return declare(Action::kViewPublic, "anyone", method(fn)); };
    auto signed_in = [=](http::Response (Site::*fn)(Ctx&)) {
        return declare(Action::kViewOwnSpace, "signed-in", method(fn));
    };
    auto administrator = [=](http::Response (Site::*fn)(Ctx&)) {
        return declare(Action::kAdminister, "administrator", method(fn));
    };
    // Routes of a platform role (the role's letter in the route × role test: o organiser, f facilitator).
    auto organiser = [=](Action needs, http::Response (Site::*fn)(Ctx&)) {
        return declare(needs, "organiser", method(fn));
    };
    auto facilitator = [=](http::Response (Site::*fn)(Ctx&)) {
        return declare(Action::kFollowClauses, "facilitator", method(fn));
    };
    auto contacts_reader = [=](http::Response (Site::*fn)(Ctx&)) {
        return declare(Action::kReadCompanyContacts, "buyer-or-facilitator", method(fn));
    };
    // Routes of an organisation named by the path parameter {id}: its members, or its administrators.
    auto member = [this, method, needing](Action needs, http::Response (Site::*fn)(Ctx&)) {
        return http::Declared{guarded(needing(needs, "id"), method(fn)),
                              needs == Action::kViewOrganisationPrivate ? "member-of-{id}" : "admin-of-{id}"};
    };
    // Forms of a buyer organisation given as ?org= (its roadmap items and notices): its agents.
    auto buyer_agent = [this, method, needing](http::Response (Site::*fn)(Ctx&)) {
        return http::Declared{guarded(needing(Action::kPrepareProcurement, "?org"), method(fn)), "buyer-agent-of-?org"};
    };
    // API routes only a token with this scope may call (an organisation's own systems).
    auto token = [this, method](core::api_tokens::Scope scope, const char* label, http::Response (Site::*fn)(Ctx&)) {
        return http::Declared{guarded(
                                  [scope] {
                                      Access a;
                                      a.token_scope = scope;
                                      return a;
                                  }(),
                                  method(fn)),
                              label};
    };
    // A route of a rate-limit class (shown by `passerelle routes` after its access: « anyone,limit=search »).
    auto limited = [this, method](Access access, const char* label, RateLimit limit, http::Response (Site::*fn)(Ctx&)) {
        const std::string shown = std::string(label) + ",limit=" + limit.name;
        access.limit = std::move(limit);
        return http::Declared{guarded(std::move(access), method(fn)), shown};
    };
    const auto per_client = [](const char* name, std::function<int()> count, std::int64_t window) {
        return RateLimit{name, false, std::move(count), window};
    };
    const auto per_person = [](const char* name, int count, std::int64_t window) {
        return RateLimit{name, true, [count] { return count; }, window};
    };
    const auto search_limit = per_client(
        "search", [this] { return settings_.search_per_minute; }, 60);
    const auto export_limit = per_client(
        "export", [this] { return settings_.exports_per_minute; }, 60);
    // The same for a handler given as a function of its own (a handler shared by several routes).
    auto anyone_fn = [declare](PageFn fn) { return declare(Action::kViewPublic, "anyone", std::move(fn)); };
    auto signed_in_fn = [declare](PageFn fn) { return declare(Action::kViewOwnSpace, "signed-in", std::move(fn)); };

    r.get("/healthz", anyone(&Site::healthz));
    r.get("/static/{*path}",
          http::Declared{[this](http::Request& q) { return static_files_.serve(q, q.path_param("path")); }, "anyone"});

    r.get("/", anyone(&Site::home));
    r.get("/accessibilite", anyone_fn([this](Ctx& c) { return legal(c, "accessibilite"); }));
    r.get("/mentions-legales", anyone_fn([this](Ctx& c) { return legal(c, "mentions-legales"); }));
    r.get("/donnees-personnelles", anyone_fn([this](Ctx& c) { return legal(c, "donnees-personnelles"); }));
    r.get("/entreprises", limited(needing(Action::kViewPublic), "anyone", search_limit, &Site::company_list));
    r.get("/entreprises/{siret}", anyone_fn([this](Ctx& c) { return org_page(c, "company"); }));
    r.get("/acheteurs", anyone_fn([this](Ctx& c) { return directory(c, "buyer"); }));
    r.get("/acheteurs/{siret}", anyone_fn([this](Ctx& c) { return org_page(c, "buyer"); }));
    r.post("/organisations/{id}/rejoindre", signed_in(&Site::join_request));
    r.post("/organisations/{id}/revendiquer", signed_in(&Site::org_claim));
    r.get("/cpv/suggestions", anyone(&Site::cpv_suggestions));
    r.get("/cpv/choix", anyone(&Site::cpv_choice));

    r.get("/actualites", anyone(&Site::news_list));
    r.get("/actualites.atom", anyone(&Site::news_atom));
    r.get("/actualites/{slug}", anyone(&Site::news_item));
    r.get("/actualites/{slug}/image", anyone(&Site::news_cover));
    r.get("/sitemap.xml", anyone(&Site::sitemap));
    r.get("/observatoire", anyone(&Site::observatory_page));
    r.get("/observatoire/{fichier}", anyone(&Site::observatory_download));
    r.get("/api/v1/observatoire", anyone(&Site::api_observatory));
    r.get("/api/v1/observatoire/{id}", anyone(&Site::api_observatory));
    r.get("/mon-espace/actualites", signed_in(&Site::news_mine));
    r.get("/mon-espace/actualites/nouvelle", organiser(Action::kWriteNews, &Site::news_new_form));
    r.post("/mon-espace/actualites/nouvelle", signed_in(&Site::news_create));
    r.post("/mon-espace/actualites/apercu", organiser(Action::kWriteNews, &Site::news_preview));
    r.get("/mon-espace/actualites/{id}/modifier", signed_in(&Site::news_edit_form));
    r.post("/mon-espace/actualites/{id}/modifier", signed_in(&Site::news_update));
    r.post("/mon-espace/actualites/{id}/{action}", signed_in(&Site::news_action));

    r.get("/inscription", anyone(&Site::signup_form));
    r.post("/inscription", limited(needing(Action::kViewPublic), "anyone",
                                   per_client(
                                       "signup", [this] { return settings_.signups_per_hour; }, 3600),
                                   &Site::signup));
    r.get("/connexion", anyone(&Site::login_form));
    r.post("/connexion", anyone(&Site::login));
    r.post("/deconnexion", anyone(&Site::logout));
    r.get("/connexion/code", anyone(&Site::login_code_form));
    r.post("/connexion/code", anyone(&Site::login_code));
    r.get("/connexion/oidc/{provider}", limited(needing(Action::kViewPublic), "anyone",
                                                per_client(
                                                    "oidc", [this] { return settings_.oidc_logins_per_minute; }, 60),
                                                &Site::oidc_begin));
    r.get("/connexion/oidc/{provider}/retour", anyone(&Site::oidc_return));
    r.get("/verifier-email", anyone(&Site::verify_email));
    r.post("/verifier-email/renvoyer", signed_in(&Site::resend_verification));
    r.get("/mot-de-passe-oublie", anyone(&Site::forgot_form));
    r.post("/mot-de-passe-oublie", limited(needing(Action::kViewPublic), "anyone",
                                           per_client(
                                               "reset", [this] { return settings_.resets_per_hour; }, 3600),
                                           &Site::forgot));
    r.get("/reinitialiser-mot-de-passe", anyone(&Site::reset_form));
    r.post("/reinitialiser-mot-de-passe", anyone(&Site::reset));

    r.get("/mon-espace", signed_in(&Site::dashboard));
    r.get("/mon-espace/mot-de-passe", signed_in(&Site::change_password_form));
    r.post("/mon-espace/mot-de-passe", signed_in(&Site::change_password));
    r.get("/mon-espace/sessions", signed_in(&Site::sessions_page));
    r.post("/mon-espace/confirmer", signed_in(&Site::confirm_identity));
    r.get("/mon-espace/double-authentification", signed_in(&Site::second_factor_page));
    r.post("/mon-espace/double-authentification", signed_in(&Site::second_factor_enable));
    r.post("/mon-espace/double-authentification/codes", signed_in(&Site::second_factor_codes));
    r.get("/mon-espace/double-authentification/codes", signed_in(&Site::recovery_codes_page));
    r.post("/mon-espace/double-authentification/desactiver", signed_in(&Site::second_factor_disable));
    r.post("/mon-espace/sessions/fermer-les-autres", signed_in(&Site::sessions_close_others));
    r.post("/mon-espace/sessions/{id}/fermer", signed_in(&Site::session_close));
    r.get("/mon-espace/organisations/nouvelle", signed_in(&Site::org_new_form));
    r.post("/mon-espace/organisations/nouvelle", signed_in(&Site::org_create));
    r.get("/mon-espace/organisations/{id}", member(Action::kViewOrganisationPrivate, &Site::org_manage));
    r.post("/mon-espace/organisations/{id}", member(Action::kEditOrganisation, &Site::org_update));
    r.post("/mon-espace/organisations/{id}/membres/{user}/{action}",
           member(Action::kManageMembers, &Site::member_action));
    r.post("/mon-espace/organisations/{id}/invitations", member(Action::kManageMembers, &Site::org_invite));
    r.get("/mon-espace/organisations/{id}/jetons", member(Action::kManageMembers, &Site::tokens_page));
    r.post("/mon-espace/organisations/{id}/jetons", limited(needing(Action::kManageMembers, "id"), "admin-of-{id}",
                                                            per_person("api_token", 10, 3600), &Site::token_create));
    r.post("/mon-espace/organisations/{id}/jetons/{token}/revoquer",
           member(Action::kManageMembers, &Site::token_revoke));
    r.get("/invitations/accepter", signed_in(&Site::invitation_form));
    r.post("/invitations/accepter", signed_in(&Site::invitation_accept));

    r.get("/feuilles-de-route", anyone(&Site::roadmap_list));
    r.get("/feuilles-de-route/{id}", anyone(&Site::roadmap_item));
    r.post("/feuilles-de-route/{id}/interet", signed_in(&Site::roadmap_interest));
    r.post("/feuilles-de-route/{id}/interet/retirer", signed_in(&Site::roadmap_interest_withdraw));
    r.get("/mon-espace/feuilles-de-route", signed_in(&Site::roadmap_mine));
    r.get("/mon-espace/feuilles-de-route/nouveau", buyer_agent(&Site::roadmap_new_form));
    r.post("/mon-espace/feuilles-de-route/nouveau", buyer_agent(&Site::roadmap_create));
    r.get("/mon-espace/feuilles-de-route/{id}/modifier", signed_in(&Site::roadmap_edit_form));
    r.post("/mon-espace/feuilles-de-route/{id}/modifier", signed_in(&Site::roadmap_update));
    r.post("/mon-espace/feuilles-de-route/{id}/{action}", signed_in(&Site::roadmap_transition));
    r.post("/mon-espace/organisations/{id}/feuille-de-route/publier", signed_in(&Site::roadmap_publish_all));
    r.get("/mon-espace/feuilles-de-route/{id}/interesses", signed_in(&Site::roadmap_interested));
    r.get("/mon-espace/feuilles-de-route/{id}/interesses.csv", signed_in(&Site::roadmap_interested_csv));

    r.get("/recherche", limited(needing(Action::kViewPublic), "anyone", search_limit, &Site::search_page));
    r.post("/recherche/sauvegarder", limited(needing(Action::kViewOwnSpace), "signed-in",
                                             per_person("saved_search", 20, 3600), &Site::search_save));
    r.get("/mon-espace/alertes", signed_in(&Site::alerts_page));
    r.post("/mon-espace/alertes/{id}/supprimer", signed_in(&Site::alert_delete));
    r.get("/alertes/desabonnement", anyone(&Site::alert_unsubscribe_form));
    r.post("/alertes/desabonnement", anyone(&Site::alert_unsubscribe));
    r.get("/alertes/{feed}", anyone(&Site::alert_feed));
    r.get("/marches-attribues", limited(needing(Action::kViewPublic), "anyone", search_limit, &Site::contract_list));
    r.get("/marches-attribues.csv", limited(needing(Action::kViewPublic), "anyone", export_limit, &Site::contract_csv),
          {.heavy = true});
    r.get("/marches-attribues/{id}", anyone(&Site::contract_item));
    r.post("/marches-attribues/{id}/clauses", signed_in(&Site::clause_add));
    r.get("/marches-attribues/{id}/clauses/{clause}/heures", signed_in(&Site::declare_form));
    r.post("/marches-attribues/{id}/clauses/{clause}/heures", signed_in(&Site::declare));
    r.post("/marches-attribues/{id}/sous-traitants", signed_in(&Site::subcontractor_add));
    r.post("/marches-attribues/{id}/sous-traitants/{org}/retirer", signed_in(&Site::subcontractor_remove));
    r.get("/mon-espace/clauses", signed_in(&Site::clauses_space));
    r.get("/mon-espace/clauses/bilan", signed_in_fn([this](Ctx& c) { return clauses_report(c, false); }));
    r.get("/mon-espace/clauses/bilan.xlsx", signed_in_fn([this](Ctx& c) { return clauses_report(c, true); }));
    r.get("/mon-espace/clauses/parametres", facilitator(&Site::clause_parameters));
    r.post("/mon-espace/clauses/parametres", facilitator(&Site::clause_parameters));
    r.get("/mon-espace/clauses/estimation", signed_in(&Site::clause_estimate));
    r.get("/mon-espace/clauses/declarations/{id}", signed_in(&Site::declaration_page));
    r.post("/mon-espace/clauses/declarations/{id}/examen", signed_in(&Site::declaration_review));
    r.post("/mon-espace/clauses/declarations/{id}/correction", signed_in(&Site::declaration_correct));
    r.get("/mon-espace/clauses/{clause}/modifier", facilitator(&Site::clause_edit_form));
    r.post("/mon-espace/clauses/{clause}/modifier", signed_in(&Site::clause_update));
    r.post("/mon-espace/clauses/{clause}/supprimer", signed_in(&Site::clause_remove));
    r.get("/consultations", anyone(&Site::notice_list));
    r.get("/consultations.csv", limited(needing(Action::kViewPublic), "anyone", export_limit, &Site::notice_csv),
          {.heavy = true});
    r.get("/consultations/{id}", anyone(&Site::notice_item));
    r.get("/consultations/externes/{id}", anyone(&Site::external_item));
    r.post("/consultations/{id}/suivi", signed_in(&Site::notice_follow));
    r.post("/consultations/{id}/questions",
           limited(needing(Action::kViewOwnSpace), "signed-in", per_person("question", 10, 3600), &Site::notice_ask));
    r.post("/mon-espace/consultations/{id}/questions/{question}/reponse", signed_in(&Site::notice_answer));
    r.get("/mon-espace/consultations", signed_in(&Site::notice_mine));
    r.get("/mon-espace/consultations/nouvelle", buyer_agent(&Site::notice_new_form));
    r.post("/mon-espace/consultations/nouvelle", buyer_agent(&Site::notice_create));
    r.get("/mon-espace/consultations/{id}/modifier", signed_in(&Site::notice_edit_form));
    r.post("/mon-espace/consultations/{id}/modifier", signed_in(&Site::notice_update));
    r.post("/mon-espace/consultations/{id}/{action}", signed_in(&Site::notice_transition));
    // Tender documents: up to 50 MiB a file (the multipart envelope adds a little).
    r.post("/mon-espace/consultations/{id}/documents", signed_in(&Site::notice_upload), {51 * 1024 * 1024 + 64 * 1024});
    r.get("/mon-espace/consultations/{id}/retraits", signed_in(&Site::notice_downloads));
    r.get("/mon-espace/consultations/{id}/attribution", signed_in(&Site::notice_award_form));
    r.post("/mon-espace/consultations/{id}/attribution", signed_in(&Site::notice_award));
    r.get("/mon-espace/sourcing", contacts_reader(&Site::sourcing_page));
    r.get("/admin/journal", administrator(&Site::admin_audit));
    r.get("/admin/journal.csv", administrator(&Site::admin_audit_csv));

    // The co-contracting exchange. Messages carry up to 3 attachments of 10 MB; consortium documents 50 MB.
    r.post("/consultations/{id}/bourse", signed_in(&Site::offer_publish));
    r.get("/bourse-co-traitance", signed_in(&Site::offer_list));
    r.get("/bourse-co-traitance/{id}", signed_in(&Site::offer_item));
    r.post("/bourse-co-traitance/{id}/repondre", signed_in(&Site::offer_answer), {31 * 1024 * 1024 + 64 * 1024});
    r.post("/bourse-co-traitance/{id}/{action}", signed_in(&Site::offer_close));
    r.post("/signaler/{kind}/{id}",
           limited(needing(Action::kViewOwnSpace), "signed-in", per_person("report", 10, 3600), &Site::content_report));
    r.get("/mon-espace/messages", signed_in(&Site::messages_page));
    r.get("/mon-espace/messages/pieces-jointes/{id}", signed_in(&Site::attachment_download));
    r.get("/mon-espace/messages/{id}", signed_in(&Site::conversation_page));
    r.post("/mon-espace/messages/{id}", signed_in(&Site::conversation_post), {31 * 1024 * 1024 + 64 * 1024});
    r.post("/mon-espace/messages/{id}/groupement", signed_in(&Site::consortium_form));
    r.get("/mon-espace/groupements", signed_in(&Site::consortia_page));
    r.get("/mon-espace/groupements/documents/{id}", signed_in(&Site::consortium_document));
    r.get("/mon-espace/groupements/{id}", signed_in(&Site::consortium_page));
    r.post("/mon-espace/groupements/{id}/membres/{org}", signed_in(&Site::consortium_member));
    r.post("/mon-espace/groupements/{id}/liste/{item}", signed_in(&Site::consortium_check));
    r.post("/mon-espace/groupements/{id}/{action}", signed_in(&Site::consortium_action),
           {51 * 1024 * 1024 + 64 * 1024});
    r.get("/mon-espace/signalements", signed_in(&Site::moderation_page));
    r.post("/mon-espace/signalements/{id}/{action}", signed_in(&Site::moderation_decide));
    r.get("/consultations/{id}/documents/{document}", signed_in(&Site::notice_document));

    // Matchmaking events.
    r.get("/evenements", anyone(&Site::event_list));
    r.get("/evenements/{id}", anyone(&Site::event_page));
    r.post("/evenements/{id}/inscription", signed_in(&Site::event_register));
    r.post("/evenements/{id}/desinscription", signed_in(&Site::event_unregister));
    r.get("/mon-espace/evenements", signed_in(&Site::events_mine));
    r.get("/mon-espace/evenements/nouveau", organiser(Action::kManageEvents, &Site::event_new_form));
    r.post("/mon-espace/evenements/nouveau", signed_in(&Site::event_create));
    r.get("/mon-espace/evenements/{id}/modifier", organiser(Action::kManageEvents, &Site::event_edit_form));
    r.post("/mon-espace/evenements/{id}/modifier", signed_in(&Site::event_update));
    r.post("/mon-espace/evenements/{id}/statut/{action}", signed_in(&Site::event_transition));
    r.get("/mon-espace/evenements/{id}/inscrits", signed_in(&Site::event_registrants));
    r.get("/mon-espace/evenements/{id}/inscrits.csv",
          signed_in_fn([this](Ctx& c) { return event_registrants_export(c, false); }));
    r.get("/mon-espace/evenements/{id}/inscrits.xlsx",
          signed_in_fn([this](Ctx& c) { return event_registrants_export(c, true); }));
    r.post("/mon-espace/inscriptions/{id}/{action}", signed_in(&Site::registration_action));
    r.get("/mon-espace/evenements/{id}/rendez-vous", signed_in(&Site::event_meetings));
    r.post("/mon-espace/evenements/{id}/rendez-vous", signed_in(&Site::event_request));
    r.post("/mon-espace/evenements/{id}/disponibilites", signed_in(&Site::event_availability));
    r.post("/mon-espace/rendez-vous/{id}/{action}", signed_in(&Site::meeting_action));
    r.get("/mon-espace/evenements/{id}/demandes", signed_in(&Site::event_requests));
    r.post("/mon-espace/evenements/{id}/demandes", organiser(Action::kManageEvents, &Site::event_add_meeting));
    r.get("/mon-espace/evenements/{id}/planning", signed_in(&Site::event_schedule));
    r.post("/mon-espace/evenements/{id}/planning/{action}", signed_in(&Site::event_schedule_action));
    r.get("/mon-espace/evenements/{id}/tables", signed_in(&Site::event_tables));
    r.get("/mon-espace/evenements/{id}/agenda", signed_in(&Site::event_agenda));
    r.get("/mon-espace/evenements/{id}/agenda.ics", signed_in(&Site::event_agenda_ics));
    r.get("/mon-espace/evenements/{id}/qr.svg", signed_in(&Site::event_qr));
    r.get("/mon-espace/evenements/{id}/emargement", organiser(Action::kManageEvents, &Site::event_checkin));
    r.post("/mon-espace/evenements/{id}/emargement", signed_in(&Site::event_checkin_post));
    r.get("/mon-espace/evenements/{id}/bilan", signed_in(&Site::event_results));
    r.get("/mon-espace/evenements/{id}/bilan.json", signed_in(&Site::event_results_json));
    r.get("/mon-espace/evenements/{id}/bilan.csv",
          signed_in_fn([this](Ctx& c) { return event_results_export(c, false); }));
    r.get("/mon-espace/evenements/{id}/bilan.xlsx",
          signed_in_fn([this](Ctx& c) { return event_results_export(c, true); }));
    // The call for pitches (applications carry one file of 10 MB at most).
    r.get("/evenements/{id}/pitch", signed_in(&Site::pitch_form));
    r.post("/evenements/{id}/pitch", signed_in(&Site::pitch_apply), {11 * 1024 * 1024 + 64 * 1024});
    r.get("/mon-espace/evenements/{id}/pitchs", signed_in(&Site::pitch_board));
    r.post("/mon-espace/evenements/{id}/pitchs", signed_in(&Site::pitch_board_post));
    r.post("/mon-espace/evenements/{id}/pitchs/jury", signed_in(&Site::pitch_juror));
    r.post("/mon-espace/evenements/{id}/pitchs/jury/{user}/retirer", signed_in(&Site::pitch_juror_remove));
    r.post("/mon-espace/evenements/{id}/pitchs/decisions", signed_in(&Site::pitch_release));
    r.get("/mon-espace/evenements/{id}/jury", signed_in(&Site::pitch_jury));
    r.post("/mon-espace/pitchs/{id}/note", signed_in(&Site::pitch_review));
    r.get("/mon-espace/pitchs/{id}/fichier", signed_in(&Site::pitch_file));

    r.get("/admin/utilisateurs", administrator(&Site::admin_users));
    r.post("/admin/utilisateurs/{id}/roles", administrator(&Site::admin_set_roles));
    r.post("/admin/utilisateurs/{id}/double-authentification/reinitialiser",
           administrator(&Site::admin_second_factor_reset));
    r.get("/admin/revendications", administrator(&Site::admin_claims));
    r.get("/admin/organisations-d-agents", administrator(&Site::admin_agent_requests));
    r.get("/admin/acheteurs", administrator(&Site::admin_vetting));
    r.post("/admin/acheteurs/{id}/{action}", administrator(&Site::admin_vetting_decide));
    r.post("/admin/organisations/{id}/{action}", administrator(&Site::admin_org_suspend));
    r.post("/admin/retraits/{kind}/{id}/retablir", administrator(&Site::admin_withdrawal_reinstate));
    r.get("/admin/fournisseurs-identite", administrator(&Site::admin_identity_providers));
    r.post("/admin/organisations-d-agents/{id}/{action}", signed_in(&Site::admin_agent_request_decide));
    r.post("/admin/revendications/{org}/{user}/{decision}", administrator(&Site::admin_claim_decide));

    r.get("/api/v1/openapi.json", anyone_fn([this](Ctx&) { return http::Response::json(openapi_.dump(2)); }));
    r.get("/api/v1/organisations", anyone(&Site::api_organisations));
    r.get("/api/v1/organisations/{siret}", anyone(&Site::api_organisation));
    r.get("/api/v1/cpv", anyone(&Site::api_cpv));
    r.get("/api/v1/me", signed_in(&Site::api_me));
    r.get("/api/v1/roadmap-items", anyone(&Site::api_roadmap_items));
    r.get("/api/v1/roadmap-items/{id}", anyone(&Site::api_roadmap_item));
    r.get("/api/v1/search", limited(needing(Action::kViewPublic), "anyone", search_limit, &Site::api_search));
    r.get("/api/v1/notices", anyone(&Site::api_notices));
    r.get("/api/v1/notices/{id}", anyone(&Site::api_notice));
    r.post("/api/v1/notices",
           token(core::api_tokens::Scope::kPublishNotices, "token:notices", &Site::api_notice_create));
    r.get("/api/v1/events/{id}/registrations",
          token(core::api_tokens::Scope::kManageEvents, "token:events", &Site::api_event_registrations));
    r.post("/api/v1/events/{id}/registrations/{registration}",
           token(core::api_tokens::Scope::kManageEvents, "token:events", &Site::api_event_registration_decide));
}

}  // namespace passerelle::web
