// DecpImporter: `passerelle import decp FILE…` — awarded contracts from DECP open data into the database.
//
// Reads the 2019 JSON format ({"marches": [...]}, including publishers' quirks such as numbers as strings
// and keys with trailing spaces), the 2024 JSON format ({"marches": {"marche": [...],
// "contrat-concession": [...]}}) and the tabular CSV (one row per contract and supplier; consecutive rows
// of one contract are merged). JSON is parsed on demand with simdjson, record by record, and normalised
// on the caller's thread; a writer thread writes them in batches, each in one transaction with its
// search-outbox rows, while the next batch is read. Records are upserted by key (buyer,
// identifier, notification date): a second import of the same file changes nothing. Buyers and suppliers
// with a valid SIRET are matched to organisations, or created as unclaimed profiles.
//
// The report counts every record: imported (new), updated (changed since last import), unchanged,
// superseded (a later record of the same file has the same key and wins) and rejected (with position and
// reason); kept defects are counted as warnings, with their positions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/decp.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace passerelle::app {

struct ImportIssue {
    std::int64_t position = 0;  // record number in the file (JSON) or line number (CSV)
    std::string id;
    std::string message;
};

struct ImportReport {
    std::string file;
    std::string format;         // decp-v1 | decp-v2 | decp-csv
    std::int64_t rows = 0;      // CSV lines read (JSON: same as read)
    std::int64_t read = 0;      // records
    std::int64_t imported = 0;  // new
    std::int64_t updated = 0;
    std::int64_t unchanged = 0;
    std::int64_t superseded = 0;
    std::int64_t rejected = 0;
    std::int64_t with_warnings = 0;  // records kept with at least one warning
    std::int64_t organisations_created = 0;
    std::vector<ImportIssue> rejections;
    std::vector<ImportIssue> warnings;
    std::vector<ImportIssue> supersessions;
    // Kind of warning (its text up to the quoted value) -> number of records.
    std::map<std::string, std::int64_t> warning_counts;
    std::string stopped;  // non-empty when the file could not be read to its end: why, and where
    double seconds = 0;
};

class DecpImporter {
  public:
    using Progress = std::function<void(std::uint64_t done, std::uint64_t total)>;

    DecpImporter(storage::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

    // Imports one file (format detected from its content). Fails only when the file cannot be opened or
    // the database fails; damaged records and a truncated file end up in the report.
    core::Result<ImportReport> import_file(const std::filesystem::path& file, const Progress& progress = {});

    // Records per transaction.
    void set_batch_size(std::size_t n) { batch_size_ = n; }

  private:
    storage::Database& db_;
    const core::Clock& clock_;
    std::size_t batch_size_ = 10000;
};

// The records of one DECP file's content (format detected: 2019 JSON, 2024 JSON, tabular CSV), each handed
// to `sink` unnormalised with its position; stops at the first sink that fails. Fills the report's format,
// rows and stopped, and counts records that are not JSON objects as read and rejected. No I/O.
using DecpSink = std::function<core::Status(std::int64_t position, core::RawContract raw)>;
core::Status read_decp(const std::string& text, ImportReport& report, const DecpSink& sink,
                       const DecpImporter::Progress& progress = {});

// The report as JSON (for --report) and as a French summary (for the terminal).
std::string report_json(const ImportReport& r);
std::string report_text(const ImportReport& r);

}  // namespace passerelle::app
