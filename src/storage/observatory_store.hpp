// The observatory's aggregates, computed by the database over awarded contracts (platform and DECP),
// the profiles of their holders, social clauses and events. Filters by year of notification, buyer and
// département of execution.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/observatory.hpp"
#include "storage/database.hpp"

namespace passerelle::storage::observatory {

struct Filter {
    std::string year;  // "2019"; empty: every year
    std::optional<std::int64_t> buyer_org_id;
    std::string departement;
};

struct KeyTotals {
    std::string key;
    std::string label;
    core::observatory::Totals totals;
};

// Contracts with a notification date, per year (ascending).
Result<std::vector<KeyTotals>> by_year(Connection& c, const Filter& f);
// Per CPV division (two digits; label from the CPV table), by amount descending.
Result<std::vector<KeyTotals>> by_division(Connection& c, const Filter& f);
// The `limit` buyers with the largest amounts (key: organisation id or buyer identifier).
Result<std::vector<KeyTotals>> by_buyer(Connection& c, const Filter& f, int limit);
// Per profile of the first holder.
Result<std::vector<core::observatory::ProfileRow>> by_holder_profile(Connection& c, const Filter& f);
// Contracts and those with a social clause (from DECP or recorded on the platform), per CPV division.
Result<std::vector<core::observatory::ClauseRow>> clauses_by_division(Connection& c, const Filter& f);

struct HoursRow {
    std::string year;         // of the contract's notification
    std::string departement;  // the clause's territory
    double required = 0;
    double delivered = 0;  // accepted declarations
    std::int64_t participants = 0;
};
// Insertion-hours clauses per year and territory.
Result<std::vector<HoursRow>> hours_by_year(Connection& c, const Filter& f);

struct EventFigures {
    std::int64_t id = 0;
    std::string title;
    std::int64_t starts_at = 0;
    std::int64_t requests = 0;
    std::int64_t accepted = 0;
    std::int64_t scheduled = 0;
    std::int64_t held = 0;  // said to have taken place by at least one side
};
// Published events, most recent first; the year filter applies to their day (between from and to).
Result<std::vector<EventFigures>> events(Connection& c, std::optional<std::int64_t> from,
                                         std::optional<std::int64_t> to);

// Choices for the filters: years with contracts (descending), buyers with contracts (by name).
Result<std::vector<std::string>> years(Connection& c);
Result<std::vector<KeyTotals>> buyers(Connection& c, int limit);

}  // namespace passerelle::storage::observatory
