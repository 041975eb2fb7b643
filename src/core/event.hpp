// Matchmaking events (matinales): the rules with no I/O.
//
// An event has a programme of sessions (plenary, pitch session, networking session cut into slots of a
// given length with a number of tables), registration windows and capacities per role, and a deadline for
// meeting requests. Registrations are pending (awaiting the organiser), confirmed, on the waiting list,
// cancelled or refused; a freed seat goes to the oldest person waiting. A meeting request joins a company
// and a buyer organisation registered at the event; it is pending until the counterpart answers before the
// deadline (then expired), accepted or declined. The meetings of accepted requests are placed by the
// scheduler (src/sched); this file decides their weights, the slots, and the tables.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace passerelle::core::events {

// ---- The event and its programme -------------------------------------------------------------------

struct SessionInput {
    std::string kind;  // plenary, pitch, networking; empty row: ignored
    std::string title;
    std::string starts;  // "HH:MM", on the event's day
    std::string ends;
    std::string slot_minutes;  // networking sessions
    std::string tables;        // networking sessions
};

struct QuestionInput {
    std::string label;  // empty: ignored
    bool required = false;
};

struct EventInput {
    std::string title;
    std::string summary;
    std::string description;
    std::string place;
    std::string address;
    std::string day;     // "YYYY-MM-DD"
    std::string starts;  // "HH:MM"
    std::string ends;
    std::string registration_opens;   // "YYYY-MM-DDTHH:MM", Paris; empty: open once published
    std::string registration_closes;  // empty: until the event starts
    std::string requests_deadline;    // meeting requests answered before; empty: the day before at 18:00
    std::string capacity_buyers;      // people; empty: no limit
    std::string capacity_companies;
    std::string max_per_org;  // people per organisation; empty: 2
    bool approval_required = false;
    std::vector<SessionInput> sessions;
    std::vector<QuestionInput> questions;
};

struct Session {
    std::string kind;
    std::string title;
    std::int64_t starts_at = 0;
    std::int64_t ends_at = 0;
    std::optional<int> slot_minutes;
    std::optional<int> tables;
};

struct Question {
    std::string label;
    bool required = false;
};

struct EventData {
    std::string title, summary, description, place, address;
    std::int64_t starts_at = 0;
    std::int64_t ends_at = 0;
    std::optional<std::int64_t> registration_opens_at;
    std::optional<std::int64_t> registration_closes_at;
    std::int64_t requests_deadline = 0;
    std::optional<int> capacity_buyers;
    std::optional<int> capacity_companies;
    int max_per_org = 2;
    bool approval_required = false;
    std::vector<Session> sessions;  // by start time
    std::vector<Question> questions;
};

// Every field checked (errors keyed by field, "sessions.N.field", "questions.N.label"). Sessions follow each
// other, except a pitch session held during the meetings (parallel tracks).
Result<EventData> validate_event(const EventInput& in);

std::string session_kind_label(const std::string& kind);  // « Pitchs », « Rendez-vous d'affaires »…
bool is_session_kind(const std::string& kind);

// ---- Slots and tables -------------------------------------------------------------------------------

struct Slot {
    int number = 0;  // 0-based, across the networking sessions in time order
    std::int64_t starts_at = 0;
    std::int64_t ends_at = 0;
};
std::vector<Slot> slots_of(const std::vector<Session>& sessions);
// The tables available in every slot: the smallest number of the networking sessions (none: no limit).
std::optional<int> tables_of(const std::vector<Session>& sessions);
// The slots that overlap a pitch session: pitching companies are not available then.
std::vector<int> slots_during_pitches(const std::vector<Session>& sessions);

// "1,4,5" <-> {1,4,5}: slots in range, sorted, unique.
std::vector<int> parse_slot_list(const std::string& s, int num_slots);
std::string format_slot_list(const std::vector<int>& slots);

// Table numbers (1-based) for the meetings of a schedule. A buyer keeps one table all morning when there
// are enough tables for every buyer (companies come to them); otherwise tables are handed out per slot.
struct PlacedMeeting {
    std::int64_t request_id = 0;
    std::int64_t buyer_org_id = 0;
    int slot = 0;
};
// Returns the table of each meeting, in the order given.
std::vector<int> assign_tables(const std::vector<PlacedMeeting>& meetings, std::optional<int> tables);

// ---- Registration -----------------------------------------------------------------------------------

enum class Availability { kOpen, kNotYetOpen, kClosed, kNotPublished };
Availability registration_window(const std::string& event_status, std::optional<std::int64_t> opens_at,
                                 std::optional<std::int64_t> closes_at, std::int64_t starts_at, std::int64_t now);
std::string registration_window_message(Availability a, std::optional<std::int64_t> opens_at);

// What a new registration becomes: pending when the organiser approves, else confirmed when a seat is
// free, else on the waiting list.
std::string initial_registration_status(bool approval_required, bool seat_free);
std::string registration_status_label(const std::string& status);
std::string role_label(const std::string& role);  // buyer → « Acheteur public »…

// ---- Meeting requests -------------------------------------------------------------------------------

// pending past the deadline reads as expired.
std::string effective_request_status(const std::string& status, std::int64_t deadline, std::int64_t now);
std::string request_status_label(const std::string& status);
// What one side may do with a request: the counterpart answers a pending one; the sender withdraws it while
// pending; either side cancels an accepted meeting; the buyer marks a live request priority. Nothing changes
// once the event has started, except priority.
struct RequestActions {
    bool answer = false;
    bool withdraw = false;
    bool cancel = false;
    bool prioritise = false;
};
RequestActions request_actions(const std::string& effective_status, bool incoming, bool buyer_side, bool event_started);
// A new request to the same counterpart is possible when none is live (none yet, or withdrawn).
inline bool may_request_again(const std::string& effective_status) { return effective_status == "withdrawn"; }
// A meeting both sides asked for, or one the buyer marked as priority, weighs more.
int meeting_weight(bool mutual, bool priority);
// A message is short: at most this many characters.
constexpr std::size_t kMaxRequestMessage = 1000;
// Caps: 1 to the number of slots.
Result<std::optional<int>> parse_cap(const std::string& s, int num_slots);

// ---- After the event ---------------------------------------------------------------------------------

// One side's feedback on a meeting.
struct SideFeedback {
    std::int64_t meeting = 0;
    bool held = false;
    std::optional<int> usefulness;  // 1..5
    bool follow_up = false;
};
struct FeedbackSummary {
    int meetings = 0;                 // meetings with some feedback
    int held = 0;                     // at least one side says it took place
    int not_held = 0;                 // every side that answered says it did not
    int follow_ups = 0;               // meetings where a side plans a follow-up
    std::array<int, 5> usefulness{};  // ratings 1..5, each side counted
    int ratings = 0;
    double usefulness_mean = 0;
};
FeedbackSummary summarise_feedback(const std::vector<SideFeedback>& sides);
// The usefulness from a form: "" (none), or 1..5 when the meeting was held.
Result<std::optional<int>> parse_usefulness(const std::string& s, bool held);

}  // namespace passerelle::core::events
