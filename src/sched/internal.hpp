// Shared between the scheduler's translation units; not part of its interface.
#pragma once

#include <cstdint>
#include <vector>

#include "sched/schedule.hpp"

namespace passerelle::sched {

// min(cap, number of available slots): the most meetings a participant can have.
int capacity_of(const Instance& in, int participant);
// Whether the request has a slot both sides attend (and both may have a meeting at all).
bool feasible(const Instance& in, const Request& r);
// Every request joins a buyer and a company.
bool bipartite(const Instance& in);

struct BMatching {
    std::int64_t weight = 0;
    std::vector<int> requests;  // the chosen request ids
};
// Bipartite instances only. With `prefer_coverage`, among the heaviest ones, the one giving a meeting to the
// most companies (costs are scaled: slower, for modest instances).
BMatching max_weight_bmatching(const Instance& in, bool prefer_coverage = false);
// The bound, from a maximum b-matching already computed (bipartite instances) or computed here.
std::int64_t upper_bound(const Instance& in, const BMatching* matching);

}  // namespace passerelle::sched
