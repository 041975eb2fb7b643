// HTTP integration: the real binary on a random port, driven over the loopback with libcurl.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <tuple>

#include "tests/http/site_fixture.hpp"

using namespace passerelle::testing;
using nlohmann::json;

TEST_F(Http, HealthAndSecurityHeaders) {
    Client c;
    auto h = c.get(url("/healthz"));
    EXPECT_EQ(h.status, 200);
    EXPECT_EQ(json::parse(h.body)["status"], "ok");
    auto home = c.get(url("/"));
    EXPECT_EQ(home.status, 200);
    EXPECT_NE(home.body.find("<html lang=\"fr\">"), std::string::npos);
    EXPECT_NE(home.body.find("Région Île-de-France"), std::string::npos);
    EXPECT_NE(home.body.find("Nettoyage des lycées franciliens"), std::string::npos);  // announced purchases
    std::string csp = home.header("content-security-policy");
    EXPECT_NE(csp.find("script-src 'self' 'nonce-"), std::string::npos);
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(home.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(home.header("referrer-policy"), "strict-origin-when-cross-origin");
    EXPECT_EQ(home.body.find("<script>"), std::string::npos);       // no inline script
    EXPECT_NE(server->log().find("GET / 200"), std::string::npos);  // access log line
}

TEST_F(Http, NotFoundAndMethodNotAllowed) {
    Client c;
    auto page = c.get(url("/nulle-part"));
    EXPECT_EQ(page.status, 404);
    EXPECT_NE(page.body.find("Page introuvable"), std::string::npos);
    auto api_404 = c.get(url("/api/v1/nulle-part"));
    EXPECT_EQ(api_404.status, 404);
    EXPECT_EQ(api_404.header("content-type"), "application/problem+json");
    EXPECT_EQ(json::parse(api_404.body)["status"], 404);
    auto not_allowed = c.post_form(url("/healthz"), {});
    EXPECT_EQ(not_allowed.status, 405);
    EXPECT_EQ(not_allowed.header("allow"), "GET");
    auto traversal = c.get(url("/static/..%2F..%2Fetc%2Fpasswd"));
    EXPECT_EQ(traversal.status, 404);
}

TEST_F(Http, OversizedBodyGets413AndTheServerKeepsServing) {
    Client c;
    std::string big(2 * 1024 * 1024, 'a');
    auto r = c.post_raw(url("/connexion"), "email=" + big, "application/x-www-form-urlencoded");
    EXPECT_EQ(r.status, 413);
    EXPECT_NE(r.body.find("dépasse la taille maximale"), std::string::npos);
    Client again;
    EXPECT_EQ(again.get(url("/healthz")).status, 200);
}

TEST_F(Http, KeepAliveReusesTheConnection) {
    Client c;
    auto first = c.get(url("/healthz"));
    auto second = c.get(url("/healthz"));
    EXPECT_EQ(first.connects, 1);
    EXPECT_EQ(second.connects, 0);
}

TEST_F(Http, StaticFilesHaveEtagsAndRevalidate) {
    Client c;
    auto css = c.get(url("/static/css/theme.css"));
    ASSERT_EQ(css.status, 200);
    EXPECT_EQ(css.header("content-type"), "text/css; charset=utf-8");
    std::string etag = css.header("etag");
    ASSERT_FALSE(etag.empty());
    auto again = c.get(url("/static/css/theme.css"), {"If-None-Match: " + etag});
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    auto vendor = c.get(url("/static/vendor/htmx.min.js"));
    EXPECT_EQ(vendor.status, 200);
    EXPECT_NE(vendor.header("cache-control").find("max-age=604800"), std::string::npos);
}

TEST_F(Http, SignUpVerifyLoginLogout) {
    Client c;
    auto r = signup(c, "marie@exemple.fr");
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.header("location"), "/mon-espace");
    bool cookie_ok = false;
    for (const auto& sc : r.set_cookies)
        if (sc.find("passerelle_session=") == 0 && sc.find("HttpOnly") != std::string::npos &&
            sc.find("SameSite=Lax") != std::string::npos)
            cookie_ok = true;
    EXPECT_TRUE(cookie_ok);
    auto space = c.get(url("/mon-espace"));
    EXPECT_EQ(space.status, 200);
    EXPECT_NE(space.body.find("Votre compte est créé"), std::string::npos);
    EXPECT_NE(space.body.find("pas encore confirmée"), std::string::npos);

    std::string link = link_in_mail("marie@exemple.fr", "/verifier-email");
    ASSERT_FALSE(link.empty()) << server->log();
    auto verified = c.get(url(link));
    EXPECT_EQ(verified.status, 303);
    EXPECT_EQ(c.get(url("/mon-espace")).body.find("pas encore confirmée"), std::string::npos);
    EXPECT_EQ(c.get(url(link)).status, 422);  // single use

    auto me = json::parse(c.get(url("/api/v1/me")).body);
    EXPECT_EQ(me["email"], "marie@exemple.fr");
    EXPECT_EQ(me["email_verified"], true);

    auto out = c.post_form(url("/deconnexion"), {{"_csrf", Client::csrf_of(c.get(url("/mon-espace")).body)}});
    EXPECT_EQ(out.status, 303);
    EXPECT_EQ(c.get(url("/api/v1/me")).status, 401);
    login(c, "marie@exemple.fr");
    EXPECT_EQ(c.get(url("/api/v1/me")).status, 200);
}

TEST_F(Http, SessionIsRotatedAtLogin) {
    Client c;
    auto form = c.get(url("/connexion"));
    std::string before;
    for (const auto& sc : form.set_cookies)
        if (sc.rfind("passerelle_session=", 0) == 0) before = sc.substr(0, sc.find(';'));
    ASSERT_FALSE(before.empty());
    auto r = c.post_form(url("/connexion"), {{"_csrf", Client::csrf_of(form.body)},
                                             {"email", "facilitateur@passerelle.example"},
                                             {"password", "Passerelle-Demo-2026"}});
    ASSERT_EQ(r.status, 303);
    std::string after;
    for (const auto& sc : r.set_cookies)
        if (sc.rfind("passerelle_session=", 0) == 0) after = sc.substr(0, sc.find(';'));
    EXPECT_FALSE(after.empty());
    EXPECT_NE(before, after);
    // The pre-login session no longer exists.
    Client fixated;
    fixated.add_cookie("127.0.0.1\tFALSE\t/\tFALSE\t0\tpasserelle_session\t" + before.substr(before.find('=') + 1));
    EXPECT_EQ(fixated.get(url("/api/v1/me")).status, 401);
}

TEST_F(Http, MissingOrWrongCsrfIsRefusedAndChangesNothing) {
    Client c;
    c.get(url("/inscription"));
    for (const std::string token : {"", "faux-jeton"}) {
        auto r = c.post_form(url("/inscription"), {{"_csrf", token},
                                                   {"display_name", "Pirate"},
                                                   {"email", "pirate@exemple.fr"},
                                                   {"password", kPassword},
                                                   {"password_confirm", kPassword}});
        EXPECT_EQ(r.status, 403);
        EXPECT_NE(r.body.find("Rechargez la page"), std::string::npos);
    }
    Client other;
    auto form = other.get(url("/connexion"));
    auto r = other.post_form(
        url("/connexion"),
        {{"_csrf", Client::csrf_of(form.body)}, {"email", "pirate@exemple.fr"}, {"password", kPassword}});
    EXPECT_EQ(r.status, 401);  // the account was never created
}

TEST_F(Http, DuplicateEmailAndBadInputGetFrenchMessages) {
    Client c;
    ASSERT_EQ(signup(c, "dup@exemple.fr").status, 303);
    Client d;
    auto dup = signup(d, "DUP@exemple.fr", "Autre");
    EXPECT_EQ(dup.status, 409);
    EXPECT_NE(dup.body.find("Un compte existe déjà avec cette adresse e-mail"), std::string::npos);
    auto form = d.get(url("/inscription"));
    auto bad = d.post_form(url("/inscription"), {{"_csrf", Client::csrf_of(form.body)},
                                                 {"display_name", ""},
                                                 {"email", "pas-une-adresse"},
                                                 {"password", "court"},
                                                 {"password_confirm", "x"}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("Saisissez une adresse e-mail valide"), std::string::npos);
    EXPECT_NE(bad.body.find("au moins 10 caractères"), std::string::npos);
    EXPECT_NE(bad.body.find("aria-invalid=\"true\""), std::string::npos);
    EXPECT_NE(bad.body.find("value=\"pas-une-adresse\""), std::string::npos);  // what was typed is kept
}

TEST_F(Http, BadSiretAndCpvAreRefusedAndNothingIsCreated) {
    Client c;
    login(c, "contact@atelier-vert-1.example", "Passerelle-Demo-2026");
    int before = company_count();
    auto form = c.get(url("/mon-espace/organisations/nouvelle"));
    ASSERT_EQ(form.status, 200);
    std::string csrf = Client::csrf_of(form.body);
    auto bad = c.post_form(url("/mon-espace/organisations/nouvelle"), {{"_csrf", csrf},
                                                                       {"kind", "company"},
                                                                       {"name", "Nouvelle SARL"},
                                                                       {"siret", "12345678901234"},
                                                                       {"size", "TPE"},
                                                                       {"cpv_codes", "72000000-4"},
                                                                       {"departements", "93"}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("clé de contrôle incorrecte"), std::string::npos);
    EXPECT_NE(bad.body.find("chiffre de contrôle du code CPV 72000000 est 5"), std::string::npos);
    EXPECT_EQ(company_count(), before);
    auto ok = c.post_form(url("/mon-espace/organisations/nouvelle"), {{"_csrf", csrf},
                                                                      {"kind", "company"},
                                                                      {"name", "Nouvelle SARL"},
                                                                      {"siret", "732 829 320 00074"},
                                                                      {"size", "TPE"},
                                                                      {"cpv_codes", "72000000-5"},
                                                                      {"departements", "93"}});
    EXPECT_EQ(ok.status, 303) << ok.body;
    EXPECT_EQ(company_count(), before + 1);
    auto again = c.post_form(
        url("/mon-espace/organisations/nouvelle"),
        {{"_csrf", csrf}, {"kind", "company"}, {"name", "Copie"}, {"siret", "73282932000074"}, {"size", "TPE"}});
    EXPECT_EQ(again.status, 409);
    EXPECT_NE(again.body.find("demandez à la rejoindre"), std::string::npos);
    EXPECT_EQ(company_count(), before + 1);
}

TEST_F(Http, ScriptAndSqlLookingInputIsEscapedAndStoredVerbatim) {
    Client c;
    login(c, "contact@atelier-vert-1.example", "Passerelle-Demo-2026");
    const std::string evil = "<script>alert(1)</script>' OR 1=1; DROP TABLE organisations; --";
    auto form = c.get(url("/mon-espace/organisations/nouvelle"));
    auto r = c.post_form(url("/mon-espace/organisations/nouvelle"), {{"_csrf", Client::csrf_of(form.body)},
                                                                     {"kind", "company"},
                                                                     {"name", evil},
                                                                     {"siret", "44399887700015"},
                                                                     {"size", "PME"},
                                                                     {"description", "<img src=x onerror=alert(1)>"}});
    ASSERT_EQ(r.status, 303) << r.body;
    auto page = c.get(url("/entreprises/44399887700015"));
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.body.find("<script>alert(1)"), std::string::npos);
    EXPECT_EQ(page.body.find("<img src=x"), std::string::npos);
    EXPECT_NE(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    auto j = api("/api/v1/organisations/44399887700015");
    EXPECT_EQ(j["name"], evil);
    EXPECT_GE(company_count(), 41);  // nothing dropped
}

TEST_F(Http, LoginThrottlingAnswers429WithRetryAfter) {
    Client c;
    HttpResult last;
    for (int i = 0; i < 6; ++i) {
        auto form = c.get(url("/connexion"));
        last = c.post_form(url("/connexion"), {{"_csrf", Client::csrf_of(form.body)},
                                               {"email", "facilitateur@passerelle.example"},
                                               {"password", "mauvais"}});
        if (i < 5) {
            EXPECT_EQ(last.status, 401);
            EXPECT_NE(last.body.find("Adresse e-mail ou mot de passe incorrect"), std::string::npos);
        }
    }
    EXPECT_EQ(last.status, 429);
    EXPECT_NE(last.body.find("Trop de tentatives de connexion"), std::string::npos);
    EXPECT_FALSE(last.header("retry-after").empty());
}

TEST_F(Http, ForgedOrExpiredSessionIsTreatedAsAnonymous) {
    Client c;
    c.add_cookie("127.0.0.1\tFALSE\t/\tFALSE\t0\tpasserelle_session\tforged-token-value");
    auto r = c.get(url("/mon-espace"));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location").rfind("/connexion?retour=", 0), 0u);
    EXPECT_EQ(c.get(url("/api/v1/me")).status, 401);
}

TEST_F(Http, PolicyGives403OrLoginRedirect) {
    Client anon;
    EXPECT_EQ(anon.get(url("/admin/utilisateurs")).status, 303);
    Client company;
    login(company, "contact@atelier-vert-1.example", "Passerelle-Demo-2026");
    auto r = company.get(url("/admin/utilisateurs"));
    EXPECT_EQ(r.status, 403);
    EXPECT_NE(r.body.find("réservée aux administrateurs"), std::string::npos);
    Client admin;
    login(admin, "admin@passerelle.example", "Passerelle-Demo-2026");
    EXPECT_EQ(admin.get(url("/admin/utilisateurs")).status, 200);
}

TEST_F(Http, AdministratorGrantsAPlatformRole) {
    Client admin;
    login(admin, "admin@passerelle.example", "Passerelle-Demo-2026");
    auto list = admin.get(url("/admin/utilisateurs?q=contact%40bati-francilien-2.example"));
    ASSERT_EQ(list.status, 200);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(list.body, m, std::regex(R"(/admin/utilisateurs/(\d+)/roles)")));
    auto r = admin.post_form(url(m[0].str()), {{"_csrf", Client::csrf_of(list.body)}, {"roles", "organiser"}});
    EXPECT_EQ(r.status, 303);
    Client user;
    login(user, "contact@bati-francilien-2.example", "Passerelle-Demo-2026");
    // An organiser acts on all events: nothing is open to them until they turned on two-factor authentication.
    auto me = user.get(url("/api/v1/me"));
    EXPECT_EQ(me.status, 403);
    EXPECT_NE(json::parse(me.body)["detail"].get<std::string>().find("double authentification"), std::string::npos);
    auto again = admin.get(url("/admin/utilisateurs?q=contact%40bati-francilien-2.example"));
    EXPECT_NE(again.body.find("value=\"organiser\" id=\"role-" + m[1].str() + "-organiser\" checked"),
              std::string::npos);
}

TEST_F(Http, ApiPaginationLinkHeaderAndProblems) {
    Client c;
    auto r = c.get(url("/api/v1/organisations?kind=company&per_page=5&page=2"));
    ASSERT_EQ(r.status, 200);
    auto j = json::parse(r.body);
    EXPECT_EQ(j["items"].size(), 5u);
    EXPECT_EQ(j["page"], 2);
    EXPECT_EQ(r.header("x-total-count"), std::to_string(j["total"].get<int>()));
    std::string link = r.header("link");
    EXPECT_NE(link.find("kind=company&page=3&per_page=5>; rel=\"next\""), std::string::npos);
    EXPECT_NE(link.find("page=1&per_page=5>; rel=\"prev\""), std::string::npos);
    auto too_big = c.get(url("/api/v1/organisations?per_page=1000"));
    EXPECT_EQ(too_big.status, 422);
    EXPECT_EQ(too_big.header("content-type"), "application/problem+json");
    EXPECT_NE(json::parse(too_big.body)["detail"].get<std::string>().find("per_page"), std::string::npos);
    auto bad_siret = c.get(url("/api/v1/organisations/123"));
    EXPECT_EQ(bad_siret.status, 422);
    auto unknown = c.get(url("/api/v1/organisations/73282932000074"));
    EXPECT_EQ(unknown.status, 404);
    auto cpv = json::parse(c.get(url("/api/v1/cpv?q=energie")).body);
    ASSERT_FALSE(cpv["items"].empty());
    EXPECT_EQ(cpv["items"][0]["code_full"], "09000000-3");
}

TEST_F(Http, OpenApiDocumentMatchesTheRoutes) {
    Client c;
    auto doc = json::parse(c.get(url("/api/v1/openapi.json")).body);
    ASSERT_EQ(doc["openapi"], "3.0.3");
    std::set<std::string> documented;
    for (auto it = doc["paths"].begin(); it != doc["paths"].end(); ++it)
        for (auto op = it.value().begin(); op != it.value().end(); ++op) {
            std::string method = op.key();
            for (auto& ch : method) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            documented.insert(method + " /api/v1" + it.key());
        }
    std::set<std::string> routed;
    std::istringstream routes(run(std::string(PASSERELLE_BIN) + " routes"));
    for (std::string line; std::getline(routes, line);)
        if (line.find(" /api/v1/") != std::string::npos) routed.insert(line.substr(0, line.rfind(' ')));  // no access
    EXPECT_FALSE(routed.empty());
    EXPECT_EQ(documented, routed);
    // Every documented operation answers (not the router's 404).
    for (const auto& op : documented) {
        std::string path = op.substr(op.find(' ') + 1);
        auto pos = path.find("{siret}");
        if (pos != std::string::npos) path.replace(pos, 7, "23750007900312");
        if (path.find("/cpv") != std::string::npos) path += "?q=travaux";
        pos = path.find("{id}");
        if (pos != std::string::npos)
            path.replace(pos, 4, path.find("/observatoire/") != std::string::npos ? "evenements" : "1");
        if (pos = path.find("{registration}"); pos != std::string::npos) path.replace(pos, 14, "1");
        auto r = op.rfind("POST", 0) == 0 ? c.post_raw(url(path), "{}", "application/json") : c.get(url(path));
        EXPECT_TRUE(r.status == 200 || r.status == 401) << op << " -> " << r.status;
    }
}

TEST_F(Http, CpvAutocompleteFragmentFoldsAccents) {
    Client c;
    auto r = c.get(url("/cpv/suggestions?cpv_query=electricite"), {"HX-Request: true"});
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("09000000-3"), std::string::npos);
    EXPECT_NE(r.body.find("électricité"), std::string::npos);
    auto by_code = c.get(url("/cpv/suggestions?cpv_query=45"));
    EXPECT_NE(by_code.body.find("45000000-7"), std::string::npos);
    auto chip = c.get(url("/cpv/choix?code=45000000"));
    EXPECT_NE(chip.body.find("name=\"cpv_codes\" value=\"45000000-7\""), std::string::npos);
    EXPECT_EQ(c.get(url("/cpv/choix?code=abc")).status, 422);
}

TEST_F(Http, JoinRequestApprovedByTheAdmin) {
    Client joiner;
    ASSERT_EQ(signup(joiner, "nouveau@exemple.fr", "Nouveau Salarié").status, 303);
    ASSERT_EQ(joiner.get(url(link_in_mail("nouveau@exemple.fr", "/verifier-email"))).status, 303);
    auto page = joiner.get(url("/acheteurs/21750001600019"));
    ASSERT_EQ(page.status, 200);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(page.body, m, std::regex(R"(/organisations/(\d+)/rejoindre)")));
    std::string org_id = m[1].str();
    // A message too long comes back as typed, its error beside it.
    std::string long_message;
    for (int i = 0; i < 1001; ++i) long_message += "é";
    auto too_long =
        joiner.post_form(url(m[0].str()), {{"_csrf", Client::csrf_of(page.body)}, {"message", long_message}});
    EXPECT_EQ(too_long.status, 303);
    EXPECT_EQ(too_long.header("location"), "/acheteurs/21750001600019#rejoindre");
    auto typed = joiner.get(url("/acheteurs/21750001600019"));
    EXPECT_NE(typed.body.find("id=\"join-erreurs\""), std::string::npos);
    EXPECT_NE(typed.body.find(">" + long_message + "</textarea>"), std::string::npos);
    auto r = joiner.post_form(url(m[0].str()), {{"_csrf", Client::csrf_of(page.body)}, {"message", "Service achats"}});
    EXPECT_EQ(r.status, 303);
    EXPECT_FALSE(server->mail_to("acheteur.paris@passerelle.example", "Nouveau Salari").empty());
    Client admin;
    login(admin, "acheteur.paris@passerelle.example", "Passerelle-Demo-2026");
    auto manage = admin.get(url("/mon-espace/organisations/" + org_id));
    ASSERT_EQ(manage.status, 200);
    ASSERT_NE(manage.body.find("Service achats"), std::string::npos);
    ASSERT_TRUE(std::regex_search(manage.body, m,
                                  std::regex("/mon-espace/organisations/" + org_id + R"(/membres/(\d+)/accepter)")));
    EXPECT_EQ(admin.post_form(url(m[0].str()), {{"_csrf", Client::csrf_of(manage.body)}}).status, 303);
    auto me = json::parse(joiner.get(url("/api/v1/me")).body);
    ASSERT_EQ(me["organisations"].size(), 1u);
    EXPECT_EQ(me["organisations"][0]["status"], "active");
    // The joiner is a member, not an admin: managing members is refused.
    auto refused = joiner.post_form(
        url("/mon-espace/organisations/" + org_id + "/invitations"),
        {{"_csrf", Client::csrf_of(joiner.get(url("/mon-espace")).body)}, {"email", "x@y.fr"}, {"role", "member"}});
    EXPECT_EQ(refused.status, 403);
}

TEST_F(Http, RoadmapPublishInterestAndExport) {
    Client buyer;
    login(buyer, "acheteur.93@passerelle.example", "Passerelle-Demo-2026");
    auto mine = buyer.get(url("/mon-espace/feuilles-de-route"));
    ASSERT_EQ(mine.status, 200);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(mine.body, m, std::regex(R"(/mon-espace/feuilles-de-route/nouveau\?org=(\d+))")));
    std::string new_url = m[0].str();
    auto form = buyer.get(url(new_url));
    ASSERT_EQ(form.status, 200);
    std::string csrf = Client::csrf_of(form.body);
    // Bad input: French messages, nothing created.
    int before = api("/api/v1/roadmap-items")["total"].get<int>();
    auto bad = buyer.post_form(url(new_url), {{"_csrf", csrf},
                                              {"title", ""},
                                              {"amount_max", "beaucoup"},
                                              {"quarter", "1999-T1"},
                                              {"procedure", "ao_ouvert"},
                                              {"publish", "1"}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("intitulé du projet d&apos;achat est obligatoire"), std::string::npos);
    EXPECT_NE(bad.body.find("Indiquez au moins un code CPV"), std::string::npos);
    EXPECT_EQ(api("/api/v1/roadmap-items")["total"].get<int>(), before);
    // A draft, invisible to others, then published.
    std::string quarter =
        json::parse(Client().get(url("/api/v1/roadmap-items?per_page=1")).body)["items"][0]["expected_quarter"];
    auto created = buyer.post_form(url(new_url), {{"_csrf", csrf},
                                                  {"title", "Entretien des crèches <b>départementales</b>"},
                                                  {"cpv_codes", "90000000-7"},
                                                  {"amount_max", "450 000"},
                                                  {"quarter", quarter},
                                                  {"procedure", "mapa"},
                                                  {"departements", "93"},
                                                  {"clause_intent", "reserved_siae"},
                                                  {"publish", "0"}});
    ASSERT_EQ(created.status, 303) << created.body;
    std::string item_url = created.header("location");
    ASSERT_EQ(item_url.rfind("/feuilles-de-route/", 0), 0u);
    std::string id = item_url.substr(std::string("/feuilles-de-route/").size());
    Client company;
    login(company, "contact@atelier-vert-1.example", "Passerelle-Demo-2026");
    EXPECT_EQ(company.get(url(item_url)).status, 404);
    auto draft = buyer.get(url(item_url));
    ASSERT_EQ(draft.status, 200);
    EXPECT_NE(draft.body.find("&lt;b&gt;départementales&lt;/b&gt;"), std::string::npos);
    EXPECT_EQ(buyer
                  .post_form(url("/mon-espace/feuilles-de-route/" + id + "/publier"),
                             {{"_csrf", Client::csrf_of(draft.body)}})
                  .status,
              303);
    EXPECT_EQ(api("/api/v1/roadmap-items")["total"].get<int>(), before + 1);
    // Company: "Je suis intéressé".
    auto page = company.get(url(item_url));
    ASSERT_EQ(page.status, 200);
    ASSERT_NE(page.body.find("Je suis intéressé"), std::string::npos);
    ASSERT_TRUE(std::regex_search(page.body, m, std::regex(R"re(name="company_id" value="(\d+)")re")));
    auto interest =
        company.post_form(url(item_url + "/interet"), {{"_csrf", Client::csrf_of(page.body)},
                                                       {"company_id", m[1].str()},
                                                       {"message", "SIAE du 93, 25 salariés en insertion."}});
    EXPECT_EQ(interest.status, 303);
    EXPECT_NE(company.get(url(item_url)).body.find("est signalée comme intéressée"), std::string::npos);
    // The company cannot see the list; the buyer can, and exports it.
    EXPECT_EQ(company.get(url("/mon-espace/feuilles-de-route/" + id + "/interesses")).status,
              404);  // another's private page answers as a missing one
    auto list = buyer.get(url("/mon-espace/feuilles-de-route/" + id + "/interesses"));
    ASSERT_EQ(list.status, 200);
    EXPECT_NE(list.body.find("Atelier Vert"), std::string::npos);
    EXPECT_NE(list.body.find("SIAE du 93, 25 salariés en insertion."), std::string::npos);
    auto csv = buyer.get(url("/mon-espace/feuilles-de-route/" + id + "/interesses.csv"));
    EXPECT_EQ(csv.status, 200);
    EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
    EXPECT_NE(csv.header("content-disposition").find("attachment"), std::string::npos);
    EXPECT_NE(csv.body.find("Atelier Vert"), std::string::npos);
    // An edit of the published item shows in its public history.
    auto edit = buyer.get(url("/mon-espace/feuilles-de-route/" + id + "/modifier"));
    ASSERT_EQ(edit.status, 200);
    auto saved = buyer.post_form(url("/mon-espace/feuilles-de-route/" + id + "/modifier"),
                                 {{"_csrf", Client::csrf_of(edit.body)},
                                  {"title", "Entretien des crèches départementales"},
                                  {"cpv_codes", "90000000"},
                                  {"amount_max", "500 000"},
                                  {"quarter", quarter},
                                  {"procedure", "mapa"},
                                  {"departements", "93"},
                                  {"clause_intent", "reserved_siae"}});
    EXPECT_EQ(saved.status, 303) << saved.body;
    auto j = api("/api/v1/roadmap-items/" + id);
    EXPECT_EQ(j["amount_max"], 500000);
    ASSERT_GE(j["history"].size(), 3u);
    EXPECT_NE(j["history"][0]["summary"].get<std::string>().find("Montant estimé"), std::string::npos);
    // Filters of the public list and of the API.
    EXPECT_NE(Client().get(url("/feuilles-de-route?q=creches&clause=reserved_siae")).body.find("Entretien des crèches"),
              std::string::npos);
    EXPECT_EQ(api("/api/v1/roadmap-items?clause_intent=reserved_siae&departement=93")["total"].get<int>(), 2);
    EXPECT_EQ(Client().get(url("/api/v1/roadmap-items?cpv_division=9")).status, 422);
}

TEST_F(Http, NoticeLifecycleWithAmendmentQuestionsAndAward) {
    Client buyer;
    login(buyer, "acheteur.paris@passerelle.example", "Passerelle-Demo-2026");
    auto mine = buyer.get(url("/mon-espace/consultations"));
    std::smatch m;
    ASSERT_TRUE(std::regex_search(mine.body, m, std::regex(R"(/mon-espace/consultations/nouvelle\?org=(\d+))")));
    std::string new_url = m[0].str();
    auto form = buyer.get(url(new_url));
    ASSERT_EQ(form.status, 200);
    std::string csrf = Client::csrf_of(form.body);
    // "Ajouter un lot" re-displays the form with a second lot, saving nothing.
    auto more = buyer.post_form(
        url(new_url), {{"_csrf", csrf}, {"reference", "2027-IT-01"}, {"lot_title", "Postes"}, {"add_lot", "1"}});
    EXPECT_EQ(more.status, 200);
    EXPECT_NE(more.body.find("Lot 2"), std::string::npos);
    EXPECT_NE(more.body.find("value=\"2027-IT-01\""), std::string::npos);
    int before = api("/api/v1/notices?state=all")["total"].get<int>();
    auto bad = buyer.post_form(url(new_url), {{"_csrf", csrf},
                                              {"reference", "2027-IT-01"},
                                              {"title", "Maintenance"},
                                              {"procedure", "mapa"},
                                              {"bid_deadline", "2030-02-30T12:00"},
                                              {"lot_title", "Postes"},
                                              {"lot_cpv", "72000000-4"},
                                              {"lot_clause", "insertion_hours"},
                                              {"lot_hours", ""},
                                              {"publish", "1"}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("date limite de remise des offres"), std::string::npos);
    EXPECT_NE(bad.body.find("Lot 1 : "), std::string::npos);
    EXPECT_EQ(api("/api/v1/notices?state=all")["total"].get<int>(), before);
    auto ok = buyer.post_form(url(new_url), {{"_csrf", csrf},
                                             {"reference", "2027-IT-01"},
                                             {"title", "Maintenance informatique"},
                                             {"procedure", "mapa"},
                                             {"bid_deadline", "2030-03-15T12:00"},
                                             {"lot_title", "Postes de travail"},
                                             {"lot_cpv", "72000000-5"},
                                             {"lot_amount", "300 000"},
                                             {"lot_departements", "75"},
                                             {"lot_clause", "insertion_hours"},
                                             {"lot_hours", "700"},
                                             {"lot_title", "Imprimantes"},
                                             {"lot_cpv", "30000000"},
                                             {"lot_amount", ""},
                                             {"lot_departements", "75, 92"},
                                             {"lot_clause", "reserved_ea_esat"},
                                             {"lot_hours", ""},
                                             {"publish", "1"}});
    ASSERT_EQ(ok.status, 303) << ok.body;
    std::string notice_url = ok.header("location");
    std::string id = notice_url.substr(std::string("/consultations/").size());
    auto j = api("/api/v1/notices/" + id);
    EXPECT_EQ(j["status"], "published");
    ASSERT_EQ(j["lots"].size(), 2u);
    EXPECT_EQ(j["lots"][0]["social_clause"]["insertion_hours"], 700);
    EXPECT_EQ(j["lots"][1]["departements"], json::array({"75", "92"}));
    EXPECT_EQ(j["bid_deadline"], "2030-03-15T11:00:00Z");
    // A company follows it and asks a question.
    Client company;
    login(company, "contact@atelier-vert-1.example", "Passerelle-Demo-2026");
    auto page = company.get(url(notice_url));
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(
        company.post_form(url(notice_url + "/suivi"), {{"_csrf", Client::csrf_of(page.body)}, {"suivre", "1"}}).status,
        303);
    EXPECT_EQ(company
                  .post_form(url(notice_url + "/questions"), {{"_csrf", Client::csrf_of(page.body)},
                                                              {"question", "Combien de postes faut-il maintenir ?"}})
                  .status,
              303);
    // The buyer amends the deadline: followers get a rectificatif.
    auto edit = buyer.get(url("/mon-espace/consultations/" + id + "/modifier"));
    ASSERT_EQ(edit.status, 200);
    auto amended = buyer.post_form(url("/mon-espace/consultations/" + id + "/modifier"),
                                   {{"_csrf", Client::csrf_of(edit.body)},
                                    {"reference", "2027-IT-01"},
                                    {"title", "Maintenance informatique"},
                                    {"procedure", "mapa"},
                                    {"bid_deadline", "2030-03-22T12:00"},
                                    {"question_deadline", "2030-03-09T12:00"},
                                    {"lot_title", "Postes de travail"},
                                    {"lot_cpv", "72000000-5"},
                                    {"lot_amount", "300 000"},
                                    {"lot_departements", "75"},
                                    {"lot_clause", "insertion_hours"},
                                    {"lot_hours", "700"},
                                    {"lot_title", "Imprimantes"},
                                    {"lot_cpv", "30000000-9"},
                                    {"lot_amount", ""},
                                    {"lot_departements", "75, 92"},
                                    {"lot_clause", "reserved_ea_esat"},
                                    {"lot_hours", ""}});
    EXPECT_EQ(amended.status, 303) << amended.body;
    EXPECT_FALSE(server->mail_to("contact@atelier-vert-1.example", "22 mars 2030").empty());
    // The buyer answers; the answer is public, without the asker.
    auto buyer_view = buyer.get(url(notice_url));
    ASSERT_TRUE(std::regex_search(buyer_view.body, m,
                                  std::regex("/mon-espace/consultations/" + id + R"(/questions/(\d+)/reponse)")));
    EXPECT_EQ(buyer
                  .post_form(url(m[0].str()),
                             {{"_csrf", Client::csrf_of(buyer_view.body)}, {"answer", "Environ 1 200 postes."}})
                  .status,
              303);
    auto public_view = Client().get(url(notice_url));
    EXPECT_NE(public_view.body.find("Environ 1 200 postes."), std::string::npos);
    EXPECT_EQ(public_view.body.find("atelier-vert"), std::string::npos);
    EXPECT_NE(public_view.body.find("Rectificatif"), std::string::npos);
    // Tender documents: checked by content, downloads recorded, served as attachments.
    auto html_as_pdf = buyer.post_file(url("/mon-espace/consultations/" + id + "/documents"),
                                       {{"_csrf", Client::csrf_of(buyer_view.body)}}, "document", "rc.pdf",
                                       "<html><script>alert(1)</script></html>");
    EXPECT_EQ(html_as_pdf.status, 303);
    EXPECT_NE(buyer.get(url(notice_url)).body.find("Format refusé"), std::string::npos);
    auto up = buyer.post_file(url("/mon-espace/consultations/" + id + "/documents"),
                              {{"_csrf", Client::csrf_of(buyer_view.body)}}, "document",
                              "Règlement de consultation.pdf", std::string("%PDF-1.7\n\x00\x01binaire", 18));
    EXPECT_EQ(up.status, 303);
    auto with_doc = company.get(url(notice_url));
    ASSERT_TRUE(std::regex_search(with_doc.body, m, std::regex("/consultations/" + id + R"(/documents/(\d+))")));
    EXPECT_EQ(Client().get(url(m[0].str())).status, 303);  // anonymous: log in first
    auto file = company.get(url(m[0].str()));
    EXPECT_EQ(file.status, 200);
    EXPECT_EQ(file.header("content-type"), "application/pdf");
    EXPECT_EQ(file.header("x-content-type-options"), "nosniff");
    EXPECT_NE(file.header("content-disposition").find("attachment; filename=\"R_glement de consultation.pdf\""),
              std::string::npos);
    EXPECT_EQ(file.body, std::string("%PDF-1.7\n\x00\x01binaire", 18));
    auto log = buyer.get(url("/mon-espace/consultations/" + id + "/retraits"));
    EXPECT_EQ(log.status, 200);
    EXPECT_NE(log.body.find("contact@atelier-vert-1.example"), std::string::npos);
    EXPECT_EQ(company.get(url("/mon-espace/consultations/" + id + "/retraits")).status,
              404);  // another's private page answers as a missing one
    // Close and award; the company cannot.
    auto cv = company.get(url(notice_url));
    EXPECT_EQ(
        company.post_form(url("/mon-espace/consultations/" + id + "/cloturer"), {{"_csrf", Client::csrf_of(cv.body)}})
            .status,
        403);
    const std::string award_url = url("/mon-espace/consultations/" + id + "/attribution");
    const std::vector<std::pair<std::string, std::string>> award = {{"_csrf", Client::csrf_of(buyer_view.body)},
                                                                    {"notified_on", "2026-11-20"},
                                                                    {"lot_1_siret", "732 829 320 00074"},
                                                                    {"lot_1_name", "Atelier Vert"},
                                                                    {"lot_1_amount", "45 000"},
                                                                    {"lot_2_unsuccessful", "1"}};
    EXPECT_EQ(company.get(award_url).status, 404);  // another's private page answers as a missing one
    EXPECT_EQ(buyer.post_form(award_url, award).status, 303);
    EXPECT_EQ(api("/api/v1/notices/" + id)["status"], "published");  // attribution needs closing first
    EXPECT_EQ(buyer
                  .post_form(url("/mon-espace/consultations/" + id + "/cloturer"),
                             {{"_csrf", Client::csrf_of(buyer_view.body)}})
                  .status,
              303);
    // The award form: a bad SIRET is refused with its message and changes nothing.
    auto award_form = buyer.get(award_url);
    EXPECT_EQ(award_form.status, 200);
    EXPECT_NE(award_form.body.find("SIRET du titulaire (lot 2)"), std::string::npos);
    auto bad_award = award;
    bad_award[2].second = "123";
    auto refused = buyer.post_form(award_url, bad_award);
    EXPECT_EQ(refused.status, 422);
    EXPECT_NE(refused.body.find("aria-describedby=\"lot_1_siret-error\""), std::string::npos);
    EXPECT_EQ(api("/api/v1/notices/" + id)["status"], "closed");
    EXPECT_EQ(buyer.post_form(award_url, award).status, 303);
    EXPECT_EQ(api("/api/v1/notices/" + id)["status"], "awarded");
    const std::string mail = server->mail_to("contact@atelier-vert-1.example", "est désormais : Attribuée");
    EXPECT_NE(mail.find("Atelier Vert"), std::string::npos) << mail;
    EXPECT_NE(mail.find("infructueux"), std::string::npos);
    // The awarded lot is an awarded contract, linked from the notice page.
    auto awarded_page = Client().get(url(notice_url));
    EXPECT_NE(awarded_page.body.find("Attribution"), std::string::npos);
    EXPECT_NE(awarded_page.body.find("/marches-attribues/"), std::string::npos);
    json found;
    for (int i = 0; i < 50; ++i) {
        found = api("/api/v1/search?type=contract&q=73282932000074");
        if (found["total"].get<int>() > 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(found["total"], 1) << found.dump();
    EXPECT_EQ(found["items"][0]["source_format"], "platform");
    EXPECT_EQ(found["items"][0]["amount"], 45000.0);
    EXPECT_EQ(found["items"][0]["notified_on"], "2026-11-20");
    EXPECT_EQ(api("/api/v1/notices?clause=reserved_ea_esat&state=all")["total"].get<int>(), 1);
    auto csv = Client().get(url("/consultations.csv?etat=toutes&q=maintenance%20informatique"));
    EXPECT_EQ(csv.status, 200);
    EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
    EXPECT_NE(csv.body.find("2027-IT-01,Maintenance informatique,Ville de Paris,21750001600019,mapa,awarded,"),
              std::string::npos)
        << csv.body;
    EXPECT_NE(csv.body.find(",2,Imprimantes,30000000,0,75 92,reserved_ea_esat,0,"), std::string::npos);
}

TEST_F(Http, SearchFindsNoticesAndRoadmapItemsWithFacets) {
    // The demo data is indexed at start-up.
    auto r = api("/api/v1/search?q=lycees");
    ASSERT_GE(r["total"].get<int>(), 2) << r.dump();
    std::set<std::string> kinds;
    for (const auto& item : r["items"]) kinds.insert(item["kind"].get<std::string>());
    EXPECT_EQ(kinds, (std::set<std::string>{"notice", "roadmap"}));
    EXPECT_EQ(api("/api/v1/search?q=lycees&type=notice")["items"][0]["title"],
              "Travaux de désamiantage et de réhabilitation du lycée Jean-Jaurès");
    // CPV expansion: "hygienisation" is only in the label of division 90.
    auto cpv = api("/api/v1/search?q=hygienisation&type=roadmap");
    EXPECT_GE(cpv["total"].get<int>(), 2);
    EXPECT_GE(cpv["facets"]["departement"]["93"].get<int>(), 1);
    EXPECT_EQ(Client().get(url("/api/v1/search?type=contrat")).status, 422);
    EXPECT_EQ(Client().get(url("/api/v1/search?type=contract")).status, 200);
    // A notice published now is found within a moment (the indexer follows the outbox).
    Client buyer;
    login(buyer, "acheteur.paris@passerelle.example", "Passerelle-Demo-2026");
    auto mine = buyer.get(url("/mon-espace/consultations"));
    std::smatch m;
    ASSERT_TRUE(std::regex_search(mine.body, m, std::regex(R"(/mon-espace/consultations/nouvelle\?org=(\d+))")));
    auto form = buyer.get(url(m[0].str()));
    auto ok = buyer.post_form(url(m[0].str()), {{"_csrf", Client::csrf_of(form.body)},
                                                {"reference", "2030-PISC"},
                                                {"title", "Rénovation énergétique des piscines municipales"},
                                                {"procedure", "ao_ouvert"},
                                                {"bid_deadline", "2030-03-15T12:00"},
                                                {"lot_cpv", "45000000"},
                                                {"lot_departements", "75"},
                                                {"lot_clause", "none"},
                                                {"publish", "1"}});
    ASSERT_EQ(ok.status, 303) << ok.body;
    json found;
    for (int i = 0; i < 50; ++i) {
        found = api("/api/v1/search?q=energetique%20piscine");
        if (found["total"].get<int>() > 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(found["total"], 1);
    EXPECT_NE(found["items"][0]["snippet_html"].get<std::string>().find("<mark>"), std::string::npos);
    // The page: tabs, facets, highlighted snippet, no raw markup from the data.
    auto page = Client().get(url("/recherche?q=piscines&type=consultations"));
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Rénovation énergétique des piscines municipales"), std::string::npos);
    EXPECT_NE(page.body.find("<mark>"), std::string::npos);
    EXPECT_NE(page.body.find("Projets d&apos;achat"), std::string::npos);
}

TEST_F(Http, AwardedContractsFromDecpAreSearchableWithWinnersAndDownloadable) {
    // The fixture imported the Croix DECP file and an official 2024 example.
    auto r = api("/api/v1/search?q=terrains%20synthetiques&type=contract");
    ASSERT_GE(r["total"].get<int>(), 1) << r.dump();
    const auto& item = r["items"][0];
    EXPECT_EQ(item["kind"], "contract");
    EXPECT_EQ(item["title"], "ENTRETIEN DES TERRAINS SYNTHETIQUES DE FOOTBALL");
    EXPECT_EQ(item["buyer"]["siret"], "21590163800019");
    EXPECT_EQ(item["source_id"], "21590163800019202021000000000s");
    ASSERT_EQ(item["winners"].size(), 1u);
    EXPECT_EQ(item["winners"][0]["identifier"], "31611247300038");
    EXPECT_EQ(item["amount"], 39200.0);
    // Without a type, every kind comes back, contracts included.
    auto all = api("/api/v1/search?q=football");
    std::set<std::string> kinds;
    for (const auto& i : all["items"]) kinds.insert(i["kind"].get<std::string>());
    EXPECT_TRUE(kinds.count("contract")) << all.dump();
    // A winner's SIRET finds the contract.
    EXPECT_GE(api("/api/v1/search?q=31611247300038")["total"].get<int>(), 1);

    // The list page with facets, the contract page, the CSV of the selection.
    Client c;
    auto list = c.get(url("/marches-attribues?departement=59"));
    EXPECT_EQ(list.status, 200);
    EXPECT_NE(list.body.find("Marchés attribués"), std::string::npos);
    EXPECT_NE(list.body.find("ENTRETIEN DES TERRAINS SYNTHETIQUES DE FOOTBALL"), std::string::npos);
    EXPECT_NE(list.body.find("Télécharger en CSV"), std::string::npos);
    std::smatch m;
    ASSERT_TRUE(
        std::regex_search(list.body, m, std::regex(R"re(href="(/marches-attribues/\d+)">ENTRETIEN DES TERRAINS)re")));
    auto page = c.get(url(m[1].str()));
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("39\u202f200"), std::string::npos);
    EXPECT_NE(page.body.find("S.O.R.E.V.E."), std::string::npos);
    EXPECT_NE(page.body.find("DECP (format 2019)"), std::string::npos);
    EXPECT_NE(page.body.find("href=\"/entreprises/31611247300038\""), std::string::npos);  // the winner's page
    EXPECT_NE(page.body.find("5 février 2021"), std::string::npos);
    auto csv = c.get(url("/marches-attribues.csv?q=terrains"));
    EXPECT_EQ(csv.status, 200);
    EXPECT_NE(csv.body.find("31611247300038"), std::string::npos);
    // The whole selection, not one page of it: 120 contracts of Croix, 2 of the 2024 example and the demo's 2
    // contracts with social clauses.
    auto all_csv = c.get(url("/marches-attribues.csv")).body;
    EXPECT_EQ(std::count(all_csv.begin(), all_csv.end(), '\n'), 1 + 122 + 2);
    EXPECT_EQ(c.get(url("/marches-attribues/999999")).status, 404);
    EXPECT_EQ(c.get(url("/marches-attribues/abc")).status, 404);
    // The search page has the tab.
    auto tab = c.get(url("/recherche?q=football&type=marches-attribues"));
    EXPECT_NE(tab.body.find("ENTRETIEN DES TERRAINS SYNTHETIQUES"), std::string::npos);
    // The winner's page lists it among its references; the profile says it comes from open data.
    auto winner = c.get(url("/entreprises/31611247300038"));
    EXPECT_EQ(winner.status, 200);
    EXPECT_NE(winner.body.find("Références : marchés remportés"), std::string::npos);
    EXPECT_NE(winner.body.find("ENTRETIEN DES TERRAINS SYNTHETIQUES DE FOOTBALL</a></td><td>Ville de Croix (59)</td>"),
              std::string::npos);
    EXPECT_NE(winner.body.find("39\u202f200\u202f€</td><td>2021</td>"), std::string::npos);  // amount and year
    EXPECT_NE(winner.body.find("Profil créé à partir des données publiques"), std::string::npos);
    auto buyer_page = c.get(url("/acheteurs/21590163800019"));
    EXPECT_EQ(buyer_page.status, 200);
    EXPECT_NE(buyer_page.body.find("Marchés attribués <span"), std::string::npos);
    // The home page counts the organisations on Passerelle, not the profiles the import created.
    auto home = c.get(url("/"));
    EXPECT_NE(home.body.find(">40</p><p class=\"mb-0\">entreprises inscrites"), std::string::npos);
    EXPECT_EQ(home.body.find("Ville de Croix"), std::string::npos);
    // The 2024 example: a concession-free contract whose supplier came in a {"titulaire": …} wrapper.
    auto v2 = api("/api/v1/search?q=55204599900869&type=contract");
    ASSERT_GE(v2["total"].get<int>(), 1) << v2.dump();
    EXPECT_EQ(v2["items"][0]["winners"][0]["identifier"], "55204599900869");
}

TEST_F(Http, ImportedBoampNoticesAreConsultationsWithALinkToTheOriginal) {
    auto r = api("/api/v1/search?q=remorquage&type=notice");
    ASSERT_EQ(r["total"], 1) << r.dump();
    const auto& item = r["items"][0];
    EXPECT_EQ(item["kind"], "external");
    EXPECT_EQ(item["source"], "boamp");
    EXPECT_EQ(item["source_id"], "16-186394");
    EXPECT_EQ(item["bid_deadline"], "2017-02-07T11:00:00Z");
    Client c;
    auto page = c.get(url("/consultations/externes/" + std::to_string(item["id"].get<int>())));
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("https://www.boamp.fr/avis/detail/16-186394"), std::string::npos);
    EXPECT_NE(page.body.find("Ville de Paris"), std::string::npos);
    EXPECT_NE(page.body.find("7 février 2017"), std::string::npos);
    EXPECT_EQ(c.get(url("/consultations/externes/424242")).status, 404);
    // In the page's "Consultations" tab, next to the platform's own notices.
    auto tab = c.get(url("/recherche?q=remorquage&type=consultations"));
    EXPECT_NE(tab.body.find("Avis BOAMP"), std::string::npos);
}

TEST_F(Http, AProfileFromOpenDataIsClaimedAndAnAdministratorDecides) {
    const std::string page_url = url("/entreprises/31611247300038");  // created by the DECP import
    EXPECT_NE(Client().get(page_url).body.find("pour revendiquer ce profil"), std::string::npos);
    Client person;
    login(person, "contact@atelier-vert-1.example", "Passerelle-Demo-2026");
    auto page = person.get(page_url);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(page.body, m, std::regex(R"re(action="(/organisations/\d+/revendiquer)")re")));
    const std::string claim_url = url(m[1].str());
    auto empty = person.post_form(claim_url, {{"_csrf", Client::csrf_of(page.body)}, {"message", ""}});
    EXPECT_EQ(empty.status, 303);
    EXPECT_EQ(empty.header("location"), "/entreprises/31611247300038#revendiquer");
    auto refused = person.get(page_url);  // the form as typed, its error beside the message
    EXPECT_NE(refused.body.find("votre fonction dans la structure"), std::string::npos);
    EXPECT_NE(refused.body.find("id=\"claim-erreurs\""), std::string::npos);
    EXPECT_NE(refused.body.find("aria-invalid=\"true\" aria-describedby=\"claim-message-erreur\""), std::string::npos);
    EXPECT_EQ(person.post_form(claim_url, {{"_csrf", Client::csrf_of(page.body)}, {"message", "Gérant"}}).status, 303);
    EXPECT_EQ(person.get(url("/admin/revendications")).status, 403);
    Client admin;
    login(admin, "admin@passerelle.example", "Passerelle-Demo-2026");
    auto list = admin.get(url("/admin/revendications"));
    EXPECT_EQ(list.status, 200);
    EXPECT_NE(list.body.find("contact@atelier-vert-1.example"), std::string::npos);
    ASSERT_TRUE(
        std::regex_search(list.body, m, std::regex(R"re(action="(/admin/revendications/\d+/\d+)/accepter")re")));
    EXPECT_EQ(admin.post_form(url(m[1].str() + "/accepter"), {{"_csrf", Client::csrf_of(list.body)}}).status, 303);
    EXPECT_NE(admin.get(url("/admin/revendications")).body.find("Aucune demande en attente"), std::string::npos);
    auto claimed = person.get(page_url);
    EXPECT_EQ(claimed.body.find("Profil créé à partir des données publiques"), std::string::npos);
    EXPECT_NE(claimed.body.find("Gérer l'organisation"), std::string::npos);
    EXPECT_FALSE(server->mail_to("contact@atelier-vert-1.example").empty());
}

TEST_F(Http, TheDirectorySearchesCompaniesWithFacets) {
    Client c;
    auto all = c.get(url("/entreprises"));
    ASSERT_EQ(all.status, 200);
    // Label facet with its count; the demo has SIAE (EI) companies; the buyers are not listed.
    std::smatch m;
    ASSERT_TRUE(std::regex_search(all.body, m, std::regex(R"re(<option value="siae_ei">[^<]*\((\d+)\)</option>)re")));
    const int siae_ei = std::stoi(m[1].str());
    EXPECT_GT(siae_ei, 0);
    EXPECT_EQ(all.body.find("Département de la Seine-Saint-Denis"), std::string::npos);

    auto siae = c.get(url("/entreprises?label=siae_ei"));
    EXPECT_NE(siae.body.find(std::to_string(siae_ei) + " résultat"), std::string::npos);
    EXPECT_NE(siae.body.find("Atelier Vert"), std::string::npos);
    // « SIAE, tous types » finds them too, and at least as many.
    ASSERT_TRUE(std::regex_search(all.body, m, std::regex(R"re(<option value="siae">[^<]*\((\d+)\)</option>)re")));
    EXPECT_GE(std::stoi(m[1].str()), siae_ei);
    EXPECT_NE(c.get(url("/entreprises?label=siae")).body.find("Atelier Vert"), std::string::npos);

    // Full text: a contractor of the Croix DECP file, found by the object of a contract it won, flagged
    // as a profile from open data; accents and case do not matter.
    auto works = c.get(url("/entreprises?q=ECLAIRAGE+piscine"));
    EXPECT_NE(works.body.find("<mark>"), std::string::npos);
    EXPECT_NE(works.body.find("Données publiques"), std::string::npos);
    auto by_siret = c.get(url("/entreprises?q=31611247300038"));
    EXPECT_NE(by_siret.body.find("/entreprises/31611247300038"), std::string::npos);
    EXPECT_NE(by_siret.body.find("1 résultat"), std::string::npos);
    // Filters combine: works in the Nord (59) and a label no contractor there has.
    auto managed = c.get(url("/entreprises?profil=gere"));  // the profiles companies manage, not open data
    EXPECT_NE(managed.body.find("Atelier Vert"), std::string::npos);
    EXPECT_EQ(managed.body.find("Données publiques</span>"), std::string::npos);
    auto none = c.get(url("/entreprises?departement=59&label=esat"));
    EXPECT_NE(none.body.find("Aucune organisation ne correspond"), std::string::npos);
    // Bad input changes nothing and explains.
    EXPECT_EQ(c.get(url("/entreprises?q=" + std::string(301, 'a'))).status, 400);
    EXPECT_EQ(c.get(url("/entreprises?division=zz&label=inconnu")).status, 200);
}

TEST_F(Http, TheExchangeRefusesBadInputOverHttpAndChangesNothing) {
    Client a, b;
    login(a, "contact@atelier-vert-1.example", "Passerelle-Demo-2026");
    login(b, "contact@bati-francilien-2.example", "Passerelle-Demo-2026");
    auto notice = a.get(url("/consultations/1"));
    ASSERT_EQ(notice.status, 200);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(notice.body, m, std::regex(R"re(name="org" value="(\d+)")re")));
    const std::string org_a = m[1].str();
    auto published = a.post_form(url("/consultations/1/bourse"),
                                 {{"_csrf", Client::csrf_of(notice.body)},
                                  {"org", org_a},
                                  {"kind", "seek_subcontractor"},
                                  {"lot", "2"},
                                  {"cpv_codes", "45000000"},
                                  {"departements", "93"},
                                  {"description", "Nous cherchons un sous-traitant pour la réhabilitation."}});
    ASSERT_EQ(published.status, 303);
    const std::string offer_url = url(published.header("location"));
    // Unknown CPV: refused with its reason, nothing published.
    auto unknown =
        a.post_form(url("/consultations/1/bourse"), {{"_csrf", Client::csrf_of(notice.body)},
                                                     {"org", org_a},
                                                     {"kind", "seek_subcontractor"},
                                                     {"cpv_codes", "99999999"},
                                                     {"description", "Une offre avec un code CPV qui n'existe pas."}});
    EXPECT_EQ(unknown.status, 303);
    auto back = a.get(url("/consultations/1"));  // the form again, as typed, its error beside the field
    EXPECT_NE(back.body.find("id=\"offer-erreurs\""), std::string::npos);
    EXPECT_NE(back.body.find("value=\"99999999\" aria-describedby=\"offer-cpv-help offer-cpv_codes-erreur\""),
              std::string::npos);
    EXPECT_NE(back.body.find(">Une offre avec un code CPV qui n"), std::string::npos);  // in the textarea
    auto list = b.get(url("/bourse-co-traitance"));
    EXPECT_NE(list.body.find("1 offre"), std::string::npos);

    // Answering one's own offer; an oversized attachment: refused, no conversation.
    auto own = a.get(offer_url);
    EXPECT_EQ(own.body.find("/repondre"), std::string::npos);  // no form for the author
    auto page = b.get(offer_url);
    ASSERT_TRUE(std::regex_search(page.body, m, std::regex(R"re(name="org" value="(\d+)")re")));
    const std::string org_b = m[1].str();
    auto self =
        a.post_form(offer_url + "/repondre", {{"_csrf", Client::csrf_of(own.body)}, {"org", org_a}, {"body", "Moi"}});
    EXPECT_EQ(self.status, 303);
    EXPECT_NE(a.get(offer_url).body.find("propre offre"), std::string::npos);
    auto big = b.post_file(offer_url + "/repondre",
                           {{"_csrf", Client::csrf_of(page.body)}, {"org", org_b}, {"body", "Plaquette"}}, "files",
                           "plaquette.pdf", "%PDF-1.4\n" + std::string(10 * 1024 * 1024 + 10, 'x'));
    EXPECT_EQ(big.status, 303);
    EXPECT_NE(b.get(offer_url).body.find("10 Mo"), std::string::npos);
    EXPECT_NE(b.get(url("/mon-espace/messages")).body.find("Aucune conversation"), std::string::npos);
    // A visitor is sent to the login page; a buyer is told the exchange is for companies.
    EXPECT_EQ(Client().get(offer_url).status, 303);
    Client buyer;
    login(buyer, "acheteur.93@passerelle.example", "Passerelle-Demo-2026");
    EXPECT_EQ(buyer.get(url("/bourse-co-traitance")).status, 403);
    EXPECT_EQ(buyer.get(offer_url).status, 404);  // another's private page answers as a missing one
}

TEST_F(Http, SearchesAndPasswordResetsAreRateLimitedPerAddress) {
    Client c;
    for (int i = 0; i < 120; ++i) ASSERT_EQ(c.get(url("/recherche?q=nettoyage")).status, 200) << i;
    auto over = c.get(url("/recherche?q=nettoyage"));
    EXPECT_EQ(over.status, 429);
    EXPECT_FALSE(over.header("retry-after").empty());
    EXPECT_NE(over.body.find("Trop de demandes"), std::string::npos);
    auto api = c.get(url("/api/v1/search?q=nettoyage"));  // the same budget
    EXPECT_EQ(api.status, 429);
    EXPECT_EQ(api.header("content-type"), "application/problem+json");
    for (int i = 0; i < 10; ++i) {
        auto form = c.get(url("/mot-de-passe-oublie"));
        ASSERT_EQ(
            c.post_form(url("/mot-de-passe-oublie"), {{"_csrf", Client::csrf_of(form.body)}, {"email", "x@exemple.fr"}})
                .status,
            200)
            << i;
    }
    auto form = c.get(url("/mot-de-passe-oublie"));
    auto reset =
        c.post_form(url("/mot-de-passe-oublie"), {{"_csrf", Client::csrf_of(form.body)}, {"email", "x@exemple.fr"}});
    EXPECT_EQ(reset.status, 429);
    EXPECT_FALSE(reset.header("retry-after").empty());
}

TEST_F(Http, TheAuditLogRecordsSensitiveActionsForAdministrators) {
    Client intruder;
    auto form = intruder.get(url("/connexion"));
    EXPECT_EQ(intruder
                  .post_form(url("/connexion"), {{"_csrf", Client::csrf_of(form.body)},
                                                 {"email", "acheteur.93@passerelle.example"},
                                                 {"password", "pas-le-bon"}})
                  .status,
              401);
    Client buyer;
    login(buyer, "acheteur.93@passerelle.example", "Passerelle-Demo-2026");
    auto notice = buyer.get(url("/consultations/2"));
    EXPECT_EQ(
        buyer.post_form(url("/mon-espace/consultations/2/cloturer"), {{"_csrf", Client::csrf_of(notice.body)}}).status,
        303);
    EXPECT_EQ(buyer.get(url("/admin/journal")).status, 403);

    Client admin;
    login(admin, "admin@passerelle.example", "Passerelle-Demo-2026");
    auto users = admin.get(url("/admin/utilisateurs"));
    EXPECT_EQ(admin
                  .post_form(url("/admin/utilisateurs/6/roles"),
                             {{"_csrf", Client::csrf_of(users.body)}, {"roles", "facilitator"}})
                  .status,
              303);
    auto journal = admin.get(url("/admin/journal"));
    ASSERT_EQ(journal.status, 200);
    for (const char* expected : {"Connexion refusée", "Consultation close, attribuée ou infructueuse", "consultation 2",
                                 "Rôles de plateforme modifiés", "facilitator", "127.0.0.1"})
        EXPECT_NE(journal.body.find(expected), std::string::npos) << expected;
    auto failed = admin.get(url("/admin/journal?action=login_failed"));
    EXPECT_NE(failed.body.find("1 entrée(s)"), std::string::npos);
    EXPECT_NE(failed.body.find("acheteur.93@passerelle.example"), std::string::npos);
    auto csv = admin.get(url("/admin/journal.csv?action=login_failed"));
    EXPECT_EQ(csv.status, 200);
    EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 2);  // header and the failed login
    EXPECT_NE(admin.get(url("/admin/journal?du=2000-01-01&au=2000-01-02")).body.find(">0 entrée(s)<"),
              std::string::npos);
}

// The demo event (id 1): a company's request accepted by the buyer, the organiser's schedule published, the
// company's agenda with its calendar file and QR code, and check-in with the code; bad input refused.
TEST_F(Http, MeetingRequestAcceptedScheduledAndOnTheAgenda) {
    Client company, buyer, organiser;
    login(company, "contact@atelier-vert-1.example", "Passerelle-Demo-2026");
    login(buyer, "acheteur.93@passerelle.example", "Passerelle-Demo-2026");
    login(organiser, "organisatrice@passerelle.example", "Passerelle-Demo-2026");

    // Atelier Vert asked Seine-Saint-Denis; the buyer sees it and accepts.
    auto received = buyer.get(url("/mon-espace/evenements/1/rendez-vous"));
    ASSERT_EQ(received.status, 200);
    const auto at = received.body.find("Atelier Vert");
    ASSERT_NE(at, std::string::npos);
    const auto link = received.body.find("/mon-espace/rendez-vous/", at);
    ASSERT_NE(link, std::string::npos);
    const auto request_id = received.body.substr(link + 24, received.body.find('/', link + 24) - link - 24);
    EXPECT_EQ(buyer
                  .post_form(url("/mon-espace/rendez-vous/" + request_id + "/accepter"),
                             {{"_csrf", Client::csrf_of(received.body)}})
                  .status,
              303);
    EXPECT_NE(server->mail_to("contact@atelier-vert-1.example", "accepté").find("Seine-Saint-Denis"),
              std::string::npos);
    // Answering twice, or as the company that asked: refused, nothing changes.
    auto mine = company.get(url("/mon-espace/evenements/1/rendez-vous"));
    EXPECT_EQ(company
                  .post_form(url("/mon-espace/rendez-vous/" + request_id + "/decliner"),
                             {{"_csrf", Client::csrf_of(mine.body)}})
                  .status,
              403);
    // A meeting with oneself, and a message over 1,000 characters: refused with the reason.
    auto self = company.post_form(url("/mon-espace/evenements/1/rendez-vous"),
                                  {{"_csrf", Client::csrf_of(mine.body)}, {"organisation", "9"}, {"to", "9"}});
    EXPECT_EQ(self.status, 303);
    EXPECT_NE(company.get(url("/mon-espace/evenements/1/rendez-vous?organisation=9")).body.find("propre organisation"),
              std::string::npos);
    auto too_long =
        company.post_form(url("/mon-espace/evenements/1/rendez-vous"), {{"_csrf", Client::csrf_of(mine.body)},
                                                                        {"organisation", "9"},
                                                                        {"to", "2"},
                                                                        {"message", std::string(1200, 'x')}});
    EXPECT_EQ(too_long.status, 303);
    EXPECT_NE(company.get(url("/mon-espace/evenements/1/rendez-vous")).body.find("Le message fait au plus"),
              std::string::npos);

    // The organiser computes and publishes the schedule.
    auto planning = organiser.get(url("/mon-espace/evenements/1/planning"));
    ASSERT_EQ(planning.status, 200);
    EXPECT_EQ(
        organiser
            .post_form(url("/mon-espace/evenements/1/planning/calculer"), {{"_csrf", Client::csrf_of(planning.body)}})
            .status,
        303);
    planning = organiser.get(url("/mon-espace/evenements/1/planning"));
    EXPECT_NE(planning.body.find("13 rendez-vous placés</strong> sur 13 acceptés"), std::string::npos) << planning.body;
    EXPECT_NE(planning.body.find("optimal"), std::string::npos);
    EXPECT_EQ(
        organiser
            .post_form(url("/mon-espace/evenements/1/planning/publier"), {{"_csrf", Client::csrf_of(planning.body)}})
            .status,
        303);
    EXPECT_NE(server->mail_to("contact@atelier-vert-1.example", "Votre agenda").find("agenda.ics"), std::string::npos);

    // The company's agenda, its calendar file and its QR code.
    auto agenda = company.get(url("/mon-espace/evenements/1/agenda"));
    ASSERT_EQ(agenda.status, 200);
    EXPECT_NE(agenda.body.find("Département de la Seine-Saint-Denis"), std::string::npos);
    auto ics = company.get(url("/mon-espace/evenements/1/agenda.ics?organisation=9"));
    EXPECT_EQ(ics.status, 200);
    EXPECT_EQ(ics.header("content-type").rfind("text/calendar", 0), 0u);
    EXPECT_NE(ics.body.find("DTSTART;TZID=Europe/Paris:"), std::string::npos);
    EXPECT_NE(ics.body.find("BEGIN:VEVENT", ics.body.find("BEGIN:VEVENT") + 1), std::string::npos);  // event + meeting
    EXPECT_NE(ics.body.find("SUMMARY:Rendez-vous : Département de la Seine-Saint-Denis"), std::string::npos);
    EXPECT_EQ(company.get(url("/mon-espace/evenements/1/qr.svg")).header("content-type"), "image/svg+xml");
    // Another company's agenda is not this one's business.
    EXPECT_EQ(company.get(url("/mon-espace/evenements/1/agenda?organisation=10")).status,
              404);  // another's private page answers as a missing one

    // Check-in with the code printed on the agenda.
    const auto code_at = agenda.body.find("font-monospace\">");
    ASSERT_NE(code_at, std::string::npos);
    const auto code = agenda.body.substr(code_at + 16, 8);
    auto desk = organiser.get(url("/mon-espace/evenements/1/emargement"));
    EXPECT_EQ(organiser
                  .post_form(url("/mon-espace/evenements/1/emargement"),
                             {{"_csrf", Client::csrf_of(desk.body)}, {"code", "  " + code + " "}})
                  .status,
              303);
    desk = organiser.get(url("/mon-espace/evenements/1/emargement"));
    EXPECT_NE(desk.body.find("1 présent(s)"), std::string::npos);
    auto xlsx = organiser.get(url("/mon-espace/evenements/1/inscrits.xlsx"));
    EXPECT_EQ(xlsx.status, 200);
    EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
}

TEST_F(Http, SourcingSuggestsSuppliersWithReasonsToBuyersOnly) {
    const std::string page_url =
        url("/mon-espace/sourcing?cpv_codes=45000000&departement=59&montant=200+000&clause=none");
    EXPECT_EQ(Client().get(page_url).status, 303);  // to the login page
    Client company;
    login(company, "contact@atelier-vert-1.example", "Passerelle-Demo-2026");
    EXPECT_EQ(company.get(page_url).status, 403);

    Client buyer;
    login(buyer, "acheteur.93@passerelle.example", "Passerelle-Demo-2026");
    auto form = buyer.get(url("/mon-espace/sourcing"));
    EXPECT_EQ(form.status, 200);
    EXPECT_EQ(form.body.find("Fournisseurs suggérés"), std::string::npos);
    auto r = buyer.get(page_url);
    ASSERT_EQ(r.status, 200);
    // Works contractors of the Croix DECP file (Nord), with the reason in French, linked to their page.
    EXPECT_NE(r.body.find("a remporté 3 marchés CPV 45 dans le 59 (Nord) depuis 2019"), std::string::npos);
    EXPECT_NE(r.body.find("href=\"/entreprises/31611247300038\""), std::string::npos);
    const auto first = r.body.find("list-group-numbered");
    ASSERT_NE(first, std::string::npos);

    // An insertion clause brings the SIAE declaring the skill up; reserved to EA / ESAT leaves them out.
    auto clause = buyer.get(
        url("/mon-espace/sourcing?cpv_codes=45000000&departement=78&clause=insertion"));  // Atelier Vert and Kiosque
                                                                                          // Vert work in the 78
    EXPECT_NE(clause.body.find("SIAE (EI) intervenant dans le 78"), std::string::npos);
    auto reserved = buyer.get(url("/mon-espace/sourcing?cpv_codes=45000000&departement=93&clause=reserved_ea_esat"));
    EXPECT_EQ(reserved.body.find("SIAE (EI)"), std::string::npos);

    // Bad input: a French message, the form kept.
    auto bad = buyer.get(url("/mon-espace/sourcing?cpv_codes=99000000&montant=beaucoup&chercher=1"));
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("99000000 : Ce code CPV n"), std::string::npos) << bad.body.substr(0, 3000);
    EXPECT_NE(bad.body.find("Indiquez un montant en euros"), std::string::npos);
    EXPECT_NE(bad.body.find("value=\"beaucoup\""), std::string::npos);
    auto none = buyer.get(url("/mon-espace/sourcing?chercher=1"));
    EXPECT_EQ(none.status, 422);
    EXPECT_NE(none.body.find("Choisissez au moins un code CPV."), std::string::npos);
}

TEST_F(Http, SavedSearchRaisesAnAlertWithItsReasonFeedAndUnsubscribe) {
    Client company;
    login(company, "contact@bati-francilien-2.example", "Passerelle-Demo-2026");
    auto page = company.get(url("/recherche?q=piscine&departement=75"));
    ASSERT_EQ(page.status, 200);
    ASSERT_NE(page.body.find("Enregistrer cette recherche"), std::string::npos);
    auto saved = company.post_form(url("/recherche/sauvegarder"), {{"_csrf", Client::csrf_of(page.body)},
                                                                   {"q", "piscine"},
                                                                   {"departement", "75"},
                                                                   {"name", "Piscines à Paris"},
                                                                   {"frequency", "immediate"}});
    ASSERT_EQ(saved.status, 303);
    // A buyer publishes a matching notice and one that does not match.
    Client buyer;
    login(buyer, "acheteur.paris@passerelle.example", "Passerelle-Demo-2026");
    auto mine = buyer.get(url("/mon-espace/consultations"));
    std::smatch m;
    ASSERT_TRUE(std::regex_search(mine.body, m, std::regex(R"(/mon-espace/consultations/nouvelle\?org=(\d+))")));
    for (const auto& [ref, title, dep] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"2030-P1", "Entretien des piscines municipales", "75"},
             {"2030-P2", "Entretien des piscines de banlieue", "93"}}) {
        auto form = buyer.get(url(m[0].str()));
        ASSERT_EQ(buyer
                      .post_form(url(m[0].str()), {{"_csrf", Client::csrf_of(form.body)},
                                                   {"reference", ref},
                                                   {"title", title},
                                                   {"procedure", "mapa"},
                                                   {"bid_deadline", "2030-03-15T12:00"},
                                                   {"lot_cpv", "45000000"},
                                                   {"lot_departements", dep},
                                                   {"lot_clause", "none"},
                                                   {"publish", "1"}})
                      .status,
                  303);
    }
    std::string mail = server->mail_to("contact@bati-francilien-2.example", "Entretien des piscines municipales");
    ASSERT_FALSE(mail.empty());
    EXPECT_NE(mail.find("Pourquoi : mots : piscine ; d\xC3\xA9partement 75"), std::string::npos) << mail;
    EXPECT_TRUE(server->mail_to("contact@bati-francilien-2.example", "banlieue").empty());
    auto alerts = company.get(url("/mon-espace/alertes"));
    EXPECT_NE(alerts.body.find("Entretien des piscines municipales"), std::string::npos);
    EXPECT_EQ(alerts.body.find("banlieue"), std::string::npos);
    // The private Atom feed.
    ASSERT_TRUE(std::regex_search(alerts.body, m, std::regex(R"((/alertes/[A-Za-z0-9_-]+\.atom))")));
    auto feed = Client().get(url(m[1].str()));
    EXPECT_EQ(feed.status, 200);
    EXPECT_EQ(feed.header("content-type"), "application/atom+xml; charset=utf-8");
    EXPECT_NE(feed.body.find("<entry>"), std::string::npos);
    EXPECT_NE(feed.body.find("Entretien des piscines municipales"), std::string::npos);
    EXPECT_EQ(Client().get(url("/alertes/inconnu-mais-assez-long-pour-un-jeton.atom")).status, 404);
    // Unsubscribe without logging in.
    auto pos = mail.find("/alertes/desabonnement?jeton=");
    ASSERT_NE(pos, std::string::npos);
    std::string link = mail.substr(pos, mail.find_first_of("\r\n", pos) - pos);
    Client anonymous;
    auto confirm = anonymous.get(url(link));
    ASSERT_EQ(confirm.status, 200);
    std::string token = link.substr(link.find('=') + 1);
    auto done = anonymous.post_form(url("/alertes/desabonnement"),
                                    {{"_csrf", Client::csrf_of(confirm.body)}, {"jeton", token}});
    EXPECT_EQ(done.status, 200);
    EXPECT_NE(done.body.find("Piscines à Paris"), std::string::npos);
    EXPECT_NE(company.get(url("/mon-espace/alertes")).body.find("e-mails arrêtés"), std::string::npos);
}

TEST_F(Http, GracefulStopOnSigterm) {
    Client c;
    EXPECT_EQ(c.get(url("/healthz")).status, 200);  // leaves an idle keep-alive connection open
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(server->stop(), 0);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    EXPECT_NE(server->log().find("stopped cleanly"), std::string::npos);
}

TEST_F(Http, InFlightRequestIsServedDuringTheDrain) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(server->port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    const std::string head =
        "POST /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nabcde";
    ASSERT_GT(::send(fd, head.data(), head.size(), 0), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::thread stopper([&] { server->stop(); });  // SIGTERM while the body is still arriving
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ASSERT_GT(::send(fd, "fghij", 5, 0), 0);
    std::string answer;
    char buf[4096];
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) answer.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    stopper.join();
    EXPECT_EQ(answer.rfind("HTTP/1.1 405", 0), 0u) << answer;  // answered, not dropped
    EXPECT_NE(answer.find("Connection: close"), std::string::npos);
    EXPECT_NE(server->log().find("stopped cleanly"), std::string::npos);
}

class HttpSlowHeader : public Http {
  protected:
    std::vector<std::string> extra_args() override { return {"--header-timeout", "1"}; }
};

TEST_F(HttpSlowHeader, SlowHeadersAreCutOff) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(server->port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    const char partial[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    ASSERT_GT(::send(fd, partial, sizeof partial - 1, 0), 0);
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    auto start = std::chrono::steady_clock::now();
    char buf[64];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    auto waited = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(n, 0);  // closed by the server, without an answer
    EXPECT_LT(waited, std::chrono::seconds(4));
    ::close(fd);
    Client c;
    EXPECT_EQ(c.get(url("/healthz")).status, 200);
}

TEST(HttpPostgres, ServesOnPostgreSQL) {
    const char* pg = std::getenv("PASSERELLE_TEST_PG");
    ASSERT_TRUE(pg && *pg) << "PASSERELLE_TEST_PG is not set: run through scripts/with-postgres.sh (make test)";
    std::string db = "passerelle_http_" + std::to_string(::getpid());
    std::string admin(pg);
    ASSERT_EQ(std::system(("psql -q '" + admin + "' -c 'CREATE DATABASE " + db + "' >/dev/null").c_str()), 0);
    std::string url_db = admin.substr(0, admin.rfind('/') + 1) + db;
    {
        ServerProcess server({"--demo"}, url_db);
        ASSERT_TRUE(server.running()) << server.log();
        Client c;
        EXPECT_EQ(json::parse(c.get(server.url("/healthz")).body)["status"], "ok");
        auto form = c.get(server.url("/connexion"));
        auto r = c.post_form(server.url("/connexion"), {{"_csrf", Client::csrf_of(form.body)},
                                                        {"email", "acheteur.93@passerelle.example"},
                                                        {"password", "Passerelle-Demo-2026"}});
        EXPECT_EQ(r.status, 303);
        auto me = json::parse(c.get(server.url("/api/v1/me")).body);
        EXPECT_EQ(me["organisations"][0]["name"], "Département de la Seine-Saint-Denis");
        EXPECT_EQ(json::parse(c.get(server.url("/api/v1/organisations?kind=company")).body)["total"], 40);
    }
    (void)std::system(
        ("psql -q '" + admin + "' -c 'DROP DATABASE IF EXISTS " + db + " WITH (FORCE)' >/dev/null").c_str());
}

namespace {

// The secret shown once on the tokens page after creation.
std::string secret_in(const std::string& html) {
    auto pos = html.find("value=\"psl_");
    if (pos == std::string::npos) return "";
    pos += 7;
    return html.substr(pos, html.find('"', pos) - pos);
}

}  // namespace

TEST_F(Http, ApiTokensAreCreatedOnceUsedWithinTheirScopesRateLimitedAndRevoked) {
    Client agent;
    login(agent, "acheteur.93@passerelle.example", "Passerelle-Demo-2026");
    const std::string page = "/mon-espace/organisations/3/jetons";
    auto form = agent.get(url(page));
    ASSERT_EQ(form.status, 200);
    EXPECT_NE(form.body.find("Aucun jeton"), std::string::npos);
    const std::string csrf = Client::csrf_of(form.body);

    // Refused with French messages beside the fields, nothing created.
    auto bad = agent.post_form(url(page), {{"_csrf", csrf}, {"name", ""}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("Choisissez au moins un droit"), std::string::npos);
    EXPECT_EQ(secret_in(bad.body), "");

    auto made = agent.post_form(
        url(page), {{"_csrf", csrf}, {"name", "Profil d'acheteur"}, {"scopes", "read"}, {"scopes", "notices:publish"}});
    ASSERT_EQ(made.status, 201) << made.body;
    const std::string publisher = secret_in(made.body);
    ASSERT_EQ(publisher.rfind("psl_", 0), 0u);
    auto made2 = agent.post_form(url(page), {{"_csrf", csrf}, {"name", "Tableau de bord"}, {"scopes", "read"}});
    const std::string reader = secret_in(made2.body);
    ASSERT_FALSE(reader.empty());
    // Shown once: the list gives only the start of each token.
    auto listed = agent.get(url(page));
    EXPECT_EQ(listed.body.find(publisher), std::string::npos);
    EXPECT_NE(listed.body.find(publisher.substr(0, 10) + "…"), std::string::npos);

    Client api_client;  // no cookie: the token alone
    auto bearer = [](const std::string& t) { return std::vector<std::string>{"Authorization: Bearer " + t}; };
    auto me = api_client.get(url("/api/v1/me"), bearer(reader));
    ASSERT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(json::parse(me.body)["email"], "acheteur.93@passerelle.example");
    EXPECT_EQ(json::parse(me.body)["token"]["name"], "Tableau de bord");

    const std::string notice = R"({"reference": "API-2027-01", "title": "Entretien des espaces verts par l'API",
        "description": "Tonte, taille et désherbage des parcs départementaux.", "procedure": "ao_ouvert",
        "bid_deadline": "2031-03-15T12:00", "publish": true,
        "lots": [{"title": "Parcs du nord", "cpv_code": "77000000", "estimated_amount": 180000,
                  "departements": ["93"]}]})";
    auto none = api_client.post_raw(url("/api/v1/notices"), notice, "application/json");
    EXPECT_EQ(none.status, 401);
    EXPECT_NE(none.header("www-authenticate").find("Bearer"), std::string::npos);
    EXPECT_EQ(api_client.post_raw(url("/api/v1/notices"), notice, "application/json", bearer("psl_forged")).status,
              401);
    auto read_only = api_client.post_raw(url("/api/v1/notices"), notice, "application/json", bearer(reader));
    EXPECT_EQ(read_only.status, 403);
    EXPECT_NE(read_only.body.find("notices:publish"), std::string::npos);
    auto invalid = api_client.post_raw(url("/api/v1/notices"), R"({"title": "", "lots": []})", "application/json",
                                       bearer(publisher));
    EXPECT_EQ(invalid.status, 422);
    EXPECT_EQ(invalid.header("content-type"), "application/problem+json");
    EXPECT_EQ(api_client.post_raw(url("/api/v1/notices"), "[1,", "application/json", bearer(publisher)).status, 422);
    auto typed = api_client.post_raw(url("/api/v1/notices"), R"({"title": ["x"], "lots": [{"cpv_code": true}]})",
                                     "application/json", bearer(publisher));
    EXPECT_EQ(typed.status, 422);
    EXPECT_NE(typed.body.find("lots.1.cpv_code"), std::string::npos);
    EXPECT_NE(typed.body.find("\"title\""), std::string::npos);
    EXPECT_EQ(api_client
                  .post_raw(url("/api/v1/notices"), R"({"title": "x", "publish": "oui"})", "application/json",
                            bearer(publisher))
                  .status,
              422);

    auto created = api_client.post_raw(url("/api/v1/notices"), notice, "application/json", bearer(publisher));
    ASSERT_EQ(created.status, 201) << created.body;
    auto body = json::parse(created.body);
    EXPECT_EQ(body["title"], "Entretien des espaces verts par l'API");
    EXPECT_EQ(body["status"], "published");
    std::string location = created.header("location");
    ASSERT_NE(location.find("/api/v1/notices/"), std::string::npos);
    auto publicly = Client().get(url(location.substr(location.find("/api/v1/"))));
    EXPECT_EQ(publicly.status, 200);
    EXPECT_EQ(json::parse(publicly.body)["buyer"]["siret"], json::parse(created.body)["buyer"]["siret"]);

    // The list shows the last use; the audit log has the creation and the publication.
    listed = agent.get(url(page));
    EXPECT_NE(listed.body.find("depuis 127.0.0.1"), std::string::npos);
    Client admin;
    login(admin, "admin@passerelle.example", "Passerelle-Demo-2026");
    auto audit = admin.get(url("/admin/journal.csv"));
    EXPECT_NE(audit.body.find("Jeton d'API créé"), std::string::npos);
    EXPECT_NE(audit.body.find("par l'API, jeton « Profil d'acheteur »"), std::string::npos);

    // Rate limit per token: 120 requests a minute, then 429 with Retry-After; another token is not affected.
    int ok = 0;
    HttpResult last;
    for (int i = 0; i < 125; ++i) {
        last = api_client.get(url("/api/v1/cpv?q=travaux"), bearer(reader));
        if (last.status == 200) ++ok;
        if (last.status == 429) break;
    }
    EXPECT_EQ(last.status, 429);
    EXPECT_GE(ok, 115);  // the /api/v1/me call above counted too
    EXPECT_FALSE(last.header("retry-after").empty());
    EXPECT_EQ(api_client.get(url("/api/v1/me"), bearer(publisher)).status, 200);

    // Revoked: refused at once. (Newest first: the publisher's token is the second of the list.)
    auto tokens = agent.get(url(page)).body;
    std::vector<std::string> revokes;
    for (auto at = tokens.find(page + "/"); at != std::string::npos; at = tokens.find(page + "/", at + 1))
        revokes.push_back(tokens.substr(at, tokens.find('"', at) - at));
    ASSERT_EQ(revokes.size(), 2u);
    const std::string revoke = revokes[1];
    EXPECT_EQ(agent.post_form(url(revoke), {{"_csrf", csrf}}).status, 303);
    auto after = api_client.get(url("/api/v1/me"), bearer(publisher));
    EXPECT_EQ(after.status, 401);
    EXPECT_NE(after.body.find("révoqué"), std::string::npos);
}

TEST_F(Http, AnEventsTokenListsTheRegistrationsOfTheOrganisersEvents) {
    Client organiser;
    login(organiser, "organisatrice@passerelle.example", "Passerelle-Demo-2026");
    const std::string page = "/mon-espace/organisations/1/jetons";
    auto form = organiser.get(url(page));
    ASSERT_EQ(form.status, 200);
    EXPECT_NE(form.body.find("events:manage"), std::string::npos);
    auto made = organiser.post_form(
        url(page), {{"_csrf", Client::csrf_of(form.body)}, {"name", "Billetterie"}, {"scopes", "events:manage"}});
    ASSERT_EQ(made.status, 201) << made.body;
    std::vector<std::string> auth = {"Authorization: Bearer " + secret_in(made.body)};
    Client c;
    auto regs = c.get(url("/api/v1/events/1/registrations"), auth);
    ASSERT_EQ(regs.status, 200) << regs.body;
    auto items = json::parse(regs.body)["items"];
    ASSERT_FALSE(items.empty());
    EXPECT_EQ(items[0]["status"], "confirmed");
    const std::string reg = std::to_string(items[0]["id"].get<int>());
    // A confirmed registration awaits no decision: 409, nothing changed.
    auto decided =
        c.post_raw(url("/api/v1/events/1/registrations/" + reg), R"({"decision":"refuse"})", "application/json", auth);
    EXPECT_EQ(decided.status, 409);
    EXPECT_EQ(
        c.post_raw(url("/api/v1/events/1/registrations/" + reg), R"({"decision":"maybe"})", "application/json", auth)
            .status,
        422);
    EXPECT_EQ(
        c.post_raw(url("/api/v1/events/1/registrations/999999"), R"({"decision":"accept"})", "application/json", auth)
            .status,
        404);
    EXPECT_EQ(json::parse(c.get(url("/api/v1/events/1/registrations"), auth).body)["items"][0]["status"], "confirmed");
    // This token has no reading scope: the public API refuses it rather than ignoring it.
    EXPECT_EQ(c.get(url("/api/v1/notices"), auth).status, 403);
}

// A refused invitation comes back as typed, its error beside the field (issue 21: « a banner at the top, the field
// not marked »), and nothing is sent.
TEST_F(Http, ARefusedInvitationKeepsWhatWasTyped) {
    Client admin;
    login(admin, "acheteur.93@passerelle.example", "Passerelle-Demo-2026");
    const std::string page = "/mon-espace/organisations/3";
    auto form = admin.get(url(page));
    ASSERT_EQ(form.status, 200);
    auto r =
        admin.post_form(url(page + "/invitations"),
                        {{"_csrf", Client::csrf_of(form.body)}, {"email", "collegue@@exemple"}, {"role", "admin"}});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), page + "#invitations");
    auto back = admin.get(url(page));
    EXPECT_NE(back.body.find("id=\"invite-erreurs\""), std::string::npos);
    EXPECT_NE(back.body.find("<a href=\"#invite-email\">"), std::string::npos);  // the summary leads to the field
    EXPECT_NE(back.body.find("value=\"collegue@@exemple\" required aria-invalid=\"true\""), std::string::npos);
    EXPECT_NE(back.body.find("<option value=\"admin\" selected>"), std::string::npos);
    EXPECT_EQ(back.body.find("Invitations en attente"), std::string::npos);  // nothing sent
    // Once shown, the page is clean again.
    EXPECT_EQ(admin.get(url(page)).body.find("id=\"invite-erreurs\""), std::string::npos);
}

// A refused saved search comes back on the same search as typed (issue 21: an empty name came back as « Ma veille »,
// a long one lost the name and the frequency), its error beside the name, the section open.
TEST_F(Http, ARefusedSavedSearchKeepsWhatWasTyped) {
    Client company;
    login(company, "contact@bati-francilien-2.example", "Passerelle-Demo-2026");
    auto page = company.get(url("/recherche?q=piscine&departement=75"));
    ASSERT_EQ(page.status, 200);
    auto r = company.post_form(url("/recherche/sauvegarder"), {{"_csrf", Client::csrf_of(page.body)},
                                                               {"q", "piscine"},
                                                               {"departement", "75"},
                                                               {"name", ""},
                                                               {"frequency", "weekly"}});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), "/recherche?q=piscine&departement=75#enregistrer");
    auto back = company.get(url(r.header("location")));
    EXPECT_NE(back.body.find("id=\"enregistrer\" open"), std::string::npos);
    EXPECT_NE(back.body.find("id=\"save-erreurs\""), std::string::npos);
    EXPECT_NE(back.body.find("<a href=\"#save-name\">"), std::string::npos);
    EXPECT_NE(back.body.find("name=\"name\" value=\"\" data-maxchars=\"100\" required aria-invalid=\"true\""),
              std::string::npos);
    EXPECT_NE(back.body.find("<option value=\"weekly\" selected>"), std::string::npos);
    EXPECT_EQ(company.get(url("/mon-espace/alertes")).body.find("piscine"), std::string::npos);  // nothing saved
}

// The buyer's « Abandonner ce projet » with a reason too long comes back as typed, the project still published.
TEST_F(Http, ARefusedAbandonKeepsTheReasonTyped) {
    Client buyer;
    login(buyer, "acheteur.region@passerelle.example", "Passerelle-Demo-2026");
    auto page = buyer.get(url("/feuilles-de-route/1"));
    ASSERT_EQ(page.status, 200);
    ASSERT_NE(page.body.find("id=\"abandon-reason\""), std::string::npos);
    std::string reason;
    for (int i = 0; i < 501; ++i) reason += "é";
    auto r = buyer.post_form(url("/mon-espace/feuilles-de-route/1/abandonner"),
                             {{"_csrf", Client::csrf_of(page.body)}, {"reason", reason}});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), "/feuilles-de-route/1#outils-acheteur");
    auto back = buyer.get(url("/feuilles-de-route/1"));
    EXPECT_NE(back.body.find("id=\"abandon-erreurs\""), std::string::npos);
    EXPECT_NE(back.body.find("value=\"" + reason + "\" data-maxchars=\"500\" aria-invalid=\"true\""),
              std::string::npos);
    EXPECT_NE(back.body.find("Abandonner ce projet"), std::string::npos);  // not abandoned
}
