#include "core/sourcing.hpp"

#include <gtest/gtest.h>

namespace passerelle::core::sourcing {
namespace {

Geography geo() {
    return {{"93", {"Seine-Saint-Denis", "11"}},
            {"75", {"Paris", "11"}},
            {"59", {"Nord", "32"}},
            {"13", {"Bouches-du-Rhône", "93"}}};
}

Request request(std::string cpv = "72413000", std::string dep = "93") {
    Request r;
    r.cpv = std::move(cpv);
    r.departement = std::move(dep);
    r.as_of = "2024-06-01";
    return r;
}

Candidate company(std::string siret, std::string name, std::vector<PastAward> awards = {}) {
    Candidate c;
    c.siret = std::move(siret);
    c.name = std::move(name);
    c.awards = std::move(awards);
    return c;
}

PastAward award(std::string cpv, std::string dep, std::string date, std::string buyer = "21930001000011",
                std::optional<double> amount = std::nullopt) {
    return {std::move(cpv), std::move(dep), std::move(buyer), amount, std::move(date)};
}

TEST(CpvCloseness, FollowsTheHierarchy) {
    EXPECT_EQ(cpv_closeness("72413000", "72413000"), 1);
    EXPECT_EQ(cpv_closeness("72000000", "72413000"), 1);  // the division contains the code
    EXPECT_EQ(cpv_closeness("72413000", "72400000"), 1);  // and the group too
    EXPECT_GT(cpv_closeness("72413000", "72410000"), cpv_closeness("72413000", "72420000"));
    EXPECT_GT(cpv_closeness("72413000", "72420000"), cpv_closeness("72413000", "72500000"));
    EXPECT_GT(cpv_closeness("72413000", "72500000"), 0);
    EXPECT_EQ(cpv_closeness("72413000", "45000000"), 0);
    EXPECT_EQ(cpv_closeness("72413000", ""), 0);
    EXPECT_EQ(cpv_closeness("7241300", "72413000"), 0);
}

TEST(Qualifies, ByReservation) {
    EXPECT_TRUE(qualifies({}, ""));
    EXPECT_TRUE(qualifies({"siae_ei"}, "siae"));
    EXPECT_FALSE(qualifies({"ess"}, "siae"));
    EXPECT_TRUE(qualifies({"esat"}, "ea_esat"));
    EXPECT_FALSE(qualifies({"siae_aci"}, "ea_esat"));
    EXPECT_TRUE(qualifies({"ess"}, "ess"));
    EXPECT_FALSE(qualifies({}, "ess"));
}

TEST(Rank, SimilarLocalRecentHistoryComesFirst) {
    std::vector<Candidate> cands = {
        company("1", "Lointaine", {award("72413000", "13", "2023-05-01")}),
        company("2", "Locale", {award("72413000", "93", "2023-05-01")}),
        company("3", "Ancienne", {award("72413000", "93", "2014-05-01")}),
        company("4", "Voisine", {award("72413000", "75", "2023-05-01")}),
        company("5", "Autre métier", {award("45210000", "93", "2023-05-01")}),
    };
    auto out = rank(request(), cands, geo());
    ASSERT_EQ(out.size(), 4u);  // nothing in common with the other division
    EXPECT_EQ(out[0].name, "Locale");
    EXPECT_EQ(out[1].name, "Voisine");  // same région beats another région
    EXPECT_EQ(out[2].name, "Lointaine");
    EXPECT_EQ(out[3].name, "Ancienne");  // ten years old
    EXPECT_GT(out[0].score, out[1].score);
}

TEST(Rank, CloserCpvAndSameBuyerCount) {
    std::vector<Candidate> cands = {
        company("1", "Même code", {award("72413000", "93", "2023-01-01", "30000000000001")}),
        company("2", "Même division", {award("72500000", "93", "2023-01-01", "30000000000001")}),
        company("3", "Titulaire sortant", {award("72500000", "93", "2023-01-01", "21930001000029")}),
    };
    Request r = request();
    auto out = rank(r, cands, geo());
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].name, "Même code");
    r.buyer_siret = "21930001000011";  // same SIREN as the third one's buyer, another establishment
    out = rank(r, cands, geo());
    EXPECT_EQ(out[0].name, "Titulaire sortant");
    EXPECT_NE(std::find(out[0].reasons.begin(), out[0].reasons.end(),
                        "a déjà remporté 1 marché de cet acheteur (le dernier en 2023)"),
              out[0].reasons.end());
}

TEST(Rank, SameBuyerInAnotherDivisionStillCountsALittle) {
    Request r = request();
    r.buyer_siret = "21930001000011";
    auto out = rank(r, {company("1", "Prestataire habituel", {award("45210000", "93", "2023-01-01")})}, geo());
    ASSERT_EQ(out.size(), 1u);
    EXPECT_GT(out[0].score, 0);
}

TEST(Rank, AmountsCloseToTheRequestCountMore) {
    Request r = request();
    r.amount = 100000;
    auto out = rank(r,
                    {company("1", "Gros marchés", {award("72413000", "93", "2023-01-01", "x", 20000000.0)}),
                     company("2", "Taille comparable", {award("72413000", "93", "2023-01-01", "x", 120000.0)})},
                    geo());
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].name, "Taille comparable");
    EXPECT_NE(
        std::find(out[0].reasons.begin(), out[0].reasons.end(), "a remporté un marché proche de 120\u202f000\u202f€"),
        out[0].reasons.end());
}

TEST(Rank, ReasonsInPlainFrench) {
    std::vector<Candidate> cands = {
        company("1", "Informatique 93",
                {award("72413000", "93", "2022-03-01"), award("72410000", "93", "2023-03-01"),
                 award("72500000", "93", "2023-09-01")})};
    auto out = rank(request(), cands, geo());
    ASSERT_EQ(out.size(), 1u);
    ASSERT_GE(out[0].reasons.size(), 2u);
    EXPECT_EQ(out[0].reasons[0], "a remporté 3 marchés CPV 72 dans le 93 (Seine-Saint-Denis) depuis 2022");
    EXPECT_EQ(out[0].reasons[1], "dont 1 avec le code 72413000");

    cands[0].awards.push_back(award("72413000", "59", "2019-01-01"));
    out = rank(request(), cands, geo());
    EXPECT_EQ(out[0].reasons[0], "a remporté 4 marchés CPV 72 depuis 2019, dont 3 dans le 93 (Seine-Saint-Denis)");
}

TEST(Rank, DeclaredSkillsAndPlaces) {
    Candidate declared = company("1", "Déclarée");
    declared.declared_cpv = {"72413000"};
    declared.departements = {"93"};
    Candidate near = company("2", "Proche");
    near.declared_cpv = {"72420000", "72500000"};
    Candidate unrelated = company("3", "Hors sujet");
    unrelated.declared_cpv = {"45210000"};
    unrelated.departements = {"93"};
    auto out = rank(request(), {declared, near, unrelated}, geo());
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].name, "Déclarée");
    EXPECT_EQ(out[0].reasons[0], "a déclaré la compétence 72413000");
    EXPECT_EQ(out[0].reasons[1], "intervient dans le 93 (Seine-Saint-Denis)");
    EXPECT_EQ(out[1].reasons[0], "a déclaré une compétence proche (72420000)");
}

TEST(Rank, LabelsCountWhenAClauseIsSought) {
    Candidate siae = company("1", "Régie de quartier");
    siae.labels = {"siae_ei"};
    siae.departements = {"93"};
    Candidate classic = company("2", "Classique", {award("72413000", "93", "2023-01-01")});

    auto plain = rank(request(), {siae, classic}, geo());
    ASSERT_EQ(plain.size(), 1u);  // an SIAE with no skill in common is not suggested for a plain purchase
    EXPECT_EQ(plain[0].name, "Classique");

    Request r = request();
    r.social_clause = true;
    auto clause = rank(r, {siae, classic}, geo());
    ASSERT_EQ(clause.size(), 2u);
    EXPECT_EQ(clause[0].name, "Régie de quartier");
    EXPECT_EQ(clause[0].reasons.back(), "SIAE (EI) intervenant dans le 93 (Seine-Saint-Denis)");

    Candidate far = siae;  // the same, working in another région
    far.siret = "9";
    far.name = "Régie lointaine";
    far.departements = {"13"};
    auto both = rank(r, {far, siae}, geo());
    ASSERT_EQ(both.size(), 1u);  // a label alone, far away, is not a reason
    far.declared_cpv = {"72413000"};
    siae.declared_cpv = {"72413000"};
    both = rank(r, {far, siae}, geo());
    ASSERT_EQ(both.size(), 2u);
    EXPECT_EQ(both[0].name, "Régie de quartier");
    EXPECT_GT(both[0].score, 2 * both[1].score);
    siae.declared_cpv.clear();

    r.social_clause = false;
    r.reservation = "siae";
    auto reserved = rank(r, {siae, classic}, geo());
    ASSERT_EQ(reserved.size(), 1u);  // a reserved contract leaves out who does not qualify
    EXPECT_EQ(reserved[0].name, "Régie de quartier");
}

TEST(Rank, LimitAndStableOrder) {
    std::vector<Candidate> cands;
    for (int i = 0; i < 30; ++i)
        cands.push_back(company(std::to_string(100 + i), "Entreprise " + std::to_string(100 + i),
                                {award("72413000", "93", "2023-01-01")}));
    Request r = request();
    r.limit = 5;
    auto out = rank(r, cands, geo());
    ASSERT_EQ(out.size(), 5u);
    EXPECT_EQ(out[0].name, "Entreprise 100");  // equal scores: by name
    EXPECT_EQ(out[4].name, "Entreprise 104");
}

TEST(Rank, RecencyIsMeasuredFromTheReferenceDay) {
    std::vector<Candidate> cands = {company("1", "A", {award("72413000", "93", "2020-01-01")}),
                                    company("2", "B", {award("72413000", "93", "2016-01-01")}),
                                    company("3", "B", {award("72413000", "93", "2016-01-01")})};
    Request r = request();
    auto now = rank(r, cands, geo());
    r.as_of = "2020-01-02";
    auto then = rank(r, cands, geo());
    EXPECT_GT(then[0].score, now[0].score);  // one day old weighs more than four and a half years old
    EXPECT_EQ(then[0].siret, "1");
    EXPECT_EQ(then[1].siret, "2");  // equal names: by SIRET
}

}  // namespace
}  // namespace passerelle::core::sourcing
