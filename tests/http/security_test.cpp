// What a penetration test tried against the running site, replayed: response splitting and open redirects
// through every redirect taken from a request, malformed framing, NUL in paths.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <string>
#include <vector>

#include "tests/http/site_fixture.hpp"

namespace {

// The payloads tried on every parameter that becomes a redirect: response splitting (raw and encoded CR/LF,
// NUL) and open redirects (protocol-relative, backslashes, tabs that browsers drop, schemes, over-long).
const std::vector<std::string> kRedirectPayloads = {
    "/x\r\nSet-Cookie: passerelle_session=attacker; Path=/",
    "/x\nSet-Cookie: a=b",
    "/x%0d%0aSet-Cookie:%20a=b",
    "/x%0D%0ASet-Cookie:%20a=b",
    "/x%00",
    "//evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/" + std::string(5000, 'a'),
};

// Bytes sent as they are on a new connection; what the server answered before closing.
std::string raw_exchange(int port, const std::string& bytes) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return "";
    (void)::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    std::string answer;
    char buf[4096];
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) answer.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return answer;
}

// The header block of a raw answer, lines split on CRLF.
std::vector<std::string> header_lines(const std::string& answer) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    const std::size_t end = answer.find("\r\n\r\n");
    while (pos < end) {
        std::size_t eol = answer.find("\r\n", pos);
        lines.push_back(answer.substr(pos, eol - pos));
        pos = eol + 2;
    }
    return lines;
}

std::string percent_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace

// Item 1: `retour` of /connexion (GET when already logged in, POST at login) never splits the response nor
// leaves the site: the person lands on their dashboard.
TEST_F(Http, LoginReturnIsASameSitePathOrTheDashboard) {
    Client c;
    login(c, "acheteur.93@passerelle.example", "Passerelle-Demo-2026");
    for (const auto& p : kRedirectPayloads) {
        auto r = c.get(url("/connexion?retour=" + percent_encode(p)));
        EXPECT_EQ(r.status, 302) << p;
        EXPECT_EQ(r.header("location"), "/mon-espace") << p;
        for (const auto& sc : r.set_cookies) EXPECT_EQ(sc.find("attacker"), std::string::npos) << p;
    }
    EXPECT_EQ(c.get(url("/connexion?retour=%2Fconsultations%3Fq%3Dx")).header("location"), "/consultations?q=x");

    for (const auto& p : kRedirectPayloads) {
        Client fresh;
        auto form = fresh.get(url("/connexion"));
        auto r = fresh.post_form(url("/connexion"), {{"_csrf", Client::csrf_of(form.body)},
                                                     {"email", "acheteur.93@passerelle.example"},
                                                     {"password", "Passerelle-Demo-2026"},
                                                     {"retour", p}});
        EXPECT_EQ(r.status, 303) << p;
        EXPECT_EQ(r.header("location"), "/mon-espace") << p;
        // Only our cookies: the rotated session and the known-browser mark.
        for (const auto& sc : r.set_cookies) {
            EXPECT_TRUE(sc.rfind("passerelle_session=", 0) == 0 || sc.rfind("passerelle_browser=", 0) == 0) << sc;
            EXPECT_EQ(sc.find("attacker"), std::string::npos);
        }
    }
}

// Item 1: the `back` of the report form and the `retour` of the organisers' forms are checked the same way.
TEST_F(Http, ReportBackNeverSplitsTheResponse) {
    Client c;
    login(c, "contact@atelier-vert-1.example", "Passerelle-Demo-2026");
    auto page = c.get(url("/bourse-co-traitance"));
    const std::string csrf = Client::csrf_of(page.body);
    ASSERT_FALSE(csrf.empty());
    for (const auto& p : kRedirectPayloads) {
        auto r = c.post_form(url("/signaler/offer/1"), {{"_csrf", csrf}, {"reason", "Test"}, {"back", p}});
        EXPECT_NE(r.status, 500) << p;
        const std::string loc = r.header("location");
        if (!loc.empty()) {
            EXPECT_EQ(loc[0], '/') << p;
            EXPECT_EQ(loc.find_first_of("\r\n\t\\"), std::string::npos) << p;
            EXPECT_NE(loc.substr(0, 2), "//") << p;
        }
        for (const auto& sc : r.set_cookies) EXPECT_EQ(sc.find("a=b"), std::string::npos) << p;
    }
}

// Item 5: malformed framing is answered 400 or 431 and the connection closed, not dropped silently.
TEST_F(Http, MalformedFramingIsAnswered400Or431) {
    const int port = server->port();
    const std::string host = "Host: 127.0.0.1\r\n";
    struct Case {
        std::string name;
        std::string bytes;
        std::string status;
    };
    const std::vector<Case> cases = {
        {"header over the limit", "GET / HTTP/1.1\r\n" + host + "X-Big: " + std::string(20000, 'a') + "\r\n\r\n",
         "431"},
        {"two Content-Length",
         "POST /connexion HTTP/1.1\r\n" + host + "Content-Length: 3\r\nContent-Length: 5\r\n\r\nabcde", "400"},
        {"Content-Length with Transfer-Encoding",
         "POST /connexion HTTP/1.1\r\n" + host +
             "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n0\r\n\r\n",
         "400"},
        {"bad chunk size",
         "POST /connexion HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", "400"},
        {"space in a header name", "GET / HTTP/1.1\r\n" + host + "Bad Header: x\r\n\r\n", "400"},
        {"Transfer-Encoding other than chunked",
         "POST /connexion HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip\r\n\r\nGET /smuggled HTTP/1.1\r\n" + host +
             "\r\n",
         "400"},
        {"Transfer-Encoding gzip, chunked",
         "POST /connexion HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", "400"},
        {"no Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", "400"},
        {"two Host headers", "GET / HTTP/1.1\r\n" + host + host + "\r\n", "400"},
    };
    for (const auto& c : cases) {
        const std::string answer = raw_exchange(port, c.bytes);
        EXPECT_EQ(answer.rfind("HTTP/1.1 " + c.status, 0), 0u) << c.name << ": " << answer.substr(0, 200);
        EXPECT_NE(answer.find("Connection: close"), std::string::npos) << c.name;
        EXPECT_EQ(answer.find("HTTP/1.1", 5), std::string::npos) << c.name << ": a second answer (smuggled)";
    }
    Client again;
    EXPECT_EQ(again.get(url("/healthz")).status, 200);
}

// Item 5: a NUL anywhere in the path is refused (the CSS is not served as a PNG).
TEST_F(Http, NulInAPathIsRefused) {
    Client c;
    EXPECT_EQ(c.get(url("/static/css/theme.css")).status, 200);
    auto r = c.get(url("/static/css/theme.css%00.png"));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.header("content-type").find("text/css"), std::string::npos);
    EXPECT_EQ(c.get(url("/consultations%00")).status, 400);
}

// Item 1, the property: whatever the request, no header of any answer carries a bare CR or LF.
TEST_F(Http, NoAnswerHeaderCarriesCrOrLf) {
    const std::vector<std::string> targets = {
        "/connexion?retour=%2Fx%0D%0ASet-Cookie%3A%20a%3Db",
        "/recherche?q=%0D%0AX-Injected%3A%201",
        "/consultations/1%0D%0AX-Injected:%201",
        "/%0D%0AX-Injected:%201",
        "/api/v1/notices?page=%0D%0AX-Injected:%201",
        "/marches-attribues.csv?q=%0D%0AX-Injected:%201",
    };
    for (const auto& t : targets) {
        const std::string answer = raw_exchange(server->port(), "GET " + t +
                                                                    " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                                    "Connection: close\r\n\r\n");
        ASSERT_EQ(answer.rfind("HTTP/1.1 ", 0), 0u) << t;
        for (const auto& line : header_lines(answer)) {
            EXPECT_EQ(line.find('\n'), std::string::npos) << t;
            EXPECT_EQ(line.find('\r'), std::string::npos) << t;
            EXPECT_EQ(line.rfind("X-Injected", 0), std::string::npos) << t;
            EXPECT_EQ(line.rfind("Set-Cookie: a=b", 0), std::string::npos) << t;
        }
    }
}

// Item 2: anyone with a confirmed e-mail may declare a buyer organisation, but nothing it writes is public and
// it reads no company's contacts until an administrator vets it; suspending it withdraws what it published.
TEST_F(Http, ADeclaredBuyerIsVettedBeforeItPublishes) {
    Client fake;
    signup(fake, "faux.acheteur@gmail.example", "Faux Acheteur");
    ASSERT_EQ(fake.get(url(link_in_mail("faux.acheteur@gmail.example", "/verifier-email"))).status, 303);
    auto form = fake.get(url("/mon-espace/organisations/nouvelle?type=acheteur"));
    auto made = fake.post_form(url("/mon-espace/organisations/nouvelle"), {{"_csrf", Client::csrf_of(form.body)},
                                                                           {"kind", "buyer"},
                                                                           {"name", "Mairie de Nulle-Part"},
                                                                           {"siret", "21350000200018"},
                                                                           {"buyer_kind", "commune"},
                                                                           {"departement", "93"}});
    ASSERT_EQ(made.status, 303) << made.body;
    const std::string org_page = made.header("location");
    const std::string org_id = org_page.substr(org_page.rfind('/') + 1);
    // Not public while not vetted: neither its page, nor the directory, nor the API.
    EXPECT_EQ(Client().get(url("/acheteurs/21350000200018")).status, 404);
    EXPECT_EQ(Client().get(url("/api/v1/organisations/21350000200018")).status, 404);
    EXPECT_EQ(Client().get(url("/acheteurs?q=Nulle")).body.find("Mairie de Nulle-Part"), std::string::npos);
    EXPECT_EQ(fake.get(url("/acheteurs/21350000200018")).status, 200);  // its members see it
    auto manage = fake.get(url(org_page));
    EXPECT_NE(manage.body.find("en cours de vérification"), std::string::npos);
    EXPECT_NE(fake.get(url("/mon-espace")).body.find("en cours de vérification"), std::string::npos);

    // A draft can be prepared; publishing keeps it a draft and says why.
    const std::string new_url = "/mon-espace/consultations/nouvelle?org=" + org_id;
    auto nform = fake.get(url(new_url));
    ASSERT_EQ(nform.status, 200);
    auto posted = fake.post_form(url(new_url), {{"_csrf", Client::csrf_of(nform.body)},
                                                {"reference", "2027-RIB-01"},
                                                {"title", "Envoyez vos offres et votre RIB"},
                                                {"procedure", "mapa"},
                                                {"bid_deadline", "2030-03-15T12:00"},
                                                {"lot_title", "Unique"},
                                                {"lot_cpv", "72000000-5"},
                                                {"lot_departements", "93"},
                                                {"lot_clause", "none"},
                                                {"publish", "1"}});
    ASSERT_EQ(posted.status, 303) << posted.body;
    const std::string notice_url = posted.header("location");
    auto shown = fake.get(url(notice_url));
    EXPECT_NE(shown.body.find("pas encore vérifiée"), std::string::npos);
    EXPECT_EQ(Client().get(url(notice_url)).status, 404);  // the public does not see it
    EXPECT_EQ(fake.get(url("/mon-espace/sourcing?cpv_codes=72000000")).status, 403);

    // The administrator sees the request with what the platform knows, and approves it.
    Client admin;
    login(admin, "admin@passerelle.example", "Passerelle-Demo-2026");
    auto queue = admin.get(url("/admin/acheteurs"));
    ASSERT_EQ(queue.status, 200);
    EXPECT_NE(queue.body.find("Mairie de Nulle-Part"), std::string::npos);
    EXPECT_NE(queue.body.find("gmail.example"), std::string::npos);
    EXPECT_NE(queue.body.find("plage des personnes morales de droit public"), std::string::npos);
    EXPECT_EQ(fake.get(url("/admin/acheteurs")).status, 403);
    auto ok =
        admin.post_form(url("/admin/acheteurs/" + org_id + "/verifier"), {{"_csrf", Client::csrf_of(queue.body)}});
    ASSERT_EQ(ok.status, 303);
    EXPECT_FALSE(server->mail_to("faux.acheteur@gmail.example", "/mon-espace/organisations/" + org_id).empty());

    // Now it publishes, and the public sees the notice.
    const std::string id = notice_url.substr(notice_url.rfind('/') + 1);
    auto pub = fake.post_form(url("/mon-espace/consultations/" + id + "/publier"),
                              {{"_csrf", Client::csrf_of(fake.get(url(notice_url)).body)}});
    EXPECT_EQ(pub.status, 303) << pub.body;
    EXPECT_EQ(Client().get(url(notice_url)).status, 200);

    // Suspended, its notice is withdrawn: the public sees « retirée », the API and lists do not list it.
    auto page = admin.get(url(org_page));
    auto suspend =
        admin.post_form(url("/admin/organisations/" + org_id + "/suspendre"), {{"_csrf", Client::csrf_of(page.body)}});
    ASSERT_EQ(suspend.status, 303);
    auto gone = Client().get(url(notice_url));
    EXPECT_EQ(gone.status, 410);
    EXPECT_NE(gone.body.find("retirée"), std::string::npos);
    EXPECT_EQ(gone.body.find("RIB"), std::string::npos);  // nothing of its content
    EXPECT_EQ(Client().get(url("/api/v1/notices/" + id)).status, 410);
    EXPECT_EQ(Client().get(url("/consultations?q=RIB")).body.find("Envoyez vos offres"), std::string::npos);
    EXPECT_EQ(Client().get(url("/sitemap.xml")).body.find(notice_url + "<"), std::string::npos);
    EXPECT_EQ(Client().get(url("/acheteurs/21350000200018")).status, 404);  // a suspended organisation
    auto review = admin.get(url("/admin/acheteurs"));
    EXPECT_NE(review.body.find("Envoyez vos offres et votre RIB"), std::string::npos);
    EXPECT_NE(review.body.find("Organisation suspendue"), std::string::npos);
}

// Item 5: the session cookie carries the __Host- prefix when the site is served over https.
class HttpsSite : public Http {
  protected:
    std::vector<std::string> extra_args() override { return {"--base-url", "https://passerelle.example"}; }
};

TEST_F(HttpsSite, TheSessionCookieHasTheHostPrefix) {
    Client c;
    auto form = c.get(url("/connexion"));
    ASSERT_FALSE(form.set_cookies.empty());
    const std::string& cookie = form.set_cookies.front();
    EXPECT_EQ(cookie.rfind("__Host-passerelle_session=", 0), 0u) << cookie;
    EXPECT_NE(cookie.find("; Secure"), std::string::npos);
    EXPECT_NE(cookie.find("; Path=/"), std::string::npos);
    EXPECT_EQ(cookie.find("Domain"), std::string::npos);
    // The browser sends it back (curl keeps Secure cookies off plain http: send it by hand).
    const std::string value = cookie.substr(0, cookie.find(';'));
    Client back;
    auto r = back.post_form(url("/connexion"), {});  // without the cookie: no session, refused
    EXPECT_EQ(r.status, 403);
    auto in = back.post_raw(url("/connexion"),
                            "_csrf=" + percent_encode(Client::csrf_of(form.body)) +
                                "&email=admin%40passerelle.example&password=Passerelle-Demo-2026",
                            "application/x-www-form-urlencoded", {"Cookie: " + value});
    EXPECT_EQ(in.status, 303) << in.body;
}

// Item 5: reset and verification links are secrets: never in the server's log.
TEST_F(Http, MailedLinksAreNotLogged) {
    Client c;
    auto form = c.get(url("/mot-de-passe-oublie"));
    c.post_form(url("/mot-de-passe-oublie"),
                {{"_csrf", Client::csrf_of(form.body)}, {"email", "facilitateur@passerelle.example"}});
    const std::string link = link_in_mail("facilitateur@passerelle.example", "/reinitialiser-mot-de-passe");
    ASSERT_FALSE(link.empty());
    const std::string token = link.substr(link.find("jeton=") + 6);
    EXPECT_EQ(server->log().find(token), std::string::npos);
    EXPECT_NE(server->log().find("mail to facilitateur@passerelle.example"), std::string::npos);
}

// Item 5: reading another's private object answers exactly as reading one that does not exist.
TEST_F(Http, APrivateObjectAnswersAsAMissingOne) {
    Client company;
    login(company, "contact@atelier-vert-1.example", "Passerelle-Demo-2026");
    company.get(url("/mon-espace"));  // shows (and clears) the login's banner
    for (const auto& [mine_not, missing] :
         {std::pair{"/mon-espace/consultations/2/retraits", "/mon-espace/consultations/99999/retraits"},
          std::pair{"/mon-espace/feuilles-de-route/3/interesses", "/mon-espace/feuilles-de-route/99999/interesses"},
          std::pair{"/mon-espace/consultations/2/modifier", "/mon-espace/consultations/99999/modifier"},
          std::pair{"/mon-espace/organisations/3/jetons", "/mon-espace/organisations/99999/jetons"}}) {
        auto a = company.get(url(mine_not));
        auto b = company.get(url(missing));
        EXPECT_EQ(a.status, b.status) << mine_not;
        EXPECT_NE(a.status, 403) << mine_not;
        // The same words too (the page's nonce and token aside).
        auto message = [](const std::string& html) {
            auto p = html.find("<main");
            return p == std::string::npos ? html : html.substr(p, html.find("</main>") - p);
        };
        EXPECT_EQ(message(a.body), message(b.body)) << mine_not;
    }
}

// Item 3: exports refuse an invalid filter, answer validators and 304, and follow the data (the rate limit is
// off here: the loop below asks until the indexer has caught up; it is tested on its own below).
class HttpExports : public Http {
  protected:
    std::vector<std::string> extra_args() override { return {"--export-rate", "0"}; }
};

TEST_F(HttpExports, ExportsRefuseBadFiltersAndRevalidate) {
    Client c;
    for (const std::string bad : {"departement=999", "montant=beaucoup", "division=4", "clause=inconnue",
                                  "statut=perdu", "acheteur=abc", "etat=demain"}) {
        auto r = c.get(url("/marches-attribues.csv?" + bad));
        EXPECT_EQ(r.status, 400) << bad;
        EXPECT_EQ(r.body.find("identifiant,"), std::string::npos) << bad;
        EXPECT_EQ(c.get(url("/consultations.csv?" + bad)).status, 400) << bad;
    }
    auto first = c.get(url("/marches-attribues.csv?departement=59"));
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(first.body.rfind("\xEF\xBB\xBFidentifiant,", 0), 0u);
    const std::string etag = first.header("etag");
    const std::string modified = first.header("last-modified");
    ASSERT_FALSE(etag.empty());
    ASSERT_FALSE(modified.empty());
    auto again = c.get(url("/marches-attribues.csv?departement=59"), {"If-None-Match: " + etag});
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(c.get(url("/marches-attribues.csv?departement=59"), {"If-Modified-Since: " + modified}).status, 304);
    auto other = c.get(url("/marches-attribues.csv?departement=93"));
    EXPECT_NE(other.header("etag"), etag);                                            // another selection
    EXPECT_EQ(c.get(url("/marches-attribues.csv?departement=59")).body, first.body);  // the same file
    // Parameters that are no filter do not make another file (no cache busting).
    EXPECT_EQ(c.get(url("/marches-attribues.csv?departement=59&x=1&page=abc")).header("etag"), etag);

    // The data changes (a notice is published): the notices' export follows.
    auto before = c.get(url("/consultations.csv"));
    Client buyer;
    login(buyer, "acheteur.paris@passerelle.example", "Passerelle-Demo-2026");
    auto mine = buyer.get(url("/mon-espace/consultations"));
    std::smatch m;
    ASSERT_TRUE(std::regex_search(mine.body, m, std::regex(R"(/mon-espace/consultations/nouvelle\?org=(\d+))")));
    auto form = buyer.get(url(m[0].str()));
    auto made = buyer.post_form(url(m[0].str()), {{"_csrf", Client::csrf_of(form.body)},
                                                  {"reference", "2030-EXPORT-1"},
                                                  {"title", "Entretien des fontaines de Paris"},
                                                  {"procedure", "mapa"},
                                                  {"bid_deadline", "2030-03-15T12:00"},
                                                  {"lot_title", "Fontaines"},
                                                  {"lot_cpv", "90000000"},
                                                  {"lot_departements", "75"},
                                                  {"lot_clause", "none"},
                                                  {"publish", "1"}});
    ASSERT_EQ(made.status, 303);
    HttpResult after;
    for (int i = 0; i < 100; ++i) {  // the indexer commits within a second
        after = c.get(url("/consultations.csv"), {"If-None-Match: " + before.header("etag")});
        if (after.status == 200) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(after.status, 200);
    EXPECT_NE(after.body.find("Entretien des fontaines de Paris"), std::string::npos);
    EXPECT_EQ(before.body.find("Entretien des fontaines de Paris"), std::string::npos);
}

class HttpExportLimit : public Http {
  protected:
    std::vector<std::string> extra_args() override { return {"--export-rate", "3"}; }
};

TEST_F(HttpExportLimit, ExportsAreRateLimitedPerClient) {
    Client c;
    for (int i = 0; i < 3; ++i) EXPECT_EQ(c.get(url("/marches-attribues.csv")).status, 200) << i;
    auto limited = c.get(url("/marches-attribues.csv"));
    EXPECT_EQ(limited.status, 429);
    EXPECT_FALSE(limited.header("retry-after").empty());
    EXPECT_EQ(c.get(url("/healthz")).status, 200);
}

// Item 4: behind a trusted reverse proxy the client's address comes from X-Forwarded-For (right-most untrusted
// hop): one client going over a limit does not limit the others, and a client cannot pick its own address.
class HttpBehindProxy : public Http {
  protected:
    std::vector<std::string> extra_args() override { return {"--trusted-proxy", "127.0.0.1", "--export-rate", "2"}; }
};

TEST_F(HttpBehindProxy, LimitsCountTheClientNotTheProxy) {
    Client c;
    auto as = [&](const std::string& xff) {
        return c.get(url("/marches-attribues.csv"), {"X-Forwarded-For: " + xff}).status;
    };
    EXPECT_EQ(as("203.0.113.1"), 200);
    EXPECT_EQ(as("203.0.113.1"), 200);
    EXPECT_EQ(as("203.0.113.1"), 429);
    EXPECT_EQ(as("203.0.113.2"), 200);                // another client behind the same proxy
    EXPECT_EQ(as("198.51.100.9, 203.0.113.1"), 429);  // what the client wrote is not believed
}

class HttpNoProxy : public Http {
  protected:
    std::vector<std::string> extra_args() override { return {"--export-rate", "2"}; }
};

TEST_F(HttpNoProxy, ForwardedHeadersAreIgnoredWithoutTrustedProxies) {
    Client c;
    EXPECT_EQ(c.get(url("/marches-attribues.csv"), {"X-Forwarded-For: 203.0.113.1"}).status, 200);
    EXPECT_EQ(c.get(url("/marches-attribues.csv"), {"X-Forwarded-For: 203.0.113.2"}).status, 200);
    EXPECT_EQ(c.get(url("/marches-attribues.csv"), {"X-Forwarded-For: 203.0.113.3"}).status, 429);
}

// Item 5: questions to buyers and reports are limited per person (429 with Retry-After), whatever the address.
TEST_F(Http, QuestionsAndReportsAreRateLimitedPerPerson) {
    Client c;
    login(c, "contact@atelier-vert-1.example", "Passerelle-Demo-2026");
    const std::string csrf = Client::csrf_of(c.get(url("/mon-espace")).body);
    int last = 0;
    for (int i = 0; i < 11; ++i)
        last = static_cast<int>(
            c.post_form(url("/signaler/offer/1"), {{"_csrf", csrf}, {"reason", "Signalement " + std::to_string(i)}})
                .status);
    EXPECT_EQ(last, 429);
    for (int i = 0; i < 11; ++i)
        last = static_cast<int>(c.post_form(url("/consultations/2/questions"),
                                            {{"_csrf", csrf}, {"question", "Question numéro " + std::to_string(i)}})
                                    .status);
    EXPECT_EQ(last, 429);
}

// Item 4: « Mes sessions » lists the browsers where the account is open; one can be closed, or all the others.
TEST_F(Http, MySessionsListsAndClosesTheOtherBrowsers) {
    Client laptop, phone, tablet;
    login(laptop, "acheteur.93@passerelle.example", "Passerelle-Demo-2026");
    login(phone, "acheteur.93@passerelle.example", "Passerelle-Demo-2026");
    login(tablet, "acheteur.93@passerelle.example", "Passerelle-Demo-2026");
    auto page = laptop.get(url("/mon-espace/sessions"));
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("cette session"), std::string::npos);
    EXPECT_NE(page.body.find("127.0.0.1"), std::string::npos);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(page.body, m, std::regex(R"(/mon-espace/sessions/([0-9a-f]{16})/fermer)")));
    auto closed = laptop.post_form(url(m[0].str()), {{"_csrf", Client::csrf_of(page.body)}});
    EXPECT_EQ(closed.status, 303);
    const int alive = (phone.get(url("/api/v1/me")).status == 200) + (tablet.get(url("/api/v1/me")).status == 200);
    EXPECT_EQ(alive, 1);  // one of the two others was closed
    auto all = laptop.post_form(url("/mon-espace/sessions/fermer-les-autres"),
                                {{"_csrf", Client::csrf_of(laptop.get(url("/mon-espace/sessions")).body)}});
    EXPECT_EQ(all.status, 303);
    EXPECT_EQ(phone.get(url("/api/v1/me")).status, 401);
    EXPECT_EQ(tablet.get(url("/api/v1/me")).status, 401);
    EXPECT_EQ(laptop.get(url("/api/v1/me")).status, 200);
}

namespace {

// The number of awarded contracts a search for "terrains synthetiques" finds on a server.
int synthetic_pitches(const ServerProcess& s) {
    Client c;
    auto r = json::parse(c.get(s.url("/api/v1/search?q=terrains%20synthetiques&type=contract")).body, nullptr, false);
    return r.is_object() && r.contains("total") ? r["total"].get<int>() : -1;
}

}  // namespace

// Item 6: the search index knows which database it belongs to: another database served with the same var/, or
// a backup restored under it, is indexed anew at the next start.
TEST(HttpIndexIdentity, AnotherDatabaseOrARestoredBackupIsIndexedAnew) {
    const fs::path dir = fs::temp_directory_path() / ("passerelle-index-identity-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string var = (dir / "var").string();
    fs::copy_file(PASSERELLE_HTTP_TEMPLATE_DB, dir / "full.db");  // demo + the Croix DECP file
    const std::string full = "sqlite:" + (dir / "full.db").string();
    const std::string bin = PASSERELLE_BIN;
    ASSERT_EQ(
        std::system((bin + " demo --db sqlite:" + (dir / "demo.db").string() + " --log-level warn >/dev/null").c_str()),
        0);
    {
        ServerProcess a({}, full, var);
        ASSERT_TRUE(a.running()) << a.log();
        EXPECT_GE(synthetic_pitches(a), 1);
    }
    ASSERT_EQ(
        std::system((bin + " backup --db " + full + " " + (dir / "backup.db").string() + " --log-level warn >/dev/null")
                        .c_str()),
        0);
    {
        // The demo alone has no DECP contract: an index kept from the other database would still find some.
        ServerProcess b({}, "sqlite:" + (dir / "demo.db").string(), var);
        ASSERT_TRUE(b.running()) << b.log();
        EXPECT_EQ(synthetic_pitches(b), 0);
    }
    // The full database's backup restored in place of the demo: the index of the demo alone is not served.
    ASSERT_EQ(std::system((bin + " restore --db sqlite:" + (dir / "demo.db").string() + " " +
                           (dir / "backup.db").string() + " --log-level warn >/dev/null")
                              .c_str()),
              0);
    {
        ServerProcess c({}, "sqlite:" + (dir / "demo.db").string(), var);
        ASSERT_TRUE(c.running()) << c.log();
        EXPECT_GE(synthetic_pitches(c), 1);
    }
    fs::remove_all(dir);
}

// Item 4: creating an API token needs the password typed again when the login is not recent (here: never).
class HttpConfirmAlways : public Http {
  protected:
    std::vector<std::string> extra_args() override { return {"--confirmation-window", "0"}; }
};

TEST_F(HttpConfirmAlways, CreatingATokenNeedsThePasswordAgain) {
    Client agent;
    login(agent, "acheteur.93@passerelle.example", "Passerelle-Demo-2026");
    const std::string page = "/mon-espace/organisations/3/jetons";
    auto form = agent.get(url(page));
    ASSERT_EQ(form.status, 200);
    EXPECT_NE(form.body.find("confirm_password"), std::string::npos);
    const std::string csrf = Client::csrf_of(form.body);
    auto none = agent.post_form(url(page), {{"_csrf", csrf}, {"name", "CRM"}, {"scopes", "read"}});
    EXPECT_EQ(none.status, 422);
    EXPECT_NE(none.body.find("Retapez votre mot de passe"), std::string::npos);
    EXPECT_NE(none.body.find("value=\"CRM\""), std::string::npos);  // what was typed stays
    EXPECT_EQ(none.body.find("value=\"psl_"), std::string::npos);
    auto wrong = agent.post_form(url(page),
                                 {{"_csrf", csrf}, {"name", "CRM"}, {"scopes", "read"}, {"confirm_password", "faux"}});
    EXPECT_EQ(wrong.status, 422);
    auto ok = agent.post_form(
        url(page),
        {{"_csrf", csrf}, {"name", "CRM"}, {"scopes", "read"}, {"confirm_password", "Passerelle-Demo-2026"}});
    EXPECT_EQ(ok.status, 201);
    EXPECT_NE(ok.body.find("value=\"psl_"), std::string::npos);
    // Platform roles likewise: refused until confirmed.
    Client admin;
    login(admin, "admin@passerelle.example", "Passerelle-Demo-2026");
    auto users = admin.get(url("/admin/utilisateurs"));
    EXPECT_NE(users.body.find("Confirmez votre identité"), std::string::npos);
}

// Item 4: two-factor authentication. The demo administrator has it on: the password alone opens nothing, a wrong
// or replayed code is refused, the right one opens a new session and still refuses to leave the site.
TEST_F(Http, AfterThePasswordACodeIsNeededOnceAndTheSessionIsRenewed) {
    Client admin;
    auto form = admin.get(url("/connexion"));
    const std::string csrf = Client::csrf_of(form.body);
    auto pw = admin.post_form(url("/connexion"), {{"_csrf", csrf},
                                                  {"email", "admin@passerelle.example"},
                                                  {"password", "Passerelle-Demo-2026"},
                                                  {"retour", "//evil.example/x"}});
    ASSERT_EQ(pw.status, 303);
    EXPECT_EQ(pw.header("location"), "/connexion/code");
    EXPECT_EQ(admin.get(url("/api/v1/me")).status, 401);  // not logged in yet
    EXPECT_EQ(admin.get(url("/admin/utilisateurs")).status, 303);
    auto typo = admin.post_form(url("/connexion/code"), {{"_csrf", csrf}, {"code", "12345"}});
    EXPECT_EQ(typo.status, 422);
    EXPECT_NE(typo.body.find("Tapez les six chiffres"), std::string::npos);  // not a guess: said so
    EXPECT_NE(typo.body.find("value=\"12345\""), std::string::npos);         // what was typed stays
    auto wrong = admin.post_form(url("/connexion/code"), {{"_csrf", csrf}, {"code", "1234 56"}});
    EXPECT_EQ(wrong.status, 422);
    EXPECT_NE(wrong.body.find("Ce code est incorrect"), std::string::npos);
    const std::string code = totp.next("admin@passerelle.example", kDemoTotpSecret);
    auto ok = admin.post_form(url("/connexion/code"), {{"_csrf", csrf}, {"code", code}});
    ASSERT_EQ(ok.status, 303) << ok.body;
    EXPECT_EQ(ok.header("location"), "/mon-espace");
    bool rotated = false;
    for (const auto& c : ok.set_cookies) rotated |= c.rfind("passerelle_session=", 0) == 0;
    EXPECT_TRUE(rotated);
    EXPECT_EQ(admin.get(url("/admin/utilisateurs")).status, 200);

    Client thief;  // has the password, and saw the code typed
    auto f2 = thief.get(url("/connexion"));
    const std::string c2 = Client::csrf_of(f2.body);
    ASSERT_EQ(
        thief
            .post_form(url("/connexion"),
                       {{"_csrf", c2}, {"email", "admin@passerelle.example"}, {"password", "Passerelle-Demo-2026"}})
            .header("location"),
        "/connexion/code");
    auto replay = thief.post_form(url("/connexion/code"), {{"_csrf", c2}, {"code", code}});
    EXPECT_EQ(replay.status, 422);
    EXPECT_EQ(thief.get(url("/api/v1/me")).status, 401);
    // Without a pending login, the code page sends back to the login form.
    Client nobody;
    EXPECT_EQ(nobody.get(url("/connexion/code")).header("location"), "/connexion");
}

TEST_F(Http, ARoleThatRequiresTheSecondFactorGatesEverythingUntilItIsOn) {
    Client person;
    ASSERT_EQ(signup(person, "nouvelle.orga@exemple.fr", "Nora Organisatrice").status, 303);
    Client admin;
    login(admin, "admin@passerelle.example", "Passerelle-Demo-2026");
    auto users = admin.get(url("/admin/utilisateurs?q=nouvelle.orga"));
    std::smatch m;
    ASSERT_TRUE(std::regex_search(users.body, m, std::regex(R"(/admin/utilisateurs/(\d+)/roles)")));
    const std::string id = m[1].str();
    ASSERT_EQ(admin
                  .post_form(url("/admin/utilisateurs/" + id + "/roles"),
                             {{"_csrf", Client::csrf_of(users.body)}, {"roles", "organiser"}})
                  .status,
              303);

    // Now an organiser without a second factor: every page leads to the page that turns it on.
    auto space = person.get(url("/mon-espace"));
    EXPECT_EQ(space.status, 303);
    EXPECT_EQ(space.header("location"), "/mon-espace/double-authentification");
    EXPECT_EQ(person.get(url("/evenements")).header("location"), "/mon-espace/double-authentification");
    auto api = person.get(url("/api/v1/me"));
    EXPECT_EQ(api.status, 403);
    EXPECT_NE(api.header("content-type").find("problem+json"), std::string::npos);
    auto page = person.get(url("/mon-espace/double-authentification"));
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("obligatoire"), std::string::npos);
    ASSERT_TRUE(std::regex_search(page.body, m, std::regex(R"(id="cle">([A-Z2-7 ]+)<)")));
    std::string secret;
    for (char ch : m[1].str())
        if (ch != ' ') secret += ch;
    ASSERT_EQ(secret.size(), 32u);
    EXPECT_NE(page.body.find("data:image/svg+xml;base64,"), std::string::npos);
    const std::string csrf = Client::csrf_of(page.body);
    auto on = person.post_form(url("/mon-espace/double-authentification"),
                               {{"_csrf", csrf}, {"code", totp.next("nouvelle.orga@exemple.fr", secret)}});
    ASSERT_EQ(on.status, 303) << on.body;
    ASSERT_EQ(on.header("location"), "/mon-espace/double-authentification/codes");
    on = person.get(url("/mon-espace/double-authentification/codes"));
    std::vector<std::string> codes;
    const std::regex code_re(R"(>([A-Z2-9]{5}-[A-Z2-9]{5})<)");
    for (std::sregex_iterator it(on.body.begin(), on.body.end(), code_re), end; it != end; ++it)
        codes.push_back((*it)[1].str());
    ASSERT_EQ(codes.size(), 10u);
    // Shown once: the page asked again shows no code.
    EXPECT_EQ(person.get(url("/mon-espace/double-authentification/codes")).status, 303);
    EXPECT_EQ(person.get(url("/mon-espace")).status, 200);
    EXPECT_NE(server->mail_to("nouvelle.orga@exemple.fr", "activée").find("double authentification"),
              std::string::npos);
    // The role requires it: it cannot be turned off by its owner.
    auto off = person.post_form(url("/mon-espace/double-authentification/desactiver"), {{"_csrf", csrf}});
    EXPECT_EQ(off.status, 303);
    EXPECT_NE(person.get(url("/mon-espace/double-authentification")).body.find("activée depuis"), std::string::npos);

    // A recovery code serves once.
    totp_secrets["nouvelle.orga@exemple.fr"] = secret;
    auto with_recovery = [&](const std::string& code) {
        Client c;
        auto f = c.get(url("/connexion"));
        const std::string t = Client::csrf_of(f.body);
        c.post_form(url("/connexion"), {{"_csrf", t}, {"email", "nouvelle.orga@exemple.fr"}, {"password", kPassword}});
        return c.post_form(url("/connexion/code"), {{"_csrf", t}, {"kind", "recovery"}, {"recovery_code", code}})
            .status;
    };
    EXPECT_EQ(with_recovery(codes[4]), 303);
    EXPECT_EQ(with_recovery(codes[4]), 422);

    // Lost phone and codes: the platform's team resets it; the person is told, and must turn it on again.
    auto list = admin.get(url("/admin/utilisateurs?q=nouvelle.orga"));
    EXPECT_NE(list.body.find("/admin/utilisateurs/" + id + "/double-authentification/reinitialiser"),
              std::string::npos);
    auto reset = admin.post_form(url("/admin/utilisateurs/" + id + "/double-authentification/reinitialiser"),
                                 {{"_csrf", Client::csrf_of(list.body)}});
    EXPECT_EQ(reset.status, 303);
    EXPECT_NE(
        server->mail_to("nouvelle.orga@exemple.fr", "a réinitialisé").find("l'équipe de Passerelle a réinitialisé"),
        std::string::npos);
    EXPECT_EQ(person.get(url("/mon-espace")).header("location").rfind("/connexion", 0), 0u);  // sessions ended
    Client back;
    login(back, "nouvelle.orga@exemple.fr");  // the password alone now, and the gate again
    EXPECT_EQ(back.get(url("/mon-espace")).header("location"), "/mon-espace/double-authentification");
    // Someone else's reset is for administrators only.
    Client company;
    login(company, "contact@atelier-vert-1.example", "Passerelle-Demo-2026");
    auto refused = company.post_form(url("/admin/utilisateurs/" + id + "/double-authentification/reinitialiser"),
                                     {{"_csrf", Client::csrf_of(company.get(url("/mon-espace")).body)}});
    EXPECT_EQ(refused.status, 403);
}

// The last administrator lost their phone and their codes: the operator turns it off from the command line.
// Their sessions end, and an API token they created serves no more until they turn it on again.
TEST_F(Http, TheOperatorResetsASecondFactorFromTheCommandLine) {
    Client organiser;
    login(organiser, "organisatrice@passerelle.example", "Passerelle-Demo-2026");
    const std::string page = "/mon-espace/organisations/1/jetons";
    auto form = organiser.get(url(page));
    auto made = organiser.post_form(url(page),
                                    {{"_csrf", Client::csrf_of(form.body)}, {"name", "Lecture"}, {"scopes", "read"}});
    ASSERT_EQ(made.status, 201) << made.body;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(made.body, m, std::regex(R"re(value="(psl_[A-Za-z0-9_-]+)")re")));
    const std::vector<std::string> auth = {"Authorization: Bearer " + m[1].str()};
    Client api;
    EXPECT_EQ(api.get(url("/api/v1/me"), auth).status, 200);

    const std::string cmd = std::string(PASSERELLE_BIN) +
                            " user reset-second-factor --email organisatrice@passerelle.example --db sqlite:" +
                            (server->dir() / "test.db").string() + " --log-level warn 2>&1";
    EXPECT_NE(run(cmd).find("turned off"), std::string::npos);
    EXPECT_NE(run(cmd).find("no two-factor authentication"), std::string::npos);  // already off
    EXPECT_EQ(organiser.get(url("/api/v1/me")).status, 401);                      // the session ended
    auto by_token = api.get(url("/api/v1/me"), auth);  // a token without a platform role: its creator's count
    EXPECT_EQ(by_token.status, 403);
    EXPECT_NE(by_token.body.find("double authentification"), std::string::npos);
    Client again;
    login(again, "organisatrice@passerelle.example", "Passerelle-Demo-2026");  // no code asked
    EXPECT_EQ(again.get(url("/evenements")).header("location"), "/mon-espace/double-authentification");
    // An object's API page says why too, rather than « n'existe pas ».
    auto notice = again.get(url("/api/v1/notices/1"));
    EXPECT_EQ(notice.status, 403);
    EXPECT_NE(notice.body.find("double authentification"), std::string::npos);
    // htmx is sent to the page rather than given it as a fragment.
    auto fragment = again.get(url("/cpv/suggestions?q=nettoyage"), {"HX-Request: true"});
    EXPECT_EQ(fragment.header("hx-redirect"), "/mon-espace/double-authentification");
    EXPECT_NE(server->mail_to("organisatrice@passerelle.example", "a réinitialisé").find("double authentification"),
              std::string::npos);
}
