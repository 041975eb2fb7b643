// The co-contracting exchange storage: partnership offers, conversations and messages with attachments and
// read receipts, consortium workspaces (members, documents, checklist), and reports of abuse.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage::exchange {

struct OfferRecord {
    std::int64_t id = 0;
    std::int64_t notice_id = 0;
    std::string notice_title;  // read only
    std::optional<int> lot_number;
    std::int64_t org_id = 0;
    std::string org_name;  // read only
    std::optional<std::int64_t> author_user_id;
    std::string kind;
    std::optional<int> share_percent;
    std::string description;
    std::string search_text;  // folded description and company name
    std::string status = "open";
    bool hidden = false;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::optional<std::int64_t> closed_at;
    std::vector<std::string> cpv_codes;
    std::vector<std::string> departements;
};

struct OfferFilter {
    std::optional<std::int64_t> notice_id;
    std::optional<std::int64_t> org_id;
    std::string status;  // empty: any
    std::string kind;
    std::string departement;
    std::string cpv_division;
    std::string text_like;  // folded words, all of them
    bool include_hidden = false;
};

Result<std::int64_t> insert_offer(Connection& c, const OfferRecord& r, std::int64_t now);
Result<std::optional<OfferRecord>> find_offer(Connection& c, std::int64_t id);
// Newest first.
Result<std::vector<OfferRecord>> list_offers(Connection& c, const OfferFilter& f, int limit, int offset);
Result<std::int64_t> count_offers(Connection& c, const OfferFilter& f);
Status set_offer_status(Connection& c, std::int64_t id, const std::string& status, std::int64_t now);
Status set_offer_hidden(Connection& c, std::int64_t id, bool hidden);

struct ConversationRecord {
    std::int64_t id = 0;
    std::int64_t offer_id = 0;
    std::int64_t org_id = 0;  // the company that answered
    std::string org_name;
    // Read only: the offer's side.
    std::int64_t offer_org_id = 0;
    std::string offer_org_name;
    std::string offer_kind;
    std::string offer_status;
    std::int64_t notice_id = 0;
    std::string notice_title;
    std::int64_t created_at = 0;
    std::int64_t last_message_at = 0;
    std::int64_t unread = 0;  // for the organisation the list was asked for
};

// The conversation of this offer with this answering company, created when new; returns its id.
Result<std::int64_t> conversation_for(Connection& c, std::int64_t offer_id, std::int64_t org_id, std::int64_t now);
Result<std::optional<ConversationRecord>> find_conversation(Connection& c, std::int64_t id);
// Conversations where the organisation is either side, most recent message first, with its unread count.
Result<std::vector<ConversationRecord>> conversations_of(Connection& c, std::int64_t org_id);
// The conversations of an offer, with the unread count of the offer's author.
Result<std::vector<ConversationRecord>> conversations_of_offer(Connection& c, std::int64_t offer_id);

struct AttachmentRecord {
    std::int64_t id = 0;
    std::int64_t message_id = 0;
    std::string filename;
    std::string content_type;
    std::int64_t size = 0;
    std::string sha256;
    std::int64_t conversation_id = 0;  // read only
};

struct MessageRecord {
    std::int64_t id = 0;
    std::int64_t conversation_id = 0;
    std::int64_t org_id = 0;
    std::string org_name;  // read only
    std::optional<std::int64_t> author_user_id;
    std::string author_name;  // read only
    std::string body;
    bool hidden = false;
    std::int64_t created_at = 0;
    std::vector<AttachmentRecord> attachments;
};

Result<std::int64_t> insert_message(Connection& c, const MessageRecord& m);
Result<std::int64_t> insert_attachment(Connection& c, const AttachmentRecord& a);
// Messages a user wrote after `since`, and the time of the oldest of them (for the rate limit).
Result<std::pair<std::int64_t, std::int64_t>> messages_since(Connection& c, std::int64_t user_id, std::int64_t since);
Result<std::vector<MessageRecord>> list_messages(Connection& c, std::int64_t conversation_id);
Result<std::optional<MessageRecord>> find_message(Connection& c, std::int64_t id);
Result<std::optional<AttachmentRecord>> find_attachment(Connection& c, std::int64_t id);
Status set_message_hidden(Connection& c, std::int64_t id, bool hidden);
// Read receipts: the last message an organisation has seen in a conversation.
Status mark_read(Connection& c, std::int64_t conversation_id, std::int64_t org_id, std::int64_t message_id,
                 std::int64_t now);
Result<std::int64_t> last_read(Connection& c, std::int64_t conversation_id, std::int64_t org_id);  // 0: none

struct MemberRecord {
    std::int64_t org_id = 0;
    std::string org_name;   // read only
    std::string org_siret;  // read only
    std::string role;       // lead | member | subcontractor
    std::string lots;       // e.g. "1, 2"; free text
    std::string status;     // invited | active
    std::optional<std::int64_t> joined_at;
};

struct ConsortiumRecord {
    std::int64_t id = 0;
    std::int64_t notice_id = 0;
    std::string notice_title;  // read only
    std::optional<std::int64_t> offer_id;
    std::string name;
    std::optional<std::int64_t> created_by;
    std::int64_t created_at = 0;
    std::vector<MemberRecord> members;
};

Result<std::int64_t> insert_consortium(Connection& c, const ConsortiumRecord& r);
Result<std::optional<ConsortiumRecord>> find_consortium(Connection& c, std::int64_t id);
Result<std::vector<ConsortiumRecord>> consortia_of(Connection& c, std::int64_t org_id);
Status upsert_member(Connection& c, std::int64_t consortium_id, const MemberRecord& m);

struct DocumentRecord {
    std::int64_t id = 0;
    std::int64_t consortium_id = 0;
    std::int64_t org_id = 0;
    std::string org_name;  // read only
    std::optional<std::int64_t> uploaded_by;
    std::string filename;
    std::string content_type;
    std::int64_t size = 0;
    std::string sha256;
    std::int64_t uploaded_at = 0;
};
Result<std::int64_t> insert_document(Connection& c, const DocumentRecord& d);
Result<std::vector<DocumentRecord>> list_documents(Connection& c, std::int64_t consortium_id);
Result<std::optional<DocumentRecord>> find_document(Connection& c, std::int64_t id);

struct ChecklistItem {
    std::int64_t id = 0;
    std::string label;
    bool done = false;
    std::string done_by_name;  // read only
    std::optional<std::int64_t> done_at;
};
Status add_checklist_item(Connection& c, std::int64_t consortium_id, const std::string& label);
Result<std::vector<ChecklistItem>> checklist(Connection& c, std::int64_t consortium_id);
// Returns false when the item is not in that consortium.
Result<bool> set_checklist_done(Connection& c, std::int64_t consortium_id, std::int64_t item_id, bool done,
                                std::int64_t user_id, std::int64_t now);

struct ReportRecord {
    std::int64_t id = 0;
    std::string target_kind;  // message | offer
    std::int64_t target_id = 0;
    std::optional<std::int64_t> reporter_user_id;
    std::string reporter_email;  // read only
    std::string reason;
    std::string status = "open";  // open | hidden | suspended | dismissed
    std::int64_t created_at = 0;
    std::optional<std::int64_t> decided_at;
};
Result<std::int64_t> insert_report(Connection& c, const ReportRecord& r);
// Whether this person already has an open report on that content.
Result<bool> has_open_report(Connection& c, const std::string& target_kind, std::int64_t target_id,
                             std::int64_t reporter_user_id);
Result<std::vector<ReportRecord>> reports(Connection& c, const std::string& status, int limit);
Result<std::optional<ReportRecord>> find_report(Connection& c, std::int64_t id);
// Settles every open report on that content with the same decision.
Status decide_reports_on(Connection& c, const std::string& target_kind, std::int64_t target_id,
                         const std::string& status, std::int64_t user_id, std::int64_t now);

}  // namespace passerelle::storage::exchange
