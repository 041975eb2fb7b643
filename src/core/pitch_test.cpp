#include "core/pitch.hpp"

#include <gtest/gtest.h>

#include "core/french.hpp"

namespace passerelle::core::pitches {
namespace {

TEST(Pitch, ApplicationAndGridAreChecked) {
    EXPECT_TRUE(validate_application({"Robot de tri", "Vision par ordinateur", ""}).ok());
    auto bad = validate_application({"  ", "x", std::string(2001, 'r')});
    ASSERT_FALSE(bad.ok());
    EXPECT_TRUE(bad.error().fields.count("summary"));
    EXPECT_TRUE(bad.error().fields.count("references"));

    auto grid = validate_criteria({{"Innovation", "3"}, {"", ""}, {"Impact local", ""}});
    ASSERT_TRUE(grid.ok());
    ASSERT_EQ(grid->size(), 2u);
    EXPECT_EQ(grid->at(1).weight, 1);  // default weight
    EXPECT_TRUE(validate_criteria({{"Innovation", "11"}}).error().fields.count("criteria.1.weight"));
    EXPECT_FALSE(validate_criteria({{"", ""}}).ok());

    const auto starts = from_utc(2027, 2, 4, 7, 30);
    EXPECT_TRUE(validate_call({"8", "2027-01-20T18:00", true}, starts).ok());
    EXPECT_TRUE(validate_call({"0", "2027-01-20T18:00", false}, starts).error().fields.count("places"));
    EXPECT_TRUE(validate_call({"8", "2027-02-05T18:00", false}, starts).error().fields.count("closes"));
}

TEST(Pitch, ScoresFromTheForm) {
    std::vector<Criterion> grid = {{1, "Innovation", 3}, {2, "Impact", 1}};
    EXPECT_EQ(parse_scores(grid, {{1, "4"}, {2, "0"}}).value().at(1), 4);
    EXPECT_FALSE(parse_scores(grid, {{1, "6"}, {2, "0"}}).ok());
    EXPECT_FALSE(parse_scores(grid, {{1, "4"}}).ok());  // a criterion left out
}

TEST(Pitch, RankingByWeightedMeanOutOfTwenty) {
    std::vector<Criterion> grid = {{1, "Innovation", 3}, {2, "Impact", 1}};
    std::map<std::int64_t, std::vector<Review>> reviews;
    // A: (3·5 + 1·1) / 20 × 20 = 16 from one juror, the other abstains.
    reviews[10] = {{100, false, {{1, 5}, {2, 1}}}, {101, true, {}}};
    // B: jurors give 20 and 10: mean 15.
    reviews[11] = {{100, false, {{1, 5}, {2, 5}}}, {101, false, {{1, 2}, {2, 4}}}};
    // C: not reviewed; D: an incomplete review is not counted.
    reviews[13] = {{100, false, {{1, 5}}}};
    auto r = rank(grid, {10, 11, 12, 13}, reviews);
    ASSERT_EQ(r.size(), 4u);
    EXPECT_EQ(r[0].application, 10);
    EXPECT_DOUBLE_EQ(r[0].score, 16.0);
    EXPECT_EQ(r[0].abstentions, 1);
    EXPECT_EQ(r[1].application, 11);
    EXPECT_DOUBLE_EQ(r[1].score, 15.0);
    EXPECT_EQ(r[2].application, 12);  // unreviewed ones keep their order
    EXPECT_EQ(r[3].reviews, 0);
}

}  // namespace
}  // namespace passerelle::core::pitches
