// The observatory's figures: shares of awarded contracts by the profile of their holder (size, social
// economy, innovation), the share carrying a social clause, and the tables the public pages, the API and
// the downloads are made of. Pure: storage gives totals per group, this turns them into shares.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace passerelle::core::observatory {

struct Totals {
    std::int64_t count = 0;
    double amount = 0;  // euros, as published
};

// Contracts grouped by the profile of their first holder (the mandataire of a group).
struct ProfileRow {
    std::string size;  // TPE, PME, ETI, GE, or empty when unknown
    bool siae = false;
    bool ea_esat = false;
    bool ess = false;
    bool innovative = false;
    Totals totals;
};

struct Share {
    std::string label;
    Totals totals;
    double count_percent = 0;
    double amount_percent = 0;
};

// part / whole in percent; 0 when the whole is 0.
double percent(double part, double whole);

// TPE, PME, ETI, GE, « Taille inconnue »: every contract in exactly one line; shares of the whole.
std::vector<Share> size_shares(const std::vector<ProfileRow>& rows);
// SIAE, EA / ESAT, other ESS companies, « Autres titulaires »: one line each, in this order of precedence
// (a SIAE that is also ESS counts as SIAE).
std::vector<Share> social_economy_shares(const std::vector<ProfileRow>& rows);

// Innovative SMEs (TPE or PME declaring the « entreprise innovante » label) against the national objective
// of 2 % of the amount of public purchases.
inline constexpr double kInnovationObjectivePercent = 2.0;
struct InnovationShare {
    Totals innovative_smes;
    Totals all;
    double amount_percent = 0;
    double count_percent = 0;
    bool reached = false;
};
InnovationShare innovation_share(const std::vector<ProfileRow>& rows);

struct ClauseRow {
    std::string division;  // two digits
    std::string label;
    std::int64_t contracts = 0;
    std::int64_t with_clause = 0;
    double percent = 0;  // filled by clause_shares
};
// Fills each row's share and sorts the least covered families first (ties by division); rows with fewer
// than `min_contracts` contracts go last, their share being too uncertain to rank.
std::vector<ClauseRow> clause_shares(std::vector<ClauseRow> rows, std::int64_t min_contracts);

inline constexpr double kHoursPerFte = 1607;  // full-time equivalent, hours per year
double fte(double hours);

// A table as the page shows it and the downloads carry it, with the chart drawn from it.
struct Series {
    std::string label;
    std::vector<double> values;
};
struct Table {
    std::string id;  // used in URLs: contrats-par-annee…
    std::string title;
    std::string note;  // how it is computed, in French
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;  // as displayed (French number format)
    std::vector<std::vector<std::string>> raw;   // the same cells for machines: "1234.5", codes as they are
    std::string chart;                           // bar, doughnut, line; empty: no chart
    std::vector<std::string> chart_labels;
    std::vector<Series> series;
};

}  // namespace passerelle::core::observatory
