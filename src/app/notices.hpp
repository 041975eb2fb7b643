// NoticeService: buyers publish tender notices (consultations) with lots, amend them (rectificatifs, kept in
// a public history and sent to followers), close and award them, and answer questions; companies follow
// notices and ask questions before the question deadline. Answers are published to everyone without the
// asker's identity. A notice created from a roadmap item converts that item, and the companies that said
// they were interested are told when it is published. Every message goes through the mail outbox in the
// transaction that causes it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/blob_store.hpp"
#include "app/reference.hpp"
#include "core/clock.hpp"
#include "core/notice.hpp"
#include "core/pagination.hpp"
#include "core/policy.hpp"
#include "storage/database.hpp"
#include "storage/document_store.hpp"
#include "storage/notice_store.hpp"

namespace passerelle::app {

struct NoticePage {
    std::vector<storage::notices::NoticeRecord> items;
    std::int64_t total = 0;
};

class NoticeService {
  public:
    NoticeService(storage::Database& db, const core::Clock& clock, ReferenceService& reference, BlobStore& blobs,
                  std::string base_url)
        : db_(db), clock_(clock), reference_(reference), blobs_(blobs), base_url_(std::move(base_url)) {}

    Result<std::int64_t> create(const core::Actor& actor, std::int64_t org_id, const core::NoticeInput& in,
                                std::optional<std::int64_t> roadmap_item_id);
    // Drafts: replaced; published notices: an amendment, recorded and sent to followers.
    Status update(const core::Actor& actor, std::int64_t notice_id, const core::NoticeInput& in);
    Status publish(const core::Actor& actor, std::int64_t notice_id);
    // to: "closed", "awarded" or "unsuccessful".
    Status set_status(const core::Actor& actor, std::int64_t notice_id, const std::string& to);
    // Awards a closed notice (or one past its deadline): each lot's winner and amount, or the lot
    // unsuccessful. The awarded lots become awarded contracts (with the notice as their source), the winners
    // are matched to organisations by SIRET (created unclaimed when unknown), followers are told who won.
    Status award(const core::Actor& actor, std::int64_t notice_id, const std::vector<core::LotAwardInput>& lots,
                 const std::string& notified_on);

    Result<storage::notices::NoticeRecord> get(const core::Actor& actor, std::int64_t notice_id);
    Result<std::vector<storage::notices::HistoryRecord>> history(const core::Actor& actor, std::int64_t notice_id);
    // Published, closed and awarded notices; `open_only` keeps those whose bid deadline has not passed.
    Result<NoticePage> list_public(storage::notices::NoticeFilter filter, bool open_only, const core::Page& page);
    // Public notices matching the filter as CSV, one row per lot.
    // The public notices of a selection as CSV (one row per lot), written page by page.
    Status write_public_csv(const storage::notices::NoticeFilter& filter, bool open_only, std::ostream& out);
    Result<NoticePage> list_mine(const core::Actor& actor, const core::Page& page);
    bool can_edit(const core::Actor& actor, const storage::notices::NoticeRecord& n) const;
    core::NoticeStatus effective_status(const storage::notices::NoticeRecord& n) const;
    // Published and before its question deadline.
    bool questions_open(const storage::notices::NoticeRecord& n) const;

    Status follow(const core::Actor& actor, std::int64_t notice_id);
    Status unfollow(const core::Actor& actor, std::int64_t notice_id);
    Result<bool> is_following(const core::Actor& actor, std::int64_t notice_id);

    Status ask(const core::Actor& actor, std::int64_t notice_id, const std::string& question);
    Status answer(const core::Actor& actor, std::int64_t notice_id, std::int64_t question_id, const std::string& text);
    // Everyone sees answered questions without the asker; the buyer also sees the unanswered ones.
    Result<std::vector<storage::notices::QuestionRecord>> questions(const core::Actor& actor, std::int64_t notice_id);

    // Tender documents (DCE). Types are checked from the bytes; adding one to a published notice is an
    // amendment sent to followers.
    Result<std::int64_t> add_document(const core::Actor& actor, std::int64_t notice_id, const std::string& filename,
                                      std::string_view bytes);
    Result<std::vector<storage::documents::DocumentRecord>> documents(const core::Actor& actor, std::int64_t notice_id);
    struct Download {
        storage::documents::DocumentRecord meta;
        std::string bytes;
    };
    // Logged-in users only: every download is recorded (who, when).
    Result<Download> download(const core::Actor& actor, std::int64_t notice_id, std::int64_t document_id);
    Result<std::vector<storage::documents::DownloadRecord>> download_log(const core::Actor& actor,
                                                                         std::int64_t notice_id);

  private:
    // The status change, its history line, the search outbox and the followers' mail in one transaction,
    // with `within` (more writes) and `more_body` (more mail text).
    Status transition(const core::Actor& actor, std::int64_t notice_id, const std::string& to_code,
                      const std::function<Status(storage::Connection&, const storage::notices::NoticeRecord&)>& within,
                      const std::string& more_body);
    Result<core::NoticeData> validate(const core::NoticeInput& in, bool for_publication);
    Status authorise(const core::Actor& actor, const storage::notices::NoticeRecord& n);
    Status tell_followers(storage::Connection& c, const storage::notices::NoticeRecord& n, const std::string& subject,
                          const std::string& body, const std::string& skip_email = "");

    storage::Database& db_;
    const core::Clock& clock_;
    ReferenceService& reference_;
    BlobStore& blobs_;
    std::string base_url_;
};

core::NoticeData notice_data_of(const storage::notices::NoticeRecord& n);

}  // namespace passerelle::app
