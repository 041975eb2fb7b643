// Authorisation holds everywhere: every route of the router, asked by every role, answers as the policy
// table below says. A route missing from the table fails the test, so a new route needs its entry.
//
// Roles (demo data): a visitor; a company member (Atelier Vert, org 9); a buyer agent (Seine-Saint-Denis,
// org 3, which owns notice 2 and roadmap item 3); the organiser (organiser role, agent of the GIP, a buyer);
// the platform administrator (no organisation). Allowed roles must get neither 403 nor the login page;
// the others get 403 (or 404 / 400 when the resource is hidden or the request refused before), the visitor
// the login page (303 to /connexion, or 401 from the API). POSTs carry a valid CSRF token and an empty or
// harmless form, so that they reach the policy check.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "tests/http/harness.hpp"

using namespace passerelle::testing;

namespace {

struct Entry {
    std::string path;     // the concrete path asked
    std::string allowed;  // "*": everyone; "u": any logged-in user; "t": API tokens only; else letters c, b, o, a
};

// "METHOD pattern" -> what is asked and who may.
const std::map<std::string, Entry>& table() {
    static const std::map<std::string, Entry> t = {
        {"GET /healthz", {"/healthz", "*"}},
        {"GET /static/{*path}", {"/static/css/theme.css", "*"}},
        {"GET /", {"/", "*"}},
        {"GET /accessibilite", {"/accessibilite", "*"}},
        {"GET /mentions-legales", {"/mentions-legales", "*"}},
        {"GET /donnees-personnelles", {"/donnees-personnelles", "*"}},
        {"GET /entreprises", {"/entreprises", "*"}},
        {"GET /entreprises/{siret}", {"/entreprises/31611247300038", "*"}},
        {"GET /acheteurs", {"/acheteurs", "*"}},
        {"GET /acheteurs/{siret}", {"/acheteurs/21590163800019", "*"}},
        {"POST /organisations/{id}/rejoindre", {"/organisations/9/rejoindre", "u"}},
        {"POST /organisations/{id}/revendiquer", {"/organisations/9/revendiquer", "u"}},
        {"GET /cpv/suggestions", {"/cpv/suggestions?q=nettoyage", "*"}},
        {"GET /cpv/choix", {"/cpv/choix?code=90000000", "*"}},
        {"GET /inscription", {"/inscription", "*"}},
        {"POST /inscription", {"/inscription", "*"}},
        {"GET /connexion", {"/connexion", "*"}},
        {"POST /connexion", {"/connexion", "*"}},
        {"POST /deconnexion", {"/deconnexion", "*"}},
        {"GET /connexion/code", {"/connexion/code", "*"}},
        {"POST /connexion/code", {"/connexion/code", "*"}},
        {"GET /connexion/oidc/{provider}", {"/connexion/oidc/inconnu", "*"}},
        {"GET /connexion/oidc/{provider}/retour", {"/connexion/oidc/inconnu/retour?code=x&state=y", "*"}},
        {"GET /verifier-email", {"/verifier-email?jeton=inconnu", "*"}},
        {"POST /verifier-email/renvoyer", {"/verifier-email/renvoyer", "u"}},
        {"GET /mot-de-passe-oublie", {"/mot-de-passe-oublie", "*"}},
        {"POST /mot-de-passe-oublie", {"/mot-de-passe-oublie", "*"}},
        {"GET /reinitialiser-mot-de-passe", {"/reinitialiser-mot-de-passe?jeton=inconnu", "*"}},
        {"POST /reinitialiser-mot-de-passe", {"/reinitialiser-mot-de-passe", "*"}},
        {"GET /mon-espace", {"/mon-espace", "u"}},
        {"GET /mon-espace/mot-de-passe", {"/mon-espace/mot-de-passe", "u"}},
        {"POST /mon-espace/mot-de-passe", {"/mon-espace/mot-de-passe", "u"}},
        {"GET /mon-espace/sessions", {"/mon-espace/sessions", "u"}},
        {"POST /mon-espace/confirmer", {"/mon-espace/confirmer", "u"}},
        {"GET /mon-espace/double-authentification", {"/mon-espace/double-authentification", "u"}},
        {"POST /mon-espace/double-authentification", {"/mon-espace/double-authentification", "u"}},
        {"POST /mon-espace/double-authentification/codes", {"/mon-espace/double-authentification/codes", "u"}},
        {"GET /mon-espace/double-authentification/codes", {"/mon-espace/double-authentification/codes", "u"}},
        {"POST /mon-espace/double-authentification/desactiver",
         {"/mon-espace/double-authentification/desactiver", "u"}},
        {"POST /mon-espace/sessions/fermer-les-autres", {"/mon-espace/sessions/fermer-les-autres", "u"}},
        {"POST /mon-espace/sessions/{id}/fermer", {"/mon-espace/sessions/0000000000000000/fermer", "u"}},
        {"GET /mon-espace/organisations/nouvelle", {"/mon-espace/organisations/nouvelle", "u"}},
        {"POST /mon-espace/organisations/nouvelle", {"/mon-espace/organisations/nouvelle", "u"}},
        {"GET /mon-espace/organisations/{id}", {"/mon-espace/organisations/3", "ba"}},
        {"POST /mon-espace/organisations/{id}", {"/mon-espace/organisations/3", "ba"}},
        {"POST /mon-espace/organisations/{id}/membres/{user}/{action}",
         {"/mon-espace/organisations/3/membres/6/retirer", "ba"}},
        {"POST /mon-espace/organisations/{id}/invitations", {"/mon-espace/organisations/3/invitations", "ba"}},
        {"GET /mon-espace/organisations/{id}/jetons", {"/mon-espace/organisations/3/jetons", "ba"}},
        {"POST /mon-espace/organisations/{id}/jetons", {"/mon-espace/organisations/3/jetons", "b"}},
        {"POST /mon-espace/organisations/{id}/jetons/{token}/revoquer",
         {"/mon-espace/organisations/3/jetons/999/revoquer", "ba"}},
        {"GET /invitations/accepter", {"/invitations/accepter?jeton=inconnu", "u"}},
        {"POST /invitations/accepter", {"/invitations/accepter", "u"}},
        {"GET /feuilles-de-route", {"/feuilles-de-route", "*"}},
        {"GET /feuilles-de-route/{id}", {"/feuilles-de-route/3", "*"}},
        {"POST /feuilles-de-route/{id}/interet", {"/feuilles-de-route/3/interet", "c"}},
        {"POST /feuilles-de-route/{id}/interet/retirer", {"/feuilles-de-route/3/interet/retirer", "c"}},
        {"GET /mon-espace/feuilles-de-route", {"/mon-espace/feuilles-de-route", "u"}},
        {"GET /mon-espace/feuilles-de-route/nouveau", {"/mon-espace/feuilles-de-route/nouveau?org=3", "b"}},
        {"POST /mon-espace/feuilles-de-route/nouveau", {"/mon-espace/feuilles-de-route/nouveau?org=3", "b"}},
        {"GET /mon-espace/feuilles-de-route/{id}/modifier", {"/mon-espace/feuilles-de-route/3/modifier", "b"}},
        {"POST /mon-espace/feuilles-de-route/{id}/modifier", {"/mon-espace/feuilles-de-route/3/modifier", "b"}},
        {"POST /mon-espace/feuilles-de-route/{id}/{action}", {"/mon-espace/feuilles-de-route/3/publier", "b"}},
        {"POST /mon-espace/organisations/{id}/feuille-de-route/publier",
         {"/mon-espace/organisations/3/feuille-de-route/publier", "b"}},
        {"GET /mon-espace/feuilles-de-route/{id}/interesses", {"/mon-espace/feuilles-de-route/3/interesses", "ba"}},
        {"GET /mon-espace/feuilles-de-route/{id}/interesses.csv",
         {"/mon-espace/feuilles-de-route/3/interesses.csv", "ba"}},
        {"GET /recherche", {"/recherche?q=nettoyage", "*"}},
        {"POST /recherche/sauvegarder", {"/recherche/sauvegarder", "u"}},
        {"GET /mon-espace/alertes", {"/mon-espace/alertes", "u"}},
        {"POST /mon-espace/alertes/{id}/supprimer", {"/mon-espace/alertes/999/supprimer", "u"}},
        {"GET /alertes/desabonnement", {"/alertes/desabonnement?jeton=inconnu", "*"}},
        {"POST /alertes/desabonnement", {"/alertes/desabonnement", "*"}},
        {"GET /alertes/{feed}", {"/alertes/inconnu", "*"}},
        {"GET /marches-attribues", {"/marches-attribues", "*"}},
        {"GET /marches-attribues.csv", {"/marches-attribues.csv", "*"}},
        {"GET /marches-attribues/{id}", {"/marches-attribues/1", "*"}},
        {"GET /consultations", {"/consultations", "*"}},
        {"GET /consultations.csv", {"/consultations.csv", "*"}},
        {"GET /consultations/{id}", {"/consultations/2", "*"}},
        {"GET /consultations/externes/{id}", {"/consultations/externes/1", "*"}},
        {"POST /consultations/{id}/suivi", {"/consultations/2/suivi", "u"}},
        {"POST /consultations/{id}/questions", {"/consultations/2/questions", "c"}},
        {"POST /mon-espace/consultations/{id}/questions/{question}/reponse",
         {"/mon-espace/consultations/2/questions/999/reponse", "b"}},
        {"GET /mon-espace/consultations", {"/mon-espace/consultations", "u"}},
        {"GET /mon-espace/consultations/nouvelle", {"/mon-espace/consultations/nouvelle?org=3", "b"}},
        {"POST /mon-espace/consultations/nouvelle", {"/mon-espace/consultations/nouvelle?org=3", "b"}},
        {"GET /mon-espace/consultations/{id}/modifier", {"/mon-espace/consultations/2/modifier", "b"}},
        {"POST /mon-espace/consultations/{id}/modifier", {"/mon-espace/consultations/2/modifier", "b"}},
        {"POST /mon-espace/consultations/{id}/{action}", {"/mon-espace/consultations/2/publier", "b"}},
        {"POST /mon-espace/consultations/{id}/documents", {"/mon-espace/consultations/2/documents", "b"}},
        {"GET /mon-espace/consultations/{id}/retraits", {"/mon-espace/consultations/2/retraits", "b"}},
        {"GET /mon-espace/consultations/{id}/attribution", {"/mon-espace/consultations/2/attribution", "b"}},
        {"POST /mon-espace/consultations/{id}/attribution", {"/mon-espace/consultations/2/attribution", "b"}},
        {"GET /mon-espace/sourcing", {"/mon-espace/sourcing?cpv_codes=90000000", "boa"}},
        {"POST /consultations/{id}/bourse", {"/consultations/2/bourse", "c"}},
        {"GET /bourse-co-traitance", {"/bourse-co-traitance", "coa"}},
        {"GET /bourse-co-traitance/{id}", {"/bourse-co-traitance/999", "coa"}},
        {"POST /bourse-co-traitance/{id}/repondre", {"/bourse-co-traitance/999/repondre", "c"}},
        {"POST /bourse-co-traitance/{id}/{action}", {"/bourse-co-traitance/999/trouve", "coa"}},
        {"POST /signaler/{kind}/{id}", {"/signaler/message/999", "u"}},
        {"GET /mon-espace/messages", {"/mon-espace/messages", "u"}},
        {"GET /mon-espace/messages/pieces-jointes/{id}", {"/mon-espace/messages/pieces-jointes/999", "u"}},
        {"GET /mon-espace/messages/{id}", {"/mon-espace/messages/999", "u"}},
        {"POST /mon-espace/messages/{id}", {"/mon-espace/messages/999", "u"}},
        {"POST /mon-espace/messages/{id}/groupement", {"/mon-espace/messages/999/groupement", "u"}},
        {"GET /mon-espace/groupements", {"/mon-espace/groupements", "u"}},
        {"GET /mon-espace/groupements/documents/{id}", {"/mon-espace/groupements/documents/999", "u"}},
        {"GET /mon-espace/groupements/{id}", {"/mon-espace/groupements/999", "u"}},
        {"POST /mon-espace/groupements/{id}/membres/{org}", {"/mon-espace/groupements/999/membres/9", "u"}},
        {"POST /mon-espace/groupements/{id}/liste/{item}", {"/mon-espace/groupements/999/liste/1", "u"}},
        {"POST /mon-espace/groupements/{id}/{action}", {"/mon-espace/groupements/999/accepter", "u"}},
        {"GET /mon-espace/signalements", {"/mon-espace/signalements", "oa"}},
        {"POST /mon-espace/signalements/{id}/{action}", {"/mon-espace/signalements/999/classer", "oa"}},
        {"GET /consultations/{id}/documents/{document}", {"/consultations/2/documents/999", "u"}},
        {"GET /actualites", {"/actualites?tag=siae", "*"}},
        {"GET /actualites.atom", {"/actualites.atom", "*"}},
        {"GET /actualites/{slug}", {"/actualites/clauses-sociales-bilan-annuel", "*"}},
        {"GET /actualites/{slug}/image", {"/actualites/clauses-sociales-bilan-annuel/image", "*"}},
        {"GET /sitemap.xml", {"/sitemap.xml", "*"}},
        {"POST /marches-attribues/{id}/clauses", {"/marches-attribues/1/clauses", "a"}},
        {"GET /marches-attribues/{id}/clauses/{clause}/heures", {"/marches-attribues/1/clauses/1/heures", "ca"}},
        {"POST /marches-attribues/{id}/clauses/{clause}/heures", {"/marches-attribues/1/clauses/1/heures", "ca"}},
        {"POST /marches-attribues/{id}/sous-traitants", {"/marches-attribues/1/sous-traitants", "ca"}},
        {"POST /marches-attribues/{id}/sous-traitants/{org}/retirer",
         {"/marches-attribues/1/sous-traitants/999/retirer", "ca"}},
        {"GET /mon-espace/clauses", {"/mon-espace/clauses", "u"}},
        {"GET /mon-espace/clauses/bilan", {"/mon-espace/clauses/bilan?acheteur=3", "ba"}},
        {"GET /mon-espace/clauses/bilan.xlsx", {"/mon-espace/clauses/bilan.xlsx?acheteur=3", "ba"}},
        {"GET /mon-espace/clauses/parametres", {"/mon-espace/clauses/parametres", "a"}},
        {"POST /mon-espace/clauses/parametres", {"/mon-espace/clauses/parametres", "a"}},
        {"GET /mon-espace/clauses/estimation",
         {"/mon-espace/clauses/estimation?lot_cpv=90910000&lot_amount=300000", "boa"}},
        {"GET /mon-espace/clauses/declarations/{id}", {"/mon-espace/clauses/declarations/2", "ca"}},
        {"POST /mon-espace/clauses/declarations/{id}/examen", {"/mon-espace/clauses/declarations/2/examen", "a"}},
        {"POST /mon-espace/clauses/declarations/{id}/correction",
         {"/mon-espace/clauses/declarations/2/correction", "ca"}},
        {"GET /mon-espace/clauses/{clause}/modifier", {"/mon-espace/clauses/1/modifier", "a"}},
        {"POST /mon-espace/clauses/{clause}/modifier", {"/mon-espace/clauses/1/modifier", "a"}},
        {"POST /mon-espace/clauses/{clause}/supprimer", {"/mon-espace/clauses/2/supprimer", "a"}},
        {"GET /observatoire", {"/observatoire?annee=2026", "*"}},
        {"GET /observatoire/{fichier}", {"/observatoire/titulaires-par-taille.csv", "*"}},
        {"GET /api/v1/observatoire", {"/api/v1/observatoire", "*"}},
        {"GET /api/v1/observatoire/{id}", {"/api/v1/observatoire/heures-insertion", "*"}},
        {"GET /mon-espace/actualites", {"/mon-espace/actualites", "oa"}},
        {"GET /mon-espace/actualites/nouvelle", {"/mon-espace/actualites/nouvelle", "oa"}},
        {"POST /mon-espace/actualites/nouvelle", {"/mon-espace/actualites/nouvelle", "oa"}},
        {"POST /mon-espace/actualites/apercu", {"/mon-espace/actualites/apercu", "oa"}},
        {"GET /mon-espace/actualites/{id}/modifier", {"/mon-espace/actualites/1/modifier", "oa"}},
        {"POST /mon-espace/actualites/{id}/modifier", {"/mon-espace/actualites/1/modifier", "oa"}},
        {"POST /mon-espace/actualites/{id}/{action}", {"/mon-espace/actualites/3/depublier", "oa"}},
        {"GET /evenements", {"/evenements", "*"}},
        {"GET /evenements/{id}", {"/evenements/1", "*"}},
        {"POST /evenements/{id}/inscription", {"/evenements/1/inscription", "u"}},
        {"POST /evenements/{id}/desinscription", {"/evenements/999/desinscription", "u"}},
        {"GET /mon-espace/evenements", {"/mon-espace/evenements", "u"}},
        {"GET /mon-espace/evenements/nouveau", {"/mon-espace/evenements/nouveau", "oa"}},
        {"POST /mon-espace/evenements/nouveau", {"/mon-espace/evenements/nouveau", "oa"}},
        {"GET /mon-espace/evenements/{id}/modifier", {"/mon-espace/evenements/1/modifier", "oa"}},
        {"POST /mon-espace/evenements/{id}/modifier", {"/mon-espace/evenements/1/modifier", "oa"}},
        {"POST /mon-espace/evenements/{id}/statut/{action}", {"/mon-espace/evenements/1/statut/publier", "oa"}},
        {"GET /mon-espace/evenements/{id}/inscrits", {"/mon-espace/evenements/1/inscrits", "oa"}},
        {"GET /mon-espace/evenements/{id}/inscrits.csv", {"/mon-espace/evenements/1/inscrits.csv", "oa"}},
        {"GET /mon-espace/evenements/{id}/inscrits.xlsx", {"/mon-espace/evenements/1/inscrits.xlsx", "oa"}},
        {"POST /mon-espace/inscriptions/{id}/{action}", {"/mon-espace/inscriptions/999/valider", "oa"}},
        {"GET /mon-espace/evenements/{id}/rendez-vous", {"/mon-espace/evenements/1/rendez-vous?organisation=9", "coa"}},
        {"POST /mon-espace/evenements/{id}/rendez-vous", {"/mon-espace/evenements/1/rendez-vous", "u"}},
        {"POST /mon-espace/evenements/{id}/disponibilites", {"/mon-espace/evenements/1/disponibilites", "u"}},
        {"POST /mon-espace/rendez-vous/{id}/{action}", {"/mon-espace/rendez-vous/999/accepter", "u"}},
        {"GET /mon-espace/evenements/{id}/demandes", {"/mon-espace/evenements/1/demandes", "oa"}},
        {"POST /mon-espace/evenements/{id}/demandes", {"/mon-espace/evenements/1/demandes", "oa"}},
        {"GET /mon-espace/evenements/{id}/planning", {"/mon-espace/evenements/1/planning", "oa"}},
        {"POST /mon-espace/evenements/{id}/planning/{action}", {"/mon-espace/evenements/1/planning/publier", "oa"}},
        {"GET /mon-espace/evenements/{id}/tables", {"/mon-espace/evenements/1/tables", "oa"}},
        {"GET /mon-espace/evenements/{id}/agenda", {"/mon-espace/evenements/1/agenda?organisation=9", "coa"}},
        {"GET /mon-espace/evenements/{id}/agenda.ics", {"/mon-espace/evenements/1/agenda.ics?organisation=9", "coa"}},
        {"GET /mon-espace/evenements/{id}/qr.svg", {"/mon-espace/evenements/1/qr.svg", "u"}},
        {"GET /mon-espace/evenements/{id}/emargement", {"/mon-espace/evenements/1/emargement", "oa"}},
        {"POST /mon-espace/evenements/{id}/emargement", {"/mon-espace/evenements/1/emargement", "oa"}},
        {"GET /mon-espace/evenements/{id}/bilan", {"/mon-espace/evenements/1/bilan", "oa"}},
        {"GET /mon-espace/evenements/{id}/bilan.json", {"/mon-espace/evenements/1/bilan.json", "oa"}},
        {"GET /mon-espace/evenements/{id}/bilan.csv", {"/mon-espace/evenements/1/bilan.csv", "oa"}},
        {"GET /mon-espace/evenements/{id}/bilan.xlsx", {"/mon-espace/evenements/1/bilan.xlsx", "oa"}},
        {"GET /evenements/{id}/pitch", {"/evenements/1/pitch", "u"}},
        {"POST /evenements/{id}/pitch", {"/evenements/1/pitch", "u"}},
        {"GET /mon-espace/evenements/{id}/pitchs", {"/mon-espace/evenements/1/pitchs", "oa"}},
        {"POST /mon-espace/evenements/{id}/pitchs", {"/mon-espace/evenements/1/pitchs", "oa"}},
        {"POST /mon-espace/evenements/{id}/pitchs/jury", {"/mon-espace/evenements/1/pitchs/jury", "oa"}},
        {"POST /mon-espace/evenements/{id}/pitchs/jury/{user}/retirer",
         {"/mon-espace/evenements/1/pitchs/jury/999/retirer", "oa"}},
        {"POST /mon-espace/evenements/{id}/pitchs/decisions", {"/mon-espace/evenements/999/pitchs/decisions", "oa"}},
        {"GET /mon-espace/evenements/{id}/jury", {"/mon-espace/evenements/1/jury", "ob"}},
        {"POST /mon-espace/pitchs/{id}/note", {"/mon-espace/pitchs/999/note", "u"}},
        {"GET /mon-espace/pitchs/{id}/fichier", {"/mon-espace/pitchs/999/fichier", "u"}},
        {"GET /admin/utilisateurs", {"/admin/utilisateurs", "a"}},
        {"POST /admin/utilisateurs/{id}/roles", {"/admin/utilisateurs/6/roles", "a"}},
        {"POST /admin/utilisateurs/{id}/double-authentification/reinitialiser",
         {"/admin/utilisateurs/6/double-authentification/reinitialiser", "a"}},
        {"GET /admin/revendications", {"/admin/revendications", "a"}},
        {"GET /admin/organisations-d-agents", {"/admin/organisations-d-agents", "a"}},
        {"GET /admin/fournisseurs-identite", {"/admin/fournisseurs-identite", "a"}},
        {"POST /admin/organisations-d-agents/{id}/{action}", {"/admin/organisations-d-agents/999/creer", "a"}},
        {"GET /admin/journal", {"/admin/journal?action=login", "a"}},
        {"GET /admin/journal.csv", {"/admin/journal.csv", "a"}},
        {"POST /admin/revendications/{org}/{user}/{decision}", {"/admin/revendications/9/6/refuser", "a"}},
        {"GET /api/v1/openapi.json", {"/api/v1/openapi.json", "*"}},
        {"GET /api/v1/organisations", {"/api/v1/organisations", "*"}},
        {"GET /api/v1/organisations/{siret}", {"/api/v1/organisations/31611247300038", "*"}},
        {"GET /api/v1/cpv", {"/api/v1/cpv?q=nettoyage", "*"}},
        {"GET /admin/acheteurs", {"/admin/acheteurs", "a"}},
        {"POST /admin/acheteurs/{id}/{action}", {"/admin/acheteurs/3/verifier", "a"}},
        {"POST /admin/organisations/{id}/{action}", {"/admin/organisations/999/suspendre", "a"}},
        {"POST /admin/retraits/{kind}/{id}/retablir", {"/admin/retraits/notice/999/retablir", "a"}},
        {"GET /api/v1/me", {"/api/v1/me", "u"}},
        {"GET /api/v1/roadmap-items", {"/api/v1/roadmap-items", "*"}},
        {"GET /api/v1/roadmap-items/{id}", {"/api/v1/roadmap-items/3", "*"}},
        {"GET /api/v1/search", {"/api/v1/search?q=nettoyage", "*"}},
        {"GET /api/v1/notices", {"/api/v1/notices", "*"}},
        {"GET /api/v1/notices/{id}", {"/api/v1/notices/2", "*"}},
        {"POST /api/v1/notices", {"/api/v1/notices", "t"}},
        {"GET /api/v1/events/{id}/registrations", {"/api/v1/events/1/registrations", "t"}},
        {"POST /api/v1/events/{id}/registrations/{registration}", {"/api/v1/events/1/registrations/1", "t"}},
    };
    return t;
}

std::vector<std::string> routes() {
    std::vector<std::string> out;
    std::unique_ptr<FILE, int (*)(FILE*)> p(::popen((std::string(PASSERELLE_BIN) + " routes").c_str(), "r"), ::pclose);
    char line[512];
    while (p && std::fgets(line, sizeof line, p.get())) {
        std::string s(line);
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
        if (!s.empty()) out.push_back(s);  // METHOD pattern access
    }
    return out;
}

TEST(RoutePolicy, EveryRouteAnswersEveryRoleAsThePolicySays) {
    // What the route table declares (`passerelle routes`: METHOD pattern access) agrees with the policy table:
    // a route open to visitors is declared « anyone », one that sends them to the login page « signed-in », a
    // role's (« organiser », « facilitator », « buyer-or-facilitator ») or « administrator » — the router, not the
    // handler, keeps them out.
    std::vector<std::string> all;
    for (const auto& line : routes()) {
        const auto cut = line.rfind(' ');
        const std::string route = line.substr(0, cut), shown = line.substr(cut + 1);
        const std::string access = shown.substr(0, shown.find(','));  // « signed-in,limit=question »
        all.push_back(route);
        EXPECT_NE(access, "undeclared") << route;
        auto entry = table().find(route);
        if (entry == table().end()) continue;
        const std::string& allowed = entry->second.allowed;
        if (allowed == "*") {
            EXPECT_EQ(access, "anyone") << route;
            continue;
        }
        if (allowed == "t") {  // an API token's route declares its scope
            EXPECT_EQ(access.rfind("token:", 0), 0u) << route << " is declared " << access;
            continue;
        }
        // A route declared for a role lets in no more than that role (and the administrator) — the table's
        // letters for it are among the declaration's.
        static const std::map<std::string, std::string> admits = {
            {"signed-in", "ucboa"}, {"member-of-{id}", "ucboa"},   {"admin-of-{id}", "ucboa"},
            {"organiser", "oa"},    {"facilitator", "fa"},         {"buyer-or-facilitator", "bofa"},
            {"administrator", "a"}, {"buyer-agent-of-?org", "boa"}};
        auto declared = admits.find(access);
        ASSERT_NE(declared, admits.end()) << route << " is declared " << access;
        for (char who : allowed)
            EXPECT_NE(declared->second.find(who), std::string::npos)
                << route << " is declared " << access << " but the table lets « " << who << " » in";
    }
    ASSERT_GT(all.size(), 100u);
    for (const auto& r : all) EXPECT_TRUE(table().count(r)) << "route without an entry in the policy table: " << r;
    for (const auto& [r, e] : table())
        EXPECT_NE(std::find(all.begin(), all.end(), r), all.end()) << "entry for a route that does not exist: " << r;

    ServerProcess server;
    ASSERT_TRUE(server.running()) << server.log();
    struct Role {
        char letter;
        std::string email;
        std::unique_ptr<Client> client;
        std::string csrf;
    };
    std::vector<Role> roles;
    TotpCodes codes;
    roles.push_back({'-', "", std::make_unique<Client>(), ""});
    for (auto [letter, email] :
         {std::pair{'c', "contact@atelier-vert-1.example"}, std::pair{'b', "acheteur.93@passerelle.example"},
          std::pair{'o', "organisatrice@passerelle.example"}, std::pair{'a', "admin@passerelle.example"}}) {
        auto c = std::make_unique<Client>();
        auto form = c->get(server.url("/connexion"));
        auto in = c->post_form(
            server.url("/connexion"),
            {{"_csrf", Client::csrf_of(form.body)}, {"email", email}, {"password", "Passerelle-Demo-2026"}});
        ASSERT_EQ(in.status, 303) << email;
        if (in.header("location") == "/connexion/code") {  // the administrator and the organiser type a code
            auto code = c->post_form(server.url("/connexion/code"), {{"_csrf", Client::csrf_of(form.body)},
                                                                     {"code", codes.next(email, kDemoTotpSecret)}});
            ASSERT_EQ(code.status, 303) << email;
        }
        roles.push_back({letter, email, std::move(c), ""});
    }
    for (auto& role : roles)
        role.csrf =
            Client::csrf_of(role.client->get(server.url(role.letter == '-' ? "/connexion" : "/mon-espace")).body);

    auto ask = [&](Role& role, const std::string& method, const std::string& path) {
        return method == "GET" ? role.client->get(server.url(path))
                               : role.client->post_form(server.url(path), {{"_csrf", role.csrf}});
    };
    int checked = 0;
    for (const auto& [route, entry] : table()) {
        if (route == "POST /deconnexion") continue;  // asked last: it ends the sessions
        const std::string method = route.substr(0, route.find(' '));
        for (auto& role : roles) {
            auto res = ask(role, method, entry.path);
            const bool login =
                (res.status == 303 && res.header("location").rfind("/connexion", 0) == 0) || res.status == 401;
            const bool refused = res.status == 403 || res.status == 404 || res.status == 400;
            const std::string who = role.letter == '-' ? "visitor" : role.email;
            const std::string what = route + " (" + entry.path + ") as " + who + ": " + std::to_string(res.status);
            if (entry.allowed == "t") {
                EXPECT_EQ(res.status, 401) << what << " (a session is not enough: an API token is)";
            } else if (entry.allowed == "*") {
                EXPECT_NE(res.status, 403) << what;
                EXPECT_LT(res.status, 500) << what;
            } else if (role.letter == '-') {
                EXPECT_TRUE(login) << what << " (expected the login page)";
            } else if (entry.allowed == "u" || entry.allowed.find(role.letter) != std::string::npos) {
                EXPECT_FALSE(login || res.status == 403) << what << " (expected to be allowed)";
                EXPECT_LT(res.status, 500) << what;
            } else {
                EXPECT_TRUE(refused) << what << " (expected a refusal)";
            }
            ++checked;
        }
    }
    for (auto& role : roles) EXPECT_EQ(ask(role, "POST", "/deconnexion").status, 303);
    EXPECT_EQ(checked, static_cast<int>(table().size() - 1) * 5);
}

}  // namespace
