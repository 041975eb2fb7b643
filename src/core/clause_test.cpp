#include "core/clause.hpp"

#include <gtest/gtest.h>

namespace passerelle::core::clauses {
namespace {

TEST(Clauses, EstimateShowsItsMethodWithHandComputedHours) {
    // 1 000 000 € of works × 40 % labour ÷ 35 €/h × 5 % = 571,43 -> 571 hours.
    auto e = estimate_hours(1'000'000, "45", default_family("45"), {});
    EXPECT_EQ(e.hours, 571);
    EXPECT_TRUE(e.candidate);
    EXPECT_NE(e.method.find("40,0 %"), std::string::npos);
    EXPECT_NE(e.method.find("571 heures"), std::string::npos);
    // Cleaning, 120 000 € with edited parameters: × 80 % ÷ 40 €/h × 10 % = 240 hours.
    auto c = estimate_hours(120'000, "90", {0.8, 90'000}, {40, 0.10});
    EXPECT_EQ(c.hours, 240);
    EXPECT_TRUE(c.candidate);
    // Below the threshold, or an unusual family: not a usual candidate, still an estimate.
    EXPECT_FALSE(estimate_hours(50'000, "90", default_family("90"), {}).candidate);
    auto it = estimate_hours(500'000, "72", default_family("72"), {});
    EXPECT_FALSE(it.candidate);
    EXPECT_EQ(it.hours, 214);  // 500 000 × 30 % ÷ 35 × 5 %
}

TEST(Clauses, ParametersAcceptDecimalCommaAndRefuseNonsense) {
    auto g = parse_global("32,50", "7");
    ASSERT_TRUE(g.ok());
    EXPECT_DOUBLE_EQ(g->hourly_cost, 32.5);
    EXPECT_DOUBLE_EQ(g->insertion_rate, 0.07);
    EXPECT_FALSE(parse_global("0", "7").ok());
    EXPECT_FALSE(parse_global("35", "150").ok());
    EXPECT_FALSE(parse_family("abc", "").ok());
    EXPECT_EQ(parse_family("60", "90000")->candidate_from, 90000);
}

TEST(Clauses, ClauseNeedsHoursAndAPeriodOnlyForInsertionHours) {
    EXPECT_TRUE(validate_clause({"reserved_siae", "", "", "", "93", ""}).ok());
    auto bad = validate_clause({"insertion_hours", "-3", "2026-01-01", "2025-01-01", "93", ""});
    ASSERT_FALSE(bad.ok());
    EXPECT_TRUE(bad.error().fields.count("hours_required"));
    EXPECT_TRUE(bad.error().fields.count("period_end"));
    EXPECT_FALSE(validate_clause({"nimporte", "", "", "", "", ""}).ok());
    auto ok = validate_clause({"insertion_hours", "1200", "2026-01-01", "2026-12-31", "93", ""});
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->hours_required, 1200);
}

DeclarationInput declaration(const std::string& hours, const std::string& participants) {
    DeclarationInput in;
    in.period_start = "2026-03-01";
    in.period_end = "2026-03-31";
    in.hours = hours;
    in.employer_name = "Chantier Solidaire (EI)";
    in.participants = participants;
    in.categories = {{"under_26", "2"}, {"rsa_recipients", "1"}};
    in.women = "1";
    in.men = "2";
    return in;
}

TEST(Clauses, DeclarationRefusesAbsurdHoursAndCounts) {
    auto ok = validate_declaration(declaration("420,5", "3"), "2026-04-02");
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    EXPECT_DOUBLE_EQ(ok->hours, 420.5);
    EXPECT_EQ(ok->categories.at("under_26"), 2);
    EXPECT_EQ(ok->categories.at("disabled"), 0);
    // 3 people × 31 days × 24 h = 2 232 h at most.
    EXPECT_TRUE(validate_declaration(declaration("2232", "3"), "2026-04-02").ok());
    EXPECT_TRUE(validate_declaration(declaration("2233", "3"), "2026-04-02").error().fields.count("hours"));
    EXPECT_TRUE(validate_declaration(declaration("-5", "3"), "2026-04-02").error().fields.count("hours"));
    EXPECT_TRUE(validate_declaration(declaration("10", "0"), "2026-04-02").error().fields.count("participants"));
    auto too_many = declaration("10", "1");  // 2 under 26 out of 1 participant
    EXPECT_TRUE(validate_declaration(too_many, "2026-04-02").error().fields.count("under_26"));
    EXPECT_TRUE(validate_declaration(too_many, "2026-04-02").error().fields.count("women"));
    // Hours not yet worked cannot be declared.
    EXPECT_TRUE(validate_declaration(declaration("10", "3"), "2026-03-15").error().fields.count("period_end"));
}

TEST(Clauses, LatenessAgainstTheTimeElapsed) {
    // A 100-day period (2026-01-01 .. 2026-04-10), 1 000 hours required.
    // Day 40: 40 % elapsed; 350 accepted (35 %) is within 10 points, 290 (29 %) is late.
    auto fine = progress(1000, 350, "2026-01-01", "2026-04-10", "2026-02-09");
    EXPECT_DOUBLE_EQ(fine.elapsed, 0.40);
    EXPECT_DOUBLE_EQ(fine.expected_hours, 400);
    EXPECT_FALSE(fine.late);
    EXPECT_TRUE(progress(1000, 290, "2026-01-01", "2026-04-10", "2026-02-09").late);
    // The first tenth of the period: never late yet. Before the start: nothing expected.
    EXPECT_FALSE(progress(1000, 0, "2026-01-01", "2026-04-10", "2026-01-05").late);
    EXPECT_DOUBLE_EQ(progress(1000, 0, "2026-01-01", "2026-04-10", "2025-12-01").expected_hours, 0);
    // After the end: finished, late when short.
    auto over = progress(1000, 800, "2026-01-01", "2026-04-10", "2026-06-01");
    EXPECT_TRUE(over.finished);
    EXPECT_TRUE(over.late);
    EXPECT_FALSE(progress(1000, 950, "2026-01-01", "2026-04-10", "2026-06-01").late);
}

TEST(Clauses, ReportAddsUpLinesAndCountsFte) {
    ReportLine a{"Voirie", "BTP Nord", 2000, 1607, 5, {{"under_26", 2}}, 1, 4};
    ReportLine b{"Propreté", "Net 93", 1000, 1607, 3, {{"under_26", 1}, {"over_50", 1}}, 2, 1};
    auto r = summarise({a, b});
    EXPECT_EQ(r.required, 3000);
    EXPECT_DOUBLE_EQ(r.delivered, 3214);
    EXPECT_DOUBLE_EQ(r.fte, 2.0);
    EXPECT_EQ(r.participants, 8);
    EXPECT_EQ(r.categories.at("under_26"), 3);
    EXPECT_EQ(r.categories.at("over_50"), 1);
    EXPECT_EQ(r.women, 3);
    EXPECT_EQ(r.lines.size(), 2u);
}

TEST(Clauses, DeclarationErrorsComeInTheOrderOfTheForm) {
    // Every field wrong at once: the summary lists them as the form shows them, whatever order they were checked.
    auto bad = validate_declaration({"", "", "abc", "", "0", {}, "", ""}, "2026-06-30");
    ASSERT_FALSE(bad.ok());
    std::vector<std::string> order;
    for (const auto& [field, message] : bad.error().fields) order.push_back(field);
    EXPECT_EQ(order,
              (std::vector<std::string>{"period_start", "period_end", "hours", "employer_name", "participants"}));
}

}  // namespace
}  // namespace passerelle::core::clauses
