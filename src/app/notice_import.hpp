// NoticeImporter: `passerelle import eforms FILE|DIR` and `passerelle import boamp FILE|DIR` — notices
// published elsewhere, brought into the search and the alerts.
//
// eForms (EU, UBL 2.3 XML as sent to TED): contract notices, award notices and prior information notices;
// the buyer is the organisation referenced by ContractingParty, places are NUTS codes (French NUTS-3 regions
// map to départements), reservations come from the reserved-procurement code list. BOAMP (French bulletin,
// schema v230): calls for tenders and award notices, with DEP_PUBLICATION as the place. Each file is parsed
// with pugixml; notices are upserted by (source, notice id) with their search-outbox row, so a second
// import changes nothing. A file that is not such a notice is reported with the reason, never skipped silently.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/external_notice_store.hpp"

namespace passerelle::app {

struct NoticeImportReport {
    std::int64_t files = 0;
    std::int64_t imported = 0;
    std::int64_t updated = 0;
    std::int64_t unchanged = 0;
    struct Rejection {
        std::string file;
        std::string reason;
    };
    std::vector<Rejection> rejected;
};

// Parsers (no I/O): the notice in the XML text, or why it is not one (French).
core::Result<storage::external_notices::ExternalNoticeRecord> parse_eforms(const std::string& xml);
core::Result<storage::external_notices::ExternalNoticeRecord> parse_boamp(const std::string& xml);

// Imported notices: the import, and reading one for its page.
class ExternalNoticeService {
  public:
    ExternalNoticeService(storage::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

    // `source` is "eforms" or "boamp"; `path` a file or a folder of .xml files (sorted by name).
    core::Result<NoticeImportReport> import_path(const std::string& source, const std::filesystem::path& path);
    core::Result<storage::external_notices::ExternalNoticeRecord> get(std::int64_t id);

  private:
    storage::Database& db_;
    const core::Clock& clock_;
};

std::string notice_report_text(const std::string& source, const NoticeImportReport& r);

}  // namespace passerelle::app
