// Procurement vocabulary and the rules of roadmap items (projets d'achat, on a buyer's feuille de route
// achats): procedures, social-clause intentions, quarters, amounts, the item's state machine and the
// change history shown to the public. Pure, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/organisation.hpp"
#include "core/result.hpp"

namespace passerelle::core {

const std::vector<CodeLabel>& procedures();  // ao_ouvert, ao_restreint, mapa, negociee, dialogue, concours
const std::vector<CodeLabel>&
clause_intents();  // none, insertion, reserved_siae, reserved_ea_esat, reserved_ess, award_criterion

// Roadmap item states: draft -> published -> converted (to a notice) | abandoned; a draft may be abandoned.
enum class RoadmapStatus { kDraft, kPublished, kConverted, kAbandoned };
std::string roadmap_status_code(RoadmapStatus s);
std::optional<RoadmapStatus> parse_roadmap_status(const std::string& code);
std::string roadmap_status_label(RoadmapStatus s);
bool roadmap_transition_allowed(RoadmapStatus from, RoadmapStatus to);

// A calendar quarter, written "2027-T2" (T for trimestre; "2027-Q2" is accepted too).
struct Quarter {
    int year = 0;
    int q = 1;  // 1..4
    int index() const { return year * 4 + (q - 1); }
    std::string code() const;   // "2027-T2"
    std::string label() const;  // "2e trimestre 2027"
    bool operator==(const Quarter&) const = default;
};
std::optional<Quarter> parse_quarter(const std::string& s);
Quarter quarter_of(std::int64_t epoch_seconds);  // in Paris time

// Whole euros from what people type: "1 250 000", "1250000 €", "1.250.000"; nullopt when not a number.
std::optional<std::int64_t> parse_euros(const std::string& s);

struct RoadmapItemInput {
    std::string title;
    std::string description;
    std::vector<std::string> cpv_codes;
    std::string amount_min;
    std::string amount_max;
    std::string quarter;
    std::string procedure;
    std::vector<std::string> departements;
    std::string lots;  // intended lots, free text
    std::string clause_intent;
    bool innovation = false;
    std::string contact_name;
    std::string contact_email;
};

struct RoadmapItemData {
    std::string title;
    std::string description;
    std::vector<std::string> cpv_codes;  // 8 digits, sorted
    std::int64_t amount_min = 0;
    std::int64_t amount_max = 0;
    Quarter quarter;
    std::string procedure;
    std::vector<std::string> departements;  // sorted
    std::string lots;
    std::string clause_intent = "none";
    bool innovation = false;
    std::string contact_name;
    std::string contact_email;
};

// Checks every field; the expected quarter must lie between the current quarter and 18 months ahead.
Result<RoadmapItemData> validate_roadmap_item(const RoadmapItemInput& in, std::int64_t now);

// What changed between two versions, one French sentence per field, for the public history.
std::vector<std::string> roadmap_changes(const RoadmapItemData& before, const RoadmapItemData& after);

// "100 000 € à 250 000 €", "jusqu'à 90 000 €".
std::string amount_range_label(std::int64_t min, std::int64_t max);

}  // namespace passerelle::core
