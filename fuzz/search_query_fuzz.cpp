// The search box: any text as a query (Xapian's query parser with French stemming, phrases, +/-, prefix
// completion) against a small in-memory index, with sorts and filters, and the percolator's analysis of the
// same text as a saved search. A failing query is an error value, never a crash.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "search/percolator.hpp"
#include "search/search_index.hpp"

using namespace passerelle::search;

namespace {

SearchIndex& index() {
    static std::unique_ptr<SearchIndex> idx = [] {
        auto opened = SearchIndex::open("");
        if (!opened) std::abort();
        auto i = std::move(opened.value());
        const char* texts[] = {"Travaux de rénovation énergétique d'un collège", "Nettoyage des locaux de la mairie",
                               "Fourniture de repas pour la restauration scolaire", "Maîtrise d'œuvre : « école »"};
        for (int n = 0; n < 4; ++n) {
            IndexedDoc d;
            d.kind = n % 2 ? "notice" : "roadmap";
            d.id = n + 1;
            d.title = texts[n];
            d.body = texts[n];
            d.departements = {"93"};
            d.cpv_codes = {"45000000"};
            d.deadline = 1700000000 + n;
            (void)i->put(d);
        }
        (void)i->commit();
        return i;
    }();
    return *idx;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0 || size > 2048) return 0;
    const char* sorts[] = {"relevance", "deadline", "published", "name"};
    Query q;
    q.sort = sorts[data[0] % 4];
    q.partial = data[0] & 4;
    q.facets = data[0] & 8;
    q.now = 1700000000;
    q.text.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
    auto r = index().search(q);
    if (r) FUZZ_CHECK(r->total >= static_cast<std::int64_t>(r->hits.size()));

    Percolator p;
    SavedQuery sq;
    sq.id = 1;
    sq.text = q.text;
    p.add(sq);
    IndexedDoc d;
    d.kind = "notice";
    d.id = 1;
    d.title = q.text;
    // A document made of the saved search's own words matches it.
    FUZZ_CHECK(p.match(d).size() == 1);
    return 0;
}
