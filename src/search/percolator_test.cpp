#include "search/percolator.hpp"

#include <gtest/gtest.h>

using namespace passerelle::search;

namespace {
IndexedDoc doc() {
    IndexedDoc d;
    d.kind = "notice";
    d.id = 1;
    d.title = "Rénovation énergétique des collèges";
    d.body = "Isolation et menuiseries";
    d.cpv_codes = {"45000000"};
    d.cpv_labels = {"Travaux de construction"};
    d.departements = {"93"};
    d.procedure = "ao_ouvert";
    d.clauses = {"insertion_hours"};
    return d;
}
std::vector<std::int64_t> ids(const std::vector<PercolatorMatch>& m) {
    std::vector<std::int64_t> out;
    for (const auto& x : m) out.push_back(x.saved_query_id);
    std::sort(out.begin(), out.end());
    return out;
}
}  // namespace

TEST(Percolator, MatchesLikeTheSearchOnStemsAndFilters) {
    Percolator p;
    p.add({1, "energetique college", "", "", "", "", ""});  // accents and plural do not matter
    p.add({2, "energetique", "", "75", "", "", ""});        // wrong département
    p.add({3, "", "notice", "93", "45", "", ""});           // filters only
    p.add({4, "construction", "roadmap", "", "", "", ""});  // CPV label, wrong kind
    p.add({5, "", "", "", "", "", ""});                     // everything
    p.add({6, "piscine", "", "", "", "", ""});
    auto m = p.match(doc());
    EXPECT_EQ(ids(m), (std::vector<std::int64_t>{1, 3, 5}));
    for (const auto& x : m) {
        if (x.saved_query_id == 3) {
            EXPECT_EQ(*x.reasons, (std::vector<std::string>{"domaine CPV 45", "département 93"}));
        }
    }
}

TEST(Percolator, OnlyCandidatesAreChecked) {
    Percolator p;
    for (int i = 0; i < 1000; ++i) p.add({i + 10, "piscine" + std::to_string(i), "", "", "", "", ""});
    p.add({1, "menuiseries", "", "", "", "", ""});
    auto m = p.match(doc());
    EXPECT_EQ(ids(m), std::vector<std::int64_t>{1});
    EXPECT_EQ(p.last_candidates(), 1u);
    p.remove(1);
    EXPECT_TRUE(p.match(doc()).empty());
    EXPECT_EQ(p.size(), 1000u);
    p.add({10, "isolation", "", "", "", "", ""});  // replacing a search refiles it
    EXPECT_EQ(ids(p.match(doc())), std::vector<std::int64_t>{10});
}
