#include "search/percolator.hpp"

#include <xapian.h>

#include <algorithm>
#include <mutex>

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

// Keys a document offers; a saved search is filed under exactly one key it requires.
constexpr const char* kAll = "*";

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
    Entry e{q, stems_of(q.text), kAll, std::move(reasons)};
    if (!e.stems.empty()) {
        // The longest word is usually the rarest: the fewest documents will wake this search up. With a
        // place or a CPV domain, the key pairs them, so that only documents with both look at the search.
        const std::string w =
            *std::max_element(e.stems.begin(), e.stems.end(),
                              [](const std::string& a, const std::string& b) { return a.size() < b.size(); });
        if (!q.departement.empty())
            e.key = "wd:" + w + "|" + q.departement;
        else if (!q.cpv_division.empty())
            e.key = "wc:" + w + "|" + q.cpv_division;
        else
            e.key = "w:" + w;
    } else if (!q.cpv_division.empty()) {
        e.key = "c:" + q.cpv_division;
    } else if (!q.departement.empty()) {
        e.key = "d:" + q.departement;
    } else if (!q.clause.empty()) {
        e.key = "l:" + q.clause;
    } else if (!q.procedure.empty()) {
        e.key = "p:" + q.procedure;
    } else if (!q.kind.empty()) {
        e.key = "k:" + q.kind;
    }
    std::unique_lock lock(mu_);
    if (auto old = entries_.find(q.id); old != entries_.end()) unfile(old->second.key, q.id);
    buckets_[e.key].push_back(q.id);
    entries_[q.id] = std::move(e);
}

void Percolator::unfile(const std::string& key, std::int64_t id) {
    auto b = buckets_.find(key);
    if (b == buckets_.end()) return;
    b->second.erase(std::remove(b->second.begin(), b->second.end(), id), b->second.end());
    if (b->second.empty()) buckets_.erase(b);
}

void Percolator::remove(std::int64_t id) {
    std::unique_lock lock(mu_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return;
    unfile(it->second.key, id);
    entries_.erase(it);
}

std::size_t Percolator::size() const {
    std::shared_lock lock(mu_);
    return entries_.size();
}

std::vector<PercolatorMatch> Percolator::match(const IndexedDoc& d) const {
    std::set<std::string> doc_stems = stems_of(d.title + " " + d.body + " " + d.buyer);
    for (const auto& label : d.cpv_labels) {
        auto more = stems_of(label);
        doc_stems.insert(more.begin(), more.end());
    }
    for (const auto& c : d.cpv_codes) doc_stems.insert(c);
    std::set<std::string> divisions;
    for (const auto& c : d.cpv_codes) divisions.insert(c.substr(0, 2));

    // Every key this document offers, each once: a search is filed under one key, so each candidate
    // comes up exactly once.
    std::vector<std::string> keys = {kAll, "k:" + d.tab(), "p:" + d.procedure};
    for (const auto& w : doc_stems) {
        keys.push_back("w:" + w);
        for (const auto& v : d.departements) keys.push_back("wd:" + w + "|" + v);
        for (const auto& v : divisions) keys.push_back("wc:" + w + "|" + v);
    }
    for (const auto& v : divisions) keys.push_back("c:" + v);
    for (const auto& v : d.departements) keys.push_back("d:" + v);
    for (const auto& v : d.clauses) keys.push_back("l:" + v);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());

    std::shared_lock lock(mu_);
    std::vector<std::int64_t> candidates;
    for (const auto& k : keys) {
        auto b = buckets_.find(k);
        if (b != buckets_.end()) candidates.insert(candidates.end(), b->second.begin(), b->second.end());
    }
    std::sort(candidates.begin(), candidates.end());  // results in saved-search order
    last_candidates_ = candidates.size();
    std::vector<PercolatorMatch> out;
    auto has = [](const std::vector<std::string>& v, const std::string& x) {
        return std::find(v.begin(), v.end(), x) != v.end();
    };
    for (auto id : candidates) {
        const Entry& e = entries_.at(id);
        const SavedQuery& q = e.query;
        if (!q.kind.empty() && q.kind != d.tab()) continue;
        if (!q.procedure.empty() && q.procedure != d.procedure) continue;
        if (!q.cpv_division.empty() && !divisions.count(q.cpv_division)) continue;
        if (!q.departement.empty() && !has(d.departements, q.departement)) continue;
        if (!q.clause.empty() && !has(d.clauses, q.clause)) continue;
        if (!std::all_of(e.stems.begin(), e.stems.end(), [&](const std::string& s) { return doc_stems.count(s) > 0; }))
            continue;
        out.push_back({id, e.reasons});
    }
    return out;
}

}  // namespace passerelle::search
