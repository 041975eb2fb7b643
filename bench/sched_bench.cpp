// passerelle_sched_bench: the meeting scheduler on the five instance shapes of the events issue, side by
// side with the first-free-slot baseline and CBC on the plain time-indexed integer program (`make bench`).
//
//   (a) 16 buyers, 120 companies, 343 requests, 9 slots, everyone available;
//   (b) 60 buyers, 600 companies, 4,000 requests, 16 slots, 20 % partially available, weights 1–3;
//   (c) 400 buyers, 5,000 companies, 40,000 requests, 24 slots, 30 % partially available, a few buyers
//       requested by hundreds of companies, caps on many participants;
//   (d) 100 buyers, 100 companies, 1,800 requests, 20 slots, 70 % partially available;
//   (e) 250 buyers, 250 companies, 5,000 requests, 24 slots, 70 % partially available.
//
// Partial availability: a participant attends a contiguous window of 40–80 % of the slots (arrives late or
// leaves early). Popularity: buyers drawn with a Zipf-like law in (c). A benchmark: it prints, asserts nothing.
//   --only a,b,…  --solver-seconds S (default 60)  --cbc-seconds S (default 600)  --write DIR (the instances)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>

#include "sched/schedule.hpp"

using namespace passerelle::sched;
using Clock = std::chrono::steady_clock;

namespace {

struct Shape {
    char key;
    int buyers, companies, requests, slots;
    double partial;
    bool weights_1_3, skewed, caps;
    double solver_seconds;  // the target's budget
};

Instance generate(const Shape& s, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    Instance in;
    in.name = std::string("shape-") + s.key;
    in.num_slots = s.slots;
    const int P = s.buyers + s.companies;
    for (int i = 0; i < P; ++i) {
        Participant p;
        p.id = i;
        p.buyer = i < s.buyers;
        if (std::uniform_real_distribution<>(0, 1)(rng) < s.partial) {
            const int len =
                std::max(1, static_cast<int>(std::lround(s.slots * std::uniform_real_distribution<>(0.4, 0.8)(rng))));
            const int first = static_cast<int>(rng() % static_cast<unsigned>(s.slots - len + 1));
            for (int t = first; t < first + len; ++t) p.avail.push_back(t);
            p.all_slots = false;
        }
        if (s.caps && rng() % 3 == 0) p.cap = static_cast<int>(p.buyer ? 6 + rng() % 10 : 2 + rng() % 4);
        in.participants.push_back(p);
    }
    // Buyer popularity: uniform, or Zipf-like (a few buyers requested by hundreds of companies).
    std::vector<double> cumulative;
    double total = 0;
    for (int b = 0; b < s.buyers; ++b) cumulative.push_back(total += s.skewed ? 1.0 / std::pow(b + 1, 0.9) : 1.0);
    std::set<std::pair<int, int>> seen;
    while (static_cast<int>(in.requests.size()) < s.requests) {
        const double x = std::uniform_real_distribution<>(0, total)(rng);
        const int b = static_cast<int>(std::lower_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin());
        const int c = s.buyers + static_cast<int>(rng() % static_cast<unsigned>(s.companies));
        if (!seen.insert({std::min(b, s.buyers - 1), c}).second) continue;
        Request r;
        r.id = static_cast<int>(in.requests.size());
        const bool company_asks = rng() % 4 != 0;
        r.from = company_asks ? c : std::min(b, s.buyers - 1);
        r.to = company_asks ? std::min(b, s.buyers - 1) : c;
        r.weight = s.weights_1_3 ? static_cast<int>(1 + rng() % 3) : static_cast<int>(1 + (rng() % 5 == 0 ? 1 : 0));
        in.requests.push_back(r);
    }
    return in;
}

std::string to_json(const Instance& in) {
    std::string out = "{\"format\":\"b2bsched-v1\",\"name\":\"" + in.name +
                      "\",\"num_slots\":" + std::to_string(in.num_slots) + ",\"tables\":null,\"participants\":[";
    for (const auto& p : in.participants) {
        out += std::string(p.id ? "," : "") + "\n{\"id\":" + std::to_string(p.id) + ",\"name\":\"P" +
               std::to_string(p.id) + "\",\"role\":\"" + (p.buyer ? "buyer" : "company") + "\",\"avail\":";
        if (p.all_slots) {
            out += "null";
        } else {
            out += "[";
            for (std::size_t i = 0; i < p.avail.size(); ++i) out += (i ? "," : "") + std::to_string(p.avail[i]);
            out += "]";
        }
        out += ",\"cap\":" + (p.cap ? std::to_string(*p.cap) : std::string("null")) + "}";
    }
    out += "],\"requests\":[";
    for (const auto& r : in.requests)
        out += std::string(r.id ? "," : "") + "\n{\"id\":" + std::to_string(r.id) +
               ",\"from\":" + std::to_string(r.from) + ",\"to\":" + std::to_string(r.to) +
               ",\"weight\":" + std::to_string(r.weight) + "}";
    return out + "]}\n";
}

}  // namespace

int main(int argc, char** argv) {
    std::string only = "abcde", write_dir;
    double solver_cap = 60, cbc_seconds = 600;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--only") only = v;
        if (a == "--solver-seconds") solver_cap = std::stod(v);
        if (a == "--cbc-seconds") cbc_seconds = std::stod(v);
        if (a == "--write") write_dir = v;
    }
    const std::vector<Shape> shapes = {
        {'a', 16, 120, 343, 9, 0.0, false, false, false, 1},    {'b', 60, 600, 4000, 16, 0.2, true, false, false, 2},
        {'c', 400, 5000, 40000, 24, 0.3, true, true, true, 30}, {'d', 100, 100, 1800, 20, 0.7, true, false, false, 10},
        {'e', 250, 250, 5000, 24, 0.7, true, false, false, 60},
    };
    std::printf("\n## Meeting scheduler (objective = scheduled weight)\n\n");
    std::printf(
        "| shape | requests | Passerelle | bound | ratio | time (s) | method | first free slot | CBC (limit %.0f s) | "
        "CBC bound | CBC time (s) |\n",
        cbc_seconds);
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (const auto& s : shapes) {
        if (only.find(s.key) == std::string::npos) continue;
        const Instance in = generate(s, 20261128 + static_cast<std::uint64_t>(s.key));
        if (!write_dir.empty()) std::ofstream(write_dir + "/" + in.name + ".json") << to_json(in);
        Options o;
        o.time_limit_seconds = std::min(solver_cap, s.solver_seconds);
        const auto t0 = Clock::now();
        const Schedule ours = solve(in, o);
        const double ours_s = std::chrono::duration<double>(Clock::now() - t0).count();
        const std::string problem = check(in, ours.assignments);
        const auto baseline = weight_of(in, first_free_slot(in));
        CbcResult exact;  // --cbc-seconds 0: without the reference
        exact.bound = ours.upper_bound;
        if (cbc_seconds > 0) exact = solve_cbc(in, cbc_seconds);
        std::printf("| (%c) | %zu | %lld%s | %lld | %.4f | %.2f | %s | %lld | %lld%s | %lld | %.1f |\n", s.key,
                    in.requests.size(), static_cast<long long>(ours.objective), problem.empty() ? "" : " INVALID",
                    static_cast<long long>(std::min(ours.upper_bound, exact.bound)),
                    static_cast<double>(ours.objective) /
                        static_cast<double>(std::max<std::int64_t>(1, std::min(ours.upper_bound, exact.bound))),
                    ours_s, ours.method.c_str(), static_cast<long long>(baseline),
                    static_cast<long long>(exact.objective), exact.optimal ? " (optimal)" : "",
                    static_cast<long long>(exact.bound), exact.seconds);
        std::fflush(stdout);
        if (!problem.empty()) std::fprintf(stderr, "(%c) invalid schedule: %s\n", s.key, problem.c_str());
    }
    return 0;
}
