#include "core/decp.hpp"

#include <gtest/gtest.h>

namespace passerelle::core {
namespace {

RawContract sample() {
    RawContract r;
    r.format = "decp-v1";
    r.id = "2018MA181101";
    r.buyer = {"28850001000013", "", "SDIS de la Vendée"};
    r.suppliers = {{"82746233400018", "SIRET", "SAS SHOW VISION ACRO"}};
    r.object = "Installation et maintenance";
    r.cpv = "45314000";
    r.procedure = "Procédure adaptée";
    r.place_code = "85";
    r.place_type = "Code département";
    r.notified = "2018-12-03";
    r.published = "2018-12-07";
    r.amount = "80000";
    r.duration_months = "12";
    return r;
}

TEST(DecpCpv, AcceptsEightDigitsWithOrWithoutCheckDigit) {
    std::string w;
    EXPECT_EQ(normalise_decp_cpv("50700000-2", &w), "50700000");
    EXPECT_EQ(normalise_decp_cpv(" 45000000 ", &w), "45000000");
    EXPECT_TRUE(w.empty());
}

TEST(DecpCpv, RestoresTheLeadingZeroOfSevenDigitsWithAWarning) {
    std::string w;
    EXPECT_EQ(normalise_decp_cpv("3192000", &w), "03192000");
    EXPECT_NE(w.find("7 chiffres"), std::string::npos);
}

TEST(DecpCpv, DropsUnusableCodesWithAWarning) {
    std::string w;
    EXPECT_EQ(normalise_decp_cpv("45A", &w), "");
    EXPECT_NE(w.find("illisible"), std::string::npos);
    w.clear();
    EXPECT_EQ(normalise_decp_cpv("452100", &w), "");
    EXPECT_NE(w.find("longueur invalide"), std::string::npos);
    w.clear();
    EXPECT_EQ(normalise_decp_cpv("", &w), "");
    EXPECT_TRUE(w.empty());  // nothing published, nothing to say
}

TEST(DecpDate, KeepsTheDayOfTimeZonedAndTimedValues) {
    EXPECT_EQ(parse_decp_date("2018-12-17+01:00"), "2018-12-17");
    EXPECT_EQ(parse_decp_date("2019-01-15T00:00:00Z"), "2019-01-15");
    EXPECT_EQ(parse_decp_date(""), "");
}

TEST(DecpDate, RejectsImpossibleDates) {
    EXPECT_FALSE(parse_decp_date("0218-05-02"));
    EXPECT_FALSE(parse_decp_date("2019-02-29"));
    EXPECT_TRUE(parse_decp_date("2020-02-29"));
    EXPECT_FALSE(parse_decp_date("2019-13-01"));
    EXPECT_FALSE(parse_decp_date("03/12/2018"));
}

TEST(DecpPlace, DerivesTheDepartement) {
    EXPECT_EQ(departement_of_place("Code département", "85"), "85");
    EXPECT_EQ(departement_of_place("Code département", "1"), "01");
    EXPECT_EQ(departement_of_place("Code postal", "93200"), "93");
    EXPECT_EQ(departement_of_place("CODE POSTAL", "97400"), "974");
    EXPECT_EQ(departement_of_place("Code postal", "20090"), "2A");
    EXPECT_EQ(departement_of_place("Code postal", "20200"), "2B");
    EXPECT_EQ(departement_of_place("Code commune", "2B033"), "2B");
    EXPECT_EQ(departement_of_place("Code région", "11"), "");
    EXPECT_EQ(departement_of_place("Code pays", "FR"), "");
}

TEST(DecpProcedure, MapsPublishedNames) {
    EXPECT_EQ(procedure_code("Procédure adaptée"), "mapa");
    EXPECT_EQ(procedure_code("Appel d'offres ouvert"), "ao_ouvert");
    EXPECT_EQ(procedure_code("Appel d’offres restreint"), "ao_restreint");
    EXPECT_EQ(procedure_code("Procédure négociée avec publicité préalable"), "negociee");
    EXPECT_EQ(procedure_code("Procedure negociee sans publicite ni mise en concurrence"), "sans_publicite");
    EXPECT_EQ(procedure_code("Marché passé sans publicité ni mise en concurrence préalable"), "sans_publicite");
    EXPECT_EQ(procedure_code("Dialogue compétitif"), "dialogue");
    EXPECT_EQ(procedure_code("Procédure spéciale"), "autre");
    EXPECT_EQ(procedure_code(""), "");
}

TEST(DecpNormalise, ConvertsACleanRecord) {
    auto c = normalise(sample());
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->key, "28850001000013|2018MA181101|2018-12-03");
    EXPECT_EQ(c->source_id, "288500010000132018MA181101");
    EXPECT_EQ(c->cpv, "45314000");
    EXPECT_EQ(c->departement, "85");
    EXPECT_EQ(c->procedure, "mapa");
    ASSERT_TRUE(c->amount);
    EXPECT_DOUBLE_EQ(*c->amount, 80000);
    EXPECT_EQ(c->duration_months, 12);
    ASSERT_EQ(c->suppliers.size(), 1u);
    EXPECT_TRUE(c->suppliers[0].valid_siret);
    EXPECT_TRUE(c->warnings.empty());
}

TEST(DecpNormalise, TrimsTheTextsItTakesOver) {
    // The texts move into the record when they need no trimming, are trimmed otherwise: both give the
    // same record.
    RawContract padded = sample();
    for (auto* s : {&padded.id, &padded.object, &padded.procedure, &padded.place_code, &padded.source,
                    &padded.buyer.name, &padded.suppliers[0].name})
        *s = " \t" + *s + " \n";
    auto clean = normalise(sample());
    auto trimmed = normalise(padded);
    ASSERT_TRUE(clean && trimmed);
    EXPECT_EQ(trimmed->key, clean->key);
    EXPECT_EQ(trimmed->object, "Installation et maintenance");
    EXPECT_EQ(trimmed->procedure_text, "Procédure adaptée");
    EXPECT_EQ(trimmed->place_code, "85");
    EXPECT_EQ(trimmed->departement, "85");
    EXPECT_EQ(trimmed->buyer.name, "SDIS de la Vendée");
    EXPECT_EQ(trimmed->suppliers[0].name, "SAS SHOW VISION ACRO");
    EXPECT_EQ(trimmed->source, "");
    EXPECT_TRUE(trimmed->warnings.empty());
    // A blank text is empty, whatever its spaces.
    RawContract blank = sample();
    blank.object = " \t ";
    auto b = normalise(blank);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->object, "");
}

TEST(DecpNormalise, KeepsDamagedRecordsWithWarnings) {
    RawContract r = sample();
    r.object = "Soci\xEF\xBF\xBD\x74\xC3\xA9 de livraison";
    r.notified = "0218-05-02";
    r.amount = "30000.00";
    r.duration_months = "36";
    r.cpv = "3192000";
    r.suppliers[0].id = "12345678901234";  // fails the Luhn check
    auto c = normalise(r);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->notified_on, "");
    EXPECT_EQ(c->cpv, "03192000");
    EXPECT_DOUBLE_EQ(*c->amount, 30000);
    EXPECT_EQ(c->duration_months, 36);
    EXPECT_FALSE(c->suppliers[0].valid_siret);
    EXPECT_EQ(c->warnings.size(), 4u);
}

TEST(DecpNormalise, KeepsARecordWithoutIdentifierUnderAKeyOfItsContent) {
    RawContract r = sample();
    r.id = " ";
    auto c = normalise(r);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->key, "28850001000013|~Installation et maintenance|2018-12-03|82746233400018");
    EXPECT_EQ(c->source_id, "");
    ASSERT_EQ(c->warnings.size(), 1u);
    EXPECT_NE(c->warnings[0].find("identifiant du marché absent"), std::string::npos);
}

TEST(DecpNormalise, RejectsRecordsWithoutBuyerOrAnythingToRecogniseThem) {
    RawContract r = sample();
    r.id = "";
    r.notified = "";
    auto c = normalise(r);
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("identifiant du marché absent"), std::string::npos);
    r = sample();
    r.buyer.id.clear();
    EXPECT_FALSE(normalise(r));
}

TEST(DecpNormalise, ListsASupplierOnceEvenUnderTwoNames) {
    RawContract r = sample();
    r.suppliers.push_back({"82746233400018", "SIRET", "SHOW VISION ACRO"});
    r.suppliers.push_back({"", "", "Sans identifiant"});
    r.suppliers.push_back({"", "", "Sans identifiant"});
    auto c = normalise(r);
    ASSERT_EQ(c->suppliers.size(), 2u);
    EXPECT_EQ(c->suppliers[0].name, "SAS SHOW VISION ACRO");
}

TEST(DecpNormalise, DropsThePublishersBackslashesBeforeQuotes) {
    RawContract r = sample();
    r.suppliers[0].name = R"(SOCIETE REGIONALE D\'ESPACES VERTS \"S.O.R.E.V.E.\")";
    r.object = R"(Entretien d\'espaces verts)";
    auto c = normalise(r);
    EXPECT_EQ(c->suppliers[0].name, R"(SOCIETE REGIONALE D'ESPACES VERTS "S.O.R.E.V.E.")");
    EXPECT_EQ(c->object, "Entretien d'espaces verts");
}

// Tabular files are read as bytes: Latin-1 text must not reach the pages and exports (which need UTF-8).
TEST(DecpNormalise, RepairsTextThatIsNotUtf8WithAWarning) {
    RawContract r = sample();
    r.object = "Entretien des espaces verts (\xE9t\xE9)";
    r.suppliers[0].name =
        "CR\xC8"
        "CHE";
    auto c = normalise(r);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->object, "Entretien des espaces verts (\xEF\xBF\xBDt\xEF\xBF\xBD)");
    EXPECT_EQ(c->suppliers[0].name,
              "CR\xEF\xBF\xBD"
              "CHE");
    ASSERT_FALSE(c->warnings.empty());
    EXPECT_NE(c->warnings.back().find("UTF-8"), std::string::npos);
    EXPECT_EQ(c->key, normalise(sample())->key);  // same record, same key
}

TEST(DecpNormalise, DetectsSocialClauses) {
    RawContract r = sample();
    r.social_considerations = {"Clause sociale"};
    EXPECT_TRUE(normalise(r)->social_clause);
    r.social_considerations = {"Pas de considération sociale"};
    EXPECT_FALSE(normalise(r)->social_clause);
}

}  // namespace
}  // namespace passerelle::core
