// ContractService: the awarded contracts (marchés attribués) people read — one contract, the contracts a
// buyer awarded or a company won (its references), and the CSV download of a selection.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/contract_store.hpp"
#include "storage/database.hpp"

namespace passerelle::app {

class ContractService {
  public:
    ContractService(storage::Database& db, std::string base_url) : db_(db), base_url_(std::move(base_url)) {}

    core::Result<storage::contracts::ContractRecord> get(std::int64_t id);
    // Contracts awarded by (`as_buyer`) or to an organisation, newest first.
    core::Result<std::vector<storage::contracts::ContractRecord>> of_organisation(std::int64_t org_id, bool as_buyer,
                                                                                  int limit);
    core::Result<std::int64_t> count_of_organisation(std::int64_t org_id, bool as_buyer);
    // The contracts awarded on the platform from this notice (one per awarded lot).
    core::Result<std::vector<storage::contracts::ContractRecord>> of_notice(std::int64_t notice_id);
    // The CSV download of a selection, written as it is read (UTF-8 with BOM, one row per contract): the
    // header, then the contracts with these ids in this order, one page of ids at a time.
    static void write_csv_header(std::ostream& out);
    core::Status write_csv_rows(const std::vector<std::int64_t>& ids, std::ostream& out);

  private:
    storage::Database& db_;
    std::string base_url_;
};

}  // namespace passerelle::app
