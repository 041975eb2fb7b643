#include "core/observatory.hpp"

#include <gtest/gtest.h>

namespace passerelle::core::observatory {
namespace {

// Four groups of contracts, computed by hand:
//   PME + SIAE + ESS: 2 contracts, 100 000 €      TPE + innovative: 1 contract, 50 000 €
//   GE:               3 contracts, 800 000 €      unknown size, EA: 4 contracts, 50 000 €
// Total: 10 contracts, 1 000 000 €.
std::vector<ProfileRow> sample() {
    return {{"PME", true, false, true, false, {2, 100000}},
            {"TPE", false, false, false, true, {1, 50000}},
            {"GE", false, false, false, true, {3, 800000}},  // innovative but not an SME: not counted
            {"", false, true, false, false, {4, 50000}}};
}

TEST(Observatory, SizeSharesCoverEveryContractOnce) {
    auto s = size_shares(sample());
    ASSERT_EQ(s.size(), 5u);
    EXPECT_EQ(s[0].label, "TPE");
    EXPECT_EQ(s[0].totals.count, 1);
    EXPECT_DOUBLE_EQ(s[0].count_percent, 10.0);
    EXPECT_DOUBLE_EQ(s[0].amount_percent, 5.0);
    EXPECT_DOUBLE_EQ(s[1].amount_percent, 10.0);  // PME
    EXPECT_DOUBLE_EQ(s[3].amount_percent, 80.0);  // GE
    EXPECT_EQ(s[4].label, "Taille inconnue");
    EXPECT_DOUBLE_EQ(s[4].count_percent, 40.0);
    double total = 0;
    for (const auto& l : s) total += l.count_percent;
    EXPECT_DOUBLE_EQ(total, 100.0);
}

TEST(Observatory, SocialEconomyPrecedenceSiaeThenEaThenEss) {
    auto s = social_economy_shares(sample());
    ASSERT_EQ(s.size(), 4u);
    EXPECT_EQ(s[0].totals.count, 2);  // the SIAE that is also ESS counts once, as SIAE
    EXPECT_DOUBLE_EQ(s[0].amount_percent, 10.0);
    EXPECT_EQ(s[1].totals.count, 4);  // EA / ESAT
    EXPECT_EQ(s[2].totals.count, 0);  // no other ESS
    EXPECT_EQ(s[3].totals.count, 4);
    EXPECT_DOUBLE_EQ(s[3].amount_percent, 85.0);
}

TEST(Observatory, InnovativeSmesAgainstTheTwoPercentObjective) {
    auto i = innovation_share(sample());
    EXPECT_EQ(i.innovative_smes.count, 1);
    EXPECT_DOUBLE_EQ(i.amount_percent, 5.0);
    EXPECT_TRUE(i.reached);
    auto none = innovation_share({{"GE", false, false, false, false, {1, 1000}}});
    EXPECT_FALSE(none.reached);
    EXPECT_FALSE(innovation_share({}).reached);  // no contract: no claim
}

TEST(Observatory, ClauseSharesLeastCoveredFirstSmallSamplesLast) {
    auto rows = clause_shares({{"45", "Travaux", 100, 30, 0},
                               {"79", "Services aux entreprises", 50, 1, 0},
                               {"90", "Nettoyage", 20, 10, 0},
                               {"72", "Informatique", 3, 0, 0}},
                              10);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0].division, "79");
    EXPECT_DOUBLE_EQ(rows[0].percent, 2.0);
    EXPECT_EQ(rows[1].division, "45");
    EXPECT_EQ(rows[2].division, "90");
    EXPECT_EQ(rows[3].division, "72");  // 3 contracts only
    EXPECT_DOUBLE_EQ(percent(1, 0), 0.0);
    EXPECT_DOUBLE_EQ(fte(3214), 2.0);
}

}  // namespace
}  // namespace passerelle::core::observatory
