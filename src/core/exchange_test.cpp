#include "core/exchange.hpp"

#include <gtest/gtest.h>

namespace passerelle::core {
namespace {

OfferInput good() {
    OfferInput in;
    in.kind = "seek_cocontractor";
    in.lot = "2";
    in.cpv_codes = {"45310000-3", ""};
    in.departements = {"93"};
    in.share = "30";
    in.description = "  Nous cherchons un électricien pour le lot 2, environ 30 % des travaux.  ";
    return in;
}

TEST(Offer, ValidatesAgainstTheNotice) {
    auto ok = validate_offer(good(), {1, 2});
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    EXPECT_EQ(ok->lot_number, 2);
    EXPECT_EQ(ok->cpv_codes, std::vector<std::string>{"45310000"});
    EXPECT_EQ(ok->share_percent, 30);
    EXPECT_EQ(ok->description.front(), 'N');

    OfferInput whole = good();
    whole.lot = "";
    whole.share = "";
    EXPECT_FALSE(validate_offer(whole, {1}).value().lot_number);

    OfferInput bad;
    bad.kind = "sell";
    bad.lot = "3";
    bad.cpv_codes = {"4531"};
    bad.departements = {"999"};
    bad.share = "150";
    bad.description = "Trop court";
    auto e = validate_offer(bad, {1, 2});
    ASSERT_FALSE(e.ok());
    for (const char* f : {"kind", "lot", "cpv_codes", "departements", "share", "description"})
        EXPECT_TRUE(e.error().fields.count(f)) << f;
}

TEST(Offer, OnlyAnOpenOfferCloses) {
    EXPECT_EQ(offer_transition_error("open", "found"), "");
    EXPECT_EQ(offer_transition_error("open", "abandoned"), "");
    EXPECT_NE(offer_transition_error("found", "abandoned"), "");
    EXPECT_NE(offer_transition_error("open", "open"), "");
}

TEST(Message, TextOrAttachmentWithinLimits) {
    EXPECT_EQ(validate_message("  Bonjour  ", 0).value(), "Bonjour");
    EXPECT_TRUE(validate_message("", 1).ok());  // an attachment alone
    EXPECT_EQ(validate_message(" ", 0).error().fields.count("body"), 1u);
    EXPECT_EQ(validate_message(std::string(5001, 'a'), 0).error().fields.count("body"), 1u);
    EXPECT_EQ(validate_message("x", 4).error().fields.count("attachments"), 1u);
    // Every problem at once, in the form's order.
    auto both = validate_message(std::string(5001, 'a'), 4);
    ASSERT_EQ(both.error().fields.size(), 2u);
    EXPECT_EQ(both.error().fields.begin()->first, "body");
}

TEST(Partners, ComplementTheLotsTheAuthorDoesNotCover) {
    PartnerRequest r;
    r.lots = {{1, "Gros œuvre", "45210000", "none"}, {2, "Électricité", "45310000", "insertion_hours"}};
    r.author_skills = {"45200000"};  // covers lot 1 (45210000 is within 452)
    r.places = {"93"};
    std::vector<PartnerCandidate> c = {
        {1, "Maçonnerie bis", {"45210000"}, {"93"}, {}},              // same as the author: no complement
        {2, "Élec 93", {"45311000"}, {"93"}, {}},                     // lot 2
        {3, "Élec lointaine", {"45310000"}, {"13"}, {}},              // lot 2, elsewhere
        {4, "Régie d'insertion", {"90910000"}, {"93"}, {"siae_ei"}},  // the clause of lot 2
    };
    auto out = suggest_partners(r, c);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].name, "Élec 93");
    EXPECT_EQ(out[0].reasons[0], "couvre le lot 2 (CPV 45310000) que vous ne couvrez pas");
    EXPECT_EQ(out[0].reasons.back(), "intervient dans le 93");
    EXPECT_EQ(out[1].name, "Régie d'insertion");
    EXPECT_EQ(out[1].reasons[0], "SIAE : le lot 2 comporte une clause d'insertion");
    EXPECT_EQ(out[2].name, "Élec lointaine");  // half the score for another place

    r.sought = {"45330000"};  // plumbing asked for explicitly
    c.push_back({5, "Plomberie 93", {"45330000"}, {"93"}, {}});
    out = suggest_partners(r, c);
    EXPECT_EQ(std::count_if(out.begin(), out.end(), [](const auto& s) { return s.name == "Plomberie 93"; }), 1);
    r.limit = 1;
    EXPECT_EQ(suggest_partners(r, c).size(), 1u);
}

TEST(Partners, ReservedLotsWantTheRightLabel) {
    PartnerRequest r;
    r.lots = {{1, "", "90910000", "reserved_ea_esat"}};
    r.author_skills = {"90910000"};
    auto out = suggest_partners(r, {{1, "SIAE", {}, {}, {"siae_ei"}}, {2, "ESAT", {}, {}, {"esat"}}});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].name, "ESAT");
    EXPECT_EQ(out[0].reasons[0], "ESAT : la consultation est réservée à ces structures");
}

}  // namespace
}  // namespace passerelle::core
