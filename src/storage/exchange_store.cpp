#include "storage/exchange_store.hpp"

#include <sstream>

namespace passerelle::storage::exchange {

namespace {

Value opt_int(const std::optional<int>& v) { return v ? Value(std::int64_t{*v}) : Value(Null{}); }
Value opt_id(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(Null{}); }
std::optional<int> opt_small(const Row& r, std::size_t i) {
    if (r.is_null(i)) return std::nullopt;
    return static_cast<int>(r.int64(i));
}

Result<std::vector<std::string>> column(Connection& c, const char* sql, std::int64_t id) {
    auto rows = c.query(sql, {id});
    if (!rows) return rows.error();
    std::vector<std::string> out;
    for (const auto& r : rows.value()) out.push_back(r.text(0));
    return out;
}

constexpr const char* kOfferColumns =
    "SELECT p.id, p.notice_id, n.title, p.lot_number, p.org_id, o.name, p.author_user_id, p.kind, p.share_percent, "
    "p.description, p.search_text, p.status, p.hidden, p.created_at, p.updated_at, p.closed_at "
    "FROM partnership_offers p JOIN notices n ON n.id = p.notice_id JOIN organisations o ON o.id = p.org_id ";

constexpr const char* kOfferWhere =
    "WHERE (CAST(? AS BIGINT) IS NULL OR p.notice_id = ?) AND (CAST(? AS BIGINT) IS NULL OR p.org_id = ?) "
    "AND (? = '' OR p.status = ?) AND (? = '' OR p.kind = ?) "
    "AND (? = '' OR p.id IN (SELECT offer_id FROM partnership_offer_departements WHERE departement = ?)) "
    "AND (? = '' OR p.id IN (SELECT offer_id FROM partnership_offer_cpv WHERE substr(cpv_code, 1, 2) = ?)) "
    "AND (? = 1 OR p.hidden = 0) ";

std::vector<Value> offer_params(const OfferFilter& f) {
    return {opt_id(f.notice_id),
            opt_id(f.notice_id),
            opt_id(f.org_id),
            opt_id(f.org_id),
            f.status,
            f.status,
            f.kind,
            f.kind,
            f.departement,
            f.departement,
            f.cpv_division,
            f.cpv_division,
            std::int64_t{f.include_hidden ? 1 : 0}};
}

// One "AND p.search_text LIKE ?" per word.
std::string text_clause(const std::string& folded, std::vector<Value>& params) {
    std::istringstream words(folded);
    std::string w, sql;
    while (words >> w) {
        sql += "AND p.search_text LIKE ? ";
        params.emplace_back("%" + w + "%");
    }
    return sql;
}

Result<OfferRecord> offer_from(Connection& c, const Row& r) {
    OfferRecord o;
    o.id = r.int64(0);
    o.notice_id = r.int64(1);
    o.notice_title = r.text(2);
    o.lot_number = opt_small(r, 3);
    o.org_id = r.int64(4);
    o.org_name = r.text(5);
    o.author_user_id = r.opt_int64(6);
    o.kind = r.text(7);
    o.share_percent = opt_small(r, 8);
    o.description = r.text(9);
    o.search_text = r.text(10);
    o.status = r.text(11);
    o.hidden = r.boolean(12);
    o.created_at = r.int64(13);
    o.updated_at = r.int64(14);
    o.closed_at = r.opt_int64(15);
    auto cpv = column(c, "SELECT cpv_code FROM partnership_offer_cpv WHERE offer_id = ? ORDER BY cpv_code", o.id);
    if (!cpv) return cpv.error();
    o.cpv_codes = std::move(cpv.value());
    auto deps = column(
        c, "SELECT departement FROM partnership_offer_departements WHERE offer_id = ? ORDER BY departement", o.id);
    if (!deps) return deps.error();
    o.departements = std::move(deps.value());
    return o;
}

constexpr const char* kConversationColumns =
    "SELECT v.id, v.offer_id, v.org_id, a.name, p.org_id, b.name, p.kind, p.status, p.notice_id, n.title, "
    "v.created_at, v.last_message_at, "
    "(SELECT COUNT(*) FROM messages m WHERE m.conversation_id = v.id AND m.org_id <> ? AND m.id > "
    " COALESCE((SELECT last_read_message_id FROM conversation_reads r WHERE r.conversation_id = v.id "
    " AND r.org_id = ?), 0)) "
    "FROM conversations v JOIN partnership_offers p ON p.id = v.offer_id JOIN organisations a ON a.id = v.org_id "
    "JOIN organisations b ON b.id = p.org_id JOIN notices n ON n.id = p.notice_id ";

ConversationRecord conversation_from(const Row& r) {
    ConversationRecord v;
    v.id = r.int64(0);
    v.offer_id = r.int64(1);
    v.org_id = r.int64(2);
    v.org_name = r.text(3);
    v.offer_org_id = r.int64(4);
    v.offer_org_name = r.text(5);
    v.offer_kind = r.text(6);
    v.offer_status = r.text(7);
    v.notice_id = r.int64(8);
    v.notice_title = r.text(9);
    v.created_at = r.int64(10);
    v.last_message_at = r.int64(11);
    v.unread = r.int64(12);
    return v;
}

Result<std::vector<ConversationRecord>> conversations(Connection& c, const std::string& where,
                                                      std::vector<Value> params, std::int64_t viewer) {
    params.insert(params.begin(), {viewer, viewer});
    auto rows =
        c.query(std::string(kConversationColumns) + where + " ORDER BY v.last_message_at DESC, v.id DESC", params);
    if (!rows) return rows.error();
    std::vector<ConversationRecord> out;
    for (const auto& r : rows.value()) out.push_back(conversation_from(r));
    return out;
}

constexpr const char* kMessageColumns =
    "SELECT m.id, m.conversation_id, m.org_id, o.name, m.author_user_id, COALESCE(u.display_name, ''), m.body, "
    "m.hidden, m.created_at FROM messages m JOIN organisations o ON o.id = m.org_id "
    "LEFT JOIN users u ON u.id = m.author_user_id ";

MessageRecord message_from(const Row& r) {
    MessageRecord m;
    m.id = r.int64(0);
    m.conversation_id = r.int64(1);
    m.org_id = r.int64(2);
    m.org_name = r.text(3);
    m.author_user_id = r.opt_int64(4);
    m.author_name = r.text(5);
    m.body = r.text(6);
    m.hidden = r.boolean(7);
    m.created_at = r.int64(8);
    return m;
}

constexpr const char* kAttachmentColumns =
    "SELECT a.id, a.message_id, a.filename, a.content_type, a.size, a.sha256, m.conversation_id "
    "FROM message_attachments a JOIN messages m ON m.id = a.message_id ";

AttachmentRecord attachment_from(const Row& r) {
    return {r.int64(0), r.int64(1), r.text(2), r.text(3), r.int64(4), r.text(5), r.int64(6)};
}

constexpr const char* kMemberColumns =
    "SELECT k.org_id, o.name, o.siret, k.role, k.lots, k.status, k.joined_at FROM consortium_members k "
    "JOIN organisations o ON o.id = k.org_id WHERE k.consortium_id = ? "
    "ORDER BY CASE k.role WHEN 'lead' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, o.name";

Result<ConsortiumRecord> consortium_from(Connection& c, const Row& r) {
    ConsortiumRecord k;
    k.id = r.int64(0);
    k.notice_id = r.int64(1);
    k.notice_title = r.text(2);
    k.offer_id = r.opt_int64(3);
    k.name = r.text(4);
    k.created_by = r.opt_int64(5);
    k.created_at = r.int64(6);
    auto rows = c.query(kMemberColumns, {k.id});
    if (!rows) return rows.error();
    for (const auto& m : rows.value())
        k.members.push_back({m.int64(0), m.text(1), m.text(2), m.text(3), m.text(4), m.text(5), m.opt_int64(6)});
    return k;
}

constexpr const char* kConsortiumColumns =
    "SELECT k.id, k.notice_id, n.title, k.offer_id, k.name, k.created_by, k.created_at FROM consortia k "
    "JOIN notices n ON n.id = k.notice_id ";

constexpr const char* kDocumentColumns =
    "SELECT d.id, d.consortium_id, d.org_id, o.name, d.uploaded_by, d.filename, d.content_type, d.size, d.sha256, "
    "d.uploaded_at FROM consortium_documents d JOIN organisations o ON o.id = d.org_id ";

DocumentRecord document_from(const Row& r) {
    return {r.int64(0), r.int64(1), r.int64(2), r.text(3), r.opt_int64(4),
            r.text(5),  r.text(6),  r.int64(7), r.text(8), r.int64(9)};
}

constexpr const char* kReportColumns =
    "SELECT r.id, r.target_kind, r.target_id, r.reporter_user_id, COALESCE(u.email, ''), r.reason, r.status, "
    "r.created_at, r.decided_at FROM reports r LEFT JOIN users u ON u.id = r.reporter_user_id ";

ReportRecord report_from(const Row& r) {
    return {r.int64(0), r.text(1), r.int64(2), r.opt_int64(3), r.text(4),
            r.text(5),  r.text(6), r.int64(7), r.opt_int64(8)};
}

}  // namespace

Result<std::int64_t> insert_offer(Connection& c, const OfferRecord& r, std::int64_t now) {
    auto rows = c.query(
        "INSERT INTO partnership_offers (notice_id, lot_number, org_id, author_user_id, kind, share_percent, "
        "description, search_text, status, hidden, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', 0, ?, ?) RETURNING id",
        {r.notice_id, opt_int(r.lot_number), r.org_id, opt_id(r.author_user_id), r.kind, opt_int(r.share_percent),
         r.description, r.search_text, now, now});
    if (!rows) return rows.error();
    const std::int64_t id = rows.value()[0].int64(0);
    for (const auto& code : r.cpv_codes)
        if (auto s =
                to_status(c.exec("INSERT INTO partnership_offer_cpv (offer_id, cpv_code) VALUES (?, ?)", {id, code}));
            !s)
            return s.error();
    for (const auto& d : r.departements)
        if (auto s = to_status(
                c.exec("INSERT INTO partnership_offer_departements (offer_id, departement) VALUES (?, ?)", {id, d}));
            !s)
            return s.error();
    return id;
}

Result<std::optional<OfferRecord>> find_offer(Connection& c, std::int64_t id) {
    auto rows = c.query(std::string(kOfferColumns) + "WHERE p.id = ?", {id});
    if (!rows) return rows.error();
    if (rows.value().empty()) return std::optional<OfferRecord>{};
    auto o = offer_from(c, rows.value()[0]);
    if (!o) return o.error();
    return std::optional<OfferRecord>(std::move(o.value()));
}

Result<std::vector<OfferRecord>> list_offers(Connection& c, const OfferFilter& f, int limit, int offset) {
    auto params = offer_params(f);
    std::string sql = std::string(kOfferColumns) + kOfferWhere + text_clause(f.text_like, params) +
                      "ORDER BY p.created_at DESC, p.id DESC LIMIT ? OFFSET ?";
    params.emplace_back(std::int64_t{limit});
    params.emplace_back(std::int64_t{offset});
    auto rows = c.query(sql, params);
    if (!rows) return rows.error();
    std::vector<OfferRecord> out;
    for (const auto& r : rows.value()) {
        auto o = offer_from(c, r);
        if (!o) return o.error();
        out.push_back(std::move(o.value()));
    }
    return out;
}

Result<std::int64_t> count_offers(Connection& c, const OfferFilter& f) {
    auto params = offer_params(f);
    std::string sql =
        std::string("SELECT COUNT(*) FROM partnership_offers p ") + kOfferWhere + text_clause(f.text_like, params);
    auto rows = c.query(sql, params);
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Status set_offer_status(Connection& c, std::int64_t id, const std::string& status, std::int64_t now) {
    return to_status(c.exec("UPDATE partnership_offers SET status = ?, updated_at = ?, closed_at = ? WHERE id = ?",
                            {status, now, status == "open" ? Value(Null{}) : Value(now), id}));
}

Status set_offer_hidden(Connection& c, std::int64_t id, bool hidden) {
    return to_status(
        c.exec("UPDATE partnership_offers SET hidden = ? WHERE id = ?", {std::int64_t{hidden ? 1 : 0}, id}));
}

Result<std::int64_t> conversation_for(Connection& c, std::int64_t offer_id, std::int64_t org_id, std::int64_t now) {
    auto found = c.query("SELECT id FROM conversations WHERE offer_id = ? AND org_id = ?", {offer_id, org_id});
    if (!found) return found.error();
    if (!found.value().empty()) return found.value()[0].int64(0);
    auto rows = c.query(
        "INSERT INTO conversations (offer_id, org_id, created_at, last_message_at) VALUES (?, ?, ?, ?) RETURNING id",
        {offer_id, org_id, now, now});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::optional<ConversationRecord>> find_conversation(Connection& c, std::int64_t id) {
    auto list = conversations(c, "WHERE v.id = ?", {id}, 0);
    if (!list) return list.error();
    if (list->empty()) return std::optional<ConversationRecord>{};
    return std::optional<ConversationRecord>(list->front());
}

Result<std::vector<ConversationRecord>> conversations_of(Connection& c, std::int64_t org_id) {
    return conversations(c, "WHERE v.org_id = ? OR p.org_id = ?", {org_id, org_id}, org_id);
}

Result<std::vector<ConversationRecord>> conversations_of_offer(Connection& c, std::int64_t offer_id) {
    auto author = c.query("SELECT org_id FROM partnership_offers WHERE id = ?", {offer_id});
    if (!author) return author.error();
    if (author.value().empty()) return std::vector<ConversationRecord>{};
    return conversations(c, "WHERE v.offer_id = ?", {offer_id}, author.value()[0].int64(0));
}

Result<std::int64_t> insert_message(Connection& c, const MessageRecord& m) {
    auto rows = c.query(
        "INSERT INTO messages (conversation_id, org_id, author_user_id, body, hidden, created_at) "
        "VALUES (?, ?, ?, ?, 0, ?) RETURNING id",
        {m.conversation_id, m.org_id, opt_id(m.author_user_id), m.body, m.created_at});
    if (!rows) return rows.error();
    if (auto s = to_status(
            c.exec("UPDATE conversations SET last_message_at = ? WHERE id = ?", {m.created_at, m.conversation_id}));
        !s)
        return s.error();
    return rows.value()[0].int64(0);
}

Result<std::pair<std::int64_t, std::int64_t>> messages_since(Connection& c, std::int64_t user_id, std::int64_t since) {
    auto rows = c.query(
        "SELECT COUNT(*), COALESCE(MIN(created_at), 0) FROM messages WHERE author_user_id = ? AND created_at > ?",
        {user_id, since});
    if (!rows) return rows.error();
    return std::make_pair(rows.value()[0].int64(0), rows.value()[0].int64(1));
}

Result<std::int64_t> insert_attachment(Connection& c, const AttachmentRecord& a) {
    auto rows = c.query(
        "INSERT INTO message_attachments (message_id, filename, content_type, size, sha256) VALUES (?, ?, ?, ?, ?) "
        "RETURNING id",
        {a.message_id, a.filename, a.content_type, a.size, a.sha256});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::vector<MessageRecord>> list_messages(Connection& c, std::int64_t conversation_id) {
    auto rows = c.query(std::string(kMessageColumns) + "WHERE m.conversation_id = ? ORDER BY m.id", {conversation_id});
    if (!rows) return rows.error();
    std::vector<MessageRecord> out;
    for (const auto& r : rows.value()) out.push_back(message_from(r));
    auto files =
        c.query(std::string(kAttachmentColumns) + "WHERE m.conversation_id = ? ORDER BY a.id", {conversation_id});
    if (!files) return files.error();
    for (const auto& f : files.value()) {
        auto a = attachment_from(f);
        for (auto& m : out)
            if (m.id == a.message_id) m.attachments.push_back(a);
    }
    return out;
}

Result<std::optional<MessageRecord>> find_message(Connection& c, std::int64_t id) {
    auto rows = c.query(std::string(kMessageColumns) + "WHERE m.id = ?", {id});
    if (!rows) return rows.error();
    if (rows.value().empty()) return std::optional<MessageRecord>{};
    return std::optional<MessageRecord>(message_from(rows.value()[0]));
}

Result<std::optional<AttachmentRecord>> find_attachment(Connection& c, std::int64_t id) {
    auto rows = c.query(std::string(kAttachmentColumns) + "WHERE a.id = ?", {id});
    if (!rows) return rows.error();
    if (rows.value().empty()) return std::optional<AttachmentRecord>{};
    return std::optional<AttachmentRecord>(attachment_from(rows.value()[0]));
}

Status set_message_hidden(Connection& c, std::int64_t id, bool hidden) {
    return to_status(c.exec("UPDATE messages SET hidden = ? WHERE id = ?", {std::int64_t{hidden ? 1 : 0}, id}));
}

Status mark_read(Connection& c, std::int64_t conversation_id, std::int64_t org_id, std::int64_t message_id,
                 std::int64_t now) {
    return to_status(c.exec(
        "INSERT INTO conversation_reads (conversation_id, org_id, last_read_message_id, read_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (conversation_id, org_id) DO UPDATE SET last_read_message_id = excluded.last_read_message_id, "
        "read_at = excluded.read_at WHERE conversation_reads.last_read_message_id < excluded.last_read_message_id",
        {conversation_id, org_id, message_id, now}));
}

Result<std::int64_t> last_read(Connection& c, std::int64_t conversation_id, std::int64_t org_id) {
    auto rows = c.query("SELECT last_read_message_id FROM conversation_reads WHERE conversation_id = ? AND org_id = ?",
                        {conversation_id, org_id});
    if (!rows) return rows.error();
    return rows.value().empty() ? 0 : rows.value()[0].int64(0);
}

Result<std::int64_t> insert_consortium(Connection& c, const ConsortiumRecord& r) {
    auto rows = c.query(
        "INSERT INTO consortia (notice_id, offer_id, name, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        {r.notice_id, opt_id(r.offer_id), r.name, opt_id(r.created_by), r.created_at});
    if (!rows) return rows.error();
    const std::int64_t id = rows.value()[0].int64(0);
    for (const auto& m : r.members)
        if (auto s = upsert_member(c, id, m); !s) return s.error();
    return id;
}

Result<std::optional<ConsortiumRecord>> find_consortium(Connection& c, std::int64_t id) {
    auto rows = c.query(std::string(kConsortiumColumns) + "WHERE k.id = ?", {id});
    if (!rows) return rows.error();
    if (rows.value().empty()) return std::optional<ConsortiumRecord>{};
    auto k = consortium_from(c, rows.value()[0]);
    if (!k) return k.error();
    return std::optional<ConsortiumRecord>(std::move(k.value()));
}

Result<std::vector<ConsortiumRecord>> consortia_of(Connection& c, std::int64_t org_id) {
    auto rows = c.query(std::string(kConsortiumColumns) +
                            "WHERE k.id IN (SELECT consortium_id FROM consortium_members WHERE org_id = ?) "
                            "ORDER BY k.created_at DESC, k.id DESC",
                        {org_id});
    if (!rows) return rows.error();
    std::vector<ConsortiumRecord> out;
    for (const auto& r : rows.value()) {
        auto k = consortium_from(c, r);
        if (!k) return k.error();
        out.push_back(std::move(k.value()));
    }
    return out;
}

Status upsert_member(Connection& c, std::int64_t consortium_id, const MemberRecord& m) {
    return to_status(
        c.exec("INSERT INTO consortium_members (consortium_id, org_id, role, lots, status, joined_at) VALUES (?, ?, ?, "
               "?, ?, ?) "
               "ON CONFLICT (consortium_id, org_id) DO UPDATE SET role = excluded.role, lots = excluded.lots, "
               "status = excluded.status, joined_at = excluded.joined_at",
               {consortium_id, m.org_id, m.role, m.lots, m.status, opt_id(m.joined_at)}));
}

Result<std::int64_t> insert_document(Connection& c, const DocumentRecord& d) {
    auto rows = c.query(
        "INSERT INTO consortium_documents (consortium_id, org_id, uploaded_by, filename, content_type, size, sha256, "
        "uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {d.consortium_id, d.org_id, opt_id(d.uploaded_by), d.filename, d.content_type, d.size, d.sha256,
         d.uploaded_at});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::vector<DocumentRecord>> list_documents(Connection& c, std::int64_t consortium_id) {
    auto rows =
        c.query(std::string(kDocumentColumns) + "WHERE d.consortium_id = ? ORDER BY d.uploaded_at DESC, d.id DESC",
                {consortium_id});
    if (!rows) return rows.error();
    std::vector<DocumentRecord> out;
    for (const auto& r : rows.value()) out.push_back(document_from(r));
    return out;
}

Result<std::optional<DocumentRecord>> find_document(Connection& c, std::int64_t id) {
    auto rows = c.query(std::string(kDocumentColumns) + "WHERE d.id = ?", {id});
    if (!rows) return rows.error();
    if (rows.value().empty()) return std::optional<DocumentRecord>{};
    return std::optional<DocumentRecord>(document_from(rows.value()[0]));
}

Status add_checklist_item(Connection& c, std::int64_t consortium_id, const std::string& label) {
    return to_status(
        c.exec("INSERT INTO consortium_checklist (consortium_id, label, done, position) VALUES (?, ?, 0, "
               "(SELECT COALESCE(MAX(position), 0) + 1 FROM consortium_checklist WHERE consortium_id = ?))",
               {consortium_id, label, consortium_id}));
}

Result<std::vector<ChecklistItem>> checklist(Connection& c, std::int64_t consortium_id) {
    auto rows = c.query(
        "SELECT k.id, k.label, k.done, COALESCE(u.display_name, ''), k.done_at FROM consortium_checklist k "
        "LEFT JOIN users u ON u.id = k.done_by WHERE k.consortium_id = ? ORDER BY k.position",
        {consortium_id});
    if (!rows) return rows.error();
    std::vector<ChecklistItem> out;
    for (const auto& r : rows.value()) out.push_back({r.int64(0), r.text(1), r.boolean(2), r.text(3), r.opt_int64(4)});
    return out;
}

Result<bool> set_checklist_done(Connection& c, std::int64_t consortium_id, std::int64_t item_id, bool done,
                                std::int64_t user_id, std::int64_t now) {
    auto n =
        c.exec("UPDATE consortium_checklist SET done = ?, done_by = ?, done_at = ? WHERE id = ? AND consortium_id = ?",
               {std::int64_t{done ? 1 : 0}, done ? Value(user_id) : Value(Null{}), done ? Value(now) : Value(Null{}),
                item_id, consortium_id});
    if (!n) return n.error();
    return n.value() > 0;
}

Result<bool> has_open_report(Connection& c, const std::string& target_kind, std::int64_t target_id,
                             std::int64_t reporter_user_id) {
    auto rows = c.query(
        "SELECT 1 FROM reports WHERE target_kind = ? AND target_id = ? AND reporter_user_id = ? AND status = 'open' "
        "LIMIT 1",
        {target_kind, target_id, reporter_user_id});
    if (!rows) return rows.error();
    return !rows->empty();
}

Result<std::int64_t> insert_report(Connection& c, const ReportRecord& r) {
    auto rows = c.query(
        "INSERT INTO reports (target_kind, target_id, reporter_user_id, reason, status, created_at) "
        "VALUES (?, ?, ?, ?, 'open', ?) RETURNING id",
        {r.target_kind, r.target_id, opt_id(r.reporter_user_id), r.reason, r.created_at});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::vector<ReportRecord>> reports(Connection& c, const std::string& status, int limit) {
    auto rows = c.query(std::string(kReportColumns) + "WHERE r.status = ? ORDER BY r.created_at, r.id LIMIT ?",
                        {status, std::int64_t{limit}});
    if (!rows) return rows.error();
    std::vector<ReportRecord> out;
    for (const auto& r : rows.value()) out.push_back(report_from(r));
    return out;
}

Result<std::optional<ReportRecord>> find_report(Connection& c, std::int64_t id) {
    auto rows = c.query(std::string(kReportColumns) + "WHERE r.id = ?", {id});
    if (!rows) return rows.error();
    if (rows.value().empty()) return std::optional<ReportRecord>{};
    return std::optional<ReportRecord>(report_from(rows.value()[0]));
}

Status decide_reports_on(Connection& c, const std::string& target_kind, std::int64_t target_id,
                         const std::string& status, std::int64_t user_id, std::int64_t now) {
    return to_status(
        c.exec("UPDATE reports SET status = ?, decided_by = ?, decided_at = ? "
               "WHERE target_kind = ? AND target_id = ? AND status = 'open'",
               {status, user_id, now, target_kind, target_id}));
}

}  // namespace passerelle::storage::exchange
