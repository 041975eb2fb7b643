// SearchIndex: the French full-text index of notices and roadmap items (Xapian 1.4).
//
// Text is folded (no accents, lower case) and stemmed with Xapian's French stemmer, in documents and
// queries alike, so "energetique" finds "énergétique". The labels of a document's CPV codes are indexed
// with its text, so a query "nettoyage" finds a notice whose CPV is 9091xxxx even when its text lacks the
// word. Filters and facets use boolean terms (département, CPV division, buyer, procedure, clause, status,
// kind); sorting uses value slots (deadline, publication date).
//
// Thread-safe. Xapian objects are not safe for concurrent use, even read-only: one lock serialises the
// writes; on disk, each search reads through a read-only database of its own (taken from a pool, brought
// up to the last commit), so searches run side by side and never wait for the writer; an in-memory index
// (tests) has one database, and its searches take the lock. Searches on disk see committed changes only.
// Each thread stems with its own stemmer. Errors from Xapian are turned into kUnavailable results.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace passerelle::search {

// What is indexed for one notice or roadmap item (built by the caller from the database).
struct IndexedDoc {
    std::string kind;  // "notice" | "roadmap" | "contract" | "external" (an imported notice) | "company"
    std::int64_t id = 0;
    // The tab (and kind facet) the document is counted in when it differs from its kind: an imported
    // call for tenders is a "notice", an imported prior information notice a "roadmap".
    std::string kind_facet;
    const std::string& tab() const { return kind_facet.empty() ? kind : kind_facet; }
    std::string title;
    std::string body;                      // description, lots…
    std::vector<std::string> identifiers;  // SIRETs, source ids: searchable, not shown in snippets
    std::vector<std::string> cpv_codes;    // 8 digits
    std::vector<std::string> cpv_labels;   // their French labels (CPV expansion)
    std::vector<std::string> departements;
    std::string buyer;  // organisation name
    std::int64_t buyer_id = 0;
    std::string procedure;
    std::vector<std::string> clauses;  // clause kinds / intentions, "none" excluded
    std::string status;
    std::int64_t amount = 0;    // estimated, euros
    std::int64_t deadline = 0;  // bid deadline (notices), 0 otherwise
    std::int64_t published_at = 0;
    // Companies (the directory): labels (siae_ei, ea, ess…), size (TPE, PME…), and the name to sort by.
    std::vector<std::string> labels;
    std::string size;
    std::string sort_name;
};

struct Query {
    std::string text;
    std::string kind;                         // empty: all kinds
    std::vector<std::string> kinds_excluded;  // e.g. awarded contracts out of the page's "Tout" tab
    std::vector<std::string> departements;
    std::string cpv_division;
    std::optional<std::int64_t> buyer_id;
    std::string procedure;
    std::string clause;
    std::string status;
    std::string amount_band;  // "lt40k", "40k-215k", "215k-1m", "1m-5m", "gt5m"
    std::string label;
    std::string size;
    std::optional<std::int64_t> deadline_after;
    std::optional<std::int64_t> deadline_before;
    std::string sort = "relevance";  // relevance | deadline | published | name
    // When set, facet "deadline" counts the matches whose deadline falls within 7, 30 and 90 days of it.
    std::optional<std::int64_t> now;
    int offset = 0;
    int limit = 20;
    bool facets = true;            // count the facets over all matches (implies count_all)
    bool kind_facet_only = false;  // of the facets, only count "kind" (a page's tab counts)
    bool snippets = true;          // highlighted snippets for the hits
    bool count_all = true;         // an exact total; otherwise Xapian may stop early and estimate it
    bool partial = true;           // the last word also matches as a prefix (search as you type)
};

struct Hit {
    std::string kind;
    std::int64_t id = 0;
    double score = 0;
    std::string snippet_html;  // HTML-escaped by Xapian, matches in <mark>
};

struct Results {
    std::int64_t total = 0;  // estimated when large
    std::vector<Hit> hits;
    // facet name -> value -> count, over all matches
    std::map<std::string, std::map<std::string, std::int64_t>> facets;
};

std::string amount_band(std::int64_t euros);

class SearchIndex {
  public:
    // Opens (creating if needed) the index in `dir`; an empty dir means an in-memory index (tests).
    static core::Result<std::unique_ptr<SearchIndex>> open(const std::string& dir);
    ~SearchIndex();

    core::Status put(const IndexedDoc& doc);
    core::Status remove(const std::string& kind, std::int64_t id);
    core::Status clear();
    core::Status commit();
    // Rewrites the index with full blocks, in place (after a rebuild: a fresh index written in many
    // commits is about a third smaller compacted, and quicker to search). Searches go on meanwhile, and
    // wait only while the compacted copy takes the old one's place.
    core::Status compact();
    core::Result<Results> search(const Query& q);
    std::int64_t size();
    // What the documents were built with (the indexer's format version); empty for a new index.
    std::string format();
    core::Status set_format(const std::string& version);
    // A value kept with the index ("" when absent or unreadable), and one to keep with the next commit().
    std::string metadata(const std::string& key);
    // Changes whenever a commit changed the index (its revision and size): what a cached export built from it
    // is keyed by.
    std::string version();
    core::Status set_metadata(const std::string& key, const std::string& value);

  private:
    struct Impl;
    explicit SearchIndex(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace passerelle::search
