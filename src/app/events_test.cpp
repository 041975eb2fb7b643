// Matchmaking events over the services: registration with capacity, approval and the waiting list;
// meeting requests with their rules; the schedule, re-scheduling, manual moves; agendas, iCalendar and
// check-in.
#include "app/events.hpp"

#include "app/service_fixture.hpp"
#include "core/french.hpp"
#include "sched/schedule.hpp"
#include "storage/accounts_store.hpp"

namespace passerelle::app {
namespace {

class EventsTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        clock_.set(core::from_utc(2027, 1, 10, 9, 0));
        events_ = std::make_unique<EventService>(*db_, clock_, "https://passerelle.test");
        organiser_ = signup("orga@gip.fr");
        ASSERT_TRUE(db_->with_connection([&](storage::Connection& c) {
                           return storage::accounts::grant_role(c, organiser_, "organiser", organiser_);
                       })
                        .ok());
        buyer_user_ = signup("acheteur@paris.fr");
        buyer_ = make_buyer(buyer_user_);
        buyer2_user_ = signup("achats@lille.fr");
        buyer2_ = org(buyer2_user_, "buyer", "Ville de Lille", "21590001600019");
        a_user_ = signup("a@atelier.fr");
        a_ = make_company(a_user_);
        b_user_ = signup("b@baluchon.fr");
        b_ = org(b_user_, "company", "Électricité Baluchon", "80746931700018");
    }
    std::int64_t org(std::int64_t user, const std::string& kind, const std::string& name, const std::string& siret) {
        core::OrganisationInput o;
        o.kind = kind;
        o.name = name;
        o.siret = siret;
        if (kind == "buyer")
            o.buyer_kind = "commune";
        else
            o.size = "TPE";
        return orgs_->create(actor(user), o).value();
    }
    core::events::EventInput morning() {
        core::events::EventInput in;
        in.title = "Matinale du BTP";
        in.place = "Hôtel de région";
        in.day = "2027-02-04";
        in.starts = "08:30";
        in.ends = "12:30";
        in.sessions = {{"plenary", "Table ronde", "08:30", "09:30", "", ""},
                       {"networking", "Rendez-vous", "10:00", "11:00", "20", "10"}};
        in.questions = {{"Votre besoin principal ?", true}};
        return in;
    }
    std::int64_t published(const core::events::EventInput& in) {
        auto id = events_->create(actor(organiser_), in);
        EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message);
        EXPECT_TRUE(events_->transition(actor(organiser_), id.value(), "publier").ok());
        return id.value();
    }
    ev::RegistrationRecord reg(std::int64_t user, std::int64_t event, std::int64_t org_id) {
        auto r = events_->register_for(actor(user), event, org_id, {"Rencontrer des acheteurs"});
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
        return r.ok() ? r.value() : ev::RegistrationRecord{};
    }

    std::unique_ptr<EventService> events_;
    std::int64_t organiser_ = 0, buyer_user_ = 0, buyer_ = 0, buyer2_user_ = 0, buyer2_ = 0;
    std::int64_t a_user_ = 0, a_ = 0, b_user_ = 0, b_ = 0;
};

TEST_F(EventsTest, OnlyOrganisersCreateAndDraftsStayHidden) {
    EXPECT_EQ(events_->create(actor(a_user_), morning()).error().code, core::ErrorCode::kForbidden);
    auto id = events_->create(actor(organiser_), morning());
    ASSERT_TRUE(id.ok());
    EXPECT_EQ(events_->details(actor(a_user_), id.value()).error().code, core::ErrorCode::kNotFound);
    EXPECT_FALSE(events_->register_for(actor(a_user_), id.value(), a_, {"x"}).ok());
    ASSERT_TRUE(events_->transition(actor(organiser_), id.value(), "publier").ok());
    auto d = events_->details(core::Actor{}, id.value());
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->slots.size(), 3u);
    EXPECT_EQ(events_->upcoming(10)->size(), 1u);
    // The edit form reads back what was saved.
    auto in = EventService::input_of(d->event);
    EXPECT_EQ(in.day, "2027-02-04");
    EXPECT_EQ(in.sessions[1].slot_minutes, "20");
    EXPECT_EQ(in.requests_deadline, "2027-02-03T18:00");
}

TEST_F(EventsTest, CapacityWaitingListAndPromotion) {
    auto in = morning();
    in.capacity_companies = "1";
    const auto e = published(in);
    // A required question left empty: refused, nothing written.
    auto bad = events_->register_for(actor(a_user_), e, a_, {""});
    ASSERT_FALSE(bad.ok());
    EXPECT_TRUE(bad.error().fields.count("answers.1"));
    EXPECT_EQ(count("event_registrations"), 0);

    EXPECT_EQ(reg(a_user_, e, a_).status, "confirmed");
    EXPECT_EQ(reg(b_user_, e, b_).status, "waitlisted");
    EXPECT_NE(mails("b@baluchon.fr").front().subject.find("Liste d'attente"), std::string::npos);
    EXPECT_EQ(events_->register_for(actor(a_user_), e, a_, {"x"}).error().code, core::ErrorCode::kConflict);
    // The confirmed company cancels: the first waiting one gets the seat and is told.
    ASSERT_TRUE(events_->cancel_registration(actor(a_user_), e).ok());
    EXPECT_EQ(events_->my_registration(actor(b_user_), e)->value().status, "confirmed");
    EXPECT_NE(mails("b@baluchon.fr").front().subject.find("Inscription confirmée"), std::string::npos);
    EXPECT_NE(mails("b@baluchon.fr").front().body_text.find("code d'émargement"), std::string::npos);
    // The QR code goes with it as a PNG image.
    ASSERT_EQ(mails("b@baluchon.fr").front().attachments.size(), 1u);
    EXPECT_EQ(mails("b@baluchon.fr").front().attachments[0].content_type, "image/png");
    EXPECT_EQ(mails("b@baluchon.fr").front().attachments[0].content_base64.rfind("iVBORw0KGgo", 0), 0u);
    // Registering again after cancelling: the waiting list now.
    EXPECT_EQ(reg(a_user_, e, a_).status, "waitlisted");
}

TEST_F(EventsTest, ApprovalAndPeoplePerOrganisation) {
    auto in = morning();
    in.approval_required = true;
    in.max_per_org = "1";
    const auto e = published(in);
    EXPECT_EQ(reg(a_user_, e, a_).status, "pending");
    // A second person of the same company: over the maximum.
    const auto colleague = signup("collegue@atelier.fr");
    ASSERT_TRUE(db_->with_connection([&](storage::Connection& c) {
                       return storage::to_status(
                           c.exec("INSERT INTO memberships (user_id, org_id, role, status, created_at) VALUES (?, ?, "
                                  "'member', 'active', 0)",
                                  {colleague, a_}));
                   })
                    .ok());
    auto over = events_->register_for(actor(colleague), e, a_, {"x"});
    ASSERT_FALSE(over.ok());
    EXPECT_NE(over.error().message.find("maximum"), std::string::npos);

    auto regs = events_->registrants(actor(organiser_), e);
    ASSERT_EQ(regs->size(), 1u);
    EXPECT_EQ(events_->decide_registration(actor(a_user_), regs->at(0).id, "valider").error().code,
              core::ErrorCode::kForbidden);
    ASSERT_TRUE(events_->decide_registration(actor(organiser_), regs->at(0).id, "valider").ok());
    EXPECT_EQ(events_->my_registration(actor(a_user_), e)->value().status, "confirmed");
    auto table = events_->registrants_table(actor(organiser_), e);
    ASSERT_TRUE(table.ok());
    EXPECT_EQ(table->at(0).back(), "Votre besoin principal ?");
    EXPECT_EQ(table->at(1).back(), "Rencontrer des acheteurs");
    EXPECT_EQ(table->at(1)[5], "Confirmée");
}

TEST_F(EventsTest, MeetingRequestRules) {
    const auto e = published(morning());
    reg(a_user_, e, a_);
    reg(b_user_, e, b_);
    reg(buyer_user_, e, buyer_);
    // With oneself, with the same side, for an organisation one is not a member of: refused.
    EXPECT_EQ(events_->request_meeting(actor(a_user_), e, a_, a_, "", "", {}).error().code,
              core::ErrorCode::kInvalidInput);
    EXPECT_EQ(events_->request_meeting(actor(a_user_), e, a_, b_, "", "", {}).error().code,
              core::ErrorCode::kInvalidInput);
    EXPECT_EQ(events_->request_meeting(actor(b_user_), e, a_, buyer_, "", "", {}).error().code,
              core::ErrorCode::kForbidden);
    // Lille is not registered.
    EXPECT_EQ(events_->request_meeting(actor(a_user_), e, a_, buyer2_, "", "", {}).error().code,
              core::ErrorCode::kNotFound);
    EXPECT_EQ(count("meeting_requests"), 0);

    auto r = events_->request_meeting(actor(a_user_), e, a_, buyer_, "Parlons du gymnase", "", {});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_NE(mails("acheteur@paris.fr").front().body_text.find("Parlons du gymnase"), std::string::npos);
    EXPECT_EQ(events_->request_meeting(actor(a_user_), e, a_, buyer_, "", "", {}).error().code,
              core::ErrorCode::kConflict);
    // Only the buyer answers; the buyer caps at 1 and accepts; the next request is over the cap.
    EXPECT_EQ(events_->act_on_request(actor(a_user_), r.value(), "accepter").error().code, core::ErrorCode::kForbidden);
    ASSERT_TRUE(events_->save_availability(actor(buyer_user_), e, buyer_, {2}, "1").ok());
    ASSERT_TRUE(events_->act_on_request(actor(buyer_user_), r.value(), "accepter").ok());
    auto over = events_->request_meeting(actor(b_user_), e, b_, buyer_, "", "", {});
    ASSERT_FALSE(over.ok());
    EXPECT_NE(over.error().message.find("nombre maximal"), std::string::npos);
    EXPECT_FALSE(events_->save_availability(actor(buyer_user_), e, buyer_, {}, "9").ok());  // more than slots

    // The buyer invites B, B asks too: mutual, accepted.
    ASSERT_TRUE(events_->save_availability(actor(buyer_user_), e, buyer_, {}, "").ok());
    auto inv = events_->request_meeting(actor(buyer_user_), e, buyer_, b_, "", "", {});
    ASSERT_TRUE(inv.ok());
    ASSERT_EQ(events_->request_meeting(actor(b_user_), e, b_, buyer_, "", "", {}).value(), inv.value());
    auto space = events_->meeting_space(actor(b_user_), e, b_);
    ASSERT_TRUE(space.ok());
    ASSERT_EQ(space->requests.size(), 1u);
    EXPECT_TRUE(space->requests[0].request.mutual);
    EXPECT_EQ(space->requests[0].effective_status, "accepted");

    // After the deadline: no request, and pending ones read as expired.
    auto late = events_->request_meeting(actor(b_user_), e, b_, buyer_, "", "", {});
    clock_.set(core::from_utc(2027, 2, 3, 18, 0));
    EXPECT_NE(events_->request_meeting(actor(a_user_), e, a_, buyer_, "", "", {}).error().message.find("date limite"),
              std::string::npos);
    (void)late;
}

TEST_F(EventsTest, ScheduleAgendaIcsAndCheckIn) {
    auto in = morning();
    in.sessions[1].tables = "1";  // one table: the two buyers cannot meet in the same slot
    const auto e = published(in);
    const auto a = reg(a_user_, e, a_);
    reg(b_user_, e, b_);
    reg(buyer_user_, e, buyer_);
    reg(buyer2_user_, e, buyer2_);
    // A is only free in slot 0; B in slot 0 and 1.
    ASSERT_TRUE(events_->save_availability(actor(a_user_), e, a_, {1, 2}, "").ok());
    ASSERT_TRUE(events_->save_availability(actor(b_user_), e, b_, {2}, "").ok());
    std::vector<std::int64_t> ids;
    for (auto [u, from, to] : std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t>>{
             {a_user_, a_, buyer_}, {b_user_, b_, buyer_}, {b_user_, b_, buyer2_}}) {
        auto r = events_->request_meeting(actor(u), e, from, to, "", "", {});
        ASSERT_TRUE(r.ok());
        ids.push_back(r.value());
        const auto receiver = to == buyer_ ? buyer_user_ : buyer2_user_;
        ASSERT_TRUE(events_->act_on_request(actor(receiver), r.value(), "accepter").ok());
    }
    EXPECT_EQ(events_->run_schedule(actor(a_user_), e).error().code, core::ErrorCode::kForbidden);
    auto s = events_->run_schedule(actor(organiser_), e);
    ASSERT_TRUE(s.ok()) << s.error().message;
    // 3 meetings, 3 slots, one table, B cannot use slot 2 and A only slot 0: A–Paris at 0, B's two in 1 and… no:
    // B is free in 0 and 1 only, and slot 0 is A's: B gets one of its two. At most 2 fit; both bounds say so.
    EXPECT_EQ(s->details.event.schedule_objective, 2);
    EXPECT_EQ(s->meetings.size(), 2u);
    EXPECT_GE(*s->details.event.schedule_bound, 2);
    EXPECT_EQ(s->meetings[0].request_id, ids[0]);
    EXPECT_EQ(s->meetings[0].slot, 0);

    // Not published yet: participants see no meeting.
    EXPECT_TRUE(events_->agenda(actor(a_user_), e, a_)->meetings.empty());
    ASSERT_TRUE(events_->publish_schedule(actor(organiser_), e).ok());
    EXPECT_NE(mails("a@atelier.fr").front().body_text.find("Ville de Paris"), std::string::npos);
    ASSERT_EQ(mails("a@atelier.fr").front().attachments.size(), 1u);  // the agenda for calendar programs
    EXPECT_EQ(mails("a@atelier.fr").front().attachments[0].filename, "agenda.ics");
    auto ag = events_->agenda(actor(a_user_), e, a_);
    ASSERT_TRUE(ag.ok());
    ASSERT_EQ(ag->meetings.size(), 1u);
    EXPECT_EQ(ag->meetings[0].buyer_name, "Ville de Paris");
    EXPECT_EQ(events_->agenda(actor(b_user_), e, a_).error().code, core::ErrorCode::kForbidden);
    auto ics = events_->agenda_ics(actor(a_user_), e, a_);
    ASSERT_TRUE(ics.ok());
    EXPECT_NE(ics->find("BEGIN:VTIMEZONE"), std::string::npos);
    EXPECT_NE(ics->find("DTSTART;TZID=Europe/Paris:20270204T100000"), std::string::npos) << ics.value();
    EXPECT_NE(ics->find("SUMMARY:Rendez-vous : Ville de Paris"), std::string::npos);

    // Manual move into A's unavailable slot: refused, nothing moves.
    auto moved = events_->move_meeting(actor(organiser_), ids[0], 1);
    ASSERT_FALSE(moved.ok());
    EXPECT_EQ(moved.error().code, core::ErrorCode::kConflict);
    EXPECT_EQ(events_->schedule(actor(organiser_), e)->meetings[0].slot, 0);

    // Re-scheduling after a cancellation keeps the announced slot of the meetings that stay.
    const auto kept = events_->schedule(actor(organiser_), e)->meetings;
    ASSERT_TRUE(events_->act_on_request(actor(a_user_), ids[0], "annuler").ok());
    auto again = events_->run_schedule(actor(organiser_), e);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->moved_since_announced, 0);

    // Check-in with the code (or the scanned link), idempotent; a wrong code changes nothing.
    auto unknown = events_->check_in(actor(organiser_), e, "ZZZZ");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, core::ErrorCode::kInvalidInput);
    EXPECT_TRUE(unknown.error().fields.count("code"));
    auto ci = events_->check_in(actor(organiser_), e, events_->checkin_url(e, a.checkin_code));
    ASSERT_TRUE(ci.ok()) << ci.error().message;
    EXPECT_TRUE(ci->checked_in_at.has_value());
    EXPECT_TRUE(events_->check_in(actor(organiser_), e, a.checkin_code).ok());
    auto qr = events_->checkin_qr(actor(a_user_), e);
    ASSERT_TRUE(qr.ok());
    EXPECT_EQ(qr->rfind("<svg", 0), 0u);
    auto live = events_->live(actor(organiser_), e);
    ASSERT_TRUE(live.ok());
    EXPECT_EQ(live->size(), 3u);
    (void)kept;
}

TEST_F(EventsTest, RemindersGoOutOnceTheDayBefore) {
    const auto e = published(morning());
    const auto a = reg(a_user_, e, a_);
    reg(b_user_, e, b_);
    ASSERT_TRUE(events_->cancel_registration(actor(b_user_), e).ok());
    EXPECT_EQ(events_->send_reminders().value(), 0);  // three weeks ahead
    clock_.set(core::from_utc(2027, 2, 3, 9, 0));     // the day before
    EXPECT_EQ(events_->send_reminders().value(), 1);  // the cancelled registration gets nothing
    EXPECT_EQ(mails("a@atelier.fr").front().subject, "Rappel : Matinale du BTP");
    EXPECT_NE(mails("a@atelier.fr").front().body_text.find(a.checkin_code), std::string::npos);
    EXPECT_EQ(events_->send_reminders().value(), 0);  // once
}

TEST_F(EventsTest, FeedbackAfterTheEventAndTheResults) {
    const auto e = published(morning());
    const auto a = reg(a_user_, e, a_);
    reg(b_user_, e, b_);
    reg(buyer_user_, e, buyer_);
    std::vector<std::int64_t> ids;
    for (auto [u, from] : std::vector<std::pair<std::int64_t, std::int64_t>>{{a_user_, a_}, {b_user_, b_}}) {
        auto r = events_->request_meeting(actor(u), e, from, buyer_, "", "", {});
        ASSERT_TRUE(r.ok());
        ASSERT_TRUE(events_->act_on_request(actor(buyer_user_), r.value(), "accepter").ok());
        ids.push_back(r.value());
    }
    ASSERT_TRUE(events_->run_schedule(actor(organiser_), e).ok());
    ASSERT_TRUE(events_->publish_schedule(actor(organiser_), e).ok());
    // Before the event: no feedback yet.
    EXPECT_EQ(events_->give_feedback(actor(a_user_), ids[0], a_, true, "4", true, "").error().code,
              core::ErrorCode::kConflict);
    clock_.set(core::from_utc(2027, 2, 4, 11, 30));
    ASSERT_TRUE(events_->check_in(actor(organiser_), e, a.checkin_code).ok());
    // Bad rating, someone else's meeting: refused, nothing written.
    EXPECT_FALSE(events_->give_feedback(actor(a_user_), ids[0], a_, true, "7", false, "").ok());
    EXPECT_EQ(events_->give_feedback(actor(a_user_), ids[1], a_, true, "4", false, "").error().code,
              core::ErrorCode::kNotFound);
    EXPECT_EQ(events_->give_feedback(actor(b_user_), ids[0], a_, true, "4", false, "").error().code,
              core::ErrorCode::kForbidden);
    EXPECT_EQ(count("meeting_feedback"), 0);
    ASSERT_TRUE(events_->give_feedback(actor(a_user_), ids[0], a_, true, "4", true, "Très utile").ok());
    ASSERT_TRUE(events_->give_feedback(actor(buyer_user_), ids[0], buyer_, true, "5", false, "").ok());
    ASSERT_TRUE(events_->give_feedback(actor(b_user_), ids[1], b_, false, "", false, "Absent").ok());
    ASSERT_TRUE(events_->give_feedback(actor(a_user_), ids[0], a_, true, "3", true, "").ok());  // changes its mind
    EXPECT_EQ(events_->agenda(actor(a_user_), e, a_)->feedback.at(ids[0]).usefulness, 3);

    EXPECT_EQ(events_->results(actor(a_user_), e).error().code, core::ErrorCode::kForbidden);
    auto r = events_->results(actor(organiser_), e);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->confirmed_companies, 2);
    EXPECT_EQ(r->confirmed_buyers, 1);
    EXPECT_EQ(r->present, 1);
    EXPECT_EQ(r->requests, 2);
    EXPECT_EQ(r->accepted, 2);
    EXPECT_EQ(r->scheduled, 2);
    EXPECT_EQ(r->feedback.held, 1);
    EXPECT_EQ(r->feedback.not_held, 1);
    EXPECT_EQ(r->feedback.follow_ups, 1);
    EXPECT_EQ(r->feedback.ratings, 2);
    EXPECT_DOUBLE_EQ(r->feedback.usefulness_mean, 4.0);
    ASSERT_EQ(r->table.size(), 3u);  // header + two meetings
    EXPECT_EQ(r->table[1][7], "oui");
    EXPECT_EQ(r->table[1][8], "3");
    EXPECT_EQ(r->table[1][9], "5");
}

TEST_F(EventsTest, TheSchedulerBeatsFirstFreeSlotOnTheEventsOwnInstance) {
    // Two buyers, two companies, two slots: C1 asked P1 then P2, C2 asked P1 only; C2 is absent in slot 1.
    // First-free-slot puts C1–P1 in slot 0 and then cannot place C2–P1; the scheduler places all three.
    auto in = morning();
    in.sessions[1].ends = "10:40";
    const auto e = published(in);
    reg(a_user_, e, a_);
    reg(b_user_, e, b_);
    reg(buyer_user_, e, buyer_);
    reg(buyer2_user_, e, buyer2_);
    ASSERT_TRUE(events_->save_availability(actor(b_user_), e, b_, {1}, "").ok());
    for (auto [u, from, to, who] : std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t>>{
             {a_user_, a_, buyer_, buyer_user_},
             {a_user_, a_, buyer2_, buyer2_user_},
             {b_user_, b_, buyer_, buyer_user_}}) {
        auto r = events_->request_meeting(actor(u), e, from, to, "", "", {});
        ASSERT_TRUE(r.ok());
        ASSERT_TRUE(events_->act_on_request(actor(who), r.value(), "accepter").ok());
    }
    auto s = events_->run_schedule(actor(organiser_), e);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->meetings.size(), 3u);
    EXPECT_EQ(*s->details.event.schedule_objective, 3);
    EXPECT_EQ(*s->details.event.schedule_bound, 3);
    EXPECT_EQ(s->companies_without_meeting, 0);
}

}  // namespace
}  // namespace passerelle::app
