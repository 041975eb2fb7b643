// The co-contracting exchange end to end over the services: offer → answer → conversation → consortium,
// with the permissions, the bad input and the moderation.
#include "app/exchange.hpp"

#include <unistd.h>

#include <filesystem>

#include "app/notices.hpp"
#include "app/service_fixture.hpp"
#include "core/french.hpp"
#include "storage/accounts_store.hpp"

namespace passerelle::app {
namespace {

const std::string kPdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

class ExchangeTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        clock_.set(core::from_utc(2026, 11, 28, 9, 0));
        ASSERT_TRUE(db_->with_connection([](storage::Connection& c) -> core::Status {
                           for (const char* code : {"45210000", "45310000", "45330000"}) {
                               storage::reference::CpvRecord r;
                               r.code = code;
                               r.level = 3;
                               r.division = "45";
                               r.label_fr = "Travaux";
                               r.search_text = "travaux";
                               if (auto s = storage::reference::upsert_cpv(c, r); !s) return s;
                           }
                           return {};
                       })
                        .ok());
        dir_ = std::filesystem::temp_directory_path() / ("passerelle-ex-" + std::to_string(::getpid()));
        blobs_ = std::make_unique<FileBlobStore>(dir_);
        notices_ = std::make_unique<NoticeService>(*db_, clock_, *reference_, *blobs_, "https://passerelle.test");
        exchange_ = std::make_unique<ExchangeService>(*db_, clock_, *reference_, *blobs_, "https://passerelle.test");
        buyer_user_ = signup("acheteur@ville.fr");
        buyer_ = make_buyer(buyer_user_);
        a_user_ = signup("a@atelier.fr");
        a_ = make_company(a_user_, {"45210000"}, {"93"});
        b_user_ = signup("b@baluchon.fr");
        b_ = company(b_user_, "Électricité Baluchon", "80746931700018", {"45310000"}, {});
        c_user_ = signup("c@collecterie.fr");
        c_ = company(c_user_, "La Collecterie", "75187049400026", {"45330000"}, {"siae_aci"});
        core::NoticeInput in;
        in.reference = "2027-GM";
        in.title = "Rénovation du gymnase";
        in.procedure = "ao_ouvert";
        in.bid_deadline = "2027-01-15T12:00";
        core::LotInput lot1{"Gros œuvre", "45210000", "", {"93"}, "none", ""};
        core::LotInput lot2{"Électricité", "45310000", "", {"93"}, "insertion_hours", "300"};
        in.lots = {lot1, lot2};
        notice_ = notices_->create(actor(buyer_user_), buyer_, in, std::nullopt).value();
        ASSERT_TRUE(notices_->publish(actor(buyer_user_), notice_).ok());
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::int64_t company(std::int64_t user, const std::string& name, const std::string& siret,
                         std::vector<std::string> cpv, std::vector<std::string> labels) {
        core::OrganisationInput o;
        o.kind = "company";
        o.name = name;
        o.siret = siret;
        o.size = "TPE";
        o.cpv_codes = std::move(cpv);
        o.labels = std::move(labels);
        o.departements = {"93"};
        return orgs_->create(actor(user), o).value();
    }
    core::OfferInput seek_electrician() {
        core::OfferInput in;
        in.kind = "seek_cocontractor";
        in.lot = "2";
        in.cpv_codes = {"45310000"};
        in.departements = {"93"};
        in.share = "35";
        in.description = "Nous portons le gros œuvre et cherchons un électricien pour le lot 2.";
        return in;
    }

    std::filesystem::path dir_;
    std::unique_ptr<FileBlobStore> blobs_;
    std::unique_ptr<NoticeService> notices_;
    std::unique_ptr<ExchangeService> exchange_;
    std::int64_t buyer_user_ = 0, buyer_ = 0, a_user_ = 0, a_ = 0, b_user_ = 0, b_ = 0, c_user_ = 0, c_ = 0;
    std::int64_t notice_ = 0;
};

TEST_F(ExchangeTest, OfferAnswerConversationConsortium) {
    auto offer = exchange_->publish_offer(actor(a_user_), a_, notice_, seek_electrician());
    ASSERT_TRUE(offer.ok()) << offer.error().message;
    EXPECT_EQ(exchange_->open_offer_count(notice_).value(), 1);

    // Suggested partners: the electrician covers lot 2, the SIAE answers its insertion clause.
    auto partners = exchange_->partners(actor(a_user_), offer.value());
    ASSERT_TRUE(partners.ok()) << partners.error().message;
    ASSERT_EQ(partners->size(), 2u);
    EXPECT_EQ(partners->at(0).org_id, b_);
    EXPECT_EQ(partners->at(1).org_id, c_);
    EXPECT_EQ(partners->at(1).reasons.at(0), "SIAE : le lot 2 comporte une clause d'insertion");

    // B finds the offer and answers; A is told by e-mail.
    core::Page page{1, 20};
    auto list = exchange_->offers(actor(b_user_), {}, page);
    ASSERT_TRUE(list.ok());
    EXPECT_EQ(list->total, 1);
    auto talk = exchange_->answer(actor(b_user_), offer.value(), b_, "Bonjour, nous sommes électriciens à Bobigny.");
    ASSERT_TRUE(talk.ok()) << talk.error().message;
    ASSERT_FALSE(mails("a@atelier.fr").empty());
    EXPECT_NE(mails("a@atelier.fr").front().body_text.find("/mon-espace/messages/" + std::to_string(talk.value())),
              std::string::npos);
    auto unread = exchange_->my_conversations(actor(a_user_));
    ASSERT_EQ(unread->size(), 1u);
    EXPECT_EQ(unread->front().unread, 1);

    // A reads (receipt for B) and replies with a PDF.
    auto seen = exchange_->conversation(actor(a_user_), talk.value());
    ASSERT_TRUE(seen.ok());
    EXPECT_EQ(seen->messages.size(), 1u);
    EXPECT_EQ(exchange_->my_conversations(actor(a_user_))->front().unread, 0);
    auto b_view = exchange_->conversation(actor(b_user_), talk.value());
    EXPECT_EQ(b_view->other_read_up_to, seen->messages.back().id);
    auto reply =
        exchange_->post_message(actor(a_user_), talk.value(), "Voici notre planning.", {{"planning.pdf", kPdf}});
    ASSERT_TRUE(reply.ok()) << reply.error().message;
    b_view = exchange_->conversation(actor(b_user_), talk.value());
    ASSERT_EQ(b_view->messages.size(), 2u);
    ASSERT_EQ(b_view->messages[1].attachments.size(), 1u);
    auto file = exchange_->attachment(actor(b_user_), b_view->messages[1].attachments[0].id);
    ASSERT_TRUE(file.ok());
    EXPECT_EQ(file->bytes, kPdf);
    EXPECT_EQ(file->content_type, "application/pdf");
    EXPECT_FALSE(mails("b@baluchon.fr").empty());

    // A proposes a consortium, B accepts; documents, checklist, lots.
    auto k = exchange_->form_consortium(actor(a_user_), talk.value(), "");
    ASSERT_TRUE(k.ok()) << k.error().message;
    EXPECT_EQ(exchange_->form_consortium(actor(b_user_), talk.value(), "").error().code, core::ErrorCode::kConflict);
    auto invited = exchange_->consortium(actor(b_user_), k.value());
    ASSERT_TRUE(invited.ok());
    EXPECT_FALSE(invited->viewer_active);
    EXPECT_TRUE(invited->documents.empty());
    EXPECT_EQ(exchange_->add_document(actor(b_user_), k.value(), {"dc2.pdf", kPdf}).error().code,
              core::ErrorCode::kForbidden);
    ASSERT_TRUE(exchange_->accept_consortium(actor(b_user_), k.value()).ok());
    auto ws = exchange_->consortium(actor(b_user_), k.value());
    ASSERT_TRUE(ws->viewer_active);
    EXPECT_EQ(ws->consortium.name, "Groupement Atelier Vert – Électricité Baluchon");
    EXPECT_EQ(ws->consortium.members[0].org_id, a_);  // the lead first
    EXPECT_EQ(ws->consortium.members[0].role, "lead");
    EXPECT_EQ(ws->checklist.size(), core::default_checklist().size());
    ASSERT_TRUE(exchange_->add_document(actor(b_user_), k.value(), {"dc2.pdf", kPdf}).ok());
    ASSERT_TRUE(exchange_->check_item(actor(a_user_), k.value(), ws->checklist[0].id, true).ok());
    ASSERT_TRUE(exchange_->set_member(actor(a_user_), k.value(), b_, "member", "Lot 2").ok());
    EXPECT_EQ(exchange_->set_member(actor(b_user_), k.value(), b_, "lead", "").error().code,
              core::ErrorCode::kForbidden);
    ws = exchange_->consortium(actor(a_user_), k.value());
    EXPECT_EQ(ws->documents.size(), 1u);
    EXPECT_TRUE(ws->checklist[0].done);
    EXPECT_EQ(ws->consortium.members[1].lots, "Lot 2");
    EXPECT_EQ(exchange_->document(actor(a_user_), ws->documents[0].id)->bytes, kPdf);
    EXPECT_EQ(exchange_->my_consortia(actor(b_user_))->size(), 1u);

    // The author closes the offer: the conversation stays readable, takes no more messages.
    ASSERT_TRUE(exchange_->close_offer(actor(a_user_), offer.value(), "found").ok());
    EXPECT_EQ(exchange_->post_message(actor(b_user_), talk.value(), "Encore un mot").error().code,
              core::ErrorCode::kConflict);
    EXPECT_EQ(exchange_->answer(actor(c_user_), offer.value(), c_, "Trop tard ?").error().code,
              core::ErrorCode::kConflict);
    EXPECT_EQ(exchange_->close_offer(actor(a_user_), offer.value(), "abandoned").error().code,
              core::ErrorCode::kConflict);
    EXPECT_EQ(exchange_->open_offer_count(notice_).value(), 0);
}

TEST_F(ExchangeTest, WhoSeesWhat) {
    auto offer = exchange_->publish_offer(actor(a_user_), a_, notice_, seek_electrician()).value();
    core::Page page{1, 20};
    // Buyers and visitors do not see offers, only that the exchange exists.
    EXPECT_EQ(exchange_->offers(actor(buyer_user_), {}, page).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(exchange_->offer(core::Actor{}, offer).error().code, core::ErrorCode::kUnauthenticated);
    EXPECT_EQ(exchange_->open_offer_count(notice_).value(), 1);
    // Only the author sees the partners and the answers; one cannot answer one's own offer.
    EXPECT_EQ(exchange_->partners(actor(b_user_), offer).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(exchange_->answer(actor(a_user_), offer, a_, "Moi-même").error().code, core::ErrorCode::kConflict);
    // Publishing or answering for a company one is not a member of.
    EXPECT_EQ(exchange_->publish_offer(actor(b_user_), a_, notice_, seek_electrician()).error().code,
              core::ErrorCode::kForbidden);
    EXPECT_EQ(exchange_->answer(actor(b_user_), offer, c_, "Au nom d'un autre").error().code,
              core::ErrorCode::kForbidden);
    // A third company sees neither the conversation nor the consortium.
    auto talk = exchange_->answer(actor(b_user_), offer, b_, "Bonjour").value();
    EXPECT_EQ(exchange_->conversation(actor(c_user_), talk).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(exchange_->post_message(actor(c_user_), talk, "Je m'invite").error().code, core::ErrorCode::kForbidden);
    auto k = exchange_->form_consortium(actor(b_user_), talk, "Groupement gymnase").value();
    EXPECT_EQ(exchange_->consortium(actor(c_user_), k).error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(exchange_->consortium(actor(buyer_user_), k).error().code, core::ErrorCode::kForbidden);
    // B proposed: B is active, A (the author) is invited; the offer kind makes A the lead.
    auto ws = exchange_->consortium(actor(b_user_), k).value();
    EXPECT_TRUE(ws.viewer_active);
    EXPECT_FALSE(ws.viewer_lead);
    EXPECT_EQ(mails("a@atelier.fr").front().subject, "Proposition de groupement");
}

TEST_F(ExchangeTest, BadInputChangesNothing) {
    core::OfferInput unknown = seek_electrician();
    unknown.cpv_codes = {"45999000"};  // well formed, not in the nomenclature
    auto refused = exchange_->publish_offer(actor(a_user_), a_, notice_, unknown);
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(refused.error().fields.count("cpv_codes"));
    core::OfferInput bad_lot = seek_electrician();
    bad_lot.lot = "7";
    EXPECT_TRUE(exchange_->publish_offer(actor(a_user_), a_, notice_, bad_lot).error().fields.count("lot"));
    EXPECT_EQ(count("partnership_offers"), 0);

    auto offer = exchange_->publish_offer(actor(a_user_), a_, notice_, seek_electrician()).value();
    EXPECT_TRUE(exchange_->answer(actor(b_user_), offer, b_, "   ").error().fields.count("body"));
    const std::string big(core::kMaxAttachmentBytes + 1, 'x');
    auto oversized = exchange_->answer(actor(b_user_), offer, b_, "Notre plaquette", {{"plaquette.pdf", big}});
    ASSERT_FALSE(oversized.ok());
    EXPECT_NE(oversized.error().fields.at("attachments").find("10 Mo"), std::string::npos);
    auto exe = exchange_->answer(actor(b_user_), offer, b_, "Un outil", {{"outil.exe", "MZ\x90\x00 not a document"}});
    EXPECT_TRUE(exe.error().fields.count("attachments"));
    EXPECT_EQ(count("conversations"), 0);
    EXPECT_EQ(count("messages"), 0);

    // A notice past its deadline takes no more offers.
    clock_.set(core::from_utc(2027, 2, 1, 9, 0));
    EXPECT_EQ(exchange_->publish_offer(actor(b_user_), b_, notice_, seek_electrician()).error().code,
              core::ErrorCode::kConflict);
}

TEST_F(ExchangeTest, MessagesAreRateLimitedPerPerson) {
    auto offer = exchange_->publish_offer(actor(a_user_), a_, notice_, seek_electrician()).value();
    auto talk = exchange_->answer(actor(b_user_), offer, b_, "Bonjour").value();
    for (int i = 1; i < ExchangeService::kMessagesPerWindow; ++i)
        ASSERT_TRUE(exchange_->post_message(actor(b_user_), talk, "Message " + std::to_string(i)).ok()) << i;
    auto over = exchange_->post_message(actor(b_user_), talk, "Un de trop");
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.error().code, core::ErrorCode::kTooManyRequests);
    EXPECT_EQ(over.error().retry_after_seconds, ExchangeService::kMessageWindowSeconds);
    EXPECT_EQ(count("messages"), ExchangeService::kMessagesPerWindow);  // nothing more written
    EXPECT_TRUE(exchange_->post_message(actor(a_user_), talk, "L'autre côté peut répondre").ok());
    clock_.set(clock_.now() + ExchangeService::kMessageWindowSeconds);
    EXPECT_TRUE(exchange_->post_message(actor(b_user_), talk, "Plus tard").ok());
}

// Issue 20, item 5: messages in a row mail the other side once, until it has read them.
TEST_F(ExchangeTest, MessagesInARowMailTheOtherSideOnce) {
    auto offer = exchange_->publish_offer(actor(a_user_), a_, notice_, seek_electrician()).value();
    auto talk = exchange_->answer(actor(b_user_), offer, b_, "Bonjour").value();
    const auto after_answer = mails("a@atelier.fr").size();
    for (int i = 0; i < 10; ++i)
        ASSERT_TRUE(exchange_->post_message(actor(b_user_), talk, "Suite " + std::to_string(i)).ok());
    EXPECT_EQ(mails("a@atelier.fr").size(), after_answer);  // the answer's mail covers them: A has not read it
    ASSERT_TRUE(exchange_->conversation(actor(a_user_), talk).ok());  // A reads
    ASSERT_TRUE(exchange_->post_message(actor(b_user_), talk, "Encore une chose").ok());
    EXPECT_EQ(mails("a@atelier.fr").size(), after_answer + 1);
    ASSERT_TRUE(exchange_->post_message(actor(b_user_), talk, "Et une autre").ok());
    EXPECT_EQ(mails("a@atelier.fr").size(), after_answer + 1);
}

TEST_F(ExchangeTest, ReportsAreModeratedByOrganisers) {
    auto offer = exchange_->publish_offer(actor(a_user_), a_, notice_, seek_electrician()).value();
    auto talk = exchange_->answer(actor(b_user_), offer, b_, "Achetez nos montres de luxe !").value();
    auto message = exchange_->conversation(actor(a_user_), talk)->messages.at(0).id;
    EXPECT_EQ(exchange_->report(actor(c_user_), "message", message, "Spam").error().code, core::ErrorCode::kForbidden);
    EXPECT_TRUE(exchange_->report(actor(a_user_), "message", message, "").error().fields.count("reason"));
    ASSERT_TRUE(exchange_->report(actor(a_user_), "message", message, "Publicité sans rapport").ok());
    // Once per person and content, and never one's own.
    EXPECT_EQ(exchange_->report(actor(a_user_), "message", message, "Publicité sans rapport").error().code,
              core::ErrorCode::kConflict);
    EXPECT_EQ(exchange_->report(actor(b_user_), "message", message, "Je me signale").error().code,
              core::ErrorCode::kConflict);
    EXPECT_EQ(exchange_->report(actor(a_user_), "offer", offer, "Ma propre offre").error().code,
              core::ErrorCode::kConflict);
    EXPECT_EQ(exchange_->open_reports(actor(a_user_)).error().code, core::ErrorCode::kForbidden);

    const std::int64_t organiser = signup("orga@gip.fr");
    ASSERT_TRUE(db_->with_connection([&](storage::Connection& c) {
                       return storage::accounts::grant_role(c, organiser, "organiser", 1);
                   })
                    .ok());
    auto reports = exchange_->open_reports(actor(organiser));
    ASSERT_TRUE(reports.ok());
    ASSERT_EQ(reports->size(), 1u);
    EXPECT_EQ(reports->at(0).excerpt, "Achetez nos montres de luxe !");
    EXPECT_EQ(reports->at(0).author_email, "b@baluchon.fr");
    ASSERT_TRUE(exchange_->decide_report(actor(organiser), reports->at(0).report.id, "suspend").ok());
    EXPECT_TRUE(exchange_->open_reports(actor(organiser))->empty());
    EXPECT_TRUE(exchange_->conversation(actor(a_user_), talk)->messages.at(0).hidden);
    auto login = accounts_->login("b@baluchon.fr", "Correct-Cheval-42", "127.0.0.1");
    ASSERT_FALSE(login.ok());
    EXPECT_EQ(login.error().code, core::ErrorCode::kForbidden);
    EXPECT_EQ(exchange_->decide_report(actor(organiser), reports->at(0).report.id, "hide").error().code,
              core::ErrorCode::kNotFound);  // already settled
}

}  // namespace
}  // namespace passerelle::app
