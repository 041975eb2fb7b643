// Request and Response: plain values that handlers see. They carry no Beast types, so that only
// server.cpp compiles Boost.Beast.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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
    // Parsed application/x-www-form-urlencoded body (cached).
    const Params& form() const;
    std::string form_value(const std::string& name) const;
    std::vector<std::string> form_values(const std::string& name) const;
    bool wants_json() const;

  private:
    mutable std::optional<Params> form_;
};

struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    Response& set_header(const std::string& name, const std::string& value);
    std::string header(const std::string& name) const;
    Response& add_cookie(const std::string& set_cookie_value) {
        headers.emplace_back("Set-Cookie", set_cookie_value);
        return *this;
    }

    static Response html(std::string body, int status = 200);
    static Response json(std::string body, int status = 200);
    static Response text(std::string body, int status = 200);
    // 303 See Other after a form post, 302 otherwise.
    static Response redirect(const std::string& location, int status = 303);
    // RFC 9457 problem details.
    static Response problem(int status, const std::string& title, const std::string& detail,
                            const std::string& extra_json_members = "");
};

using Handler = std::function<Response(Request&)>;

// A request from what the HTTP parser read: the target split into the decoded path and the parsed query,
// header names in lower case (the last of repeated headers wins).
Request request_from(std::string method, std::string target,
                     const std::vector<std::pair<std::string, std::string>>& headers, std::string body);

// Percent-decoding ('+' as space when form is true). Invalid escapes are kept literally.
std::string url_decode(std::string_view s, bool form = true);
std::string url_encode(std::string_view s);
Params parse_urlencoded(std::string_view body);
std::string reason_phrase(int status);
// Quotes a string as a JSON string literal.
std::string json_quote(std::string_view s);

}  // namespace passerelle::http
