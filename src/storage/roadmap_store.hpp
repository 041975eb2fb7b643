// Roadmap storage: planned purchases (projets d'achat), their CPV codes and départements, the public
// change history and the companies' expressions of interest.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage::roadmaps {

struct ItemRecord {
    std::int64_t id = 0;
    std::int64_t org_id = 0;
    std::string org_name;   // read only
    std::string org_siret;  // read only
    std::string status;
    std::string title;
    std::string search_text;
    std::string description;
    std::int64_t amount_min = 0;
    std::int64_t amount_max = 0;
    int quarter_year = 0;
    int quarter = 1;
    std::string procedure;
    std::string lots;
    std::string clause_intent;
    bool innovation = false;
    std::string contact_name;
    std::string contact_email;
    std::optional<std::int64_t> created_by;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::optional<std::int64_t> published_at;
    // Withdrawn by the platform (see notices::NoticeRecord); read only here.
    std::optional<std::int64_t> withdrawn_at;
    std::string withdrawn_reason;
    std::vector<std::string> cpv_codes;
    std::vector<std::string> departements;
    std::int64_t interest_count = 0;  // read only
};

struct HistoryRecord {
    std::int64_t at = 0;
    std::string summary;
};

struct InterestRecord {
    std::int64_t org_id = 0;
    std::string org_name;
    std::string siret;
    std::string size;
    std::string website;
    std::vector<std::string> labels;
    std::vector<std::string> cpv_codes;
    std::vector<std::string> departements;
    std::string user_name;
    std::string user_email;
    std::string message;
    std::int64_t created_at = 0;
};

struct ItemFilter {
    std::string status;  // empty: any
    std::optional<std::int64_t> org_id;
    std::vector<std::int64_t> org_ids;  // when not empty: only these organisations
    std::string text;                   // folded words to find in the title
    std::string departement;
    std::string cpv_division;  // two digits
    std::string clause_intent;
    bool include_withdrawn = false;  // the organisation's own lists show them, marked
};

Result<std::int64_t> insert_item(Connection& c, const ItemRecord& r);
// Replaces the editable fields and the lists.
Status update_item(Connection& c, const ItemRecord& r);
// Moves from `from` to `to`; false when the item was not in `from` (someone else changed it).
Result<bool> set_status(Connection& c, std::int64_t id, const std::string& from, const std::string& to,
                        std::int64_t now);
Result<std::optional<ItemRecord>> find_item(Connection& c, std::int64_t id);
Result<std::vector<ItemRecord>> list_items(Connection& c, const ItemFilter& f, std::int64_t limit, std::int64_t offset);
Result<std::int64_t> count_items(Connection& c, const ItemFilter& f);

Status add_history(Connection& c, std::int64_t item_id, std::int64_t at, std::optional<std::int64_t> user_id,
                   const std::string& summary);
Result<std::vector<HistoryRecord>> history(Connection& c, std::int64_t item_id);

// Upsert: a second "interested" from the same company replaces the message.
Status upsert_interest(Connection& c, std::int64_t item_id, std::int64_t org_id, std::int64_t user_id,
                       const std::string& message, std::int64_t now);
Result<bool> delete_interest(Connection& c, std::int64_t item_id, std::int64_t org_id);
Result<std::vector<InterestRecord>> interests(Connection& c, std::int64_t item_id);
// Which of these companies already said they are interested in the item.
Result<std::vector<std::int64_t>> interested_orgs_among(Connection& c, std::int64_t item_id,
                                                        const std::vector<std::int64_t>& org_ids);

}  // namespace passerelle::storage::roadmaps
