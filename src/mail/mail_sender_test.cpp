#include "mail/mail_sender.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "storage/migrations.hpp"

using namespace passerelle;

TEST(Mail, BackoffDoublesAndCaps) {
    EXPECT_EQ(mail::backoff_seconds(0), 60);
    EXPECT_EQ(mail::backoff_seconds(1), 120);
    EXPECT_EQ(mail::backoff_seconds(3), 480);
    EXPECT_EQ(mail::backoff_seconds(50), 6 * 3600);
}

TEST(Mail, MessageHasEncodedSubjectAndCrlf) {
    storage::outbox::MailRecord m;
    m.id = 7;
    m.recipient = "marie@exemple.fr";
    m.subject = "Réinitialisation";
    m.body_text = "Bonjour,\nligne";
    auto text = mail::format_message(m, "Passerelle <np@passerelle.example>", 0);
    EXPECT_NE(text.find("Subject: =?UTF-8?B?UsOpaW5pdGlhbGlzYXRpb24=?="), std::string::npos);
    EXPECT_NE(text.find("Bonjour,\r\nligne"), std::string::npos);
    EXPECT_NE(text.find("Date: Thu, 01 Jan 1970 00:00:00 +0000"), std::string::npos);
}

TEST(Mail, AttachmentsMakeAMultipartMessage) {
    storage::outbox::MailRecord m;
    m.id = 8;
    m.recipient = "marie@exemple.fr";
    m.subject = "Inscription confirmée";
    m.body_text = "Votre code QR est joint.";
    m.attachments = {{"emargement.png", "image/png", std::string(200, 'A')}};
    auto text = mail::format_message(m, "Passerelle <np@passerelle.example>", 0);
    EXPECT_NE(text.find("Content-Type: multipart/mixed; boundary=\"passerelle-8-part\""), std::string::npos);
    EXPECT_NE(text.find("--passerelle-8-part\r\nContent-Type: text/plain; charset=utf-8"), std::string::npos);
    EXPECT_NE(text.find("Content-Disposition: attachment; filename=\"emargement.png\""), std::string::npos);
    EXPECT_NE(text.find("\r\n" + std::string(76, 'A') + "\r\n"), std::string::npos);  // lines of 76
    EXPECT_EQ(text.find(std::string(77, 'A')), std::string::npos);
    EXPECT_EQ(text.substr(text.size() - 23), "--passerelle-8-part--\r\n");
}

namespace {
class FailingTransport : public mail::MailTransport {
  public:
    bool fail = true;
    int calls = 0;
    core::Status send(const storage::outbox::MailRecord&) override {
        ++calls;
        if (fail) return core::Error::Unavailable("serveur SMTP injoignable");
        return {};
    }
};
}  // namespace

TEST(Mail, FailedDeliveryIsRetriedLaterAndNotLost) {
    auto db = storage::open_database("sqlite::memory:");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(storage::migrate(*db.value(), PASSERELLE_MIGRATIONS_DIR).ok());
    core::FakeClock clock(1'000'000);
    ASSERT_TRUE(db.value()
                    ->with_connection([&](storage::Connection& c) -> core::Status {
                        auto r = storage::outbox::enqueue(c, "a@b.fr", "Sujet", "Corps", clock.now());
                        if (!r) return r.error();
                        return {};
                    })
                    .ok());
    FailingTransport t;
    mail::MailWorker w(*db.value(), t, clock);
    EXPECT_EQ(w.deliver_due().value(), 0);
    EXPECT_EQ(t.calls, 1);
    // Not due again before the backoff.
    EXPECT_EQ(w.deliver_due().value(), 0);
    EXPECT_EQ(t.calls, 1);
    clock.advance(61);
    t.fail = false;
    EXPECT_EQ(w.deliver_due().value(), 1);
    EXPECT_EQ(t.calls, 2);
    clock.advance(10000);
    EXPECT_EQ(w.deliver_due().value(), 0);  // sent once only
}

TEST(Mail, FileTransportWritesEml) {
    core::FakeClock clock(0);
    auto dir = std::filesystem::temp_directory_path() / ("passerelle-mail-" + std::to_string(::getpid()));
    mail::FileTransport t(dir, "Passerelle <np@passerelle.example>", clock);
    storage::outbox::MailRecord m;
    m.id = 3;
    m.recipient = "x@y.fr";
    m.subject = "S";
    m.body_text = "Lien : http://127.0.0.1:8080/verifier-email?jeton=abc\n";
    ASSERT_TRUE(t.send(m).ok());
    std::ifstream in(dir / "mail-3.eml");
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_NE(ss.str().find("jeton=abc"), std::string::npos);
    std::filesystem::remove_all(dir);
}
