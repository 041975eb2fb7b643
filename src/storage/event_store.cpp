#include "storage/event_store.hpp"

namespace passerelle::storage::events {

namespace {

Value opt_int(const std::optional<int>& v) { return v ? Value(std::int64_t{*v}) : Value(Null{}); }
Value opt_id(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(Null{}); }
Value flag(bool b) { return std::int64_t{b ? 1 : 0}; }
std::optional<int> opt_small(const Row& r, std::size_t i) {
    if (r.is_null(i)) return std::nullopt;
    return static_cast<int>(r.int64(i));
}

constexpr const char* kEventColumns =
    "SELECT id, title, summary, description, place, address, starts_at, ends_at, status, registration_opens_at, "
    "registration_closes_at, requests_deadline, capacity_buyers, capacity_companies, max_per_org, "
    "approval_required, schedule_objective, schedule_bound, schedule_method, schedule_run_at, "
    "schedule_published_at, created_by, created_at, updated_at FROM events ";

EventRecord event_from(const Row& r) {
    EventRecord e;
    e.id = r.int64(0);
    e.title = r.text(1);
    e.summary = r.text(2);
    e.description = r.text(3);
    e.place = r.text(4);
    e.address = r.text(5);
    e.starts_at = r.int64(6);
    e.ends_at = r.int64(7);
    e.status = r.text(8);
    e.registration_opens_at = r.opt_int64(9);
    e.registration_closes_at = r.opt_int64(10);
    e.requests_deadline = r.is_null(11) ? 0 : r.int64(11);
    e.capacity_buyers = opt_small(r, 12);
    e.capacity_companies = opt_small(r, 13);
    e.max_per_org = static_cast<int>(r.int64(14));
    e.approval_required = r.boolean(15);
    e.schedule_objective = r.opt_int64(16);
    e.schedule_bound = r.opt_int64(17);
    e.schedule_method = r.text(18);
    e.schedule_run_at = r.opt_int64(19);
    e.schedule_published_at = r.opt_int64(20);
    e.created_by = r.opt_int64(21);
    e.created_at = r.int64(22);
    e.updated_at = r.int64(23);
    return e;
}

Status load_programme(Connection& c, EventRecord& e) {
    auto rows = c.query(
        "SELECT kind, title, starts_at, ends_at, slot_minutes, tables FROM event_sessions WHERE event_id = ? "
        "ORDER BY starts_at, position",
        {e.id});
    if (!rows) return rows.error();
    for (const auto& r : rows.value())
        e.sessions.push_back({r.text(0), r.text(1), r.int64(2), r.int64(3), opt_small(r, 4), opt_small(r, 5)});
    auto qs = c.query("SELECT id, label, required FROM event_questions WHERE event_id = ? ORDER BY position", {e.id});
    if (!qs) return qs.error();
    for (const auto& r : qs.value()) e.questions.push_back({r.int64(0), r.text(1), r.boolean(2)});
    return {};
}

Status write_programme(Connection& c, const EventRecord& e, std::int64_t id) {
    for (const char* sql :
         {"DELETE FROM event_sessions WHERE event_id = ?", "DELETE FROM event_questions WHERE event_id = ?"})
        if (auto s = to_status(c.exec(sql, {id})); !s) return s;
    std::int64_t pos = 0;
    for (const auto& s : e.sessions)
        if (auto st = to_status(c.exec(
                "INSERT INTO event_sessions (event_id, position, kind, title, starts_at, "
                "ends_at, slot_minutes, tables) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                {id, pos++, s.kind, s.title, s.starts_at, s.ends_at, opt_int(s.slot_minutes), opt_int(s.tables)}));
            !st)
            return st;
    pos = 0;
    for (const auto& q : e.questions)
        if (auto st = to_status(
                c.exec("INSERT INTO event_questions (event_id, position, label, required) VALUES (?, ?, ?, ?)",
                       {id, pos++, q.label, flag(q.required)}));
            !st)
            return st;
    return {};
}

constexpr const char* kRegistrationColumns =
    "SELECT g.id, g.event_id, g.org_id, g.user_id, g.role, g.status, g.answers, g.checkin_code, g.checked_in_at, "
    "g.no_show, g.created_at, g.updated_at, o.name, o.siret, u.display_name, u.email, e.title, e.starts_at "
    "FROM event_registrations g JOIN organisations o ON o.id = g.org_id JOIN users u ON u.id = g.user_id "
    "JOIN events e ON e.id = g.event_id ";

RegistrationRecord registration_from(const Row& r) {
    RegistrationRecord g;
    g.id = r.int64(0);
    g.event_id = r.int64(1);
    g.org_id = r.int64(2);
    g.user_id = r.int64(3);
    g.role = r.text(4);
    g.status = r.text(5);
    g.answers = r.text(6);
    g.checkin_code = r.text(7);
    g.checked_in_at = r.opt_int64(8);
    g.no_show = r.boolean(9);
    g.created_at = r.int64(10);
    g.updated_at = r.int64(11);
    g.org_name = r.text(12);
    g.org_siret = r.text(13);
    g.user_name = r.text(14);
    g.user_email = r.text(15);
    g.event_title = r.text(16);
    g.event_starts_at = r.int64(17);
    return g;
}

Result<std::vector<RegistrationRecord>> registration_rows(Connection& c, const std::string& tail,
                                                          const std::vector<Value>& params) {
    auto rows = c.query(std::string(kRegistrationColumns) + tail, params);
    if (!rows) return rows.error();
    std::vector<RegistrationRecord> out;
    for (const auto& r : rows.value()) out.push_back(registration_from(r));
    return out;
}

Result<std::optional<RegistrationRecord>> one_registration(Connection& c, const std::string& tail,
                                                           const std::vector<Value>& params) {
    auto rows = registration_rows(c, tail, params);
    if (!rows) return rows.error();
    if (rows.value().empty()) return std::optional<RegistrationRecord>{};
    return std::optional<RegistrationRecord>{std::move(rows.value().front())};
}

// The topic's title: the roadmap item's or the notice's.
constexpr const char* kTopicTitle =
    "COALESCE(CASE q.topic_kind WHEN 'roadmap' THEN (SELECT title FROM roadmap_items WHERE id = q.topic_id) "
    "WHEN 'notice' THEN (SELECT title FROM notices WHERE id = q.topic_id) END, '') ";

const std::string kRequestColumns =
    std::string(
        "SELECT q.id, q.event_id, q.company_org_id, q.buyer_org_id, q.initiated_by, q.message, q.topic_kind, "
        "q.topic_id, q.status, q.mutual, q.priority, q.by_organiser, q.created_by, q.created_at, "
        "q.answered_at, co.name, bo.name, ") +
    kTopicTitle +
    "FROM meeting_requests q JOIN organisations co ON co.id = q.company_org_id "
    "JOIN organisations bo ON bo.id = q.buyer_org_id ";

RequestRecord request_from(const Row& r) {
    RequestRecord q;
    q.id = r.int64(0);
    q.event_id = r.int64(1);
    q.company_org_id = r.int64(2);
    q.buyer_org_id = r.int64(3);
    q.initiated_by = r.text(4);
    q.message = r.text(5);
    q.topic_kind = r.text(6);
    q.topic_id = r.opt_int64(7);
    q.status = r.text(8);
    q.mutual = r.boolean(9);
    q.priority = r.boolean(10);
    q.by_organiser = r.boolean(11);
    q.created_by = r.opt_int64(12);
    q.created_at = r.int64(13);
    q.answered_at = r.opt_int64(14);
    q.company_name = r.text(15);
    q.buyer_name = r.text(16);
    q.topic_title = r.text(17);
    return q;
}

Result<std::vector<RequestRecord>> request_rows(Connection& c, const std::string& tail,
                                                const std::vector<Value>& params) {
    auto rows = c.query(kRequestColumns + tail, params);
    if (!rows) return rows.error();
    std::vector<RequestRecord> out;
    for (const auto& r : rows.value()) out.push_back(request_from(r));
    return out;
}

Result<std::optional<RequestRecord>> one_request(Connection& c, const std::string& tail,
                                                 const std::vector<Value>& params) {
    auto rows = request_rows(c, tail, params);
    if (!rows) return rows.error();
    if (rows.value().empty()) return std::optional<RequestRecord>{};
    return std::optional<RequestRecord>{std::move(rows.value().front())};
}

}  // namespace

Result<std::int64_t> insert_event(Connection& c, const EventRecord& e, std::int64_t now) {
    auto rows = c.query(
        "INSERT INTO events (title, summary, description, place, address, starts_at, ends_at, status, "
        "registration_opens_at, registration_closes_at, requests_deadline, capacity_buyers, capacity_companies, "
        "max_per_org, approval_required, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {e.title, e.summary, e.description, e.place, e.address, e.starts_at, e.ends_at, opt_id(e.registration_opens_at),
         opt_id(e.registration_closes_at), e.requests_deadline, opt_int(e.capacity_buyers),
         opt_int(e.capacity_companies), std::int64_t{e.max_per_org}, flag(e.approval_required), opt_id(e.created_by),
         now, now});
    if (!rows) return rows.error();
    const std::int64_t id = rows.value()[0].int64(0);
    if (auto s = write_programme(c, e, id); !s) return s.error();
    return id;
}

Status update_event(Connection& c, const EventRecord& e, std::int64_t now) {
    auto n = c.exec(
        "UPDATE events SET title = ?, summary = ?, description = ?, place = ?, address = ?, starts_at = ?, "
        "ends_at = ?, registration_opens_at = ?, registration_closes_at = ?, requests_deadline = ?, "
        "capacity_buyers = ?, capacity_companies = ?, max_per_org = ?, approval_required = ?, updated_at = ? "
        "WHERE id = ?",
        {e.title, e.summary, e.description, e.place, e.address, e.starts_at, e.ends_at, opt_id(e.registration_opens_at),
         opt_id(e.registration_closes_at), e.requests_deadline, opt_int(e.capacity_buyers),
         opt_int(e.capacity_companies), std::int64_t{e.max_per_org}, flag(e.approval_required), now, e.id});
    if (!n) return n.error();
    return write_programme(c, e, e.id);
}

Status set_event_status(Connection& c, std::int64_t id, const std::string& status, std::int64_t now) {
    return to_status(c.exec("UPDATE events SET status = ?, updated_at = ? WHERE id = ?", {status, now, id}));
}

Result<std::optional<EventRecord>> find_event(Connection& c, std::int64_t id) {
    auto rows = c.query(std::string(kEventColumns) + "WHERE id = ?", {id});
    if (!rows) return rows.error();
    if (rows.value().empty()) return std::optional<EventRecord>{};
    auto e = event_from(rows.value()[0]);
    if (auto s = load_programme(c, e); !s) return s.error();
    return std::optional<EventRecord>{std::move(e)};
}

Result<std::vector<EventRecord>> list_events(Connection& c, bool include_drafts, bool past, std::int64_t now,
                                             int limit) {
    std::string sql = std::string(kEventColumns) + "WHERE (? = 1 OR status = 'published') AND " +
                      (past ? "ends_at < ? ORDER BY starts_at DESC" : "ends_at >= ? ORDER BY starts_at") + " LIMIT ?";
    auto rows = c.query(sql, {flag(include_drafts), now, std::int64_t{limit}});
    if (!rows) return rows.error();
    std::vector<EventRecord> out;
    for (const auto& r : rows.value()) out.push_back(event_from(r));
    return out;
}

Status set_schedule_run(Connection& c, std::int64_t id, std::int64_t objective, std::int64_t bound,
                        const std::string& method, std::int64_t now) {
    return to_status(
        c.exec("UPDATE events SET schedule_objective = ?, schedule_bound = ?, schedule_method = ?, schedule_run_at = ? "
               "WHERE id = ?",
               {objective, bound, method, now, id}));
}

Status set_schedule_published(Connection& c, std::int64_t id, std::int64_t now) {
    return to_status(c.exec("UPDATE events SET schedule_published_at = ? WHERE id = ?", {now, id}));
}

Result<std::vector<std::int64_t>> events_due_reminder(Connection& c, std::int64_t now, std::int64_t horizon) {
    auto rows = c.query(
        "SELECT id FROM events WHERE status = 'published' AND reminder_sent_at IS NULL AND starts_at > ? "
        "AND starts_at <= ? ORDER BY starts_at",
        {now, now + horizon});
    if (!rows) return rows.error();
    std::vector<std::int64_t> out;
    for (const auto& r : rows.value()) out.push_back(r.int64(0));
    return out;
}

Result<bool> claim_reminder(Connection& c, std::int64_t id, std::int64_t now) {
    auto n = c.exec("UPDATE events SET reminder_sent_at = ? WHERE id = ? AND reminder_sent_at IS NULL", {now, id});
    if (!n) return n.error();
    return n.value() == 1;
}

Result<std::int64_t> insert_registration(Connection& c, const RegistrationRecord& r, std::int64_t now) {
    auto rows = c.query(
        "INSERT INTO event_registrations (event_id, org_id, user_id, role, status, answers, checkin_code, no_show, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING id",
        {r.event_id, r.org_id, r.user_id, r.role, r.status, r.answers, r.checkin_code, now, now});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::optional<RegistrationRecord>> find_registration(Connection& c, std::int64_t id) {
    return one_registration(c, "WHERE g.id = ?", {id});
}

Result<std::optional<RegistrationRecord>> registration_of(Connection& c, std::int64_t event_id, std::int64_t user_id) {
    return one_registration(c, "WHERE g.event_id = ? AND g.user_id = ?", {event_id, user_id});
}

Result<std::optional<RegistrationRecord>> registration_by_code(Connection& c, std::int64_t event_id,
                                                               const std::string& code) {
    return one_registration(c, "WHERE g.event_id = ? AND g.checkin_code = ?", {event_id, code});
}

Result<std::vector<RegistrationRecord>> registrations(Connection& c, std::int64_t event_id, const std::string& status) {
    return registration_rows(c, "WHERE g.event_id = ? AND (? = '' OR g.status = ?) ORDER BY g.created_at, g.id",
                             {event_id, status, status});
}

Result<std::vector<RegistrationRecord>> registrations_of_user(Connection& c, std::int64_t user_id) {
    return registration_rows(c, "WHERE g.user_id = ? ORDER BY e.starts_at DESC", {user_id});
}

Status delete_registration(Connection& c, std::int64_t id) {
    return to_status(c.exec("DELETE FROM event_registrations WHERE id = ?", {id}));
}

Status set_registration_status(Connection& c, std::int64_t id, const std::string& status, std::int64_t now) {
    return to_status(
        c.exec("UPDATE event_registrations SET status = ?, updated_at = ? WHERE id = ?", {status, now, id}));
}

Status set_checked_in(Connection& c, std::int64_t id, std::optional<std::int64_t> at, bool no_show, std::int64_t now) {
    return to_status(
        c.exec("UPDATE event_registrations SET checked_in_at = ?, no_show = ?, updated_at = ? WHERE id = ?",
               {opt_id(at), flag(no_show), now, id}));
}

Result<std::int64_t> count_seats(Connection& c, std::int64_t event_id, const std::string& role) {
    auto rows =
        c.query("SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND role = ? AND status = 'confirmed'",
                {event_id, role});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::int64_t> count_org_registrations(Connection& c, std::int64_t event_id, std::int64_t org_id) {
    auto rows = c.query(
        "SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND org_id = ? "
        "AND status IN ('pending', 'confirmed', 'waitlisted')",
        {event_id, org_id});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::optional<RegistrationRecord>> first_waiting(Connection& c, std::int64_t event_id, const std::string& role) {
    return one_registration(
        c, "WHERE g.event_id = ? AND g.role = ? AND g.status = 'waitlisted' ORDER BY g.created_at, g.id LIMIT 1",
        {event_id, role});
}

Result<std::vector<ParticipantRecord>> participants(Connection& c, std::int64_t event_id) {
    auto rows = c.query(
        "SELECT o.id, o.name, MIN(g.role), COALESCE(p.unavailable_slots, ''), p.max_meetings, "
        "MAX(CASE WHEN g.checked_in_at IS NULL THEN 0 ELSE 1 END) "
        "FROM event_registrations g JOIN organisations o ON o.id = g.org_id "
        "LEFT JOIN event_participants p ON p.event_id = g.event_id AND p.org_id = g.org_id "
        "WHERE g.event_id = ? AND g.status = 'confirmed' "
        "GROUP BY o.id, o.name, p.unavailable_slots, p.max_meetings ORDER BY o.name, o.id",
        {event_id});
    if (!rows) return rows.error();
    std::vector<ParticipantRecord> out;
    for (const auto& r : rows.value())
        out.push_back({r.int64(0), r.text(1), r.text(2), r.text(3), opt_small(r, 4), r.int64(5) != 0});
    return out;
}

Status save_participant(Connection& c, std::int64_t event_id, std::int64_t org_id, const std::string& unavailable,
                        std::optional<int> max_meetings) {
    return to_status(
        c.exec("INSERT INTO event_participants (event_id, org_id, unavailable_slots, max_meetings) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (event_id, org_id) DO UPDATE SET unavailable_slots = excluded.unavailable_slots, "
               "max_meetings = excluded.max_meetings",
               {event_id, org_id, unavailable, opt_int(max_meetings)}));
}

Result<std::int64_t> insert_request(Connection& c, const RequestRecord& r, std::int64_t now) {
    auto rows = c.query(
        "INSERT INTO meeting_requests (event_id, company_org_id, buyer_org_id, initiated_by, message, topic_kind, "
        "topic_id, status, mutual, priority, by_organiser, created_by, created_at, answered_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {r.event_id, r.company_org_id, r.buyer_org_id, r.initiated_by, r.message, r.topic_kind, opt_id(r.topic_id),
         r.status, flag(r.mutual), flag(r.priority), flag(r.by_organiser), opt_id(r.created_by), now,
         r.status == "pending" ? Value(Null{}) : Value(now)});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::optional<RequestRecord>> find_request(Connection& c, std::int64_t id) {
    return one_request(c, "WHERE q.id = ?", {id});
}

Result<std::optional<RequestRecord>> request_between(Connection& c, std::int64_t event_id, std::int64_t company,
                                                     std::int64_t buyer) {
    return one_request(c, "WHERE q.event_id = ? AND q.company_org_id = ? AND q.buyer_org_id = ?",
                       {event_id, company, buyer});
}

Result<std::vector<RequestRecord>> requests(Connection& c, std::int64_t event_id, std::optional<std::int64_t> org_id) {
    return request_rows(c,
                        "WHERE q.event_id = ? AND (CAST(? AS BIGINT) IS NULL OR q.company_org_id = ? OR "
                        "q.buyer_org_id = ?) ORDER BY q.created_at, q.id",
                        {event_id, opt_id(org_id), opt_id(org_id), opt_id(org_id)});
}

Status answer_request(Connection& c, std::int64_t id, const std::string& status, bool mutual, std::int64_t now) {
    return to_status(c.exec("UPDATE meeting_requests SET status = ?, mutual = ?, answered_at = ? WHERE id = ?",
                            {status, flag(mutual), now, id}));
}

Status delete_request(Connection& c, std::int64_t id) {
    return to_status(c.exec("DELETE FROM meeting_requests WHERE id = ?", {id}));
}

Result<std::optional<std::int64_t>> topic_owner(Connection& c, const std::string& kind, std::int64_t id) {
    const char* sql = kind == "roadmap"  ? "SELECT org_id FROM roadmap_items WHERE id = ? AND status <> 'draft'"
                      : kind == "notice" ? "SELECT org_id FROM notices WHERE id = ? AND status <> 'draft'"
                                         : nullptr;
    if (!sql) return std::optional<std::int64_t>{};
    auto rows = c.query(sql, {id});
    if (!rows) return rows.error();
    if (rows.value().empty()) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>{rows.value()[0].int64(0)};
}

Status set_request_priority(Connection& c, std::int64_t id, bool priority) {
    return to_status(c.exec("UPDATE meeting_requests SET priority = ? WHERE id = ?", {flag(priority), id}));
}

Result<std::int64_t> expire_requests(Connection& c, std::int64_t event_id, std::int64_t deadline, std::int64_t now) {
    if (now < deadline) return std::int64_t{0};
    return c.exec(
        "UPDATE meeting_requests SET status = 'expired', answered_at = ? WHERE event_id = ? AND status = 'pending'",
        {now, event_id});
}

Result<std::vector<TopicRecord>> topics_of(Connection& c, const std::vector<std::int64_t>& buyer_org_ids) {
    std::vector<TopicRecord> out;
    if (buyer_org_ids.empty()) return out;
    std::vector<Value> params;
    const std::string roadmap_in = in_list(buyer_org_ids, params);
    const std::string notice_in = in_list(buyer_org_ids, params);
    auto rows =
        c.query("SELECT 'roadmap', id, org_id, title FROM roadmap_items WHERE status = 'published' AND org_id IN (" +
                    roadmap_in +
                    ") UNION ALL SELECT 'notice', id, org_id, title FROM notices WHERE status = "
                    "'published' AND org_id IN (" +
                    notice_in + ") ORDER BY 3, 1, 4",
                params);
    if (!rows) return rows.error();
    for (const auto& r : rows.value()) out.push_back({r.text(0), r.int64(1), r.int64(2), r.text(3)});
    return out;
}

Result<std::int64_t> count_awaiting(Connection& c, const std::vector<std::int64_t>& org_ids, std::int64_t now) {
    if (org_ids.empty()) return std::int64_t{0};
    std::vector<Value> params = {now};
    const std::string to_buyer = in_list(org_ids, params);
    const std::string to_company = in_list(org_ids, params);
    auto rows = c.query(
        "SELECT COUNT(*) FROM meeting_requests q JOIN events e ON e.id = q.event_id WHERE q.status = 'pending' "
        "AND e.status = 'published' AND e.requests_deadline > ? AND ((q.initiated_by = 'company' AND q.buyer_org_id "
        "IN (" +
            to_buyer + ")) OR (q.initiated_by = 'buyer' AND q.company_org_id IN (" + to_company + ")))",
        params);
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::int64_t> count_accepted(Connection& c, std::int64_t event_id, std::int64_t org_id) {
    auto rows = c.query(
        "SELECT COUNT(*) FROM meeting_requests WHERE event_id = ? AND status = 'accepted' "
        "AND (company_org_id = ? OR buyer_org_id = ?)",
        {event_id, org_id, org_id});
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::vector<MeetingRecord>> meetings(Connection& c, std::int64_t event_id, std::optional<std::int64_t> org_id) {
    auto rows = c.query(
        std::string("SELECT m.request_id, m.slot, m.table_number, m.pinned, m.announced_slot, q.company_org_id, "
                    "q.buyer_org_id, co.name, bo.name, q.topic_kind, q.topic_id, ") +
            kTopicTitle +
            ", q.message, q.mutual, q.priority, m.announced_table FROM event_meetings m JOIN meeting_requests q ON "
            "q.id = m.request_id "
            "JOIN organisations co ON co.id = q.company_org_id JOIN organisations bo ON bo.id = q.buyer_org_id "
            "WHERE m.event_id = ? AND (CAST(? AS BIGINT) IS NULL OR q.company_org_id = ? OR q.buyer_org_id = ?) "
            "ORDER BY m.slot, m.table_number, m.request_id",
        {event_id, opt_id(org_id), opt_id(org_id), opt_id(org_id)});
    if (!rows) return rows.error();
    std::vector<MeetingRecord> out;
    for (const auto& r : rows.value()) {
        MeetingRecord m;
        m.request_id = r.int64(0);
        m.slot = static_cast<int>(r.int64(1));
        m.table_number = static_cast<int>(r.int64(2));
        m.pinned = r.boolean(3);
        m.announced_slot = opt_small(r, 4);
        m.announced_table = opt_small(r, 15);
        m.company_org_id = r.int64(5);
        m.buyer_org_id = r.int64(6);
        m.company_name = r.text(7);
        m.buyer_name = r.text(8);
        m.topic_kind = r.text(9);
        m.topic_id = r.opt_int64(10);
        m.topic_title = r.text(11);
        m.message = r.text(12);
        m.mutual = r.boolean(13);
        m.priority = r.boolean(14);
        out.push_back(std::move(m));
    }
    return out;
}

Status replace_meetings(Connection& c, std::int64_t event_id, const std::vector<MeetingRecord>& m) {
    if (auto s = to_status(c.exec("DELETE FROM event_meetings WHERE event_id = ?", {event_id})); !s) return s;
    for (const auto& x : m)
        if (auto s = to_status(c.exec("INSERT INTO event_meetings (request_id, event_id, slot, table_number, pinned, "
                                      "announced_slot, announced_table) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                      {x.request_id, event_id, std::int64_t{x.slot}, std::int64_t{x.table_number},
                                       flag(x.pinned), opt_int(x.announced_slot), opt_int(x.announced_table)}));
            !s)
            return s;
    return {};
}

Status set_meeting_slot(Connection& c, std::int64_t request_id, int slot, int table_number) {
    return to_status(c.exec("UPDATE event_meetings SET slot = ?, table_number = ? WHERE request_id = ?",
                            {std::int64_t{slot}, std::int64_t{table_number}, request_id}));
}

Status set_meeting_pinned(Connection& c, std::int64_t request_id, bool pinned) {
    return to_status(c.exec("UPDATE event_meetings SET pinned = ? WHERE request_id = ?", {flag(pinned), request_id}));
}

Status delete_meeting(Connection& c, std::int64_t request_id) {
    return to_status(c.exec("DELETE FROM event_meetings WHERE request_id = ?", {request_id}));
}

Status announce_meetings(Connection& c, std::int64_t event_id) {
    return to_status(
        c.exec("UPDATE event_meetings SET announced_slot = slot, announced_table = table_number WHERE event_id = ?",
               {event_id}));
}

Status save_feedback(Connection& c, const FeedbackRecord& f) {
    return to_status(c.exec(
        "INSERT INTO meeting_feedback (request_id, org_id, held, usefulness, follow_up, comment, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_id, org_id) DO UPDATE SET held = excluded.held, "
        "usefulness = excluded.usefulness, follow_up = excluded.follow_up, comment = excluded.comment, "
        "updated_at = excluded.updated_at",
        {f.request_id, f.org_id, flag(f.held), opt_int(f.usefulness), flag(f.follow_up), f.comment, f.updated_at}));
}

Result<std::vector<FeedbackRecord>> feedback(Connection& c, std::int64_t event_id, std::optional<std::int64_t> org_id) {
    auto rows = c.query(
        "SELECT f.request_id, f.org_id, f.held, f.usefulness, f.follow_up, f.comment, f.updated_at "
        "FROM meeting_feedback f JOIN meeting_requests q ON q.id = f.request_id WHERE q.event_id = ? "
        "AND (CAST(? AS BIGINT) IS NULL OR f.org_id = ?) ORDER BY f.request_id, f.org_id",
        {event_id, opt_id(org_id), opt_id(org_id)});
    if (!rows) return rows.error();
    std::vector<FeedbackRecord> out;
    for (const auto& r : rows.value())
        out.push_back({r.int64(0), r.int64(1), r.boolean(2), opt_small(r, 3), r.boolean(4), r.text(5), r.int64(6)});
    return out;
}

}  // namespace passerelle::storage::events
