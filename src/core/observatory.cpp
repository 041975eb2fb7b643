#include "core/observatory.hpp"

#include <algorithm>
#include <map>

namespace passerelle::core::observatory {

double percent(double part, double whole) { return whole > 0 ? 100.0 * part / whole : 0.0; }

double fte(double hours) { return hours / kHoursPerFte; }

namespace {

void add(Totals& to, const Totals& t) {
    to.count += t.count;
    to.amount += t.amount;
}

Totals whole(const std::vector<ProfileRow>& rows) {
    Totals all;
    for (const auto& r : rows) add(all, r.totals);
    return all;
}

std::vector<Share> finish(std::vector<Share> lines, const Totals& all) {
    for (auto& l : lines) {
        l.count_percent = percent(static_cast<double>(l.totals.count), static_cast<double>(all.count));
        l.amount_percent = percent(l.totals.amount, all.amount);
    }
    return lines;
}

}  // namespace

std::vector<Share> size_shares(const std::vector<ProfileRow>& rows) {
    std::vector<Share> lines = {
        {"TPE", {}, 0, 0}, {"PME", {}, 0, 0}, {"ETI", {}, 0, 0}, {"GE", {}, 0, 0}, {"Taille inconnue", {}, 0, 0}};
    for (const auto& r : rows) {
        std::size_t i = 4;
        if (r.size == "TPE") i = 0;
        if (r.size == "PME") i = 1;
        if (r.size == "ETI") i = 2;
        if (r.size == "GE") i = 3;
        add(lines[i].totals, r.totals);
    }
    return finish(std::move(lines), whole(rows));
}

std::vector<Share> social_economy_shares(const std::vector<ProfileRow>& rows) {
    std::vector<Share> lines = {{"SIAE", {}, 0, 0},
                                {"EA / ESAT", {}, 0, 0},
                                {"Autres entreprises de l'ESS", {}, 0, 0},
                                {"Autres titulaires", {}, 0, 0}};
    for (const auto& r : rows) add(lines[r.siae ? 0 : r.ea_esat ? 1 : r.ess ? 2 : 3].totals, r.totals);
    return finish(std::move(lines), whole(rows));
}

InnovationShare innovation_share(const std::vector<ProfileRow>& rows) {
    InnovationShare out;
    out.all = whole(rows);
    for (const auto& r : rows)
        if (r.innovative && (r.size == "TPE" || r.size == "PME")) add(out.innovative_smes, r.totals);
    out.amount_percent = percent(out.innovative_smes.amount, out.all.amount);
    out.count_percent = percent(static_cast<double>(out.innovative_smes.count), static_cast<double>(out.all.count));
    out.reached = out.all.amount > 0 && out.amount_percent >= kInnovationObjectivePercent;
    return out;
}

std::vector<ClauseRow> clause_shares(std::vector<ClauseRow> rows, std::int64_t min_contracts) {
    for (auto& r : rows) r.percent = percent(static_cast<double>(r.with_clause), static_cast<double>(r.contracts));
    std::stable_sort(rows.begin(), rows.end(), [&](const ClauseRow& a, const ClauseRow& b) {
        const bool a_ranked = a.contracts >= min_contracts, b_ranked = b.contracts >= min_contracts;
        if (a_ranked != b_ranked) return a_ranked;
        if (a.percent != b.percent) return a.percent < b.percent;
        return a.division < b.division;
    });
    return rows;
}

}  // namespace passerelle::core::observatory
