// The storage contract: the same tests against every backend (SQLite and PostgreSQL).
#include <gtest/gtest.h>

#include "storage/accounts_store.hpp"
#include "storage/audit_store.hpp"
#include "storage/clause_store.hpp"
#include "storage/contract_store.hpp"
#include "storage/event_store.hpp"
#include "storage/exchange_store.hpp"
#include "storage/external_notice_store.hpp"
#include "storage/news_store.hpp"
#include "storage/notice_store.hpp"
#include "storage/observatory_store.hpp"
#include "storage/org_store.hpp"
#include "storage/outbox_store.hpp"
#include "storage/reference_store.hpp"
#include "storage/roadmap_store.hpp"
#include "storage/search_outbox_store.hpp"
#include "tests/storage/backend.hpp"

using namespace passerelle;
using namespace passerelle::storage;
using passerelle::testing::BackendTest;

namespace {

template <typename T>
T must(Result<T> r) {
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    if (!r.ok()) throw std::runtime_error(r.error().message);
    return std::move(r.value());
}

void must(const Status& s) { ASSERT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message); }

std::int64_t count(Database* db, const std::string& table) {
    auto r = db->query("SELECT COUNT(*) FROM " + table);
    return r.ok() ? r.value()[0].int64(0) : -1;
}

void seed_reference(Connection& c) {
    must(reference::upsert_region(c, {"11", "Île-de-France"}));
    must(reference::upsert_departement(c, {"93", "Seine-Saint-Denis", "11"}));
    must(reference::upsert_departement(c, {"75", "Paris", "11"}));
    must(reference::upsert_cpv(c, {"90000000", 7, 1, "", "90", "Services d'évacuation des eaux usées", "Sewage",
                                   "services d'evacuation des eaux usees"}));
    must(reference::upsert_cpv(c, {"90910000", 9, 3, "90900000", "90", "Services de nettoyage", "Cleaning services",
                                   "services de nettoyage"}));
    must(reference::upsert_cpv(c, {"72000000", 5, 1, "", "72", "Services de technologies de l'information",
                                   "IT services", "services de technologies de l'information"}));
}

orgs::OrgRecord company(const std::string& siret, const std::string& name) {
    orgs::OrgRecord o;
    o.kind = "company";
    o.siret = siret;
    o.name = name;
    o.search_name = name;
    o.size = "PME";
    o.labels = {"ess", "siae_ei"};
    o.cpv_codes = {"90910000"};
    o.departements = {"93"};
    return o;
}

}  // namespace

TEST_P(BackendTest, MigrationsAreRecordedAndIdempotent) {
    auto v = storage::schema_version(*db);
    ASSERT_TRUE(v.ok());
    EXPECT_GE(v.value(), 1);
    auto again = storage::migrate(*db, PASSERELLE_MIGRATIONS_DIR);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again.value(), 0);
}

TEST_P(BackendTest, UsersUniqueEmailAndRoles) {
    must(db->transaction([&](Connection& c) -> Status {
        auto id = accounts::create_user(c, "marie@exemple.fr", "Marie", std::string("hash"), 100);
        if (!id) return id.error();
        must(accounts::grant_role(c, id.value(), "organiser", 100));
        must(accounts::grant_role(c, id.value(), "organiser", 101));  // idempotent
        must(accounts::grant_role(c, id.value(), "administrator", 100));
        return {};
    }));
    auto dup = db->with_connection([&](Connection& c) -> Status {
        auto id = accounts::create_user(c, "marie@exemple.fr", "Autre", std::nullopt, 100);
        if (!id) return id.error();
        return {};
    });
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code, core::ErrorCode::kConflict);
    auto u = must(fetch<std::optional<accounts::UserRecord>>(
        *db, [](Connection& c) { return accounts::find_user_by_email(c, "marie@exemple.fr"); }));
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(u->display_name, "Marie");
    EXPECT_EQ(u->roles, (std::vector<std::string>{"administrator", "organiser"}));
    EXPECT_FALSE(u->email_verified_at.has_value());
    must(db->with_connection([&](Connection& c) { return accounts::mark_email_verified(c, u->id, 200); }));
    must(db->with_connection([&](Connection& c) { return accounts::mark_email_verified(c, u->id, 300); }));
    auto v = must(
        fetch<std::optional<accounts::UserRecord>>(*db, [&](Connection& c) { return accounts::find_user(c, u->id); }));
    EXPECT_EQ(v->email_verified_at, 200);  // first verification time is kept
    must(db->with_connection([&](Connection& c) { return accounts::revoke_role(c, u->id, "organiser"); }));
    EXPECT_EQ(count(db, "user_roles"), 1);
    EXPECT_EQ(must(fetch<std::int64_t>(*db, [](Connection& c) { return accounts::count_users(c, "exemple"); })), 1);
}

TEST_P(BackendTest, BoundParametersKeepHostileTextVerbatim) {
    const std::string evil = "Robert'); DROP TABLE users; -- <script>alert(1)</script> ?$1 «é»";
    must(db->with_connection([&](Connection& c) -> Status {
        auto id = accounts::create_user(c, "x@y.fr", evil, std::nullopt, 1);
        if (!id) return id.error();
        return {};
    }));
    auto u = must(fetch<std::optional<accounts::UserRecord>>(
        *db, [](Connection& c) { return accounts::find_user_by_email(c, "x@y.fr"); }));
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(u->display_name, evil);
    EXPECT_EQ(count(db, "users"), 1);
}

TEST_P(BackendTest, TextViewsAreBoundLikeTheirText) {
    // A view bound without a copy: its exact bytes, not the rest of the buffer it points into, and the
    // empty view as an empty text (not NULL).
    const std::string buffer = "Fournitures «scolaires» l'an prochain|reste";
    const std::string_view object = std::string_view(buffer).substr(0, buffer.find('|'));
    auto rows = must(db->query(
        "SELECT CAST(? AS TEXT) || '#', length(CAST(? AS TEXT)), CAST(? AS TEXT) IS NULL, CAST(? AS TEXT) = ''",
        {TextView{object}, TextView{object}, TextView{}, TextView{""}}));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].text(0), std::string(object) + "#");
    EXPECT_EQ(rows[0].int64(1), 37);  // characters
    EXPECT_FALSE(rows[0].boolean(2));
    EXPECT_TRUE(rows[0].boolean(3));
}

TEST_P(BackendTest, SessionsExpireSlideAndEnd) {
    std::int64_t uid = 0;
    must(db->with_connection([&](Connection& c) -> Status {
        auto id = accounts::create_user(c, "s@y.fr", "S", std::nullopt, 1);
        if (!id) return id.error();
        uid = id.value();
        must(accounts::create_session(c, {"h1", uid, "csrf1", std::nullopt, 100, 100, 200, "Firefox", "192.0.2.1",
                                          std::nullopt, std::nullopt, std::nullopt}));
        must(accounts::create_session(c, {"h2", uid, "csrf2", std::nullopt, 100, 110, 200, "Chrome", "192.0.2.2",
                                          std::nullopt, std::nullopt, std::nullopt}));
        must(accounts::create_session(c, {"anon", std::nullopt, "csrf3", std::string("{\"text\":\"x\"}"), 100, 100, 150,
                                          "", "", std::nullopt, std::nullopt, std::nullopt}));
        return {};
    }));
    auto find = [&](const std::string& h, std::int64_t now) {
        return must(fetch<std::optional<accounts::SessionRecord>>(
            *db, [&](Connection& c) { return accounts::find_session(c, h, now); }));
    };
    ASSERT_TRUE(find("h1", 150).has_value());
    EXPECT_EQ(find("h1", 150)->csrf_token, "csrf1");
    EXPECT_EQ(find("h1", 150)->user_agent, "Firefox");
    EXPECT_FALSE(find("h1", 150)->confirmed_at.has_value());
    must(db->with_connection([&](Connection& c) { return accounts::set_session_confirmed(c, "h1", 140); }));
    EXPECT_EQ(find("h1", 150)->confirmed_at, 140);
    auto mine = must(fetch<std::vector<accounts::SessionRecord>>(
        *db, [&](Connection& c) { return accounts::user_sessions(c, uid, 150); }));
    ASSERT_EQ(mine.size(), 2u);
    EXPECT_EQ(mine[0].token_hash, "h2");  // the most recently used first
    EXPECT_EQ(mine[1].ip, "192.0.2.1");
    EXPECT_FALSE(find("h1", 200).has_value());  // expired
    must(db->with_connection([&](Connection& c) { return accounts::touch_session(c, "h1", 190, 400); }));
    EXPECT_TRUE(find("h1", 300).has_value());
    auto anon = find("anon", 120);
    ASSERT_TRUE(anon.has_value());
    EXPECT_FALSE(anon->user_id.has_value());
    EXPECT_EQ(anon->flash, "{\"text\":\"x\"}");
    must(db->with_connection([&](Connection& c) { return accounts::delete_user_sessions(c, uid, "h1"); }));
    EXPECT_TRUE(find("h1", 300).has_value());
    EXPECT_FALSE(find("h2", 120).has_value());
    auto purged =
        must(fetch<std::int64_t>(*db, [](Connection& c) { return accounts::purge_expired_sessions(c, 1000); }));
    EXPECT_EQ(purged, 2);
}

TEST_P(BackendTest, SecondFactorStepsOnlyMoveForwardAndRecoveryCodesServeOnce) {
    std::int64_t uid = 0;
    must(db->with_connection([&](Connection& c) -> Status {
        auto id = accounts::create_user(c, "t@y.fr", "T", std::nullopt, 1);
        if (!id) return id.error();
        uid = id.value();
        must(accounts::create_session(c, {"p1", std::nullopt, "csrf", std::nullopt, 100, 100, 900, "", "", std::nullopt,
                                          std::nullopt, std::nullopt}));
        return {};
    }));
    auto run = [&](auto f) { return must(fetch<decltype(f(std::declval<Connection&>()).value())>(*db, f)); };
    EXPECT_FALSE(run([&](Connection& c) { return accounts::second_factor(c, uid); }).has_value());
    EXPECT_FALSE(run([&](Connection& c) { return accounts::advance_totp_step(c, uid, 5); }));  // not enrolled
    must(db->with_connection([&](Connection& c) { return accounts::enable_second_factor(c, uid, "ABCD", 10, 300); }));
    auto factor = run([&](Connection& c) { return accounts::second_factor(c, uid); });
    ASSERT_TRUE(factor.has_value());
    EXPECT_EQ(factor->secret, "ABCD");
    EXPECT_EQ(factor->last_step, 10);
    EXPECT_EQ(run([&](Connection& c) { return accounts::find_user(c, uid); })->second_factor_since, 300);
    EXPECT_FALSE(run([&](Connection& c) { return accounts::advance_totp_step(c, uid, 10); }));  // replayed
    EXPECT_FALSE(run([&](Connection& c) { return accounts::advance_totp_step(c, uid, 9); }));
    EXPECT_TRUE(run([&](Connection& c) { return accounts::advance_totp_step(c, uid, 11); }));
    EXPECT_FALSE(run([&](Connection& c) { return accounts::advance_totp_step(c, uid, 11); }));

    must(db->with_connection([&](Connection& c) {
        return accounts::replace_recovery_codes(c, uid, {"h-a", "h-b", "h-c"}, 300);
    }));
    EXPECT_EQ(run([&](Connection& c) { return accounts::unused_recovery_codes(c, uid); }), 3);
    EXPECT_TRUE(run([&](Connection& c) { return accounts::use_recovery_code(c, uid, "h-b", 310); }));
    EXPECT_FALSE(run([&](Connection& c) { return accounts::use_recovery_code(c, uid, "h-b", 320); }));
    EXPECT_FALSE(run([&](Connection& c) { return accounts::use_recovery_code(c, uid, "h-z", 320); }));
    EXPECT_EQ(run([&](Connection& c) { return accounts::unused_recovery_codes(c, uid); }), 2);
    must(db->with_connection([&](Connection& c) { return accounts::replace_recovery_codes(c, uid, {"h-d"}, 330); }));
    EXPECT_FALSE(run([&](Connection& c) { return accounts::use_recovery_code(c, uid, "h-a", 340); }));  // replaced
    EXPECT_EQ(run([&](Connection& c) { return accounts::unused_recovery_codes(c, uid); }), 1);

    must(db->with_connection(
        [&](Connection& c) { return accounts::set_session_pending_login(c, "p1", std::string("{\"user\":1}")); }));
    must(db->with_connection(
        [&](Connection& c) { return accounts::set_session_enrol_secret(c, "p1", std::string("EFGH")); }));
    auto s = run([&](Connection& c) { return accounts::find_session(c, "p1", 200); });
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->pending_login, "{\"user\":1}");
    EXPECT_EQ(s->enrol_secret, "EFGH");

    must(db->with_connection([&](Connection& c) { return accounts::disable_second_factor(c, uid); }));
    EXPECT_FALSE(run([&](Connection& c) { return accounts::second_factor(c, uid); }).has_value());
    EXPECT_FALSE(run([&](Connection& c) { return accounts::find_user(c, uid); })->second_factor_since.has_value());
    EXPECT_EQ(run([&](Connection& c) { return accounts::unused_recovery_codes(c, uid); }), 0);
}

TEST_P(BackendTest, TokensAreSingleUseAndExpire) {
    std::int64_t uid = 0;
    must(db->with_connection([&](Connection& c) -> Status {
        auto id = accounts::create_user(c, "t@y.fr", "T", std::nullopt, 1);
        if (!id) return id.error();
        uid = id.value();
        must(accounts::create_token(c, "tok", uid, "verify_email", 100, 200));
        must(accounts::create_token(c, "old", uid, "reset_password", 100, 150));
        return {};
    }));
    auto consume = [&](const std::string& h, const std::string& purpose, std::int64_t now) {
        return must(fetch<std::optional<std::int64_t>>(
            *db, [&](Connection& c) { return accounts::consume_token(c, h, purpose, now); }));
    };
    EXPECT_FALSE(consume("tok", "reset_password", 120).has_value());  // wrong purpose
    EXPECT_EQ(consume("tok", "verify_email", 120), uid);
    EXPECT_FALSE(consume("tok", "verify_email", 121).has_value());    // used
    EXPECT_FALSE(consume("old", "reset_password", 160).has_value());  // expired
    EXPECT_FALSE(consume("nope", "verify_email", 120).has_value());
}

TEST_P(BackendTest, LoginFailuresCountWithinWindow) {
    must(db->with_connection([&](Connection& c) -> Status {
        for (int t : {100, 110, 120}) must(accounts::record_login_failure(c, "account", "a@b.fr", t));
        must(accounts::record_login_failure(c, "ip", "127.0.0.1", 115));
        return {};
    }));
    auto f = must(fetch<std::pair<std::int64_t, std::int64_t>>(
        *db, [](Connection& c) { return accounts::login_failures_since(c, "account", "a@b.fr", 105); }));
    EXPECT_EQ(f.first, 2);
    EXPECT_EQ(f.second, 110);
    must(db->with_connection([](Connection& c) { return accounts::clear_login_failures(c, "account", "a@b.fr"); }));
    f = must(fetch<std::pair<std::int64_t, std::int64_t>>(
        *db, [](Connection& c) { return accounts::login_failures_since(c, "account", "a@b.fr", 0); }));
    EXPECT_EQ(f.first, 0);
}

TEST_P(BackendTest, OrganisationsWithListsFiltersAndConflicts) {
    must(db->transaction([&](Connection& c) -> Status {
        seed_reference(c);
        return {};
    }));
    std::int64_t id = 0;
    must(db->transaction([&](Connection& c) -> Status {
        auto r = orgs::insert_org(c, company("73282932000074", "Atelier Vert"), 10);
        if (!r) return r.error();
        id = r.value();
        auto b = company("21750001600019", "Ville de Paris");
        b.kind = "buyer";
        b.labels.clear();
        b.cpv_codes.clear();
        b.departements.clear();
        b.buyer_kind = "commune";
        b.departement = "75";
        b.search_name = "ville de paris";
        auto r2 = orgs::insert_org(c, b, 11);
        if (!r2) return r2.error();
        return {};
    }));
    auto o = must(fetch<std::optional<orgs::OrgRecord>>(
        *db, [](Connection& c) { return orgs::find_org_by_siret(c, "73282932000074"); }));
    ASSERT_TRUE(o.has_value());
    EXPECT_EQ(o->labels, (std::vector<std::string>{"ess", "siae_ei"}));
    EXPECT_EQ(o->cpv_codes, (std::vector<std::string>{"90910000"}));
    EXPECT_EQ(o->departements, (std::vector<std::string>{"93"}));

    // Duplicate SIRET: conflict, and the failed transaction leaves nothing behind.
    auto dup = db->transaction([&](Connection& c) -> Status {
        auto r = orgs::insert_org(c, company("73282932000074", "Copie"), 12);
        if (!r) return r.error();
        return {};
    });
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code, core::ErrorCode::kConflict);
    EXPECT_EQ(count(db, "organisations"), 2);

    // Unknown CPV: the foreign key refuses it and the whole transaction rolls back.
    auto bad = db->transaction([&](Connection& c) -> Status {
        auto rec = company("35600000000010", "La Poste test");
        rec.cpv_codes = {"99999999"};
        auto r = orgs::insert_org(c, rec, 12);
        if (!r) return r.error();
        return {};
    });
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(count(db, "organisations"), 2);

    auto updated = *o;
    updated.name = "Atelier Vert et Bleu";
    updated.labels = {"ess"};
    updated.departements = {"75", "93"};
    must(db->transaction([&](Connection& c) { return orgs::update_org(c, updated, 20); }));
    auto again = must(fetch<std::optional<orgs::OrgRecord>>(*db, [&](Connection& c) { return orgs::find_org(c, id); }));
    EXPECT_EQ(again->name, "Atelier Vert et Bleu");
    EXPECT_EQ(again->labels, (std::vector<std::string>{"ess"}));
    EXPECT_EQ(again->departements, (std::vector<std::string>{"75", "93"}));
    EXPECT_EQ(again->updated_at, 20);

    auto list = [&](orgs::OrgFilter f) {
        return must(
            fetch<std::vector<orgs::OrgRecord>>(*db, [&](Connection& c) { return orgs::list_orgs(c, f, 10, 0); }));
    };
    EXPECT_EQ(list({"company", "", "", ""}).size(), 1u);
    EXPECT_EQ(list({"", "", "", ""}).size(), 2u);
    EXPECT_EQ(list({"", "paris", "", ""}).size(), 1u);
    EXPECT_EQ(list({"", "", "ess", ""}).size(), 1u);
    EXPECT_EQ(list({"", "", "siae_ei", ""}).size(), 0u);
    EXPECT_EQ(list({"", "", "", "75"}).size(), 2u);  // the buyer's own département, the company's area
    must(db->with_connection([&](Connection& c) { return orgs::set_claimed(c, id, false, 30); }));
    EXPECT_EQ(list({"", "", "", "", true}).size(), 1u);  // only the claimed buyer
    EXPECT_EQ(list({"", "", "", ""}).size(), 2u);
    EXPECT_EQ(must(fetch<std::int64_t>(*db,
                                       [](Connection& c) {
                                           return orgs::count_orgs(c, {"buyer", "", "", ""});
                                       })),
              1);
}

TEST_P(BackendTest, MembershipsAndInvitations) {
    std::int64_t org = 0, alice = 0, bob = 0;
    must(db->transaction([&](Connection& c) -> Status {
        seed_reference(c);
        org = orgs::insert_org(c, company("73282932000074", "Atelier Vert"), 1).value();
        alice = accounts::create_user(c, "alice@a.fr", "Alice", std::nullopt, 1).value();
        bob = accounts::create_user(c, "bob@b.fr", "Bob", std::nullopt, 1).value();
        must(orgs::upsert_membership(c, org, alice, "admin", "active", "", 2));
        must(orgs::upsert_membership(c, org, bob, "member", "requested", "Bonjour", 3));
        return {};
    }));
    auto members =
        must(fetch<std::vector<orgs::MemberRecord>>(*db, [&](Connection& c) { return orgs::list_members(c, org); }));
    ASSERT_EQ(members.size(), 2u);
    EXPECT_EQ(must(fetch<std::int64_t>(*db, [&](Connection& c) { return orgs::count_active_admins(c, org); })), 1);
    must(db->with_connection(
        [&](Connection& c) { return orgs::upsert_membership(c, org, bob, "admin", "active", "", 4); }));
    EXPECT_EQ(must(fetch<std::int64_t>(*db, [&](Connection& c) { return orgs::count_active_admins(c, org); })), 2);
    auto mine = must(fetch<std::vector<orgs::MembershipOfUser>>(
        *db, [&](Connection& c) { return orgs::memberships_of_user(c, bob); }));
    ASSERT_EQ(mine.size(), 1u);
    EXPECT_EQ(mine[0].role, "admin");
    EXPECT_EQ(mine[0].org_kind, "company");

    must(db->with_connection([&](Connection& c) -> Status {
        auto r = orgs::insert_invitation(c, org, "carol@c.fr", "member", "inv-hash", alice, 10, 100);
        if (!r) return r.error();
        return {};
    }));
    EXPECT_EQ(must(fetch<std::vector<orgs::InvitationRecord>>(
                       *db, [&](Connection& c) { return orgs::pending_invitations(c, org, 50); }))
                  .size(),
              1u);
    auto acc = must(fetch<std::optional<orgs::InvitationRecord>>(
        *db, [](Connection& c) { return orgs::accept_invitation(c, "inv-hash", 50); }));
    ASSERT_TRUE(acc.has_value());
    EXPECT_EQ(acc->email, "carol@c.fr");
    EXPECT_FALSE(must(fetch<std::optional<orgs::InvitationRecord>>(*db, [](Connection& c) {
                     return orgs::accept_invitation(c, "inv-hash", 51);
                 })).has_value());
    must(db->with_connection([&](Connection& c) { return orgs::delete_membership(c, org, bob); }));
    EXPECT_EQ(count(db, "memberships"), 1);
}

TEST_P(BackendTest, CpvSearchByPrefixAndFoldedLabel) {
    must(db->transaction([&](Connection& c) -> Status {
        seed_reference(c);
        return {};
    }));
    auto search = [&](const std::string& prefix, const std::string& text) {
        return must(fetch<std::vector<reference::CpvRecord>>(
            *db, [&](Connection& c) { return reference::search_cpv(c, prefix, text, 10); }));
    };
    auto by_code = search("909", "");
    ASSERT_EQ(by_code.size(), 1u);
    EXPECT_EQ(by_code[0].label_fr, "Services de nettoyage");
    EXPECT_EQ(by_code[0].check_digit, 9);
    auto by_text = search("", "evacuation");
    ASSERT_EQ(by_text.size(), 1u);
    EXPECT_EQ(by_text[0].code, "90000000");
    auto divisions_first = search("9", "");
    ASSERT_EQ(divisions_first.size(), 2u);
    EXPECT_EQ(divisions_first[0].level, 1);
    EXPECT_TRUE(search("", "").empty());
    auto found = must(fetch<std::optional<reference::CpvRecord>>(
        *db, [](Connection& c) { return reference::find_cpv(c, "72000000"); }));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->label_fr, "Services de technologies de l'information");
    EXPECT_EQ(must(fetch<std::int64_t>(*db, [](Connection& c) { return reference::count_cpv(c); })), 3);
}

TEST_P(BackendTest, OutboxDueSentAndRetried) {
    std::int64_t a = 0, b = 0;
    must(db->with_connection([&](Connection& c) -> Status {
        a = outbox::enqueue(c, "a@x.fr", "Sujet é", "Corps", 100).value();
        b = outbox::enqueue(c, "b@x.fr", "Sujet", "Corps", 100).value();
        return {};
    }));
    auto due = [&](std::int64_t now) {
        return must(
            fetch<std::vector<outbox::MailRecord>>(*db, [&](Connection& c) { return outbox::due(c, now, 10); }));
    };
    EXPECT_EQ(due(99).size(), 0u);
    EXPECT_EQ(due(100).size(), 2u);
    must(db->with_connection([&](Connection& c) { return outbox::mark_sent(c, a, 101); }));
    must(db->with_connection([&](Connection& c) { return outbox::mark_failed(c, b, "timeout", 200); }));
    EXPECT_EQ(due(150).size(), 0u);
    auto later = due(200);
    ASSERT_EQ(later.size(), 1u);
    EXPECT_EQ(later[0].attempts, 1);
    EXPECT_EQ(later[0].last_error, "timeout");
    auto recent =
        must(fetch<std::vector<outbox::MailRecord>>(*db, [](Connection& c) { return outbox::recent(c, "a@x.fr", 5); }));
    ASSERT_EQ(recent.size(), 1u);
    EXPECT_EQ(recent[0].subject, "Sujet é");
    EXPECT_EQ(recent[0].sent_at, 101);
}

TEST_P(BackendTest, TransactionRollsBackOnError) {
    auto st = db->transaction([&](Connection& c) -> Status {
        auto id = accounts::create_user(c, "r@y.fr", "R", std::nullopt, 1);
        if (!id) return id.error();
        return core::Error::Invalid("abandon");
    });
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(count(db, "users"), 0);
    EXPECT_THROW(db->transaction([&](Connection& c) -> Status {
        (void)accounts::create_user(c, "r@y.fr", "R", std::nullopt, 1);
        throw std::runtime_error("boom");
    }),
                 std::runtime_error);
    EXPECT_EQ(count(db, "users"), 0);
    // The connection is usable afterwards.
    EXPECT_TRUE(db->query("SELECT 1").ok());
}

TEST_P(BackendTest, SettingsAndGeography) {
    must(db->transaction([&](Connection& c) -> Status {
        seed_reference(c);
        must(reference::upsert_commune(c, {"93066", "Saint-Denis", "93", "11", 113942}));
        must(reference::set_setting(c, "k", "v1"));
        must(reference::set_setting(c, "k", "v2"));
        return {};
    }));
    auto v = must(fetch<std::optional<std::string>>(*db, [](Connection& c) { return reference::get_setting(c, "k"); }));
    EXPECT_EQ(v, "v2");
    auto deps = must(
        fetch<std::vector<reference::Departement>>(*db, [](Connection& c) { return reference::list_departements(c); }));
    ASSERT_EQ(deps.size(), 2u);
    EXPECT_EQ(deps[0].code, "75");
    EXPECT_EQ(must(fetch<std::int64_t>(*db, [](Connection& c) { return reference::count_communes(c); })), 1);
}

TEST_P(BackendTest, RoadmapItemsListsFiltersStatusAndInterests) {
    std::int64_t buyer = 0, firm = 0, user = 0;
    must(db->transaction([&](Connection& c) -> Status {
        seed_reference(c);
        auto b = company("21750001600019", "Ville de Paris");
        b.kind = "buyer";
        b.labels.clear();
        b.cpv_codes.clear();
        b.departements.clear();
        buyer = orgs::insert_org(c, b, 1).value();
        firm = orgs::insert_org(c, company("73282932000074", "Atelier Vert"), 1).value();
        user = accounts::create_user(c, "a@b.fr", "A", std::nullopt, 1).value();
        return {};
    }));
    auto item = [&](const std::string& title, const std::string& cpv, const std::string& dep,
                    const std::string& status) {
        roadmaps::ItemRecord r;
        r.org_id = buyer;
        r.status = status;
        r.title = title;
        r.search_text = title;
        r.amount_min = 1000;
        r.amount_max = 2000;
        r.quarter_year = 2027;
        r.quarter = 2;
        r.procedure = "mapa";
        r.clause_intent = "insertion";
        r.created_at = r.updated_at = 10;
        r.cpv_codes = {cpv};
        r.departements = {dep};
        return must(fetch<std::int64_t>(*db, [&](Connection& c) { return roadmaps::insert_item(c, r); }));
    };
    auto a = item("nettoyage des colleges", "90910000", "93", "published");
    item("maintenance informatique", "72000000", "75", "published");
    item("brouillon", "90000000", "93", "draft");
    auto count = [&](roadmaps::ItemFilter f) {
        return must(fetch<std::int64_t>(*db, [&](Connection& c) { return roadmaps::count_items(c, f); }));
    };
    roadmaps::ItemFilter f;
    EXPECT_EQ(count(f), 3);
    f.status = "published";
    EXPECT_EQ(count(f), 2);
    f.text = "college nettoyage";
    EXPECT_EQ(count(f), 1);
    f.text = "";
    f.cpv_division = "90";
    EXPECT_EQ(count(f), 1);
    f.cpv_division = "";
    f.departement = "75";
    EXPECT_EQ(count(f), 1);
    roadmaps::ItemFilter mine;
    mine.org_ids = {buyer, 999};
    EXPECT_EQ(count(mine), 3);
    auto found =
        must(fetch<std::optional<roadmaps::ItemRecord>>(*db, [&](Connection& c) { return roadmaps::find_item(c, a); }));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->org_name, "Ville de Paris");
    EXPECT_EQ(found->cpv_codes, std::vector<std::string>{"90910000"});

    // Status moves only from the expected state.
    EXPECT_TRUE(must(
        fetch<bool>(*db, [&](Connection& c) { return roadmaps::set_status(c, a, "published", "abandoned", 20); })));
    EXPECT_FALSE(must(
        fetch<bool>(*db, [&](Connection& c) { return roadmaps::set_status(c, a, "published", "converted", 21); })));

    auto updated = *found;
    updated.title = "nettoyage des ecoles";
    updated.departements = {"75", "93"};
    updated.updated_at = 30;
    must(db->transaction([&](Connection& c) { return roadmaps::update_item(c, updated); }));
    must(db->with_connection([&](Connection& c) { return roadmaps::add_history(c, a, 30, user, "Intitulé modifié"); }));
    must(db->with_connection([&](Connection& c) { return roadmaps::add_history(c, a, 10, std::nullopt, "Publié"); }));
    auto h =
        must(fetch<std::vector<roadmaps::HistoryRecord>>(*db, [&](Connection& c) { return roadmaps::history(c, a); }));
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[0].summary, "Intitulé modifié");

    must(
        db->with_connection([&](Connection& c) { return roadmaps::upsert_interest(c, a, firm, user, "premier", 40); }));
    must(db->with_connection([&](Connection& c) { return roadmaps::upsert_interest(c, a, firm, user, "second", 41); }));
    auto list = must(
        fetch<std::vector<roadmaps::InterestRecord>>(*db, [&](Connection& c) { return roadmaps::interests(c, a); }));
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].message, "second");
    EXPECT_EQ(list[0].labels, (std::vector<std::string>{"ess", "siae_ei"}));
    EXPECT_EQ(list[0].user_email, "a@b.fr");
    auto among = must(fetch<std::vector<std::int64_t>>(*db, [&](Connection& c) {
        return roadmaps::interested_orgs_among(c, a, {firm, buyer});
    }));
    EXPECT_EQ(among, std::vector<std::int64_t>{firm});
    EXPECT_TRUE(must(fetch<bool>(*db, [&](Connection& c) { return roadmaps::delete_interest(c, a, firm); })));
    EXPECT_FALSE(must(fetch<bool>(*db, [&](Connection& c) { return roadmaps::delete_interest(c, a, firm); })));
}

TEST_P(BackendTest, NoticesLotsHistoryFollowersAndQuestions) {
    std::int64_t buyer = 0, user = 0;
    must(db->transaction([&](Connection& c) -> Status {
        seed_reference(c);
        auto b = company("21750001600019", "Ville de Paris");
        b.kind = "buyer";
        b.labels.clear();
        b.cpv_codes.clear();
        b.departements.clear();
        buyer = orgs::insert_org(c, b, 1).value();
        user = accounts::create_user(c, "suit@exemple.fr", "Suiveur", std::nullopt, 1).value();
        return {};
    }));
    notices::NoticeRecord n;
    n.org_id = buyer;
    n.status = "published";
    n.reference = "2027-01";
    n.title = "Nettoyage";
    n.search_text = "nettoyage des colleges";
    n.procedure = "mapa";
    n.bid_deadline = 1000;
    n.question_deadline = 500;
    n.created_at = n.updated_at = 10;
    n.lots = {{1, "Nord", "90910000", 100, "insertion_hours", 700, {"93"}},
              {2, "Sud", "72000000", 0, "reserved_siae", 0, {"75", "93"}}};
    auto id = must(fetch<std::int64_t>(*db, [&](Connection& c) { return notices::insert_notice(c, n); }));
    auto dup = db->with_connection([&](Connection& c) -> Status {
        auto r = notices::insert_notice(c, n);
        if (!r) return r.error();
        return {};
    });
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code, core::ErrorCode::kConflict);  // same reference for the same buyer

    auto found = must(
        fetch<std::optional<notices::NoticeRecord>>(*db, [&](Connection& c) { return notices::find_notice(c, id); }));
    ASSERT_TRUE(found.has_value());
    ASSERT_EQ(found->lots.size(), 2u);
    EXPECT_EQ(found->lots[0].insertion_hours, 700);
    EXPECT_EQ(found->lots[1].departements, (std::vector<std::string>{"75", "93"}));
    EXPECT_EQ(found->org_name, "Ville de Paris");

    auto count = [&](notices::NoticeFilter f) {
        return must(fetch<std::int64_t>(*db, [&](Connection& c) { return notices::count_notices(c, f); }));
    };
    notices::NoticeFilter f;
    f.statuses = {"published"};
    EXPECT_EQ(count(f), 1);
    f.clause_kind = "reserved_siae";
    f.departement = "75";
    f.cpv_division = "72";
    f.text = "colleges";
    EXPECT_EQ(count(f), 1);
    f.deadline_after = 1000;
    EXPECT_EQ(count(f), 0);
    f = {};
    f.statuses = {"draft"};
    EXPECT_EQ(count(f), 0);

    auto updated = *found;
    updated.lots.pop_back();
    updated.bid_deadline = 2000;
    updated.updated_at = 20;
    must(db->transaction([&](Connection& c) { return notices::update_notice(c, updated); }));
    found = must(
        fetch<std::optional<notices::NoticeRecord>>(*db, [&](Connection& c) { return notices::find_notice(c, id); }));
    EXPECT_EQ(found->lots.size(), 1u);
    EXPECT_EQ(found->bid_deadline, 2000);
    EXPECT_TRUE(
        must(fetch<bool>(*db, [&](Connection& c) { return notices::set_status(c, id, "published", "closed", 30); })));
    EXPECT_FALSE(
        must(fetch<bool>(*db, [&](Connection& c) { return notices::set_status(c, id, "published", "closed", 31); })));
    must(db->with_connection(
        [&](Connection& c) { return notices::add_history(c, id, 30, user, "status", "Clôturée"); }));
    auto h =
        must(fetch<std::vector<notices::HistoryRecord>>(*db, [&](Connection& c) { return notices::history(c, id); }));
    ASSERT_EQ(h.size(), 1u);
    EXPECT_EQ(h[0].kind, "status");

    must(db->with_connection([&](Connection& c) { return notices::follow(c, id, user, 40); }));
    must(db->with_connection([&](Connection& c) { return notices::follow(c, id, user, 41); }));  // idempotent
    EXPECT_TRUE(must(fetch<bool>(*db, [&](Connection& c) { return notices::is_following(c, id, user); })));
    EXPECT_EQ(
        must(fetch<std::vector<std::string>>(*db, [&](Connection& c) { return notices::follower_emails(c, id); })),
        std::vector<std::string>{"suit@exemple.fr"});
    auto q = must(fetch<std::int64_t>(
        *db, [&](Connection& c) { return notices::add_question(c, id, user, std::nullopt, "Vitres ?", 50); }));
    EXPECT_TRUE(
        must(fetch<bool>(*db, [&](Connection& c) { return notices::answer_question(c, id, q, "Oui", user, 60); })));
    EXPECT_FALSE(
        must(fetch<bool>(*db, [&](Connection& c) { return notices::answer_question(c, id, q, "Encore", user, 61); })));
    EXPECT_FALSE(must(
        fetch<bool>(*db, [&](Connection& c) { return notices::answer_question(c, id + 1, q, "Autre", user, 61); })));
    auto qs = must(
        fetch<std::vector<notices::QuestionRecord>>(*db, [&](Connection& c) { return notices::questions(c, id); }));
    ASSERT_EQ(qs.size(), 1u);
    EXPECT_EQ(qs[0].answer, "Oui");
    EXPECT_EQ(qs[0].asker_email, "suit@exemple.fr");
    must(db->with_connection([&](Connection& c) { return notices::unfollow(c, id, user); }));
    EXPECT_FALSE(must(fetch<bool>(*db, [&](Connection& c) { return notices::is_following(c, id, user); })));
}

INSTANTIATE_TEST_SUITE_P(Backends, BackendTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

TEST_P(BackendTest, ContractsUpsertListAndSuppliers) {
    std::int64_t buyer = 0, supplier = 0;
    must(db->with_connection([&](Connection& c) -> Status {
        seed_reference(c);
        orgs::OrgRecord b = company("21750001600019", "Ville de Paris");
        b.kind = "buyer";
        buyer = must(orgs::insert_org(c, b, 100));
        supplier = must(orgs::insert_org(c, company("73282932000074", "Atelier Vert"), 100));
        return {};
    }));
    contracts::ContractRecord r;
    r.key = "21750001600019|A1|2024-03-01";
    r.source_id = "21750001600019A1";
    r.format = "decp-v1";
    r.kind = "marche";
    r.buyer_org_id = buyer;
    r.buyer_identifier = "21750001600019";
    r.buyer_name = "VILLE DE PARIS";
    r.object = "Nettoyage des écoles";
    r.cpv = "90910000";
    r.departement = "75";
    r.notified_on = "2024-03-01";
    r.amount = 120000.5;
    r.duration_months = 12;
    r.content_hash = "h1";
    r.source_file = "a.json";
    r.source_position = 7;
    r.suppliers = {{supplier, "73282932000074", "SIRET", "ATELIER VERT SAS", ""},
                   {std::nullopt, "BE0123", "TVA", "Belge", ""}};
    std::int64_t id = 0;
    must(db->transaction([&](Connection& c) -> Status {
        id = must(contracts::insert(c, r, 200));
        return {};
    }));
    must(db->with_connection([&](Connection& c) -> Status {
        auto e = must(contracts::find_by_key(c, r.key));
        EXPECT_TRUE(e);
        EXPECT_EQ(e->id, id);
        EXPECT_EQ(e->content_hash, "h1");
        EXPECT_EQ(e->source_position, 7);
        EXPECT_FALSE(must(contracts::find_by_key(c, "nope")));
        auto got = must(contracts::find(c, id));
        EXPECT_TRUE(got);
        EXPECT_EQ(got->buyer_name, "Ville de Paris");  // the organisation's name wins
        EXPECT_DOUBLE_EQ(*got->amount, 120000.5);
        EXPECT_EQ(got->duration_months, 12);
        EXPECT_EQ(got->suppliers.size(), 2u);
        EXPECT_EQ(got->suppliers[0].name, "Atelier Vert");
        EXPECT_EQ(got->suppliers[0].org_kind, "company");
        EXPECT_EQ(got->buyer_org_kind, "buyer");
        EXPECT_EQ(got->suppliers[1].name, "Belge");
        EXPECT_FALSE(got->suppliers[1].org_id);

        r.id = id;
        r.amount.reset();
        r.suppliers.pop_back();
        r.content_hash = "h2";
        must(contracts::update(c, r, 300));
        got = must(contracts::find(c, id));
        EXPECT_FALSE(got->amount);
        EXPECT_EQ(got->suppliers.size(), 1u);
        EXPECT_EQ(got->updated_at, 300);

        contracts::ContractFilter f;
        f.supplier_org_id = supplier;
        EXPECT_EQ(must(contracts::count(c, f)), 1);
        f.year = "2023";
        EXPECT_EQ(must(contracts::count(c, f)), 0);
        contracts::ContractFilter by_buyer;
        by_buyer.buyer_org_id = buyer;
        by_buyer.cpv_division = "90";
        by_buyer.departement = "75";
        auto list = must(contracts::list(c, by_buyer, 10, 0));
        EXPECT_EQ(list.size(), 1u);
        EXPECT_EQ(must(contracts::count(c, {})), 1);
        EXPECT_EQ(must(contracts::ids(c, 0, 10)).size(), 1u);
        auto sirets = must(orgs::org_ids_by_siret(c));
        EXPECT_EQ(sirets.at("73282932000074"), supplier);
        return {};
    }));
}

TEST_P(BackendTest, ExternalNoticesUpsertBySourceAndId) {
    external_notices::ExternalNoticeRecord r;
    r.source = "boamp";
    r.source_id = "16-186394";
    r.notice_type = "competition";
    r.buyer_name = "Ville de Paris";
    r.title = "Prestations de remorquage";
    r.cpv_codes = {"50118110", "50000000"};
    r.departements = {"75", "92"};
    r.bid_deadline = 1486465200;
    r.lots_json = R"([{"id":"1"}])";
    r.content_hash = "h1";
    must(db->with_connection([&](Connection& c) -> Status {
        EXPECT_EQ(must(external_notices::upsert(c, r, 100)), external_notices::Upsert::kInserted);
        const auto id = r.id;
        EXPECT_EQ(must(external_notices::upsert(c, r, 200)), external_notices::Upsert::kUnchanged);
        r.title = "Prestations de remorquage (rectificatif)";
        r.content_hash = "h2";
        r.bid_deadline.reset();
        EXPECT_EQ(must(external_notices::upsert(c, r, 300)), external_notices::Upsert::kUpdated);
        EXPECT_EQ(r.id, id);
        auto got = must(external_notices::find(c, id));
        EXPECT_TRUE(got);
        EXPECT_EQ(got->title, "Prestations de remorquage (rectificatif)");
        EXPECT_EQ(got->cpv_codes, (std::vector<std::string>{"50118110", "50000000"}));
        EXPECT_EQ(got->departements, (std::vector<std::string>{"75", "92"}));
        EXPECT_FALSE(got->bid_deadline);
        EXPECT_EQ(got->imported_at, 100);
        EXPECT_EQ(got->updated_at, 300);
        EXPECT_EQ(must(external_notices::ids(c, 0, 10)).size(), 1u);
        EXPECT_FALSE(must(external_notices::find(c, id + 1)));
        return {};
    }));
}

TEST_P(BackendTest, ContractInsertIfNewWritesNothingForAKnownKey) {
    contracts::ContractRecord r;
    r.key = "k1";
    r.source_id = "S1";
    r.format = "decp-v2";
    r.kind = "marche";
    r.buyer_identifier = "21750001600019";
    r.content_hash = "h";
    r.suppliers = {{std::nullopt, "X", "TVA", "Fournisseur", ""}};
    must(db->with_connection([&](Connection& c) -> Status {
        auto first = must(contracts::insert_many_if_new(c, {r}, 1)).at(0);
        EXPECT_TRUE(first);
        r.object = "changed";
        EXPECT_FALSE(must(contracts::insert_many_if_new(c, {r}, 2)).at(0));
        auto got = must(contracts::find(c, *first));
        EXPECT_EQ(got->object, "");
        EXPECT_EQ(got->suppliers.size(), 1u);
        return {};
    }));
}

TEST_P(BackendTest, SearchOutboxKeepsChangesInOrderWhetherOneOrManyAtATime) {
    must(db->with_connection([&](Connection& c) -> Status {
        must(search_outbox::enqueue(c, "notice", 7, 1));
        std::vector<std::int64_t> ids;
        for (std::int64_t i = 1; i <= 600; ++i) ids.push_back(i * 10);  // three statements
        must(search_outbox::enqueue_many(c, "contract", ids, 2));
        must(search_outbox::enqueue_many(c, "company", {}, 3));
        auto pending = must(search_outbox::pending(c, 1000));
        EXPECT_EQ(pending.size(), 601u);
        EXPECT_EQ(pending[0].kind, "notice");
        for (std::size_t i = 1; i < pending.size() && i <= 600; ++i) {
            EXPECT_EQ(pending[i].kind, "contract");
            EXPECT_EQ(pending[i].entity_id, static_cast<std::int64_t>(i) * 10);
        }
        must(search_outbox::acknowledge(c, pending[300].id));
        EXPECT_EQ(must(search_outbox::pending(c, 1000)).size(), 300u);
        return {};
    }));
}

TEST_P(BackendTest, ContractsInsertedManyAtATimeGetTheirIdsInOrderAndSkipKnownKeys) {
    auto record = [](const std::string& key, int suppliers) {
        contracts::ContractRecord r;
        r.key = key;
        r.source_id = "S" + key;
        r.format = "decp-v2";
        r.kind = "marche";
        r.buyer_identifier = "21750001600019";
        r.object = "objet " + key;
        r.content_hash = "h" + key;
        for (int i = 0; i < suppliers; ++i)
            r.suppliers.push_back({std::nullopt, key + "-" + std::to_string(i), "TVA", "Fournisseur " + key, ""});
        return r;
    };
    must(db->with_connection([&](Connection& c) -> Status {
        const std::optional<std::int64_t> known = must(contracts::insert(c, record("k7", 1), 1));
        std::vector<contracts::ContractRecord> many;
        for (int i = 0; i < 75; ++i) many.push_back(record("k" + std::to_string(i), i % 3));  // three statements
        many.push_back(record("k3", 1));                                                      // again
        auto ids = must(contracts::insert_many_if_new(c, many, 2));
        EXPECT_EQ(ids.size(), 76u);
        EXPECT_FALSE(ids[7]);   // known before
        EXPECT_FALSE(ids[75]);  // the same key earlier in the list
        for (std::size_t i = 0; i < 75; ++i) {
            if (i == 7) continue;
            EXPECT_TRUE(ids[i]) << i;
            if (!ids[i]) continue;
            auto got = must(contracts::find(c, *ids[i]));
            EXPECT_EQ(got->key, "k" + std::to_string(i));
            EXPECT_EQ(got->object, "objet k" + std::to_string(i));
            EXPECT_EQ(got->suppliers.size(), i % 3);
            for (std::size_t k = 0; k < got->suppliers.size(); ++k)
                EXPECT_EQ(got->suppliers[k].identifier, "k" + std::to_string(i) + "-" + std::to_string(k));
        }
        EXPECT_EQ(must(contracts::find(c, *known))->object, "objet k7");
        EXPECT_EQ(must(contracts::find(c, *ids[3]))->suppliers.size(), 0u);  // the later duplicate wrote nothing
        EXPECT_TRUE(must(contracts::insert_many_if_new(c, {}, 3)).empty());
        return {};
    }));
}

TEST_P(BackendTest, SourcingReadsAwardsByDivisionOrBuyerBeforeADayAndProfiles) {
    must(db->with_connection([&](Connection& c) -> Status {
        seed_reference(c);
        const auto org = must(orgs::insert_org(c, company("73282932000074", "Atelier Vert"), 1));
        auto add = [&](const std::string& key, const std::string& cpv, const std::string& buyer,
                       const std::string& day) {
            contracts::ContractRecord r;
            r.key = key;
            r.source_id = key;
            r.format = "decp-v1";
            r.kind = "marche";
            r.buyer_identifier = buyer;
            r.cpv = cpv;
            r.departement = "93";
            r.notified_on = day;
            r.amount = 1000.5;
            r.content_hash = key;
            r.suppliers = {{org, "73282932000074", "SIRET", "ATELIER VERT SARL", ""},
                           {std::nullopt, "", "", "Sans identifiant", ""}};
            must(contracts::insert(c, r, 1));
        };
        add("a", "90910000", "21930001000011", "2023-01-10");
        add("b", "90910000", "21930001000011", "2023-06-01");
        add("c", "45000000", "21930001000029", "2023-02-01");  // same buyer SIREN, another division
        add("d", "45000000", "30000000000001", "2023-02-01");
        add("e", "90000000", "30000000000001", "");  // undated

        auto all = must(contracts::awards_for_sourcing(c, "90", "", ""));
        EXPECT_EQ(all.size(), 3u);  // a, b, e; suppliers without identifier left out
        auto before = must(contracts::awards_for_sourcing(c, "90", "219300010", "2023-06-01"));
        EXPECT_EQ(before.size(), 2u);  // a, and c through the buyer; b is on the day, e undated
        for (const auto& a : before) {
            EXPECT_EQ(a.supplier_identifier, "73282932000074");
            EXPECT_EQ(a.supplier_name, "Atelier Vert");  // the profile's name
            EXPECT_EQ(a.supplier_org_id, org);
            EXPECT_EQ(a.departement, "93");
            EXPECT_DOUBLE_EQ(*a.amount, 1000.5);
        }

        auto won = must(contracts::won_by(c, org, 2));
        EXPECT_EQ(won.size(), 2u);
        EXPECT_EQ(won.at(0).cpv, "90910000");  // b, the newest dated
        EXPECT_EQ(won.at(0).departement, "93");
        auto profiles = must(orgs::sourcing_profiles(c, "90"));
        EXPECT_EQ(profiles.count(org), 1u);
        EXPECT_EQ(profiles[org].cpv_codes, std::vector<std::string>{"90910000"});
        EXPECT_EQ(profiles[org].labels, (std::vector<std::string>{"ess", "siae_ei"}));
        EXPECT_EQ(profiles[org].departements, std::vector<std::string>{"93"});
        auto other = must(orgs::sourcing_profiles(c, "72"));
        EXPECT_TRUE(other[org].cpv_codes.empty());  // still there for its labels
        EXPECT_EQ(other[org].labels.size(), 2u);
        return {};
    }));
}

TEST_P(BackendTest, ExchangeOffersConversationsConsortiaReports) {
    namespace ex = storage::exchange;
    must(db->transaction([&](Connection& c) -> Status {
        seed_reference(c);
        auto b = company("21750001600019", "Ville de Paris");
        b.kind = "buyer";
        const auto buyer = must(orgs::insert_org(c, b, 1));
        const auto a = must(orgs::insert_org(c, company("73282932000074", "Atelier Vert"), 1));
        const auto z = must(orgs::insert_org(c, company("80746931700018", "Baluchon"), 1));
        const auto user = must(accounts::create_user(c, "a@atelier.fr", "Anne", std::nullopt, 1));
        notices::NoticeRecord n;
        n.org_id = buyer;
        n.status = "published";
        n.reference = "R";
        n.title = "Gymnase";
        n.procedure = "mapa";
        n.bid_deadline = 1000;
        n.question_deadline = 500;
        n.lots = {{1, "Lot", "90910000", 0, "none", 0, {"93"}}};
        const auto notice = must(notices::insert_notice(c, n));

        ex::OfferRecord o;
        o.notice_id = notice;
        o.lot_number = 1;
        o.org_id = a;
        o.author_user_id = user;
        o.kind = "seek_subcontractor";
        o.share_percent = 20;
        o.description = "Cherche un sous-traitant";
        o.search_text = "cherche un sous-traitant atelier vert";
        o.cpv_codes = {"90910000"};
        o.departements = {"93"};
        const auto offer = must(ex::insert_offer(c, o, 5));
        auto got = must(ex::find_offer(c, offer));
        EXPECT_EQ(got->notice_title, "Gymnase");
        EXPECT_EQ(got->lot_number, 1);
        EXPECT_EQ(got->share_percent, 20);
        EXPECT_EQ(got->cpv_codes, std::vector<std::string>{"90910000"});
        ex::OfferFilter f;
        f.departement = "93";
        f.cpv_division = "90";
        f.text_like = "sous-traitant vert";
        f.status = "open";
        EXPECT_EQ(must(ex::count_offers(c, f)), 1);
        EXPECT_EQ(must(ex::list_offers(c, f, 10, 0)).size(), 1u);
        f.text_like = "plomberie";
        EXPECT_EQ(must(ex::count_offers(c, f)), 0);

        const auto talk = must(ex::conversation_for(c, offer, z, 6));
        EXPECT_EQ(must(ex::conversation_for(c, offer, z, 7)), talk);  // the same one
        ex::MessageRecord m;
        m.conversation_id = talk;
        m.org_id = z;
        m.body = "Bonjour";
        m.created_at = 8;
        m.author_user_id = user;
        const auto first = must(ex::insert_message(c, m));
        EXPECT_EQ(must(ex::messages_since(c, user, 7)), std::make_pair(std::int64_t{1}, std::int64_t{8}));
        EXPECT_EQ(must(ex::messages_since(c, user, 8)).first, 0);
        must(ex::insert_attachment(c, {0, first, "devis.pdf", "application/pdf", 12, "abc", 0}));
        EXPECT_EQ(must(ex::conversations_of(c, a)).at(0).unread, 1);
        must(ex::mark_read(c, talk, a, first, 9));
        must(ex::mark_read(c, talk, a, first - 1, 10));  // never backwards
        EXPECT_EQ(must(ex::last_read(c, talk, a)), first);
        EXPECT_EQ(must(ex::conversations_of(c, a)).at(0).unread, 0);
        auto msgs = must(ex::list_messages(c, talk));
        EXPECT_EQ(msgs.at(0).attachments.at(0).filename, "devis.pdf");
        EXPECT_EQ(must(ex::find_attachment(c, msgs[0].attachments[0].id))->conversation_id, talk);
        must(ex::set_message_hidden(c, first, true));
        EXPECT_TRUE(must(ex::find_message(c, first))->hidden);

        ex::ConsortiumRecord k;
        k.notice_id = notice;
        k.offer_id = offer;
        k.name = "Groupement";
        k.created_at = 11;
        k.members = {{a, "", "", "lead", "", "active", 11}, {z, "", "", "subcontractor", "", "invited", std::nullopt}};
        const auto kid = must(ex::insert_consortium(c, k));
        must(ex::upsert_member(c, kid, {z, "", "", "subcontractor", "Lot 1", "active", 12}));
        auto ws = must(ex::find_consortium(c, kid));
        EXPECT_EQ(ws->members.at(0).role, "lead");
        EXPECT_EQ(ws->members.at(1).status, "active");
        EXPECT_EQ(must(ex::consortia_of(c, z)).size(), 1u);
        must(ex::add_checklist_item(c, kid, "DC1"));
        must(ex::add_checklist_item(c, kid, "DC2"));
        auto items = must(ex::checklist(c, kid));
        if (items.size() != 2u) return core::Error::Internal("checklist");
        EXPECT_TRUE(must(ex::set_checklist_done(c, kid, items[1].id, true, user, 13)));
        EXPECT_FALSE(must(ex::set_checklist_done(c, kid + 1, items[1].id, true, user, 13)));
        EXPECT_EQ(must(ex::checklist(c, kid)).at(1).done_by_name, "Anne");
        must(ex::insert_document(c, {0, kid, a, "", user, "dc2.pdf", "application/pdf", 3, "def", 14}));
        EXPECT_EQ(must(ex::list_documents(c, kid)).at(0).org_name, "Atelier Vert");

        const auto report = must(ex::insert_report(c, {0, "message", first, user, "", "Spam", "open", 15, {}}));
        EXPECT_EQ(must(ex::reports(c, "open", 10)).at(0).reporter_email, "a@atelier.fr");
        must(ex::insert_report(c, {0, "message", first, user, "", "Toujours du spam", "open", 15, {}}));
        must(ex::decide_reports_on(c, "message", first, "hidden", user, 16));
        EXPECT_EQ(must(ex::find_report(c, report))->status, "hidden");
        EXPECT_TRUE(must(ex::reports(c, "open", 10)).empty());
        must(ex::set_offer_status(c, offer, "found", 17));
        EXPECT_EQ(must(ex::find_offer(c, offer))->closed_at, 17);
        must(accounts::set_suspended(c, user, 18));
        EXPECT_EQ(must(accounts::find_user(c, user))->suspended_at, 18);
        return {};
    }));
}

TEST_P(BackendTest, AuditLogAppendsAndFilters) {
    must(db->with_connection([&](Connection& c) -> Status {
        const auto user = must(accounts::create_user(c, "a@exemple.fr", "Anne", std::nullopt, 1));
        must(audit::append(c, {0, 100, user, "a@exemple.fr", "login", "", "", "127.0.0.1"}));
        must(audit::append(
            c, {0, 200, std::nullopt, "b@exemple.fr", "login_failed", "", "mauvais mot de passe", "10.0.0.2"}));
        must(audit::append(c, {0, 300, user, "a@exemple.fr", "notice_published", "consultation 4", "", "127.0.0.1"}));
        auto all = must(audit::list(c, {}, 10, 0));
        EXPECT_EQ(all.size(), 3u);
        EXPECT_EQ(all.front().action, "notice_published");  // newest first
        EXPECT_EQ(all.front().user_id, user);
        audit::Filter f;
        f.email_like = "a@";
        EXPECT_EQ(must(audit::count(c, f)), 2);
        f = {};
        f.action = "login_failed";
        EXPECT_EQ(must(audit::list(c, f, 10, 0)).at(0).address, "10.0.0.2");
        f = {};
        f.since = 150;
        f.until = 300;
        EXPECT_EQ(must(audit::count(c, f)), 1);
        return {};
    }));
}

TEST_P(BackendTest, EventsRegistrationsRequestsAndMeetings) {
    namespace ev = storage::events;
    must(db->transaction([&](Connection& c) -> Status {
        seed_reference(c);
        auto b = company("21750001600019", "Ville de Paris");
        b.kind = "buyer";
        const auto buyer = must(orgs::insert_org(c, b, 1));
        const auto a = must(orgs::insert_org(c, company("73282932000074", "Atelier Vert"), 1));
        const auto u1 = must(accounts::create_user(c, "a@atelier.fr", "Anne", std::nullopt, 1));
        const auto u2 = must(accounts::create_user(c, "p@paris.fr", "Paul", std::nullopt, 1));
        const auto u3 = must(accounts::create_user(c, "z@atelier.fr", "Zoé", std::nullopt, 1));

        ev::EventRecord e;
        e.title = "Matinale";
        e.place = "Lille";
        e.starts_at = 10'000;
        e.ends_at = 20'000;
        e.requests_deadline = 9'000;
        e.capacity_companies = 1;
        e.sessions = {{"networking", "Rendez-vous", 10'000, 13'600, 20, 4},
                      {"plenary", "Ouverture", 9'000, 9'500, {}, {}}};
        e.questions = {{0, "Besoin ?", true}};
        const auto id = must(ev::insert_event(c, e, 1));
        auto got = must(ev::find_event(c, id));
        EXPECT_EQ(got->status, "draft");
        if (got->sessions.size() != 2u) return core::Error::Internal("sessions");
        EXPECT_EQ(got->sessions[0].title, "Ouverture");  // by start time
        EXPECT_EQ(got->sessions[1].tables, 4);
        EXPECT_EQ(got->capacity_companies, 1);
        EXPECT_FALSE(got->capacity_buyers.has_value());
        EXPECT_TRUE(must(ev::list_events(c, false, false, 0, 10)).empty());  // drafts hidden
        must(ev::set_event_status(c, id, "published", 2));
        EXPECT_EQ(must(ev::list_events(c, false, false, 0, 10)).at(0).title, "Matinale");
        EXPECT_EQ(must(ev::list_events(c, false, true, 30'000, 10)).size(), 1u);  // past

        auto reg = [&](std::int64_t org, std::int64_t user, const char* role, const char* status, const char* code,
                       std::int64_t at) {
            ev::RegistrationRecord r;
            r.event_id = id;
            r.org_id = org;
            r.user_id = user;
            r.role = role;
            r.status = status;
            r.checkin_code = code;
            return must(ev::insert_registration(c, r, at));
        };
        const auto ra = reg(a, u1, "company", "confirmed", "AAAA2222", 3);
        reg(buyer, u2, "buyer", "confirmed", "BBBB3333", 4);
        const auto rz = reg(a, u3, "company", "waitlisted", "CCCC4444", 5);
        EXPECT_EQ(must(ev::count_seats(c, id, "company")), 1);
        EXPECT_EQ(must(ev::count_org_registrations(c, id, a)), 2);
        EXPECT_EQ(must(ev::first_waiting(c, id, "company"))->id, rz);
        EXPECT_EQ(must(ev::registration_by_code(c, id, "AAAA2222"))->user_email, "a@atelier.fr");
        must(ev::set_checked_in(c, ra, 7, false, 7));
        auto ps = must(ev::participants(c, id));
        if (ps.size() != 2u) return core::Error::Internal("participants");
        EXPECT_EQ(ps[0].org_name, "Atelier Vert");
        EXPECT_TRUE(ps[0].present);
        must(ev::save_participant(c, id, a, "0,2", 3));
        must(ev::save_participant(c, id, a, "1", std::nullopt));  // upsert
        ps = must(ev::participants(c, id));
        EXPECT_EQ(ps[0].unavailable_slots, "1");
        EXPECT_FALSE(ps[0].max_meetings.has_value());

        ev::RequestRecord q;
        q.event_id = id;
        q.company_org_id = a;
        q.buyer_org_id = buyer;
        q.initiated_by = "company";
        q.message = "Bonjour";
        const auto rq = must(ev::insert_request(c, q, 6));
        EXPECT_EQ(must(ev::count_awaiting(c, {buyer}, 6)), 1);
        EXPECT_EQ(must(ev::count_awaiting(c, {a}, 6)), 0);  // the company sent it
        EXPECT_EQ(must(ev::request_between(c, id, a, buyer))->buyer_name, "Ville de Paris");
        EXPECT_EQ(must(ev::expire_requests(c, id, 9'000, 8'000)), 0);  // before the deadline
        must(ev::answer_request(c, rq, "accepted", true, 8));
        EXPECT_EQ(must(ev::count_accepted(c, id, a)), 1);
        EXPECT_EQ(must(ev::requests(c, id, buyer)).size(), 1u);

        ev::MeetingRecord m;
        m.request_id = rq;
        m.slot = 2;
        m.table_number = 1;
        must(ev::replace_meetings(c, id, {m}));
        must(ev::announce_meetings(c, id));
        must(ev::set_meeting_slot(c, rq, 0, 1));
        auto ms = must(ev::meetings(c, id, a));
        if (ms.size() != 1u) return core::Error::Internal("meetings");
        EXPECT_EQ(ms[0].slot, 0);
        EXPECT_EQ(ms[0].announced_slot, 2);
        EXPECT_TRUE(ms[0].mutual);
        EXPECT_EQ(must(ev::events_due_reminder(c, 1'000, 86'400)).size(), 1u);
        EXPECT_TRUE(must(ev::claim_reminder(c, id, 1'000)));
        EXPECT_FALSE(must(ev::claim_reminder(c, id, 1'001)));
        // An e-mail with a file: the file comes back with it.
        const auto mail = must(outbox::enqueue(c, "a@atelier.fr", "Agenda", "Bonjour",
                                               {{"agenda.ics", "text/calendar", "QkVHSU46VkNBTEVOREFS"}}, 9));
        auto sent = must(outbox::recent(c, "a@atelier.fr", 5));
        if (sent.empty() || sent[0].id != mail) return core::Error::Internal("mail");
        EXPECT_EQ(sent[0].attachments.size(), 1u);
        EXPECT_EQ(sent[0].attachments[0].content_base64, "QkVHSU46VkNBTEVOREFS");
        return {};
    }));
}

TEST_P(BackendTest, NewsArticlesTagsPublicationAndPublicPages) {
    namespace nw = storage::news;
    must(db->transaction([&](Connection& c) -> Status {
        const auto author = must(accounts::create_user(c, "orga@gip.fr", "Inès", std::nullopt, 1));
        nw::ArticleRecord a;
        a.slug = "bilan";
        a.title = "Bilan";
        a.body = "Texte";
        a.tags = {"siae", "clauses"};
        a.published = true;
        a.publish_at = 100;
        a.author_user_id = author;
        const auto id = must(nw::insert(c, a, 50));
        a.slug = "a-venir";
        a.title = "À venir";
        a.tags = {"siae"};
        a.publish_at = 500;  // scheduled
        const auto later = must(nw::insert(c, a, 50));
        a.slug = "brouillon";
        a.published = false;
        a.publish_at.reset();
        must(nw::insert(c, a, 50));

        EXPECT_TRUE(must(nw::slug_taken(c, "bilan")));
        EXPECT_FALSE(must(nw::slug_taken(c, "autre")));
        auto got = must(nw::find_by_slug(c, "bilan"));
        EXPECT_EQ(got->tags, (std::vector<std::string>{"siae", "clauses"}));  // in the order given
        EXPECT_EQ(got->author_name, "Inès");
        EXPECT_EQ(must(nw::count_public(c, 200, "")), 1);
        EXPECT_EQ(must(nw::count_public(c, 600, "")), 2);
        EXPECT_EQ(must(nw::count_public(c, 600, "clauses")), 1);
        auto list = must(nw::list_public(c, 600, "siae", 10, 0));
        EXPECT_EQ(list.size(), 2u);
        EXPECT_EQ(list.at(0).id, later);  // newest publication first
        auto tags = must(nw::public_tags(c, 600));
        EXPECT_EQ(tags.at(0).tag, "siae");
        EXPECT_EQ(tags.at(0).count, 2);

        got->title = "Bilan 2026";
        got->tags = {"bilan"};
        got->cover_sha256 = std::string(64, 'a');
        got->cover_type = "image/png";
        must(nw::update(c, *got, 60));
        auto again = must(nw::find(c, id));
        EXPECT_EQ(again->title, "Bilan 2026");
        EXPECT_EQ(again->tags, std::vector<std::string>{"bilan"});
        EXPECT_EQ(again->cover_type, "image/png");
        must(nw::set_publication(c, id, false, 100, 70));
        EXPECT_EQ(must(nw::count_public(c, 600, "")), 1);
        int news = 0;
        for (const auto& p : must(nw::public_pages(c, 600, 10)))
            if (p.kind == "news") {
                ++news;
                EXPECT_EQ(p.key, "a-venir");
            }
        EXPECT_EQ(news, 1);
        must(nw::remove(c, later));
        EXPECT_EQ(must(nw::count_public(c, 600, "")), 0);
        return {};
    }));
}

TEST_P(BackendTest, ClausesDeclarationsReportAndObservatoryAggregates) {
    namespace cl = storage::clauses;
    namespace os = storage::observatory;
    must(db->transaction([&](Connection& c) -> Status {
        seed_reference(c);
        orgs::OrgRecord b = company("21750001600019", "Ville de Paris");
        b.kind = "buyer";
        const auto buyer = must(orgs::insert_org(c, b, 1));
        const auto holder = must(orgs::insert_org(c, company("73282932000074", "Atelier Vert"), 1));
        const auto sub = must(orgs::insert_org(c, company("80746931700018", "Chantier Solidaire"), 1));
        const auto marc = must(accounts::create_user(c, "marc@f.fr", "Marc", std::nullopt, 1));
        must(accounts::grant_role(c, marc, "facilitator", 1));
        contracts::ContractRecord r;
        r.key = r.source_id = "k1";
        r.format = "platform";
        r.kind = "marche";
        r.buyer_org_id = buyer;
        r.buyer_identifier = "21750001600019";
        r.object = "Nettoyage des écoles";
        r.cpv = "90910000";
        r.departement = "75";
        r.notified_on = "2025-02-01";
        r.amount = 200000;
        r.content_hash = "h";
        r.suppliers = {{holder, "73282932000074", "SIRET", "Atelier Vert", ""}};
        const auto contract = must(contracts::insert(c, r, 1));

        cl::ClauseRecord k;
        k.contract_id = contract;
        k.clause = {"insertion_hours", 500, "2025-01-01", "2025-12-31", "75", ""};
        k.facilitator_user_id = marc;
        const auto clause = must(cl::insert_clause(c, k, 1));
        must(cl::add_subcontractor(c, contract, sub, 1));
        must(cl::add_subcontractor(c, contract, sub, 2));  // once only
        auto orgs_of = must(cl::declaring_orgs(c, contract));
        EXPECT_EQ(orgs_of.size(), 2u);
        EXPECT_EQ(must(cl::subcontractors(c, contract)).at(0).name, "Chantier Solidaire");
        EXPECT_EQ(must(cl::contracts_with_clauses_for(c, sub, 10)), std::vector<std::int64_t>{contract});

        cl::DeclarationRecord d;
        d.clause_id = clause;
        d.declaration = {"2025-01-01", "2025-03-31", 120.5, "Chantier Solidaire", 3, {{"under_26", 2}}, 1, 2};
        d.declared_by = marc;
        d.declared_for_org_id = sub;
        const auto d1 = must(cl::insert_declaration(c, d, 10));
        d.declaration.hours = 80;
        const auto d2 = must(cl::insert_declaration(c, d, 11));
        EXPECT_EQ(must(cl::pending_declarations(c, marc, 10)).size(), 2u);
        EXPECT_EQ(must(cl::find_clause(c, clause))->pending_declarations, 2);
        must(cl::review_declaration(c, d1, "accepted", "", marc, 20));
        must(cl::review_declaration(c, d2, "correction", "Période ?", marc, 21));
        d.id = d2;
        d.declaration.hours = 90;
        must(cl::resubmit_declaration(c, d, 22));
        auto again = must(cl::find_declaration(c, d2));
        EXPECT_EQ(again->status, "submitted");
        EXPECT_DOUBLE_EQ(again->declaration.hours, 90);
        EXPECT_EQ(again->declaration.categories.at("under_26"), 2);
        must(cl::review_declaration(c, d2, "accepted", "", marc, 23));

        auto k2 = must(cl::find_clause(c, clause));
        EXPECT_DOUBLE_EQ(k2->accepted_hours, 210.5);
        EXPECT_EQ(k2->holder_name, "Atelier Vert");
        EXPECT_EQ(k2->buyer_name, "Ville de Paris");
        EXPECT_EQ(must(cl::portfolio(c, {marc, "75", buyer, "2025"}, 10)).size(), 1u);
        EXPECT_TRUE(must(cl::portfolio(c, {marc, "93", std::nullopt, ""}, 10)).empty());
        auto lines = must(cl::report_lines(c, buyer, "2025"));
        EXPECT_EQ(lines.size(), 1u);
        EXPECT_DOUBLE_EQ(lines.at(0).delivered, 210.5);
        EXPECT_EQ(lines.at(0).participants, 6);
        EXPECT_EQ(lines.at(0).categories.at("under_26"), 4);
        EXPECT_EQ(must(cl::facilitators_with_clauses(c)), std::vector<std::int64_t>{marc});
        EXPECT_TRUE(must(cl::claim_digest(c, marc, "2025-W10", 1)));
        EXPECT_FALSE(must(cl::claim_digest(c, marc, "2025-W10", 2)));
        must(cl::save_family_parameters(c, "90", {0.8, 90000}, marc, 1));
        must(cl::save_family_parameters(c, "90", {0.7, 80000}, marc, 2));
        EXPECT_DOUBLE_EQ(must(cl::family_parameters(c)).at("90").labour_share, 0.7);

        // The observatory's aggregates over the same rows.
        auto hours = must(os::hours_by_year(c, {}));
        EXPECT_EQ(hours.size(), 1u);
        EXPECT_EQ(hours.at(0).year, "2025");
        EXPECT_DOUBLE_EQ(hours.at(0).required, 500);
        EXPECT_DOUBLE_EQ(hours.at(0).delivered, 210.5);
        auto profiles = must(os::by_holder_profile(c, {"2025", buyer, "75"}));
        EXPECT_EQ(profiles.size(), 1u);
        EXPECT_EQ(profiles.at(0).size, "PME");
        EXPECT_TRUE(profiles.at(0).siae);
        EXPECT_TRUE(profiles.at(0).ess);
        auto families = must(os::clauses_by_division(c, {}));
        EXPECT_EQ(families.at(0).division, "90");
        EXPECT_EQ(families.at(0).with_clause, 1);
        EXPECT_EQ(families.at(0).label, "Services d'évacuation des eaux usées");
        EXPECT_EQ(must(os::by_year(c, {})).at(0).totals.count, 1);
        EXPECT_EQ(must(os::by_buyer(c, {}, 5)).at(0).label, "Ville de Paris");
        EXPECT_EQ(must(os::years(c)), std::vector<std::string>{"2025"});
        return {};
    }));
}
