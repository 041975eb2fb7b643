// The server in this process on a free port, driven through raw sockets: heavy routes run off the I/O threads,
// file bodies are streamed.
#include "http/server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

using namespace passerelle::http;

namespace {

// Sends `request` on a new connection and returns everything answered before the server closes it (10 s at most).
std::string exchange(unsigned short port, const std::string& request) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return "";
    (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string answer;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) answer.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return answer;
}

std::string get(const std::string& path, const std::string& method = "GET") {
    return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
}

class RunningServer {
  public:
    RunningServer(const Router& router, int threads) {
        ServerSettings s;
        s.port = 0;
        s.threads = threads;
        s.heavy_threads = 1;
        server_ = std::make_unique<Server>(router, s, ServerHooks{}, AccessLogger{});
        std::string why;
        EXPECT_TRUE(server_->listen(&why)) << why;
        thread_ = std::thread([this] { server_->run(false); });
    }
    ~RunningServer() {
        server_->stop();
        thread_.join();
    }
    unsigned short port() const { return server_->port(); }

  private:
    std::unique_ptr<Server> server_;
    std::thread thread_;
};

}  // namespace

// One I/O thread: a heavy request that waits until /healthz has been answered completes only if it does not
// hold that thread (on the I/O thread, both would wait for each other and the test would end on its timeouts).
TEST(Server, HeavyRoutesLeaveTheIoThreadsFree) {
    std::promise<void> healthz_answered;
    std::shared_future<void> answered = healthz_answered.get_future().share();
    Router r;
    r.get("/export",
          [answered](Request&) {
              const bool released = answered.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
              return Response::text(released ? "export" : "blocked");
          },
          {.heavy = true});
    r.get("/healthz", [&healthz_answered](Request&) {
        healthz_answered.set_value();
        return Response::text("ok");
    });
    RunningServer server(r, 1);
    auto slow = std::async(std::launch::async, [&] { return exchange(server.port(), get("/export")); });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the export is under way
    const std::string health = exchange(server.port(), get("/healthz"));
    EXPECT_NE(health.find("200 OK"), std::string::npos);
    const std::string exported = slow.get();
    EXPECT_NE(exported.find("\r\n\r\nexport"), std::string::npos) << exported;
}

// A file body is sent as it is on disk, with its length; HEAD sends the header only.
TEST(Server, FileBodiesAreStreamedFromDisk) {
    const auto path = std::filesystem::temp_directory_path() / ("passerelle-file-body-" + std::to_string(::getpid()));
    std::string content(300000, 'x');
    for (std::size_t i = 0; i < content.size(); i += 1000) content[i] = '\n';
    std::ofstream(path, std::ios::binary) << content;
    Router r;
    r.get("/file", [&](Request&) {
        Response res;
        res.body_file = path.string();
        res.set_header("Content-Type", "text/csv");
        return res;
    });
    r.get("/missing", [](Request&) {
        Response res;
        res.body_file = "/nonexistent/passerelle";
        return res;
    });
    RunningServer server(r, 2);
    const std::string answer = exchange(server.port(), get("/file"));
    EXPECT_NE(answer.find("Content-Length: 300000"), std::string::npos);
    EXPECT_EQ(answer.substr(answer.find("\r\n\r\n") + 4), content);
    const std::string head = exchange(server.port(), get("/file", "HEAD"));
    EXPECT_NE(head.find("Content-Length: 300000"), std::string::npos);
    EXPECT_EQ(head.size(), head.find("\r\n\r\n") + 4);
    EXPECT_EQ(exchange(server.port(), get("/missing")).rfind("HTTP/1.1 500", 0), 0u);
    std::filesystem::remove(path);
}
