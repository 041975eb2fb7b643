// The upper bound: a maximum-weight b-matching between buyers and companies (each participant's degree at
// most min(cap, available slots)), by primal-dual min-cost flow (Dijkstra with potentials, then a blocking
// flow on the zero-reduced-cost edges: weights are small integers, so there are few phases).
#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>
#include <queue>

#include "sched/internal.hpp"

namespace passerelle::sched {

namespace {

struct Flow {
    struct Edge {
        int to;
        int cap;
        std::int64_t cost;
    };
    std::vector<Edge> edges;
    std::vector<std::vector<int>> out;
    explicit Flow(int n) : out(static_cast<std::size_t>(n)) {}
    int add(int u, int v, int cap, std::int64_t cost) {
        out[static_cast<std::size_t>(u)].push_back(static_cast<int>(edges.size()));
        edges.push_back({v, cap, cost});
        out[static_cast<std::size_t>(v)].push_back(static_cast<int>(edges.size()));
        edges.push_back({u, 0, -cost});
        return static_cast<int>(edges.size()) - 2;
    }
};

}  // namespace

int capacity_of(const Instance& in, int p) {
    const auto& part = in.participants[static_cast<std::size_t>(p)];
    int c = part.all_slots ? in.num_slots : static_cast<int>(part.avail.size());
    if (part.cap) c = std::min(c, *part.cap);
    return c;
}

bool feasible(const Instance& in, const Request& r) {
    if (capacity_of(in, r.from) == 0 || capacity_of(in, r.to) == 0) return false;
    for (int t = 0; t < in.num_slots; ++t)
        if (in.available(r.from, t) && in.available(r.to, t)) return true;
    return false;
}

bool bipartite(const Instance& in) {
    return std::all_of(in.requests.begin(), in.requests.end(), [&](const Request& r) {
        return in.participants[static_cast<std::size_t>(r.from)].buyer !=
               in.participants[static_cast<std::size_t>(r.to)].buyer;
    });
}

BMatching max_weight_bmatching(const Instance& in, bool prefer_coverage) {
    BMatching out;
    const int P = static_cast<int>(in.participants.size());
    const int S = P, T = P + 1;
    Flow g(P + 2);
    std::vector<int> request_edge(in.requests.size(), -1);
    // Weights first, then coverage: a weight unit is worth more than every company's bonus together.
    std::int64_t scale = 1;
    if (prefer_coverage)
        for (const auto& p : in.participants) scale += p.buyer ? 0 : 1;
    for (int p = 0; p < P; ++p) {
        const int c = capacity_of(in, p);
        if (c == 0) continue;
        if (in.participants[static_cast<std::size_t>(p)].buyer) {
            g.add(S, p, c, 0);
        } else if (prefer_coverage) {  // a company's first meeting earns a bonus smaller than any weight
            g.add(p, T, 1, -1);
            if (c > 1) g.add(p, T, c - 1, 0);
        } else {
            g.add(p, T, c, 0);
        }
    }
    for (const auto& r : in.requests) {
        if (!feasible(in, r)) continue;
        const bool from_buyer = in.participants[static_cast<std::size_t>(r.from)].buyer;
        request_edge[static_cast<std::size_t>(r.id)] = g.add(from_buyer ? r.from : r.to, from_buyer ? r.to : r.from, 1,
                                                             -static_cast<std::int64_t>(r.weight) * scale);
    }
    const std::int64_t kInf = std::numeric_limits<std::int64_t>::max() / 4;
    // Initial potentials making every reduced cost non-negative (the graph is a DAG S → buyers → companies → T).
    std::vector<std::int64_t> h(static_cast<std::size_t>(P + 2), 0);
    for (const auto& r : in.requests) {
        if (request_edge[static_cast<std::size_t>(r.id)] < 0) continue;
        const int company = in.participants[static_cast<std::size_t>(r.from)].buyer ? r.to : r.from;
        h[static_cast<std::size_t>(company)] =
            std::min(h[static_cast<std::size_t>(company)], -static_cast<std::int64_t>(r.weight) * scale);
    }
    for (int p = 0; p < P; ++p)
        h[static_cast<std::size_t>(T)] = std::min(h[static_cast<std::size_t>(T)], h[static_cast<std::size_t>(p)] - 1);
    std::vector<std::int64_t> d(static_cast<std::size_t>(P + 2));
    std::vector<int> level(static_cast<std::size_t>(P + 2)), it(static_cast<std::size_t>(P + 2));
    auto reduced = [&](int u, const Flow::Edge& e) {
        return e.cost + h[static_cast<std::size_t>(u)] - h[static_cast<std::size_t>(e.to)];
    };
    while (true) {
        std::fill(d.begin(), d.end(), kInf);
        using Item = std::pair<std::int64_t, int>;
        std::priority_queue<Item, std::vector<Item>, std::greater<>> pq;
        d[static_cast<std::size_t>(S)] = 0;
        pq.push({0, S});
        while (!pq.empty()) {
            auto [du, u] = pq.top();
            pq.pop();
            if (du > d[static_cast<std::size_t>(u)]) continue;
            for (int id : g.out[static_cast<std::size_t>(u)]) {
                const auto& e = g.edges[static_cast<std::size_t>(id)];
                if (e.cap <= 0) continue;
                const std::int64_t nd = du + reduced(u, e);
                if (nd < d[static_cast<std::size_t>(e.to)]) {
                    d[static_cast<std::size_t>(e.to)] = nd;
                    pq.push({nd, e.to});
                }
            }
        }
        if (d[static_cast<std::size_t>(T)] >= kInf) break;
        const std::int64_t path_cost =
            d[static_cast<std::size_t>(T)] + h[static_cast<std::size_t>(T)] - h[static_cast<std::size_t>(S)];
        if (path_cost >= 0) break;  // no augmenting path improves the weight
        for (int v = 0; v < P + 2; ++v)
            h[static_cast<std::size_t>(v)] += std::min(d[static_cast<std::size_t>(v)], d[static_cast<std::size_t>(T)]);
        // Blocking flow (Dinic) on the admissible edges: residual, zero reduced cost.
        while (true) {
            std::fill(level.begin(), level.end(), -1);
            std::queue<int> q;
            level[static_cast<std::size_t>(S)] = 0;
            q.push(S);
            while (!q.empty()) {
                int u = q.front();
                q.pop();
                for (int id : g.out[static_cast<std::size_t>(u)]) {
                    const auto& e = g.edges[static_cast<std::size_t>(id)];
                    if (e.cap > 0 && reduced(u, e) == 0 && level[static_cast<std::size_t>(e.to)] < 0) {
                        level[static_cast<std::size_t>(e.to)] = level[static_cast<std::size_t>(u)] + 1;
                        q.push(e.to);
                    }
                }
            }
            if (level[static_cast<std::size_t>(T)] < 0) break;
            std::fill(it.begin(), it.end(), 0);
            std::function<int(int, int)> push = [&](int u, int f) -> int {
                if (u == T) return f;
                auto& i = it[static_cast<std::size_t>(u)];
                for (; i < static_cast<int>(g.out[static_cast<std::size_t>(u)].size()); ++i) {
                    const int id = g.out[static_cast<std::size_t>(u)][static_cast<std::size_t>(i)];
                    auto& e = g.edges[static_cast<std::size_t>(id)];
                    if (e.cap <= 0 || reduced(u, e) != 0 ||
                        level[static_cast<std::size_t>(e.to)] != level[static_cast<std::size_t>(u)] + 1)
                        continue;
                    if (int pushed = push(e.to, std::min(f, e.cap)); pushed > 0) {
                        e.cap -= pushed;
                        g.edges[static_cast<std::size_t>(id ^ 1)].cap += pushed;
                        return pushed;
                    }
                }
                return 0;
            };
            int pushed_total = 0;
            while (int f = push(S, std::numeric_limits<int>::max())) {
                pushed_total += f;
            }
            if (pushed_total == 0) break;
        }
    }
    for (const auto& r : in.requests) {
        const int e = request_edge[static_cast<std::size_t>(r.id)];
        if (e >= 0 && g.edges[static_cast<std::size_t>(e)].cap == 0) {
            out.requests.push_back(r.id);
            out.weight += r.weight;
        }
    }
    return out;
}

std::int64_t upper_bound(const Instance& in) { return upper_bound(in, nullptr); }

std::int64_t upper_bound(const Instance& in, const BMatching* matching) {
    std::vector<int> weights;
    for (const auto& r : in.requests)
        if (feasible(in, r)) weights.push_back(r.weight);
    std::sort(weights.rbegin(), weights.rend());
    std::int64_t bound = 0;
    if (bipartite(in)) {
        bound = matching ? matching->weight : max_weight_bmatching(in).weight;
    } else {
        // Each meeting counts at both ends: half the sum, over participants, of their best admissible weights.
        std::vector<std::vector<int>> at(in.participants.size());
        for (const auto& r : in.requests)
            if (feasible(in, r)) {
                at[static_cast<std::size_t>(r.from)].push_back(r.weight);
                at[static_cast<std::size_t>(r.to)].push_back(r.weight);
            }
        std::int64_t twice = 0;
        for (std::size_t p = 0; p < at.size(); ++p) {
            auto& w = at[p];
            std::sort(w.rbegin(), w.rend());
            const auto n =
                std::min<std::size_t>(w.size(), static_cast<std::size_t>(capacity_of(in, static_cast<int>(p))));
            twice += std::accumulate(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(n), std::int64_t{0});
        }
        bound = std::min(twice / 2, std::accumulate(weights.begin(), weights.end(), std::int64_t{0}));
    }
    if (in.tables) {
        const auto n = std::min<std::size_t>(
            weights.size(), static_cast<std::size_t>(*in.tables) * static_cast<std::size_t>(in.num_slots));
        bound = std::min(
            bound, std::accumulate(weights.begin(), weights.begin() + static_cast<std::ptrdiff_t>(n), std::int64_t{0}));
    }
    return bound;
}

}  // namespace passerelle::sched
