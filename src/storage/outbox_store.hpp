// The mail outbox: messages are inserted in the transaction that causes them and removed from the
// queue only once delivered; a failed attempt schedules the next one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage::outbox {

struct MailAttachment {
    std::string filename;
    std::string content_type;
    std::string content_base64;  // as MIME carries it
};

struct MailRecord {
    std::int64_t id = 0;
    std::string recipient;
    std::string subject;
    std::string body_text;
    std::int64_t created_at = 0;
    int attempts = 0;
    std::int64_t next_attempt_at = 0;
    std::optional<std::int64_t> sent_at;
    std::string last_error;
    std::vector<MailAttachment> attachments;
};

Result<std::int64_t> enqueue(Connection& c, const std::string& recipient, const std::string& subject,
                             const std::string& body_text, std::int64_t now);
Result<std::int64_t> enqueue(Connection& c, const std::string& recipient, const std::string& subject,
                             const std::string& body_text, const std::vector<MailAttachment>& attachments,
                             std::int64_t now);
Result<std::vector<MailRecord>> due(Connection& c, std::int64_t now, int limit);
Status mark_sent(Connection& c, std::int64_t id, std::int64_t now);
Status mark_failed(Connection& c, std::int64_t id, const std::string& error, std::int64_t next_attempt_at);
// Most recent first; for administrators and tests.
Result<std::vector<MailRecord>> recent(Connection& c, const std::string& recipient, int limit);

}  // namespace passerelle::storage::outbox
