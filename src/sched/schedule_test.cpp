#include "sched/schedule.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <set>
#include <sstream>

namespace passerelle::sched {
namespace {

std::string read(const std::string& name) {
    std::ifstream f(std::string(PASSERELLE_SHARED_DIR) + "/bench/sched/examples/" + name);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

Instance example(const std::string& name) {
    std::string why;
    auto in = parse_instance(read(name), &why);
    EXPECT_TRUE(in) << why;
    return *in;
}

// A small instance: participants given as (buyer, avail or empty for all, cap or -1).
Instance make(int slots, std::vector<std::tuple<bool, std::vector<int>, int>> people,
              std::vector<std::tuple<int, int, int>> requests, std::optional<int> tables = std::nullopt) {
    Instance in;
    in.num_slots = slots;
    in.tables = tables;
    for (std::size_t i = 0; i < people.size(); ++i) {
        Participant p;
        p.id = static_cast<int>(i);
        p.buyer = std::get<0>(people[i]);
        p.avail = std::get<1>(people[i]);
        p.all_slots = p.avail.empty();
        if (std::get<2>(people[i]) >= 0) p.cap = std::get<2>(people[i]);
        in.participants.push_back(p);
    }
    for (std::size_t i = 0; i < requests.size(); ++i)
        in.requests.push_back(
            {static_cast<int>(i), std::get<0>(requests[i]), std::get<1>(requests[i]), std::get<2>(requests[i])});
    return in;
}

Instance random_instance(std::uint64_t seed, int buyers, int companies, int requests, int slots, double partial,
                         bool caps, std::optional<int> tables) {
    std::mt19937_64 rng(seed);
    std::vector<std::tuple<bool, std::vector<int>, int>> people;
    for (int i = 0; i < buyers + companies; ++i) {
        std::vector<int> avail;
        if (std::uniform_real_distribution<>(0, 1)(rng) < partial) {
            for (int t = 0; t < slots; ++t)
                if (rng() % 3 != 0) avail.push_back(t);
            if (avail.empty()) avail.push_back(static_cast<int>(rng() % static_cast<unsigned>(slots)));
        }
        const int cap = caps && rng() % 4 == 0 ? static_cast<int>(1 + rng() % 3) : -1;
        people.emplace_back(i < buyers, avail, cap);
    }
    std::set<std::pair<int, int>> seen;
    std::vector<std::tuple<int, int, int>> reqs;
    while (static_cast<int>(reqs.size()) < requests) {
        const int b = static_cast<int>(rng() % static_cast<unsigned>(buyers));
        const int c = buyers + static_cast<int>(rng() % static_cast<unsigned>(companies));
        if (!seen.insert({b, c}).second) continue;
        reqs.emplace_back(c, b, static_cast<int>(1 + rng() % 3));
    }
    return make(slots, people, reqs, tables);
}

TEST(Instance, TheFirstErrorOfAnInvalidFile) {
    const std::string head = R"({"format":"b2bsched-v1","num_slots":2,"tables":null,"participants":[
        {"id":0,"role":"buyer","avail":null,"cap":null},{"id":1,"role":"company","avail":[0],"cap":null}],"requests":[)";
    std::string why;
    EXPECT_TRUE(parse_instance(head + R"({"id":0,"from":1,"to":0,"weight":2}]})", &why)) << why;
    EXPECT_FALSE(
        parse_instance(head + R"({"id":0,"from":1,"to":0,"weight":1},{"id":1,"from":0,"to":1,"weight":1}]})", &why));
    EXPECT_NE(why.find("duplicate pair (0, 1)"), std::string::npos) << why;
    EXPECT_FALSE(parse_instance(head + R"({"id":0,"from":1,"to":7,"weight":1}]})", &why));
    EXPECT_NE(why.find("to is not a participant"), std::string::npos) << why;
    EXPECT_FALSE(parse_instance(head + R"({"id":0,"from":1,"to":0,"weight":-1}]})", &why));
    EXPECT_NE(why.find("weight"), std::string::npos);
    EXPECT_FALSE(parse_instance(head + R"({"id":0,"from":1,"to":1,"weight":1}]})", &why));
    EXPECT_FALSE(parse_instance(R"({"format":"b2bsched-v1","num_slots":2,"participants":[
        {"id":0,"role":"buyer","avail":[2],"cap":null}],"requests":[]})",
                                &why));
    EXPECT_NE(why.find("slot out of range"), std::string::npos) << why;
    EXPECT_FALSE(parse_instance("{", &why));
    EXPECT_FALSE(parse_instance(R"({"format":"other"})", &why));
}

TEST(Solver, WhereFirstFreeSlotLosesMeetings) {
    // adv1: two early "nice" requests fill X's two slots; the later "must meet" (3) is dropped. Optimum 4.
    auto adv1 = example("adv1-weight-order.json");
    EXPECT_EQ(weight_of(adv1, first_free_slot(adv1)), 2);
    auto s1 = solve(adv1);
    EXPECT_EQ(check(adv1, s1.assignments), "");
    EXPECT_EQ(s1.objective, 4);
    EXPECT_EQ(s1.upper_bound, 4);
    // adv3: König path; greedy places 3 of the 4 meetings that fit in 2 slots.
    auto adv3 = example("adv3-konig-path.json");
    EXPECT_EQ(first_free_slot(adv3).size(), 3u);
    auto s3 = solve(adv3);
    EXPECT_EQ(s3.assignments.size(), 4u);
    EXPECT_EQ(s3.objective, s3.upper_bound);
    // With availability: A can only meet X at slot 0, C anywhere; C asked first.
    auto avail = make(2, {{true, {}, -1}, {false, {0}, -1}, {false, {}, -1}}, {{2, 0, 1}, {1, 0, 1}});
    EXPECT_EQ(weight_of(avail, first_free_slot(avail)), 1);  // C takes slot 0, then A cannot
    auto sa = solve(avail);
    EXPECT_EQ(sa.objective, 2);
    EXPECT_EQ(sa.upper_bound, 2);
}

TEST(Solver, AmongEqualWeightsFewerCompaniesWithoutMeeting) {
    // One table, three slots. A (company) attends slot 0 only, B slots 0 and 1; B asked both buyers, A one.
    // Two meetings fit at most; {B–L, B–P} leaves A without any, {A–P, B–L or B–P} does not.
    auto in = make(3, {{false, {0}, -1}, {false, {0, 1}, -1}, {true, {}, -1}, {true, {}, -1}},
                   {{1, 3, 1}, {1, 2, 1}, {0, 2, 1}}, 1);
    auto s = solve(in);
    EXPECT_EQ(check(in, s.assignments), "");
    EXPECT_EQ(s.objective, 2);
    EXPECT_EQ(s.upper_bound, 2);
    EXPECT_EQ(companies_without_meeting(in, s.assignments), 0);
}

TEST(Solver, OpenMapIsSolvedToItsBound) {
    auto in = example("openmap-2015.json");
    auto s = solve(in);
    EXPECT_EQ(check(in, s.assignments), "");
    EXPECT_EQ(s.objective, s.upper_bound);
    EXPECT_GT(s.objective, weight_of(in, first_free_slot(in)));
    EXPECT_EQ(s.method, "konig");
}

TEST(Solver, RandomInstancesGiveValidSchedulesWithinTheBound) {
    for (std::uint64_t seed = 1; seed <= 30; ++seed) {
        auto in = random_instance(seed, 4 + static_cast<int>(seed % 5), 10 + static_cast<int>(seed % 7),
                                  25 + static_cast<int>(seed % 20), 3 + static_cast<int>(seed % 4), 0.5, seed % 2 == 0,
                                  seed % 3 == 0 ? std::optional<int>(3) : std::nullopt);
        Options heuristic;
        heuristic.cbc_max_variables = 0;  // the local search alone
        heuristic.time_limit_seconds = 0.5;
        auto s = solve(in, heuristic);
        ASSERT_EQ(check(in, s.assignments), "") << "seed " << seed;
        EXPECT_EQ(s.objective, weight_of(in, s.assignments));
        EXPECT_LE(s.objective, s.upper_bound);
        EXPECT_GE(s.objective, weight_of(in, first_free_slot(in))) << "seed " << seed;
        auto exact = solve_cbc(in, 20);
        ASSERT_TRUE(exact.optimal);
        EXPECT_EQ(check(in, exact.assignments), "");
        EXPECT_LE(exact.objective, upper_bound(in)) << "seed " << seed;  // the bound is a bound
        EXPECT_LE(s.objective, exact.objective);
        EXPECT_GE(static_cast<double>(s.objective), 0.9 * static_cast<double>(exact.objective)) << "seed " << seed;
        auto full = solve(in);  // small enough for CBC: the optimum
        EXPECT_EQ(full.objective, exact.objective) << "seed " << seed;
        EXPECT_EQ(check(in, full.assignments), "");
    }
}

TEST(Solver, DeterministicForAGivenSeed) {
    auto in = random_instance(7, 12, 40, 150, 6, 0.3, true, std::nullopt);
    Options o;
    o.cbc_max_variables = 0;
    o.time_limit_seconds = 120;  // the stall limit ends the search, not the clock
    auto a = solve(in, o), b = solve(in, o);
    ASSERT_EQ(a.objective, b.objective);
    ASSERT_EQ(a.assignments.size(), b.assignments.size());
    for (std::size_t i = 0; i < a.assignments.size(); ++i) EXPECT_EQ(a.assignments[i].slot, b.assignments[i].slot);
    o.seed = 2;
    EXPECT_EQ(check(in, solve(in, o).assignments), "");
}

TEST(Solver, ReschedulingKeepsAnnouncedMeetingsAndPins) {
    auto in = random_instance(11, 8, 30, 80, 6, 0.3, false, std::nullopt);
    Options o;
    o.cbc_max_variables = 0;
    auto first = solve(in, o);
    // A late acceptance, and one cancellation; the organiser pinned two meetings.
    in.requests.push_back({static_cast<int>(in.requests.size()), 8, 0, 3});
    std::vector<Assignment> previous;
    for (const auto& a : first.assignments)
        if (a.request_id != first.assignments.front().request_id) previous.push_back(a);
    o.previous = previous;
    o.pinned = {previous[0], previous[1]};
    auto again = solve(in, o);
    EXPECT_EQ(check(in, again.assignments), "");
    int moved = 0;
    for (const auto& p : previous)
        for (const auto& a : again.assignments)
            if (a.request_id == p.request_id && a.slot != p.slot) ++moved;
    EXPECT_LE(moved, 6);  // a few at most move to make room
    for (const auto& pin : o.pinned)
        EXPECT_NE(
            std::find_if(again.assignments.begin(), again.assignments.end(),
                         [&](const Assignment& a) { return a.request_id == pin.request_id && a.slot == pin.slot; }),
            again.assignments.end());
    EXPECT_GE(again.objective,
              first.objective - in.requests[static_cast<std::size_t>(first.assignments.front().request_id)].weight);
}

TEST(Output, TheScheduleDocument) {
    auto in = example("adv1-weight-order.json");
    auto s = solve(in);
    const std::string doc = schedule_json(in, s, "passerelle test");
    EXPECT_NE(
        doc.find(
            "{\"instance\":\"adv1-weight-order\",\"solver\":\"passerelle test\",\"objective\":4,\"upper_bound\":4,"),
        std::string::npos);
    EXPECT_NE(doc.find("\n  {\"request_id\":2,\"slot\":"), std::string::npos);
    EXPECT_EQ(doc.back(), '\n');
    EXPECT_EQ(companies_without_meeting(in, s.assignments), 1);  // A or B: X has two slots
    EXPECT_EQ(idle_gaps(in, s.assignments), 0);
}

}  // namespace
}  // namespace passerelle::sched
