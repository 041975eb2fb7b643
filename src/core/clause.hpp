// Social clauses (clauses sociales d'insertion): the kinds a contract may carry, what a facilitator records,
// the hours estimate shown to a buyer writing a notice, what a contractor declares (counts only, never
// names), the lateness rule, and the yearly report per buyer. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/organisation.hpp"
#include "core/result.hpp"

namespace passerelle::core::clauses {

// insertion_hours, reserved_siae, reserved_ea_esat, reserved_ess, award_criterion
const std::vector<CodeLabel>& clause_kinds();

struct ClauseInput {
    std::string kind;
    std::string hours_required;  // insertion_hours only
    std::string period_start;    // ISO days; insertion_hours only
    std::string period_end;
    std::string departement;  // territory; checked against the reference data by the caller
    std::string notes;
};
struct Clause {
    std::string kind;
    std::int64_t hours_required = 0;
    std::string period_start, period_end;
    std::string departement;
    std::string notes;
};
Result<Clause> validate_clause(const ClauseInput& in);

// The estimate of insertion hours for a purchase:
//   hours = amount × labour share of the CPV family ÷ hourly labour cost × insertion rate.
struct FamilyParameters {
    double labour_share = 0.3;        // of the amount that pays for work
    std::int64_t candidate_from = 0;  // amount from which the family is a usual candidate; 0: not usual
};
struct GlobalParameters {
    double hourly_cost = 35;       // euros per hour of work, all costs included
    double insertion_rate = 0.05;  // share of the hours of work set aside for insertion
};
// The defaults for the usual families (works, cleaning, green spaces, catering, transport, maintenance,
// services to businesses…), and a low labour share elsewhere.
FamilyParameters default_family(const std::string& division);
std::vector<std::string> usual_divisions();

struct Estimate {
    std::int64_t hours = 0;
    bool candidate = false;  // a usual candidate for a clause (family and amount)
    std::string method;      // the computation with its figures, in French
    std::string reason;      // why it is (or is not) a usual candidate
};
Estimate estimate_hours(std::int64_t amount, const std::string& division, const FamilyParameters& family,
                        const GlobalParameters& global);

// Parameters as typed by a facilitator (decimal comma accepted; percentages for shares and rates).
Result<GlobalParameters> parse_global(const std::string& hourly_cost, const std::string& insertion_rate_percent);
Result<FamilyParameters> parse_family(const std::string& labour_share_percent, const std::string& candidate_from);

// Who may declare hours, as people are told when they may not.
inline constexpr const char* kOnlyPartiesDeclare =
    "Seuls le titulaire du marché, ses sous-traitants désignés et le facilitateur déclarent des heures.";

// What a contractor declares for a period: hours, the employer, counts of participants by category.
struct DeclarationInput {
    std::string period_start, period_end;  // ISO days
    std::string hours;                     // decimal comma accepted
    std::string employer_name;
    std::string participants;
    std::map<std::string, std::string> categories;  // category code -> count as typed
    std::string women, men;
};
// long_term_jobseekers, under_26, rsa_recipients, disabled, over_50, priority_neighbourhoods
const std::vector<CodeLabel>& participant_categories();

struct Declaration {
    std::string period_start, period_end;
    double hours = 0;
    std::string employer_name;
    int participants = 0;
    std::map<std::string, int> categories;
    int women = 0, men = 0;
};
// Refuses (French, per field): a period that ends before it starts or after `today`, hours that are not a
// positive number or more than 24 per day per participant over the period, a category or the genders
// counting more people than the participants.
Result<Declaration> validate_declaration(const DeclarationInput& in, const std::string& today);

// Where a clause stands: hours accepted against the time elapsed of its period.
struct Progress {
    double elapsed = 0;    // 0..1 of the period gone by
    double delivered = 0;  // accepted hours / required (may exceed 1)
    double expected_hours = 0;
    bool late = false;
    bool finished = false;  // the period is over
};
// Late when at least a tenth of the period has gone by and the accepted hours are more than 10 points
// behind the time elapsed (e.g. 40 % of the period gone, less than 30 % of the hours accepted).
inline constexpr double kLatenessTolerance = 0.10;
Progress progress(std::int64_t hours_required, double accepted_hours, const std::string& period_start,
                  const std::string& period_end, const std::string& today);

// The yearly report of a buyer: what its clauses required and what was delivered, by participant category.
struct ReportLine {
    std::string contract;  // object or reference
    std::string holder;
    std::int64_t required = 0;
    double delivered = 0;
    int participants = 0;
    std::map<std::string, int> categories;
    int women = 0, men = 0;
};
struct Report {
    std::vector<ReportLine> lines;
    std::int64_t required = 0;
    double delivered = 0;
    int participants = 0;
    std::map<std::string, int> categories;
    int women = 0, men = 0;
    double fte = 0;  // delivered / 1 607
};
Report summarise(std::vector<ReportLine> lines);

}  // namespace passerelle::core::clauses
