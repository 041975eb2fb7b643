// Saved searches and their alerts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage::alerts {

struct SavedSearchRecord {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string user_email;  // read only
    std::string name;
    std::string query_text;
    std::string kind;
    std::string departement;
    std::string cpv_division;
    std::string clause;
    std::string procedure;
    std::string frequency;
    std::string feed_token;
    std::string unsubscribe_token;
    bool email_active = true;
    std::int64_t created_at = 0;
    std::int64_t last_digest_at = 0;
};

struct AlertRecord {
    std::int64_t id = 0;
    std::int64_t saved_search_id = 0;
    std::string search_name;  // read only
    std::string kind;
    std::int64_t entity_id = 0;
    std::string title;
    std::string reason;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> emailed_at;
};

Result<std::int64_t> insert_saved_search(Connection& c, const SavedSearchRecord& s);
Result<bool> delete_saved_search(Connection& c, std::int64_t id, std::int64_t user_id);
Result<std::vector<SavedSearchRecord>> saved_searches_of(Connection& c, std::int64_t user_id);
Result<std::vector<SavedSearchRecord>> all_saved_searches(Connection& c);
Result<std::optional<SavedSearchRecord>> find_saved_search(Connection& c, std::int64_t id);
Result<std::optional<SavedSearchRecord>> find_by_feed_token(Connection& c, const std::string& token);
Result<std::optional<SavedSearchRecord>> find_by_unsubscribe_token(Connection& c, const std::string& token);
Status set_email_active(Connection& c, std::int64_t id, bool active);
Status set_last_digest(Connection& c, std::int64_t id, std::int64_t at);

// Inserts the alert, or renews it (new reason and time, not e-mailed yet) when the document changed again.
// Returns true when a new alert or a renewal happened.
Result<bool> upsert_alert(Connection& c, const AlertRecord& a);
Result<std::vector<AlertRecord>> alerts_of_user(Connection& c, std::int64_t user_id, int limit);
Result<std::vector<AlertRecord>> alerts_of_search(Connection& c, std::int64_t saved_search_id, int limit);
Result<std::vector<AlertRecord>> unsent_alerts(Connection& c, std::int64_t saved_search_id);
Status mark_emailed(Connection& c, std::int64_t saved_search_id, std::int64_t up_to_id, std::int64_t at);

}  // namespace passerelle::storage::alerts
