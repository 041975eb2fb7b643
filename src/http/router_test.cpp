#include "http/router.hpp"

#include <gtest/gtest.h>

using namespace passerelle::http;

TEST(Router, LiteralBeatsCaptureAndCapturesParams) {
    Router r;
    r.get("/entreprises/{siret}", [](Request&) { return Response::text("capture"); });
    r.get("/entreprises/nouvelle", [](Request&) { return Response::text("literal"); });
    r.post("/entreprises/{siret}/modifier", [](Request&) { return Response::text("edit"); }, {5 * 1024 * 1024});
    Request req;
    auto m = r.match("GET", "/entreprises/nouvelle");
    ASSERT_EQ(m.kind, Router::MatchKind::kFound);
    EXPECT_EQ((*m.handler)(req).body, "literal");
    m = r.match("GET", "/entreprises/73282932000074");
    ASSERT_EQ(m.kind, Router::MatchKind::kFound);
    EXPECT_EQ(m.params["siret"], "73282932000074");
    m = r.match("POST", "/entreprises/1/modifier");
    EXPECT_EQ(m.body_limit, 5u * 1024 * 1024);
}

TEST(Router, NotFoundAndMethodNotAllowed) {
    Router r;
    r.get("/a", [](Request&) { return Response::text("a"); });
    EXPECT_EQ(r.match("GET", "/b").kind, Router::MatchKind::kNotFound);
    auto m = r.match("DELETE", "/a");
    EXPECT_EQ(m.kind, Router::MatchKind::kMethodNotAllowed);
    EXPECT_EQ(m.allowed, std::vector<std::string>{"GET"});
    EXPECT_EQ(r.match("HEAD", "/a").kind, Router::MatchKind::kFound);
    EXPECT_EQ(r.match("GET", "/a/").kind, Router::MatchKind::kFound);
}

TEST(Router, RestCapture) {
    Router r;
    r.get("/static/{*path}", [](Request&) { return Response::text("s"); });
    auto m = r.match("GET", "/static/vendor/bootstrap-icons/fonts/x.woff2");
    ASSERT_EQ(m.kind, Router::MatchKind::kFound);
    EXPECT_EQ(m.params["path"], "vendor/bootstrap-icons/fonts/x.woff2");
    EXPECT_EQ(r.match("GET", "/static").kind, Router::MatchKind::kNotFound);
}
