// The call for pitches over the services: call and grid, jury, applications with a file, blind scoring
// with an abstention, ranking, decisions released at once; selected pitchers have no meeting during the
// pitch session.
#include "app/pitches.hpp"

#include <unistd.h>

#include <filesystem>

#include "app/events.hpp"
#include "app/service_fixture.hpp"
#include "core/french.hpp"
#include "storage/accounts_store.hpp"

namespace passerelle::app {
namespace {

const std::string kPdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

class PitchesTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        clock_.set(core::from_utc(2027, 1, 10, 9, 0));
        dir_ = std::filesystem::temp_directory_path() / ("passerelle-pitch-" + std::to_string(::getpid()));
        blobs_ = std::make_unique<FileBlobStore>(dir_);
        events_ = std::make_unique<EventService>(*db_, clock_, "https://passerelle.test");
        pitches_ = std::make_unique<PitchService>(*db_, clock_, *blobs_, "https://passerelle.test");
        organiser_ = signup("orga@gip.fr");
        ASSERT_TRUE(db_->with_connection([&](storage::Connection& c) {
                           return storage::accounts::grant_role(c, organiser_, "organiser", 1);
                       })
                        .ok());
        buyer_user_ = signup("acheteur@paris.fr");
        buyer_ = make_buyer(buyer_user_);
        a_user_ = signup("a@atelier.fr");
        a_ = make_company(a_user_);
        b_user_ = signup("b@baluchon.fr");
        core::OrganisationInput o;
        o.kind = "company";
        o.name = "Électricité Baluchon";
        o.siret = "80746931700018";
        o.size = "TPE";
        b_ = orgs_->create(actor(b_user_), o).value();
        core::events::EventInput in;
        in.title = "Matinale de l'innovation";
        in.place = "Lille";
        in.day = "2027-02-04";
        in.starts = "08:30";
        in.ends = "12:30";
        // Pitches from 10:20 to 11:00 while the meetings go on (slots 10:00, 10:20, 10:40, 11:00…).
        in.sessions = {{"networking", "Rendez-vous", "10:00", "12:00", "20", ""},
                       {"pitch", "Pitchs", "10:20", "11:00", "", ""}};
        event_ = events_->create(actor(organiser_), in).value();
        ASSERT_TRUE(events_->transition(actor(organiser_), event_, "publier").ok());
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    void open_call(bool blind) {
        auto s = pitches_->save_call(actor(organiser_), event_, {"1", "2027-01-25T18:00", blind},
                                     {{"Innovation", "3"}, {"Impact local", "1"}});
        ASSERT_TRUE(s.ok()) << s.error().message;
    }

    std::filesystem::path dir_;
    std::unique_ptr<FileBlobStore> blobs_;
    std::unique_ptr<EventService> events_;
    std::unique_ptr<PitchService> pitches_;
    std::int64_t organiser_ = 0, buyer_user_ = 0, buyer_ = 0, a_user_ = 0, a_ = 0, b_user_ = 0, b_ = 0, event_ = 0;
};

TEST_F(PitchesTest, CallJuryApplicationsBlindScoringAndRelease) {
    EXPECT_EQ(pitches_->save_call(actor(a_user_), event_, {"1", "2027-01-25T18:00", true}, {{"Innovation", "3"}})
                  .error()
                  .code,
              core::ErrorCode::kForbidden);
    auto bad = pitches_->save_call(actor(organiser_), event_, {"0", "2027-03-01T10:00", true}, {{"", ""}});
    ASSERT_FALSE(bad.ok());
    EXPECT_TRUE(bad.error().fields.count("places"));
    EXPECT_TRUE(bad.error().fields.count("closes"));
    EXPECT_TRUE(bad.error().fields.count("criteria.1.label"));
    open_call(true);

    // The jury: a buyer agent yes, a company person no.
    EXPECT_FALSE(pitches_->add_juror(actor(organiser_), event_, "a@atelier.fr").ok());
    ASSERT_TRUE(pitches_->add_juror(actor(organiser_), event_, "acheteur@paris.fr").ok());
    ASSERT_TRUE(pitches_->add_juror(actor(organiser_), event_, "orga@gip.fr").ok());

    // Applications: a buyer cannot, a bad file is refused, then two companies apply.
    EXPECT_EQ(pitches_->apply(actor(buyer_user_), event_, buyer_, {"x", "y", ""}, std::nullopt).error().code,
              core::ErrorCode::kForbidden);
    auto exe = pitches_->apply(actor(a_user_), event_, a_, {"Tri", "Vision", ""}, Upload{"virus.exe", "MZ\x90\x00"});
    ASSERT_FALSE(exe.ok());
    EXPECT_TRUE(exe.error().fields.count("file"));
    auto first = pitches_->apply(actor(a_user_), event_, a_, {"Robot de tri des déchets", "Vision par ordinateur", ""},
                                 Upload{"plaquette.pdf", kPdf});
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_EQ(pitches_->apply(actor(a_user_), event_, a_, {"Encore", "Encore", ""}, std::nullopt).error().code,
              core::ErrorCode::kConflict);
    auto second =
        pitches_->apply(actor(b_user_), event_, b_, {"Éclairage solaire", "Stockage de seconde vie", ""}, std::nullopt);
    ASSERT_TRUE(second.ok());

    // Blind: the juror sees numbers, not names, and only their own review.
    auto view = pitches_->jury(actor(buyer_user_), event_);
    ASSERT_TRUE(view.ok());
    ASSERT_EQ(view->items.size(), 2u);
    EXPECT_EQ(view->items[0].label, "Candidature n° 1");
    EXPECT_TRUE(view->items[0].application.org_name.empty());
    EXPECT_EQ(pitches_->jury(actor(a_user_), event_).error().code, core::ErrorCode::kForbidden);
    const auto grid = view->call.criteria;
    auto scores = [&](int innovation, int impact) {
        return std::map<std::int64_t, std::string>{{grid[0].id, std::to_string(innovation)},
                                                   {grid[1].id, std::to_string(impact)}};
    };
    EXPECT_FALSE(pitches_->review(actor(buyer_user_), first.value(), false, scores(6, 1)).ok());  // out of range
    ASSERT_TRUE(pitches_->review(actor(buyer_user_), first.value(), false, scores(5, 1)).ok());   // 16/20
    ASSERT_TRUE(pitches_->review(actor(buyer_user_), second.value(), true, {}).ok());             // conflict
    ASSERT_TRUE(pitches_->review(actor(organiser_), first.value(), false, scores(2, 2)).ok());    // 8/20
    ASSERT_TRUE(pitches_->review(actor(organiser_), second.value(), false, scores(5, 5)).ok());   // 20/20
    view = pitches_->jury(actor(buyer_user_), event_);
    EXPECT_EQ(view->items[0].mine->scores.at(grid[0].id), 5);
    EXPECT_TRUE(view->items[1].mine->abstained);
    // The grid no longer changes once scored.
    ASSERT_TRUE(pitches_->save_call(actor(organiser_), event_, {"1", "2027-01-26T18:00", true}, {{"Autre", "1"}}).ok());
    EXPECT_EQ(pitches_->call(event_)->criteria.size(), 2u);

    auto board = pitches_->board(actor(organiser_), event_);
    ASSERT_TRUE(board.ok());
    ASSERT_EQ(board->ranking.size(), 2u);
    EXPECT_EQ(board->ranking[0].application.id, second.value());  // 20 (one review, one abstention)
    EXPECT_DOUBLE_EQ(board->ranking[0].rank.score, 20.0);
    EXPECT_EQ(board->ranking[0].rank.abstentions, 1);
    EXPECT_DOUBLE_EQ(board->ranking[1].rank.score, 12.0);  // (16 + 8) / 2

    // Two selected for one place: refused, nothing released; then one, with a reason for the other.
    EXPECT_FALSE(pitches_->release(actor(organiser_), event_, {first.value(), second.value()}, {}).ok());
    EXPECT_FALSE(pitches_->call(event_)->call->released_at.has_value());
    ASSERT_TRUE(
        pitches_
            ->release(actor(organiser_), event_, {second.value()}, {{first.value(), "Solution déjà très diffusée."}})
            .ok());
    EXPECT_NE(mails("b@baluchon.fr").front().subject.find("Pitch retenu"), std::string::npos);
    EXPECT_NE(mails("a@atelier.fr").front().body_text.find("Motif : Solution déjà très diffusée."), std::string::npos);
    auto mine = pitches_->mine(actor(a_user_), event_);
    ASSERT_EQ(mine->size(), 1u);
    EXPECT_EQ(mine->at(0).status, "declined");
    EXPECT_FALSE(pitches_->release(actor(organiser_), event_, {second.value()}, {}).ok());  // once
    // The file: for the company, the jury and the organisers only.
    EXPECT_EQ(pitches_->file(actor(a_user_), first.value())->bytes, kPdf);
    EXPECT_EQ(pitches_->file(actor(b_user_), first.value()).error().code, core::ErrorCode::kForbidden);
}

TEST_F(PitchesTest, SelectedPitchersHaveNoMeetingDuringThePitches) {
    open_call(false);
    auto app = pitches_->apply(actor(b_user_), event_, b_, {"Éclairage", "Stockage", ""}, std::nullopt);
    ASSERT_TRUE(app.ok());
    ASSERT_TRUE(pitches_->release(actor(organiser_), event_, {app.value()}, {}).ok());
    for (auto [u, o] : std::vector<std::pair<std::int64_t, std::int64_t>>{{b_user_, b_}, {buyer_user_, buyer_}})
        ASSERT_TRUE(events_->register_for(actor(u), event_, o, {}).ok());
    // Baluchon can only meet at 10:00, 10:20 or 10:40; the last two are its pitch.
    ASSERT_TRUE(events_->save_availability(actor(b_user_), event_, b_, {3, 4, 5}, "").ok());
    auto r = events_->request_meeting(actor(b_user_), event_, b_, buyer_, "", "", {});
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(events_->act_on_request(actor(buyer_user_), r.value(), "accepter").ok());
    auto s = events_->run_schedule(actor(organiser_), event_);
    ASSERT_TRUE(s.ok());
    ASSERT_EQ(s->meetings.size(), 1u);
    EXPECT_EQ(s->meetings[0].slot, 0);
    // Moving it into the pitch session is a conflict.
    EXPECT_EQ(events_->move_meeting(actor(organiser_), r.value(), 1).error().code, core::ErrorCode::kConflict);
}

}  // namespace
}  // namespace passerelle::app
