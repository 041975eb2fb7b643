// The one-to-one meeting scheduler of matchmaking events: accepted meeting requests placed into time slots.
//
// A pure library (no I/O, deterministic for a given input and seed). The instance and schedule formats are
// `b2bsched-v1` (../shared/bench/sched/FORMAT.md): participants (buyers, companies) with their available
// slots and caps, weighted requests between two participants, an optional number of tables per slot.
//
// A schedule is valid when each participant has at most one meeting per slot, in slots both sides attend,
// within caps and tables. The solver maximises the scheduled weight; among equal weights it prefers fewer
// companies without any meeting, then fewer idle gaps. It returns a proven upper bound with the schedule:
//  - the bound: a maximum-weight b-matching (each participant's degree at most its cap and its number of
//    available slots), by min-cost flow, also capped by tables × slots; the CBC bound when CBC ran;
//  - exact by construction when everyone attends every slot: a b-matching edge-coloured by König's theorem;
//  - otherwise a greedy placement by weight and difficulty, then local search: direct insertion, Kempe-chain
//    (alternating path) recolouring, ejection of lighter meetings and perturbations, until the bound or most
//    of the time limit; then, for small instances below the bound, COIN-OR CBC on the time-indexed integer
//    program, started from that schedule, to improve it or prove it optimal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace passerelle::sched {

struct Participant {
    int id = 0;
    std::string name;
    bool buyer = false;
    std::vector<int> avail;  // sorted slots; empty with `all_slots` = every slot
    bool all_slots = true;
    std::optional<int> cap;
};

struct Request {
    int id = 0;
    int from = 0;
    int to = 0;
    int weight = 1;
};

struct Instance {
    std::string name;
    int num_slots = 1;
    std::optional<int> tables;
    std::vector<Participant> participants;
    std::vector<Request> requests;
    bool available(int participant, int slot) const;
    bool attends_both(const Request& r, int slot) const;
};

struct Assignment {
    int request_id = 0;
    int slot = 0;
};

struct Schedule {
    std::vector<Assignment> assignments;  // by request id
    std::int64_t objective = 0;
    std::int64_t upper_bound = 0;
    std::string method;  // "cbc-optimal", "konig", "local-search", "first-free-slot"
};

// Parses a b2bsched-v1 document; nullopt and the first error (English, for the CLI) when invalid.
std::optional<Instance> parse_instance(const std::string& json, std::string* error);
// The schedule document of FORMAT.md.
std::string schedule_json(const Instance& in, const Schedule& s, const std::string& solver);

// "" when valid, else the first rule broken.
std::string check(const Instance& in, const std::vector<Assignment>& a);
std::int64_t weight_of(const Instance& in, const std::vector<Assignment>& a);
// Companies with no meeting, and idle slots between a participant's first and last meeting (all summed).
int companies_without_meeting(const Instance& in, const std::vector<Assignment>& a);
int idle_gaps(const Instance& in, const std::vector<Assignment>& a);

// The usual baseline: requests in the order they were made, each in the earliest slot both sides can take.
std::vector<Assignment> first_free_slot(const Instance& in);

// The b-matching bound (see above).
std::int64_t upper_bound(const Instance& in);

struct CbcResult {
    std::vector<Assignment> assignments;
    std::int64_t objective = 0;
    std::int64_t bound = 0;  // CBC's proven bound (the LP bound when stopped early)
    bool optimal = false;
    double seconds = 0;
};
// The plain time-indexed integer program (x[request, slot] binary) solved by CBC within the time limit
// (wall clock; CBC may overrun it while it processes the root node), optionally from a known schedule.
CbcResult solve_cbc(const Instance& in, double time_limit_seconds, const std::vector<Assignment>& start_from = {});

struct Options {
    double time_limit_seconds = 10;
    std::uint64_t seed = 1;
    // The local search stops after this many perturbations without a better schedule (or at the bound, or
    // at the time limit): for a given input and seed, the result does not depend on the machine unless the
    // time limit cuts the run.
    int max_stall_rounds = 20000;
    // After the local search, CBC (from its schedule) tries to close the gap when the instance has at most this
    // many (request, slot) pairs (0: never).
    std::int64_t cbc_max_variables = 6000;
    // Meetings that must keep their slot (re-scheduling: pinned by the organiser).
    std::vector<Assignment> pinned;
    // The schedule announced before a change: kept where it still fits, so that few meetings move.
    std::vector<Assignment> previous;
};

Schedule solve(const Instance& in, const Options& options = {});

}  // namespace passerelle::sched
