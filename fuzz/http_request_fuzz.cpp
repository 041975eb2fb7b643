// HTTP request parsing and routing: the bytes a client sends, read by Boost.Beast's parser with the server's
// limits, turned into our Request, routed over patterns of every shape the site uses (literals, captures,
// a final {*path}), then decoded as a handler would (query, cookies, form, multipart, JSON preference). The
// handlers copy request text into response headers as the site's do (a `retour` through same_site_path, a
// query value and a cookie into headers): whatever the request, no response header may contain CR, LF or NUL
// (a header that would is refused by Response, and the answer is a 500 as the site's wrapper gives).
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>

#include "fuzz/fuzz_check.hpp"
#include "http/message.hpp"
#include "http/multipart.hpp"
#include "http/router.hpp"

namespace bhttp = boost::beast::http;
using namespace passerelle::http;

namespace {

const Router& site_router() {
    static const Router router = [] {
        Router r;
        Handler h = [](Request& q) {
            Response r = Response::redirect(same_site_path(q.query_param("retour"), "/mon-espace"));
            r.set_header("X-Echo", q.query_param("q"));
            r.add_cookie("last=" + q.cookie("passerelle_session") + "; Path=/");
            r.add_header("Link", "<" + q.path + ">; rel=canonical");
            return r;
        };
        for (const char* p :
             {"/", "/healthz", "/static/{*path}", "/entreprises/{siret}", "/acheteurs/{siret}", "/recherche",
              "/consultations/{id}", "/consultations/{id}/documents/{doc}", "/actualites/{slug}",
              "/mon-espace/organisations/{id}/membres/{user}/{action}", "/evenements/{slug}/agenda.ics",
              "/api/v1/notices", "/api/v1/notices/{id}", "/api/v1/observatoire/{id}", "/sitemap.xml"})
            r.get(p, h);
        for (const char* p : {"/connexion", "/mon-espace/feuilles-de-route/{id}/{action}",
                              "/mon-espace/consultations/{id}/documents", "/evenements/{slug}/inscription"})
            r.post(p, h, {.body_limit = 1024});
        return r;
    }();
    return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(1024 * 1024);
    parser.eager(true);
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(data, size), ec);
    if (ec || !parser.is_header_done()) return 0;
    auto& msg = parser.get();
    std::vector<std::pair<std::string, std::string>> headers;
    for (const auto& f : msg) headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    Request req = request_from(std::string(msg.method_string()), std::string(msg.target()), headers,
                               parser.is_done() ? msg.body() : std::string());
    // The query is what follows the first '?', the path what precedes it.
    FUZZ_CHECK(req.target.find('?') == std::string::npos || req.query_string.size() < req.target.size());

    auto m = site_router().match(req.method, req.path);
    if (m.kind == Router::MatchKind::kFound) {
        FUZZ_CHECK(m.handler != nullptr);
        for (const auto& [name, value] : m.params) FUZZ_CHECK(!name.empty());
        Response res;
        try {
            res = (*m.handler)(req);
        } catch (const UnsafeHeader&) {
            res = Response::text("Internal Server Error", 500);
        }
        for (const auto& [name, value] : res.header_list()) {
            FUZZ_CHECK(header_name_safe(name));
            FUZZ_CHECK(value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos);
        }
        // A redirect taken from the request stays on this site.
        const std::string loc = res.header("Location");
        if (!loc.empty()) {
            FUZZ_CHECK(loc[0] == '/');
            FUZZ_CHECK(loc.size() == 1 || (loc[1] != '/' && loc[1] != '\\'));
            FUZZ_CHECK(loc.find_first_of("\t\\") == std::string::npos);
        }
    }
    if (m.kind == Router::MatchKind::kMethodNotAllowed) FUZZ_CHECK(!m.allowed.empty());

    (void)req.cookie("passerelle_session");
    (void)req.query_param("q");
    (void)req.form_value("csrf");
    (void)req.form_values("cpv");
    (void)req.wants_json();
    std::string ct = req.header("content-type");
    if (ct.rfind("multipart/", 0) == 0) (void)parse_multipart(ct, req.body);
    return 0;
}
