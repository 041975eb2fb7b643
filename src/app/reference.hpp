// Reference data: CPV 2008 codes and French geography, with their import commands and the CPV
// autocomplete. Imports are idempotent (upserts) and run in one transaction: a bad file changes nothing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/database.hpp"
#include "storage/reference_store.hpp"

namespace passerelle::app {

using core::Result;
using core::Status;

struct GeoCounts {
    std::int64_t regions = 0, departements = 0, communes = 0;
};

class ReferenceService {
  public:
    explicit ReferenceService(storage::Database& db) : db_(db) {}

    // CSV with header code,check_digit,code_full,level,parent_code,division,type,label_fr,label_en
    // (the format of the reference file); returns the number of codes imported.
    Result<std::int64_t> import_cpv_csv(const std::filesystem::path& file);
    // The 45 CPV divisions, built in, so that a fresh install works without any file.
    Result<std::int64_t> load_builtin_cpv_divisions();
    // regions.json, departements.json and (optionally) communes.json of @etalab/decoupage-administratif.
    Result<GeoCounts> import_geo(const std::filesystem::path& dir, bool with_communes = true);

    // Autocomplete: by code prefix when the query starts with digits, else by folded label words.
    Result<std::vector<storage::reference::CpvRecord>> suggest_cpv(const std::string& query, int limit = 15);
    // Checks that each code (8 digits, parsed by core) exists and, when given, that its check digit is
    // the official one. Returns the field message of the first failure, or an empty string.
    Result<std::string> check_cpv_codes(const std::vector<std::string>& typed);
    Result<std::vector<storage::reference::Departement>> departements();
    // The first of these codes (trimmed, non-empty) that is not in the geography, or "" when all are.
    Result<std::string> first_unknown_departement(const std::vector<std::string>& codes);
    Result<std::vector<storage::reference::CpvRecord>> cpv_divisions();
    // The French label of a code, or of its nearest known ancestor; empty when none is known.
    Result<std::string> cpv_label(const std::string& code);

  private:
    storage::Database& db_;
};

}  // namespace passerelle::app
