#include "app/accounts.hpp"

#include "app/second_factor.hpp"
#include "app/service_fixture.hpp"

namespace passerelle::app {

TEST_F(ServiceTest, SignUpQueuesVerificationAndVerifies) {
    auto id = accounts_->sign_up({" Marie@Exemple.fr ", "Marie Durand", "Correct-Cheval-42", "Correct-Cheval-42"});
    ASSERT_TRUE(id.ok());
    auto m = mails("marie@exemple.fr");
    ASSERT_EQ(m.size(), 1u);
    EXPECT_NE(m[0].body_text.find("https://passerelle.test/verifier-email?jeton="), std::string::npos);
    EXPECT_FALSE(accounts_->identity(id.value()).value().user.email_verified_at.has_value());
    std::string token = token_in_mail("marie@exemple.fr");
    ASSERT_TRUE(accounts_->verify_email(token).ok());
    EXPECT_TRUE(accounts_->identity(id.value()).value().user.email_verified_at.has_value());
    auto again = accounts_->verify_email(token);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, core::ErrorCode::kInvalidInput);
}

TEST_F(ServiceTest, SignUpRejectsWithFrenchFieldErrorsAndChangesNothing) {
    auto r = accounts_->sign_up({"pas-une-adresse", "", "court", "autre"});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_TRUE(r.error().fields.count("email"));
    EXPECT_TRUE(r.error().fields.count("display_name"));
    EXPECT_TRUE(r.error().fields.count("password"));
    EXPECT_EQ(count("users"), 0);
    EXPECT_EQ(count("mail_outbox"), 0);
}

TEST_F(ServiceTest, DuplicateEmailIsAConflictWithAMessage) {
    signup("a@exemple.fr");
    auto r = accounts_->sign_up({"A@exemple.fr", "Autre", "Correct-Cheval-42", "Correct-Cheval-42"});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::kConflict);
    EXPECT_NE(r.error().fields.at("email").find("existe déjà"), std::string::npos);
    EXPECT_EQ(count("users"), 1);
    EXPECT_EQ(mails("a@exemple.fr").size(), 1u);
}

TEST_F(ServiceTest, LoginThrottlesPerAccountWithoutEnumeration) {
    signup("b@exemple.fr");
    auto unknown = accounts_->login("nobody@exemple.fr", "x", "10.0.0.1");
    auto wrong = accounts_->login("b@exemple.fr", "mauvais", "10.0.0.1");
    ASSERT_FALSE(unknown.ok());
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(unknown.error().message, wrong.error().message);  // same answer whether the account exists or not
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(accounts_->login("b@exemple.fr", "mauvais", "10.0.0.2").ok());
    EXPECT_FALSE(accounts_->login("b@exemple.fr", "mauvais", "10.0.0.3").ok());  // fifth failure
    auto locked = accounts_->login("b@exemple.fr", "Correct-Cheval-42", "10.0.0.4");
    ASSERT_FALSE(locked.ok());
    EXPECT_EQ(locked.error().code, core::ErrorCode::kTooManyRequests);
    EXPECT_GT(locked.error().retry_after_seconds, 0);
    EXPECT_NE(locked.error().message.find("Réessayez dans"), std::string::npos);
    clock_.advance(15 * 60 + 1);
    EXPECT_TRUE(accounts_->login("B@exemple.fr", "Correct-Cheval-42", "10.0.0.4").ok());  // not locked
}

TEST_F(ServiceTest, LoginThrottlesPerAddress) {
    for (int i = 0; i < 30; ++i) (void)accounts_->login("u" + std::to_string(i) + "@x.fr", "x", "192.0.2.7");
    signup("c@exemple.fr");
    auto r = accounts_->login("c@exemple.fr", "Correct-Cheval-42", "192.0.2.7");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::kTooManyRequests);
    EXPECT_TRUE(accounts_->login("c@exemple.fr", "Correct-Cheval-42", "192.0.2.8").ok());
}

TEST_F(ServiceTest, PasswordResetEndsSessionsAndIsSingleUse) {
    auto id = signup("d@exemple.fr");
    auto s = accounts_->start_session(id);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(accounts_->request_password_reset("unknown@exemple.fr").ok());  // no enumeration
    EXPECT_TRUE(mails("unknown@exemple.fr").empty());
    ASSERT_TRUE(accounts_->request_password_reset("d@exemple.fr").ok());
    std::string token = token_in_mail("d@exemple.fr");
    // A weak password does not burn the link.
    auto weak = accounts_->reset_password(token, "faible", "faible");
    ASSERT_FALSE(weak.ok());
    EXPECT_TRUE(weak.error().fields.count("password"));
    ASSERT_TRUE(accounts_->reset_password(token, "Nouveau-Secret-2027", "Nouveau-Secret-2027").ok());
    EXPECT_FALSE(accounts_->reset_password(token, "Autre-Secret-2028", "Autre-Secret-2028").ok());
    EXPECT_FALSE(accounts_->load_session(s->token).value().has_value());
    EXPECT_FALSE(accounts_->login("d@exemple.fr", "Correct-Cheval-42", "1.1.1.1").ok());
    EXPECT_TRUE(accounts_->login("d@exemple.fr", "Nouveau-Secret-2027", "1.1.1.1").ok());
}

TEST_F(ServiceTest, ResetLinkExpiresAfterAnHour) {
    signup("e@exemple.fr");
    ASSERT_TRUE(accounts_->request_password_reset("e@exemple.fr").ok());
    std::string token = token_in_mail("e@exemple.fr");
    clock_.advance(3601);
    auto r = accounts_->reset_password(token, "Nouveau-Secret-2027", "Nouveau-Secret-2027");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("n'est plus valide"), std::string::npos);
}

TEST_F(ServiceTest, ChangePasswordChecksCurrentAndKeepsThisSession) {
    auto id = signup("f@exemple.fr");
    auto here = accounts_->start_session(id).value();
    auto elsewhere = accounts_->start_session(id).value();
    auto bad =
        accounts_->change_password(id, "faux", "Nouveau-Secret-2027", "Nouveau-Secret-2027", here.record.token_hash);
    ASSERT_FALSE(bad.ok());
    EXPECT_TRUE(bad.error().fields.count("current_password"));
    ASSERT_TRUE(accounts_
                    ->change_password(id, "Correct-Cheval-42", "Nouveau-Secret-2027", "Nouveau-Secret-2027",
                                      here.record.token_hash)
                    .ok());
    EXPECT_TRUE(accounts_->load_session(here.token).value().has_value());
    EXPECT_FALSE(accounts_->load_session(elsewhere.token).value().has_value());
}

TEST_F(ServiceTest, SessionsRotateAndExpire) {
    auto id = signup("g@exemple.fr");
    auto anon = accounts_->start_session(std::nullopt).value();
    auto logged = accounts_->rotate_session(anon.record.token_hash, id).value();
    EXPECT_NE(anon.token, logged.token);
    EXPECT_FALSE(accounts_->load_session(anon.token).value().has_value());
    auto s = accounts_->load_session(logged.token).value();
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->user_id, id);
    EXPECT_EQ(s->csrf_token.size(), 43u);
    clock_.advance(15 * 24 * 3600);
    EXPECT_FALSE(accounts_->load_session(logged.token).value().has_value());
    EXPECT_FALSE(accounts_->load_session("").value().has_value());
    EXPECT_FALSE(accounts_->load_session(std::string(500, 'x')).value().has_value());
}

TEST_F(ServiceTest, PlatformRolesOnlyByAdministrators) {
    auto admin = signup("admin@exemple.fr");
    auto other = signup("h@exemple.fr");
    ASSERT_TRUE(db_->with_connection([&](storage::Connection& c) {
                       return storage::accounts::grant_role(c, admin, "administrator", 1);
                   })
                    .ok());
    auto denied = accounts_->set_platform_roles(actor(other), other, {"administrator"});
    ASSERT_FALSE(denied.ok());
    EXPECT_EQ(denied.error().code, core::ErrorCode::kForbidden);
    ASSERT_TRUE(accounts_->set_platform_roles(actor(admin), other, {"facilitator", "organiser"}).ok());
    EXPECT_TRUE(actor(other).has_role(core::PlatformRole::kFacilitator));
    ASSERT_TRUE(accounts_->set_platform_roles(actor(admin), other, {}).ok());
    EXPECT_TRUE(actor(other).roles.empty());
    auto self = accounts_->set_platform_roles(actor(admin), admin, {"organiser"});
    ASSERT_FALSE(self.ok());
    EXPECT_EQ(self.error().code, core::ErrorCode::kConflict);
    EXPECT_FALSE(accounts_->set_platform_roles(actor(admin), other, {"root"}).ok());
}

// Issue 20, item 4: reset links are limited per target account (whatever the source address), a new link
// ends the older ones, and using one ends every other.
TEST_F(ServiceTest, ResetLinksAreLimitedPerAccountAndOnlyTheNewestWorks) {
    signup("f@exemple.fr");
    ASSERT_TRUE(accounts_->request_password_reset("f@exemple.fr").ok());
    const std::string first = token_in_mail("f@exemple.fr");
    ASSERT_TRUE(accounts_->request_password_reset("f@exemple.fr").ok());
    const std::string second = token_in_mail("f@exemple.fr");
    ASSERT_NE(first, second);
    EXPECT_FALSE(accounts_->reset_password(first, "Nouveau-Secret-2027", "Nouveau-Secret-2027").ok());  // replaced
    const auto before = mails("f@exemple.fr").size();
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(accounts_->request_password_reset("f@exemple.fr").ok());
    EXPECT_EQ(mails("f@exemple.fr").size(), before + 1);  // three links an hour at most
    const std::string newest = token_in_mail("f@exemple.fr");
    ASSERT_TRUE(accounts_->reset_password(newest, "Nouveau-Secret-2027", "Nouveau-Secret-2027").ok());
    EXPECT_FALSE(accounts_->reset_password(second, "Autre-Secret-2028", "Autre-Secret-2028").ok());
    clock_.advance(3601);
    ASSERT_TRUE(accounts_->request_password_reset("f@exemple.fr").ok());
    EXPECT_EQ(mails("f@exemple.fr").size(), before + 3);  // with the "password changed" notice
}

// Issue 20, item 4: common and pattern passwords are refused (libpwquality and cracklib's dictionary), with the
// reason in French beside the field; a passphrase is accepted.
TEST_F(ServiceTest, CommonAndPatternPasswordsAreRefused) {
    for (const std::string weak :
         {"Password123", "Azerty12345", "Passerelle2026", "aaaaaaaaaaaaaaaa", "Motdepasse-2026", "Abcdef-123456"}) {
        auto r = accounts_->sign_up({"weak@exemple.fr", "Personne Test", weak, weak});
        ASSERT_FALSE(r.ok()) << weak;
        ASSERT_TRUE(r.error().fields.count("password")) << weak;
        EXPECT_FALSE(r.error().fields.at("password").empty());
    }
    EXPECT_TRUE(
        accounts_->sign_up({"strong@exemple.fr", "Personne Test", "Vieux-Port-13-Calanques", "Vieux-Port-13-Calanques"})
            .ok());
    signup("g@exemple.fr");
    ASSERT_TRUE(accounts_->request_password_reset("g@exemple.fr").ok());
    auto weak = accounts_->reset_password(token_in_mail("g@exemple.fr"), "Password123", "Password123");
    ASSERT_FALSE(weak.ok());
    EXPECT_NE(weak.error().fields.at("password").find("Ce mot de passe"), std::string::npos);
}

// Issue 20, item 4: per-account throttling slows a guesser down (a delay that doubles with each failure) without
// locking the owner out, and a browser the owner already logged in from is not slowed at all; a login from a
// new browser and a changed password are mailed to the owner.
TEST_F(ServiceTest, GuessesSlowTheAccountDownButNeverLockItsOwnerOut) {
    signup("h@exemple.fr");
    auto first = accounts_->login("h@exemple.fr", "Correct-Cheval-42", "10.1.0.1");
    ASSERT_TRUE(first.ok());
    const std::string known = first->new_browser_token;
    ASSERT_FALSE(known.empty());
    EXPECT_NE(mails("h@exemple.fr").front().subject.find("nouveau navigateur"), std::string::npos);
    auto again = accounts_->login("h@exemple.fr", "Correct-Cheval-42", "10.1.0.1", known);
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->new_browser_token.empty());  // known: no new cookie, no mail
    const auto mails_before = mails("h@exemple.fr").size();

    // An attacker guesses from many addresses: each failure past the fifth doubles the wait.
    std::int64_t last_wait = 0;
    for (int i = 0; i < 12; ++i) {
        auto r = accounts_->login("h@exemple.fr", "devine-" + std::to_string(i), "203.0.113." + std::to_string(i));
        if (!r.ok() && r.error().code == core::ErrorCode::kTooManyRequests) {
            EXPECT_GE(r.error().retry_after_seconds, last_wait);
            last_wait = r.error().retry_after_seconds;
            clock_.advance(r.error().retry_after_seconds);
            --i;
            continue;
        }
        EXPECT_EQ(r.error().code, core::ErrorCode::kUnauthenticated);
    }
    EXPECT_GE(last_wait, 32);
    EXPECT_LE(last_wait, 15 * 60);
    // The owner's known browser gets in at once; an unknown one waits for the delay, then gets in too.
    EXPECT_TRUE(accounts_->login("h@exemple.fr", "Correct-Cheval-42", "10.1.0.1", known).ok());
    for (int i = 0; i < 8; ++i) (void)accounts_->login("h@exemple.fr", "devine", "203.0.113.99");
    auto slowed = accounts_->login("h@exemple.fr", "Correct-Cheval-42", "10.1.0.2");
    ASSERT_FALSE(slowed.ok());
    EXPECT_EQ(slowed.error().code, core::ErrorCode::kTooManyRequests);
    EXPECT_TRUE(accounts_->login("h@exemple.fr", "Correct-Cheval-42", "10.1.0.2", known).ok());
    clock_.advance(slowed.error().retry_after_seconds);
    EXPECT_TRUE(accounts_->login("h@exemple.fr", "Correct-Cheval-42", "10.1.0.2").ok());
    EXPECT_EQ(mails("h@exemple.fr").size(), mails_before + 1);  // the second browser

    ASSERT_TRUE(accounts_
                    ->change_password(first->user_id, "Correct-Cheval-42", "Vieux-Port-13-Calanques",
                                      "Vieux-Port-13-Calanques", "")
                    .ok());
    EXPECT_NE(mails("h@exemple.fr").front().subject.find("mot de passe a été changé"), std::string::npos);
}

// Issue 20, item 4: sessions end at an absolute age however active they are: 12 hours for administrators,
// organisers and facilitators, 30 days for everyone else.
TEST_F(ServiceTest, SessionsEndAtTheirAbsoluteAge) {
    const auto person = signup("i@exemple.fr");
    const auto admin = make_admin("j@exemple.fr");
    auto mine = accounts_->start_session(person).value();
    auto theirs = accounts_->start_session(admin).value();
    for (int hour = 0; hour < 11; ++hour) {
        clock_.advance(3600);
        ASSERT_TRUE(accounts_->load_session(mine.token).value().has_value());
        ASSERT_TRUE(accounts_->load_session(theirs.token).value().has_value());
    }
    clock_.advance(3600 + 60);
    EXPECT_FALSE(accounts_->load_session(theirs.token).value().has_value());  // 12 h for an administrator
    for (int day = 0; day < 29; ++day) {
        EXPECT_TRUE(accounts_->load_session(mine.token).value().has_value()) << day;
        clock_.advance(24 * 3600);
    }
    clock_.advance(24 * 3600);
    EXPECT_FALSE(accounts_->load_session(mine.token).value().has_value());  // 30 days, even active every day
}

// Issue 20, item 4: sensitive actions need a recent proof of identity (the login, or the password typed again).
TEST_F(ServiceTest, SensitiveActionsNeedARecentConfirmation) {
    const auto id = signup("k@exemple.fr");
    auto session = accounts_->start_session(id).value();
    EXPECT_TRUE(accounts_->recently_confirmed(session.record));  // just logged in
    clock_.advance(11 * 60);
    auto stale = accounts_->load_session(session.token).value().value();
    EXPECT_FALSE(accounts_->recently_confirmed(stale));
    auto wrong = accounts_->confirm_password(stale, "pas-le-bon", "10.2.0.1");
    ASSERT_FALSE(wrong.ok());
    EXPECT_TRUE(wrong.error().fields.count("confirm_password"));
    ASSERT_TRUE(accounts_->confirm_password(stale, "Correct-Cheval-42", "10.2.0.1").ok());
    EXPECT_TRUE(accounts_->recently_confirmed(accounts_->load_session(session.token).value().value()));
    clock_.advance(11 * 60);
    EXPECT_FALSE(accounts_->recently_confirmed(accounts_->load_session(session.token).value().value()));
}

TEST_F(ServiceTest, SecondFactorEnrolsWithACodeThenEveryLoginNeedsOneUsedOnce) {
    const auto id = signup("t@exemple.fr");
    const std::string secret = totp::new_secret();
    auto wrong = accounts_->enable_second_factor(id, secret,
                                                 "000000" == totp::code_at(secret, clock_.now()) ? "111111" : "000000");
    ASSERT_FALSE(wrong.ok());
    EXPECT_TRUE(wrong.error().fields.count("code"));
    EXPECT_FALSE(accounts_->identity(id).value().user.second_factor_since);
    auto codes = accounts_->enable_second_factor(id, secret, totp::code_at(secret, clock_.now()));
    ASSERT_TRUE(codes.ok()) << codes.error().message;
    ASSERT_EQ(codes->size(), 10u);
    EXPECT_TRUE(accounts_->identity(id).value().user.second_factor_since);
    EXPECT_EQ(count("recovery_codes"), 10);
    EXPECT_EQ(mails("t@exemple.fr").front().subject, "La double authentification est activée sur votre compte");

    // The password alone no longer logs in, nor remembers the browser.
    auto login = accounts_->login("t@exemple.fr", "Correct-Cheval-42", "10.3.0.1");
    ASSERT_TRUE(login.ok());
    EXPECT_TRUE(login->second_factor);
    EXPECT_TRUE(login->new_browser_token.empty());
    // The code used to enrol is spent; the next step's code works, once.
    EXPECT_FALSE(accounts_->verify_second_factor(id, totp::code_at(secret, clock_.now()), "10.3.0.1", "").ok());
    clock_.advance(30);
    const std::string next = totp::code_at(secret, clock_.now());
    auto ok = accounts_->verify_second_factor(id, next, "10.3.0.1", "");
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    EXPECT_FALSE(ok->new_browser_token.empty());
    auto replay = accounts_->verify_second_factor(id, next, "10.3.0.1", "");
    ASSERT_FALSE(replay.ok());
    EXPECT_TRUE(replay.error().fields.count("code"));

    // A recovery code works once, however typed, and its use is mailed with the count left.
    std::string typed = codes->at(3);
    for (auto& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto rec = accounts_->verify_second_factor(id, typed, "10.3.0.2", "");
    ASSERT_TRUE(rec.ok()) << rec.error().message;
    EXPECT_TRUE(rec->recovery_code_used);
    EXPECT_EQ(rec->recovery_codes_left, 9);
    const auto sent = mails("t@exemple.fr");
    EXPECT_TRUE(std::any_of(sent.begin(), sent.end(), [](const auto& m) {
        return m.subject == "Un code de secours a servi à vous connecter" &&
               m.body_text.find("Il vous en reste 9 ") != std::string::npos;
    }));
    EXPECT_FALSE(accounts_->verify_second_factor(id, codes->at(3), "10.3.0.2", "").ok());
}

TEST_F(ServiceTest, SecondFactorGuessesAreSlowedEvenFromAKnownBrowser) {
    const auto id = signup("u@exemple.fr");
    const std::string secret = totp::new_secret();
    ASSERT_TRUE(accounts_->enable_second_factor(id, secret, totp::code_at(secret, clock_.now())).ok());
    clock_.advance(60);
    auto first = accounts_->verify_second_factor(id, totp::code_at(secret, clock_.now()), "10.4.0.1", "");
    ASSERT_TRUE(first.ok());
    const std::string browser = first->new_browser_token;
    std::optional<core::Error> last;
    for (int i = 0; i < 8 && !last; ++i) {
        auto r = accounts_->verify_second_factor(id, "12345", "10.4.0.1", browser);
        ASSERT_FALSE(r.ok());
        if (r.error().code == core::ErrorCode::kTooManyRequests) last = r.error();
    }
    ASSERT_TRUE(last) << "never slowed down";
    EXPECT_GT(last->retry_after_seconds, 0);
    // Even the right code waits for the delay.
    auto waiting = accounts_->verify_second_factor(id, totp::code_at(secret, clock_.now() + 30), "10.4.0.1", browser);
    ASSERT_FALSE(waiting.ok());
    EXPECT_EQ(waiting.error().code, core::ErrorCode::kTooManyRequests);
}

TEST_F(ServiceTest, TypingThePasswordAgainDoesNotStartTheCodeGuessesOver) {
    const auto id = signup("w@exemple.fr");
    const std::string secret = totp::new_secret();
    ASSERT_TRUE(accounts_->enable_second_factor(id, secret, totp::code_at(secret, clock_.now())).ok());
    for (int i = 0; i < 5; ++i) EXPECT_FALSE(accounts_->verify_second_factor(id, "99999a", "10.6.0.1", "").ok());
    clock_.advance(60);  // past the first delays
    ASSERT_TRUE(accounts_->login("w@exemple.fr", "Correct-Cheval-42", "10.6.0.1").ok());
    EXPECT_FALSE(accounts_->verify_second_factor(id, "999999", "10.6.0.1", "").ok());
    auto slowed = accounts_->verify_second_factor(id, "999998", "10.6.0.1", "");
    ASSERT_FALSE(slowed.ok());
    EXPECT_EQ(slowed.error().code, core::ErrorCode::kTooManyRequests);
}

TEST_F(ServiceTest, WrongPasswordsFromElsewhereDoNotSlowTheOwnersCode) {
    const auto id = signup("x@exemple.fr");
    const std::string secret = totp::new_secret();
    ASSERT_TRUE(accounts_->enable_second_factor(id, secret, totp::code_at(secret, clock_.now())).ok());
    for (int i = 0; i < 11; ++i) {
        (void)accounts_->login("x@exemple.fr", "pas-le-bon", "10.7.0." + std::to_string(i));
        clock_.advance(120);
    }
    auto ok = accounts_->verify_second_factor(id, totp::code_at(secret, clock_.now()), "10.7.1.1", "");
    EXPECT_TRUE(ok.ok()) << ok.error().message;
}

TEST_F(ServiceTest, SecondFactorIsRequiredForAdministratorsAndOnlyTheTeamResetsIt) {
    const auto admin = make_admin("admin2@exemple.fr");
    const auto member = signup("v@exemple.fr");
    EXPECT_TRUE(accounts_->second_factor_required(actor(admin)));
    EXPECT_FALSE(accounts_->second_factor_required(actor(member)));
    const std::string secret = totp::new_secret();
    ASSERT_TRUE(accounts_->enable_second_factor(admin, secret, totp::code_at(secret, clock_.now())).ok());
    auto own = accounts_->disable_second_factor(actor(admin), admin);
    ASSERT_FALSE(own.ok());
    EXPECT_EQ(own.error().code, core::ErrorCode::kForbidden);
    EXPECT_TRUE(accounts_->identity(admin).value().user.second_factor_since);

    const std::string s2 = totp::new_secret();
    ASSERT_TRUE(accounts_->enable_second_factor(member, s2, totp::code_at(s2, clock_.now())).ok());
    EXPECT_FALSE(accounts_->disable_second_factor(actor(member), admin).ok());  // not someone else's
    ASSERT_TRUE(accounts_->disable_second_factor(actor(admin), member).ok());   // the team, for a lost phone
    EXPECT_FALSE(accounts_->identity(member).value().user.second_factor_since);
    EXPECT_EQ(count("recovery_codes"), 10);  // the administrator's only
    EXPECT_NE(mails("v@exemple.fr").front().body_text.find("l'équipe de Passerelle a réinitialisé"), std::string::npos);
    auto login = accounts_->login("v@exemple.fr", "Correct-Cheval-42", "10.5.0.1");
    ASSERT_TRUE(login.ok());
    EXPECT_FALSE(login->second_factor);
}

}  // namespace passerelle::app
