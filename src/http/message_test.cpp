#include "http/message.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace passerelle::http;

TEST(Message, FormAndCookies) {
    Request r;
    r.headers["content-type"] = "application/x-www-form-urlencoded";
    r.headers["cookie"] = "a=1; passerelle_session=abc; z=9";
    r.body = "email=marie%40exemple.fr&cpv=72000000&cpv=45000000&q=caf%C3%A9+cr%C3%A8me&bad=%zz";
    EXPECT_EQ(r.form_value("email"), "marie@exemple.fr");
    EXPECT_EQ(r.form_values("cpv").size(), 2u);
    EXPECT_EQ(r.form_value("q"), "café crème");
    EXPECT_EQ(r.form_value("bad"), "%zz");
    EXPECT_EQ(r.cookie("passerelle_session"), "abc");
    EXPECT_EQ(r.cookie("missing"), "");
}

TEST(Message, ProblemJsonAndQuoting) {
    auto p = Response::problem(422, "Données invalides", "Le SIRET \"x\" est invalide.");
    EXPECT_EQ(p.header("Content-Type"), "application/problem+json");
    EXPECT_NE(p.body.find("\"status\":422"), std::string::npos);
    EXPECT_NE(p.body.find("\\\"x\\\""), std::string::npos);
    EXPECT_EQ(json_quote("a\nb\x01"), "\"a\\nb\\u0001\"");
    EXPECT_EQ(url_encode("a b/é"), "a%20b%2F%C3%A9");
}

// Known response-splitting payloads: none can reach a header, whichever way a handler adds it.
TEST(Message, HeadersRefuseCrLfAndNul) {
    const std::vector<std::string> payloads = {
        "/x\r\nSet-Cookie: passerelle_session=attacker",
        "/x\nSet-Cookie: a=b",
        "/x\rSet-Cookie: a=b",
        std::string("/x\0Set-Cookie: a=b", 18),
        "/x\r\n\r\n<script>alert(1)</script>",
        "/%0d%0a is fine but \r is not",
    };
    for (const auto& p : payloads) {
        Response r;
        EXPECT_THROW(r.set_header("Location", p), UnsafeHeader) << p;
        EXPECT_THROW(r.add_header("Link", p), UnsafeHeader) << p;
        EXPECT_THROW(r.add_cookie("x=" + p), UnsafeHeader) << p;
        EXPECT_THROW((void)Response::redirect(p), UnsafeHeader) << p;
        EXPECT_TRUE(r.header_list().empty());
    }
    Response r;
    EXPECT_THROW(r.set_header("X-Bad Name", "v"), UnsafeHeader);
    EXPECT_THROW(r.set_header("X-Bad:Name", "v"), UnsafeHeader);
    EXPECT_THROW(r.set_header("", "v"), UnsafeHeader);
    // Percent-encoded CR/LF are plain text in a header; a tab is allowed in a field value (RFC 9110).
    EXPECT_NO_THROW(r.set_header("Location", "/connexion?retour=%0d%0a"));
    EXPECT_NO_THROW(r.set_header("X-Note", "a\tb"));
    r.add_cookie("a=1").add_cookie("b=2");
    EXPECT_EQ(r.header_list().size(), 4u);
    r.remove_header("Set-Cookie");
    EXPECT_EQ(r.header_list().size(), 2u);
}

TEST(Message, SameSitePathAcceptsOnlyLocalPaths) {
    const std::string home = "/mon-espace";
    for (const std::string ok :
         {"/", "/recherche?q=travaux&departement=59", "/consultations/12#questions", "/recherche?q=caf%C3%A9",
          "/connexion?retour=%2Fmon-espace", "/a:b/c", "/recherche?q=https://exemple.fr"})
        EXPECT_EQ(same_site_path(ok, home), ok) << ok;
    const std::vector<std::string> refused = {
        "",
        "mon-espace",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/%09/evil.example",
        "/%2F/evil.example",
        "/%2f%2fevil.example",
        "/%5Cevil.example",
        "/%5c%5cevil.example",
        "/x%0d%0aSet-Cookie:%20a=b",
        "/x%0D%0ALocation:%20//evil",
        "/x%00",
        "/x\r\nSet-Cookie: a=b",
        "/x\nb",
        std::string("/x\0y", 4),
        "/x y",
        "/x\x7f",
        "/caf\xc3\xa9",
        "https://evil.example/",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http:/evil.example",
        "/path\\..\\evil",
        "/bourse-co-traitance/../../admin/utilisateurs",
        "/mon-espace/evenements/%2e%2e/%2E%2E/admin",
        "/a/./b",
        "/a/..",
        "/" + std::string(2000, 'a'),
    };
    for (const auto& r : refused) EXPECT_EQ(same_site_path(r, home), home) << r;
    EXPECT_EQ(same_site_path("/" + std::string(1999, 'a'), home).size(), 2000u);
}

TEST(Message, HttpDatesAndConditionalRequests) {
    EXPECT_EQ(http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
    EXPECT_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"));
    Request r;
    EXPECT_FALSE(not_modified(r, "\"abc\"", 1000));
    r.headers["if-none-match"] = "\"zzz\", W/\"abc\"";
    EXPECT_TRUE(not_modified(r, "\"abc\"", 1000));
    r.headers["if-none-match"] = "\"zzz\"";
    r.headers["if-modified-since"] = http_date(2000);
    EXPECT_FALSE(not_modified(r, "\"abc\"", 1000));  // If-None-Match wins
    r.headers.erase("if-none-match");
    EXPECT_TRUE(not_modified(r, "\"abc\"", 1000));
    EXPECT_FALSE(not_modified(r, "\"abc\"", 3000));
}
