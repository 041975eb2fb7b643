#include "search/percolator.hpp"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <random>
#include <set>

#include "core/fold.hpp"

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
std::vector<std::int64_t> ids(std::vector<std::int64_t> m) {
    std::sort(m.begin(), m.end());
    return m;
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
    ASSERT_NE(p.reasons(3), nullptr);
    EXPECT_EQ(*p.reasons(3), (std::vector<std::string>{"domaine CPV 45", "département 93"}));
    p.remove(3);
    EXPECT_EQ(p.reasons(3), nullptr);
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

TEST(Percolator, SearchesOfMoreThanThreeWordsNeedThemAll) {
    Percolator p;
    p.add({1, "rénovation énergétique collèges isolation", "", "", "", "", ""});
    p.add({2, "rénovation énergétique collèges piscine", "", "", "", "", ""});
    p.add({3, "l'isolation des menuiseries du collège en 93", "", "", "", "", ""});
    EXPECT_EQ(ids(p.match(doc())), (std::vector<std::int64_t>{1}));
    IndexedDoc d = doc();
    d.body += " des et du en l 93";
    EXPECT_EQ(ids(p.match(d)), (std::vector<std::int64_t>{1, 3}));
    EXPECT_EQ(ids(p.match(d)), (std::vector<std::int64_t>{1, 3}));  // the same from the cache of stems
}

// The percolator against the plain definition, on random searches and documents: a search matches when
// every stemmed, folded word of its text is among the document's and every filter holds.
TEST(Percolator, AgreesWithCheckingEverySearch) {
    const std::vector<std::string> vocab = {"Rénovation",   "énergétiques", "collège",  "COLLÈGES",    "isolation",
                                            "d'isolation",  "menuiserie",   "l’école",  "écoles",      "nettoyage",
                                            "Nettoyages",   "œuvre",        "oeuvres",  "voirie",      "entretien",
                                            "espaces",      "verts",        "45",       "lot-2",       "élagage",
                                            "désamiantage", "chauffage",    "piscines", "restauration"};
    const std::vector<std::string> deps = {"", "93", "75", "13"}, divisions = {"", "45", "90", "77"},
                                   kinds = {"", "notice", "roadmap"}, procedures = {"", "mapa", "ao_ouvert"},
                                   clauses = {"", "insertion_hours", "reserved_siae"};
    std::mt19937 rng(7);
    auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
    auto stems = [](const std::string& text) {
        Xapian::Stem stem("french");
        std::set<std::string> out;
        std::string w, s = passerelle::core::fold(text) + " ";
        for (char ch : s) {
            const auto c = static_cast<unsigned char>(ch);
            if (std::isalnum(c) || c >= 0x80) {
                w.push_back(ch);
            } else {
                if (!w.empty()) out.insert(stem(w));
                w.clear();
            }
        }
        return out;
    };
    Percolator p;
    std::vector<SavedQuery> saved;
    std::vector<std::set<std::string>> saved_stems;
    // Enough searches under few keys that buckets outgrow their room many times: they move to the end of
    // the arena, which is compacted when half of it is left behind.
    for (int i = 1; i <= 6000; ++i) {
        SavedQuery q;
        q.id = i;
        const int n = static_cast<int>(rng() % 6);
        for (int k = 0; k < n; ++k) q.text += (k ? " " : "") + pick(vocab);
        q.departement = rng() % 2 ? pick(deps) : "";
        q.cpv_division = rng() % 2 ? pick(divisions) : "";
        q.kind = rng() % 3 ? "" : pick(kinds);
        q.procedure = rng() % 4 ? "" : pick(procedures);
        q.clause = rng() % 4 ? "" : pick(clauses);
        saved.push_back(q);
        saved_stems.push_back(stems(q.text));
        p.add(q);
    }
    for (int i = 0; i < 300; i += 3) p.remove(saved[static_cast<std::size_t>(i)].id);  // some removed
    for (std::size_t i = 300; i < 600; i += 2) {  // some replaced: refiled under another key, or the same
        SavedQuery q = saved[(i * 7) % saved.size()];
        q.id = saved[i].id;
        saved[i] = q;
        saved_stems[i] = stems(q.text);
        p.add(q);
    }
    EXPECT_EQ(p.size(), 6000u - 100u);
    std::int64_t matched = 0;
    for (int n = 0; n < 200; ++n) {
        IndexedDoc d;
        d.kind = rng() % 2 ? "notice" : "roadmap";
        d.id = n;
        for (int k = 0; k < 8; ++k) (k < 3 ? d.title : d.body) += " " + pick(vocab);
        const std::string div = pick(divisions);
        if (!div.empty()) {
            d.cpv_codes = {div + "100000"};
            d.cpv_labels = {pick(vocab)};
        }
        if (const std::string dep = pick(deps); !dep.empty()) d.departements = {dep};
        d.procedure = pick(procedures);
        if (const std::string c = pick(clauses); !c.empty()) d.clauses = {c};
        std::set<std::string> doc_stems = stems(d.title + " " + d.body + " " + d.buyer);
        for (const auto& l : d.cpv_labels) doc_stems.merge(stems(l));
        for (const auto& c : d.cpv_codes) doc_stems.insert(c);
        std::vector<std::int64_t> expected;
        for (std::size_t i = 0; i < saved.size(); ++i) {
            const SavedQuery& q = saved[i];
            if (i < 300 && i % 3 == 0) continue;
            const auto& words = saved_stems[i];
            const bool ok =
                std::all_of(words.begin(), words.end(), [&](const std::string& w) { return doc_stems.count(w); }) &&
                (q.kind.empty() || q.kind == d.tab()) && (q.procedure.empty() || q.procedure == d.procedure) &&
                (q.departement.empty() || (!d.departements.empty() && d.departements[0] == q.departement)) &&
                (q.cpv_division.empty() || (!d.cpv_codes.empty() && d.cpv_codes[0].substr(0, 2) == q.cpv_division)) &&
                (q.clause.empty() || (!d.clauses.empty() && d.clauses[0] == q.clause));
            if (ok) expected.push_back(q.id);
        }
        matched += static_cast<std::int64_t>(expected.size());
        EXPECT_EQ(ids(p.match(d)), expected) << "document " << n << ": " << d.title << " /" << d.body;
    }
    EXPECT_GT(matched, 200);  // the workload is not trivially empty
}
