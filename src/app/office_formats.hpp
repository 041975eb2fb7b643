// The office formats the site hands out, each through its library: iCalendar (libical), spreadsheets
// (libxlsxwriter) and QR codes (libqrencode, drawn as SVG).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace passerelle::app {

struct CalendarEntry {
    std::string uid;  // stable: the same meeting keeps its UID when it moves
    std::int64_t starts_at = 0;
    std::int64_t ends_at = 0;
    std::string summary;
    std::string location;
    std::string description;
    std::string url;
};
// A VCALENDAR (METHOD:PUBLISH) with the Europe/Paris VTIMEZONE and one VEVENT per entry, local times.
std::string icalendar(const std::string& name, const std::vector<CalendarEntry>& entries, std::int64_t now);

// One worksheet: a bold header row, then the rows (cells that read as whole numbers, or decimals with a dot,
// are written as numbers).
core::Result<std::string> xlsx_table(const std::string& sheet, const std::vector<std::string>& header,
                                     const std::vector<std::vector<std::string>>& rows);

struct Sheet {
    std::string name;  // at most 31 characters are kept
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};
// Several worksheets in one workbook, each as xlsx_table writes it.
core::Result<std::string> xlsx_workbook(const std::vector<Sheet>& sheets);

// The QR code of `text` (error correction M) as a standalone SVG image, `module` pixels per module.
core::Result<std::string> qr_svg(const std::string& text, int module = 6);
// The same as a PNG image (libpng), for e-mails: `module` pixels per module.
core::Result<std::string> qr_png(const std::string& text, int module = 8);

}  // namespace passerelle::app
