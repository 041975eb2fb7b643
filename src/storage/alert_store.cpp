#include "storage/alert_store.hpp"

namespace passerelle::storage::alerts {

namespace {

constexpr const char* kInsert =
    "INSERT INTO saved_searches (user_id, name, query_text, kind, departement, cpv_division, clause, procedure, "
    "frequency, feed_token, unsubscribe_token, email_active, created_at, last_digest_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id";
constexpr const char* kDelete = "DELETE FROM saved_searches WHERE id = ? AND user_id = ?";
constexpr const char* kColumns =
    "SELECT s.id, s.user_id, u.email, s.name, s.query_text, s.kind, s.departement, s.cpv_division, s.clause, "
    "s.procedure, s.frequency, s.feed_token, s.unsubscribe_token, s.email_active, s.created_at, s.last_digest_at "
    "FROM saved_searches s JOIN users u ON u.id = s.user_id ";
constexpr const char* kSetActive = "UPDATE saved_searches SET email_active = ? WHERE id = ?";
constexpr const char* kSetDigest = "UPDATE saved_searches SET last_digest_at = ? WHERE id = ?";
constexpr const char* kUpsertAlert =
    "INSERT INTO alerts (saved_search_id, kind, entity_id, title, reason, created_at) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (saved_search_id, kind, entity_id) DO UPDATE SET title = excluded.title, reason = excluded.reason, "
    "created_at = excluded.created_at, emailed_at = NULL";
constexpr const char* kAlertColumns =
    "SELECT a.id, a.saved_search_id, s.name, a.kind, a.entity_id, a.title, a.reason, a.created_at, a.emailed_at "
    "FROM alerts a JOIN saved_searches s ON s.id = a.saved_search_id ";
constexpr const char* kMarkEmailed =
    "UPDATE alerts SET emailed_at = ? WHERE saved_search_id = ? AND id <= ? AND emailed_at IS NULL";

SavedSearchRecord from(const Row& r) {
    SavedSearchRecord s;
    s.id = r.int64(0);
    s.user_id = r.int64(1);
    s.user_email = r.text(2);
    s.name = r.text(3);
    s.query_text = r.text(4);
    s.kind = r.text(5);
    s.departement = r.text(6);
    s.cpv_division = r.text(7);
    s.clause = r.text(8);
    s.procedure = r.text(9);
    s.frequency = r.text(10);
    s.feed_token = r.text(11);
    s.unsubscribe_token = r.text(12);
    s.email_active = r.boolean(13);
    s.created_at = r.int64(14);
    s.last_digest_at = r.int64(15);
    return s;
}

Result<std::vector<SavedSearchRecord>> many(const Result<Rows>& rows) {
    if (!rows) return rows.error();
    std::vector<SavedSearchRecord> out;
    for (const auto& r : rows.value()) out.push_back(from(r));
    return out;
}

Result<std::optional<SavedSearchRecord>> one(const Result<Rows>& rows) {
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<SavedSearchRecord>{};
    return std::optional<SavedSearchRecord>(from(rows.value()[0]));
}

Result<std::vector<AlertRecord>> alerts(const Result<Rows>& rows) {
    if (!rows) return rows.error();
    std::vector<AlertRecord> out;
    for (const auto& r : rows.value())
        out.push_back({r.int64(0), r.int64(1), r.text(2), r.text(3), r.int64(4), r.text(5), r.text(6), r.int64(7),
                       r.opt_int64(8)});
    return out;
}

}  // namespace

Result<std::int64_t> insert_saved_search(Connection& c, const SavedSearchRecord& s) {
    auto rows =
        c.query(kInsert, {s.user_id, s.name, s.query_text, s.kind, s.departement, s.cpv_division, s.clause, s.procedure,
                          s.frequency, s.feed_token, s.unsubscribe_token, s.created_at, s.last_digest_at});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<bool> delete_saved_search(Connection& c, std::int64_t id, std::int64_t user_id) {
    auto n = c.exec(kDelete, {id, user_id});
    if (!n) return n.error();
    return n.value() > 0;
}

Result<std::vector<SavedSearchRecord>> saved_searches_of(Connection& c, std::int64_t user_id) {
    return many(c.query(std::string(kColumns) + "WHERE s.user_id = ? ORDER BY s.created_at, s.id", {user_id}));
}

Result<std::vector<SavedSearchRecord>> all_saved_searches(Connection& c) {
    return many(c.query(std::string(kColumns) + "ORDER BY s.id"));
}

Result<std::optional<SavedSearchRecord>> find_saved_search(Connection& c, std::int64_t id) {
    return one(c.query(std::string(kColumns) + "WHERE s.id = ?", {id}));
}

Result<std::optional<SavedSearchRecord>> find_by_feed_token(Connection& c, const std::string& token) {
    return one(c.query(std::string(kColumns) + "WHERE s.feed_token = ?", {token}));
}

Result<std::optional<SavedSearchRecord>> find_by_unsubscribe_token(Connection& c, const std::string& token) {
    return one(c.query(std::string(kColumns) + "WHERE s.unsubscribe_token = ?", {token}));
}

Status set_email_active(Connection& c, std::int64_t id, bool active) {
    return to_status(c.exec(kSetActive, {std::int64_t{active ? 1 : 0}, id}));
}

Status set_last_digest(Connection& c, std::int64_t id, std::int64_t at) {
    return to_status(c.exec(kSetDigest, {at, id}));
}

Result<bool> upsert_alert(Connection& c, const AlertRecord& a) {
    auto n = c.exec(kUpsertAlert, {a.saved_search_id, a.kind, a.entity_id, a.title, a.reason, a.created_at});
    if (!n) return n.error();
    return n.value() > 0;
}

Result<std::vector<AlertRecord>> alerts_of_user(Connection& c, std::int64_t user_id, int limit) {
    return alerts(
        c.query(std::string(kAlertColumns) + "WHERE s.user_id = ? ORDER BY a.created_at DESC, a.id DESC LIMIT ?",
                {user_id, std::int64_t{limit}}));
}

Result<std::vector<AlertRecord>> alerts_of_search(Connection& c, std::int64_t saved_search_id, int limit) {
    return alerts(c.query(
        std::string(kAlertColumns) + "WHERE a.saved_search_id = ? ORDER BY a.created_at DESC, a.id DESC LIMIT ?",
        {saved_search_id, std::int64_t{limit}}));
}

Result<std::vector<AlertRecord>> unsent_alerts(Connection& c, std::int64_t saved_search_id) {
    return alerts(
        c.query(std::string(kAlertColumns) + "WHERE a.saved_search_id = ? AND a.emailed_at IS NULL ORDER BY a.id",
                {saved_search_id}));
}

Status mark_emailed(Connection& c, std::int64_t saved_search_id, std::int64_t up_to_id, std::int64_t at) {
    return to_status(c.exec(kMarkEmailed, {at, saved_search_id, up_to_id}));
}

}  // namespace passerelle::storage::alerts
