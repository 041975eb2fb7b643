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
