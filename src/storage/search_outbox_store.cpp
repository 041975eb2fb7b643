#include "storage/search_outbox_store.hpp"

#include <algorithm>
#include <charconv>

#include "storage/insert_rows.hpp"

namespace passerelle::storage::search_outbox {

namespace {
constexpr const char* kEnqueue = "INSERT INTO search_outbox (kind, entity_id, created_at) VALUES (?, ?, ?)";
constexpr const char* kPending = "SELECT id, kind, entity_id FROM search_outbox ORDER BY id LIMIT ?";
constexpr const char* kAcknowledge = "DELETE FROM search_outbox WHERE id <= ?";
constexpr const char* kRecordAcknowledged = "UPDATE settings SET value = ? WHERE key = 'search_acknowledged'";
constexpr const char* kPosition =
    "SELECT (SELECT value FROM settings WHERE key = 'database_id'), "
    "(SELECT value FROM settings WHERE key = 'search_acknowledged'), (SELECT MAX(id) FROM search_outbox)";
constexpr const char* kClear = "DELETE FROM search_outbox";
constexpr const char* kPublicNotices =
    "SELECT id FROM notices WHERE status <> 'draft' AND withdrawn_at IS NULL AND id > ? ORDER BY id LIMIT ?";
constexpr const char* kPublicRoadmap =
    "SELECT id FROM roadmap_items WHERE status <> 'draft' AND withdrawn_at IS NULL AND id > ? ORDER BY id LIMIT ?";
constexpr const char* kContracts = "SELECT id FROM contracts WHERE id > ? ORDER BY id LIMIT ?";
constexpr const char* kExternal = "SELECT id FROM external_notices WHERE id > ? ORDER BY id LIMIT ?";
constexpr const char* kCompanies = "SELECT id FROM organisations WHERE kind = 'company' AND id > ? ORDER BY id LIMIT ?";
}  // namespace

Status enqueue(Connection& c, const std::string& kind, std::int64_t entity_id, std::int64_t now) {
    return to_status(c.exec(kEnqueue, {kind, entity_id, now}));
}

Status enqueue_many(Connection& c, const std::string& kind, const std::vector<std::int64_t>& entity_ids,
                    std::int64_t now) {
    return insert_rows(kEnqueue, "", entity_ids.size(), 250,
                       [&](std::size_t from, std::size_t n, const std::string& sql) {
                           std::vector<Value> params;
                           params.reserve(3 * n);
                           for (std::size_t i = from; i < from + n; ++i)
                               params.insert(params.end(), {kind, entity_ids[i], now});
                           return to_status(c.exec(sql, params));
                       });
}

Result<std::vector<Change>> pending(Connection& c, int limit) {
    auto rows = c.query(kPending, {std::int64_t{limit}});
    if (!rows) return rows.error();
    std::vector<Change> out;
    for (const auto& r : rows.value()) out.push_back({r.int64(0), r.text(1), r.int64(2)});
    return out;
}

Status acknowledge(Connection& c, std::int64_t last_id) {
    if (auto s = to_status(c.exec(kAcknowledge, {last_id})); !s) return s;
    return to_status(c.exec(kRecordAcknowledged, {std::to_string(last_id)}));
}

Result<Position> position(Connection& c) {
    auto rows = c.query(kPosition);
    if (!rows) return rows.error();
    if (rows->empty()) return Error::Internal("search outbox position unreadable");
    const auto& r = rows.value()[0];
    Position p;
    p.database_id = r.opt_text(0).value_or("");
    const std::string ack = r.opt_text(1).value_or("0");
    std::from_chars(ack.data(), ack.data() + ack.size(), p.acknowledged);
    p.newest = std::max(p.acknowledged, r.opt_int64(2).value_or(0));
    return p;
}

Status clear(Connection& c) { return to_status(c.exec(kClear)); }

Result<std::vector<std::int64_t>> public_ids(Connection& c, const std::string& kind, std::int64_t after, int limit) {
    const char* sql = kind == "notice"     ? kPublicNotices
                      : kind == "roadmap"  ? kPublicRoadmap
                      : kind == "contract" ? kContracts
                      : kind == "external" ? kExternal
                      : kind == "company"  ? kCompanies
                                           : nullptr;
    if (!sql) return Error::Invalid("unknown kind " + kind);
    auto rows = c.query(sql, {after, std::int64_t{limit}});
    if (!rows) return rows.error();
    std::vector<std::int64_t> out;
    for (const auto& r : rows.value()) out.push_back(r.int64(0));
    return out;
}

}  // namespace passerelle::storage::search_outbox
