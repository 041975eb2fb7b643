#include "storage/contract_store.hpp"

#include <unordered_map>

#include "storage/insert_rows.hpp"

namespace passerelle::storage::contracts {

namespace {

constexpr const char* kColumns =
    "SELECT c.id, c.contract_key, c.source_id, c.format, c.kind, c.source, c.notice_id, c.buyer_org_id, "
    "c.buyer_identifier, COALESCE(o.name, c.buyer_name), c.nature, c.object, c.cpv, c.procedure, c.procedure_text, "
    "c.place_code, c.departement, c.duration_months, c.notified_on, c.published_on, c.amount, c.social_clause, "
    "c.warnings, c.content_hash, c.source_file, c.source_position, c.imported_at, c.updated_at, o.kind "
    "FROM contracts c LEFT JOIN organisations o ON o.id = c.buyer_org_id ";

constexpr const char* kFindByKey =
    "SELECT id, content_hash, source_file, source_position FROM contracts WHERE contract_key = ?";

constexpr const char* kInsert =
    "INSERT INTO contracts (contract_key, source_id, format, kind, source, notice_id, buyer_org_id, "
    "buyer_identifier, buyer_name, nature, object, cpv, procedure, procedure_text, place_code, departement, "
    "duration_months, notified_on, published_on, amount, social_clause, warnings, content_hash, source_file, "
    "source_position, imported_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

constexpr const char* kUpdate =
    "UPDATE contracts SET source_id = ?, format = ?, kind = ?, source = ?, notice_id = ?, buyer_org_id = ?, "
    "buyer_identifier = ?, buyer_name = ?, nature = ?, object = ?, cpv = ?, procedure = ?, procedure_text = ?, "
    "place_code = ?, departement = ?, duration_months = ?, notified_on = ?, published_on = ?, amount = ?, "
    "social_clause = ?, warnings = ?, content_hash = ?, source_file = ?, source_position = ?, updated_at = ? "
    "WHERE id = ?";

constexpr const char* kDeleteSuppliers = "DELETE FROM contract_suppliers WHERE contract_id = ?";
constexpr const char* kInsertSupplier =
    "INSERT INTO contract_suppliers (contract_id, position, org_id, identifier, identifier_type, name) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr const char* kSuppliers =
    "SELECT s.org_id, s.identifier, s.identifier_type, COALESCE(o.name, s.name), o.kind FROM contract_suppliers s "
    "LEFT JOIN organisations o ON o.id = s.org_id WHERE s.contract_id = ? ORDER BY s.position";

constexpr const char* kFilterWhere =
    "WHERE (CAST(? AS BIGINT) IS NULL OR c.buyer_org_id = ?) "
    "AND (CAST(? AS BIGINT) IS NULL OR c.id IN (SELECT contract_id FROM contract_suppliers WHERE org_id = ?)) "
    "AND (? = '' OR c.departement = ?) AND (? = '' OR substr(c.cpv, 1, 2) = ?) "
    "AND (? = '' OR substr(c.notified_on, 1, 4) = ?) AND (CAST(? AS BIGINT) IS NULL OR c.notice_id = ?) ";

Value opt_id(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(Null{}); }
Value opt_real(const std::optional<double>& v) { return v ? Value(*v) : Value(Null{}); }

// The values of kInsert and kUpdate after the key, appended to `v`: views of r's texts (r outlives the call).
void append_common_values(const ContractRecord& r, std::vector<Value>& v) {
    auto text = [&](const std::string& s) { v.emplace_back(TextView{s}); };
    text(r.source_id);
    text(r.format);
    text(r.kind);
    text(r.source);
    v.push_back(opt_id(r.notice_id));
    v.push_back(opt_id(r.buyer_org_id));
    text(r.buyer_identifier);
    text(r.buyer_name);
    text(r.nature);
    text(r.object);
    text(r.cpv);
    text(r.procedure);
    text(r.procedure_text);
    text(r.place_code);
    text(r.departement);
    v.push_back(opt_id(r.duration_months));
    text(r.notified_on);
    text(r.published_on);
    v.push_back(opt_real(r.amount));
    v.emplace_back(std::int64_t{r.social_clause ? 1 : 0});
    text(r.warnings);
    text(r.content_hash);
    text(r.source_file);
    v.emplace_back(r.source_position);
}

// The suppliers of some contracts (contract id, its suppliers), numbered from 1 within each contract, many
// rows a statement (6 parameters a row).
using SuppliersOf = std::pair<std::int64_t, const std::vector<SupplierRecord>*>;
Status write_suppliers(Connection& c, const std::vector<SuppliersOf>& contracts) {
    struct Row {
        std::int64_t contract_id, position;
        const SupplierRecord* supplier;
    };
    std::vector<Row> rows;
    for (const auto& [id, suppliers] : contracts) {
        std::int64_t position = 0;
        for (const auto& s : *suppliers) rows.push_back({id, ++position, &s});
    }
    return insert_rows(
        kInsertSupplier, "", rows.size(), 128, [&](std::size_t from, std::size_t n, const std::string& sql) {
            std::vector<Value> v;
            v.reserve(6 * n);
            for (std::size_t i = from; i < from + n; ++i) {
                const Row& r = rows[i];
                v.emplace_back(r.contract_id);
                v.emplace_back(r.position);
                v.push_back(opt_id(r.supplier->org_id));
                for (const auto* s : {&r.supplier->identifier, &r.supplier->identifier_type, &r.supplier->name})
                    v.emplace_back(TextView{*s});
            }
            return to_status(c.exec(sql, v));
        });
}

Status write_suppliers(Connection& c, std::int64_t id, const std::vector<SupplierRecord>& suppliers) {
    return write_suppliers(c, {{id, &suppliers}});
}

std::vector<Value> filter_params(const ContractFilter& f) {
    return {opt_id(f.buyer_org_id),
            opt_id(f.buyer_org_id),
            opt_id(f.supplier_org_id),
            opt_id(f.supplier_org_id),
            f.departement,
            f.departement,
            f.cpv_division,
            f.cpv_division,
            f.year,
            f.year,
            opt_id(f.notice_id),
            opt_id(f.notice_id)};
}

ContractRecord from_row(const Row& r) {
    ContractRecord c;
    c.id = r.int64(0);
    c.key = r.text(1);
    c.source_id = r.text(2);
    c.format = r.text(3);
    c.kind = r.text(4);
    c.source = r.text(5);
    c.notice_id = r.opt_int64(6);
    c.buyer_org_id = r.opt_int64(7);
    c.buyer_identifier = r.text(8);
    c.buyer_name = r.text(9);
    c.nature = r.text(10);
    c.object = r.text(11);
    c.cpv = r.text(12);
    c.procedure = r.text(13);
    c.procedure_text = r.text(14);
    c.place_code = r.text(15);
    c.departement = r.text(16);
    c.duration_months = r.opt_int64(17);
    c.notified_on = r.text(18);
    c.published_on = r.text(19);
    if (!r.is_null(20)) c.amount = r.real(20);
    c.social_clause = r.boolean(21);
    c.warnings = r.text(22);
    c.content_hash = r.text(23);
    c.source_file = r.text(24);
    c.source_position = r.int64(25);
    c.imported_at = r.int64(26);
    c.updated_at = r.int64(27);
    c.buyer_org_kind = r.text(28);
    return c;
}

Status load_suppliers(Connection& c, ContractRecord& rec) {
    auto rows = c.query(kSuppliers, {rec.id});
    if (!rows) return rows.error();
    for (const auto& r : rows.value())
        rec.suppliers.push_back({r.opt_int64(0), r.text(1), r.text(2), r.text(3), r.text(4)});
    return {};
}

}  // namespace

Result<std::optional<Existing>> find_by_key(Connection& c, const std::string& key) {
    auto rows = c.query(kFindByKey, {key});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<Existing>{};
    const auto& r = rows.value()[0];
    return std::optional<Existing>(Existing{r.int64(0), r.text(1), r.text(2), r.int64(3)});
}

Result<std::int64_t> insert(Connection& c, const ContractRecord& r, std::int64_t now) {
    std::vector<Value> v = {TextView{r.key}};
    append_common_values(r, v);
    v.emplace_back(now);
    v.emplace_back(now);
    auto rows = c.query(kInsert, v);
    if (!rows) return rows.error();
    std::int64_t id = rows.value()[0].int64(0);
    if (auto st = write_suppliers(c, id, r.suppliers); !st) return st.error();
    return id;
}

Result<std::vector<std::optional<std::int64_t>>> insert_many_if_new(Connection& c,
                                                                    const std::vector<ContractRecord>& records,
                                                                    std::int64_t now) {
    std::vector<std::optional<std::int64_t>> ids(records.size());
    std::vector<SuppliersOf> suppliers;  // of the contracts written
    auto contracts = [&](std::size_t from, std::size_t n, const std::string& sql) -> Status {
        std::vector<Value> v;
        v.reserve(27 * n);
        for (std::size_t i = from; i < from + n; ++i) {
            v.emplace_back(TextView{records[i].key});
            append_common_values(records[i], v);
            v.emplace_back(now);
            v.emplace_back(now);
        }
        auto rows = c.query(sql, v);
        if (!rows) return rows.error();
        std::unordered_map<std::string, std::int64_t> by_key;
        for (const auto& r : rows.value()) by_key.emplace(r.text(1), r.int64(0));
        for (std::size_t i = from; i < from + n; ++i) {
            auto it = by_key.find(records[i].key);
            if (it == by_key.end()) continue;  // existed, or a record before this one had the same key
            ids[i] = it->second;
            suppliers.emplace_back(it->second, &records[i].suppliers);
            by_key.erase(it);
        }
        return {};
    };
    // 27 parameters a row.
    if (auto st = insert_rows(kInsert, "ON CONFLICT (contract_key) DO NOTHING RETURNING id, contract_key",
                              records.size(), 32, contracts);
        !st)
        return st.error();
    if (auto st = write_suppliers(c, suppliers); !st) return st.error();
    return ids;
}

Status update(Connection& c, const ContractRecord& r, std::int64_t now) {
    std::vector<Value> v;
    append_common_values(r, v);
    v.emplace_back(now);
    v.emplace_back(r.id);
    auto changed = c.exec(kUpdate, v);
    if (!changed) return changed.error();
    if (changed.value() == 0) return Error::NotFound("Marché introuvable.");
    if (auto d = c.exec(kDeleteSuppliers, {r.id}); !d) return d.error();
    return write_suppliers(c, r.id, r.suppliers);
}

Result<std::optional<ContractRecord>> find(Connection& c, std::int64_t id) {
    auto rows = c.query(std::string(kColumns) + "WHERE c.id = ?", {id});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<ContractRecord>{};
    ContractRecord rec = from_row(rows.value()[0]);
    if (auto st = load_suppliers(c, rec); !st) return st.error();
    return std::optional<ContractRecord>(std::move(rec));
}

Result<std::vector<ContractRecord>> list(Connection& c, const ContractFilter& f, std::int64_t limit,
                                         std::int64_t offset) {
    auto params = filter_params(f);
    params.emplace_back(limit);
    params.emplace_back(offset);
    auto rows = c.query(
        std::string(kColumns) + kFilterWhere + "ORDER BY c.notified_on DESC, c.id DESC LIMIT ? OFFSET ?", params);
    if (!rows) return rows.error();
    std::vector<ContractRecord> out;
    for (const auto& r : rows.value()) {
        out.push_back(from_row(r));
        if (auto st = load_suppliers(c, out.back()); !st) return st.error();
    }
    return out;
}

Result<std::int64_t> count(Connection& c, const ContractFilter& f) {
    auto rows = c.query(std::string("SELECT COUNT(*) FROM contracts c ") + kFilterWhere, filter_params(f));
    if (!rows) return rows.error();
    return rows.value()[0].int64(0);
}

Result<std::vector<AwardRow>> awards_for_sourcing(Connection& c, const std::string& division,
                                                  const std::string& buyer_siren, const std::string& before) {
    static constexpr const char* kSql =
        "SELECT s.identifier, COALESCE(o.name, s.name), s.org_id, c.cpv, c.departement, c.buyer_identifier, "
        "c.notified_on, c.amount FROM contracts c JOIN contract_suppliers s ON s.contract_id = c.id "
        "LEFT JOIN organisations o ON o.id = s.org_id "
        "WHERE s.identifier <> '' AND (substr(c.cpv, 1, 2) = ? OR (? <> '' AND substr(c.buyer_identifier, 1, 9) = ?)) "
        "AND (? = '' OR (c.notified_on <> '' AND c.notified_on < ?))";
    auto rows = c.query(kSql, {division, buyer_siren, buyer_siren, before, before});
    if (!rows) return rows.error();
    std::vector<AwardRow> out;
    out.reserve(rows.value().size());
    for (const auto& r : rows.value()) {
        AwardRow a;
        a.supplier_identifier = r.text(0);
        a.supplier_name = r.text(1);
        a.supplier_org_id = r.opt_int64(2);
        a.cpv = r.text(3);
        a.departement = r.text(4);
        a.buyer_identifier = r.text(5);
        a.notified_on = r.text(6);
        if (!r.is_null(7)) a.amount = r.real(7);
        out.push_back(std::move(a));
    }
    return out;
}

Result<std::vector<WonRow>> won_by(Connection& c, std::int64_t org_id, int limit) {
    auto rows = c.query(
        "SELECT c.object, c.cpv, c.departement FROM contracts c "
        "WHERE c.id IN (SELECT contract_id FROM contract_suppliers WHERE org_id = ?) "
        "ORDER BY c.notified_on DESC, c.id DESC LIMIT ?",
        {org_id, std::int64_t{limit}});
    if (!rows) return rows.error();
    std::vector<WonRow> out;
    for (const auto& r : rows.value()) out.push_back({r.text(0), r.text(1), r.text(2)});
    return out;
}

Result<std::vector<std::int64_t>> ids(Connection& c, std::int64_t after, int limit) {
    auto rows = c.query("SELECT id FROM contracts WHERE id > ? ORDER BY id LIMIT ?", {after, std::int64_t{limit}});
    if (!rows) return rows.error();
    std::vector<std::int64_t> out;
    for (const auto& r : rows.value()) out.push_back(r.int64(0));
    return out;
}

}  // namespace passerelle::storage::contracts
