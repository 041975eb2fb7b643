#include "search/percolator.hpp"

#include <xapian.h>

#include <algorithm>
#include <mutex>
#include <string_view>

#include "core/fold.hpp"

namespace passerelle::search {

namespace {

std::vector<std::string> words(const std::string& text) {
    std::string s = core::fold(text);
    std::vector<std::string> out;
    std::string cur;
    for (std::size_t i = 0; i <= s.size(); ++i) {
        unsigned char c = i < s.size() ? static_cast<unsigned char>(s[i]) : ' ';
        if (std::isalnum(c) || c >= 0x80) {
            cur.push_back(static_cast<char>(c));
        } else {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        }
    }
    return out;
}

std::uint64_t h(std::string_view s) {
    const std::uint64_t v = std::hash<std::string_view>{}(s);
    return v == 0 ? 1 : v;  // 0 means "any"
}

// Keys: a tag, and up to two hashed parts, mixed.
enum Tag : std::uint64_t { kAll = 1, kKind, kProcedure, kWord, kWordPlace, kWordDomain, kDomain, kPlace, kClause };

std::uint64_t mix(std::uint64_t tag, std::uint64_t a = 0, std::uint64_t b = 0) {
    std::uint64_t x = tag * 0x9E3779B97F4A7C15ULL ^ (a + 0x632BE59BD9B4E019ULL + (tag << 6));
    x ^= b * 0xC2B2AE3D27D4EB4FULL + (x << 17) + (x >> 11);
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 29;
    return x;
}

std::uint64_t opt_hash(const std::string& s) { return s.empty() ? 0 : h(s); }

}  // namespace

std::set<std::string> stems_of(const std::string& text) {
    static thread_local Xapian::Stem stem("french");
    std::set<std::string> out;
    for (const auto& w : words(text)) out.insert(stem(w));
    return out;
}

void Percolator::add(const SavedQuery& q) {
    auto reasons = std::make_shared<std::vector<std::string>>();
    if (!q.text.empty()) reasons->push_back("mots : " + q.text);
    if (!q.cpv_division.empty()) reasons->push_back("domaine CPV " + q.cpv_division);
    if (!q.departement.empty()) reasons->push_back("département " + q.departement);
    if (!q.clause.empty()) reasons->push_back("clause " + q.clause);
    if (!q.procedure.empty()) reasons->push_back("procédure " + q.procedure);
    if (reasons->empty()) reasons->push_back("toutes les nouveautés");

    Entry e;
    e.id = q.id;
    e.alive = true;
    auto stems = stems_of(q.text);
    for (const auto& s : stems) e.stem_hashes.push_back(h(s));
    e.kind = opt_hash(q.kind);
    e.departement = opt_hash(q.departement);
    e.division = opt_hash(q.cpv_division);
    e.clause = opt_hash(q.clause);
    e.procedure = opt_hash(q.procedure);
    e.reasons = std::move(reasons);
    if (!stems.empty()) {
        // The longest word is usually the rarest: the fewest documents will wake this search up. With a
        // place or a CPV domain, the key pairs them, so that only documents with both look at the search.
        const std::string& w = *std::max_element(
            stems.begin(), stems.end(), [](const std::string& a, const std::string& b) { return a.size() < b.size(); });
        e.key = e.departement ? mix(kWordPlace, h(w), e.departement)
                : e.division  ? mix(kWordDomain, h(w), e.division)
                              : mix(kWord, h(w));
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
    std::unique_lock lock(mu_);
    std::uint32_t slot = 0;
    if (auto old = slot_of_.find(q.id); old != slot_of_.end()) {
        slot = old->second;
        unfile(entries_[slot].key, slot);
        --alive_;
    } else {
        slot = static_cast<std::uint32_t>(entries_.size());
        entries_.emplace_back();
        slot_of_[q.id] = slot;
    }
    buckets_[e.key].push_back(slot);
    entries_[slot] = std::move(e);
    ++alive_;
}

void Percolator::unfile(std::uint64_t key, std::uint32_t slot) {
    auto b = buckets_.find(key);
    if (b == buckets_.end()) return;
    b->second.erase(std::remove(b->second.begin(), b->second.end(), slot), b->second.end());
    if (b->second.empty()) buckets_.erase(b);
}

void Percolator::remove(std::int64_t id) {
    std::unique_lock lock(mu_);
    auto it = slot_of_.find(id);
    if (it == slot_of_.end()) return;
    Entry& e = entries_[it->second];
    unfile(e.key, it->second);
    e = Entry{};  // the slot stays, empty
    slot_of_.erase(it);
    --alive_;
}

std::size_t Percolator::size() const {
    std::shared_lock lock(mu_);
    return alive_;
}

std::vector<PercolatorMatch> Percolator::match(const IndexedDoc& d) const {
    std::set<std::string> stem_set = stems_of(d.title + " " + d.body + " " + d.buyer);
    for (const auto& label : d.cpv_labels) {
        auto more = stems_of(label);
        stem_set.insert(more.begin(), more.end());
    }
    for (const auto& c : d.cpv_codes) stem_set.insert(c);
    std::vector<std::uint64_t> stems;
    stems.reserve(stem_set.size());
    for (const auto& s : stem_set) stems.push_back(h(s));
    std::sort(stems.begin(), stems.end());
    std::vector<std::uint64_t> deps, divisions, clauses;
    for (const auto& v : d.departements) deps.push_back(h(v));
    for (const auto& c : d.cpv_codes) divisions.push_back(h(c.substr(0, 2)));
    std::sort(divisions.begin(), divisions.end());
    divisions.erase(std::unique(divisions.begin(), divisions.end()), divisions.end());
    for (const auto& v : d.clauses) clauses.push_back(h(v));
    const std::uint64_t kind = h(d.tab()), procedure = opt_hash(d.procedure);

    // Every key this document offers.
    std::vector<std::uint64_t> keys = {mix(kAll), mix(kKind, kind)};
    if (procedure) keys.push_back(mix(kProcedure, procedure));
    keys.reserve(stems.size() * (1 + deps.size() + divisions.size()) + 16);
    for (auto s : stems) {
        keys.push_back(mix(kWord, s));
        for (auto v : deps) keys.push_back(mix(kWordPlace, s, v));
        for (auto v : divisions) keys.push_back(mix(kWordDomain, s, v));
    }
    for (auto v : divisions) keys.push_back(mix(kDomain, v));
    for (auto v : deps) keys.push_back(mix(kPlace, v));
    for (auto v : clauses) keys.push_back(mix(kClause, v));

    std::shared_lock lock(mu_);
    std::vector<std::uint32_t> candidates;
    for (auto k : keys) {
        auto b = buckets_.find(k);
        if (b != buckets_.end()) candidates.insert(candidates.end(), b->second.begin(), b->second.end());
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    last_candidates_ = candidates.size();
    auto in = [](const std::vector<std::uint64_t>& v, std::uint64_t x) {
        return std::find(v.begin(), v.end(), x) != v.end();
    };
    std::vector<PercolatorMatch> out;
    for (auto slot : candidates) {
        const Entry& e = entries_[slot];
        if (!e.alive) continue;
        if (e.kind && e.kind != kind) continue;
        if (e.procedure && e.procedure != procedure) continue;
        if (e.division && !in(divisions, e.division)) continue;
        if (e.departement && !in(deps, e.departement)) continue;
        if (e.clause && !in(clauses, e.clause)) continue;
        if (!std::all_of(e.stem_hashes.begin(), e.stem_hashes.end(),
                         [&](std::uint64_t s) { return std::binary_search(stems.begin(), stems.end(), s); }))
            continue;
        out.push_back({e.id, e.reasons});
    }
    std::sort(out.begin(), out.end(),
              [](const PercolatorMatch& a, const PercolatorMatch& b) { return a.saved_query_id < b.saved_query_id; });
    return out;
}

}  // namespace passerelle::search
