// Imported notices (BOAMP, eForms) storage: upserted by (source, source_id).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage::external_notices {

struct ExternalNoticeRecord {
    std::int64_t id = 0;
    std::string source;  // boamp | eforms
    std::string source_id;
    std::string notice_type;  // competition | award | planning | other
    std::string buyer_name;
    std::string buyer_identifier;
    std::optional<std::int64_t> buyer_org_id;
    std::string reference;
    std::string title;
    std::string description;
    std::string procedure;  // platform code or empty
    std::string procedure_text;
    std::vector<std::string> cpv_codes;
    std::vector<std::string> departements;
    std::string reservation;  // reserved_siae | reserved_ea_esat | reserved_ess | "" (none)
    std::string published_on;
    std::optional<std::int64_t> bid_deadline;
    std::string url;
    std::string lots_json;
    std::string content_hash;
    std::int64_t imported_at = 0;
    std::int64_t updated_at = 0;
};

enum class Upsert { kInserted, kUpdated, kUnchanged };

// Inserts or replaces by (source, source_id); `id` is set to the row's id.
Result<Upsert> upsert(Connection& c, ExternalNoticeRecord& r, std::int64_t now);
Result<std::optional<ExternalNoticeRecord>> find(Connection& c, std::int64_t id);
Result<std::vector<std::int64_t>> ids(Connection& c, std::int64_t after, int limit);

}  // namespace passerelle::storage::external_notices
