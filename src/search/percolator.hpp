// Percolator: matches one new or amended document against all saved searches without running each of
// them. Every saved search is filed under one key it requires (its longest stemmed word, paired with its
// département or CPV domain when it has one; else one of its filters; else the catch-all); a document is
// checked only against the searches filed under the keys it has. A check is exact: every stemmed word of
// the search is in the document (the same French stemming and accent folding as the index) and every
// filter holds. Keys, words and filters are compared as 64-bit hashes: two different words share a hash
// with a probability of about 5e-20 per comparison, so a false match is not to be expected.
//
// Laid out for speed: keys sit in an open-addressing table; each key's bucket holds what its searches
// check (filters and up to three words) inline, so a document reads its candidates sequentially and
// touches a search's own record only when it matches with more words; the words of a text are stemmed
// once per distinct token and thread (a bounded cache). Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "search/flat_map.hpp"
#include "search/huge_pages.hpp"
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

class Percolator {
  public:
    using Reasons = std::shared_ptr<const std::vector<std::string>>;

    void add(const SavedQuery& q);
    void remove(std::int64_t id);
    std::size_t size() const;
    // The saved searches this document matches (ids, in a deterministic order).
    std::vector<std::int64_t> match(const IndexedDoc& doc) const;
    // Why a saved search matches, in French (« mots : nettoyage », « département 93 »…); null once the
    // search is removed.
    Reasons reasons(std::int64_t id) const;
    // How many saved searches the last match() checked in full (for the benchmark).
    std::size_t last_candidates() const { return last_candidates_.load(std::memory_order_relaxed); }

  private:
    static constexpr std::size_t kInlineWords = 3;
    static constexpr std::uint32_t kNoValue = 0xFFFFFFFFu;  // a document's value no search asks for
    static constexpr std::uint32_t kWide = 0xFFFFu;         // a filter value id that needs more than 16 bits
    struct Entry {
        std::int64_t id = 0;
        bool alive = false;
        std::vector<std::uint32_t> words;                                                  // word ids, sorted
        std::uint32_t kind = 0, procedure = 0, departement = 0, division = 0, clause = 0;  // value ids, 0: any
        std::uint64_t key = 0;
        Reasons reasons;
    };
    // What a document must have for the searches of one check: their first words' ids (0: none) and their
    // filters' value ids (0: any). Searches asking for the same are one check (many companies watch
    // « nettoyage » in the 93): it is evaluated once and gives all their ids. Four cells of a bucket.
    struct Check {
        std::uint32_t words[kInlineWords] = {0, 0, 0};
        std::uint16_t kind = 0, procedure = 0, departement = 0, division = 0, clause = 0;
        bool more_words = false;  // more than kInlineWords: the rest are read from the entry (never shared)
        bool wide = false;        // a value id above 16 bits: the filters are read from the entry (never shared)
        std::uint32_t count = 0;  // the searches' ids: the cells after the check
        std::uint32_t unused = 0;
    };
    static constexpr std::size_t kCheckCells = sizeof(Check) / sizeof(std::int64_t);
    static constexpr std::size_t kPadCells = 3;  // after the last check's ids: four can always be read
    static_assert(sizeof(Check) == 4 * sizeof(std::int64_t));
    // The checks filed under one key, each followed by its searches' ids, then kPadCells cells: one range
    // of the arena, read from start to end (one stream for the memory to fetch ahead, instead of a miss on
    // the checks and one on the ids). A bucket that outgrows its room moves to the arena's end.
    struct Bucket {
        std::uint32_t offset = 0, size = 0, capacity = 0;  // in cells of the arena
        std::uint32_t ids = 0;                             // how many searches
    };
    const std::int64_t* cells(const Bucket& b) const { return arena_.data() + b.offset; }
    std::int64_t* cells(const Bucket& b) { return arena_.data() + b.offset; }
    void make_room(Bucket& b, std::size_t size);                         // under the exclusive lock; may move the arena
    void file(std::uint64_t key, const Check& c, std::int64_t id);       // under the exclusive lock
    void unfile(std::uint64_t key, std::int64_t id);                     // under the exclusive lock
    std::uint32_t intern(char field, const std::string& value);          // under the exclusive lock; 0 if empty
    std::uint32_t value_id(char field, const std::string& value) const;  // kNoValue if unknown

    mutable std::shared_mutex mu_;
    std::vector<Entry> entries_;                               // slots
    std::unordered_map<std::int64_t, std::uint32_t> slot_of_;  // saved search id -> slot
    // Filter values (field letter + value) -> small ids, never removed (there are few: places, CPV
    // domains, kinds, procedures, clauses); compared exactly.
    std::unordered_map<std::string, std::uint32_t> values_;
    // A word saved searches use: its id (from 1), and which keys searches were filed under with it: the
    // word alone, or with a place or a CPV domain (a bit per value id modulo 64); a document probes only
    // those. Never removed: a document's words that no search uses are dropped before any key is formed;
    // what removed searches leave costs a probe, no more.
    struct Word {
        std::uint32_t id = 0;
        bool alone = false;
        std::uint64_t places = 0, domains = 0;
    };
    FlatMap<Word> word_ids_;   // hash of the stem -> word
    FlatMap<Bucket> buckets_;  // key -> the checks filed under it
    // The buckets' cells. A bucket that moves leaves its room behind; rooms double, so what is left behind
    // is less than what the buckets have (as with a vector's capacity, a bucket's room never shrinks).
    std::vector<std::int64_t, HugePageAllocator<std::int64_t>> arena_;
    std::size_t alive_ = 0;
    mutable std::atomic<std::size_t> last_candidates_{0};
};

}  // namespace passerelle::search
