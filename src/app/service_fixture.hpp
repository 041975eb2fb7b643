// Test fixture for the services: a migrated in-memory SQLite database, a fake clock, cheap hashing,
// and the CPV divisions plus two départements as reference data.
#pragma once

#include <gtest/gtest.h>

#include "app/accounts.hpp"
#include "app/organisations.hpp"
#include "app/reference.hpp"
#include "storage/accounts_store.hpp"
#include "storage/migrations.hpp"
#include "storage/org_store.hpp"
#include "storage/outbox_store.hpp"
#include "storage/reference_store.hpp"

namespace passerelle::app {

class ServiceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(init_crypto());
        auto db = storage::open_database("sqlite::memory:", 1);
        ASSERT_TRUE(db.ok());
        db_ = std::move(db.value());
        ASSERT_TRUE(storage::migrate(*db_, PASSERELLE_MIGRATIONS_DIR).ok());
        reference_ = std::make_unique<ReferenceService>(*db_);
        ASSERT_TRUE(reference_->load_builtin_cpv_divisions().ok());
        ASSERT_TRUE(
            db_->with_connection([](storage::Connection& c) -> core::Status {
                   if (auto s = storage::reference::upsert_region(c, {"11", "Île-de-France"}); !s) return s;
                   if (auto s = storage::reference::upsert_departement(c, {"93", "Seine-Saint-Denis", "11"}); !s)
                       return s;
                   return storage::reference::upsert_departement(c, {"75", "Paris", "11"});
               })
                .ok());
        AccountSettings s;
        s.base_url = "https://passerelle.test";
        s.hasher = {1, 8192};
        accounts_ = std::make_unique<AccountService>(*db_, clock_, s);
        orgs_ = std::make_unique<OrganisationService>(*db_, clock_, *reference_, s.base_url);
    }

    // Mails queued for `to`, newest first.
    std::vector<storage::outbox::MailRecord> mails(const std::string& to) {
        return storage::fetch<std::vector<storage::outbox::MailRecord>>(
                   *db_, [&](storage::Connection& c) { return storage::outbox::recent(c, to, 50); })
            .value();
    }
    // The token in the newest mail's link "...?jeton=TOKEN".
    std::string token_in_mail(const std::string& to) {
        auto m = mails(to);
        if (m.empty()) return "";
        auto pos = m.front().body_text.find("jeton=");
        if (pos == std::string::npos) return "";
        auto end = m.front().body_text.find_first_of(" \n", pos);
        return m.front().body_text.substr(pos + 6, end - pos - 6);
    }
    std::int64_t signup(const std::string& email, bool verify = true) {
        auto id = accounts_->sign_up({email, "Personne Test", "Correct-Cheval-42", "Correct-Cheval-42"});
        EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message);
        if (verify) {
            EXPECT_TRUE(accounts_->verify_email(token_in_mail(email)).ok());
        }
        return id.value();
    }
    // Ville de Paris (buyer) and Atelier Vert (company, SIAE), created by the given users. The buyer is vetted
    // (as a platform administrator would) unless `vetted` is false.
    std::int64_t make_buyer(std::int64_t user, bool vetted = true) {
        core::OrganisationInput b;
        b.kind = "buyer";
        b.name = "Ville de Paris";
        b.siret = "21750001600019";
        b.buyer_kind = "commune";
        const std::int64_t id = orgs_->create(actor(user), b).value();
        if (vetted) {
            EXPECT_TRUE(db_->with_connection([&](storage::Connection& c) {
                               return storage::orgs::set_vetting(c, id, "verified", "", std::nullopt, clock_.now());
                           })
                            .ok());
        }
        return id;
    }
    // A platform administrator.
    std::int64_t make_admin(const std::string& email) {
        const std::int64_t id = signup(email);
        EXPECT_TRUE(db_->with_connection([&](storage::Connection& c) {
                           return storage::accounts::grant_role(c, id, "administrator", clock_.now());
                       })
                        .ok());
        return id;
    }
    // Skills and départements optional.
    std::int64_t make_company(std::int64_t user, std::vector<std::string> cpv_codes = {},
                              std::vector<std::string> departements = {}) {
        core::OrganisationInput c;
        c.kind = "company";
        c.name = "Atelier Vert";
        c.siret = "73282932000074";
        c.size = "PME";
        c.labels = {"siae_ei"};
        c.cpv_codes = std::move(cpv_codes);
        c.departements = std::move(departements);
        return orgs_->create(actor(user), c).value();
    }
    core::Actor actor(std::int64_t user_id) { return accounts_->actor_for(user_id).value(); }
    std::int64_t count(const std::string& table) {
        return db_->query("SELECT COUNT(*) FROM " + table).value()[0].int64(0);
    }

    core::FakeClock clock_{1'800'000'000};
    std::unique_ptr<storage::Database> db_;
    std::unique_ptr<ReferenceService> reference_;
    std::unique_ptr<AccountService> accounts_;
    std::unique_ptr<OrganisationService> orgs_;
};

}  // namespace passerelle::app
