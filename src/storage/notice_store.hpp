// Notice storage: tender notices (consultations), lots and their places, the amendment history, followers
// and questions/answers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage::notices {

struct LotRecord {
    int number = 1;
    std::string title;
    std::string cpv_code;
    std::int64_t estimated_amount = 0;
    std::string clause_kind = "none";
    std::int64_t insertion_hours = 0;
    std::vector<std::string> departements;
};

struct NoticeRecord {
    std::int64_t id = 0;
    std::int64_t org_id = 0;
    std::string org_name;   // read only
    std::string org_siret;  // read only
    std::optional<std::int64_t> roadmap_item_id;
    std::string status;
    std::string reference;
    std::string title;
    std::string search_text;
    std::string description;
    std::string procedure;
    std::int64_t bid_deadline = 0;
    std::int64_t question_deadline = 0;
    std::optional<std::int64_t> created_by;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::optional<std::int64_t> published_at;
    // Withdrawn by the platform (its organisation or author suspended): kept, out of every public list, for
    // an administrator to review. Read only here: written by storage::withdrawals.
    std::optional<std::int64_t> withdrawn_at;
    std::string withdrawn_reason;
    std::vector<LotRecord> lots;
};

struct HistoryRecord {
    std::int64_t at = 0;
    std::string kind;
    std::string summary;
};

struct QuestionRecord {
    std::int64_t id = 0;
    std::int64_t notice_id = 0;
    std::optional<std::int64_t> asker_user_id;
    std::string asker_email;  // read only (for the answer notification)
    std::string question;
    std::int64_t asked_at = 0;
    std::optional<std::string> answer;
    std::optional<std::int64_t> answered_at;
};

struct NoticeFilter {
    std::vector<std::string> statuses;  // empty: any
    std::optional<std::int64_t> org_id;
    std::vector<std::int64_t> org_ids;
    std::string text;  // folded words
    std::string departement;
    std::string cpv_division;
    std::string clause_kind;  // a lot carries it
    std::optional<std::int64_t> deadline_after;
    bool include_withdrawn = false;  // the organisation's own lists show them, marked
};

// kConflict when the organisation already has a notice with that reference.
Result<std::int64_t> insert_notice(Connection& c, const NoticeRecord& n);
// Replaces the editable fields and all lots.
Status update_notice(Connection& c, const NoticeRecord& n);
Result<bool> set_status(Connection& c, std::int64_t id, const std::string& from, const std::string& to,
                        std::int64_t now);
Result<std::optional<NoticeRecord>> find_notice(Connection& c, std::int64_t id);
Result<std::vector<NoticeRecord>> list_notices(Connection& c, const NoticeFilter& f, std::int64_t limit,
                                               std::int64_t offset);
Result<std::int64_t> count_notices(Connection& c, const NoticeFilter& f);

Status add_history(Connection& c, std::int64_t notice_id, std::int64_t at, std::optional<std::int64_t> user_id,
                   const std::string& kind, const std::string& summary);
Result<std::vector<HistoryRecord>> history(Connection& c, std::int64_t notice_id);

Status follow(Connection& c, std::int64_t notice_id, std::int64_t user_id, std::int64_t now);
Status unfollow(Connection& c, std::int64_t notice_id, std::int64_t user_id);
Result<bool> is_following(Connection& c, std::int64_t notice_id, std::int64_t user_id);
// E-mail addresses of the followers.
Result<std::vector<std::string>> follower_emails(Connection& c, std::int64_t notice_id);

Result<std::int64_t> add_question(Connection& c, std::int64_t notice_id, std::int64_t user_id,
                                  std::optional<std::int64_t> org_id, const std::string& question, std::int64_t now);
// false when the question does not belong to the notice or is already answered.
Result<bool> answer_question(Connection& c, std::int64_t notice_id, std::int64_t question_id, const std::string& answer,
                             std::int64_t user_id, std::int64_t now);
Result<std::vector<QuestionRecord>> questions(Connection& c, std::int64_t notice_id);

}  // namespace passerelle::storage::notices
