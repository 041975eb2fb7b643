#include "core/procurement.hpp"

#include <gtest/gtest.h>

#include "core/french.hpp"

using namespace passerelle::core;

namespace {
const std::int64_t kNow = from_utc(2026, 11, 28, 10, 0);  // Q4 2026

RoadmapItemInput valid() {
    RoadmapItemInput in;
    in.title = " Nettoyage des collèges ";
    in.cpv_codes = {"90910000-9", "90911200"};
    in.amount_min = "100 000";
    in.amount_max = "250\u202f000 €";
    in.quarter = "2027-T2";
    in.procedure = "ao_ouvert";
    in.departements = {"93", "93", "75"};
    in.clause_intent = "insertion";
    in.contact_email = "Achats@Exemple.fr";
    return in;
}
}  // namespace

TEST(Roadmap, ValidItemIsNormalised) {
    auto r = validate_roadmap_item(valid(), kNow);
    ASSERT_TRUE(r.ok()) << r.error().fields.begin()->second;
    EXPECT_EQ(r->title, "Nettoyage des collèges");
    EXPECT_EQ(r->cpv_codes, (std::vector<std::string>{"90910000", "90911200"}));
    EXPECT_EQ(r->amount_min, 100000);
    EXPECT_EQ(r->amount_max, 250000);
    EXPECT_EQ(r->quarter.code(), "2027-T2");
    EXPECT_EQ(r->departements, (std::vector<std::string>{"75", "93"}));
    EXPECT_EQ(r->contact_email, "achats@exemple.fr");
}

TEST(Roadmap, QuarterWindowIsCurrentToEighteenMonths) {
    auto in = valid();
    in.quarter = "2026-T3";  // past
    auto r = validate_roadmap_item(in, kNow);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().fields.at("quarter").find("4e trimestre 2026"), std::string::npos);
    in.quarter = "2026-T4";
    EXPECT_TRUE(validate_roadmap_item(in, kNow).ok());
    in.quarter = "2028-Q2";  // about 18 months ahead
    EXPECT_TRUE(validate_roadmap_item(in, kNow).ok());
    in.quarter = "2028-T3";
    EXPECT_FALSE(validate_roadmap_item(in, kNow).ok());
    in.quarter = "2027-T5";
    EXPECT_FALSE(validate_roadmap_item(in, kNow).ok());
}

TEST(Roadmap, EveryFieldErrorAtOnce) {
    RoadmapItemInput in;
    in.amount_min = "300 000";
    in.amount_max = "beaucoup";
    in.departements = {"999"};
    in.clause_intent = "autre";
    in.contact_email = "pas une adresse";
    auto r = validate_roadmap_item(in, kNow);
    ASSERT_FALSE(r.ok());
    for (const char* k :
         {"title", "cpv_codes", "amount_max", "quarter", "procedure", "departements", "clause_intent", "contact_email"})
        EXPECT_TRUE(r.error().fields.count(k)) << k;
    in = valid();
    in.amount_min = "300 000";
    r = validate_roadmap_item(in, kNow);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().fields.at("amount_min").find("ne peut pas dépasser"), std::string::npos);
}

TEST(Roadmap, StateMachine) {
    using S = RoadmapStatus;
    EXPECT_TRUE(roadmap_transition_allowed(S::kDraft, S::kPublished));
    EXPECT_TRUE(roadmap_transition_allowed(S::kDraft, S::kAbandoned));
    EXPECT_TRUE(roadmap_transition_allowed(S::kPublished, S::kConverted));
    EXPECT_TRUE(roadmap_transition_allowed(S::kPublished, S::kAbandoned));
    EXPECT_FALSE(roadmap_transition_allowed(S::kDraft, S::kConverted));
    EXPECT_FALSE(roadmap_transition_allowed(S::kAbandoned, S::kPublished));
    EXPECT_FALSE(roadmap_transition_allowed(S::kConverted, S::kPublished));
    EXPECT_FALSE(roadmap_transition_allowed(S::kPublished, S::kDraft));
    for (auto s : {S::kDraft, S::kPublished, S::kConverted, S::kAbandoned})
        EXPECT_EQ(parse_roadmap_status(roadmap_status_code(s)), s);
}

TEST(Roadmap, ChangesAreDescribedInFrench) {
    auto a = validate_roadmap_item(valid(), kNow).value();
    auto b = a;
    b.amount_max = 300000;
    b.quarter = Quarter{2027, 3};
    b.clause_intent = "reserved_siae";
    auto changes = roadmap_changes(a, b);
    ASSERT_EQ(changes.size(), 3u);
    EXPECT_EQ(changes[0],
              "Montant estimé : 100\u202f000\u202f€ à 250\u202f000\u202f€ → 100\u202f000\u202f€ à 300\u202f000\u202f€");
    EXPECT_EQ(changes[1], "Publication prévue : 2e trimestre 2027 → 3e trimestre 2027");
    EXPECT_NE(changes[2].find("Marché réservé aux SIAE"), std::string::npos);
    EXPECT_TRUE(roadmap_changes(a, a).empty());
}

TEST(Roadmap, EurosAndQuarters) {
    EXPECT_EQ(parse_euros("1 250 000"), 1250000);
    EXPECT_EQ(parse_euros("1.250.000 €"), 1250000);
    EXPECT_EQ(parse_euros("1\u00a0000"), 1000);
    EXPECT_FALSE(parse_euros("12,5"));
    EXPECT_FALSE(parse_euros(""));
    EXPECT_FALSE(parse_euros("9999999999999"));
    EXPECT_EQ(quarter_of(from_utc(2026, 12, 31, 23, 30)).code(), "2027-T1");  // already 2027 in Paris
    EXPECT_EQ(Quarter({2027, 1}).label(), "1er trimestre 2027");
    EXPECT_EQ(amount_range_label(0, 90000), "jusqu'à 90\u202f000\u202f€");
}
