// OcdsExporter: `passerelle export ocds` — public notices and awarded contracts as one OCDS 1.1 release
// package (https://standard.open-contracting.org/1.1/).
//
// One release per contracting process: a notice gives a "tender" release (with its lots, items classified
// by CPV, tender and enquiry periods; "tenderAmendment" once amended), an awarded contract an
// "award"/"contract" release with its buyer and suppliers as parties. Organisations are identified by their
// SIREN in the FR-RCS scheme when they have a valid SIRET. The ocid prefix is configurable (publishers
// register theirs with the Open Contracting Partnership).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace passerelle::app {

struct OcdsSettings {
    std::string ocid_prefix = "ocds-passerelle";
    std::string base_url = "http://localhost:8080";
    std::string publisher = "Passerelle";
};

struct OcdsCounts {
    std::int64_t notices = 0;
    std::int64_t contracts = 0;
};

class OcdsExporter {
  public:
    OcdsExporter(storage::Database& db, const core::Clock& clock, OcdsSettings settings)
        : db_(db), clock_(clock), settings_(std::move(settings)) {}

    // Writes the package to `out`, release by release (the whole data set is never held in memory).
    core::Result<OcdsCounts> write(std::ostream& out);

  private:
    storage::Database& db_;
    const core::Clock& clock_;
    OcdsSettings settings_;
};

}  // namespace passerelle::app
