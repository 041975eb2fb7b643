#include "search/search_index.hpp"

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <string_view>
#include <unordered_map>

#include "core/fold.hpp"

namespace passerelle::search {

namespace {

constexpr Xapian::valueno kSlotDeadline = 0;
constexpr Xapian::valueno kSlotPublished = 1;
constexpr Xapian::valueno kSlotKey = 2;   // "kind:id", read for each hit (cheaper than its term list)
constexpr Xapian::valueno kSlotName = 3;  // folded name, for the directory's alphabetical order
// The document's facet terms, one per line: the facet counts read this one value per match instead of the
// whole term list (every word of the document), which made a broad query slow.
constexpr Xapian::valueno kSlotFacets = 4;

// Boolean term prefixes: one facet each.
const std::map<std::string, std::string> kFacetPrefixes = {
    {"XK", "kind"},   {"XD", "departement"}, {"XC", "division"}, {"XB", "buyer"}, {"XP", "procedure"},
    {"XL", "clause"}, {"XS", "status"},      {"XA", "amount"},   {"XG", "label"}, {"XZ", "size"}};

// Folded text with French elisions split: "d'hygiénisation" -> "d hygienisation", so that the word is
// found alone (Xapian keeps an apostrophe inside a word).
std::string normalise(const std::string& text) {
    std::string s = core::fold(text);
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\'') {
            out.push_back(' ');
        } else if (s.compare(i, 3, "\u2019") == 0) {  // typographic apostrophe
            out.push_back(' ');
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

std::string id_term(const std::string& kind, std::int64_t id) { return "Q" + kind + ":" + std::to_string(id); }
// A document in the département `dep` with a CPV code of the division `division` (not a facet prefix).
std::string place_domain_term(const std::string& dep, const std::string& division) {
    return "XY" + dep + ":" + division;
}

// Deadline windows, relative to when the document was indexed would go stale: computed at query time
// from the value slot instead (see search()).

// Counts the facet terms of every match: each term counted as it is (one hash lookup, no allocation once
// seen), grouped into facets once at the end. (A lookup in a map of maps per term, before, was about a
// third of the server's time on a broad search page.)
class FacetSpy : public Xapian::MatchSpy {
  public:
    FacetSpy(std::optional<std::int64_t> now, bool kinds_only) : now_(now), kinds_only_(kinds_only) {}
    void operator()(const Xapian::Document& doc, double) override {
        if (now_ && !kinds_only_) {
            const std::string v = doc.get_value(kSlotDeadline);
            const auto deadline = v.empty() ? 0 : static_cast<std::int64_t>(Xapian::sortable_unserialise(v));
            if (deadline > *now_) {
                const std::int64_t days = (deadline - *now_) / 86400;
                soon_[0] += days < 7;
                soon_[1] += days < 30;
                soon_[2] += days < 90;
            }
        }
        const std::string facets = doc.get_value(kSlotFacets);
        for (std::string_view rest = facets; !rest.empty();) {
            const std::size_t end = std::min(rest.find('\n'), rest.size());
            const std::string_view term = rest.substr(0, end);
            rest.remove_prefix(std::min(end + 1, rest.size()));
            if (kinds_only_ && !term.starts_with("XK")) continue;
            if (auto it = terms_.find(term); it != terms_.end())
                ++it->second;
            else
                terms_.emplace(term, 1);
        }
    }
    // Facet name -> value -> count (a facet or a window with no match is left out).
    std::map<std::string, std::map<std::string, std::int64_t>> counts() const {
        std::map<std::string, std::map<std::string, std::int64_t>> out;
        for (const auto& [term, n] : terms_) {
            if (term.size() < 3 || term[0] != 'X') continue;
            if (auto it = kFacetPrefixes.find(term.substr(0, 2)); it != kFacetPrefixes.end())
                out[it->second][term.substr(2)] += n;
        }
        const char* windows[] = {"7j", "30j", "90j"};
        for (std::size_t i = 0; i < 3; ++i)
            if (soon_[i]) out["deadline"][windows[i]] = soon_[i];
        return out;
    }

  private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::optional<std::int64_t> now_;
    bool kinds_only_;
    std::int64_t soon_[3] = {0, 0, 0};  // deadlines within 7, 30 and 90 days
    std::unordered_map<std::string, std::int64_t, Hash, std::equal_to<>> terms_;
};

}  // namespace

// Xapian objects are not thread-safe, not even a Stem: each thread has its own.
static Xapian::Stem& french_stemmer() {
    static thread_local Xapian::Stem stem("french");
    return stem;
}

std::string amount_band(std::int64_t e) {
    if (e <= 0) return "unknown";
    if (e < 40000) return "lt40k";
    if (e < 215000) return "40k-215k";
    if (e < 1000000) return "215k-1m";
    if (e < 5000000) return "1m-5m";
    return "gt5m";
}

namespace {

// The read-only databases of the searches on an index on disk (a Xapian reader sees the last commit and
// never waits for the writer): one per search under way, idle ones kept for the next searches. A
// compaction closes the pool while it swaps the directories: new searches wait, the ones under way
// finish, the idle readers of the old directory go (a steady flow of searches cannot hold the swap off,
// as it could a reader-preferring shared_mutex).
class ReaderPool {
  public:
    using Reader = Xapian::Database;

    // A reader for one search: given back when the lease ends if kept(), else dropped.
    class Lease {
      public:
        Lease(ReaderPool& pool, std::unique_ptr<Reader> r) : pool_(pool), reader_(std::move(r)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease() { pool_.leave(keep_ ? std::move(reader_) : nullptr); }
        Reader& operator*() { return *reader_; }
        void keep() { keep_ = true; }

      private:
        friend class ReaderPool;
        ReaderPool& pool_;
        std::unique_ptr<Reader> reader_;
        bool keep_ = false;
    };

    // Waits while the pool is closed. Opens a reader on `dir` when none is idle (Xapian errors thrown).
    std::unique_ptr<Lease> take(const std::string& dir) {
        std::unique_ptr<Reader> r;
        {
            std::unique_lock lock(mu_);
            open_.wait(lock, [&] { return !closed_; });
            ++inside_;
            if (!idle_.empty()) {
                r = std::move(idle_.back());
                idle_.pop_back();
            }
        }
        auto lease = std::make_unique<Lease>(*this, std::move(r));  // leaves the pool however this ends
        if (!lease->reader_) lease->reader_ = std::make_unique<Reader>(dir);
        return lease;
    }
    // Once the searches under way are done, drops the idle readers and lets no search in until open().
    void close() {
        std::unique_lock lock(mu_);
        closed_ = true;
        empty_.wait(lock, [&] { return inside_ == 0; });
        idle_.clear();
    }
    void open() {
        std::lock_guard lock(mu_);
        closed_ = false;
        open_.notify_all();
    }

  private:
    static constexpr std::size_t kMaxIdle = 8;
    void leave(std::unique_ptr<Reader> r) {
        std::lock_guard lock(mu_);
        if (r && idle_.size() < kMaxIdle) idle_.push_back(std::move(r));
        if (--inside_ == 0) empty_.notify_all();
    }
    std::mutex mu_;
    std::condition_variable open_, empty_;
    bool closed_ = false;
    int inside_ = 0;
    std::vector<std::unique_ptr<Reader>> idle_;
};

}  // namespace

struct SearchIndex::Impl {
    std::mutex mu;    // the writable database: writes, and every use of an in-memory index
    std::string dir;  // empty: in memory
    Xapian::WritableDatabase db;
    ReaderPool readers;  // on disk
    // The newest revision committed or read by a search: a reader behind it is reopened first, so that no
    // search sees less than one that ended before it began.
    std::atomic<Xapian::rev> newest{0};
    void saw(Xapian::rev r) {
        for (auto n = newest.load(); n < r && !newest.compare_exchange_weak(n, r);) {
        }
    }
    // Held by each commit, and by a search that commits overtook twice: its last try holds them off.
    std::mutex commit_mu;
    void commit() {  // under mu
        std::lock_guard lock(commit_mu);
        db.commit();
        if (!dir.empty()) saw(db.get_revision());  // (an in-memory database has no revisions)
    }
};

namespace {

// Where compact() writes the new index before it takes the place of the old one.
std::string compacting_dir(const std::string& dir) { return dir + ".compact"; }
std::string replaced_dir(const std::string& dir) { return dir + ".old"; }

}  // namespace

SearchIndex::SearchIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SearchIndex::~SearchIndex() = default;

core::Result<std::unique_ptr<SearchIndex>> SearchIndex::open(const std::string& dir) {
    try {
        auto impl = std::make_unique<Impl>();
        impl->dir = dir;
        std::error_code ec;
        if (!dir.empty()) {
            // A compaction stopped between its two renames: its complete result takes the index's place.
            if (!std::filesystem::exists(dir, ec) && std::filesystem::exists(compacting_dir(dir), ec))
                std::filesystem::rename(compacting_dir(dir), dir, ec);
            std::filesystem::remove_all(replaced_dir(dir), ec);
            std::filesystem::create_directories(dir, ec);
        }
        impl->db = dir.empty() ? Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY)
                               : Xapian::WritableDatabase(dir, Xapian::DB_CREATE_OR_OPEN);
        return std::unique_ptr<SearchIndex>(new SearchIndex(std::move(impl)));
    } catch (const Xapian::Error& e) {
        return core::Error::Unavailable("index de recherche : " + e.get_description());
    }
}

core::Status SearchIndex::put(const IndexedDoc& d) {
    try {
        Xapian::Document doc;
        Xapian::TermGenerator tg;
        tg.set_stemmer(french_stemmer());
        tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        tg.set_document(doc);
        const std::string title = normalise(d.title);
        tg.index_text(title, 3);  // the title weighs more
        tg.increase_termpos();
        tg.index_text(normalise(d.body));
        tg.increase_termpos();
        tg.index_text(normalise(d.buyer));
        for (const auto& label : d.cpv_labels) {
            tg.increase_termpos();
            tg.index_text(normalise(label));
        }
        for (const auto& c : d.cpv_codes) {
            doc.add_boolean_term("XC" + c.substr(0, 2));
            tg.increase_termpos();
            tg.index_text(c);  // a code typed in the box finds it
        }
        for (const auto& ident : d.identifiers) {
            tg.increase_termpos();
            tg.index_text(normalise(ident));
        }
        doc.add_boolean_term(id_term(d.kind, d.id));
        doc.add_boolean_term("XK" + d.tab());
        for (const auto& dep : d.departements) doc.add_boolean_term("XD" + dep);
        // Each (département, CPV division) pair as one term too: a search filtered on both (the veille's
        // usual shape) then leads with a short posting list instead of intersecting two long ones, as a
        // composite index would in SQL.
        for (const auto& dep : d.departements)
            for (const auto& c : d.cpv_codes) doc.add_boolean_term(place_domain_term(dep, c.substr(0, 2)));
        if (d.buyer_id) doc.add_boolean_term("XB" + std::to_string(d.buyer_id));
        if (!d.procedure.empty()) doc.add_boolean_term("XP" + d.procedure);
        for (const auto& c : d.clauses)
            if (!c.empty() && c != "none") doc.add_boolean_term("XL" + c);
        if (!d.status.empty()) doc.add_boolean_term("XS" + d.status);
        if (d.kind != "company") doc.add_boolean_term("XA" + amount_band(d.amount));
        for (const auto& l : d.labels) doc.add_boolean_term("XG" + l);
        if (!d.size.empty()) doc.add_boolean_term("XZ" + d.size);
        if (!d.sort_name.empty()) doc.add_value(kSlotName, core::fold(d.sort_name));
        doc.add_value(kSlotDeadline, Xapian::sortable_serialise(static_cast<double>(d.deadline)));
        doc.add_value(kSlotPublished, Xapian::sortable_serialise(static_cast<double>(d.published_at)));
        doc.add_value(kSlotKey, d.kind + ":" + std::to_string(d.id));
        std::string facets;
        for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
            const std::string& term = *t;
            if (term.size() >= 3 && term[0] == 'X' && kFacetPrefixes.count(term.substr(0, 2)))
                facets += (facets.empty() ? "" : "\n") + term;
        }
        doc.add_value(kSlotFacets, facets);
        // The data keeps what the snippet is built from.
        doc.set_data(d.title + "\n" + d.body);
        std::unique_lock lock(impl_->mu);
        impl_->db.replace_document(id_term(d.kind, d.id), doc);
        return {};
    } catch (const Xapian::Error& e) {
        return core::Error::Unavailable("index de recherche : " + e.get_description());
    }
}

core::Status SearchIndex::remove(const std::string& kind, std::int64_t id) {
    try {
        std::unique_lock lock(impl_->mu);
        impl_->db.delete_document(id_term(kind, id));
        return {};
    } catch (const Xapian::Error& e) {
        return core::Error::Unavailable("index de recherche : " + e.get_description());
    }
}

core::Status SearchIndex::clear() {
    try {
        std::unique_lock lock(impl_->mu);
        std::vector<Xapian::docid> ids;
        for (auto it = impl_->db.postlist_begin(""); it != impl_->db.postlist_end(""); ++it) ids.push_back(*it);
        for (auto id : ids) impl_->db.delete_document(id);
        return {};
    } catch (const Xapian::Error& e) {
        return core::Error::Unavailable("index de recherche : " + e.get_description());
    }
}

core::Status SearchIndex::commit() {
    try {
        std::unique_lock lock(impl_->mu);
        impl_->commit();
        return {};
    } catch (const Xapian::Error& e) {
        return core::Error::Unavailable("index de recherche : " + e.get_description());
    }
}

core::Status SearchIndex::compact() {
    if (impl_->dir.empty()) return {};
    std::unique_lock lock(impl_->mu);
    const std::string& dir = impl_->dir;
    const std::string fresh = compacting_dir(dir), old = replaced_dir(dir);
    std::error_code ec;
    try {
        impl_->commit();
        std::filesystem::remove_all(fresh, ec);
        impl_->db.compact(fresh);
    } catch (const Xapian::Error& e) {
        std::filesystem::remove_all(fresh, ec);
        return core::Error::Unavailable("index de recherche (compactage) : " + e.get_description());
    }
    // The compacted copy is complete: it replaces the index (open() finishes this if interrupted), once
    // the searches under way are done; the readers of the old one go.
    impl_->readers.close();
    struct Reopen {
        ReaderPool& pool;
        ~Reopen() { pool.open(); }
    } reopen{impl_->readers};
    impl_->db.close();
    std::filesystem::remove_all(old, ec);
    std::filesystem::rename(dir, old, ec);
    if (!ec) std::filesystem::rename(fresh, dir, ec);
    const bool swapped = !ec;
    if (!swapped && !std::filesystem::exists(dir, ec)) std::filesystem::rename(old, dir, ec);  // put it back
    try {
        impl_->db = Xapian::WritableDatabase(dir, Xapian::DB_CREATE_OR_OPEN);
        impl_->newest = impl_->db.get_revision();  // (no reader is open: the copy may number its revisions anew)
    } catch (const Xapian::Error& e) {
        return core::Error::Unavailable("index de recherche : " + e.get_description());
    }
    std::filesystem::remove_all(swapped ? old : fresh, ec);
    if (!swapped) return core::Error::Unavailable("index de recherche : le compactage n'a pas pu remplacer l'index");
    return {};
}

std::int64_t SearchIndex::size() {
    std::unique_lock lock(impl_->mu);
    return static_cast<std::int64_t>(impl_->db.get_doccount());
}

std::string SearchIndex::format() { return metadata("passerelle_format"); }

std::string SearchIndex::version() {
    try {
        std::unique_lock lock(impl_->mu);
        return std::to_string(impl_->db.get_revision()) + "/" + std::to_string(impl_->db.get_doccount()) + "/" +
               std::to_string(impl_->db.get_lastdocid());
    } catch (const Xapian::Error&) {
        return "";
    }
}

std::string SearchIndex::metadata(const std::string& key) {
    try {
        std::unique_lock lock(impl_->mu);
        return impl_->db.get_metadata(key);
    } catch (const Xapian::Error&) {
        return "";
    }
}

core::Status SearchIndex::set_metadata(const std::string& key, const std::string& value) {
    try {
        std::unique_lock lock(impl_->mu);
        impl_->db.set_metadata(key, value);
        return {};
    } catch (const Xapian::Error& e) {
        return core::Error::Unavailable("index de recherche : " + e.get_description());
    }
}

core::Status SearchIndex::set_format(const std::string& version) {
    try {
        std::unique_lock lock(impl_->mu);
        impl_->db.set_metadata("passerelle_format", version);
        impl_->commit();
        return {};
    } catch (const Xapian::Error& e) {
        return core::Error::Unavailable("index de recherche : " + e.get_description());
    }
}

namespace {

// One search on a database (throws Xapian errors).
Results run_search(Xapian::Database& db, const Query& q) {
    // (Not a copy of Xapian::Query::MatchAll: a query's reference count is not atomic, and searches run on
    // several threads at once; the empty term is the same query.)
    Xapian::Query query{std::string()};
    const std::string text = normalise(q.text);
    if (text.find_first_not_of(" \t") != std::string::npos) {
        Xapian::QueryParser qp;
        qp.set_stemmer(french_stemmer());
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        qp.set_database(db);
        qp.set_default_op(Xapian::Query::OP_AND);
        unsigned flags =
            Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_BOOLEAN;
        if (q.partial) flags |= Xapian::QueryParser::FLAG_PARTIAL;
        try {
            query = qp.parse_query(text, flags);
        } catch (const Xapian::QueryParserError&) {
            query = qp.parse_query(text, Xapian::QueryParser::FLAG_PARTIAL);  // stray quotes or operators
        }
    }
    std::vector<Xapian::Query> filters;
    auto one_of = [&](const std::string& prefix, const std::vector<std::string>& values) {
        std::vector<Xapian::Query> terms;
        for (const auto& v : values)
            if (!v.empty()) terms.emplace_back(prefix + v);
        if (!terms.empty()) filters.emplace_back(Xapian::Query::OP_OR, terms.begin(), terms.end());
    };
    one_of("XK", {q.kind});
    std::vector<std::string> pairs;
    if (!q.cpv_division.empty())
        for (const auto& dep : q.departements)
            if (!dep.empty()) pairs.push_back(place_domain_term(dep, q.cpv_division));
    if (!pairs.empty()) {  // the two filters as one: the terms of their pairs
        one_of("", pairs);
    } else {
        one_of("XD", q.departements);
        one_of("XC", {q.cpv_division});
    }
    if (q.buyer_id) one_of("XB", {std::to_string(*q.buyer_id)});
    one_of("XP", {q.procedure});
    one_of("XL", {q.clause});
    one_of("XS", {q.status});
    one_of("XA", {q.amount_band});
    one_of("XG", {q.label});
    one_of("XZ", {q.size});
    if (q.deadline_after || q.deadline_before)
        filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, kSlotDeadline,
                             Xapian::sortable_serialise(static_cast<double>(q.deadline_after.value_or(1))),
                             Xapian::sortable_serialise(static_cast<double>(q.deadline_before.value_or(4102444800))));
    for (const auto& f : filters) query = Xapian::Query(Xapian::Query::OP_FILTER, query, f);
    for (const auto& k : q.kinds_excluded)
        query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, Xapian::Query("XK" + k));

    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    if (q.sort == "deadline")
        enquire.set_sort_by_value_then_relevance(kSlotDeadline, false);
    else if (q.sort == "published")
        enquire.set_sort_by_value_then_relevance(kSlotPublished, true);
    else if (q.sort == "name")
        enquire.set_sort_by_value_then_relevance(kSlotName, false);
    FacetSpy spy(q.now, q.kind_facet_only);
    if (q.facets) enquire.add_matchspy(&spy);
    Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(std::max(0, q.offset)),
                                         static_cast<Xapian::doccount>(std::clamp(q.limit, 1, 100)),
                                         q.facets || q.count_all ? db.get_doccount() : 0);
    Results out;
    out.total = static_cast<std::int64_t>(mset.get_matches_estimated());
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Hit h;
        Xapian::Document doc = it.get_document();
        if (const std::string key = doc.get_value(kSlotKey); !key.empty()) {
            const auto colon = key.find(':');
            h.kind = key.substr(0, colon);
            h.id = std::stoll(key.substr(colon + 1));
        }
        for (auto t = doc.termlist_begin(); h.kind.empty() && t != doc.termlist_end(); ++t) {  // older indexes
            const std::string& term = *t;
            if (term.rfind("Q", 0) == 0) {
                auto colon = term.find(':');
                h.kind = term.substr(1, colon - 1);
                h.id = std::stoll(term.substr(colon + 1));
                break;
            }
        }
        h.score = it.get_weight();
        if (q.snippets)
            h.snippet_html = mset.snippet(doc.get_data(), 240, french_stemmer(),
                                          Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                          "<mark>", "</mark>", "…");
        out.hits.push_back(std::move(h));
    }
    if (q.facets) out.facets = spy.counts();
    return out;
}

}  // namespace

core::Result<Results> SearchIndex::search(const Query& q) {
    try {
        if (impl_->dir.empty()) {  // in memory: the writable database is the only one
            std::unique_lock lock(impl_->mu);
            return run_search(impl_->db, q);
        }
        auto lease = impl_->readers.take(impl_->dir);
        Xapian::Database& reader = **lease;
        // A commit during the search may retire the blocks it reads (Xapian then says so): it starts again
        // on the new revision, and the third try holds commits off (without that, a writer committing
        // faster than a search runs could fail it every time). A reader that failed otherwise is dropped.
        bool modified = false;
        for (int attempt = 0;; ++attempt) {
            std::unique_lock<std::mutex> no_commits;
            if (attempt == 2) no_commits = std::unique_lock(impl_->commit_mu);
            try {
                if (modified || reader.get_revision() < impl_->newest.load()) reader.reopen();
                impl_->saw(reader.get_revision());
                auto out = run_search(reader, q);
                lease->keep();
                return out;
            } catch (const Xapian::DatabaseModifiedError&) {
                if (attempt == 2) throw;
                modified = true;
            }
        }
    } catch (const Xapian::Error& e) {
        return core::Error::Unavailable("index de recherche : " + e.get_description());
    }
}

}  // namespace passerelle::search
