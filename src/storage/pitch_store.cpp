#include "storage/pitch_store.hpp"

namespace passerelle::storage::pitches {

namespace {

Value flag(bool b) { return std::int64_t{b ? 1 : 0}; }

constexpr const char* kApplicationColumns =
    "SELECT a.id, a.event_id, a.org_id, a.user_id, a.summary, a.innovation, a.references_text, a.file_name, "
    "a.file_type, a.file_sha256, a.file_size, a.status, a.reason, a.created_at, a.updated_at, o.name, "
    "COALESCE(u.email, '') FROM pitch_applications a JOIN organisations o ON o.id = a.org_id "
    "LEFT JOIN users u ON u.id = a.user_id ";

Result<std::vector<ApplicationRecord>> application_rows(Connection& c, const std::string& tail,
                                                        const std::vector<Value>& params) {
    auto rows = c.query(std::string(kApplicationColumns) + tail, params);
    if (!rows) return rows.error();
    std::vector<ApplicationRecord> out;
    for (const auto& r : rows.value()) {
        ApplicationRecord a;
        a.id = r.int64(0);
        a.event_id = r.int64(1);
        a.org_id = r.int64(2);
        a.user_id = r.opt_int64(3);
        a.summary = r.text(4);
        a.innovation = r.text(5);
        a.references = r.text(6);
        a.file_name = r.text(7);
        a.file_type = r.text(8);
        a.file_sha256 = r.text(9);
        a.file_size = r.int64(10);
        a.status = r.text(11);
        a.reason = r.text(12);
        a.created_at = r.int64(13);
        a.updated_at = r.int64(14);
        a.org_name = r.text(15);
        a.user_email = r.text(16);
        out.push_back(std::move(a));
    }
    return out;
}

Result<std::optional<ApplicationRecord>> one(Connection& c, const std::string& tail, const std::vector<Value>& params) {
    auto rows = application_rows(c, tail, params);
    if (!rows) return rows.error();
    if (rows.value().empty()) return std::optional<ApplicationRecord>{};
    return std::optional<ApplicationRecord>{std::move(rows.value().front())};
}

}  // namespace

Status save_call(Connection& c, const CallRecord& r) {
    return to_status(c.exec(
        "INSERT INTO pitch_calls (event_id, places, closes_at, blind) VALUES (?, ?, ?, ?) ON CONFLICT (event_id) "
        "DO UPDATE SET places = excluded.places, closes_at = excluded.closes_at, blind = excluded.blind",
        {r.event_id, std::int64_t{r.places}, r.closes_at, flag(r.blind)}));
}

Result<std::optional<CallRecord>> find_call(Connection& c, std::int64_t event_id) {
    auto rows = c.query("SELECT event_id, places, closes_at, blind, released_at FROM pitch_calls WHERE event_id = ?",
                        {event_id});
    if (!rows) return rows.error();
    if (rows.value().empty()) return std::optional<CallRecord>{};
    const auto& r = rows.value()[0];
    return std::optional<CallRecord>{
        CallRecord{r.int64(0), static_cast<int>(r.int64(1)), r.int64(2), r.boolean(3), r.opt_int64(4)}};
}

Status set_released(Connection& c, std::int64_t event_id, std::int64_t now) {
    return to_status(c.exec("UPDATE pitch_calls SET released_at = ? WHERE event_id = ?", {now, event_id}));
}

Status replace_criteria(Connection& c, std::int64_t event_id, const std::vector<core::pitches::Criterion>& criteria) {
    if (auto s = to_status(c.exec("DELETE FROM pitch_criteria WHERE event_id = ?", {event_id})); !s) return s;
    std::int64_t pos = 0;
    for (const auto& k : criteria)
        if (auto s =
                to_status(c.exec("INSERT INTO pitch_criteria (event_id, position, label, weight) VALUES (?, ?, ?, ?)",
                                 {event_id, pos++, k.label, std::int64_t{k.weight}}));
            !s)
            return s;
    return {};
}

Result<std::vector<core::pitches::Criterion>> criteria(Connection& c, std::int64_t event_id) {
    auto rows =
        c.query("SELECT id, label, weight FROM pitch_criteria WHERE event_id = ? ORDER BY position", {event_id});
    if (!rows) return rows.error();
    std::vector<core::pitches::Criterion> out;
    for (const auto& r : rows.value()) out.push_back({r.int64(0), r.text(1), static_cast<int>(r.int64(2))});
    return out;
}

Result<std::int64_t> count_scores(Connection& c, std::int64_t event_id) {
    auto rows = c.query(
        "SELECT COUNT(*) FROM pitch_scores s JOIN pitch_applications a ON a.id = s.application_id "
        "WHERE a.event_id = ?",
        {event_id});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Status add_juror(Connection& c, std::int64_t event_id, std::int64_t user_id) {
    return to_status(c.exec("INSERT INTO pitch_jurors (event_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                            {event_id, user_id}));
}

Status remove_juror(Connection& c, std::int64_t event_id, std::int64_t user_id) {
    return to_status(c.exec("DELETE FROM pitch_jurors WHERE event_id = ? AND user_id = ?", {event_id, user_id}));
}

Result<std::vector<JurorRecord>> jurors(Connection& c, std::int64_t event_id) {
    auto rows = c.query(
        "SELECT u.id, u.display_name, u.email FROM pitch_jurors j JOIN users u ON u.id = j.user_id "
        "WHERE j.event_id = ? ORDER BY u.display_name, u.id",
        {event_id});
    if (!rows) return rows.error();
    std::vector<JurorRecord> out;
    for (const auto& r : rows.value()) out.push_back({r.int64(0), r.text(1), r.text(2)});
    return out;
}

Result<bool> is_juror(Connection& c, std::int64_t event_id, std::int64_t user_id) {
    auto rows = c.query("SELECT 1 FROM pitch_jurors WHERE event_id = ? AND user_id = ?", {event_id, user_id});
    if (!rows) return rows.error();
    return !rows.value().empty();
}

Result<std::int64_t> insert_application(Connection& c, const ApplicationRecord& r, std::int64_t now) {
    auto rows = c.query(
        "INSERT INTO pitch_applications (event_id, org_id, user_id, summary, innovation, references_text, file_name, "
        "file_type, file_sha256, file_size, status, reason, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', '', ?, ?) RETURNING id",
        {r.event_id, r.org_id, r.user_id ? Value(*r.user_id) : Value(Null{}), r.summary, r.innovation, r.references,
         r.file_name, r.file_type, r.file_sha256, r.file_size, now, now});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::optional<ApplicationRecord>> find_application(Connection& c, std::int64_t id) {
    return one(c, "WHERE a.id = ?", {id});
}

Result<std::optional<ApplicationRecord>> application_of(Connection& c, std::int64_t event_id, std::int64_t org_id) {
    return one(c, "WHERE a.event_id = ? AND a.org_id = ?", {event_id, org_id});
}

Result<std::vector<ApplicationRecord>> applications(Connection& c, std::int64_t event_id) {
    return application_rows(c, "WHERE a.event_id = ? ORDER BY a.created_at, a.id", {event_id});
}

Status decide(Connection& c, std::int64_t id, const std::string& status, const std::string& reason, std::int64_t now) {
    return to_status(c.exec("UPDATE pitch_applications SET status = ?, reason = ?, updated_at = ? WHERE id = ?",
                            {status, reason, now, id}));
}

Result<std::set<std::int64_t>> selected_orgs(Connection& c, std::int64_t event_id) {
    auto rows = c.query(
        "SELECT a.org_id FROM pitch_applications a JOIN pitch_calls k ON k.event_id = a.event_id "
        "WHERE a.event_id = ? AND a.status = 'selected' AND k.released_at IS NOT NULL",
        {event_id});
    if (!rows) return rows.error();
    std::set<std::int64_t> out;
    for (const auto& r : rows.value()) out.insert(r.int64(0));
    return out;
}

Status save_review(Connection& c, std::int64_t application_id, const core::pitches::Review& r, std::int64_t now) {
    if (auto s = to_status(c.exec("DELETE FROM pitch_scores WHERE application_id = ? AND juror_user_id = ?",
                                  {application_id, r.juror}));
        !s)
        return s;
    if (auto s = to_status(c.exec(
            "INSERT INTO pitch_reviews (application_id, juror_user_id, abstained, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (application_id, juror_user_id) DO UPDATE SET abstained = excluded.abstained, "
            "updated_at = excluded.updated_at",
            {application_id, r.juror, flag(r.abstained), now}));
        !s)
        return s;
    if (r.abstained) return {};
    for (const auto& [criterion, score] : r.scores)
        if (auto s = to_status(c.exec("INSERT INTO pitch_scores (application_id, juror_user_id, criterion_id, score) "
                                      "VALUES (?, ?, ?, ?)",
                                      {application_id, r.juror, criterion, std::int64_t{score}}));
            !s)
            return s;
    return {};
}

Result<std::map<std::int64_t, std::vector<core::pitches::Review>>> reviews(Connection& c, std::int64_t event_id) {
    auto heads = c.query(
        "SELECT v.application_id, v.juror_user_id, v.abstained FROM pitch_reviews v JOIN pitch_applications a "
        "ON a.id = v.application_id WHERE a.event_id = ? ORDER BY v.application_id, v.juror_user_id",
        {event_id});
    if (!heads) return heads.error();
    auto scores = c.query(
        "SELECT s.application_id, s.juror_user_id, s.criterion_id, s.score FROM pitch_scores s "
        "JOIN pitch_applications a ON a.id = s.application_id WHERE a.event_id = ?",
        {event_id});
    if (!scores) return scores.error();
    std::map<std::int64_t, std::vector<core::pitches::Review>> out;
    std::map<std::pair<std::int64_t, std::int64_t>, core::pitches::Review*> index;
    for (const auto& r : heads.value()) {
        auto& list = out[r.int64(0)];
        list.push_back({r.int64(1), r.boolean(2), {}});
    }
    for (auto& [app, list] : out)
        for (auto& rv : list) index[{app, rv.juror}] = &rv;
    for (const auto& r : scores.value())
        if (auto it = index.find({r.int64(0), r.int64(1)}); it != index.end())
            it->second->scores[r.int64(2)] = static_cast<int>(r.int64(3));
    return out;
}

}  // namespace passerelle::storage::pitches
