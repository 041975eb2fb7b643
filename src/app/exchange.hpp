// ExchangeService: the co-contracting and subcontracting exchange (bourse à la co-traitance).
//
// Companies publish partnership offers on a notice (or one of its lots); other companies answer, which
// opens a private conversation between the two (messages, attachments, read receipts, e-mail
// notifications); partners who agree form a consortium with a private workspace (members and their lots,
// shared documents, the bid's checklist). Anyone may report a message or an offer; organisers hide the
// content or suspend the account. Offers are seen by logged-in companies only; buyers learn only that the
// exchange exists. Every call goes through the policy and the participants' memberships.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/blob_store.hpp"
#include "app/reference.hpp"
#include "core/clock.hpp"
#include "core/exchange.hpp"
#include "core/pagination.hpp"
#include "core/policy.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/exchange_store.hpp"

namespace passerelle::app {

struct Upload {
    std::string filename;
    std::string_view bytes;
};

struct FileDownload {
    std::string filename;
    std::string content_type;
    std::string bytes;
    bool is_public = false;  // anyone may read it (a shared cache may keep it); private content is never cached
};

struct ConversationView {
    storage::exchange::ConversationRecord conversation;
    std::vector<storage::exchange::MessageRecord> messages;
    std::int64_t viewer_org_id = 0;     // the viewer's side
    std::int64_t other_read_up_to = 0;  // read receipts: the other side has read the messages up to this id
    bool can_write = false;             // the offer is still open
    std::optional<std::int64_t> consortium_id;
};

struct ConsortiumView {
    storage::exchange::ConsortiumRecord consortium;
    std::int64_t viewer_org_id = 0;
    bool viewer_active = false;  // an invited member sees the invitation only
    bool viewer_lead = false;
    std::vector<storage::exchange::DocumentRecord> documents;
    std::vector<storage::exchange::ChecklistItem> checklist;
};

struct ReportView {
    storage::exchange::ReportRecord report;
    std::string excerpt;      // the reported text
    std::string author_name;  // who wrote it, and their e-mail (for the moderator)
    std::string author_email;
    std::optional<std::int64_t> author_user_id;
    bool hidden = false;
};

using OfferPage = storage::Paged<storage::exchange::OfferRecord>;

class ExchangeService {
  public:
    ExchangeService(storage::Database& db, const core::Clock& clock, ReferenceService& reference, BlobStore& blobs,
                    std::string base_url)
        : db_(db), clock_(clock), reference_(reference), blobs_(blobs), base_url_(std::move(base_url)) {}

    // The companies the actor acts for (active memberships).
    std::vector<std::int64_t> companies_of(const core::Actor& actor) const;
    bool may_see_offers(const core::Actor& actor) const;

    core::Result<std::int64_t> publish_offer(const core::Actor& actor, std::int64_t org_id, std::int64_t notice_id,
                                             const core::OfferInput& in);
    core::Result<storage::exchange::OfferRecord> offer(const core::Actor& actor, std::int64_t id);
    core::Result<OfferPage> offers(const core::Actor& actor, storage::exchange::OfferFilter filter,
                                   const core::Page& page);
    // How many open offers a notice has: what everyone (buyers included) may know.
    core::Result<std::int64_t> open_offer_count(std::int64_t notice_id);
    core::Status close_offer(const core::Actor& actor, std::int64_t offer_id, const std::string& to);
    core::Result<std::vector<core::PartnerSuggestion>> partners(const core::Actor& actor, std::int64_t offer_id);
    // The conversations of the offer, for its author.
    core::Result<std::vector<storage::exchange::ConversationRecord>> answers(const core::Actor& actor,
                                                                             std::int64_t offer_id);

    // Answers an offer for `org_id`: opens (or continues) the conversation; returns its id.
    core::Result<std::int64_t> answer(const core::Actor& actor, std::int64_t offer_id, std::int64_t org_id,
                                      const std::string& body, const std::vector<Upload>& files = {});
    core::Result<std::int64_t> post_message(const core::Actor& actor, std::int64_t conversation_id,
                                            const std::string& body, const std::vector<Upload>& files = {});
    // The conversation, marked read for the viewer's side.
    core::Result<ConversationView> conversation(const core::Actor& actor, std::int64_t id);
    core::Result<std::vector<storage::exchange::ConversationRecord>> my_conversations(const core::Actor& actor);
    core::Result<FileDownload> attachment(const core::Actor& actor, std::int64_t attachment_id);

    // Proposes a consortium from a conversation: the proposer's company is active, the other invited.
    core::Result<std::int64_t> form_consortium(const core::Actor& actor, std::int64_t conversation_id,
                                               const std::string& name);
    core::Status accept_consortium(const core::Actor& actor, std::int64_t consortium_id);
    core::Result<ConsortiumView> consortium(const core::Actor& actor, std::int64_t id);
    core::Result<std::vector<storage::exchange::ConsortiumRecord>> my_consortia(const core::Actor& actor);
    // The lead sets a member's role and lots.
    core::Status set_member(const core::Actor& actor, std::int64_t consortium_id, std::int64_t org_id,
                            const std::string& role, const std::string& lots);
    core::Result<std::int64_t> add_document(const core::Actor& actor, std::int64_t consortium_id, const Upload& file);
    core::Result<FileDownload> document(const core::Actor& actor, std::int64_t document_id);
    core::Status add_checklist_item(const core::Actor& actor, std::int64_t consortium_id, const std::string& label);
    core::Status check_item(const core::Actor& actor, std::int64_t consortium_id, std::int64_t item_id, bool done);

    core::Result<std::int64_t> report(const core::Actor& actor, const std::string& kind, std::int64_t id,
                                      const std::string& reason);
    core::Result<std::vector<ReportView>> open_reports(const core::Actor& actor);
    // hide (the content), suspend (the author's account, and hide), dismiss.
    core::Status decide_report(const core::Actor& actor, std::int64_t report_id, const std::string& action);

    // Messages (answers included) one person may send in a window: beyond, 429 with the wait.
    static constexpr int kMessagesPerWindow = 20;
    static constexpr std::int64_t kMessageWindowSeconds = 600;

  private:
    core::Status within_rate(const core::Actor& actor);
    // The actor's company that takes part in the conversation, or an error.
    core::Result<std::int64_t> side_of(const core::Actor& actor, const storage::exchange::ConversationRecord& c) const;
    core::Result<std::vector<storage::exchange::AttachmentRecord>> store_files(const std::vector<Upload>& files);
    core::Status notify_members(storage::Connection& c, std::int64_t org_id, const std::string& subject,
                                const std::string& body);

    storage::Database& db_;
    const core::Clock& clock_;
    ReferenceService& reference_;
    BlobStore& blobs_;
    std::string base_url_;
};

}  // namespace passerelle::app
