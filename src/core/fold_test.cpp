#include "core/fold.hpp"

#include <gtest/gtest.h>

using passerelle::core::fold;

TEST(Fold, RemovesAccentsAndCase) {
    EXPECT_EQ(fold("Énergétique"), "energetique");
    EXPECT_EQ(fold("Œuvre d'ART"), "oeuvre d'art");
    EXPECT_EQ(fold("Travaux de CONSTRUCTION à Évry"), "travaux de construction a evry");
    EXPECT_EQ(fold("ex æquo"), "ex aequo");
    EXPECT_EQ(fold(""), "");
}

TEST(Fold, KeepsWhatHasNoAccentAndFoldsOtherScripts) {
    EXPECT_EQ(fold("SIRET 21750001600019 / Lot n°3"), "siret 21750001600019 / lot n°3");
    EXPECT_EQ(fold("ÇA À L'ÎLE-DE-FRANCE"), "ca a l'ile-de-france");
    EXPECT_EQ(fold("Soci\xEF\xBF\xBDt\xEF\xBF\xBD"), "soci\xEF\xBF\xBDt\xEF\xBF\xBD");  // U+FFFD stays
    EXPECT_EQ(fold("Ελλάδα"), "ελλαδα");
}
