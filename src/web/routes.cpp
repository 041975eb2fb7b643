// The route table of the site: every URL and the handler behind it.
#include "web/site.hpp"

namespace passerelle::web {

void Site::register_routes(http::Router& r) {
    auto w = [this](http::Response (Site::*fn)(Ctx&)) { return wrap([this, fn](Ctx& c) { return (this->*fn)(c); }); };
    // Routes whose access is declared here and enforced before the handler (see Site::guarded).
    auto signed_in = [this](http::Response (Site::*fn)(Ctx&)) {
        return guarded(Access::kSignedIn, [this, fn](Ctx& c) { return (this->*fn)(c); });
    };
    auto anyone = [this](http::Response (Site::*fn)(Ctx&)) {
        return guarded(Access::kAnyone, [this, fn](Ctx& c) { return (this->*fn)(c); });
    };
    auto administrator = [this](http::Response (Site::*fn)(Ctx&)) {
        return guarded(Access::kAdministrator, [this, fn](Ctx& c) { return (this->*fn)(c); });
    };

    r.get("/healthz", w(&Site::healthz));
    r.get("/static/{*path}", [this](http::Request& q) { return static_files_.serve(q, q.path_param("path")); });

    r.get("/", w(&Site::home));
    r.get("/accessibilite", wrap([this](Ctx& c) { return legal(c, "accessibilite"); }));
    r.get("/mentions-legales", wrap([this](Ctx& c) { return legal(c, "mentions-legales"); }));
    r.get("/donnees-personnelles", wrap([this](Ctx& c) { return legal(c, "donnees-personnelles"); }));
    r.get("/entreprises", wrap([this](Ctx& c) { return directory(c, "company"); }));
    r.get("/entreprises/{siret}", wrap([this](Ctx& c) { return org_page(c, "company"); }));
    r.get("/acheteurs", wrap([this](Ctx& c) { return directory(c, "buyer"); }));
    r.get("/acheteurs/{siret}", wrap([this](Ctx& c) { return org_page(c, "buyer"); }));
    r.post("/organisations/{id}/rejoindre", w(&Site::join_request));
    r.post("/organisations/{id}/revendiquer", w(&Site::org_claim));
    r.get("/cpv/suggestions", w(&Site::cpv_suggestions));
    r.get("/cpv/choix", w(&Site::cpv_choice));

    r.get("/actualites", w(&Site::news_list));
    r.get("/actualites.atom", w(&Site::news_atom));
    r.get("/actualites/{slug}", w(&Site::news_item));
    r.get("/actualites/{slug}/image", w(&Site::news_cover));
    r.get("/sitemap.xml", w(&Site::sitemap));
    r.get("/observatoire", w(&Site::observatory_page));
    r.get("/observatoire/{fichier}", w(&Site::observatory_download));
    r.get("/api/v1/observatoire", w(&Site::api_observatory));
    r.get("/api/v1/observatoire/{id}", w(&Site::api_observatory));
    r.get("/mon-espace/actualites", w(&Site::news_mine));
    r.get("/mon-espace/actualites/nouvelle", w(&Site::news_new_form));
    r.post("/mon-espace/actualites/nouvelle", w(&Site::news_create));
    r.post("/mon-espace/actualites/apercu", w(&Site::news_preview));
    r.get("/mon-espace/actualites/{id}/modifier", w(&Site::news_edit_form));
    r.post("/mon-espace/actualites/{id}/modifier", w(&Site::news_update));
    r.post("/mon-espace/actualites/{id}/{action}", w(&Site::news_action));

    r.get("/inscription", w(&Site::signup_form));
    r.post("/inscription", w(&Site::signup));
    r.get("/connexion", w(&Site::login_form));
    r.post("/connexion", w(&Site::login));
    r.post("/deconnexion", w(&Site::logout));
    r.get("/connexion/code", anyone(&Site::login_code_form));
    r.post("/connexion/code", anyone(&Site::login_code));
    r.get("/connexion/oidc/{provider}", w(&Site::oidc_begin));
    r.get("/connexion/oidc/{provider}/retour", w(&Site::oidc_return));
    r.get("/verifier-email", w(&Site::verify_email));
    r.post("/verifier-email/renvoyer", w(&Site::resend_verification));
    r.get("/mot-de-passe-oublie", w(&Site::forgot_form));
    r.post("/mot-de-passe-oublie", w(&Site::forgot));
    r.get("/reinitialiser-mot-de-passe", w(&Site::reset_form));
    r.post("/reinitialiser-mot-de-passe", w(&Site::reset));

    r.get("/mon-espace", w(&Site::dashboard));
    r.get("/mon-espace/mot-de-passe", w(&Site::change_password_form));
    r.post("/mon-espace/mot-de-passe", w(&Site::change_password));
    r.get("/mon-espace/sessions", signed_in(&Site::sessions_page));
    r.post("/mon-espace/confirmer", signed_in(&Site::confirm_identity));
    r.get("/mon-espace/double-authentification", signed_in(&Site::second_factor_page));
    r.post("/mon-espace/double-authentification", signed_in(&Site::second_factor_enable));
    r.post("/mon-espace/double-authentification/codes", signed_in(&Site::second_factor_codes));
    r.post("/mon-espace/double-authentification/desactiver", signed_in(&Site::second_factor_disable));
    r.post("/mon-espace/sessions/fermer-les-autres", signed_in(&Site::sessions_close_others));
    r.post("/mon-espace/sessions/{id}/fermer", signed_in(&Site::session_close));
    r.get("/mon-espace/organisations/nouvelle", w(&Site::org_new_form));
    r.post("/mon-espace/organisations/nouvelle", w(&Site::org_create));
    r.get("/mon-espace/organisations/{id}", w(&Site::org_manage));
    r.post("/mon-espace/organisations/{id}", w(&Site::org_update));
    r.post("/mon-espace/organisations/{id}/membres/{user}/{action}", w(&Site::member_action));
    r.post("/mon-espace/organisations/{id}/invitations", w(&Site::org_invite));
    r.get("/mon-espace/organisations/{id}/jetons", w(&Site::tokens_page));
    r.post("/mon-espace/organisations/{id}/jetons", w(&Site::token_create));
    r.post("/mon-espace/organisations/{id}/jetons/{token}/revoquer", w(&Site::token_revoke));
    r.get("/invitations/accepter", w(&Site::invitation_form));
    r.post("/invitations/accepter", w(&Site::invitation_accept));

    r.get("/feuilles-de-route", w(&Site::roadmap_list));
    r.get("/feuilles-de-route/{id}", w(&Site::roadmap_item));
    r.post("/feuilles-de-route/{id}/interet", w(&Site::roadmap_interest));
    r.post("/feuilles-de-route/{id}/interet/retirer", w(&Site::roadmap_interest_withdraw));
    r.get("/mon-espace/feuilles-de-route", w(&Site::roadmap_mine));
    r.get("/mon-espace/feuilles-de-route/nouveau", w(&Site::roadmap_new_form));
    r.post("/mon-espace/feuilles-de-route/nouveau", w(&Site::roadmap_create));
    r.get("/mon-espace/feuilles-de-route/{id}/modifier", w(&Site::roadmap_edit_form));
    r.post("/mon-espace/feuilles-de-route/{id}/modifier", w(&Site::roadmap_update));
    r.post("/mon-espace/feuilles-de-route/{id}/{action}", w(&Site::roadmap_transition));
    r.post("/mon-espace/organisations/{id}/feuille-de-route/publier", w(&Site::roadmap_publish_all));
    r.get("/mon-espace/feuilles-de-route/{id}/interesses", w(&Site::roadmap_interested));
    r.get("/mon-espace/feuilles-de-route/{id}/interesses.csv", w(&Site::roadmap_interested_csv));

    r.get("/recherche", w(&Site::search_page));
    r.post("/recherche/sauvegarder", w(&Site::search_save));
    r.get("/mon-espace/alertes", w(&Site::alerts_page));
    r.post("/mon-espace/alertes/{id}/supprimer", w(&Site::alert_delete));
    r.get("/alertes/desabonnement", w(&Site::alert_unsubscribe_form));
    r.post("/alertes/desabonnement", w(&Site::alert_unsubscribe));
    r.get("/alertes/{feed}", w(&Site::alert_feed));
    r.get("/marches-attribues", w(&Site::contract_list));
    r.get("/marches-attribues.csv", w(&Site::contract_csv), {.heavy = true});
    r.get("/marches-attribues/{id}", w(&Site::contract_item));
    r.post("/marches-attribues/{id}/clauses", w(&Site::clause_add));
    r.get("/marches-attribues/{id}/clauses/{clause}/heures", w(&Site::declare_form));
    r.post("/marches-attribues/{id}/clauses/{clause}/heures", w(&Site::declare));
    r.post("/marches-attribues/{id}/sous-traitants", w(&Site::subcontractor_add));
    r.post("/marches-attribues/{id}/sous-traitants/{org}/retirer", w(&Site::subcontractor_remove));
    r.get("/mon-espace/clauses", w(&Site::clauses_space));
    r.get("/mon-espace/clauses/bilan", wrap([this](Ctx& c) { return clauses_report(c, false); }));
    r.get("/mon-espace/clauses/bilan.xlsx", wrap([this](Ctx& c) { return clauses_report(c, true); }));
    r.get("/mon-espace/clauses/parametres", w(&Site::clause_parameters));
    r.post("/mon-espace/clauses/parametres", w(&Site::clause_parameters));
    r.get("/mon-espace/clauses/estimation", w(&Site::clause_estimate));
    r.get("/mon-espace/clauses/declarations/{id}", w(&Site::declaration_page));
    r.post("/mon-espace/clauses/declarations/{id}/examen", w(&Site::declaration_review));
    r.post("/mon-espace/clauses/declarations/{id}/correction", w(&Site::declaration_correct));
    r.get("/mon-espace/clauses/{clause}/modifier", w(&Site::clause_edit_form));
    r.post("/mon-espace/clauses/{clause}/modifier", w(&Site::clause_update));
    r.post("/mon-espace/clauses/{clause}/supprimer", w(&Site::clause_remove));
    r.get("/consultations", w(&Site::notice_list));
    r.get("/consultations.csv", w(&Site::notice_csv), {.heavy = true});
    r.get("/consultations/{id}", w(&Site::notice_item));
    r.get("/consultations/externes/{id}", w(&Site::external_item));
    r.post("/consultations/{id}/suivi", w(&Site::notice_follow));
    r.post("/consultations/{id}/questions", w(&Site::notice_ask));
    r.post("/mon-espace/consultations/{id}/questions/{question}/reponse", w(&Site::notice_answer));
    r.get("/mon-espace/consultations", w(&Site::notice_mine));
    r.get("/mon-espace/consultations/nouvelle", w(&Site::notice_new_form));
    r.post("/mon-espace/consultations/nouvelle", w(&Site::notice_create));
    r.get("/mon-espace/consultations/{id}/modifier", w(&Site::notice_edit_form));
    r.post("/mon-espace/consultations/{id}/modifier", w(&Site::notice_update));
    r.post("/mon-espace/consultations/{id}/{action}", w(&Site::notice_transition));
    // Tender documents: up to 50 MiB a file (the multipart envelope adds a little).
    r.post("/mon-espace/consultations/{id}/documents", w(&Site::notice_upload), {51 * 1024 * 1024 + 64 * 1024});
    r.get("/mon-espace/consultations/{id}/retraits", w(&Site::notice_downloads));
    r.get("/mon-espace/consultations/{id}/attribution", w(&Site::notice_award_form));
    r.post("/mon-espace/consultations/{id}/attribution", w(&Site::notice_award));
    r.get("/mon-espace/sourcing", w(&Site::sourcing_page));
    r.get("/admin/journal", w(&Site::admin_audit));
    r.get("/admin/journal.csv", w(&Site::admin_audit_csv));

    // The co-contracting exchange. Messages carry up to 3 attachments of 10 MB; consortium documents 50 MB.
    r.post("/consultations/{id}/bourse", w(&Site::offer_publish));
    r.get("/bourse-co-traitance", w(&Site::offer_list));
    r.get("/bourse-co-traitance/{id}", w(&Site::offer_item));
    r.post("/bourse-co-traitance/{id}/repondre", w(&Site::offer_answer), {31 * 1024 * 1024 + 64 * 1024});
    r.post("/bourse-co-traitance/{id}/{action}", w(&Site::offer_close));
    r.post("/signaler/{kind}/{id}", w(&Site::content_report));
    r.get("/mon-espace/messages", w(&Site::messages_page));
    r.get("/mon-espace/messages/pieces-jointes/{id}", w(&Site::attachment_download));
    r.get("/mon-espace/messages/{id}", w(&Site::conversation_page));
    r.post("/mon-espace/messages/{id}", w(&Site::conversation_post), {31 * 1024 * 1024 + 64 * 1024});
    r.post("/mon-espace/messages/{id}/groupement", w(&Site::consortium_form));
    r.get("/mon-espace/groupements", w(&Site::consortia_page));
    r.get("/mon-espace/groupements/documents/{id}", w(&Site::consortium_document));
    r.get("/mon-espace/groupements/{id}", w(&Site::consortium_page));
    r.post("/mon-espace/groupements/{id}/membres/{org}", w(&Site::consortium_member));
    r.post("/mon-espace/groupements/{id}/liste/{item}", w(&Site::consortium_check));
    r.post("/mon-espace/groupements/{id}/{action}", w(&Site::consortium_action), {51 * 1024 * 1024 + 64 * 1024});
    r.get("/mon-espace/signalements", w(&Site::moderation_page));
    r.post("/mon-espace/signalements/{id}/{action}", w(&Site::moderation_decide));
    r.get("/consultations/{id}/documents/{document}", w(&Site::notice_document));

    // Matchmaking events.
    r.get("/evenements", w(&Site::event_list));
    r.get("/evenements/{id}", w(&Site::event_page));
    r.post("/evenements/{id}/inscription", w(&Site::event_register));
    r.post("/evenements/{id}/desinscription", w(&Site::event_unregister));
    r.get("/mon-espace/evenements", w(&Site::events_mine));
    r.get("/mon-espace/evenements/nouveau", w(&Site::event_new_form));
    r.post("/mon-espace/evenements/nouveau", w(&Site::event_create));
    r.get("/mon-espace/evenements/{id}/modifier", w(&Site::event_edit_form));
    r.post("/mon-espace/evenements/{id}/modifier", w(&Site::event_update));
    r.post("/mon-espace/evenements/{id}/statut/{action}", w(&Site::event_transition));
    r.get("/mon-espace/evenements/{id}/inscrits", w(&Site::event_registrants));
    r.get("/mon-espace/evenements/{id}/inscrits.csv",
          wrap([this](Ctx& c) { return event_registrants_export(c, false); }));
    r.get("/mon-espace/evenements/{id}/inscrits.xlsx",
          wrap([this](Ctx& c) { return event_registrants_export(c, true); }));
    r.post("/mon-espace/inscriptions/{id}/{action}", w(&Site::registration_action));
    r.get("/mon-espace/evenements/{id}/rendez-vous", w(&Site::event_meetings));
    r.post("/mon-espace/evenements/{id}/rendez-vous", w(&Site::event_request));
    r.post("/mon-espace/evenements/{id}/disponibilites", w(&Site::event_availability));
    r.post("/mon-espace/rendez-vous/{id}/{action}", w(&Site::meeting_action));
    r.get("/mon-espace/evenements/{id}/demandes", w(&Site::event_requests));
    r.post("/mon-espace/evenements/{id}/demandes", w(&Site::event_add_meeting));
    r.get("/mon-espace/evenements/{id}/planning", w(&Site::event_schedule));
    r.post("/mon-espace/evenements/{id}/planning/{action}", w(&Site::event_schedule_action));
    r.get("/mon-espace/evenements/{id}/tables", w(&Site::event_tables));
    r.get("/mon-espace/evenements/{id}/agenda", w(&Site::event_agenda));
    r.get("/mon-espace/evenements/{id}/agenda.ics", w(&Site::event_agenda_ics));
    r.get("/mon-espace/evenements/{id}/qr.svg", w(&Site::event_qr));
    r.get("/mon-espace/evenements/{id}/emargement", w(&Site::event_checkin));
    r.post("/mon-espace/evenements/{id}/emargement", w(&Site::event_checkin_post));
    r.get("/mon-espace/evenements/{id}/bilan", w(&Site::event_results));
    r.get("/mon-espace/evenements/{id}/bilan.json", w(&Site::event_results_json));
    r.get("/mon-espace/evenements/{id}/bilan.csv", wrap([this](Ctx& c) { return event_results_export(c, false); }));
    r.get("/mon-espace/evenements/{id}/bilan.xlsx", wrap([this](Ctx& c) { return event_results_export(c, true); }));
    // The call for pitches (applications carry one file of 10 MB at most).
    r.get("/evenements/{id}/pitch", w(&Site::pitch_form));
    r.post("/evenements/{id}/pitch", w(&Site::pitch_apply), {11 * 1024 * 1024 + 64 * 1024});
    r.get("/mon-espace/evenements/{id}/pitchs", w(&Site::pitch_board));
    r.post("/mon-espace/evenements/{id}/pitchs", w(&Site::pitch_board_post));
    r.post("/mon-espace/evenements/{id}/pitchs/jury", w(&Site::pitch_juror));
    r.post("/mon-espace/evenements/{id}/pitchs/jury/{user}/retirer", w(&Site::pitch_juror_remove));
    r.post("/mon-espace/evenements/{id}/pitchs/decisions", w(&Site::pitch_release));
    r.get("/mon-espace/evenements/{id}/jury", w(&Site::pitch_jury));
    r.post("/mon-espace/pitchs/{id}/note", w(&Site::pitch_review));
    r.get("/mon-espace/pitchs/{id}/fichier", w(&Site::pitch_file));

    r.get("/admin/utilisateurs", w(&Site::admin_users));
    r.post("/admin/utilisateurs/{id}/roles", w(&Site::admin_set_roles));
    r.post("/admin/utilisateurs/{id}/double-authentification/reinitialiser",
           administrator(&Site::admin_second_factor_reset));
    r.get("/admin/revendications", w(&Site::admin_claims));
    r.get("/admin/organisations-d-agents", w(&Site::admin_agent_requests));
    r.get("/admin/acheteurs", administrator(&Site::admin_vetting));
    r.post("/admin/acheteurs/{id}/{action}", administrator(&Site::admin_vetting_decide));
    r.post("/admin/organisations/{id}/{action}", administrator(&Site::admin_org_suspend));
    r.post("/admin/retraits/{kind}/{id}/retablir", administrator(&Site::admin_withdrawal_reinstate));
    r.get("/admin/fournisseurs-identite", w(&Site::admin_identity_providers));
    r.post("/admin/organisations-d-agents/{id}/{action}", w(&Site::admin_agent_request_decide));
    r.post("/admin/revendications/{org}/{user}/{decision}", w(&Site::admin_claim_decide));

    r.get("/api/v1/openapi.json", wrap([this](Ctx&) { return http::Response::json(openapi_.dump(2)); }));
    r.get("/api/v1/organisations", w(&Site::api_organisations));
    r.get("/api/v1/organisations/{siret}", w(&Site::api_organisation));
    r.get("/api/v1/cpv", w(&Site::api_cpv));
    r.get("/api/v1/me", w(&Site::api_me));
    r.get("/api/v1/roadmap-items", w(&Site::api_roadmap_items));
    r.get("/api/v1/roadmap-items/{id}", w(&Site::api_roadmap_item));
    r.get("/api/v1/search", w(&Site::api_search));
    r.get("/api/v1/notices", w(&Site::api_notices));
    r.get("/api/v1/notices/{id}", w(&Site::api_notice));
    r.post("/api/v1/notices", w(&Site::api_notice_create));
    r.get("/api/v1/events/{id}/registrations", w(&Site::api_event_registrations));
    r.post("/api/v1/events/{id}/registrations/{registration}", w(&Site::api_event_registration_decide));
}

}  // namespace passerelle::web
