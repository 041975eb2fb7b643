// Delivering the mail outbox. A MailTransport sends one message (SMTP through libcurl, or an .eml file
// under var/mail/ when no SMTP server is configured). MailWorker takes due messages from the outbox and
// delivers them; a failure schedules a retry with exponential backoff (1 min, 2, 4… capped at 6 h), so
// nothing is lost across restarts.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.hpp"
#include "core/periodic.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/outbox_store.hpp"

namespace passerelle::mail {

struct SmtpSettings {
    std::string url;  // smtp://host:port or smtps://host:port; empty: write files
    std::string user;
    std::string password;
    std::string from = "Passerelle <ne-pas-repondre@passerelle.example>";
};

class MailTransport {
  public:
    virtual ~MailTransport() = default;
    virtual core::Status send(const storage::outbox::MailRecord& m) = 0;
};

// RFC 5322 message with UTF-8 subject (RFC 2047) and quoted-printable-free 8bit body.
std::string format_message(const storage::outbox::MailRecord& m, const std::string& from, std::int64_t now);

class FileTransport final : public MailTransport {
  public:
    FileTransport(std::filesystem::path dir, std::string from, const core::Clock& clock)
        : dir_(std::move(dir)), from_(std::move(from)), clock_(clock) {}
    core::Status send(const storage::outbox::MailRecord& m) override;

  private:
    std::filesystem::path dir_;
    std::string from_;
    const core::Clock& clock_;
};

class SmtpTransport final : public MailTransport {
  public:
    SmtpTransport(SmtpSettings s, const core::Clock& clock) : s_(std::move(s)), clock_(clock) {}
    core::Status send(const storage::outbox::MailRecord& m) override;

  private:
    SmtpSettings s_;
    const core::Clock& clock_;
};

std::unique_ptr<MailTransport> make_transport(const SmtpSettings& s, const std::filesystem::path& mail_dir,
                                              const core::Clock& clock);

// Seconds to wait before attempt number `attempts + 1`.
std::int64_t backoff_seconds(int attempts);

class MailWorker {
  public:
    MailWorker(storage::Database& db, MailTransport& transport, const core::Clock& clock)
        : db_(db), transport_(transport), clock_(clock) {}
    ~MailWorker() { stop(); }

    // Delivers what is due now; returns the number sent.
    core::Result<int> deliver_due(int limit = 50);
    // Background loop every `period_ms`, woken early by poke().
    void start(int period_ms = 2000);
    void poke() { loop_.poke(); }
    void stop() { loop_.stop(); }

  private:
    storage::Database& db_;
    MailTransport& transport_;
    const core::Clock& clock_;
    core::Periodic loop_;
};

}  // namespace passerelle::mail
