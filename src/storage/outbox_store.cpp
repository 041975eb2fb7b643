#include "storage/outbox_store.hpp"

#include <map>

namespace passerelle::storage::outbox {

namespace {

constexpr const char* kEnqueue =
    "INSERT INTO mail_outbox (recipient, subject, body_text, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?) "
    "RETURNING id";
constexpr const char* kColumns =
    "SELECT id, recipient, subject, body_text, created_at, attempts, next_attempt_at, sent_at, last_error "
    "FROM mail_outbox ";
constexpr const char* kMarkSent =
    "UPDATE mail_outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?";
constexpr const char* kMarkFailed =
    "UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?";

MailRecord from(const Row& r) {
    return {r.int64(0), r.text(1),      r.text(2), r.text(3), r.int64(4), static_cast<int>(r.int64(5)),
            r.int64(6), r.opt_int64(7), r.text(8), {}};
}

Result<std::vector<MailRecord>> many(const Result<Rows>& rows) {
    if (!rows) return rows.error();
    std::vector<MailRecord> out;
    for (const auto& r : rows.value()) out.push_back(from(r));
    return out;
}

// The attachments of these e-mails, in one query.
Status load_attachments(Connection& c, std::vector<MailRecord>& mails) {
    if (mails.empty()) return {};
    std::vector<std::int64_t> mail_ids;
    std::map<std::int64_t, MailRecord*> by_id;
    for (auto& m : mails) {
        mail_ids.push_back(m.id);
        by_id[m.id] = &m;
    }
    std::vector<Value> ids;
    const std::string in = in_list(mail_ids, ids);
    auto rows =
        c.query("SELECT mail_id, filename, content_type, content_base64 FROM mail_attachments WHERE mail_id IN (" + in +
                    ") ORDER BY id",
                ids);
    if (!rows) return rows.error();
    for (const auto& r : rows.value())
        if (auto it = by_id.find(r.int64(0)); it != by_id.end())
            it->second->attachments.push_back({r.text(1), r.text(2), r.text(3)});
    return {};
}

Result<std::vector<MailRecord>> with_attachments(Connection& c, Result<std::vector<MailRecord>> mails) {
    if (!mails) return mails;
    if (auto s = load_attachments(c, mails.value()); !s) return s.error();
    return mails;
}

}  // namespace

Result<std::int64_t> enqueue(Connection& c, const std::string& recipient, const std::string& subject,
                             const std::string& body_text, const std::vector<MailAttachment>& attachments,
                             std::int64_t now) {
    auto id = enqueue(c, recipient, subject, body_text, now);
    if (!id) return id;
    for (const auto& a : attachments)
        if (auto s = to_status(c.exec("INSERT INTO mail_attachments (mail_id, filename, content_type, content_base64) "
                                      "VALUES (?, ?, ?, ?)",
                                      {id.value(), a.filename, a.content_type, a.content_base64}));
            !s)
            return s.error();
    return id;
}

Result<std::int64_t> enqueue(Connection& c, const std::string& recipient, const std::string& subject,
                             const std::string& body_text, std::int64_t now) {
    auto rows = c.query(kEnqueue, {recipient, subject, body_text, now, now});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::vector<MailRecord>> due(Connection& c, std::int64_t now, int limit) {
    return with_attachments(
        c, many(c.query(std::string(kColumns) + "WHERE sent_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT ?",
                        {now, std::int64_t{limit}})));
}

Status mark_sent(Connection& c, std::int64_t id, std::int64_t now) { return to_status(c.exec(kMarkSent, {now, id})); }

Status mark_failed(Connection& c, std::int64_t id, const std::string& error, std::int64_t next_attempt_at) {
    return to_status(c.exec(kMarkFailed, {error, next_attempt_at, id}));
}

Result<std::vector<MailRecord>> recent(Connection& c, const std::string& recipient, int limit) {
    return with_attachments(
        c, many(c.query(std::string(kColumns) + "WHERE (? = '' OR recipient = ?) ORDER BY id DESC LIMIT ?",
                        {recipient, recipient, std::int64_t{limit}})));
}

}  // namespace passerelle::storage::outbox
