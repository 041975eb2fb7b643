#include "search/percolator.hpp"

#include <xapian.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <type_traits>

#include "core/fold.hpp"
#include "search/flat_map.hpp"

namespace passerelle::search {

namespace {

std::uint64_t h(std::string_view s) {
    const std::uint64_t v = std::hash<std::string_view>{}(s);
    return v == 0 ? 1 : v;  // 0 means "any"
}

// ASCII letters and digits, and every byte of a multi-byte UTF-8 character.
constexpr auto kWordBytes = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c)
        t[static_cast<std::size_t>(c)] =
            (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
    return t;
}();

bool word_byte(unsigned char c) { return kWordBytes[c]; }

// Calls f on each word of a text: a run of ASCII letters and digits and non-ASCII bytes.
template <class F>
void for_each_word(std::string_view s, F f) {
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && !word_byte(static_cast<unsigned char>(s[i]))) ++i;
        std::size_t j = i;
        while (j < s.size() && word_byte(static_cast<unsigned char>(s[j]))) ++j;
        if (j > i) f(s.substr(i, j - i));
        i = j;
    }
}

std::string stem_of(std::string_view folded_word) {
    static thread_local Xapian::Stem stem("french");
    return stem(std::string(folded_word));
}

// The stemmed words of one token, hashed: folded, split again where folding produced a separator, stemmed.
std::vector<std::uint64_t> analyse_token(std::string_view token) {
    std::vector<std::uint64_t> out;
    for_each_word(core::fold(token), [&](std::string_view w) { out.push_back(h(stem_of(w))); });
    return out;
}

// The hashed stems of each distinct token seen by this thread, keyed by the token's 64-bit hash (a
// collision is as unlikely as one between two words' hashes): a token giving one stem keeps it in its
// cell; the rare others (none, or several) keep theirs aside (their cell holds 0: a stem's hash is never
// 0). Emptied when it holds 65,536 tokens. Tokens are looked up in batches: their cells are asked for
// first, so that the memory fetches them in parallel.
class TokenCache {
  public:
    template <class Out>
    void stems(const std::vector<std::string_view>& tokens, Out&& out) {
        if (cells_.size() + tokens.size() >= kMaxTokens) {
            cells_.clear();
            aside_.clear();
        }
        hashes_.clear();
        for (auto t : tokens) {
            hashes_.push_back(h(t));
            cells_.prefetch(hashes_.back());
        }
        for (std::size_t k = 0; k < tokens.size(); ++k) {
            const std::uint64_t th = hashes_[k];
            const std::uint64_t* cell = cells_.find(th);
            if (!cell) {
                auto list = analyse_token(tokens[k]);
                cell = &(cells_.at(th) = list.size() == 1 ? list[0] : 0);
                if (list.size() != 1) aside_[th] = std::move(list);
            }
            if (*cell != 0) {
                out(*cell);
            } else {
                for (auto x : aside_[th]) out(x);
            }
        }
    }

  private:
    static constexpr std::size_t kMaxTokens = std::size_t{1} << 16;
    FlatMap<std::uint64_t> cells_;  // token hash -> stem hash, or 0: see aside_
    std::unordered_map<std::uint64_t, std::vector<std::uint64_t>> aside_;
    std::vector<std::uint64_t> hashes_;
};

// Calls out(hash) for each stemmed word of some texts. Folding works character by character and keeps
// ASCII separators, so a text's stems are the union of its tokens' stems.
template <class Out>
void for_each_stem(std::initializer_list<std::string_view> texts, Out&& out) {
    static thread_local TokenCache cache;
    static thread_local std::vector<std::string_view> tokens;
    tokens.clear();
    for (auto text : texts) for_each_word(text, [&](std::string_view t) { tokens.push_back(t); });
    cache.stems(tokens, out);
}

// The distinct hashed stems of a document, in the order first seen.
class StemSet {
  public:
    void add(std::uint64_t s) {
        if (bool& seen = seen_.at(s); !seen) {
            seen = true;
            list_.push_back(s);
        }
    }
    const std::vector<std::uint64_t>& list() const { return list_; }
    // Empty again, keeping its memory unless the last document was a long one.
    void clear() {
        if (list_.size() > 1024) {
            seen_ = FlatMap<bool>{};
            list_ = std::vector<std::uint64_t>{};
        } else {
            seen_.clear();
            list_.clear();
        }
    }

  private:
    FlatMap<bool> seen_;
    std::vector<std::uint64_t> list_;
};

template <class T>
void sort_unique(std::vector<T>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

// A filter value's bit in a word's summary of the values it was filed with (64 bits: values share them).
std::uint64_t value_bit(std::uint32_t value_id) { return std::uint64_t{1} << (value_id % 64); }

// Keys: a tag, and up to two hashed parts, mixed.
enum Tag : std::uint64_t { kAll = 1, kKind, kProcedure, kWord, kWordPlace, kWordDomain, kDomain, kPlace, kClause };

std::uint64_t mix(std::uint64_t tag, std::uint64_t a = 0, std::uint64_t b = 0) {
    std::uint64_t x = tag * 0x9E3779B97F4A7C15ULL ^ (a + 0x632BE59BD9B4E019ULL + (tag << 6));
    x ^= b * 0xC2B2AE3D27D4EB4FULL + (x << 17) + (x >> 11);
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 29;
    return x == 0 ? 1 : x;  // 0 marks an empty cell of the key table
}

}  // namespace

void Percolator::add(const SavedQuery& q) {
    auto reasons = std::make_shared<std::vector<std::string>>();
    if (!q.text.empty()) reasons->push_back("mots : " + q.text);
    if (!q.cpv_division.empty()) reasons->push_back("domaine CPV " + q.cpv_division);
    if (!q.departement.empty()) reasons->push_back("département " + q.departement);
    if (!q.clause.empty()) reasons->push_back("clause " + q.clause);
    if (!q.procedure.empty()) reasons->push_back("procédure " + q.procedure);
    if (reasons->empty()) reasons->push_back("toutes les nouveautés");

    // The search's stemmed words (folding keeps separators: they are the stems a document gets from the
    // same text), and the longest, usually the rarest: the fewest documents will wake this search up.
    std::vector<std::uint64_t> stems;
    std::string longest;
    for_each_word(core::fold(q.text), [&](std::string_view word) {
        std::string s = stem_of(word);
        stems.push_back(h(s));
        if (s.size() > longest.size() || (s.size() == longest.size() && s < longest)) longest = std::move(s);
    });
    sort_unique(stems);
    const std::uint64_t longest_word = stems.empty() ? 0 : h(longest);

    std::unique_lock lock(mu_);
    Entry e;
    e.id = q.id;
    e.alive = true;
    e.reasons = std::move(reasons);
    for (auto s : stems) {
        Word& w = word_ids_.at(s);
        if (w.id == 0) w.id = static_cast<std::uint32_t>(word_ids_.size());
        e.words.push_back(w.id);
    }
    std::sort(e.words.begin(), e.words.end());
    e.kind = intern('k', q.kind);
    e.departement = intern('d', q.departement);
    e.division = intern('c', q.cpv_division);
    e.clause = intern('s', q.clause);
    e.procedure = intern('p', q.procedure);
    // With a place or a CPV domain, the key pairs it with the word, so that only documents with both look
    // at the search.
    if (longest_word) {
        Word& w = word_ids_.at(longest_word);  // one of the stems above
        if (e.departement) {
            w.places |= value_bit(e.departement);
            e.key = mix(kWordPlace, w.id, e.departement);
        } else if (e.division) {
            w.domains |= value_bit(e.division);
            e.key = mix(kWordDomain, w.id, e.division);
        } else {
            w.alone = true;
            e.key = mix(kWord, w.id);
        }
    } else if (e.division) {
        e.key = mix(kDomain, e.division);
    } else if (e.departement) {
        e.key = mix(kPlace, e.departement);
    } else if (e.clause) {
        e.key = mix(kClause, e.clause);
    } else if (e.procedure) {
        e.key = mix(kProcedure, e.procedure);
    } else if (e.kind) {
        e.key = mix(kKind, e.kind);
    } else {
        e.key = mix(kAll);
    }
    Check c;
    c.more_words = e.words.size() > kInlineWords;
    for (std::size_t i = 0; i < e.words.size() && i < kInlineWords; ++i) c.words[i] = e.words[i];
    c.wide = std::max({e.kind, e.procedure, e.departement, e.division, e.clause}) >= kWide;
    if (!c.wide) {
        c.kind = static_cast<std::uint16_t>(e.kind);
        c.procedure = static_cast<std::uint16_t>(e.procedure);
        c.departement = static_cast<std::uint16_t>(e.departement);
        c.division = static_cast<std::uint16_t>(e.division);
        c.clause = static_cast<std::uint16_t>(e.clause);
    }
    std::uint32_t slot = 0;
    if (auto old = slot_of_.find(q.id); old != slot_of_.end()) {
        slot = old->second;
        unfile(entries_[slot].key, q.id);
        --alive_;
    } else {
        slot = static_cast<std::uint32_t>(entries_.size());
        entries_.emplace_back();
        slot_of_[q.id] = slot;
    }
    file(e.key, c, q.id);
    entries_[slot] = std::move(e);
    ++alive_;
}

std::uint32_t Percolator::intern(char field, const std::string& value) {
    if (value.empty()) return 0;
    auto [it, added] = values_.emplace(field + value, static_cast<std::uint32_t>(values_.size() + 1));
    return it->second;
}

std::uint32_t Percolator::value_id(char field, const std::string& value) const {
    auto it = values_.find(field + value);
    return it == values_.end() ? kNoValue : it->second;
}

namespace {

bool same_search(const auto& a, const auto& b) {
    return !a.more_words && !a.wide && !b.more_words && !b.wide && std::equal(a.words, a.words + 3, b.words) &&
           a.kind == b.kind && a.procedure == b.procedure && a.departement == b.departement &&
           a.division == b.division && a.clause == b.clause;
}

// A check is four cells of its bucket (both trivially copyable, the same size).
template <class C>
C load_check(const std::int64_t* cells) {
    static_assert(std::is_trivially_copyable_v<C>);
    C c;
    std::memcpy(static_cast<void*>(&c), cells, sizeof c);
    return c;
}
template <class C>
void store_check(const C& c, std::int64_t* cells) {
    static_assert(std::is_trivially_copyable_v<C>);
    std::memcpy(cells, static_cast<const void*>(&c), sizeof c);
}

}  // namespace

void Percolator::make_room(Bucket& b, std::size_t size) {
    if (size <= b.capacity) return;
    const std::size_t capacity = std::max<std::size_t>({size, std::size_t{b.capacity} * 2, 16});
    if (b.offset + b.capacity == arena_.size() && b.capacity > 0) {  // the last bucket grows in place
        arena_.resize(b.offset + capacity);
        b.capacity = static_cast<std::uint32_t>(capacity);
        return;
    }
    const std::size_t at = arena_.size();
    if (at + capacity > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("percolator arena");
    arena_.resize(at + capacity);
    std::copy(arena_.begin() + b.offset, arena_.begin() + b.offset + b.size, arena_.begin() + at);
    b.offset = static_cast<std::uint32_t>(at);
    b.capacity = static_cast<std::uint32_t>(capacity);
}

void Percolator::file(std::uint64_t key, const Check& c, std::int64_t id) {
    Bucket& b = buckets_.at(key);
    ++b.ids;
    const std::size_t used = b.size == 0 ? 0 : b.size - kPadCells;
    for (std::size_t i = 0; i < used;) {
        auto x = load_check<Check>(cells(b) + i);
        if (same_search(x, c)) {  // the id goes after the check's others
            make_room(b, b.size + 1);
            std::int64_t* p = cells(b);
            const std::size_t at = i + kCheckCells + x.count;
            std::copy_backward(p + at, p + b.size, p + b.size + 1);
            p[at] = id;
            ++b.size;
            ++x.count;
            store_check(x, p + i);
            return;
        }
        i += kCheckCells + x.count;
    }
    Check added = c;
    added.count = 1;
    make_room(b, used + kCheckCells + 1 + kPadCells);
    std::int64_t* p = cells(b);
    store_check(added, p + used);
    p[used + kCheckCells] = id;
    std::fill(p + used + kCheckCells + 1, p + used + kCheckCells + 1 + kPadCells, 0);
    b.size = static_cast<std::uint32_t>(used + kCheckCells + 1 + kPadCells);
}

void Percolator::unfile(std::uint64_t key, std::int64_t id) {
    Bucket& b = buckets_.at(key);
    std::int64_t* p = cells(b);
    const std::size_t used = b.size == 0 ? 0 : b.size - kPadCells;
    for (std::size_t i = 0; i < used;) {
        auto x = load_check<Check>(p + i);
        std::int64_t* ids = p + i + kCheckCells;
        if (std::int64_t* pos = std::find(ids, ids + x.count, id); pos != ids + x.count) {
            --b.ids;
            if (x.count == 1) {  // the check goes with its last search
                std::copy(ids + 1, p + b.size, p + i);
                b.size -= static_cast<std::uint32_t>(kCheckCells + 1);
                if (b.size == kPadCells) b.size = 0;
            } else {
                std::copy(pos + 1, p + b.size, pos);
                --b.size;
                --x.count;
                store_check(x, p + i);
            }
            return;
        }
        i += kCheckCells + x.count;
    }
}

void Percolator::remove(std::int64_t id) {
    std::unique_lock lock(mu_);
    auto it = slot_of_.find(id);
    if (it == slot_of_.end()) return;
    Entry& e = entries_[it->second];
    unfile(e.key, id);
    e = Entry{};  // the slot stays, empty
    slot_of_.erase(it);
    --alive_;
}

std::size_t Percolator::size() const {
    std::shared_lock lock(mu_);
    return alive_;
}

Percolator::Reasons Percolator::reasons(std::int64_t id) const {
    std::shared_lock lock(mu_);
    auto it = slot_of_.find(id);
    return it == slot_of_.end() ? nullptr : entries_[it->second].reasons;
}

namespace {

// A value the document has; most documents have one place and one CPV domain.
bool has_value(const std::vector<std::uint32_t>& v, std::uint32_t x) {
    if (v.size() == 1) return v[0] == x;
    return std::find(v.begin(), v.end(), x) != v.end();
}

// Whether a document's values hold a search's filters (an entry's or a check's: the same fields, 0: any).
template <class Filters>
bool filters_hold(const Filters& f, std::uint32_t kind, std::uint32_t procedure, const std::vector<std::uint32_t>& deps,
                  const std::vector<std::uint32_t>& divisions, const std::vector<std::uint32_t>& clauses) {
    return (!f.kind || f.kind == kind) && (!f.procedure || f.procedure == procedure) &&
           (!f.division || has_value(divisions, f.division)) && (!f.departement || has_value(deps, f.departement)) &&
           (!f.clause || has_value(clauses, f.clause));
}

}  // namespace

std::vector<std::int64_t> Percolator::match(const IndexedDoc& d) const {
    static thread_local StemSet stems;  // this thread's, reused
    stems.clear();
    {
        auto add = [&](std::uint64_t x) { stems.add(x); };
        for_each_stem({d.title, d.body, d.buyer}, add);
        for (const auto& label : d.cpv_labels) for_each_stem({label}, add);
        for (const auto& c : d.cpv_codes) stems.add(h(c));
    }
    std::shared_lock lock(mu_);
    // The document's words that searches use, as their ids, and a bitmap of them.
    static thread_local std::vector<std::uint64_t> present;
    present.resize(word_ids_.size() / 64 + 1);
    present[0] |= 1;  // id 0: no word
    std::vector<Word> words;
    words.reserve(stems.list().size());
    for (auto s : stems.list()) word_ids_.prefetch(s);
    for (auto s : stems.list())
        if (const Word* w = word_ids_.find(s)) {
            words.push_back(*w);
            present[w->id / 64] |= std::uint64_t{1} << (w->id % 64);
        }
    auto word_bit = [&](std::uint32_t w) -> std::uint64_t { return (present[w / 64] >> (w % 64)) & 1; };
    auto has_word = [&](std::uint32_t w) { return word_bit(w) != 0; };
    // The document's values, as the ids searches know them (kNoValue: no search asks for it).
    auto ids_of = [&](char field, const std::vector<std::string>& values, std::size_t prefix = std::string::npos) {
        std::vector<std::uint32_t> ids;
        for (const auto& v : values) ids.push_back(value_id(field, v.substr(0, prefix)));
        sort_unique(ids);
        return ids;
    };
    const auto deps = ids_of('d', d.departements), divisions = ids_of('c', d.cpv_codes, 2),
               clauses = ids_of('s', d.clauses);
    const std::uint32_t kind = value_id('k', d.tab()),
                        procedure = d.procedure.empty() ? kNoValue : value_id('p', d.procedure);

    // Every key this document offers, each once: a search is filed under one key, so it is checked once.
    std::vector<std::uint64_t> keys = {mix(kAll), mix(kKind, kind)};
    if (procedure != kNoValue) keys.push_back(mix(kProcedure, procedure));
    keys.reserve(words.size() * (1 + deps.size() + divisions.size()) + 16);
    for (auto w : words) {  // only the keys that searches may have been filed under with this word
        if (w.alone) keys.push_back(mix(kWord, w.id));
        for (auto v : deps)
            if (v != kNoValue && (w.places & value_bit(v))) keys.push_back(mix(kWordPlace, w.id, v));
        for (auto v : divisions)
            if (v != kNoValue && (w.domains & value_bit(v))) keys.push_back(mix(kWordDomain, w.id, v));
    }
    for (auto v : divisions) keys.push_back(mix(kDomain, v));
    for (auto v : deps) keys.push_back(mix(kPlace, v));
    for (auto v : clauses) keys.push_back(mix(kClause, v));

    // The lookups are independent: asking for their cells first lets the memory fetch them in parallel.
    for (auto k : keys) buckets_.prefetch(k);
    std::vector<const Bucket*> found;
    found.reserve(keys.size());
    std::size_t total = 0;
    for (auto k : keys)
        if (const Bucket* b = buckets_.find(k); b && b->ids) {
            found.push_back(b);
            total += b->ids;
        }
    std::vector<std::int64_t> out(total + kPadCells);  // a check's ids are copied four at a time
    // Reading a bucket starts with a miss on its first cells, unless they were asked for ahead, while the
    // buckets before are checked; the rest of a bucket follows in order.
    constexpr std::size_t kAhead = 4;
    auto fetch = [&](std::size_t i) {
        if (i < found.size()) __builtin_prefetch(cells(*found[i]));
    };
    for (std::size_t i = 0; i < kAhead; ++i) fetch(i);
    // Each check is evaluated without branching on its outcome (half the candidates match, a branch
    // would be mispredicted half the time): its ids are written, and kept when it matches.
    const std::uint32_t dep = deps.empty() ? kNoValue : deps[0], division = divisions.empty() ? kNoValue : divisions[0],
                        clause = clauses.empty() ? kNoValue : clauses[0];
    const bool single = deps.size() <= 1 && divisions.size() <= 1 && clauses.size() <= 1;
    std::size_t n = 0;
    for (std::size_t i = 0; i < found.size(); ++i) {
        fetch(i + kAhead);
        const std::int64_t* p = cells(*found[i]);
        const std::int64_t* const end = p + found[i]->size - kPadCells;
        while (p < end) {
            const auto c = load_check<Check>(p);
            p += kCheckCells;
            // Bitwise on 0/1 values: no branch.
            auto u = [](bool b) { return static_cast<std::uint64_t>(b); };
            std::uint64_t ok = word_bit(c.words[0]) & word_bit(c.words[1]) & word_bit(c.words[2]) &
                               u((c.kind == 0) | (c.kind == kind)) & u((c.procedure == 0) | (c.procedure == procedure));
            if (single) {
                ok &= u((c.division == 0) | (c.division == division)) &
                      u((c.departement == 0) | (c.departement == dep)) & u((c.clause == 0) | (c.clause == clause));
            } else {
                ok &= u(filters_hold(c, kind, procedure, deps, divisions, clauses));
            }
            if (c.wide | c.more_words) {  // rare: read the entry (such a check has one search)
                const Entry& e = entries_[slot_of_.at(p[0])];
                ok = filters_hold(e, kind, procedure, deps, divisions, clauses) &&
                     std::all_of(e.words.begin(), e.words.end(), has_word);
            }
            // Most checks have one search, few more than four: the first four cells are copied without a
            // loop (what follows the ids, or the padding, is copied too, then written over or cut off).
            std::int64_t* to = out.data() + n;
            to[0] = p[0], to[1] = p[1], to[2] = p[2], to[3] = p[3];
            if (c.count > 1 + kPadCells) [[unlikely]]
                std::copy(p + 1 + kPadCells, p + c.count, to + 1 + kPadCells);
            p += c.count;
            n += ok ? c.count : 0;
        }
    }
    out.resize(n);
    for (auto w : words) present[w.id / 64] = 0;
    last_candidates_.store(total, std::memory_order_relaxed);
    return out;
}

}  // namespace passerelle::search
