#include "http/message.hpp"

#include <gtest/gtest.h>

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
