// Reference data: CPV 2008 codes and French geography (régions, départements, communes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage::reference {

struct CpvRecord {
    std::string code;  // 8 digits
    int check_digit = 0;
    int level = 1;
    std::string parent_code;
    std::string division;
    std::string label_fr;
    std::string label_en;
    std::string search_text;  // folded label, for autocomplete
};

struct Departement {
    std::string code;
    std::string name;
    std::string region_code;
};

struct Region {
    std::string code;
    std::string name;
};

struct Commune {
    std::string code;
    std::string name;
    std::string departement_code;
    std::string region_code;
    std::int64_t population = 0;
};

Status upsert_cpv(Connection& c, const CpvRecord& r);
Result<std::optional<CpvRecord>> find_cpv(Connection& c, const std::string& code);
// The code itself, or its nearest ancestor in the table (group, division...) when the code is unknown.
Result<std::optional<CpvRecord>> find_cpv_or_ancestor(Connection& c, const std::string& code);
// Codes whose 8 digits start with `code_prefix`, or whose folded label contains `folded_text`; shallow levels first.
Result<std::vector<CpvRecord>> search_cpv(Connection& c, const std::string& code_prefix, const std::string& folded_text,
                                          int limit);
Result<std::int64_t> count_cpv(Connection& c);
Result<std::vector<CpvRecord>> cpv_divisions(Connection& c);

Status upsert_region(Connection& c, const Region& r);
Status upsert_departement(Connection& c, const Departement& d);
Status upsert_commune(Connection& c, const Commune& m);
Result<std::vector<Departement>> list_departements(Connection& c);
Result<std::vector<Region>> list_regions(Connection& c);
Result<std::int64_t> count_communes(Connection& c);

Result<std::optional<std::string>> get_setting(Connection& c, const std::string& key);
Status set_setting(Connection& c, const std::string& key, const std::string& value);

}  // namespace passerelle::storage::reference
