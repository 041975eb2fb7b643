// Percolator: matches one new or amended document against all saved searches without running each of
// them. Every saved search is filed under one key it requires (its longest stemmed word, paired with its
// département or CPV domain when it has one; else one of its filters; else the catch-all); a document is
// checked only against the searches filed under the keys it has. A check is exact: every stemmed word of
// the search is in the document (the same French stemming and accent folding as the index) and every
// filter holds. Keys, words and filters are compared as 64-bit hashes: two different words share a hash
// with a probability of about 5e-20 per comparison, so a false match is not to be expected. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "search/search_index.hpp"

namespace passerelle::search {

struct SavedQuery {
    std::int64_t id = 0;
    std::string text;
    std::string kind;  // empty: any
    std::string departement;
    std::string cpv_division;
    std::string clause;
    std::string procedure;
};

struct PercolatorMatch {
    std::int64_t saved_query_id = 0;
    // French, e.g. « mots : nettoyage », « département 93 »; shared with the saved search (computed once).
    std::shared_ptr<const std::vector<std::string>> reasons;
};

// Folded, elision-split, stemmed words of a text (what both sides are compared on).
std::set<std::string> stems_of(const std::string& text);

class Percolator {
  public:
    void add(const SavedQuery& q);
    void remove(std::int64_t id);
    std::size_t size() const;
    std::vector<PercolatorMatch> match(const IndexedDoc& doc) const;
    // How many saved searches the last match() checked in full (for the benchmark).
    std::size_t last_candidates() const { return last_candidates_; }

  private:
    struct Entry {
        std::int64_t id = 0;
        bool alive = false;
        std::vector<std::uint64_t> stem_hashes;
        std::uint64_t kind = 0, departement = 0, division = 0, clause = 0, procedure = 0;  // 0: any
        std::uint64_t key = 0;
        std::shared_ptr<const std::vector<std::string>> reasons;
    };
    void unfile(std::uint64_t key, std::uint32_t slot);  // under the exclusive lock

    mutable std::shared_mutex mu_;
    std::vector<Entry> entries_;                               // slots
    std::unordered_map<std::int64_t, std::uint32_t> slot_of_;  // saved search id -> slot
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> buckets_;
    std::size_t alive_ = 0;
    mutable std::size_t last_candidates_ = 0;
};

}  // namespace passerelle::search
