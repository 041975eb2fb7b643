// passerelle_bench: the figures of the tender-watch issue, measured side by side in one run (`make bench`).
//
//   1. search: N generated notices (default 1,000,000) built from real vocabulary (DECP contract objects
//      and CPV labels from ../shared), indexed by the product's SearchIndex (Xapian, on disk, compacted as
//      `passerelle reindex` leaves it) and loaded into PostgreSQL (french config + unaccent, GIN index,
//      ts_rank); the same queries of 2-3 words with two facet filters on both: p50 / p99 latency and the
//      ratio;
//   2. percolation: S saved searches (default 100,000) against B new notices (default 10,000), with the
//      product's Percolator, against running every saved search as a query over an index of the batch;
//   3. DECP import: records per second of `passerelle import decp` (DecpImporter) on SQLite, on a file of
//      real DECP records repeated under new identifiers;
//   4. server RSS: `passerelle serve` on the N-notice index after it answered the search queries.
//
// A benchmark, not a test: it prints what it measured, it asserts nothing. PostgreSQL comes from
// $PASSERELLE_TEST_PG (scripts/with-postgres.sh starts a throwaway cluster). The SQL here is the
// benchmark's own (a comparison baseline), not the product's storage.
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/crypto.hpp"
#include "app/csv.hpp"
#include "app/decp_import.hpp"
#include "app/indexer.hpp"
#include "core/clock.hpp"
#include "core/fold.hpp"
#include "search/percolator.hpp"
#include "search/search_index.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace fs = std::filesystem;
using namespace passerelle;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    auto i = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size()))) - 1;
    return v[std::min(i, v.size() - 1)];
}

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct Vocabulary {
    std::vector<std::string> objects;                      // real contract objects (DECP)
    std::vector<std::pair<std::string, std::string>> cpv;  // code, French label
    std::vector<std::string> words;                        // words of both, 4 letters or more
};

Vocabulary load_vocabulary(const fs::path& shared) {
    Vocabulary v;
    auto decp = nlohmann::json::parse(read_all(shared / "data/decp/v1_2018-2019/decp_v1_2018-2019.json"));
    std::set<std::string> seen;
    for (const auto& m : decp["marches"]) {
        std::string o = m.value("objet", "");
        if (o.size() < 12 || o.find("\xEF\xBF\xBD") != std::string::npos || !seen.insert(o).second) continue;
        v.objects.push_back(o);
    }
    std::string csv = read_all(shared / "data/cpv/cpv_2008.csv");
    std::size_t pos = 0;
    std::vector<std::string> f;
    app::read_csv_record(csv, pos, f);
    while (app::read_csv_record(csv, pos, f))
        if (f.size() >= 8) v.cpv.emplace_back(f[0], f[7]);
    std::set<std::string> words;
    auto add_words = [&](const std::string& text) {
        std::string w;
        for (char ch : text + " ") {
            if (std::isalpha(static_cast<unsigned char>(ch)) || (static_cast<unsigned char>(ch) >= 0x80)) {
                w.push_back(ch);
            } else {
                if (w.size() >= 5) words.insert(w);
                w.clear();
            }
        }
    };
    for (const auto& o : v.objects) add_words(o);
    for (const auto& c : v.cpv) add_words(c.second);
    v.words.assign(words.begin(), words.end());
    return v;
}

const char* kDeps[] = {"75", "77", "78", "91", "92", "93", "94", "95", "13", "69", "59", "33",  "31", "44",
                       "67", "06", "34", "35", "76", "38", "62", "57", "54", "29", "2A", "971", "974"};
const char* kProcedures[] = {"ao_ouvert", "mapa", "ao_restreint", "negociee", "dialogue"};

struct Generated {
    search::IndexedDoc doc;
    std::string division;
};

Generated generate(const Vocabulary& v, std::mt19937_64& rng, std::int64_t id, std::int64_t now) {
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    Generated g;
    auto& d = g.doc;
    d.kind = "notice";
    d.id = id;
    d.title = v.objects[pick(v.objects.size())];
    std::string body = v.objects[pick(v.objects.size())];
    const std::size_t extra = 8 + pick(12);
    for (std::size_t i = 0; i < extra; ++i) body += " " + v.words[pick(v.words.size())];
    d.body = body;
    const auto& cpv = v.cpv[pick(v.cpv.size())];
    d.cpv_codes = {cpv.first};
    d.cpv_labels = {cpv.second};
    g.division = cpv.first.substr(0, 2);
    d.departements = {kDeps[pick(std::size(kDeps))]};
    d.buyer_id = 1 + static_cast<std::int64_t>(pick(2000));
    d.buyer = "Acheteur " + std::to_string(d.buyer_id);
    d.procedure = kProcedures[pick(std::size(kProcedures))];
    d.status = "published";
    d.amount = static_cast<std::int64_t>(
        std::exp(std::log(10000.0) + (std::log(1e7) - std::log(1e4)) * static_cast<double>(rng() % 10000) / 10000.0));
    d.deadline = now + static_cast<std::int64_t>(pick(180 * 86400));
    d.published_at = now - static_cast<std::int64_t>(pick(90 * 86400));
    return g;
}

// 2-3 distinctive words of a text (5 letters or more), for a query.
std::vector<std::string> query_words(const std::string& text, std::mt19937_64& rng, std::size_t n) {
    std::vector<std::string> words;
    std::string w;
    for (char ch : text + " ") {
        if (std::isalpha(static_cast<unsigned char>(ch)) || static_cast<unsigned char>(ch) >= 0x80) {
            w.push_back(ch);
        } else {
            if (w.size() >= 5) words.push_back(w);
            w.clear();
        }
    }
    std::shuffle(words.begin(), words.end(), rng);
    if (words.size() > n) words.resize(n);
    return words;
}

struct BenchQuery {
    std::vector<std::string> words;
    std::string departement;
    std::string division;
};

std::string pg_escape_copy(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\t' || c == '\n' || c == '\r' || c == '\\')
            out.push_back(' ');
        else
            out.push_back(c);
    }
    return out;
}

bool pg_ok(PGresult* r, PGconn* c, const char* what) {
    auto st = PQresultStatus(r);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok) std::cerr << what << ": " << PQerrorMessage(c);
    PQclear(r);
    return ok;
}

long rss_kib(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

}  // namespace

int main(int argc, char** argv) {
    std::int64_t n_docs = 1000000, n_saved = 100000, n_batch = 10000, n_decp = 200000, n_queries = 300;
    fs::path shared = "../shared", work = "build/bench-work", bin = "build/src/cli/passerelle";
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i], v = argv[i + 1];
        if (a == "--notices")
            n_docs = std::stoll(v);
        else if (a == "--saved")
            n_saved = std::stoll(v);
        else if (a == "--batch")
            n_batch = std::stoll(v);
        else if (a == "--decp")
            n_decp = std::stoll(v);
        else if (a == "--queries")
            n_queries = std::stoll(v);
        else if (a == "--shared")
            shared = v;
        else if (a == "--work")
            work = v;
        else if (a == "--bin")
            bin = v;
    }
    if (!app::init_crypto()) return 1;
    fs::remove_all(work);
    fs::create_directories(work);
    const std::int64_t now = 1796000000;
    std::mt19937_64 rng(42);
    std::cerr << "vocabulary…\n";
    Vocabulary vocab = load_vocabulary(shared);
    std::cerr << vocab.objects.size() << " objects, " << vocab.cpv.size() << " CPV labels, " << vocab.words.size()
              << " words\n";

    // ---- 1. Corpus: Xapian (product index) and PostgreSQL, same documents.
    const char* pg_url = std::getenv("PASSERELLE_TEST_PG");
    PGconn* pg = pg_url ? PQconnectdb(pg_url) : nullptr;
    if (pg && PQstatus(pg) != CONNECTION_OK) {
        std::cerr << "PostgreSQL: " << PQerrorMessage(pg);
        pg = nullptr;
    }
    if (pg) {
        for (const char* sql :
             {"CREATE EXTENSION IF NOT EXISTS unaccent", "DROP TABLE IF EXISTS bench_notices",
              "DROP TEXT SEARCH CONFIGURATION IF EXISTS fr_unaccent",
              "CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = french)",
              "ALTER TEXT SEARCH CONFIGURATION fr_unaccent ALTER MAPPING FOR hword, hword_part, word "
              "WITH unaccent, french_stem",
              "CREATE TABLE bench_notices (id BIGINT PRIMARY KEY, title TEXT, body TEXT, cpv TEXT, division TEXT, "
              "departement TEXT, buyer_id BIGINT, tsv tsvector)"})
            if (!pg_ok(PQexec(pg, sql), pg, sql)) return 1;
    }
    auto index_or = search::SearchIndex::open((work / "var" / "search").string());
    if (!index_or) {
        std::cerr << index_or.error().message << "\n";
        return 1;
    }
    auto& index = *index_or.value();
    std::vector<BenchQuery> queries;
    std::vector<Generated> sample;  // documents queries are drawn from
    std::bernoulli_distribution sample_it(static_cast<double>(n_queries * 4) / static_cast<double>(n_docs));
    auto t_index = Clock::now();
    double xapian_ms = 0, compact_ms = 0, pg_load_ms = 0;
    if (pg) {
        PGresult* copy =
            PQexec(pg, "COPY bench_notices (id, title, body, cpv, division, departement, buyer_id) FROM STDIN");
        const bool copying = PQresultStatus(copy) == PGRES_COPY_IN;
        PQclear(copy);
        if (!copying) {
            std::cerr << "COPY: " << PQerrorMessage(pg);
            return 1;
        }
    }
    std::string copy_buf;
    for (std::int64_t i = 1; i <= n_docs; ++i) {
        Generated g = generate(vocab, rng, i, now);
        auto t0 = Clock::now();
        if (auto st = index.put(g.doc); !st) {
            std::cerr << st.error().message << "\n";
            return 1;
        }
        if (i % 50000 == 0) (void)index.commit();
        xapian_ms += ms_since(t0);
        if (pg) {
            copy_buf += std::to_string(i) + "\t" + pg_escape_copy(g.doc.title) + "\t" +
                        pg_escape_copy(g.doc.body + " " + g.doc.cpv_labels[0]) + "\t" + g.doc.cpv_codes[0] + "\t" +
                        g.division + "\t" + g.doc.departements[0] + "\t" + std::to_string(g.doc.buyer_id) + "\n";
            if (copy_buf.size() > (1 << 20) || i == n_docs) {
                auto t1 = Clock::now();
                if (PQputCopyData(pg, copy_buf.data(), static_cast<int>(copy_buf.size())) != 1) return 1;
                pg_load_ms += ms_since(t1);
                copy_buf.clear();
            }
        }
        if (sample_it(rng) && sample.size() < static_cast<std::size_t>(n_queries)) sample.push_back(g);
        if (i % 100000 == 0) std::cerr << "  " << i << " notices generated\n";
    }
    {
        auto t0 = Clock::now();
        (void)index.commit();
        xapian_ms += ms_since(t0);
        // Searched as `passerelle reindex` leaves an index: compacted.
        auto t1 = Clock::now();
        if (auto st = index.compact(); !st) {
            std::cerr << st.error().message << "\n";
            return 1;
        }
        compact_ms = ms_since(t1);
    }
    if (pg) {
        auto t0 = Clock::now();
        if (PQputCopyEnd(pg, nullptr) != 1) return 1;
        if (!pg_ok(PQgetResult(pg), pg, "COPY end")) return 1;
        for (const char* sql : {"UPDATE bench_notices SET tsv = setweight(to_tsvector('fr_unaccent', title), 'A') || "
                                "to_tsvector('fr_unaccent', body)",
                                "CREATE INDEX bench_notices_tsv ON bench_notices USING GIN (tsv)",
                                "CREATE INDEX bench_notices_facets ON bench_notices (departement, division)",
                                "VACUUM ANALYZE bench_notices"})
            if (!pg_ok(PQexec(pg, sql), pg, sql)) return 1;
        pg_load_ms += ms_since(t0);
    }
    std::cerr << "corpus built in " << ms_since(t_index) / 1000 << " s\n";

    for (const auto& g : sample) {
        auto words = query_words(g.doc.title, rng, 2 + rng() % 2);
        if (words.size() < 2) continue;
        queries.push_back({words, g.doc.departements[0], g.division});
    }

    // Latencies, interleaved (Xapian then PostgreSQL for each query) so that both see the same machine load.
    std::vector<double> lat_x, lat_pg, lat_product;
    std::int64_t hits_x = 0, hits_pg = 0;
    if (pg && !pg_ok(PQexec(pg, "SET work_mem = '64MB'"), pg, "SET")) return 1;
    const char* pg_sql =
        "SELECT id, ts_rank(tsv, q) AS r FROM bench_notices, plainto_tsquery('fr_unaccent', $1) q "
        "WHERE tsv @@ q AND departement = $2 AND division = $3 ORDER BY r DESC LIMIT 20";
    for (int pass = 0; pass < 2; ++pass) {  // the first pass warms the caches and is not counted
        for (const auto& q : queries) {
            std::string text;
            for (const auto& w : q.words) text += (text.empty() ? "" : " ") + w;
            search::Query sq;
            sq.text = text;
            sq.departements = {q.departement};
            sq.cpv_division = q.division;
            sq.limit = 20;
            // Head to head with PostgreSQL: ranked top 20 under the two filters, nothing more (no count of all
            // the matches either: the SQL query has a LIMIT and no count).
            sq.facets = false;
            sq.snippets = false;
            sq.count_all = false;
            sq.partial = false;  // plainto_tsquery has no prefix matching either
            auto t0 = Clock::now();
            auto r = index.search(sq);
            double x = ms_since(t0);
            // What the search page asks for: the same plus facet counts over all matches and snippets.
            sq.facets = true;
            sq.snippets = true;
            sq.count_all = true;
            sq.partial = true;
            auto tp = Clock::now();
            auto full = index.search(sq);
            if (pass == 1 && full) lat_product.push_back(ms_since(tp));
            if (!r) {
                std::cerr << r.error().message << "\n";
                return 1;
            }
            if (pass == 1) {
                lat_x.push_back(x);
                hits_x += r->total;
            }
            if (pg) {
                const char* params[3] = {text.c_str(), q.departement.c_str(), q.division.c_str()};
                auto t1 = Clock::now();
                PGresult* res = PQexecParams(pg, pg_sql, 3, nullptr, params, nullptr, nullptr, 0);
                double p = ms_since(t1);
                if (PQresultStatus(res) != PGRES_TUPLES_OK) {
                    std::cerr << PQerrorMessage(pg);
                    return 1;
                }
                if (pass == 1) {
                    lat_pg.push_back(p);
                    hits_pg += PQntuples(res);
                }
                PQclear(res);
            }
        }
    }

    // The documents are the indexer's (IndexedDoc through SearchIndex::put): marked with its format, the
    // server below serves them as they are (an unmarked index would be rebuilt from its empty database).
    if (auto st = index.set_format(app::Indexer::kFormat); !st) {
        std::cerr << st.error().message << "\n";
        return 1;
    }
    index_or.value().reset();  // closes the index (its write lock) before the server opens it below

    // ---- 2. Percolation, on two workloads of saved searches: "broad" (1-2 words drawn from real contract
    // objects, often generic: "travaux", "prestations") and "specific" (1-2 words that occur in fewer than
    // 0.5 % of the objects, as trades are named: "désamiantage", "élagage"); half of them with a
    // département, a third with a CPV domain.
    std::cerr << "percolation…\n";
    std::map<std::string, int> df;
    for (const auto& o : vocab.objects) {
        std::set<std::string> seen;
        for (const auto& w : query_words(o, rng, 1000)) seen.insert(core::fold(w));
        for (const auto& w : seen) ++df[w];
    }
    std::vector<std::string> specific_words;
    for (const auto& [w, n] : df)
        if (n * 200 < static_cast<int>(vocab.objects.size())) specific_words.push_back(w);
    std::vector<search::IndexedDoc> batch;
    for (std::int64_t i = 0; i < n_batch; ++i) batch.push_back(generate(vocab, rng, n_docs + 1 + i, now).doc);
    // Running the saved searches over the batch needs the batch indexed first: that is part of its cost.
    // The machine is noisy: each side is measured several times, alternately, and the medians compared.
    auto index_batch = [&] {
        auto t_batch = Clock::now();
        auto idx = search::SearchIndex::open("").value();
        for (const auto& d : batch) (void)idx->put(d);
        (void)idx->commit();
        return std::make_pair(std::move(idx), ms_since(t_batch));
    };
    constexpr int kRuns = 3;
    std::unique_ptr<search::SearchIndex> batch_index;
    std::vector<double> batch_index_runs;
    for (int i = 0; i < kRuns; ++i) {
        auto [idx, ms] = index_batch();
        batch_index_runs.push_back(ms);
        batch_index = std::move(idx);
    }
    const double batch_index_ms = percentile(batch_index_runs, 50);
    struct PercResult {
        double perc_ms = 0, brute_ms = 0;
        std::int64_t perc_matches = 0, brute_matches = 0, candidates = 0;
    };
    auto run_percolation = [&](bool specific) {
        PercResult out;
        search::Percolator percolator;
        std::vector<search::SavedQuery> saved;
        for (std::int64_t i = 1; i <= n_saved; ++i) {
            search::SavedQuery sq;
            sq.id = i;
            const std::size_t n_words = 1 + rng() % 2;
            if (specific) {
                for (std::size_t k = 0; k < n_words; ++k)
                    sq.text += (sq.text.empty() ? "" : " ") + specific_words[rng() % specific_words.size()];
            } else {
                for (const auto& w : query_words(vocab.objects[rng() % vocab.objects.size()], rng, n_words))
                    sq.text += (sq.text.empty() ? "" : " ") + w;
            }
            if (rng() % 2) sq.departement = kDeps[rng() % std::size(kDeps)];
            if (rng() % 3 == 0) sq.cpv_division = vocab.cpv[rng() % vocab.cpv.size()].first.substr(0, 2);
            saved.push_back(sq);
            percolator.add(sq);
        }
        std::vector<double> perc_runs, brute_runs;
        for (int run = 0; run < kRuns; ++run) {
            out.perc_matches = out.candidates = out.brute_matches = 0;
            auto t_perc = Clock::now();
            for (const auto& d : batch) {
                out.perc_matches += static_cast<std::int64_t>(percolator.match(d).size());
                out.candidates += static_cast<std::int64_t>(percolator.last_candidates());
            }
            perc_runs.push_back(ms_since(t_perc));
            auto t_brute = Clock::now();
            for (const auto& sq : saved) {
                search::Query q;
                q.text = sq.text;
                if (!sq.departement.empty()) q.departements = {sq.departement};
                q.cpv_division = sq.cpv_division;
                q.limit = 1;
                q.facets = false;
                q.snippets = false;
                auto r = batch_index->search(q);
                if (r) out.brute_matches += r->total;
            }
            brute_runs.push_back(ms_since(t_brute));
        }
        out.perc_ms = percentile(perc_runs, 50);
        out.brute_ms = percentile(brute_runs, 50);
        return out;
    };
    const PercResult broad = run_percolation(false);
    const PercResult specific = run_percolation(true);

    // ---- 3. DECP import rate on SQLite.
    std::cerr << "DECP import…\n";
    double decp_rate = 0, decp_s = 0;
    std::int64_t decp_read = 0;
    {
        auto real =
            nlohmann::json::parse(read_all(shared / "data/decp/v1_2018-2019/decp_v1_2018-2019.json"))["marches"];
        nlohmann::json out = {{"marches", nlohmann::json::array()}};
        for (std::int64_t i = 0; i < n_decp; ++i) {
            auto r = real[static_cast<std::size_t>(i) % real.size()];
            r["id"] = "B" + std::to_string(i) + "-" + r.value("id", "x");
            out["marches"].push_back(std::move(r));
        }
        std::ofstream(work / "decp.json") << out.dump();
        auto db = storage::open_database("sqlite:" + (work / "decp.db").string(), 1);
        if (!db || !storage::migrate(*db.value(), fs::path(PASSERELLE_MIGRATIONS_DIR))) return 1;
        core::SystemClock clock;
        app::DecpImporter importer(*db.value(), clock);
        auto report = importer.import_file(work / "decp.json");
        if (!report) {
            std::cerr << report.error().message << "\n";
            return 1;
        }
        decp_read = report->read;
        decp_s = report->seconds;
        decp_rate = static_cast<double>(report->read) / report->seconds;
    }

    // ---- 4. Server RSS on the corpus index after answering the queries.
    std::cerr << "server RSS…\n";
    long rss = -1;
    std::int64_t served_matches = 0;
    {
        const std::string port_file = (work / "port").string();
        pid_t pid = fork();
        if (pid == 0) {
            setenv("PASSERELLE_LOG", "warn", 1);
            execl(bin.c_str(), bin.c_str(), "serve", "--db", ("sqlite:" + (work / "server.db").string()).c_str(),
                  "--var", (work / "var").c_str(), "--port", "0", "--port-file", port_file.c_str(), "--threads", "2",
                  "--search-rate", "0", static_cast<char*>(nullptr));
            _exit(127);
        }
        for (int i = 0; i < 2400 && !fs::exists(port_file); ++i) usleep(50000);
        if (fs::exists(port_file)) {
            std::string port = read_all(port_file);
            port.erase(port.find_last_not_of(" \r\n") + 1);
            for (const auto& q : queries) {
                std::string text;
                for (const auto& w : q.words) text += (text.empty() ? "" : "+") + w;
                // The matches it counts (X-Total-Count) show that it searched the corpus.
                const std::string cmd = "curl -s -o /dev/null -D - 'http://127.0.0.1:" + port +
                                        "/api/v1/search?q=" + text + "&departement=" + q.departement +
                                        "&cpv_division=" + q.division + "' | grep -i '^x-total-count'";
                if (FILE* f = popen(cmd.c_str(), "r")) {
                    char line[256];
                    while (std::fgets(line, sizeof line, f))
                        served_matches +=
                            std::strtoll(std::strchr(line, ':') ? std::strchr(line, ':') + 1 : line, nullptr, 10);
                    pclose(f);
                }
            }
            rss = rss_kib(pid);
        } else {
            std::cerr << "the server did not start\n";
        }
        kill(pid, SIGTERM);
        waitpid(pid, nullptr, 0);
    }

    // ---- Table.
    const double x50 = percentile(lat_x, 50), x99 = percentile(lat_x, 99);
    const double p50 = percentile(lat_pg, 50), p99 = percentile(lat_pg, 99);
    std::printf(
        "\n| measure (%lld notices, %zu queries of 2-3 words + département + CPV division) | result | target |\n",
        static_cast<long long>(n_docs), lat_x.size());
    std::printf("|---|---|---|\n");
    std::printf("| index build: Xapian (product index) | %.0f s (%.0f notices/s), then compacted in %.0f s | |\n",
                xapian_ms / 1000, static_cast<double>(n_docs) / (xapian_ms / 1000), compact_ms / 1000);
    if (pg) std::printf("| load: PostgreSQL COPY + tsvector + GIN | %.0f s | |\n", pg_load_ms / 1000);
    std::printf(
        "| search Xapian (ranked top 20 + 2 filters) p50 / p99 | %.2f ms / %.2f ms (%lld matches in all) | "
        "p99 < 20 ms |\n",
        x50, x99, static_cast<long long>(hits_x));
    std::printf(
        "| same with facet counts over all matches and snippets (the search page) p50 / p99 | %.2f ms / "
        "%.2f ms | |\n",
        percentile(lat_product, 50), percentile(lat_product, 99));
    if (pg) {
        std::printf("| search PostgreSQL FTS p50 / p99 | %.2f ms / %.2f ms (%lld rows returned) | |\n", p50, p99,
                    static_cast<long long>(hits_pg));
        std::printf("| ratio PostgreSQL / Xapian, p50 / p99 | %.1f× / %.1f× | ≥ 5× |\n", p50 / x50, p99 / x99);
    } else {
        std::printf("| search PostgreSQL FTS | not measured: PASSERELLE_TEST_PG unset | |\n");
    }
    for (const auto& [name, r] : {std::pair<const char*, const PercResult&>{"broad", broad}, {"specific", specific}}) {
        std::printf(
            "| percolation (%s searches): %lld saved searches × %lld new notices, median of 3 runs | %.0f ms "
            "(%.1f matches, %.1f candidates per notice) | |\n",
            name, static_cast<long long>(n_saved), static_cast<long long>(n_batch), r.perc_ms,
            static_cast<double>(r.perc_matches) / static_cast<double>(n_batch),
            static_cast<double>(r.candidates) / static_cast<double>(n_batch));
        std::printf(
            "| brute force (%s): index the batch, then run every saved search on it, medians of 3 runs | %.0f ms + "
            "%.0f ms "
            "(%lld matches) | |\n",
            name, batch_index_ms, r.brute_ms, static_cast<long long>(r.brute_matches));
        std::printf("| ratio brute force / percolator (%s) | %.1f× | ≥ 50× |\n", name,
                    (batch_index_ms + r.brute_ms) / r.perc_ms);
    }
    std::printf("| DECP import on SQLite (%lld records) | %.0f records/s (%.2f s) | ≥ 50,000/s |\n",
                static_cast<long long>(decp_read), decp_rate, decp_s);
    if (rss < 0)
        std::printf("| server RSS | not measured: the server did not start | < 500 MB |\n");
    else
        std::printf(
            "| server RSS with the %lld-notice index, after the queries (%lld matches served) | %.0f MB | < 500 MB "
            "|\n",
            static_cast<long long>(n_docs), static_cast<long long>(served_matches), static_cast<double>(rss) / 1024.0);
    if (pg) PQfinish(pg);
    return 0;
}
