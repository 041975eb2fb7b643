// HTTP integration harness: runs the real `passerelle serve` binary on a free port with its own database
// and var/ folder, and a libcurl client that keeps cookies and the connection.
#pragma once

#include <curl/curl.h>
#include <liboath/oath.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace passerelle::testing {

namespace fs = std::filesystem;

inline std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The TOTP code (6 digits, 30 s) of a base32 key at a Unix time, as an authenticator application shows it.
inline std::string totp_code(const std::string& secret, std::int64_t at) {
    oath_init();
    char* key = nullptr;
    size_t len = 0;
    if (oath_base32_decode(secret.data(), secret.size(), &key, &len) != OATH_OK) return "";
    char out[7] = {};
    oath_totp_generate(key, len, static_cast<time_t>(at), 30, 0, 6, out);
    std::free(key);
    return out;
}

// The demo key of the administrator's and the organiser's second factor (app/demo.hpp).
constexpr const char* kDemoTotpSecret = "PASSERELLEDEMOTOTPSECRETKEY23456";

// Codes for one server: each code is accepted once, and a later login must use a later 30-second step (the
// server accepts the step before and after the current one), so a test that logs the same person in again soon
// gets the next acceptable code, waiting for it when needed.
class TotpCodes {
  public:
    std::string next(const std::string& account, const std::string& secret) {
        auto now = [] { return static_cast<std::int64_t>(std::time(nullptr)); };
        std::int64_t step = now() / 30 - 1;
        if (auto it = last_.find(account); it != last_.end()) step = std::max(step, it->second + 1);
        while (step > now() / 30 + 1) std::this_thread::sleep_for(std::chrono::milliseconds(200));
        // A step about to leave the window is skipped: the request may arrive after it left.
        if (step == now() / 30 - 1 && now() % 30 > 25) ++step;
        last_[account] = step;
        return totp_code(secret, step * 30);
    }

  private:
    std::map<std::string, std::int64_t> last_;
};

class ServerProcess {
  public:
    // db_url empty: a copy of the demo database prepared by the http_prepare fixture. var_dir empty: a folder
    // of its own.
    explicit ServerProcess(std::vector<std::string> extra = {}, std::string db_url = "", std::string var_dir = "") {
        static int n = 0;
        dir_ =
            fs::temp_directory_path() / ("passerelle-http-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        if (db_url.empty()) {
            fs::copy_file(PASSERELLE_HTTP_TEMPLATE_DB, dir_ / "test.db");
            db_url = "sqlite:" + (dir_ / "test.db").string();
        }
        std::vector<std::string> args = {PASSERELLE_BIN,
                                         "serve",
                                         "--db",
                                         db_url,
                                         "--port",
                                         "0",
                                         "--port-file",
                                         (dir_ / "port").string(),
                                         "--var",
                                         var_dir.empty() ? (dir_ / "var").string() : var_dir,
                                         "--fast-password-hash",
                                         "--threads",
                                         "2",
                                         "--log-level",
                                         "info"};
        args.insert(args.end(), extra.begin(), extra.end());
        pid_ = ::fork();
        if (pid_ == 0) {
            std::string log = (dir_ / "server.log").string();
            FILE* f = std::freopen(log.c_str(), "w", stdout);
            (void)f;
            ::dup2(::fileno(stdout), 2);
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < deadline) {
            if (fs::exists(dir_ / "port")) {
                port_ = std::stoi(read_file(dir_ / "port"));
                break;
            }
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    ~ServerProcess() {
        stop();
        std::error_code ec;
        if (!std::getenv("PASSERELLE_KEEP_TEST_DIRS")) fs::remove_all(dir_, ec);
    }
    // SIGTERM and wait; returns the exit status (or -1).
    int stop() {
        if (pid_ <= 0) return exit_status_;
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        return exit_status_;
    }
    // SIGKILL, as a crash or a power cut would stop it: no shutdown code runs.
    void kill_hard() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }
    bool running() const { return port_ > 0; }
    int port() const { return port_; }
    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
    std::string log() const { return read_file(dir_ / "server.log"); }
    fs::path mail_dir() const { return dir_ / "var" / "mail"; }
    fs::path dir() const { return dir_; }
    // Text of the newest mail to `to` that contains `needle`, waiting for the mail worker up to 5 s.
    std::string mail_to(const std::string& to, const std::string& needle = "") const {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (std::chrono::steady_clock::now() < deadline) {
            std::string best;
            std::error_code ec;
            fs::file_time_type newest{};
            if (fs::is_directory(mail_dir(), ec))
                for (const auto& e : fs::directory_iterator(mail_dir())) {
                    if (e.path().extension() != ".eml") continue;
                    std::string text = read_file(e.path());
                    if (text.find("To: " + to + "\r\n") == std::string::npos) continue;
                    if (!needle.empty() && text.find(needle) == std::string::npos) continue;
                    if (best.empty() || e.last_write_time() >= newest) {
                        best = text;
                        newest = e.last_write_time();
                    }
                }
            if (!best.empty()) return best;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return "";
    }

  private:
    fs::path dir_;
    pid_t pid_ = -1;
    int port_ = 0;
    int exit_status_ = -1;
};

struct HttpResult {
    long status = 0;
    std::map<std::string, std::string> headers;  // lower-case names, last value
    std::vector<std::string> set_cookies;
    std::string body;
    long connects = 0;  // new connections opened for this request
    std::string header(const std::string& n) const {
        auto it = headers.find(n);
        return it == headers.end() ? "" : it->second;
    }
};

class Client {
  public:
    Client() {
        curl_ = curl_easy_init();
        curl_easy_setopt(curl_, CURLOPT_COOKIEFILE, "");  // in-memory cookie engine
        curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 20L);
        curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    }
    ~Client() { curl_easy_cleanup(curl_); }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    HttpResult get(const std::string& url, std::vector<std::string> headers = {}) {
        return perform(url, "GET", "", "", headers);
    }
    HttpResult post_form(const std::string& url, const std::vector<std::pair<std::string, std::string>>& fields) {
        std::string body;
        for (const auto& [k, v] : fields) {
            if (!body.empty()) body += "&";
            char* ek = curl_easy_escape(curl_, k.c_str(), static_cast<int>(k.size()));
            char* ev = curl_easy_escape(curl_, v.c_str(), static_cast<int>(v.size()));
            body += std::string(ek) + "=" + ev;
            curl_free(ek);
            curl_free(ev);
        }
        return perform(url, "POST", body, "application/x-www-form-urlencoded", {});
    }
    HttpResult post_raw(const std::string& url, const std::string& body, const std::string& type,
                        std::vector<std::string> headers = {}) {
        return perform(url, "POST", body, type, headers);
    }
    // multipart/form-data with text fields and one file.
    HttpResult post_file(const std::string& url, const std::vector<std::pair<std::string, std::string>>& fields,
                         const std::string& file_field, const std::string& filename, const std::string& bytes) {
        curl_mime* mime = curl_mime_init(curl_);
        for (const auto& [k, v] : fields) {
            curl_mimepart* part = curl_mime_addpart(mime);
            curl_mime_name(part, k.c_str());
            curl_mime_data(part, v.c_str(), v.size());
        }
        curl_mimepart* file = curl_mime_addpart(mime);
        curl_mime_name(file, file_field.c_str());
        curl_mime_filename(file, filename.c_str());
        curl_mime_data(file, bytes.data(), bytes.size());
        curl_easy_setopt(curl_, CURLOPT_MIMEPOST, mime);
        HttpResult r = perform(url, "MIME", "", "", {});
        curl_easy_setopt(curl_, CURLOPT_MIMEPOST, nullptr);
        curl_mime_free(mime);
        return r;
    }
    void add_cookie(const std::string& netscape_line) {
        curl_easy_setopt(curl_, CURLOPT_COOKIELIST, netscape_line.c_str());
    }
    // The CSRF token of the last form page fetched.
    static std::string csrf_of(const std::string& html) {
        std::smatch m;
        static const std::regex re(R"re(name="_csrf" value="([^"]+)")re");
        return std::regex_search(html, m, re) ? m[1].str() : "";
    }

  private:
    static size_t on_body(char* p, size_t s, size_t n, void* u) {
        static_cast<std::string*>(u)->append(p, s * n);
        return s * n;
    }
    static size_t on_header(char* p, size_t s, size_t n, void* u) {
        auto* r = static_cast<HttpResult*>(u);
        std::string line(p, s * n);
        auto colon = line.find(':');
        if (colon != std::string::npos) {
            std::string name = line.substr(0, colon);
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            std::string value = line.substr(colon + 1);
            while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
            while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
            if (name == "set-cookie") r->set_cookies.push_back(value);
            r->headers[name] = value;
        }
        return s * n;
    }
    HttpResult perform(const std::string& url, const std::string& method, const std::string& body,
                       const std::string& type, const std::vector<std::string>& extra) {
        HttpResult r;
        struct curl_slist* hs = nullptr;
        if (!type.empty()) hs = curl_slist_append(hs, ("Content-Type: " + type).c_str());
        for (const auto& h : extra) hs = curl_slist_append(hs, h.c_str());
        curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, hs);
        curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &Client::on_body);
        curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &r.body);
        curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &Client::on_header);
        curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &r);
        if (method == "MIME") {
            // body set by post_file through CURLOPT_MIMEPOST
        } else if (method == "POST") {
            curl_easy_setopt(curl_, CURLOPT_POST, 1L);
            curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
            curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
        } else {
            curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
        }
        CURLcode rc = curl_easy_perform(curl_);
        if (rc == CURLE_OK) {
            curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &r.status);
            curl_easy_getinfo(curl_, CURLINFO_NUM_CONNECTS, &r.connects);
        } else {
            r.status = -static_cast<long>(rc);
        }
        curl_slist_free_all(hs);
        return r;
    }
    CURL* curl_;
};

}  // namespace passerelle::testing
