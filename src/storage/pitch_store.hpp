// The call for pitches storage: the call's settings, the grid, the jurors, the applications and the reviews.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/pitch.hpp"
#include "storage/database.hpp"

namespace passerelle::storage::pitches {

struct CallRecord {
    std::int64_t event_id = 0;
    int places = 8;
    std::int64_t closes_at = 0;
    bool blind = false;
    std::optional<std::int64_t> released_at;
};
Status save_call(Connection& c, const CallRecord& r);
Result<std::optional<CallRecord>> find_call(Connection& c, std::int64_t event_id);
Status set_released(Connection& c, std::int64_t event_id, std::int64_t now);

Status replace_criteria(Connection& c, std::int64_t event_id, const std::vector<core::pitches::Criterion>& criteria);
Result<std::vector<core::pitches::Criterion>> criteria(Connection& c, std::int64_t event_id);
// Scores given at this event (the grid no longer changes once there are some).
Result<std::int64_t> count_scores(Connection& c, std::int64_t event_id);

struct JurorRecord {
    std::int64_t user_id = 0;
    std::string name;
    std::string email;
};
Status add_juror(Connection& c, std::int64_t event_id, std::int64_t user_id);
Status remove_juror(Connection& c, std::int64_t event_id, std::int64_t user_id);
Result<std::vector<JurorRecord>> jurors(Connection& c, std::int64_t event_id);
Result<bool> is_juror(Connection& c, std::int64_t event_id, std::int64_t user_id);

struct ApplicationRecord {
    std::int64_t id = 0;
    std::int64_t event_id = 0;
    std::int64_t org_id = 0;
    std::optional<std::int64_t> user_id;
    std::string summary, innovation, references;
    std::string file_name, file_type, file_sha256;
    std::int64_t file_size = 0;
    std::string status = "submitted";  // submitted, selected, declined, withdrawn
    std::string reason;                // for a declined application
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    // Read only.
    std::string org_name;
    std::string user_email;
};
Result<std::int64_t> insert_application(Connection& c, const ApplicationRecord& r, std::int64_t now);
Result<std::optional<ApplicationRecord>> find_application(Connection& c, std::int64_t id);
Result<std::optional<ApplicationRecord>> application_of(Connection& c, std::int64_t event_id, std::int64_t org_id);
// In the order they came.
Result<std::vector<ApplicationRecord>> applications(Connection& c, std::int64_t event_id);
Status decide(Connection& c, std::int64_t id, const std::string& status, const std::string& reason, std::int64_t now);
// Companies whose pitch was selected (and released).
Result<std::set<std::int64_t>> selected_orgs(Connection& c, std::int64_t event_id);

// The juror's review replaces the previous one.
Status save_review(Connection& c, std::int64_t application_id, const core::pitches::Review& r, std::int64_t now);
// application id -> reviews.
Result<std::map<std::int64_t, std::vector<core::pitches::Review>>> reviews(Connection& c, std::int64_t event_id);

}  // namespace passerelle::storage::pitches
