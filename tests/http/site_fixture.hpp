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
        // The mail that carries the link: waits for it (another mail to the same person, or one still being
        // written, is not it).
        std::string mail = server->mail_to(to, path + "?jeton=");
        auto pos = mail.find(path + "?jeton=");
        if (pos == std::string::npos) return "";
        auto end = mail.find_first_of("\r\n ", pos);
        return mail.substr(pos, end - pos);
    }
    // Logs in; for an account with two-factor authentication (the demo administrator and organiser, or one a
    // test enrolled and named in `totp_secrets`), types the code its application would show.
    void login(Client& c, const std::string& email, const std::string& password = kPassword) {
        auto form = c.get(url("/connexion"));
        const std::string csrf = Client::csrf_of(form.body);
        auto r = c.post_form(url("/connexion"), {{"_csrf", csrf}, {"email", email}, {"password", password}});
        ASSERT_EQ(r.status, 303) << r.body;
        if (r.header("location") != "/connexion/code") return;
        auto secret = totp_secrets.find(email);
        ASSERT_NE(secret, totp_secrets.end()) << email << " needs a code and the test gave no key";
        auto done = c.post_form(url("/connexion/code"), {{"_csrf", csrf}, {"code", totp.next(email, secret->second)}});
        ASSERT_EQ(done.status, 303) << done.body;
        ASSERT_NE(done.header("location"), "/connexion/code");
    }
    std::map<std::string, std::string> totp_secrets = {{"admin@passerelle.example", kDemoTotpSecret},
                                                       {"organisatrice@passerelle.example", kDemoTotpSecret}};
    TotpCodes totp;
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
