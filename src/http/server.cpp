// The only translation unit that includes Boost.Beast (it is heavy to compile).
#include "http/server.hpp"

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

namespace passerelle::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

class Session;

struct Server::Impl {
    const Router& router;
    ServerSettings settings;
    ServerHooks hooks;
    AccessLogger log;
    asio::io_context ioc;
    tcp::acceptor acceptor{ioc};
    std::atomic<bool> stopping{false};
    std::atomic<int> active{0};
    std::mutex sessions_mu;
    std::set<std::weak_ptr<Session>, std::owner_less<std::weak_ptr<Session>>> sessions;
    std::optional<asio::signal_set> signals;
    asio::thread_pool heavy_pool;  // heavy routes (exports) run here, never on the I/O threads
    std::unique_ptr<asio::steady_timer> drain_timer;
    std::chrono::steady_clock::time_point drain_deadline;

    Impl(const Router& r, ServerSettings s, ServerHooks h, AccessLogger l)
        : router(r),
          settings(std::move(s)),
          hooks(std::move(h)),
          log(std::move(l)),
          heavy_pool(static_cast<std::size_t>(std::max(1, settings.heavy_threads))) {}

    void accept();
    void begin_stop();
    void check_drained();
};

class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {
        ++server_.active;
        beast::error_code ec;
        auto ep = stream_.socket().remote_endpoint(ec);
        if (!ec) remote_ = ep.address().to_string();
    }
    ~Session() { --server_.active; }

    void start() {
        asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
    }

    // Called on stop: an idle connection (waiting for a new request) is closed now.
    void close_if_idle() {
        asio::post(stream_.get_executor(), [self = shared_from_this()] {
            if (self->idle_) {
                beast::error_code ec;
                self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
                self->stream_.cancel();
            }
        });
    }

  private:
    void read_header() {
        if (server_.stopping) return close();
        idle_ = true;
        parser_.emplace();
        parser_->header_limit(16 * 1024);
        // The limit depends on the route: it is set once the header is known (Beast would otherwise
        // refuse a large Content-Length while still reading the header).
        parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
        stream_.expires_after(server_.settings.header_timeout);
        bhttp::async_read_header(stream_, buffer_, *parser_,
                                 beast::bind_front_handler(&Session::on_header, shared_from_this()));
    }

    // A parse error of the request (bad field, two Content-Length, Content-Length with Transfer-Encoding,
    // bad chunk size, header over the limit) is answered 400 or 431 and the connection closed; a timeout or a
    // peer that went away is closed silently.
    bool answer_parse_error(const beast::error_code& ec) {
        if (ec.category() != bhttp::make_error_code(bhttp::error::bad_method).category()) return false;
        const auto e = static_cast<bhttp::error>(ec.value());
        int status = 0;
        if (e == bhttp::error::header_limit)
            status = 431;
        else if (e >= bhttp::error::bad_line_ending && e <= bhttp::error::bad_obs_fold)
            status = 400;
        if (status == 0) return false;
        Request req;
        req.method = "GET";
        req.remote_addr = remote_;
        Response res = status == 431 ? Response::text("Request Header Fields Too Large\n", 431)
                                     : Response::text("Bad Request\n", 400);
        send(req, std::move(res), /*keep_alive=*/false);
        return true;
    }

    void on_header(beast::error_code ec, std::size_t) {
        idle_ = false;
        if (ec) {
            if (!answer_parse_error(ec)) close();  // timeout, closed by peer
            return;
        }
        started_ = std::chrono::steady_clock::now();
        const auto& h = parser_->get();
        // Framing a proxy in front could read otherwise (request smuggling): a Transfer-Encoding other than
        // "chunked" alone, which this server would take as no body; an HTTP/1.1 request without exactly one Host.
        auto te = h.find(bhttp::field::transfer_encoding);
        const bool bad_te = te != h.end() && !beast::iequals(te->value(), "chunked");
        const bool bad_host = h.version() >= 11 && h.count(bhttp::field::host) != 1;
        if (bad_te || bad_host || h.count(bhttp::field::transfer_encoding) > 1) {
            Request req;
            req.method = "GET";
            req.remote_addr = remote_;
            return send(req, Response::text("Bad Request\n", 400), /*keep_alive=*/false);
        }
        std::string target(h.target());
        std::string path = target.substr(0, target.find('?'));
        auto m = server_.router.match(std::string(h.method_string()), path);
        std::uint64_t limit = m.body_limit ? m.body_limit : server_.settings.body_limit;
        parser_->body_limit(limit);
        if (auto len = parser_->content_length(); len && *len > limit) return reject_too_large(limit);
        if (parser_->is_done()) return handle();
        stream_.expires_after(server_.settings.body_timeout);
        bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_body, shared_from_this()));
    }

    void on_body(beast::error_code ec, std::size_t) {
        if (ec == bhttp::error::body_limit) {
            std::uint64_t limit = server_.settings.body_limit;
            return reject_too_large(limit);
        }
        if (ec == beast::error::timeout) {  // the body did not arrive in time: say so before closing
            Request req;
            req.method = "GET";
            req.remote_addr = remote_;
            return send(req, Response::text("Request Timeout\n", 408), /*keep_alive=*/false);
        }
        if (ec) {
            if (!answer_parse_error(ec)) close();
            return;
        }
        handle();
    }

    void reject_too_large(std::uint64_t limit) {
        Request req = make_request(false);
        Response res;
        std::string detail =
            "Le contenu envoyé dépasse la taille maximale autorisée (" + std::to_string(limit / 1024) + " Kio).";
        if (server_.hooks.error)
            res = server_.hooks.error(req, 413, detail);
        else
            res = Response::text(detail, 413);
        send(req, std::move(res), /*keep_alive=*/false);
    }

    Request make_request(bool with_body) {
        auto& msg = parser_->get();
        std::vector<std::pair<std::string, std::string>> headers;
        for (const auto& f : msg) headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
        Request req = request_from(std::string(msg.method_string()), std::string(msg.target()), headers,
                                   with_body ? std::move(msg.body()) : std::string());
        req.remote_addr = client_address(remote_, req.header("forwarded"), req.header("x-forwarded-for"),
                                         server_.settings.trusted_proxies);
        return req;
    }

    void handle() {
        Request req = make_request(true);
        bool keep_alive = parser_->get().keep_alive();
        // A NUL in the decoded path ("theme.css%00.png") would cut a file name or a comparison short.
        if (req.path.find('\0') != std::string::npos) {
            Response res = server_.hooks.error ? server_.hooks.error(req, 400, "Chemin de la requête invalide.")
                                               : Response::text("Bad Request\n", 400);
            return send(req, std::move(res), /*keep_alive=*/false);
        }
        auto m = server_.router.match(req.method, req.path);
        if (m.kind == Router::MatchKind::kFound && m.heavy) {
            // Long work on the heavy pool; the answer is written back on this connection's strand.
            req.path_params = std::move(m.params);
            const Handler* handler = m.handler;
            asio::post(server_.heavy_pool,
                       [self = shared_from_this(), req = std::move(req), handler, keep_alive]() mutable {
                           Response res = self->run_handler(*handler, req);
                           asio::post(self->stream_.get_executor(),
                                      [self, req = std::move(req), res = std::move(res), keep_alive]() mutable {
                                          self->send(req, std::move(res), keep_alive);
                                      });
                       });
            return;
        }
        Response res;
        if (m.kind == Router::MatchKind::kFound) {
            req.path_params = std::move(m.params);
            res = run_handler(*m.handler, req);
        } else if (m.kind == Router::MatchKind::kMethodNotAllowed) {
            res = server_.hooks.method_not_allowed ? server_.hooks.method_not_allowed(req, m.allowed)
                                                   : Response::text("Method Not Allowed", 405);
            std::string allow;
            for (const auto& a : m.allowed) allow += (allow.empty() ? "" : ", ") + a;
            res.set_header("Allow", allow);
        } else {
            res = server_.hooks.not_found ? server_.hooks.not_found(req) : Response::text("Not Found", 404);
        }
        send(req, std::move(res), keep_alive);
    }

    Response run_handler(const Handler& handler, Request& req) {
        try {
            return handler(req);
        } catch (const std::exception& e) {
            return server_.hooks.error ? server_.hooks.error(req, 500, e.what())
                                       : Response::text("Internal Server Error", 500);
        }
    }

    void send(const Request& req, Response res, bool keep_alive) {
        if (!keep_alive || server_.stopping) keep_alive = false;
        if (!res.body_file.empty()) {
            auto out = std::make_shared<bhttp::response<bhttp::file_body>>();
            beast::error_code ec;
            out->body().open(res.body_file.c_str(), beast::file_mode::scan, ec);
            if (ec) {
                Response failed = server_.hooks.error ? server_.hooks.error(const_cast<Request&>(req), 500,
                                                                            "cannot open " + res.body_file)
                                                      : Response::text("Internal Server Error", 500);
                return send(req, std::move(failed), keep_alive);
            }
            out->version(11);
            out->result(static_cast<unsigned>(res.status));
            for (const auto& [k, v] : res.header_list()) out->insert(k, v);
            out->keep_alive(keep_alive);
            out->prepare_payload();
            log_access(req, res, out->payload_size().value_or(0));
            return write(out, keep_alive, req.method == "HEAD");
        }
        auto out = std::make_shared<bhttp::response<bhttp::string_body>>();
        out->version(11);
        out->result(static_cast<unsigned>(res.status));
        for (const auto& [k, v] : res.header_list()) out->insert(k, v);
        if (req.method != "HEAD") out->body() = std::move(res.body);
        out->keep_alive(keep_alive);
        out->prepare_payload();
        const std::size_t size = out->body().size();
        if (req.method == "HEAD") out->content_length(res.body.size());
        log_access(req, res, size);
        write(out, keep_alive, false);
    }

    void log_access(const Request& req, const Response& res, std::uint64_t size) {
        if (!server_.log) return;
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_).count();
        server_.log(req, res.status, size, ms);
    }

    template <class Body>
    void write(std::shared_ptr<bhttp::response<Body>> out, bool keep_alive, bool header_only) {
        stream_.expires_after(server_.settings.body_timeout);
        auto done = [self = shared_from_this(), out, keep_alive](beast::error_code ec, std::size_t) {
            if (ec) return self->close();
            if (!keep_alive) return self->lingering_close();
            self->read_header();
        };
        if (header_only) {
            auto sr = std::make_shared<bhttp::response_serializer<Body>>(*out);
            bhttp::async_write_header(stream_, *sr,
                                      [sr, done](beast::error_code ec, std::size_t n) mutable { done(ec, n); });
        } else {
            bhttp::async_write(stream_, *out, std::move(done));
        }
    }

    // Closing a socket with unread input makes the kernel send a reset that can destroy the response
    // still in flight (e.g. a 413 sent before the body was read): stop sending, drain input for a while,
    // then close.
    void lingering_close() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream_.expires_after(std::chrono::seconds(2));
        drain_ = std::make_unique<std::array<char, 16 * 1024>>();
        drain();
    }

    void drain() {
        stream_.async_read_some(asio::buffer(*drain_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->close();
            self->drain();
        });
    }

    void close() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream_.socket().close(ec);
    }

    beast::tcp_stream stream_;
    Server::Impl& server_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    std::string remote_;
    bool idle_ = true;
    std::unique_ptr<std::array<char, 16 * 1024>> drain_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

void Server::Impl::accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
        if (stopping) return;
        if (!ec) {
            socket.set_option(tcp::no_delay(true), ec);
            auto s = std::make_shared<Session>(std::move(socket), *this);
            {
                std::lock_guard lock(sessions_mu);
                for (auto it = sessions.begin(); it != sessions.end();)
                    it = it->expired() ? sessions.erase(it) : std::next(it);
                sessions.insert(s);
            }
            s->start();
        }
        accept();
    });
}

void Server::Impl::begin_stop() {
    if (stopping.exchange(true)) return;
    beast::error_code ec;
    acceptor.close(ec);
    if (signals) signals->cancel(ec);
    {
        std::lock_guard lock(sessions_mu);
        for (const auto& w : sessions)
            if (auto s = w.lock()) s->close_if_idle();
    }
    drain_deadline = std::chrono::steady_clock::now() + settings.drain_timeout;
    drain_timer = std::make_unique<asio::steady_timer>(ioc);
    check_drained();
}

void Server::Impl::check_drained() {
    if (active == 0 || std::chrono::steady_clock::now() >= drain_deadline) {
        ioc.stop();
        return;
    }
    drain_timer->expires_after(std::chrono::milliseconds(20));
    drain_timer->async_wait([this](beast::error_code) { check_drained(); });
}

Server::Server(const Router& router, ServerSettings settings, ServerHooks hooks, AccessLogger log)
    : impl_(std::make_unique<Impl>(router, std::move(settings), std::move(hooks), std::move(log))) {}

Server::~Server() = default;

bool Server::listen(std::string* why) {
    beast::error_code ec;
    auto address = asio::ip::make_address(impl_->settings.address, ec);
    if (ec) {
        if (why) *why = "adresse invalide : " + impl_->settings.address;
        return false;
    }
    tcp::endpoint ep{address, impl_->settings.port};
    auto& a = impl_->acceptor;
    a.open(ep.protocol(), ec);
    if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) a.bind(ep, ec);
    if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        if (why) *why = ec.message();
        return false;
    }
    return true;
}

unsigned short Server::port() const {
    beast::error_code ec;
    auto ep = impl_->acceptor.local_endpoint(ec);
    return ec ? 0 : ep.port();
}

void Server::run(bool handle_signals) {
    if (handle_signals) {
        impl_->signals.emplace(impl_->ioc, SIGINT, SIGTERM);
        impl_->signals->async_wait([this](beast::error_code ec, int) {
            if (!ec) impl_->begin_stop();
        });
    }
    impl_->accept();
    std::vector<std::thread> threads;
    int n = std::max(1, impl_->settings.threads);
    for (int i = 1; i < n; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
    impl_->ioc.run();
    for (auto& t : threads) t.join();
    impl_->heavy_pool.join();  // a heavy request still running finishes (its answer is dropped with the loop)
}

void Server::stop() {
    asio::post(impl_->ioc, [this] { impl_->begin_stop(); });
}

}  // namespace passerelle::http
