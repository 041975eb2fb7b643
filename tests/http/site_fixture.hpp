// The fixture of the HTTP suites: a fresh server on a copy of the demo database for each test, and the
// steps most tests begin with (sign up, log in, read a mailed link).
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "tests/http/harness.hpp"

using namespace passerelle::testing;
using nlohmann::json;

namespace {

const std::string kPassword = "Correct-Cheval-42";

class Http : public ::testing::Test {
  protected:
    void SetUp() override {
        server = std::make_unique<ServerProcess>(extra_args());
        ASSERT_TRUE(server->running()) << server->log();
    }
    virtual std::vector<std::string> extra_args() { return {}; }
    std::string url(const std::string& p) { return server->url(p); }

    // Signs up through the form; returns the HTML of the page after the redirect.
    HttpResult signup(Client& c, const std::string& email, const std::string& name = "Marie Durand") {
        auto form = c.get(url("/inscription"));
        EXPECT_EQ(form.status, 200);
        return c.post_form(url("/inscription"), {{"_csrf", Client::csrf_of(form.body)},
                                                 {"display_name", name},
                                                 {"email", email},
                                                 {"password", kPassword},
                                                 {"password_confirm", kPassword}});
    }
    std::string link_in_mail(const std::string& to, const std::string& path) {
        std::string mail = server->mail_to(to);
        auto pos = mail.find(path + "?jeton=");
        if (pos == std::string::npos) return "";
        auto end = mail.find_first_of("\r\n ", pos);
        return mail.substr(pos, end - pos);
    }
    void login(Client& c, const std::string& email, const std::string& password = kPassword) {
        auto form = c.get(url("/connexion"));
        auto r = c.post_form(url("/connexion"),
                             {{"_csrf", Client::csrf_of(form.body)}, {"email", email}, {"password", password}});
        ASSERT_EQ(r.status, 303) << r.body;
    }
    json api(const std::string& path) {
        Client c;
        return json::parse(c.get(url(path)).body, nullptr, false);
    }
    int company_count() { return api("/api/v1/organisations?kind=company&per_page=1")["total"].get<int>(); }

    std::unique_ptr<ServerProcess> server;
};

inline std::string run(const std::string& cmd) {
    std::string out;
    std::array<char, 4096> buf{};
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return out;
    while (std::fgets(buf.data(), buf.size(), p)) out += buf.data();
    ::pclose(p);
    return out;
}

}  // namespace
