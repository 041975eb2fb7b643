// RoadmapService: buyers publish their procurement roadmap (feuille de route achats) item by item or as a
// whole; companies say they are interested ("Je suis intéressé"); buyers see who and export the list.
//
// Drafts are visible to the buyer organisation's members only. Edits to a published item are recorded in
// its public history (date and what changed). Every call asks the policy: publishing needs an active
// membership of the buyer organisation, interest needs one of a company.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/reference.hpp"
#include "core/clock.hpp"
#include "core/pagination.hpp"
#include "core/policy.hpp"
#include "core/procurement.hpp"
#include "storage/database.hpp"
#include "storage/roadmap_store.hpp"

namespace passerelle::app {

struct RoadmapPage {
    std::vector<storage::roadmaps::ItemRecord> items;
    std::int64_t total = 0;
};

class RoadmapService {
  public:
    RoadmapService(storage::Database& db, const core::Clock& clock, ReferenceService& reference)
        : db_(db), clock_(clock), reference_(reference) {}

    Result<std::int64_t> create(const core::Actor& actor, std::int64_t org_id, const core::RoadmapItemInput& in,
                                bool publish_now);
    Status update(const core::Actor& actor, std::int64_t item_id, const core::RoadmapItemInput& in);
    Status publish(const core::Actor& actor, std::int64_t item_id);
    Status abandon(const core::Actor& actor, std::int64_t item_id, const std::string& reason);
    // Publishes every draft of the organisation at once (the yearly roadmap); returns how many.
    Result<int> publish_all(const core::Actor& actor, std::int64_t org_id);

    // Drafts only for members of the organisation; kNotFound otherwise.
    Result<storage::roadmaps::ItemRecord> get(const core::Actor& actor, std::int64_t item_id);
    Result<std::vector<storage::roadmaps::HistoryRecord>> history(const core::Actor& actor, std::int64_t item_id);
    // Public list: published items only.
    Result<RoadmapPage> list_public(storage::roadmaps::ItemFilter filter, const core::Page& page);
    // The items of the buyer organisations the actor belongs to, any status.
    Result<RoadmapPage> list_mine(const core::Actor& actor, const core::Page& page);
    bool can_edit(const core::Actor& actor, const storage::roadmaps::ItemRecord& item) const;

    Status express_interest(const core::Actor& actor, std::int64_t item_id, std::int64_t company_id,
                            const std::string& message);
    Status withdraw_interest(const core::Actor& actor, std::int64_t item_id, std::int64_t company_id);
    // The actor's companies that already said they are interested.
    Result<std::vector<std::int64_t>> my_interests(const core::Actor& actor, std::int64_t item_id);
    Result<std::vector<storage::roadmaps::InterestRecord>> interested(const core::Actor& actor, std::int64_t item_id);
    // RFC 4180 CSV of the interested companies (UTF-8 with BOM, for spreadsheet software).
    Result<std::string> interested_csv(const core::Actor& actor, std::int64_t item_id);

  private:
    Result<core::RoadmapItemData> validate(const core::RoadmapItemInput& in);
    Status authorise_item(const core::Actor& actor, const storage::roadmaps::ItemRecord& item);

    storage::Database& db_;
    const core::Clock& clock_;
    ReferenceService& reference_;
};

// Field values of a stored item, to fill the edit form and to compare versions.
core::RoadmapItemData roadmap_data_of(const storage::roadmaps::ItemRecord& r);

}  // namespace passerelle::app
