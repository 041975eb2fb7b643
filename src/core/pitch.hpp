// The call for pitches of a matchmaking event, with no I/O: the application form, the jury's weighted grid
// (criteria with weights, scores 0 to 5), and the ranking of applications by their jurors' scores.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace passerelle::core::pitches {

constexpr int kMaxScore = 5;

struct ApplicationInput {
    std::string summary;     // what the company proposes
    std::string innovation;  // what is innovative
    std::string references;  // where it was done before
};
// Trimmed and checked (errors keyed by field).
Result<ApplicationInput> validate_application(const ApplicationInput& in);

struct CriterionInput {
    std::string label;   // empty row: ignored
    std::string weight;  // 1 to 10
};
struct Criterion {
    std::int64_t id = 0;
    std::string label;
    int weight = 1;
};
// At least one criterion; errors keyed "criteria.N.label" / "criteria.N.weight".
Result<std::vector<Criterion>> validate_criteria(const std::vector<CriterionInput>& in);

struct CallInput {
    std::string places;  // pitches to select, 1 to 50
    std::string closes;  // applications until ("YYYY-MM-DDTHH:MM", Paris)
    bool blind = false;  // jurors do not see the companies' names
};
struct Call {
    int places = 8;
    std::int64_t closes_at = 0;
    bool blind = false;
};
// The call closes before the event starts.
Result<Call> validate_call(const CallInput& in, std::int64_t event_starts_at);

// One juror's review of one application: a score per criterion, or an abstention (conflict of interest).
struct Review {
    std::int64_t juror = 0;
    bool abstained = false;
    std::map<std::int64_t, int> scores;  // criterion id -> 0..5
};
// Scores from a form ("criterion id" -> text); every criterion must have a score 0..5.
Result<std::map<std::int64_t, int>> parse_scores(const std::vector<Criterion>& criteria,
                                                 const std::map<std::int64_t, std::string>& raw);

struct Ranked {
    std::int64_t application = 0;
    double score = 0;  // out of 20: the mean over complete reviews of the weighted mean score, × 4
    int reviews = 0;   // complete reviews counted
    int abstentions = 0;
};
// Best first; applications without any complete review last; ties keep the order of application.
std::vector<Ranked> rank(const std::vector<Criterion>& criteria, const std::vector<std::int64_t>& applications,
                         const std::map<std::int64_t, std::vector<Review>>& reviews);

}  // namespace passerelle::core::pitches
