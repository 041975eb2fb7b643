// PitchService: the call for pitches of a matchmaking event. The organiser opens the call (how many pitches,
// until when, names hidden from jurors or not) with its weighted grid and names the jury (organisers and
// buyer agents); companies apply (summary, innovation, references, an optional file); each juror scores the
// applications on the grid, blind to the others' scores, or abstains for a conflict of interest; the
// organiser sees the ranking, selects, and releases every decision at once (e-mails; a declined company sees
// the short reason). Selected companies are unavailable for meetings during the pitch session.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/blob_store.hpp"
#include "app/exchange.hpp"
#include "core/clock.hpp"
#include "core/pitch.hpp"
#include "core/policy.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/pitch_store.hpp"

namespace passerelle::app {

namespace pt = storage::pitches;

struct PitchCall {
    std::optional<pt::CallRecord> call;  // none: no call for this event
    std::vector<core::pitches::Criterion> criteria;
    bool open = false;         // applications accepted now
    bool grid_locked = false;  // jurors have scored: the grid stays
};

// For the organiser: the call, the jury and the ranking.
struct PitchBoard {
    PitchCall call;
    std::vector<pt::JurorRecord> jurors;
    struct Line {
        pt::ApplicationRecord application;
        core::pitches::Ranked rank;
    };
    std::vector<Line> ranking;
};

// For a juror: the applications (names hidden when the call is blind) with the juror's own review.
struct JuryView {
    PitchCall call;
    struct Item {
        pt::ApplicationRecord application;  // org_name emptied when blind
        std::string label;                  // « Candidature n° 3 » or the company
        std::optional<core::pitches::Review> mine;
    };
    std::vector<Item> items;
};

class PitchService {
  public:
    PitchService(storage::Database& db, const core::Clock& clock, BlobStore& blobs, std::string base_url)
        : db_(db), clock_(clock), blobs_(blobs), base_url_(std::move(base_url)) {}

    core::Result<PitchCall> call(std::int64_t event_id);
    core::Status save_call(const core::Actor& actor, std::int64_t event_id, const core::pitches::CallInput& in,
                           const std::vector<core::pitches::CriterionInput>& criteria);
    // A juror by e-mail: an organiser or an agent of a buyer organisation.
    core::Status add_juror(const core::Actor& actor, std::int64_t event_id, const std::string& email);
    core::Status remove_juror(const core::Actor& actor, std::int64_t event_id, std::int64_t user_id);
    core::Result<PitchBoard> board(const core::Actor& actor, std::int64_t event_id);
    // `selected`: the applications kept; `reasons`: a short reason for those declined.
    core::Status release(const core::Actor& actor, std::int64_t event_id, const std::vector<std::int64_t>& selected,
                         const std::map<std::int64_t, std::string>& reasons);

    core::Result<std::int64_t> apply(const core::Actor& actor, std::int64_t event_id, std::int64_t org_id,
                                     const core::pitches::ApplicationInput& in, const std::optional<Upload>& file);
    // The actor's organisations' applications to this event.
    core::Result<std::vector<pt::ApplicationRecord>> mine(const core::Actor& actor, std::int64_t event_id);

    bool is_juror(const core::Actor& actor, std::int64_t event_id);
    core::Result<JuryView> jury(const core::Actor& actor, std::int64_t event_id);
    core::Status review(const core::Actor& actor, std::int64_t application_id, bool abstain,
                        const std::map<std::int64_t, std::string>& scores);
    // The application's file: for its company, the organisers and the jurors.
    core::Result<FileDownload> file(const core::Actor& actor, std::int64_t application_id);

    static constexpr std::int64_t kMaxFileBytes = 10 * 1024 * 1024;

  private:
    core::Result<PitchCall> load(storage::Connection& c, std::int64_t event_id);
    core::Status require_organiser(const core::Actor& actor) const;

    storage::Database& db_;
    const core::Clock& clock_;
    BlobStore& blobs_;
    std::string base_url_;
};

}  // namespace passerelle::app
