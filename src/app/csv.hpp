// CSV exports (RFC 4180): quoting, and cells that spreadsheet software would run as formulas neutralised.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace passerelle::app {

std::string csv_field(const std::string& raw);

// Reads one RFC 4180 record from `in` at `pos` (advanced past it) into `fields`; false at the end.
bool read_csv_record(const std::string& in, std::size_t& pos, std::vector<std::string>& fields);

// UTF-8 byte-order mark: spreadsheet software then reads the file as UTF-8.
inline constexpr const char* kCsvBom = "\xEF\xBB\xBF";

}  // namespace passerelle::app
