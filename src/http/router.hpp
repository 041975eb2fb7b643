// Router: method + path pattern -> handler. Patterns are literal segments and {name} captures,
// e.g. "/entreprises/{siret}", and a final {*rest} that takes the remaining segments. Literal segments
// win over captures. Each route may raise the request
// body limit (document uploads). Not thread-safe while routes are added; read-only afterwards.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace passerelle::http {

struct RouteOptions {
    std::uint64_t body_limit = 0;  // 0: the server's default
    // Long work (exports): the handler runs on the server's small pool of its own, so that however many
    // clients ask for it, the threads that read and answer every other request stay free.
    bool heavy = false;
};

// A handler together with who may call it ("anyone", "signed-in", "administrator"): the site's route table
// declares every route this way, the handler enforces it, and `passerelle routes` prints it.
struct Declared {
    Handler handler;
    std::string access;
};

struct RouteInfo {
    std::string method;
    std::string pattern;
    std::string access;
};

class Router {
  public:
    // `access`: who may call it, as declared (see Declared); "" when the route declared nothing.
    void add(const std::string& method, const std::string& pattern, Handler handler, RouteOptions options = {},
             std::string access = "");
    void get(const std::string& p, Handler h, RouteOptions o = {}) { add("GET", p, std::move(h), o); }
    void post(const std::string& p, Handler h, RouteOptions o = {}) { add("POST", p, std::move(h), o); }
    void get(const std::string& p, Declared d, RouteOptions o = {}) {
        add("GET", p, std::move(d.handler), o, std::move(d.access));
    }
    void post(const std::string& p, Declared d, RouteOptions o = {}) {
        add("POST", p, std::move(d.handler), o, std::move(d.access));
    }

    enum class MatchKind { kFound, kNotFound, kMethodNotAllowed };
    struct Match {
        MatchKind kind = MatchKind::kNotFound;
        const Handler* handler = nullptr;
        std::map<std::string, std::string> params;
        std::uint64_t body_limit = 0;
        bool heavy = false;
        std::vector<std::string> allowed;  // for 405
    };
    // HEAD matches GET routes.
    Match match(const std::string& method, const std::string& path) const;
    std::vector<RouteInfo> routes() const;

  private:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
        RouteOptions options;
        int literal_count = 0;
        std::string access;
    };
    std::vector<Route> routes_;
};

std::vector<std::string> split_path(const std::string& path);

}  // namespace passerelle::http
