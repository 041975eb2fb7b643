// The solver: König construction, CBC for small instances, greedy + local search beyond (see schedule.hpp).
#include <algorithm>
#include <chrono>
#include <numeric>
#include <random>

#include "sched/internal.hpp"

namespace passerelle::sched {

namespace {

using Clock = std::chrono::steady_clock;

class State {
  public:
    explicit State(const Instance& in)
        : in_(in),
          T_(in.num_slots),
          slot_(in.requests.size(), -1),
          occ_(in.participants.size() * static_cast<std::size_t>(in.num_slots), -1),
          deg_(in.participants.size(), 0),
          per_slot_(static_cast<std::size_t>(in.num_slots), 0),
          pinned_(in.requests.size(), 0) {}

    const Instance& in() const { return in_; }
    int slot(int r) const { return slot_[static_cast<std::size_t>(r)]; }
    int at(int p, int t) const { return occ_[idx(p, t)]; }
    std::int64_t weight() const { return weight_; }
    bool pinned(int r) const { return pinned_[static_cast<std::size_t>(r)]; }
    void pin(int r) { pinned_[static_cast<std::size_t>(r)] = 1; }
    const Request& req(int r) const { return in_.requests[static_cast<std::size_t>(r)]; }
    int other(int r, int p) const { return req(r).from == p ? req(r).to : req(r).from; }
    bool cap_ok(int p) const {
        const auto& c = in_.participants[static_cast<std::size_t>(p)].cap;
        return !c || deg_[static_cast<std::size_t>(p)] < *c;
    }
    bool table_ok(int t, int extra = 1) const {
        return !in_.tables || per_slot_[static_cast<std::size_t>(t)] + extra <= *in_.tables;
    }
    bool attends(const Request& r, int t) const { return in_.available(r.from, t) && in_.available(r.to, t); }
    bool can_place(int r, int t) const {
        const auto& q = req(r);
        return slot(r) < 0 && attends(q, t) && at(q.from, t) < 0 && at(q.to, t) < 0 && cap_ok(q.from) && cap_ok(q.to) &&
               table_ok(t);
    }
    void place(int r, int t) {
        const auto& q = req(r);
        slot_[static_cast<std::size_t>(r)] = t;
        occ_[idx(q.from, t)] = occ_[idx(q.to, t)] = r;
        ++deg_[static_cast<std::size_t>(q.from)], ++deg_[static_cast<std::size_t>(q.to)],
            ++per_slot_[static_cast<std::size_t>(t)];
        weight_ += q.weight;
    }
    void remove(int r) {
        const auto& q = req(r);
        const int t = slot(r);
        occ_[idx(q.from, t)] = occ_[idx(q.to, t)] = -1;
        --deg_[static_cast<std::size_t>(q.from)], --deg_[static_cast<std::size_t>(q.to)],
            --per_slot_[static_cast<std::size_t>(t)];
        slot_[static_cast<std::size_t>(r)] = -1;
        weight_ -= q.weight;
    }
    std::vector<Assignment> assignments() const {
        std::vector<Assignment> out;
        for (std::size_t r = 0; r < slot_.size(); ++r)
            if (slot_[r] >= 0) out.push_back({static_cast<int>(r), slot_[r]});
        return out;
    }
    // Meetings of a participant adjacent to slot t (to keep agendas compact).
    int neighbours(int p, int t) const {
        return (t > 0 && at(p, t - 1) >= 0 ? 1 : 0) + (t + 1 < T_ && at(p, t + 1) >= 0 ? 1 : 0);
    }

    // Places r directly in the free common slot that best keeps agendas compact.
    bool direct(int r) {
        const auto& q = req(r);
        int best = -1, best_score = -1;
        for (int t = 0; t < T_; ++t) {
            if (!can_place(r, t)) continue;
            const int score = neighbours(q.from, t) + neighbours(q.to, t);
            if (score > best_score) best = t, best_score = score;
        }
        if (best < 0) return false;
        place(r, best);
        return true;
    }

    // Kempe chain: u free at a, v free at b; the path from v along slots a, b, a… is swapped to free v at a,
    // then r goes to a. Each moved meeting must be attended in its new slot; pinned ones never move.
    bool chain(int r, int u, int v, int a, int b) {
        const auto& q = req(r);
        if (at(u, a) >= 0 || at(v, b) >= 0 || !attends(q, a)) return false;
        path_.clear();
        int cur = v, colour = a;
        for (int e = at(cur, colour); e >= 0; e = at(cur, colour)) {
            if (pinned(e) || static_cast<int>(path_.size()) > 4 * T_ + 8) return false;
            const int next = colour == a ? b : a;
            if (!attends(req(e), next)) return false;
            path_.push_back(e);
            cur = other(e, cur);
            if (cur == u) return false;  // an odd cycle (requests between two buyers or two companies)
            colour = next;
        }
        int into_a = 1, into_b = 0;  // r goes to a
        for (int e : path_) {
            if (slot(e) == a) {
                --into_a, ++into_b;
            } else {
                ++into_a, --into_b;
            }
        }
        if (!table_ok(a, into_a) || !table_ok(b, into_b)) return false;
        moved_.clear();
        for (int e : path_) moved_.push_back({e, slot(e) == a ? b : a});
        for (int e : path_) remove(e);
        for (const auto& m : moved_) place(m.request_id, m.slot);
        place(r, a);
        return true;
    }

    bool kempe(int r) {
        const auto& q = req(r);
        if (!cap_ok(q.from) || !cap_ok(q.to)) return false;
        for (int flip = 0; flip < 2; ++flip) {
            const int u = flip ? q.to : q.from, v = flip ? q.from : q.to;
            for (int a = 0; a < T_; ++a) {
                if (!attends(q, a) || at(u, a) >= 0) continue;
                for (int b = 0; b < T_; ++b)
                    if (b != a && at(v, b) < 0 && in_.available(v, b) && chain(r, u, v, a, b)) return true;
            }
        }
        return false;
    }

    // The meetings to remove so that r fits at t: those of its two participants at t, and, for one at its
    // cap, its lightest other meeting. False when a pinned meeting stands in the way.
    bool blockers(int r, int t, std::vector<int>& out) const {
        const auto& q = req(r);
        out.clear();
        for (int p : {q.from, q.to})
            if (int e = at(p, t); e >= 0 && std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
        for (int p : {q.from, q.to}) {
            if (cap_ok(p) || at(p, t) >= 0) continue;
            int lightest = -1;
            for (int s = 0; s < T_; ++s)
                if (int e = at(p, s); e >= 0 && !pinned(e) && (lightest < 0 || req(e).weight < req(lightest).weight))
                    lightest = e;
            if (lightest < 0) return false;
            out.push_back(lightest);
        }
        return std::none_of(out.begin(), out.end(), [&](int e) { return pinned(e); });
    }

    // Ejection: r takes a slot by removing lighter meetings, which are then put back where they fit.
    bool eject(int r, std::mt19937_64& rng) {
        const auto& q = req(r);
        int best_t = -1;
        std::int64_t best_cost = q.weight;  // strictly lighter only
        std::vector<int> best_out, out;
        for (int t = 0; t < T_; ++t) {
            if (!attends(q, t) || !blockers(r, t, out)) continue;
            int freed_here = 0;
            std::int64_t cost = 0;
            for (int e : out) {
                cost += req(e).weight;
                freed_here += slot(e) == t ? 1 : 0;
            }
            if (!table_ok(t, 1 - freed_here)) continue;
            if (cost < best_cost || (cost == best_cost && best_t >= 0 && out.size() < best_out.size()))
                best_t = t, best_cost = cost, best_out = out;
        }
        if (best_t < 0) return false;
        for (int e : best_out) remove(e);
        place(r, best_t);
        std::shuffle(best_out.begin(), best_out.end(), rng);
        for (int e : best_out)
            if (!direct(e)) kempe(e);
        return true;
    }

    bool insert(int r, std::mt19937_64& rng, bool allow_eject = true) {
        if (slot(r) >= 0) return false;
        return direct(r) || kempe(r) || (allow_eject && eject(r, rng));
    }

  private:
    std::size_t idx(int p, int t) const {
        return static_cast<std::size_t>(p) * static_cast<std::size_t>(T_) + static_cast<std::size_t>(t);
    }
    const Instance& in_;
    int T_;
    std::vector<int> slot_, occ_, deg_, per_slot_;
    std::vector<char> pinned_;
    std::int64_t weight_ = 0;
    std::vector<int> path_;
    std::vector<Assignment> moved_;
};

int common_slots(const Instance& in, const Request& r) {
    int n = 0;
    for (int t = 0; t < in.num_slots; ++t) n += in.attends_both(r, t) ? 1 : 0;
    return n;
}

// Weight-neutral swaps that give a meeting to companies that have none, then moves that close idle gaps.
void polish(State& s, const Clock::time_point deadline) {
    const auto& in = s.in();
    const int T = in.num_slots;
    std::vector<int> meetings(in.participants.size(), 0);
    for (const auto& a : s.assignments()) {
        ++meetings[static_cast<std::size_t>(s.req(a.request_id).from)];
        ++meetings[static_cast<std::size_t>(s.req(a.request_id).to)];
    }
    auto count = [&](int r, int d) {
        meetings[static_cast<std::size_t>(s.req(r).from)] += d;
        meetings[static_cast<std::size_t>(s.req(r).to)] += d;
    };
    auto company_of = [&](int r) {
        const auto& q = s.req(r);
        return in.participants[static_cast<std::size_t>(q.from)].buyer ? q.to : q.from;
    };
    std::vector<int> options;
    for (const auto& r : in.requests) {
        if (Clock::now() > deadline) return;
        if (s.slot(r.id) >= 0) continue;
        const int company = company_of(r.id);
        if (in.participants[static_cast<std::size_t>(company)].buyer || meetings[static_cast<std::size_t>(company)] > 0)
            continue;
        if (s.direct(r.id)) {
            count(r.id, 1);
            continue;
        }
        const int partner = s.other(r.id, company);
        for (int t = 0; t < T && s.slot(r.id) < 0; ++t) {
            if (!s.attends(r, t) || s.at(company, t) >= 0 || !s.cap_ok(company)) continue;
            // What stands in the way at t: the partner's meeting, or (the partner free) a full slot.
            options.clear();
            if (const int e = s.at(partner, t); e >= 0)
                options.push_back(e);
            else if (!s.table_ok(t))
                for (const auto& a : s.assignments())
                    if (a.slot == t) options.push_back(a.request_id);
            for (int e : options) {
                if (s.pinned(e) || s.req(e).weight > r.weight) continue;
                const int rival = company_of(e);
                s.remove(e);
                if (!s.can_place(r.id, t)) {
                    s.place(e, t);
                    continue;
                }
                s.place(r.id, t);
                // The removed meeting goes elsewhere if it can; if not, its company must keep another one.
                if (s.direct(e)) {
                    count(r.id, 1);
                    break;
                }
                if (meetings[static_cast<std::size_t>(rival)] < 2) {
                    s.remove(r.id);
                    s.place(e, t);
                    continue;
                }
                count(e, -1);
                count(r.id, 1);
                break;
            }
        }
    }
    auto span_gaps = [&](int p) {
        int lo = T, hi = -1, n = 0;
        for (int t = 0; t < T; ++t)
            if (s.at(p, t) >= 0) lo = std::min(lo, t), hi = std::max(hi, t), ++n;
        return hi < 0 ? 0 : (hi - lo + 1) - n;
    };
    for (int round = 0; round < 4; ++round) {
        bool changed = false;
        for (const auto& a : s.assignments()) {
            if (Clock::now() > deadline) return;
            const auto& r = s.req(a.request_id);
            if (s.pinned(r.id)) continue;
            const int before = span_gaps(r.from) + span_gaps(r.to);
            if (before == 0) continue;
            for (int t = 0; t < T; ++t) {
                if (t == a.slot) continue;
                s.remove(r.id);
                if (s.can_place(r.id, t)) {
                    s.place(r.id, t);
                    if (span_gaps(r.from) + span_gaps(r.to) < before) {
                        changed = true;
                        break;
                    }
                    s.remove(r.id);
                }
                s.place(r.id, a.slot);
            }
        }
        if (!changed) break;
    }
}

}  // namespace

bool Instance::attends_both(const Request& r, int slot) const {
    return available(r.from, slot) && available(r.to, slot);
}

Schedule solve(const Instance& in, const Options& o) {
    const auto start = Clock::now();
    const auto deadline =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.time_limit_seconds));
    Schedule out;
    std::mt19937_64 rng(o.seed);
    State s(in);
    for (const auto& p : o.pinned)
        if (p.request_id >= 0 && p.request_id < static_cast<int>(in.requests.size()) && p.slot >= 0 &&
            p.slot < in.num_slots && s.can_place(p.request_id, p.slot)) {
            s.place(p.request_id, p.slot);
            s.pin(p.request_id);
        }
    for (const auto& p : o.previous)
        if (p.request_id >= 0 && p.request_id < static_cast<int>(in.requests.size()) && p.slot >= 0 &&
            p.slot < in.num_slots && s.can_place(p.request_id, p.slot))
            s.place(p.request_id, p.slot);

    const bool full_availability =
        std::all_of(in.participants.begin(), in.participants.end(), [](const Participant& p) { return p.all_slots; });
    const bool fresh = o.pinned.empty() && o.previous.empty();
    const std::int64_t variables = [&] {
        std::int64_t n = 0;
        for (const auto& r : in.requests) n += common_slots(in, r);
        return n;
    }();

    // The maximum b-matching gives the bound and the greedy's first choices; when everyone attends every
    // slot it is optimal as it is, edge-coloured by König's theorem (then among the heaviest ones, the one
    // covering the most companies — a slower flow, for modest instances).
    const bool konig = fresh && full_availability && !in.tables && bipartite(in);
    std::optional<BMatching> matching;
    if (bipartite(in)) matching = max_weight_bmatching(in, konig && in.requests.size() <= 20000);
    out.upper_bound = upper_bound(in, matching ? &*matching : nullptr);
    if (konig) {
        for (int r : matching->requests)
            if (!s.direct(r)) s.kempe(r);  // always succeeds: degrees are at most the number of slots
        out.method = "konig";
    }
    if (out.method.empty() || s.weight() < out.upper_bound) {
        if (out.method.empty()) out.method = "local-search";
        // Greedy: the b-matching's requests first, heavier and harder to place first.
        std::vector<char> chosen(in.requests.size(), 0);
        if (matching && fresh)
            for (int r : matching->requests) chosen[static_cast<std::size_t>(r)] = 1;
        std::vector<int> order;
        std::vector<int> options(in.requests.size(), 0);
        for (const auto& r : in.requests)
            if (feasible(in, r) && s.slot(r.id) < 0) {
                order.push_back(r.id);
                options[static_cast<std::size_t>(r.id)] = common_slots(in, r);
            }
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
            const auto &ra = in.requests[static_cast<std::size_t>(a)], &rb = in.requests[static_cast<std::size_t>(b)];
            if (chosen[static_cast<std::size_t>(a)] != chosen[static_cast<std::size_t>(b)])
                return chosen[static_cast<std::size_t>(a)] > chosen[static_cast<std::size_t>(b)];
            if (ra.weight != rb.weight) return ra.weight > rb.weight;
            return options[static_cast<std::size_t>(a)] < options[static_cast<std::size_t>(b)];
        });
        for (int r : order) s.insert(r, rng, false);
        // Improvement passes, then perturbations (remove a few meetings, re-insert), keeping the best.
        auto pass = [&] {
            bool improved = false;
            std::vector<int> open;
            for (int r : order)
                if (s.slot(r) < 0) open.push_back(r);
            std::stable_sort(open.begin(), open.end(), [&](int a, int b) { return s.req(a).weight > s.req(b).weight; });
            for (int r : open) {
                if (Clock::now() > deadline || s.weight() >= out.upper_bound) break;
                const auto before = s.weight();
                if (s.insert(r, rng) && s.weight() > before) improved = true;
            }
            return improved;
        };
        while (Clock::now() < deadline && s.weight() < out.upper_bound && pass()) {
        }
        auto best = s.assignments();
        auto best_weight = s.weight();
        // Perturbations around an unplaced request: free some meetings of its two participants (and a few
        // others), re-insert what is around, keep the result unless it is worse.
        std::vector<std::vector<int>> incident(in.participants.size());
        for (int r : order) {
            incident[static_cast<std::size_t>(in.requests[static_cast<std::size_t>(r)].from)].push_back(r);
            incident[static_cast<std::size_t>(in.requests[static_cast<std::size_t>(r)].to)].push_back(r);
        }
        const bool try_cbc = fresh && o.cbc_max_variables > 0 && variables <= o.cbc_max_variables;
        const auto search_until = try_cbc ? start + (deadline - start) * 6 / 10 : deadline;
        std::vector<int> open, freed, candidates;
        int stall = 0;
        for (std::int64_t round = 0;
             Clock::now() < search_until && best_weight < out.upper_bound && stall < o.max_stall_rounds;
             ++round, ++stall) {
            open.clear();
            for (int r : order)
                if (s.slot(r) < 0) open.push_back(r);
            if (open.empty()) break;
            const int target = open[rng() % open.size()];
            const auto& q = in.requests[static_cast<std::size_t>(target)];
            freed.clear();
            for (int p : {q.from, q.to}) {
                std::vector<int> mine;
                for (int t = 0; t < in.num_slots; ++t)
                    if (int e = s.at(p, t); e >= 0 && !s.pinned(e)) mine.push_back(e);
                if (mine.empty()) continue;
                const int e = mine[rng() % mine.size()];
                if (std::find(freed.begin(), freed.end(), e) == freed.end()) freed.push_back(e);
            }
            for (int extra = static_cast<int>(rng() % 3); extra > 0; --extra) {
                const auto all = s.assignments();
                if (all.empty()) break;
                const int e = all[rng() % all.size()].request_id;
                if (!s.pinned(e) && std::find(freed.begin(), freed.end(), e) == freed.end()) freed.push_back(e);
            }
            for (int e : freed) s.remove(e);
            candidates.assign(1, target);
            for (int e : freed) {
                candidates.push_back(e);
                for (int p : {s.req(e).from, s.req(e).to})
                    for (int r : incident[static_cast<std::size_t>(p)])
                        if (s.slot(r) < 0) candidates.push_back(r);
            }
            std::sort(candidates.begin(), candidates.end());
            candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
            std::shuffle(candidates.begin(), candidates.end(), rng);
            std::stable_sort(candidates.begin(), candidates.end(),
                             [&](int a, int b) { return s.req(a).weight > s.req(b).weight; });
            for (int r : candidates) s.insert(r, rng);
            if (s.weight() > best_weight) {
                best = s.assignments(), best_weight = s.weight(), stall = 0;
                pass();
                if (s.weight() > best_weight) best = s.assignments(), best_weight = s.weight();
            } else if (s.weight() < best_weight) {
                for (const auto& a : s.assignments())
                    if (!s.pinned(a.request_id)) s.remove(a.request_id);
                for (const auto& a : best)
                    if (s.slot(a.request_id) < 0) s.place(a.request_id, a.slot);
            }
        }
        if (s.weight() < best_weight) {
            for (const auto& a : s.assignments())
                if (!s.pinned(a.request_id)) s.remove(a.request_id);
            for (const auto& a : best)
                if (s.slot(a.request_id) < 0) s.place(a.request_id, a.slot);
        }
        const double left = std::chrono::duration<double>(deadline - Clock::now()).count();
        if (try_cbc && s.weight() < out.upper_bound && left > 0.05) {
            auto exact = solve_cbc(in, left, s.assignments());
            out.upper_bound = std::min(out.upper_bound, std::max(exact.bound, s.weight()));
            if (exact.objective > s.weight() && check(in, exact.assignments).empty()) {
                for (const auto& a : s.assignments()) s.remove(a.request_id);
                for (const auto& a : exact.assignments) s.place(a.request_id, a.slot);
            }
            if (exact.optimal) out.method = "local-search+cbc-optimal";
        }
    }
    polish(s, deadline + std::chrono::milliseconds(200));
    out.assignments = s.assignments();
    out.objective = s.weight();
    out.upper_bound = std::max(out.upper_bound, out.objective);
    return out;
}

}  // namespace passerelle::sched
