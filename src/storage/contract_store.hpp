// Awarded contracts storage: contracts with their suppliers (titulaires), upserted by key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage::contracts {

struct SupplierRecord {
    std::optional<std::int64_t> org_id;
    std::string identifier;
    std::string identifier_type;
    std::string name;
    std::string org_kind;  // read only: the linked organisation's kind ("buyer" | "company"), or empty
};

struct ContractRecord {
    std::int64_t id = 0;
    std::string key;
    std::string source_id;
    std::string format;  // decp-v1 | decp-v2 | decp-csv | platform
    std::string kind;    // marche | concession
    std::string source;
    std::optional<std::int64_t> notice_id;
    std::optional<std::int64_t> buyer_org_id;
    std::string buyer_identifier;
    std::string buyer_name;      // the organisation's name when linked, else as published
    std::string buyer_org_kind;  // read only: the linked organisation's kind, or empty
    std::string nature;
    std::string object;
    std::string cpv;
    std::string procedure;
    std::string procedure_text;
    std::string place_code;
    std::string departement;
    std::optional<std::int64_t> duration_months;
    std::string notified_on;
    std::string published_on;
    std::optional<double> amount;
    bool social_clause = false;
    std::string warnings;  // one per line
    std::string content_hash;
    std::string source_file;
    std::int64_t source_position = 0;
    std::int64_t imported_at = 0;
    std::int64_t updated_at = 0;
    std::vector<SupplierRecord> suppliers;
};

// What is stored for a key, to decide between insert, update, unchanged and superseded.
struct Existing {
    std::int64_t id = 0;
    std::string content_hash;
    std::string source_file;
    std::int64_t source_position = 0;
};

Result<std::optional<Existing>> find_by_key(Connection& c, const std::string& key);
// Inserts the contract and its suppliers; returns its id.
Result<std::int64_t> insert(Connection& c, const ContractRecord& r, std::int64_t now);
// Inserts many contracts and their suppliers, a few dozen rows per statement (bulk imports), skipping those
// whose key exists (nothing is written for them): for each record, in order, its new id, or nothing when its
// key existed — or when an earlier record of the list has the same key.
Result<std::vector<std::optional<std::int64_t>>> insert_many_if_new(Connection& c,
                                                                    const std::vector<ContractRecord>& records,
                                                                    std::int64_t now);
// Replaces the contract `r.id` and its suppliers.
Status update(Connection& c, const ContractRecord& r, std::int64_t now);
Result<std::optional<ContractRecord>> find(Connection& c, std::int64_t id);

struct ContractFilter {
    std::optional<std::int64_t> buyer_org_id;
    std::optional<std::int64_t> supplier_org_id;
    std::optional<std::int64_t> notice_id;  // awarded on the platform from this notice
    std::string departement;
    std::string cpv_division;
    std::string year;  // of notification
};
// Newest notification first.
Result<std::vector<ContractRecord>> list(Connection& c, const ContractFilter& f, std::int64_t limit,
                                         std::int64_t offset);
Result<std::int64_t> count(Connection& c, const ContractFilter& f);
// One supplier of one contract, as the sourcing sees it.
struct AwardRow {
    std::string supplier_identifier;
    std::string supplier_name;  // the organisation's name when linked, else as published
    std::optional<std::int64_t> supplier_org_id;
    std::string cpv;
    std::string departement;
    std::string buyer_identifier;
    std::string notified_on;
    std::optional<double> amount;
};
// The suppliers of contracts whose CPV division is `division` or whose buyer's identifier starts with
// `buyer_siren` (when not empty), notified strictly before `before` (every contract when empty).
Result<std::vector<AwardRow>> awards_for_sourcing(Connection& c, const std::string& division,
                                                  const std::string& buyer_siren, const std::string& before);

// What a company won, newest first, as the directory indexes it (no suppliers read).
struct WonRow {
    std::string object;
    std::string cpv;
    std::string departement;
};
Result<std::vector<WonRow>> won_by(Connection& c, std::int64_t org_id, int limit);

// Ids after `after`, for a full reindex or an export.
Result<std::vector<std::int64_t>> ids(Connection& c, std::int64_t after, int limit);

}  // namespace passerelle::storage::contracts
