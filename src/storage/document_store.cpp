#include "storage/document_store.hpp"

namespace passerelle::storage::documents {

namespace {

constexpr const char* kInsert =
    "INSERT INTO notice_documents (notice_id, filename, content_type, size, sha256, uploaded_by, uploaded_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
constexpr const char* kColumns =
    "SELECT d.id, d.notice_id, d.filename, d.content_type, d.size, d.sha256, d.uploaded_at, "
    "(SELECT COUNT(*) FROM document_downloads x WHERE x.document_id = d.id) FROM notice_documents d ";
constexpr const char* kRecord = "INSERT INTO document_downloads (document_id, user_id, at) VALUES (?, ?, ?)";
constexpr const char* kDownloads =
    "SELECT d.filename, COALESCE(u.display_name, ''), COALESCE(u.email, ''), "
    "COALESCE((SELECT MIN(o.name) FROM memberships m JOIN organisations o ON o.id = m.org_id "
    "WHERE m.user_id = u.id AND m.status = 'active'), ''), x.at "
    "FROM document_downloads x JOIN notice_documents d ON d.id = x.document_id LEFT JOIN users u ON u.id = x.user_id "
    "WHERE d.notice_id = ? ORDER BY x.at DESC, x.id DESC";

DocumentRecord from(const Row& r) {
    return {r.int64(0), r.int64(1), r.text(2), r.text(3), r.int64(4), r.text(5), r.int64(6), r.int64(7)};
}

}  // namespace

Result<std::int64_t> insert_document(Connection& c, const DocumentRecord& d, std::optional<std::int64_t> uploaded_by) {
    auto rows =
        c.query(kInsert, {d.notice_id, d.filename, d.content_type, d.size, d.sha256, opt(uploaded_by), d.uploaded_at});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::vector<DocumentRecord>> list_documents(Connection& c, std::int64_t notice_id) {
    auto rows = c.query(std::string(kColumns) + "WHERE d.notice_id = ? ORDER BY d.uploaded_at, d.id", {notice_id});
    if (!rows) return rows.error();
    std::vector<DocumentRecord> out;
    for (const auto& r : rows.value()) out.push_back(from(r));
    return out;
}

Result<std::optional<DocumentRecord>> find_document(Connection& c, std::int64_t id) {
    auto rows = c.query(std::string(kColumns) + "WHERE d.id = ?", {id});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<DocumentRecord>{};
    return std::optional<DocumentRecord>(from(rows.value()[0]));
}

Status record_download(Connection& c, std::int64_t document_id, std::optional<std::int64_t> user_id, std::int64_t at) {
    std::vector<Value> params;  // built step by step: g++ 12 warns falsely on a braced list here
    params.emplace_back(document_id);
    params.push_back(opt(user_id));
    params.emplace_back(at);
    return to_status(c.exec(kRecord, params));
}

Result<std::vector<DownloadRecord>> downloads(Connection& c, std::int64_t notice_id) {
    auto rows = c.query(kDownloads, {notice_id});
    if (!rows) return rows.error();
    std::vector<DownloadRecord> out;
    for (const auto& r : rows.value()) out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.int64(4)});
    return out;
}

}  // namespace passerelle::storage::documents
