// Matchmaking events storage: events with their sessions and registration questions, registrations,
// each organisation's availability and cap, meeting requests, and the meetings of the schedule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "storage/database.hpp"

namespace passerelle::storage::events {

// A session of the programme, as the domain validates it.
using SessionRecord = core::events::Session;

struct QuestionRecord {
    std::int64_t id = 0;
    std::string label;
    bool required = false;
};

struct EventRecord {
    std::int64_t id = 0;
    std::string title, summary, description, place, address;
    std::int64_t starts_at = 0;
    std::int64_t ends_at = 0;
    std::string status = "draft";  // draft, published, cancelled
    std::optional<std::int64_t> registration_opens_at;
    std::optional<std::int64_t> registration_closes_at;
    std::int64_t requests_deadline = 0;
    std::optional<int> capacity_buyers;
    std::optional<int> capacity_companies;
    int max_per_org = 2;
    bool approval_required = false;
    std::optional<std::int64_t> schedule_objective;
    std::optional<std::int64_t> schedule_bound;
    std::string schedule_method;
    std::optional<std::int64_t> schedule_run_at;
    std::optional<std::int64_t> schedule_published_at;
    std::optional<std::int64_t> created_by;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::vector<SessionRecord> sessions;  // by start
    std::vector<QuestionRecord> questions;
};

Result<std::int64_t> insert_event(Connection& c, const EventRecord& e, std::int64_t now);
// Fields, sessions and questions (registrations keep their answers with the question's words).
Status update_event(Connection& c, const EventRecord& e, std::int64_t now);
Status set_event_status(Connection& c, std::int64_t id, const std::string& status, std::int64_t now);
Result<std::optional<EventRecord>> find_event(Connection& c, std::int64_t id);
// Published events (drafts too with `include_drafts`) not yet over, soonest first, or past ones (most recent
// first) with `past`. Without their programme (lists show the summary; find_event reads it).
Result<std::vector<EventRecord>> list_events(Connection& c, bool include_drafts, bool past, std::int64_t now,
                                             int limit);
Status set_schedule_run(Connection& c, std::int64_t id, std::int64_t objective, std::int64_t bound,
                        const std::string& method, std::int64_t now);
Status set_schedule_published(Connection& c, std::int64_t id, std::int64_t now);
// Published events starting within `horizon` seconds whose reminder has not gone out.
Result<std::vector<std::int64_t>> events_due_reminder(Connection& c, std::int64_t now, std::int64_t horizon);
// Marks the reminder sent; false when another worker did it first.
Result<bool> claim_reminder(Connection& c, std::int64_t id, std::int64_t now);

struct RegistrationRecord {
    std::int64_t id = 0;
    std::int64_t event_id = 0;
    std::int64_t org_id = 0;
    std::int64_t user_id = 0;
    std::string role;  // buyer, company
    std::string status;
    std::string answers = "[]";  // JSON array of {"question", "answer"}
    std::string checkin_code;
    std::optional<std::int64_t> checked_in_at;
    bool no_show = false;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    // Read only.
    std::string org_name;
    std::string org_siret;
    std::string user_name;
    std::string user_email;
    std::string event_title;
    std::int64_t event_starts_at = 0;
};

Result<std::int64_t> insert_registration(Connection& c, const RegistrationRecord& r, std::int64_t now);
Result<std::optional<RegistrationRecord>> find_registration(Connection& c, std::int64_t id);
Result<std::optional<RegistrationRecord>> registration_of(Connection& c, std::int64_t event_id, std::int64_t user_id);
Result<std::optional<RegistrationRecord>> registration_by_code(Connection& c, std::int64_t event_id,
                                                               const std::string& code);
// Every registration of the event, oldest first; status "" for all.
Result<std::vector<RegistrationRecord>> registrations(Connection& c, std::int64_t event_id,
                                                      const std::string& status = "");
// The user's registrations across events, next event first.
Result<std::vector<RegistrationRecord>> registrations_of_user(Connection& c, std::int64_t user_id);
Status delete_registration(Connection& c, std::int64_t id);
Status set_registration_status(Connection& c, std::int64_t id, const std::string& status, std::int64_t now);
Status set_checked_in(Connection& c, std::int64_t id, std::optional<std::int64_t> at, bool no_show, std::int64_t now);
// Registrations of this role holding a seat (confirmed).
Result<std::int64_t> count_seats(Connection& c, std::int64_t event_id, const std::string& role);
// Active registrations (pending, confirmed, waitlisted) of people of the organisation.
Result<std::int64_t> count_org_registrations(Connection& c, std::int64_t event_id, std::int64_t org_id);
// The oldest waitlisted registration of the role.
Result<std::optional<RegistrationRecord>> first_waiting(Connection& c, std::int64_t event_id, const std::string& role);

struct ParticipantRecord {
    std::int64_t org_id = 0;
    std::string org_name;
    std::string role;  // buyer, company
    std::string unavailable_slots;
    std::optional<int> max_meetings;
    bool present = false;  // someone of the organisation checked in
};
// Organisations with a confirmed registration, with their settings (defaults when none saved).
Result<std::vector<ParticipantRecord>> participants(Connection& c, std::int64_t event_id);
Status save_participant(Connection& c, std::int64_t event_id, std::int64_t org_id, const std::string& unavailable,
                        std::optional<int> max_meetings);

struct RequestRecord {
    std::int64_t id = 0;
    std::int64_t event_id = 0;
    std::int64_t company_org_id = 0;
    std::int64_t buyer_org_id = 0;
    std::string initiated_by;  // company, buyer
    std::string message;
    std::string topic_kind;  // "", roadmap, notice
    std::optional<std::int64_t> topic_id;
    std::string status = "pending";
    bool mutual = false;
    bool priority = false;
    bool by_organiser = false;
    std::optional<std::int64_t> created_by;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> answered_at;
    // Read only.
    std::string company_name;
    std::string buyer_name;
    std::string topic_title;
};

Result<std::int64_t> insert_request(Connection& c, const RequestRecord& r, std::int64_t now);
Result<std::optional<RequestRecord>> find_request(Connection& c, std::int64_t id);
Result<std::optional<RequestRecord>> request_between(Connection& c, std::int64_t event_id, std::int64_t company,
                                                     std::int64_t buyer);
// The event's requests; with `org_id`, those where it is either side.
Result<std::vector<RequestRecord>> requests(Connection& c, std::int64_t event_id,
                                            std::optional<std::int64_t> org_id = std::nullopt);
Status answer_request(Connection& c, std::int64_t id, const std::string& status, bool mutual, std::int64_t now);
Status delete_request(Connection& c, std::int64_t id);
Status set_request_priority(Connection& c, std::int64_t id, bool priority);
// Pending requests past the deadline become expired; returns how many.
Result<std::int64_t> expire_requests(Connection& c, std::int64_t event_id, std::int64_t deadline, std::int64_t now);
// The organisation of a published roadmap item or notice ("roadmap", "notice"), if any.
Result<std::optional<std::int64_t>> topic_owner(Connection& c, const std::string& kind, std::int64_t id);
struct TopicRecord {
    std::string kind;  // roadmap, notice
    std::int64_t id = 0;
    std::int64_t org_id = 0;
    std::string title;
};
// What a meeting may be about: the published roadmap items and open notices of these buyers.
Result<std::vector<TopicRecord>> topics_of(Connection& c, const std::vector<std::int64_t>& buyer_org_ids);
// Requests still awaiting an answer from one of these organisations (before their event's deadline).
Result<std::int64_t> count_awaiting(Connection& c, const std::vector<std::int64_t>& org_ids, std::int64_t now);
// Accepted requests of the organisation (either side).
Result<std::int64_t> count_accepted(Connection& c, std::int64_t event_id, std::int64_t org_id);

struct MeetingRecord {
    std::int64_t request_id = 0;
    int slot = 0;
    int table_number = 0;
    bool pinned = false;
    std::optional<int> announced_slot;  // where the published schedule put it
    std::optional<int> announced_table;
    // Read only, from the request.
    std::int64_t company_org_id = 0;
    std::int64_t buyer_org_id = 0;
    std::string company_name;
    std::string buyer_name;
    std::string topic_kind;
    std::optional<std::int64_t> topic_id;
    std::string topic_title;
    std::string message;
    bool mutual = false;
    bool priority = false;
};
// The event's meetings by slot then table; with `org_id`, those of that organisation.
Result<std::vector<MeetingRecord>> meetings(Connection& c, std::int64_t event_id,
                                            std::optional<std::int64_t> org_id = std::nullopt);
// Replaces the schedule's meetings (pins and announced slots of meetings kept are kept).
Status replace_meetings(Connection& c, std::int64_t event_id, const std::vector<MeetingRecord>& m);
Status set_meeting_slot(Connection& c, std::int64_t request_id, int slot, int table_number);
Status set_meeting_pinned(Connection& c, std::int64_t request_id, bool pinned);
Status delete_meeting(Connection& c, std::int64_t request_id);
// Publishing: every meeting's announced slot and table become its slot and table.
Status announce_meetings(Connection& c, std::int64_t event_id);

struct FeedbackRecord {
    std::int64_t request_id = 0;
    std::int64_t org_id = 0;
    bool held = false;
    std::optional<int> usefulness;  // 1..5, when held
    bool follow_up = false;
    std::string comment;
    std::int64_t updated_at = 0;
};
Status save_feedback(Connection& c, const FeedbackRecord& f);
// The event's feedback, by meeting; with `org_id`, what that organisation said.
Result<std::vector<FeedbackRecord>> feedback(Connection& c, std::int64_t event_id,
                                             std::optional<std::int64_t> org_id = std::nullopt);

}  // namespace passerelle::storage::events
