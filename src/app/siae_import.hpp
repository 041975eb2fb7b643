// SiaeImporter: `passerelle import siae FILE` — the insertion structures (SIAE, GEIQ, EA) of « le marché de
// l'inclusion » (CSV: pk,siret,name,brand,kind,legal_form,naf,address,post_code,city,department,…) as
// company profiles with their label and département. New structures become unclaimed profiles; a profile
// that an import created (unclaimed) gets the label added; a profile its company manages is left as it is.
// A structure listed twice under one SIRET (one legal entity with two conventions, e.g. ACI and AI) gets
// both labels. Rows with an invalid SIRET are rejected with their line and reason.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace passerelle::app {

struct SiaeImportReport {
    std::int64_t rows = 0;
    std::int64_t imported = 0;   // new profiles
    std::int64_t updated = 0;    // unclaimed profiles given a label or a département
    std::int64_t unchanged = 0;  // already up to date, or managed by the company itself
    struct Rejection {
        std::int64_t line = 0;
        std::string siret;
        std::string reason;
    };
    std::vector<Rejection> rejected;
};

// The platform's label for a structure kind ("EI" -> "siae_ei"), or "" for an unknown kind.
std::string siae_label(const std::string& kind);

class SiaeImporter {
  public:
    SiaeImporter(storage::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}
    core::Result<SiaeImportReport> import_csv(const std::filesystem::path& file);

  private:
    storage::Database& db_;
    const core::Clock& clock_;
};

std::string siae_report_text(const SiaeImportReport& r);

}  // namespace passerelle::app
