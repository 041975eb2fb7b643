// Tender notices (consultations) and their lots: validation, the state machine, the social clause of each
// lot, amendment descriptions and the question window. Pure, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/organisation.hpp"
#include "core/result.hpp"

namespace passerelle::core {

// draft -> published -> closed -> awarded | unsuccessful; a published notice whose bid deadline has passed
// is closed for everyone even before a buyer marks it so (see effective_notice_status).
enum class NoticeStatus { kDraft, kPublished, kClosed, kAwarded, kUnsuccessful };
std::string notice_status_code(NoticeStatus s);
std::optional<NoticeStatus> parse_notice_status(const std::string& code);
std::string notice_status_label(NoticeStatus s);
bool notice_transition_allowed(NoticeStatus from, NoticeStatus to);
NoticeStatus effective_notice_status(NoticeStatus stored, std::int64_t bid_deadline, std::int64_t now);

// The social clause of a lot: none, insertion hours as an execution condition, a reservation, or an award
// criterion on insertion.
const std::vector<CodeLabel>&
lot_clause_kinds();  // none, insertion_hours, reserved_siae, reserved_ea_esat, reserved_ess, award_criterion

struct LotInput {
    std::string title;
    std::string cpv_code;
    std::string estimated_amount;
    std::vector<std::string> departements;
    std::string clause_kind;
    std::string insertion_hours;
};

struct LotData {
    int number = 1;
    std::string title;
    std::string cpv_code;  // 8 digits
    std::int64_t estimated_amount = 0;
    std::vector<std::string> departements;
    std::string clause_kind = "none";
    std::int64_t insertion_hours = 0;
    bool operator==(const LotData&) const = default;
};

struct NoticeInput {
    std::string reference;
    std::string title;
    std::string description;
    std::string procedure;
    std::string bid_deadline;       // "2027-03-15T12:00" in Paris time (HTML datetime-local)
    std::string question_deadline;  // same format; empty: 6 days before the bid deadline
    std::vector<LotInput> lots;
};

struct NoticeData {
    std::string reference;
    std::string title;
    std::string description;
    std::string procedure;
    std::int64_t bid_deadline = 0;
    std::int64_t question_deadline = 0;
    std::vector<LotData> lots;
};

// Parses "YYYY-MM-DDTHH:MM[:SS[.fff]]" as Europe/Paris local time, or, with an RFC 3339 offset ("Z",
// "+02:00", "-05:00"), as that instant. Anything else after the time is refused.
std::optional<std::int64_t> parse_paris_datetime(const std::string& s);
// The inverse, for form fields.
std::string format_paris_datetime_local(std::int64_t t);

// Checks every field, lot by lot (errors keyed "lots.N.field"). When `for_publication`, the bid deadline
// must be in the future and the question deadline before it.
Result<NoticeData> validate_notice(const NoticeInput& in, std::int64_t now, bool for_publication);

// One French sentence per change, for the amendment history (rectificatif).
std::vector<std::string> notice_changes(const NoticeData& before, const NoticeData& after);

bool questions_open(const NoticeData& n, std::int64_t now);

// The lot clause that carries out a roadmap item's clause intention ("insertion" -> "insertion_hours";
// reservations and the award criterion keep their code).
std::string lot_clause_for_intent(const std::string& clause_intent);

// Awarding a notice on the platform: for each lot its winner (SIRET and name) and the amount awarded, or
// the lot declared unsuccessful; and the notification date.
struct LotAwardInput {
    int lot_number = 0;
    std::string winner_siret;
    std::string winner_name;
    std::string amount;
    bool unsuccessful = false;
};

struct LotAward {
    int lot_number = 0;
    std::string winner_siret;  // 14 digits
    std::string winner_name;
    std::int64_t amount = 0;  // euros excluding VAT
    bool unsuccessful = false;
};

struct AwardDecision {
    std::string notified_on;  // YYYY-MM-DD
    std::vector<LotAward> lots;
};

// Every field error at once (keys "lot_N_siret", "lot_N_name", "lot_N_amount", "notified_on", "lots"):
// a valid SIRET and a name for each awarded lot, an amount, a date that is not in the future (Paris
// time), and at least one lot awarded (otherwise the notice is unsuccessful, not awarded).
Result<AwardDecision> validate_award(const std::vector<LotAwardInput>& lots, const std::string& notified_on,
                                     std::int64_t now);

}  // namespace passerelle::core
