#include "search/search_index.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

using namespace passerelle::search;

namespace {

std::unique_ptr<SearchIndex> sample() {
    auto index = SearchIndex::open("").value();
    IndexedDoc a;
    a.kind = "notice";
    a.id = 1;
    a.title = "Rénovation énergétique des collèges";
    a.body = "Isolation thermique par l'extérieur et remplacement des menuiseries.";
    a.cpv_codes = {"45000000"};
    a.cpv_labels = {"Travaux de construction"};
    a.departements = {"93"};
    a.buyer = "Département de la Seine-Saint-Denis";
    a.buyer_id = 7;
    a.procedure = "ao_ouvert";
    a.clauses = {"insertion_hours"};
    a.status = "published";
    a.amount = 2500000;
    a.deadline = 2000;
    a.published_at = 100;
    EXPECT_TRUE(index->put(a).ok());
    IndexedDoc b;
    b.kind = "roadmap";
    b.id = 1;
    b.title = "Entretien des locaux";
    b.body = "Prestations récurrentes dans 40 sites.";
    b.cpv_codes = {"90911200"};
    b.cpv_labels = {"Services de nettoyage de bâtiments"};
    b.departements = {"75"};
    b.buyer = "Ville de Paris";
    b.buyer_id = 8;
    b.procedure = "mapa";
    b.clauses = {"reserved_siae"};
    b.status = "published";
    b.amount = 90000;
    b.published_at = 200;
    EXPECT_TRUE(index->put(b).ok());
    IndexedDoc c = a;
    c.id = 2;
    c.title = "Marchés de maintenance informatique";
    c.body = "Parc de postes de travail";
    c.cpv_codes = {"72000000"};
    c.cpv_labels = {"Services de technologies de l'information"};
    c.departements = {"75", "92"};
    c.clauses = {};
    c.amount = 300000;
    c.deadline = 1000;
    c.published_at = 300;
    EXPECT_TRUE(index->put(c).ok());
    EXPECT_TRUE(index->commit().ok());
    return index;
}

std::vector<std::string> ids(const Results& r) {
    std::vector<std::string> out;
    for (const auto& h : r.hits) out.push_back(h.kind + ":" + std::to_string(h.id));
    return out;
}

}  // namespace

TEST(SearchIndex, AccentFoldingAndStemming) {
    auto index = sample();
    Query q;
    q.text = "energetique";
    EXPECT_EQ(ids(index->search(q).value()), std::vector<std::string>{"notice:1"});
    q.text = "COLLEGE";  // singular, upper case
    EXPECT_EQ(ids(index->search(q).value()), std::vector<std::string>{"notice:1"});
    q.text = "marche";  // "Marchés" in the title
    EXPECT_EQ(ids(index->search(q).value()), std::vector<std::string>{"notice:2"});
}

TEST(SearchIndex, CpvLabelExpansionPrefixAndPhrase) {
    auto index = sample();
    Query q;
    q.text = "nettoyage";  // only in the CPV label of the roadmap item
    EXPECT_EQ(ids(index->search(q).value()), std::vector<std::string>{"roadmap:1"});
    q.text = "l'information";  // elision
    EXPECT_EQ(ids(index->search(q).value()), std::vector<std::string>{"notice:2"});
    q.text = "informat";  // search-as-you-type
    EXPECT_EQ(ids(index->search(q).value()), std::vector<std::string>{"notice:2"});
    q.text = "\"remplacement des menuiseries\"";
    EXPECT_EQ(ids(index->search(q).value()), std::vector<std::string>{"notice:1"});
    q.text = "\"menuiseries des remplacement\"";
    EXPECT_TRUE(index->search(q).value().hits.empty());
    q.text = "\"unbalanced";  // a stray quote is not an error
    EXPECT_TRUE(index->search(q).ok());
}

TEST(SearchIndex, FiltersFacetsAndSorting) {
    auto index = sample();
    Query q;
    auto all = index->search(q).value();
    EXPECT_EQ(all.total, 3);
    EXPECT_EQ(all.facets["kind"]["notice"], 2);
    EXPECT_EQ(all.facets["departement"]["75"], 2);
    EXPECT_EQ(all.facets["division"]["45"], 1);
    EXPECT_EQ(all.facets["clause"]["reserved_siae"], 1);
    EXPECT_EQ(all.facets["amount"]["1m-5m"], 1);
    q.departements = {"75"};
    q.kind = "notice";
    EXPECT_EQ(ids(index->search(q).value()), std::vector<std::string>{"notice:2"});
    q = {};
    q.kind = "notice";
    q.sort = "deadline";
    EXPECT_EQ(ids(index->search(q).value()), (std::vector<std::string>{"notice:2", "notice:1"}));
    q.sort = "published";
    EXPECT_EQ(ids(index->search(q).value()), (std::vector<std::string>{"notice:2", "notice:1"}));
    q.deadline_after = 1500;
    EXPECT_EQ(ids(index->search(q).value()), std::vector<std::string>{"notice:1"});
    q = {};
    q.now = 900;  // deadlines 1000 and 2000 are both within 7 days of it
    auto windows = index->search(q).value().facets["deadline"];
    EXPECT_EQ(windows["7j"], 2);
    EXPECT_EQ(windows["90j"], 2);
    q.now = 1500;
    EXPECT_EQ(index->search(q).value().facets["deadline"]["7j"], 1);
    q = {};
    q.amount_band = "40k-215k";
    EXPECT_EQ(ids(index->search(q).value()), std::vector<std::string>{"roadmap:1"});
    // The tab counts alone: the same "kind" facet, no other (no deadline windows either).
    q = {};
    q.now = 900;
    q.kind_facet_only = true;
    const auto kinds = index->search(q).value().facets;
    ASSERT_EQ(kinds.size(), 1u);
    EXPECT_EQ(kinds.at("kind"), all.facets["kind"]);
    EXPECT_EQ(kinds.at("kind").at("roadmap"), 1);
    // No facets asked: none counted.
    q = {};
    q.facets = false;
    EXPECT_TRUE(index->search(q).value().facets.empty());
}

// Facet counts are exact over many matches, each value counted once per document that has it.
TEST(SearchIndex, FacetCountsOverManyMatches) {
    auto index = SearchIndex::open("").value();
    for (std::int64_t id = 1; id <= 300; ++id) {
        IndexedDoc d;
        d.kind = id % 3 == 0 ? "roadmap" : "notice";
        d.id = id;
        d.title = "Travaux lot " + std::to_string(id);
        d.departements = {id % 2 ? "75" : "93"};
        if (id % 5 == 0) d.departements.push_back("13");
        d.cpv_codes = {id % 4 ? "45000000" : "90910000"};
        ASSERT_TRUE(index->put(d).ok());
    }
    ASSERT_TRUE(index->commit().ok());
    Query q;
    q.text = "travaux";
    auto r = index->search(q).value();
    EXPECT_EQ(r.total, 300);
    EXPECT_EQ(r.facets["kind"], (std::map<std::string, std::int64_t>{{"notice", 200}, {"roadmap", 100}}));
    EXPECT_EQ(r.facets["departement"], (std::map<std::string, std::int64_t>{{"13", 60}, {"75", 150}, {"93", 150}}));
    EXPECT_EQ(r.facets["division"], (std::map<std::string, std::int64_t>{{"45", 225}, {"90", 75}}));
}

TEST(SearchIndex, APlaceAndADomainTogetherFindTheDocumentsThatHaveBoth) {
    auto index = SearchIndex::open("").value();
    auto put = [&](std::int64_t id, std::vector<std::string> deps, std::vector<std::string> cpv) {
        IndexedDoc d;
        d.kind = "notice";
        d.id = id;
        d.title = "Travaux et nettoyage";
        d.departements = std::move(deps);
        d.cpv_codes = std::move(cpv);
        ASSERT_TRUE(index->put(d).ok());
    };
    put(1, {"75", "93"}, {"45000000", "90910000"});
    put(2, {"75"}, {"90911200"});
    put(3, {"93"}, {"45210000", "45220000"});
    put(4, {"13"}, {"45000000"});
    ASSERT_TRUE(index->commit().ok());
    auto found = [&](std::vector<std::string> deps, std::string division, std::string text = "") {
        Query q;
        q.text = std::move(text);
        q.departements = std::move(deps);
        q.cpv_division = std::move(division);
        auto r = index->search(q).value();
        auto out = ids(r);
        std::sort(out.begin(), out.end());
        EXPECT_EQ(r.total, static_cast<std::int64_t>(out.size()));
        return out;
    };
    EXPECT_EQ(found({"93"}, "90"), std::vector<std::string>{"notice:1"});
    EXPECT_EQ(found({"75", "93"}, "45"), (std::vector<std::string>{"notice:1", "notice:3"}));
    EXPECT_EQ(found({"75"}, "45", "nettoyage"), std::vector<std::string>{"notice:1"});
    EXPECT_EQ(found({"75"}, "90"), (std::vector<std::string>{"notice:1", "notice:2"}));
    EXPECT_TRUE(found({"13"}, "90").empty());
    EXPECT_TRUE(found({"92"}, "45").empty());
    // One filter alone as before; the pairs are no facet.
    EXPECT_EQ(found({"13"}, ""), std::vector<std::string>{"notice:4"});
    EXPECT_EQ(found({}, "90"), (std::vector<std::string>{"notice:1", "notice:2"}));
    Query all;
    auto facets = index->search(all).value().facets;
    EXPECT_EQ(facets["departement"].size(), 3u);
    EXPECT_EQ(facets["departement"]["93"], 2);
    EXPECT_EQ(facets["division"].size(), 2u);
}

TEST(SearchIndex, SnippetsAreEscapedAndHighlighted) {
    auto index = SearchIndex::open("").value();
    IndexedDoc d;
    d.kind = "notice";
    d.id = 9;
    d.title = "Nettoyage <script>alert(1)</script>";
    d.body = "Nettoyage des vitres";
    ASSERT_TRUE(index->put(d).ok());
    Query q;
    q.text = "vitres";
    auto r = index->search(q).value();
    ASSERT_EQ(r.hits.size(), 1u);
    EXPECT_EQ(r.hits[0].snippet_html.find("<script>"), std::string::npos);
    EXPECT_NE(r.hits[0].snippet_html.find("<mark>vitres</mark>"), std::string::npos);
}

TEST(SearchIndex, ReplaceAndRemove) {
    auto index = sample();
    IndexedDoc changed;
    changed.kind = "notice";
    changed.id = 1;
    changed.title = "Autre chose";
    ASSERT_TRUE(index->put(changed).ok());
    Query q;
    q.text = "energetique";
    EXPECT_TRUE(index->search(q).value().hits.empty());
    EXPECT_EQ(index->size(), 3);
    ASSERT_TRUE(index->remove("notice", 1).ok());
    EXPECT_EQ(index->size(), 2);
    ASSERT_TRUE(index->clear().ok());
    EXPECT_EQ(index->size(), 0);
}

TEST(SearchIndex, RankedHitsWithoutFacetsSnippetsOrExactCount) {
    auto index = sample();
    Query q;
    q.text = "energetique";
    auto full = index->search(q).value();
    q.facets = false;
    q.snippets = false;
    q.count_all = false;
    auto lean = index->search(q).value();
    EXPECT_EQ(ids(lean), ids(full));
    EXPECT_TRUE(lean.facets.empty());
    ASSERT_FALSE(lean.hits.empty());
    EXPECT_TRUE(lean.hits[0].snippet_html.empty());
    EXPECT_FALSE(full.hits[0].snippet_html.empty());
}

TEST(SearchIndex, ContractsCanBeLeftOutAndImportedNoticesCountAsTheirTab) {
    auto index = sample();
    IndexedDoc c;
    c.kind = "contract";
    c.id = 9;
    c.title = "Rénovation énergétique attribuée";
    ASSERT_TRUE(index->put(c).ok());
    IndexedDoc e;
    e.kind = "external";
    e.kind_facet = "notice";
    e.id = 4;
    e.title = "Rénovation énergétique (BOAMP)";
    ASSERT_TRUE(index->put(e).ok());
    Query q;
    q.text = "energetique";
    q.kinds_excluded = {"contract"};
    auto r = index->search(q).value();
    for (const auto& id : ids(r)) EXPECT_NE(id, "contract:9");
    q.kinds_excluded.clear();
    q.kind = "notice";
    auto notices = ids(index->search(q).value());
    EXPECT_NE(std::find(notices.begin(), notices.end(), "external:4"), notices.end());
}

namespace {

std::filesystem::path fresh_dir(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::remove_all(dir.string() + ".compact");
    std::filesystem::remove_all(dir.string() + ".old");
    return dir;
}

IndexedDoc numbered(std::int64_t id) {
    IndexedDoc d;
    d.kind = "notice";
    d.id = id;
    d.title = "Nettoyage des locaux n° " + std::to_string(id);
    d.departements = {id % 2 ? "93" : "75"};
    return d;
}

}  // namespace

TEST(SearchIndex, CompactionKeepsDocumentsAndFormatAndShrinksAFragmentedIndex) {
    const auto dir = fresh_dir("passerelle-compact");
    auto index = SearchIndex::open(dir.string()).value();
    for (std::int64_t id = 1; id <= 3000; ++id) {
        ASSERT_TRUE(index->put(numbered(id)).ok());
        if (id % 50 == 0) {
            ASSERT_TRUE(index->commit().ok());  // many small commits, as the indexer makes
        }
    }
    ASSERT_TRUE(index->remove("notice", 2).ok());
    ASSERT_TRUE(index->set_format("v-test").ok());
    auto bytes = [&] {
        std::uintmax_t n = 0;
        for (const auto& f : std::filesystem::directory_iterator(dir)) n += f.file_size();
        return n;
    };
    const auto before = bytes();
    Query q;
    q.text = "nettoyage";
    q.departements = {"75"};
    const auto found = index->search(q).value().total;

    ASSERT_TRUE(index->compact().ok());
    EXPECT_LT(bytes(), before);
    EXPECT_EQ(index->size(), 2999);
    EXPECT_EQ(index->format(), "v-test");
    EXPECT_EQ(index->search(q).value().total, found);
    EXPECT_FALSE(std::filesystem::exists(dir.string() + ".compact"));
    EXPECT_FALSE(std::filesystem::exists(dir.string() + ".old"));
    // Still writable, and reopened as it is.
    ASSERT_TRUE(index->put(numbered(5000)).ok());
    ASSERT_TRUE(index->commit().ok());
    index.reset();
    EXPECT_EQ(SearchIndex::open(dir.string()).value()->size(), 3000);
    std::filesystem::remove_all(dir);
}

TEST(SearchIndex, ACompactionInterruptedBetweenItsRenamesIsFinishedOnOpen) {
    const auto dir = fresh_dir("passerelle-compact-stop");
    {
        auto index = SearchIndex::open(dir.string()).value();
        for (std::int64_t id = 1; id <= 10; ++id) ASSERT_TRUE(index->put(numbered(id)).ok());
        ASSERT_TRUE(index->commit().ok());
    }
    // Stopped after the old index was moved aside and before the compacted one took its place.
    std::filesystem::rename(dir, dir.string() + ".compact");
    std::filesystem::create_directories(dir.string() + ".old");
    auto index = SearchIndex::open(dir.string()).value();
    EXPECT_EQ(index->size(), 10);
    EXPECT_FALSE(std::filesystem::exists(dir.string() + ".compact"));
    EXPECT_FALSE(std::filesystem::exists(dir.string() + ".old"));
    index.reset();
    std::filesystem::remove_all(dir);
}

TEST(SearchIndex, OnDiskSearchesSeeEachCommitAndNothingUncommitted) {
    const auto dir = fresh_dir("passerelle-readers");
    auto index = SearchIndex::open(dir.string()).value();
    Query q;
    q.text = "nettoyage";
    EXPECT_EQ(index->search(q).value().total, 0);  // a new, empty index can be read
    ASSERT_TRUE(index->put(numbered(1)).ok());
    EXPECT_EQ(index->search(q).value().total, 0);  // not committed yet
    ASSERT_TRUE(index->commit().ok());
    EXPECT_EQ(ids(index->search(q).value()), std::vector<std::string>{"notice:1"});
    // The same reader, taken again, follows the next commits (additions, replacements, removals).
    ASSERT_TRUE(index->put(numbered(2)).ok());
    ASSERT_TRUE(index->commit().ok());
    EXPECT_EQ(index->search(q).value().total, 2);
    IndexedDoc renamed = numbered(2);
    renamed.title = "Élagage";
    ASSERT_TRUE(index->put(renamed).ok());
    ASSERT_TRUE(index->remove("notice", 1).ok());
    ASSERT_TRUE(index->commit().ok());
    EXPECT_EQ(index->search(q).value().total, 0);
    q.text = "elagage";
    EXPECT_EQ(ids(index->search(q).value()), std::vector<std::string>{"notice:2"});
    ASSERT_TRUE(index->compact().ok());
    EXPECT_EQ(ids(index->search(q).value()), std::vector<std::string>{"notice:2"});
    ASSERT_TRUE(index->put(numbered(3)).ok());
    ASSERT_TRUE(index->commit().ok());
    q.text = "nettoyage";
    EXPECT_EQ(ids(index->search(q).value()), std::vector<std::string>{"notice:3"});
    index.reset();
    std::filesystem::remove_all(dir);
}

// Searches on several threads while documents are written in many commits and the index is compacted:
// every search answers, none goes back in time, and the last ones see everything.
TEST(SearchIndex, SearchesRunAlongsideCommitsAndACompaction) {
    const auto dir = fresh_dir("passerelle-readers-threads");
    auto index = SearchIndex::open(dir.string()).value();
    constexpr std::int64_t kDocs = 600;
    std::atomic<bool> writing{true};
    std::atomic<int> failures{0}, backwards{0}, searches{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 3; ++t)
        readers.emplace_back([&, t] {
            Query q;
            q.text = "nettoyage";
            q.departements = {t % 2 ? "93" : "75"};
            q.facets = t != 0;
            std::int64_t last = 0;
            while (writing.load() || searches.load() < 30) {
                auto r = index->search(q);
                ++searches;
                if (!r) {
                    ++failures;
                    ADD_FAILURE() << r.error().message;
                    continue;
                }
                if (r->total < last) ++backwards;
                last = r->total;
            }
        });
    for (std::int64_t id = 1; id <= kDocs; ++id) {
        // (EXPECT: the reading threads must be joined before the test ends.)
        EXPECT_TRUE(index->put(numbered(id)).ok());
        if (id % 20 == 0) {
            EXPECT_TRUE(index->commit().ok());
        }
        if (id == kDocs / 2) {
            EXPECT_TRUE(index->compact().ok());
        }
    }
    writing = false;
    for (auto& r : readers) r.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(backwards.load(), 0);
    Query q;
    q.text = "nettoyage";
    q.departements = {"93"};
    EXPECT_EQ(index->search(q).value().total, kDocs / 2);
    index.reset();
    std::filesystem::remove_all(dir);
}
