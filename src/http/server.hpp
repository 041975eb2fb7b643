// Server: an asynchronous HTTP/1.1 server (Boost.Beast) with N worker threads in front of a Router.
//
// - answers 413 above the body limit (per route, default 1 MiB), before reading the body when
//   Content-Length says so;
// - closes connections whose request header does not arrive within header_timeout (slow headers and
//   idle keep-alive connections alike) and whose body does not arrive within body_timeout;
// - logs one access line per request;
// - stop() drains: stops accepting, closes idle connections, lets in-flight requests finish (up to
//   drain_timeout), then returns from run().
// Handler exceptions become 500 responses; the server keeps serving.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/client_address.hpp"
#include "http/router.hpp"

namespace passerelle::http {

struct ServerSettings {
    std::string address = "127.0.0.1";
    unsigned short port = 8080;  // 0: any free port (see Server::port())
    int threads = 4;
    int heavy_threads = 1;  // the pool that runs heavy routes (RouteOptions::heavy)
    // Reverse proxies whose Forwarded / X-Forwarded-For headers are believed (client_address.hpp); empty: the
    // peer is the client and those headers are ignored.
    std::vector<Cidr> trusted_proxies;
    std::uint64_t body_limit = 1024 * 1024;
    std::chrono::seconds header_timeout{15};
    std::chrono::seconds body_timeout{60};
    std::chrono::seconds drain_timeout{20};
};

// Called after each request with its status and the body's size in bytes (for the access log).
using AccessLogger = std::function<void(const Request&, int status, std::uint64_t bytes, double millis)>;
// Called around the router: fallback for unmatched paths, 405, and error pages.
struct ServerHooks {
    std::function<Response(Request&)> not_found;
    std::function<Response(Request&, const std::vector<std::string>& allowed)> method_not_allowed;
    std::function<Response(Request&, int status, const std::string& detail)> error;  // 413, 500
};

class Server {
  public:
    Server(const Router& router, ServerSettings settings, ServerHooks hooks, AccessLogger log);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds; fails (returns false and sets *why) when the port is taken.
    bool listen(std::string* why);
    unsigned short port() const;
    // Serves until stop() or SIGINT/SIGTERM (when handle_signals is true); returns after draining.
    void run(bool handle_signals);
    // Thread-safe; may be called from a handler or another thread.
    void stop();

    struct Impl;  // defined in server.cpp

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace passerelle::http
