#include "storage/reference_store.hpp"

#include <algorithm>

namespace passerelle::storage::reference {

namespace {

constexpr const char* kUpsertCpv =
    "INSERT INTO cpv (code, check_digit, level, parent_code, division, label_fr, label_en, search_text) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET check_digit = excluded.check_digit, "
    "level = excluded.level, parent_code = excluded.parent_code, division = excluded.division, "
    "label_fr = excluded.label_fr, label_en = excluded.label_en, search_text = excluded.search_text";
constexpr const char* kCpvColumns =
    "SELECT code, check_digit, level, parent_code, division, label_fr, label_en, search_text FROM cpv ";
constexpr const char* kCountCpv = "SELECT COUNT(*) FROM cpv";

constexpr const char* kUpsertRegion =
    "INSERT INTO regions (code, name) VALUES (?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name";
constexpr const char* kUpsertDepartement =
    "INSERT INTO departements (code, name, region_code) VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE SET "
    "name = excluded.name, region_code = excluded.region_code";
constexpr const char* kUpsertCommune =
    "INSERT INTO communes (code, name, departement_code, region_code, population) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, departement_code = excluded.departement_code, "
    "region_code = excluded.region_code, population = excluded.population";
constexpr const char* kListDepartements = "SELECT code, name, region_code FROM departements ORDER BY code";
constexpr const char* kListRegions = "SELECT code, name FROM regions ORDER BY name";
constexpr const char* kCountCommunes = "SELECT COUNT(*) FROM communes";

constexpr const char* kGetSetting = "SELECT value FROM settings WHERE key = ?";
constexpr const char* kSetSetting =
    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

CpvRecord cpv_from(const Row& r) {
    return {r.text(0),
            static_cast<int>(r.int64(1)),
            static_cast<int>(r.int64(2)),
            r.text(3),
            r.text(4),
            r.text(5),
            r.text(6),
            r.text(7)};
}

}  // namespace

Status upsert_cpv(Connection& c, const CpvRecord& r) {
    return to_status(c.exec(kUpsertCpv, {r.code, std::int64_t{r.check_digit}, std::int64_t{r.level},
                                         r.parent_code.empty() ? Value(Null{}) : Value(r.parent_code), r.division,
                                         r.label_fr, r.label_en, r.search_text}));
}

Result<std::optional<CpvRecord>> find_cpv(Connection& c, const std::string& code) {
    auto rows = c.query(std::string(kCpvColumns) + "WHERE code = ?", {code});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<CpvRecord>{};
    return std::optional<CpvRecord>(cpv_from(rows.value()[0]));
}

Result<std::vector<CpvRecord>> search_cpv(Connection& c, const std::string& code_prefix, const std::string& folded_text,
                                          int limit) {
    std::string prefix = code_prefix.empty() ? "" : code_prefix + "%";
    std::string text = folded_text.empty() ? "" : "%" + folded_text + "%";
    auto rows = c.query(std::string(kCpvColumns) +
                            "WHERE (? <> '' AND code LIKE ?) OR (? <> '' AND search_text LIKE ?) "
                            "ORDER BY level, code LIMIT ?",
                        {prefix, prefix, text, text, std::int64_t{limit}});
    if (!rows) return rows.error();
    std::vector<CpvRecord> out;
    for (const auto& r : rows.value()) out.push_back(cpv_from(r));
    return out;
}

Result<std::vector<CpvRecord>> cpv_divisions(Connection& c) {
    auto rows = c.query(std::string(kCpvColumns) + "WHERE level = 1 ORDER BY code");
    if (!rows) return rows.error();
    std::vector<CpvRecord> out;
    for (const auto& r : rows.value()) out.push_back(cpv_from(r));
    return out;
}

Result<std::int64_t> count_cpv(Connection& c) {
    auto rows = c.query(kCountCpv);
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Status upsert_region(Connection& c, const Region& r) { return to_status(c.exec(kUpsertRegion, {r.code, r.name})); }

Status upsert_departement(Connection& c, const Departement& d) {
    return to_status(
        c.exec(kUpsertDepartement, {d.code, d.name, d.region_code.empty() ? Value(Null{}) : Value(d.region_code)}));
}

Status upsert_commune(Connection& c, const Commune& m) {
    return to_status(c.exec(kUpsertCommune, {m.code, m.name, m.departement_code, m.region_code, m.population}));
}

Result<std::vector<Departement>> list_departements(Connection& c) {
    auto rows = c.query(kListDepartements);
    if (!rows) return rows.error();
    std::vector<Departement> out;
    for (const auto& r : rows.value()) out.push_back({r.text(0), r.text(1), r.text(2)});
    return out;
}

Result<std::vector<Region>> list_regions(Connection& c) {
    auto rows = c.query(kListRegions);
    if (!rows) return rows.error();
    std::vector<Region> out;
    for (const auto& r : rows.value()) out.push_back({r.text(0), r.text(1)});
    return out;
}

Result<std::int64_t> count_communes(Connection& c) {
    auto rows = c.query(kCountCommunes);
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::optional<std::string>> get_setting(Connection& c, const std::string& key) {
    auto rows = c.query(kGetSetting, {key});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<std::string>{};
    return std::optional<std::string>(rows.value()[0].text(0));
}

Status set_setting(Connection& c, const std::string& key, const std::string& value) {
    return to_status(c.exec(kSetSetting, {key, value}));
}

Result<std::optional<CpvRecord>> find_cpv_or_ancestor(Connection& c, const std::string& code) {
    std::string last;
    for (std::size_t len = std::min<std::size_t>(code.size(), 8); len >= 2; --len) {
        std::string candidate = code.substr(0, len) + std::string(8 - len, '0');
        if (candidate == last) continue;
        last = candidate;
        auto found = find_cpv(c, candidate);
        if (!found || found.value()) return found;
    }
    return std::optional<CpvRecord>{};
}

}  // namespace passerelle::storage::reference
