// The exact reference: the time-indexed integer program solved by COIN-OR CBC.
//   max Σ w_r x_{r,t}  s.t.  Σ_t x_{r,t} ≤ 1 (each request once), Σ_{r∋p} x_{r,t} ≤ 1 (one meeting per person
//   and slot), Σ_{r∋p,t} x_{r,t} ≤ cap_p, Σ_r x_{r,t} ≤ tables; x_{r,t} only where both sides attend t.
#include <chrono>
#include <cmath>
#include <coin/CbcModel.hpp>
#include <coin/CoinPackedMatrix.hpp>
#include <coin/OsiClpSolverInterface.hpp>
#include <map>

#include "sched/internal.hpp"

namespace passerelle::sched {

CbcResult solve_cbc(const Instance& in, double time_limit_seconds, const std::vector<Assignment>& start_from) {
    const auto start = std::chrono::steady_clock::now();
    CbcResult out;
    struct Var {
        int request, slot;
    };
    std::vector<Var> vars;
    for (const auto& r : in.requests) {
        if (!feasible(in, r)) continue;
        for (int t = 0; t < in.num_slots; ++t)
            if (in.available(r.from, t) && in.available(r.to, t)) vars.push_back({r.id, t});
    }
    const int n = static_cast<int>(vars.size());
    // Rows: requests, (participant, slot), participant caps, slot tables.
    std::vector<std::vector<int>> rows;
    std::vector<double> upper;
    std::map<int, int> request_row;
    std::map<std::pair<int, int>, int> person_slot_row;
    std::map<int, int> cap_row, table_row;
    auto row = [&](auto& index, auto key, double ub) -> int {
        auto it = index.find(key);
        if (it != index.end()) return it->second;
        rows.emplace_back();
        upper.push_back(ub);
        return index[key] = static_cast<int>(rows.size()) - 1;
    };
    for (int j = 0; j < n; ++j) {
        const auto& r = in.requests[static_cast<std::size_t>(vars[static_cast<std::size_t>(j)].request)];
        const int t = vars[static_cast<std::size_t>(j)].slot;
        rows[static_cast<std::size_t>(row(request_row, r.id, 1.0))].push_back(j);
        for (int p : {r.from, r.to}) {
            rows[static_cast<std::size_t>(row(person_slot_row, std::make_pair(p, t), 1.0))].push_back(j);
            if (const auto& cap = in.participants[static_cast<std::size_t>(p)].cap)
                rows[static_cast<std::size_t>(row(cap_row, p, static_cast<double>(*cap)))].push_back(j);
        }
        if (in.tables) rows[static_cast<std::size_t>(row(table_row, t, static_cast<double>(*in.tables)))].push_back(j);
    }
    if (n == 0) {
        out.optimal = true;
        return out;
    }
    CoinPackedMatrix matrix(false, 0, 0);
    matrix.setDimensions(0, n);
    for (const auto& cols : rows) {
        std::vector<double> ones(cols.size(), 1.0);
        matrix.appendRow(static_cast<int>(cols.size()), cols.data(), ones.data());
    }
    std::vector<double> col_lb(static_cast<std::size_t>(n), 0.0), col_ub(static_cast<std::size_t>(n), 1.0),
        obj(static_cast<std::size_t>(n));
    for (int j = 0; j < n; ++j)
        obj[static_cast<std::size_t>(j)] = -static_cast<double>(
            in.requests[static_cast<std::size_t>(vars[static_cast<std::size_t>(j)].request)].weight);
    std::vector<double> row_lb(rows.size(), 0.0);
    OsiClpSolverInterface solver;
    solver.messageHandler()->setLogLevel(0);
    solver.loadProblem(matrix, col_lb.data(), col_ub.data(), obj.data(), row_lb.data(), upper.data());
    for (int j = 0; j < n; ++j) solver.setInteger(j);
    CbcModel model(solver);
    model.setLogLevel(0);
    model.messageHandler()->setLogLevel(0);
    model.setUseElapsedTime(true);  // wall-clock seconds
    model.setMaximumSeconds(time_limit_seconds);
    model.setNumberThreads(1);
    if (!start_from.empty()) {
        std::map<std::pair<int, int>, int> column;
        for (int j = 0; j < n; ++j)
            column[{vars[static_cast<std::size_t>(j)].request, vars[static_cast<std::size_t>(j)].slot}] = j;
        std::vector<double> x0(static_cast<std::size_t>(n), 0.0);
        double value = 0;
        for (const auto& a : start_from)
            if (auto it = column.find({a.request_id, a.slot}); it != column.end()) {
                x0[static_cast<std::size_t>(it->second)] = 1.0;
                value += obj[static_cast<std::size_t>(it->second)];
            }
        model.setBestSolution(x0.data(), n, value, true);
    }
    model.branchAndBound();
    const double* x = model.bestSolution();
    if (x)
        for (int j = 0; j < n; ++j)
            if (x[j] > 0.5) {
                out.assignments.push_back(
                    {vars[static_cast<std::size_t>(j)].request, vars[static_cast<std::size_t>(j)].slot});
                out.objective +=
                    in.requests[static_cast<std::size_t>(vars[static_cast<std::size_t>(j)].request)].weight;
            }
    out.optimal = model.isProvenOptimal();
    // Integral weights: the best possible objective is at most the floor of CBC's bound.
    out.bound =
        out.optimal ? out.objective : static_cast<std::int64_t>(std::floor(-model.getBestPossibleObjValue() + 1e-6));
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

}  // namespace passerelle::sched
