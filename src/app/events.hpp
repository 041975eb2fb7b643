// EventService: matchmaking events (matinales) — the programme, registration with approval and a waiting
// list, meeting requests between companies and buyer organisations, the schedule of one-to-one meetings
// (src/sched), agendas (page, iCalendar, e-mail), check-in with a code and its QR image.
//
// Organisers (core::Action::kManageEvents) create and run events; people register on behalf of one of
// their organisations (its kind gives the role); an organisation takes part in meetings once one of its
// people holds a confirmed registration. Every call goes through the policy and the memberships.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/event.hpp"
#include "core/periodic.hpp"
#include "core/policy.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/event_store.hpp"
#include "storage/outbox_store.hpp"

namespace passerelle::app {

namespace ev = storage::events;

struct EventDetails {
    ev::EventRecord event;
    std::vector<core::events::Slot> slots;
    std::optional<int> tables;
    core::events::Availability window = core::events::Availability::kNotPublished;
    std::int64_t buyers_confirmed = 0;
    std::int64_t companies_confirmed = 0;
};

struct RequestView {
    ev::RequestRecord request;
    std::string effective_status;          // pending past the deadline reads "expired"
    bool incoming = false;                 // for the organisation asked about: the counterpart sent it
    core::events::RequestActions actions;  // what that organisation may do with it
};

struct Counterpart {
    ev::ParticipantRecord participant;
    bool requestable = false;  // no live request with it
};

// One organisation's side of the event's meetings.
struct MeetingSpace {
    EventDetails details;
    ev::ParticipantRecord me;
    std::vector<Counterpart> counterparts;  // the other side's participants
    std::vector<RequestView> requests;      // where the organisation is either side
    std::int64_t accepted = 0;
    bool requests_open = false;  // before the deadline
    std::vector<int> unavailable;
    std::vector<ev::TopicRecord> topics;  // of the buyers concerned (the buyer itself, or every registered buyer)
};

struct RequestMatrix {
    EventDetails details;
    std::vector<ev::ParticipantRecord> buyers, companies;
    std::vector<RequestView> requests;
    std::int64_t pending = 0, accepted = 0, declined = 0, expired = 0;
    double acceptance_rate = 0;  // accepted / answered (accepted, declined, expired)
    std::vector<std::string> companies_without_accepted;
};

struct ScheduleView {
    EventDetails details;
    std::vector<ev::MeetingRecord> meetings;
    std::int64_t accepted_requests = 0;
    std::int64_t moved_since_announced = 0;  // meetings whose slot differs from the published one
    std::int64_t companies_without_meeting = 0;
};

struct Agenda {
    EventDetails details;
    std::map<std::int64_t, ev::FeedbackRecord> feedback;  // the organisation's, by meeting
    bool feedback_open = false;                           // from the start of the event
    std::int64_t org_id = 0;
    std::string org_name;
    std::vector<ev::MeetingRecord> meetings;
    std::optional<ev::RegistrationRecord> registration;  // the viewer's, for the check-in code
    bool published = false;
};

struct EventResults {
    EventDetails details;
    std::int64_t confirmed_buyers = 0, confirmed_companies = 0, waitlisted = 0, cancelled = 0, refused = 0;
    std::int64_t present = 0, no_shows = 0;
    std::int64_t pitch_applications = 0, pitch_selected = 0;
    std::int64_t requests = 0, accepted = 0, declined = 0, expired = 0, mutual = 0;
    std::int64_t scheduled = 0, both_present = 0;
    core::events::FeedbackSummary feedback;
    // One row per scheduled meeting (header first), for the exports.
    std::vector<std::vector<std::string>> table;
};

struct LiveSlot {
    core::events::Slot slot;
    struct Item {
        ev::MeetingRecord meeting;
        bool company_present = false;
        bool buyer_present = false;
    };
    std::vector<Item> items;
};

class EventService {
  public:
    EventService(storage::Database& db, const core::Clock& clock, std::string base_url)
        : db_(db), clock_(clock), base_url_(std::move(base_url)) {}

    // ---- Events (organisers) ----
    core::Result<std::int64_t> create(const core::Actor& actor, const core::events::EventInput& in);
    core::Status update(const core::Actor& actor, std::int64_t id, const core::events::EventInput& in);
    // publish, cancel (registrants told by e-mail).
    core::Status transition(const core::Actor& actor, std::int64_t id, const std::string& action);
    static core::events::EventInput input_of(const ev::EventRecord& e);
    // A draft only for organisers.
    core::Result<EventDetails> details(const core::Actor& actor, std::int64_t id);
    core::Result<std::vector<ev::EventRecord>> upcoming(int limit);
    core::Result<std::vector<ev::EventRecord>> past(int limit);
    core::Result<std::vector<ev::EventRecord>> managed(const core::Actor& actor);

    // ---- Registration ----
    core::Result<ev::RegistrationRecord> register_for(const core::Actor& actor, std::int64_t event_id,
                                                      std::int64_t org_id, const std::vector<std::string>& answers);
    // The viewer cancels their own registration; a freed seat goes to the first person waiting.
    core::Status cancel_registration(const core::Actor& actor, std::int64_t event_id);
    // approve, refuse (organisers).
    core::Status decide_registration(const core::Actor& actor, std::int64_t registration_id,
                                     const std::string& decision);
    core::Result<std::optional<ev::RegistrationRecord>> my_registration(const core::Actor& actor,
                                                                        std::int64_t event_id);
    core::Result<std::vector<ev::RegistrationRecord>> my_registrations(const core::Actor& actor);
    // Meeting requests waiting for an answer from one of the actor's organisations.
    core::Result<std::int64_t> awaiting_answer(const core::Actor& actor);
    core::Result<std::vector<ev::RegistrationRecord>> registrants(const core::Actor& actor, std::int64_t event_id);
    // The registrants as a table (header then rows) for the CSV and XLSX exports.
    core::Result<std::vector<std::vector<std::string>>> registrants_table(const core::Actor& actor,
                                                                          std::int64_t event_id);

    // ---- Meeting requests ----
    core::Result<MeetingSpace> meeting_space(const core::Actor& actor, std::int64_t event_id, std::int64_t org_id);
    // From `org_id` (a participant the actor acts for) to `to_org_id` on the other side. When the
    // counterpart already asked for the same meeting, that request is accepted and counts as mutual.
    core::Result<std::int64_t> request_meeting(const core::Actor& actor, std::int64_t event_id, std::int64_t org_id,
                                               std::int64_t to_org_id, const std::string& message,
                                               const std::string& topic_kind, std::optional<std::int64_t> topic_id);
    // accept, decline (the counterpart); withdraw (the sender, while pending); priority, normal (the buyer).
    core::Status act_on_request(const core::Actor& actor, std::int64_t request_id, const std::string& action);
    core::Status save_availability(const core::Actor& actor, std::int64_t event_id, std::int64_t org_id,
                                   const std::vector<int>& unavailable, const std::string& cap);
    core::Result<RequestMatrix> matrix(const core::Actor& actor, std::int64_t event_id);
    // An accepted meeting added by the organiser on behalf of both participants.
    core::Result<std::int64_t> add_meeting(const core::Actor& actor, std::int64_t event_id, std::int64_t company,
                                           std::int64_t buyer);

    // ---- The schedule (organisers) ----
    // Places the accepted requests (keeping pinned meetings and, where it can, the published slots).
    core::Result<ScheduleView> run_schedule(const core::Actor& actor, std::int64_t event_id,
                                            double time_limit_seconds = 5);
    core::Result<ScheduleView> schedule(const core::Actor& actor, std::int64_t event_id);
    // Moves a meeting to a slot when nobody is busy or absent then and a table is free.
    core::Status move_meeting(const core::Actor& actor, std::int64_t request_id, int slot);
    core::Status pin_meeting(const core::Actor& actor, std::int64_t request_id, bool pinned);
    // Announces the schedule: every participant's people get their agenda by e-mail.
    core::Status publish_schedule(const core::Actor& actor, std::int64_t event_id);

    // ---- Agendas and check-in ----
    // The organisation's meetings (published schedule; organisers see the draft too).
    core::Result<Agenda> agenda(const core::Actor& actor, std::int64_t event_id, std::int64_t org_id);
    core::Result<std::string> agenda_ics(const core::Actor& actor, std::int64_t event_id, std::int64_t org_id);
    // The viewer's check-in code as a QR image (SVG); it encodes the organiser's check-in link.
    core::Result<std::string> checkin_qr(const core::Actor& actor, std::int64_t event_id);
    // Organisers: the registration with this code marked present.
    core::Result<ev::RegistrationRecord> check_in(const core::Actor& actor, std::int64_t event_id,
                                                  const std::string& code);
    // present, absent (no-show), reset.
    core::Status mark_attendance(const core::Actor& actor, std::int64_t registration_id, const std::string& mark);
    core::Result<std::vector<LiveSlot>> live(const core::Actor& actor, std::int64_t event_id);

    // ---- After the event ----
    // One side's feedback on one of its meetings (from the start of the event).
    core::Status give_feedback(const core::Actor& actor, std::int64_t request_id, std::int64_t org_id, bool held,
                               const std::string& usefulness, bool follow_up, const std::string& comment);
    core::Result<EventResults> results(const core::Actor& actor, std::int64_t event_id);

    std::string checkin_url(std::int64_t event_id, const std::string& code) const;

    // The day before: each confirmed registrant gets a reminder (time, place, check-in code, agenda). Once
    // per event; returns how many e-mails were queued.
    core::Result<int> send_reminders();
    void start_reminders(int period_ms = 15 * 60 * 1000);
    void stop_reminders() { loop_.stop(); }

  private:
    core::Status require_organiser(const core::Actor& actor) const;
    core::Result<EventDetails> load(storage::Connection& c, std::int64_t id);
    core::Result<ev::EventRecord> managed_event(const core::Actor& actor, std::int64_t id);
    // A participant the actor acts for (member of the organisation, confirmed at the event) or an organiser.
    core::Result<ev::ParticipantRecord> participant_for(storage::Connection& c, const core::Actor& actor,
                                                        std::int64_t event_id, std::int64_t org_id);
    core::Status promote_waiting(storage::Connection& c, const ev::EventRecord& e, const std::string& role);
    core::Status mail_registration(storage::Connection& c, const ev::RegistrationRecord& r, const ev::EventRecord& e);
    core::Status mail_org(storage::Connection& c, std::int64_t event_id, std::int64_t org_id,
                          const std::string& subject, const std::string& body,
                          const std::vector<storage::outbox::MailAttachment>& files = {});
    // The organisation's agenda as iCalendar: the event, then each meeting.
    std::string calendar(const EventDetails& d, std::int64_t org_id, const std::string& org_name,
                         const std::vector<ev::MeetingRecord>& meetings) const;
    core::Result<ScheduleView> schedule_view(storage::Connection& c, std::int64_t event_id);

    storage::Database& db_;
    const core::Clock& clock_;
    std::string base_url_;
    core::Periodic loop_;
};

}  // namespace passerelle::app
