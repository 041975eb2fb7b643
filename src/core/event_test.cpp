#include "core/event.hpp"

#include <gtest/gtest.h>

#include "core/french.hpp"

namespace passerelle::core::events {
namespace {

EventInput morning() {
    EventInput in;
    in.title = "Matinale du BTP";
    in.place = "Hôtel de région, Lille";
    in.day = "2027-02-04";
    in.starts = "08:30";
    in.ends = "12:30";
    in.sessions = {{"plenary", "Table ronde", "08:30", "09:15", "", ""},
                   {"pitch", "", "09:15", "10:00", "", ""},
                   {"networking", "Rendez-vous", "10:00", "12:00", "20", "12"},
                   {"", "", "", "", "", ""}};
    in.questions = {{"Votre besoin principal ?", true}, {"", false}};
    return in;
}

TEST(Event, ValidMorningWithItsProgramme) {
    auto e = validate_event(morning());
    ASSERT_TRUE(e.ok()) << e.error().message;
    EXPECT_EQ(e->starts_at, from_utc(2027, 2, 4, 7, 30));  // winter: UTC+1
    ASSERT_EQ(e->sessions.size(), 3u);
    EXPECT_EQ(e->sessions[1].title, "Pitchs");  // default title
    EXPECT_EQ(e->questions.size(), 1u);
    EXPECT_EQ(e->max_per_org, 2);
    // Requests close the day before at 18:00 unless told.
    EXPECT_EQ(e->requests_deadline, from_utc(2027, 2, 3, 17, 0));
    auto slots = slots_of(e->sessions);
    ASSERT_EQ(slots.size(), 6u);
    EXPECT_EQ(slots[0].starts_at, from_utc(2027, 2, 4, 9, 0));
    EXPECT_EQ(slots[5].ends_at, from_utc(2027, 2, 4, 11, 0));
    EXPECT_EQ(tables_of(e->sessions), 12);
}

TEST(Event, FieldErrorsInFrench) {
    auto in = morning();
    in.title = "";
    in.ends = "08:00";
    in.capacity_buyers = "-3";
    in.sessions[2].slot_minutes = "2";
    auto e = validate_event(in);
    ASSERT_FALSE(e.ok());
    EXPECT_TRUE(e.error().fields.count("title"));
    EXPECT_EQ(e.error().fields.at("ends"), "L'événement doit finir après son début.");
    EXPECT_TRUE(e.error().fields.count("capacity_buyers"));

    in = morning();
    in.sessions[1].starts = "09:00";  // overlaps the round table
    e = validate_event(in);
    ASSERT_FALSE(e.ok());
    EXPECT_NE(e.error().fields.at("sessions").find("chevauchent"), std::string::npos);

    in = morning();
    in.sessions[1].starts = "10:20";  // pitches while the meetings go on: allowed
    in.sessions[1].ends = "11:00";
    auto parallel = validate_event(in);
    ASSERT_TRUE(parallel.ok()) << parallel.error().message;
    EXPECT_EQ(slots_during_pitches(parallel->sessions), (std::vector<int>{1, 2}));  // 10 h 20 and 10 h 40

    in = morning();
    in.sessions[2].ends = "13:00";  // after the event
    EXPECT_TRUE(validate_event(in).error().fields.count("sessions.3.starts"));
    in = morning();
    in.requests_deadline = "2027-02-05T10:00";
    EXPECT_TRUE(validate_event(in).error().fields.count("requests_deadline"));
}

TEST(Event, PitchersAreBusyDuringTheirSession) {
    std::vector<Session> s = {{"networking", "A", 0, 3600, 20, std::nullopt},
                              {"pitch", "P", 1800, 2400, std::nullopt, std::nullopt},
                              {"networking", "B", 3600, 4800, 10, 3}};
    // Slots: [0,1200) [1200,2400) [2400,3600) then [3600,4200) [4200,4800).
    EXPECT_EQ(slots_of(s).size(), 5u);
    EXPECT_EQ(slots_during_pitches(s), (std::vector<int>{1}));
    EXPECT_EQ(tables_of(s), 3);
}

TEST(Event, SlotLists) {
    EXPECT_EQ(parse_slot_list("3, 1,x,1,9,-1", 5), (std::vector<int>{1, 3}));
    EXPECT_EQ(format_slot_list({0, 2}), "0,2");
}

TEST(Event, BuyersKeepTheirTableWhenThereAreEnough) {
    std::vector<PlacedMeeting> m = {{1, 30, 0}, {2, 10, 0}, {3, 30, 1}, {4, 20, 1}};
    EXPECT_EQ(assign_tables(m, 5), (std::vector<int>{3, 1, 3, 2}));
    EXPECT_EQ(assign_tables(m, std::nullopt), (std::vector<int>{3, 1, 3, 2}));
    // Two tables for three buyers: handed out per slot.
    EXPECT_EQ(assign_tables(m, 2), (std::vector<int>{1, 2, 1, 2}));
}

TEST(Event, RegistrationWindowAndStatus) {
    EXPECT_EQ(registration_window("draft", std::nullopt, std::nullopt, 1000, 10), Availability::kNotPublished);
    EXPECT_EQ(registration_window("published", 50, std::nullopt, 1000, 10), Availability::kNotYetOpen);
    EXPECT_EQ(registration_window("published", 5, 500, 1000, 10), Availability::kOpen);
    EXPECT_EQ(registration_window("published", 5, 500, 1000, 500), Availability::kClosed);
    EXPECT_EQ(registration_window("published", std::nullopt, std::nullopt, 1000, 1000), Availability::kClosed);
    EXPECT_EQ(initial_registration_status(true, true), "pending");
    EXPECT_EQ(initial_registration_status(false, true), "confirmed");
    EXPECT_EQ(initial_registration_status(false, false), "waitlisted");
}

TEST(Event, RequestsExpireAtTheDeadline) {
    EXPECT_EQ(effective_request_status("pending", 100, 99), "pending");
    EXPECT_EQ(effective_request_status("pending", 100, 100), "expired");
    EXPECT_EQ(effective_request_status("accepted", 100, 200), "accepted");
    EXPECT_EQ(meeting_weight(false, false), 1);
    EXPECT_EQ(meeting_weight(true, true), 3);
    EXPECT_FALSE(parse_cap("0", 6).ok());
    EXPECT_FALSE(parse_cap("7", 6).ok());
    EXPECT_EQ(parse_cap("4", 6).value(), 4);
    EXPECT_FALSE(parse_cap("", 6).value().has_value());
}

TEST(Event, WhatEachSideMayDoWithARequest) {
    auto received = request_actions("pending", true, true, false);
    EXPECT_TRUE(received.answer);
    EXPECT_FALSE(received.withdraw);
    EXPECT_TRUE(received.prioritise);
    auto sent = request_actions("pending", false, false, false);
    EXPECT_TRUE(sent.withdraw);
    EXPECT_FALSE(sent.answer);
    EXPECT_FALSE(sent.prioritise);  // the company side
    EXPECT_TRUE(request_actions("accepted", false, false, false).cancel);
    EXPECT_FALSE(request_actions("accepted", false, false, true).cancel);  // the event has started
    EXPECT_FALSE(request_actions("expired", true, true, false).answer);
    EXPECT_TRUE(may_request_again("withdrawn"));
    EXPECT_FALSE(may_request_again("declined"));
}

TEST(Event, FeedbackSummary) {
    // Meeting 1: both sides say held (ratings 4 and 5, one follow-up); meeting 2: one says held, the other not;
    // meeting 3: not held; an out-of-range rating is ignored.
    auto s = summarise_feedback({{1, true, 4, true},
                                 {1, true, 5, false},
                                 {2, true, std::nullopt, false},
                                 {2, false, std::nullopt, false},
                                 {3, false, 3, false},
                                 {4, true, 9, false}});
    EXPECT_EQ(s.meetings, 4);
    EXPECT_EQ(s.held, 3);
    EXPECT_EQ(s.not_held, 1);
    EXPECT_EQ(s.follow_ups, 1);
    EXPECT_EQ(s.ratings, 2);  // the rating of a meeting not held does not count
    EXPECT_DOUBLE_EQ(s.usefulness_mean, 4.5);
    EXPECT_EQ(s.usefulness[4], 1);
    EXPECT_FALSE(parse_usefulness("6", true).ok());
    EXPECT_FALSE(parse_usefulness("4", false).value().has_value());
    EXPECT_EQ(parse_usefulness("4", true).value(), 4);
}

}  // namespace
}  // namespace passerelle::core::events
