// CSV exports (RFC 4180): quoting, and cells that spreadsheet software would run as formulas neutralised.
#pragma once

#include <string>

namespace passerelle::app {

std::string csv_field(const std::string& raw);

// UTF-8 byte-order mark: spreadsheet software then reads the file as UTF-8.
inline constexpr const char* kCsvBom = "\xEF\xBB\xBF";

}  // namespace passerelle::app
