#include "http/message.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace passerelle::http {

std::string Request::header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
}

std::string Request::cookie(const std::string& name) const {
    std::string all = header("cookie");
    std::size_t pos = 0;
    while (pos < all.size()) {
        std::size_t end = all.find(';', pos);
        if (end == std::string::npos) end = all.size();
        std::string_view part(all.data() + pos, end - pos);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        auto eq = part.find('=');
        if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
        pos = end + 1;
    }
    return {};
}

std::string Request::query_param(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
}

std::string Request::path_param(const std::string& name) const {
    auto it = path_params.find(name);
    return it == path_params.end() ? std::string() : it->second;
}

void Request::parse_form() const {
    if (form_) return;
    const std::string ct = header("content-type");
    form_ = Params{};
    if (ct.rfind("application/x-www-form-urlencoded", 0) == 0) {
        form_ = parse_urlencoded(body);
    } else if (ct.rfind("multipart/form-data", 0) == 0) {
        auto parts = parse_multipart(ct, body);
        if (!parts) {
            malformed_ = true;
            return;
        }
        for (auto& p : *parts) {
            if (!p.filename.empty())
                files_.push_back(std::move(p));
            else
                form_->emplace(p.name, std::move(p.data));
        }
    }
}

const Params& Request::form() const {
    parse_form();
    return *form_;
}

const std::vector<Part>& Request::files() const {
    parse_form();
    return files_;
}

bool Request::form_malformed() const {
    parse_form();
    return malformed_;
}

std::string Request::form_value(const std::string& name) const {
    auto it = form().find(name);
    return it == form().end() ? std::string() : it->second;
}

std::vector<std::string> Request::form_values(const std::string& name) const {
    std::vector<std::string> out;
    auto [b, e] = form().equal_range(name);
    for (auto it = b; it != e; ++it) out.push_back(it->second);
    return out;
}

bool Request::wants_json() const {
    return path.rfind("/api/", 0) == 0 || header("accept").find("application/json") != std::string::npos;
}

bool header_value_safe(std::string_view value) {
    return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool header_name_safe(std::string_view name) {
    if (name.empty()) return false;
    static constexpr std::string_view kTokenPunct = "!#$%&'*+-.^_`|~";
    for (unsigned char c : name)
        if (!std::isalnum(c) && kTokenPunct.find(static_cast<char>(c)) == std::string_view::npos) return false;
    return true;
}

static void check_header(const std::string& name, const std::string& value) {
    if (!header_name_safe(name)) throw UnsafeHeader("unsafe response header name");
    if (!header_value_safe(value)) throw UnsafeHeader("CR, LF or NUL in the value of response header " + name);
}

Response& Response::set_header(const std::string& name, const std::string& value) {
    check_header(name, value);
    for (auto& [k, v] : headers_) {
        if (k == name) {
            v = value;
            return *this;
        }
    }
    headers_.emplace_back(name, value);
    return *this;
}

Response& Response::add_header(const std::string& name, const std::string& value) {
    check_header(name, value);
    headers_.emplace_back(name, value);
    return *this;
}

Response& Response::remove_header(const std::string& name) {
    std::erase_if(headers_, [&](const auto& h) { return h.first == name; });
    return *this;
}

std::string Response::header(const std::string& name) const {
    for (const auto& [k, v] : headers_)
        if (k == name) return v;
    return {};
}

namespace {

bool unsafe_path_byte(unsigned char c) { return c <= 0x20 || c >= 0x7f || c == '\\'; }

}  // namespace

std::string same_site_path(std::string_view target, std::string_view fallback) {
    constexpr std::size_t kMaxLength = 2000;
    auto starts_elsewhere = [](std::string_view p) { return p.size() >= 2 && (p[1] == '/' || p[1] == '\\'); };
    if (target.empty() || target.size() > kMaxLength || target[0] != '/' || starts_elsewhere(target))
        return std::string(fallback);
    for (unsigned char c : target)
        if (unsafe_path_byte(c)) return std::string(fallback);
    // What a browser or a later decoding step would see: no encoded control character, backslash or NUL, and
    // the decoded path must not become protocol-relative either ("/%2F%2Fevil.example").
    const std::string decoded = url_decode(target, false);
    for (unsigned char c : decoded)
        if (c < 0x20 || c == 0x7f || c == '\\') return std::string(fallback);
    if (starts_elsewhere(decoded)) return std::string(fallback);
    // No dot segment ("/allowed/../elsewhere"): a prefix checked by the caller must be where the browser goes.
    const std::string_view path = std::string_view(decoded).substr(0, decoded.find_first_of("?#"));
    for (std::size_t pos = 1; pos <= path.size();) {
        std::size_t end = path.find('/', pos);
        if (end == std::string_view::npos) end = path.size();
        const auto segment = path.substr(pos, end - pos);
        if (segment == "." || segment == "..") return std::string(fallback);
        pos = end + 1;
    }
    return std::string(target);
}

static Response with_type(std::string body, int status, const char* type) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.set_header("Content-Type", type);
    return r;
}

Response Response::html(std::string body, int status) {
    return with_type(std::move(body), status, "text/html; charset=utf-8");
}

Response Response::json(std::string body, int status) { return with_type(std::move(body), status, "application/json"); }

Response Response::text(std::string body, int status) {
    return with_type(std::move(body), status, "text/plain; charset=utf-8");
}

Response Response::redirect(const std::string& location, int status) {
    Response r;
    r.status = status;
    r.set_header("Location", location);
    return r;
}

Response Response::problem(int status, const std::string& title, const std::string& detail, const std::string& extra) {
    Response r;
    r.status = status;
    r.body = "{\"type\":\"about:blank\",\"title\":" + json_quote(title) + ",\"status\":" + std::to_string(status) +
             ",\"detail\":" + json_quote(detail) + (extra.empty() ? "" : "," + extra) + "}";
    r.set_header("Content-Type", "application/problem+json");
    return r;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string url_decode(std::string_view s, bool form) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '+' && form) {
            out.push_back(' ');
        } else if (c == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::string url_encode(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

Params parse_urlencoded(std::string_view body) {
    Params out;
    std::size_t pos = 0;
    while (pos <= body.size()) {
        std::size_t end = body.find('&', pos);
        if (end == std::string_view::npos) end = body.size();
        std::string_view pair = body.substr(pos, end - pos);
        if (!pair.empty()) {
            auto eq = pair.find('=');
            if (eq == std::string_view::npos)
                out.emplace(url_decode(pair), "");
            else
                out.emplace(url_decode(pair.substr(0, eq)), url_decode(pair.substr(eq + 1)));
        }
        pos = end + 1;
    }
    return out;
}

Request request_from(std::string method, std::string target,
                     const std::vector<std::pair<std::string, std::string>>& headers, std::string body) {
    Request req;
    req.method = std::move(method);
    req.target = std::move(target);
    auto q = req.target.find('?');
    req.path = url_decode(std::string_view(req.target).substr(0, q), false);
    if (q != std::string::npos) {
        req.query_string = req.target.substr(q + 1);
        req.query = parse_urlencoded(req.query_string);
    }
    for (const auto& [name, value] : headers) {
        std::string key = name;
        std::transform(key.begin(), key.end(), key.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        req.headers[key] = value;
    }
    req.body = std::move(body);
    return req;
}

namespace {
constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
}  // namespace

std::string http_date(std::int64_t t) {
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday,
                  kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

std::optional<std::int64_t> parse_http_date(std::string_view s) {
    // IMF-fixdate only (what browsers send back): "Sun, 06 Nov 1994 08:49:37 GMT".
    if (s.size() != 29 || s.substr(3, 2) != ", " || s.substr(25) != " GMT") return std::nullopt;
    auto num = [&](std::size_t at, std::size_t n) -> int {
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (s[i] < '0' || s[i] > '9') return -1;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    std::tm tm{};
    tm.tm_mday = num(5, 2);
    tm.tm_mon = -1;
    for (int m = 0; m < 12; ++m)
        if (s.substr(8, 3) == kMonths[m]) tm.tm_mon = m;
    tm.tm_year = num(12, 4) - 1900;
    tm.tm_hour = num(17, 2);
    tm.tm_min = num(20, 2);
    tm.tm_sec = num(23, 2);
    if (tm.tm_mday < 1 || tm.tm_mon < 0 || tm.tm_year < 70 || tm.tm_hour < 0 || tm.tm_min < 0 || tm.tm_sec < 0 ||
        s[11] != ' ' || s[16] != ' ' || s[19] != ':' || s[22] != ':')
        return std::nullopt;
    return static_cast<std::int64_t>(timegm(&tm));
}

bool not_modified(const Request& req, std::string_view etag, std::int64_t modified) {
    const std::string inm = req.header("if-none-match");
    if (!inm.empty()) {
        if (inm == "*") return true;
        // A list of (possibly weak) tags: W/"x", "y".
        std::size_t pos = 0;
        while (pos < inm.size()) {
            std::size_t end = inm.find(',', pos);
            if (end == std::string::npos) end = inm.size();
            std::string_view tag = std::string_view(inm).substr(pos, end - pos);
            while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
            while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
            if (tag.rfind("W/", 0) == 0) tag.remove_prefix(2);
            if (tag == etag) return true;
            pos = end + 1;
        }
        return false;  // If-Modified-Since is ignored when If-None-Match is present (RFC 9110)
    }
    auto since = parse_http_date(req.header("if-modified-since"));
    return since && modified <= *since;
}

std::string reason_phrase(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 204:
            return "No Content";
        case 302:
            return "Found";
        case 303:
            return "See Other";
        case 304:
            return "Not Modified";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 409:
            return "Conflict";
        case 410:
            return "Gone";
        case 413:
            return "Content Too Large";
        case 422:
            return "Unprocessable Content";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 503:
            return "Service Unavailable";
        default:
            return "Status";
    }
}

std::string json_quote(std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out.push_back(static_cast<char>(c));
                }
        }
    }
    out.push_back('"');
    return out;
}

}  // namespace passerelle::http
