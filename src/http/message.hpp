// Request and Response: plain values that handlers see. They carry no Beast types, so that only
// server.cpp compiles Boost.Beast.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/multipart.hpp"

namespace passerelle::http {

using Params = std::multimap<std::string, std::string>;

struct Request {
    std::string method;                          // "GET", "POST"...
    std::string target;                          // path and query as received
    std::string path;                            // decoded path, without query
    std::string query_string;                    // raw, without '?'
    Params query;                                // decoded
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string remote_addr;
    std::map<std::string, std::string> path_params;  // from the route pattern
    bool secure = false;                             // served over https (from the base URL or a trusted proxy header)

    std::string header(const std::string& lower_name) const;
    std::string cookie(const std::string& name) const;
    std::string query_param(const std::string& name) const;
    std::string path_param(const std::string& name) const;
    // The form's plain fields, from an application/x-www-form-urlencoded or a multipart/form-data body (parsed
    // once); files() holds a multipart body's files, empty ones included. form_malformed(): a multipart body
    // that could not be read (then both are empty).
    const Params& form() const;
    const std::vector<Part>& files() const;
    bool form_malformed() const;
    std::string form_value(const std::string& name) const;
    std::vector<std::string> form_values(const std::string& name) const;
    bool wants_json() const;

  private:
    void parse_form() const;
    mutable std::optional<Params> form_;
    mutable std::vector<Part> files_;
    mutable bool malformed_ = false;
};

// Thrown when a header name or value would split the response (CR, LF or NUL) or is not a token: a bug of
// ours or a request's text that reached a header unchecked. The handler's wrapper answers a logged 500.
struct UnsafeHeader : std::logic_error {
    using std::logic_error::logic_error;
};

// A header value may hold any byte but CR, LF and NUL; a name is an RFC 9110 token.
bool header_value_safe(std::string_view value);
bool header_name_safe(std::string_view name);

// Headers are only added through set_header, add_header and add_cookie, which refuse (UnsafeHeader) any name
// or value that could split the response: no response of the program can carry CR, LF or NUL in a header.
struct Response {
    int status = 200;
    std::string body;
    // When set, the body is this file, streamed from disk with constant memory (`body` is ignored). The
    // file must stay in place while it is sent (files are replaced by rename, never rewritten).
    std::string body_file;

    // Replaces the first header of that name (case-sensitive, as set by us), or adds it.
    Response& set_header(const std::string& name, const std::string& value);
    // Adds one more header of that name (Set-Cookie, Link…).
    Response& add_header(const std::string& name, const std::string& value);
    std::string header(const std::string& name) const;
    Response& add_cookie(const std::string& set_cookie_value) { return add_header("Set-Cookie", set_cookie_value); }
    Response& remove_header(const std::string& name);
    const std::vector<std::pair<std::string, std::string>>& header_list() const { return headers_; }

    static Response html(std::string body, int status = 200);
    static Response json(std::string body, int status = 200);
    static Response text(std::string body, int status = 200);
    // 303 See Other after a form post, 302 otherwise.
    static Response redirect(const std::string& location, int status = 303);
    // RFC 9457 problem details.
    static Response problem(int status, const std::string& title, const std::string& detail,
                            const std::string& extra_json_members = "");

  private:
    std::vector<std::pair<std::string, std::string>> headers_;
};

// A redirect target taken from a request (`retour`, `back`): the same-site path it names, or `fallback`.
// Accepted: an absolute path of printable ASCII (at most 2,000 bytes) that neither it nor its percent-decoded
// form starts with "//" or "/\\", with no backslash, space, control character or percent-encoded control
// character, backslash or NUL anywhere. Everything else (schemes, protocol-relative URLs, tabs that browsers
// drop, over-long values) gives `fallback`.
std::string same_site_path(std::string_view target, std::string_view fallback);

using Handler = std::function<Response(Request&)>;

// A request from what the HTTP parser read: the target split into the decoded path and the parsed query,
// header names in lower case (the last of repeated headers wins).
Request request_from(std::string method, std::string target,
                     const std::vector<std::pair<std::string, std::string>>& headers, std::string body);

// An HTTP date (RFC 9110 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT") and back; nullopt when unreadable.
std::string http_date(std::int64_t unix_seconds);
std::optional<std::int64_t> parse_http_date(std::string_view s);
// True when the request's validators (If-None-Match, else If-Modified-Since) say the client's copy of a
// representation with this ETag and modification time is current: answer 304.
bool not_modified(const Request& req, std::string_view etag, std::int64_t modified);

// Percent-decoding ('+' as space when form is true). Invalid escapes are kept literally.
std::string url_decode(std::string_view s, bool form = true);
std::string url_encode(std::string_view s);
Params parse_urlencoded(std::string_view body);
std::string reason_phrase(int status);
// Quotes a string as a JSON string literal.
std::string json_quote(std::string_view s);

}  // namespace passerelle::http
