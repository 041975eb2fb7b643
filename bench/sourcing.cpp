// passerelle_sourcing_eval: how well the sourcing suggestions predict who wins (`make bench`).
//
// The DECP files of ../shared/data/decp are imported by the product's importer into a fresh SQLite
// database. Each file is split by notification date: its latest 20 % of dated contracts are the test set.
// For every test contract, suppliers are suggested as of its notification day (only contracts notified
// strictly before count) from its CPV, place, buyer and amount, through the product's SourcingService
// (what `passerelle suggest-suppliers` runs), and compared with the baseline "most frequent winners in
// the same CPV division" over the same history. A contract counts when one of its winners appears in
// earlier data; recall@10 is the share of those with a winner in the first ten, MRR the mean of 1/rank
// of the best-ranked winner within the first 100 (0 beyond).
//
// An evaluation, not a test: it prints its table and asserts nothing.
#include "app/sourcing.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/crypto.hpp"
#include "app/decp_import.hpp"
#include "app/reference.hpp"
#include "core/clock.hpp"
#include "storage/contract_store.hpp"
#include "storage/migrations.hpp"

namespace fs = std::filesystem;
using namespace passerelle;

namespace {

struct TestContract {
    std::string file, cpv, departement, buyer, day;
    std::optional<double> amount;
    std::vector<std::string> winners;
};

struct Score {
    int counted = 0, hits10 = 0;
    double rr = 0;
    void add(const std::vector<std::string>& ranked, const std::vector<std::string>& winners) {
        ++counted;
        for (std::size_t i = 0; i < ranked.size(); ++i)
            if (std::find(winners.begin(), winners.end(), ranked[i]) != winners.end()) {
                if (i < 10) ++hits10;
                rr += 1.0 / static_cast<double>(i + 1);
                return;
            }
    }
    double recall() const { return counted ? static_cast<double>(hits10) / counted : 0; }
    double mrr() const { return counted ? rr / counted : 0; }
};

}  // namespace

int main(int argc, char** argv) {
    fs::path shared = "../shared", work = "build/bench-work", geo = PASSERELLE_GEO_DIR;
    std::string weights_arg;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i], v = argv[i + 1];
        if (a == "--shared") shared = v;
        if (a == "--work") work = v;
        if (a == "--geo") geo = v;
        if (a == "--weights") weights_arg = v;  // name=value,… to try other weights
    }
    core::sourcing::Weights weights;
    for (std::size_t pos = 0; pos < weights_arg.size();) {
        auto end = weights_arg.find(',', pos);
        auto item = weights_arg.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        pos = end == std::string::npos ? weights_arg.size() : end + 1;
        auto eq = item.find('=');
        if (eq == std::string::npos) continue;
        const std::string k = item.substr(0, eq);
        const double x = std::stod(item.substr(eq + 1));
        if (k == "half_life")
            weights.history_half_life_days = x;
        else if (k == "same_buyer")
            weights.same_buyer_factor = x;
        else if (k == "other_division_buyer")
            weights.other_division_buyer = x;
        else if (k == "same_region")
            weights.same_region = x;
        else if (k == "elsewhere")
            weights.elsewhere = x;
        else if (k == "declared_skill")
            weights.declared_skill = x;
        else
            return std::cerr << "unknown weight " << k << "\n", 1;
    }
    if (!app::init_crypto()) return 1;
    fs::create_directories(work);
    const fs::path db_path = work / "sourcing.db";
    fs::remove(db_path);
    auto opened = storage::open_database("sqlite:" + db_path.string(), 1);
    if (!opened) return std::cerr << opened.error().message << "\n", 1;
    auto& db = *opened.value();
    if (auto m = storage::migrate(db, PASSERELLE_MIGRATIONS_DIR); !m) return std::cerr << m.error().message << "\n", 1;
    app::ReferenceService reference(db);
    if (auto g = reference.import_geo(geo, false); !g) return std::cerr << g.error().message << "\n", 1;

    core::SystemClock clock;
    app::DecpImporter importer(db, clock);
    const std::vector<fs::path> files = {
        shared / "data/decp/v1_2018-2019/decp_v1_2018-2019.json",
        shared / "data/decp/v1_croix_2019-2021/decp_21590163800019_2019-2021.json",
        shared / "data/decp/tabular_2024H2_travaux/decp_2024H2_travaux_cpv4521.csv",
    };
    for (const auto& f : files) {
        auto r = importer.import_file(f);
        if (!r) return std::cerr << f << ": " << r.error().message << "\n", 1;
        std::cerr << f.filename().string() << ": " << r->imported << " contracts\n";
    }

    // Every contract with its winners, and the first day each supplier appears.
    auto rows = db.query(
        "SELECT c.id, c.source_file, c.cpv, c.departement, c.buyer_identifier, c.notified_on, c.amount, s.identifier "
        "FROM contracts c JOIN contract_suppliers s ON s.contract_id = c.id WHERE s.identifier <> '' "
        "ORDER BY c.id, s.position");
    if (!rows) return std::cerr << rows.error().message << "\n", 1;
    std::map<std::int64_t, TestContract> contracts;
    std::unordered_map<std::string, std::string> first_seen;
    for (const auto& r : rows.value()) {
        auto& t = contracts[r.int64(0)];
        t.file = fs::path(r.text(1)).filename().string();
        t.cpv = r.text(2);
        t.departement = r.text(3);
        t.buyer = r.text(4);
        t.day = r.text(5);
        if (!r.is_null(6)) t.amount = r.real(6);
        t.winners.push_back(r.text(7));
        if (!t.day.empty()) {
            auto [it, fresh] = first_seen.emplace(r.text(7), t.day);
            if (!fresh && t.day < it->second) it->second = t.day;
        }
    }
    std::map<std::string, std::vector<const TestContract*>> by_file;
    for (const auto& [id, t] : contracts)
        if (!t.day.empty()) by_file[t.file].push_back(&t);

    app::SourcingService sourcing(db, weights);
    std::map<std::string, std::pair<Score, Score>> results;  // file -> (product, baseline)
    std::map<std::string, std::pair<int, std::string>> tested;
    std::vector<double> latencies;
    for (auto& [file, list] : by_file) {
        std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->day < b->day; });
        const std::string split = list[list.size() * 8 / 10]->day;
        tested[file] = {0, split};
        for (const auto* t : list) {
            if (t->day < split || t->cpv.empty()) continue;
            ++tested[file].first;
            const bool known = std::any_of(t->winners.begin(), t->winners.end(), [&](const std::string& w) {
                auto it = first_seen.find(w);
                return it != first_seen.end() && it->second < t->day;
            });
            if (!known) continue;

            app::SourcingQuery q;
            q.cpv = t->cpv;
            q.departement = t->departement;
            q.buyer_siret = t->buyer;
            q.amount = t->amount;
            q.as_of = t->day;
            q.limit = 100;
            auto start = std::chrono::steady_clock::now();
            auto out = sourcing.suggest(q, t->day);
            latencies.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
            if (!out) {
                std::cerr << "query refused (" << t->cpv << ", " << t->departement << ", " << t->buyer
                          << "): " << out.error().message;
                for (const auto& [f, why] : out.error().fields) std::cerr << " " << f << ": " << why;
                std::cerr << "\n";
            }
            std::vector<std::string> ranked;
            if (out)
                for (const auto& s : out.value()) ranked.push_back(s.suggestion.siret);
            results[file].first.add(ranked, t->winners);

            // Baseline: the most frequent winners of the CPV division before that day.
            auto history = storage::fetch<std::vector<storage::contracts::AwardRow>>(db, [&](storage::Connection& c) {
                return storage::contracts::awards_for_sourcing(c, t->cpv.substr(0, 2), "", t->day);
            });
            std::unordered_map<std::string, int> wins;
            for (const auto& a : history.value())
                if (a.cpv.substr(0, 2) == t->cpv.substr(0, 2)) ++wins[a.supplier_identifier];
            std::vector<std::pair<int, std::string>> top;
            for (const auto& [id, n] : wins) top.push_back({-n, id});
            std::sort(top.begin(), top.end());
            std::vector<std::string> base;
            for (std::size_t i = 0; i < top.size() && i < 100; ++i) base.push_back(top[i].second);
            results[file].second.add(base, t->winners);
        }
    }

    std::printf("\n## Sourcing evaluation (recall@10 and MRR of the actual winner)\n\n");
    std::printf(
        "| DECP file | split (test from) | test contracts | winner seen before | recall@10 Passerelle | "
        "recall@10 baseline | ratio | MRR Passerelle | MRR baseline |\n|---|---|---|---|---|---|---|---|---|\n");
    Score all_p, all_b;
    int all_tested = 0;
    for (const auto& [file, r] : results) {
        const auto& [p, b] = r;
        all_tested += tested[file].first;
        all_p.counted += p.counted, all_p.hits10 += p.hits10, all_p.rr += p.rr;
        all_b.counted += b.counted, all_b.hits10 += b.hits10, all_b.rr += b.rr;
        std::printf("| %s | %s | %d | %d | %.3f | %.3f | %.1f× | %.3f | %.3f |\n", file.c_str(),
                    tested[file].second.c_str(), tested[file].first, p.counted, p.recall(), b.recall(),
                    b.recall() > 0 ? p.recall() / b.recall() : 0.0, p.mrr(), b.mrr());  // 0.0×: baseline found none
    }
    std::printf("| **all** | | %d | %d | %.3f | %.3f | %.1f× | %.3f | %.3f |\n", all_tested, all_p.counted,
                all_p.recall(), all_b.recall(), all_b.recall() > 0 ? all_p.recall() / all_b.recall() : 0.0, all_p.mrr(),
                all_b.mrr());
    std::sort(latencies.begin(), latencies.end());
    if (!latencies.empty())
        std::printf(
            "\nSuggestion latency (SourcingService::suggest, 100 results): p50 %.2f ms, p99 %.2f ms over %zu "
            "queries\n",
            latencies[latencies.size() / 2], latencies[latencies.size() * 99 / 100], latencies.size());
    return 0;
}
