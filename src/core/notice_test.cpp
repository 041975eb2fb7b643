#include "core/notice.hpp"

#include <gtest/gtest.h>

#include "core/french.hpp"

using namespace passerelle::core;

namespace {
const std::int64_t kNow = from_utc(2026, 11, 28, 10, 0);

NoticeInput valid() {
    NoticeInput in;
    in.reference = "2027-NET-01";
    in.title = "Nettoyage des collèges";
    in.procedure = "ao_ouvert";
    in.bid_deadline = "2027-01-15T12:00";
    LotInput lot;
    lot.title = "Collèges du nord";
    lot.cpv_code = "90910000-9";
    lot.estimated_amount = "400 000";
    lot.departements = {"93"};
    lot.clause_kind = "insertion_hours";
    lot.insertion_hours = "1 500";
    in.lots = {lot, lot};
    in.lots[1].title = "Collèges du sud";
    in.lots[1].clause_kind = "reserved_siae";
    return in;
}
}  // namespace

TEST(Notice, ValidNoticeWithDefaultQuestionDeadline) {
    auto r = validate_notice(valid(), kNow, true);
    ASSERT_TRUE(r.ok()) << r.error().fields.begin()->second;
    EXPECT_EQ(r->bid_deadline, from_utc(2027, 1, 15, 11, 0));  // 12 h in Paris in winter
    EXPECT_EQ(r->question_deadline, r->bid_deadline - 6 * 86400);
    ASSERT_EQ(r->lots.size(), 2u);
    EXPECT_EQ(r->lots[0].insertion_hours, 1500);
    EXPECT_EQ(r->lots[1].number, 2);
    EXPECT_EQ(r->lots[1].insertion_hours, 0);
}

TEST(Notice, DeadlinesMustBeCoherent) {
    auto in = valid();
    in.bid_deadline = "2026-11-01T12:00";
    auto r = validate_notice(in, kNow, true);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().fields.at("bid_deadline").find("futur"), std::string::npos);
    EXPECT_TRUE(validate_notice(in, kNow, false).ok());  // drafts may carry any date
    in = valid();
    in.question_deadline = "2027-01-20T12:00";
    r = validate_notice(in, kNow, false);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().fields.count("question_deadline"));
    in.bid_deadline = "2027-02-30T12:00";
    EXPECT_TRUE(validate_notice(in, kNow, false).error().fields.count("bid_deadline"));
}

TEST(Notice, LotErrorsAreKeyedByLot) {
    auto in = valid();
    in.lots[1].title = "";
    in.lots[1].cpv_code = "123";
    in.lots[0].insertion_hours = "";
    in.lots[0].departements = {"999"};
    auto r = validate_notice(in, kNow, true);
    ASSERT_FALSE(r.ok());
    const auto& f = r.error().fields;
    EXPECT_TRUE(f.count("lots.2.title"));
    EXPECT_TRUE(f.count("lots.2.cpv_code"));
    EXPECT_TRUE(f.count("lots.1.insertion_hours"));
    EXPECT_TRUE(f.count("lots.1.departements"));
    in.lots.clear();
    EXPECT_TRUE(validate_notice(in, kNow, true).error().fields.count("lots"));
}

TEST(Notice, StateMachineAndEffectiveStatus) {
    using S = NoticeStatus;
    EXPECT_TRUE(notice_transition_allowed(S::kDraft, S::kPublished));
    EXPECT_TRUE(notice_transition_allowed(S::kPublished, S::kClosed));
    EXPECT_TRUE(notice_transition_allowed(S::kClosed, S::kAwarded));
    EXPECT_TRUE(notice_transition_allowed(S::kClosed, S::kUnsuccessful));
    EXPECT_FALSE(notice_transition_allowed(S::kPublished, S::kAwarded));
    EXPECT_FALSE(notice_transition_allowed(S::kAwarded, S::kPublished));
    EXPECT_EQ(effective_notice_status(S::kPublished, kNow + 10, kNow), S::kPublished);
    EXPECT_EQ(effective_notice_status(S::kPublished, kNow, kNow), S::kClosed);
    EXPECT_EQ(effective_notice_status(S::kDraft, kNow - 10, kNow), S::kDraft);
}

TEST(Notice, AmendmentsAreDescribed) {
    auto a = validate_notice(valid(), kNow, true).value();
    auto b = a;
    b.bid_deadline += 7 * 86400;
    b.lots[0].estimated_amount = 450000;
    auto changes = notice_changes(a, b);
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0], "Date limite de remise des offres : 15 janvier 2027 à 12 h → 22 janvier 2027 à 12 h");
    EXPECT_EQ(changes[1], "Lot 1 : montant estimé 400\u202f000\u202f€ → 450\u202f000\u202f€");
}

TEST(Notice, RoadmapIntentionsBecomeLotClauses) {
    EXPECT_EQ(lot_clause_for_intent("insertion"), "insertion_hours");
    EXPECT_EQ(lot_clause_for_intent("reserved_siae"), "reserved_siae");
    EXPECT_EQ(lot_clause_for_intent("award_criterion"), "award_criterion");
    EXPECT_EQ(lot_clause_for_intent("none"), "none");
    EXPECT_EQ(lot_clause_for_intent("inconnu"), "none");
}

TEST(Notice, ParisDateTimes) {
    EXPECT_EQ(parse_paris_datetime("2027-07-01T09:30"), from_utc(2027, 7, 1, 7, 30));  // summer
    EXPECT_EQ(format_paris_datetime_local(from_utc(2027, 7, 1, 7, 30)), "2027-07-01T09:30");
    EXPECT_FALSE(parse_paris_datetime("demain"));
    EXPECT_FALSE(parse_paris_datetime("2027-13-01T09:30"));
}

// Issue 20, item 5: an RFC 3339 offset is honoured; without one the time is Paris time; what the API returns
// (format_iso8601_utc) read back is the same instant, in winter and in summer.
TEST(Notice, Rfc3339OffsetsAreHonoured) {
    EXPECT_EQ(parse_paris_datetime("2027-03-01T12:00:00Z"), from_utc(2027, 3, 1, 12, 0));
    EXPECT_EQ(parse_paris_datetime("2027-03-01T12:00Z"), from_utc(2027, 3, 1, 12, 0));
    EXPECT_EQ(parse_paris_datetime("2027-03-01T12:00:00.250+01:00"), from_utc(2027, 3, 1, 11, 0));
    EXPECT_EQ(parse_paris_datetime("2027-03-01T12:00:00-05:00"), from_utc(2027, 3, 1, 17, 0));
    EXPECT_EQ(parse_paris_datetime("2027-03-01T12:00:00+0530"), from_utc(2027, 3, 1, 6, 30));
    EXPECT_EQ(parse_paris_datetime("2027-03-01T12:00:30"), from_utc(2027, 3, 1, 11, 0) + 30);  // Paris, winter
    EXPECT_EQ(parse_paris_datetime("2027-07-01T12:00:00"), from_utc(2027, 7, 1, 10, 0));       // Paris, summer
    for (const char* bad : {"2027-03-01T12:00:00Y", "2027-03-01T12:00+25:00", "2027-03-01T12:00+01:00 extra",
                            "2027-03-01T12:00:00Z1", "2027-03-01T12", "2027-03-01T12:00+1"})
        EXPECT_FALSE(parse_paris_datetime(bad)) << bad;
    for (std::int64_t t : {from_utc(2027, 1, 15, 23, 30), from_utc(2027, 7, 14, 6, 45), from_utc(2027, 10, 31, 0, 30),
                           from_utc(2027, 10, 31, 1, 30)}) {
        EXPECT_EQ(parse_paris_datetime(format_iso8601_utc(t)), t);  // even in the hour that repeats
    }
    for (std::int64_t t : {from_utc(2027, 1, 15, 23, 30), from_utc(2027, 7, 14, 6, 45)})
        EXPECT_EQ(parse_paris_datetime(format_paris_datetime_local(t)), t);
}

namespace passerelle::core {
namespace {

const std::int64_t kNow = from_utc(2026, 11, 28, 10, 0);

TEST(NoticeAward, AcceptsWinnersAmountsAndUnsuccessfulLots) {
    auto d = validate_award({{1, "732 829 320 00074", " Atelier Vert ", "125 000", false}, {2, "", "", "", true}},
                            "2026-11-27", kNow);
    ASSERT_TRUE(d.ok()) << d.error().message;
    EXPECT_EQ(d->notified_on, "2026-11-27");
    ASSERT_EQ(d->lots.size(), 2u);
    EXPECT_EQ(d->lots[0].winner_siret, "73282932000074");
    EXPECT_EQ(d->lots[0].winner_name, "Atelier Vert");
    EXPECT_EQ(d->lots[0].amount, 125000);
    EXPECT_TRUE(d->lots[1].unsuccessful);
}

TEST(NoticeAward, GivesEveryFieldErrorAtOnce) {
    auto d = validate_award({{1, "12345678901234", "", "abc", false}, {3, "73282932000074", "X", "0", false}},
                            "2026-12-01", kNow);
    ASSERT_FALSE(d.ok());
    const auto& f = d.error().fields;
    EXPECT_TRUE(f.count("lot_1_siret"));
    EXPECT_TRUE(f.count("lot_1_name"));
    EXPECT_TRUE(f.count("lot_1_amount"));
    EXPECT_TRUE(f.count("lot_3_amount"));
    EXPECT_EQ(f.at("notified_on"), "La date de notification ne peut pas être dans le futur.");
    EXPECT_FALSE(f.count("lot_3_siret"));
}

TEST(NoticeAward, NeedsOneAwardedLotAndADate) {
    auto d = validate_award({{1, "", "", "", true}}, "", kNow);
    ASSERT_FALSE(d.ok());
    EXPECT_TRUE(d.error().fields.count("lots"));
    EXPECT_TRUE(d.error().fields.count("notified_on"));
}

}  // namespace
}  // namespace passerelle::core
