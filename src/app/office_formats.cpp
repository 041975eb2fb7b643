#include "app/office_formats.hpp"

#include <libical/ical.h>
#include <png.h>
#include <qrencode.h>
#include <xlsxwriter.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include "app/crypto.hpp"

namespace passerelle::app {

namespace {
constexpr const char* kParisTimezone =
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"
    "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";
}  // namespace

std::string icalendar(const std::string& name, const std::vector<CalendarEntry>& entries, std::int64_t now) {
    icalcomponent* cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
    icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal, icalproperty_new_prodid("-//Passerelle//Evenements//FR"));
    icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
    icalproperty* cal_name = icalproperty_new_x(name.c_str());
    icalproperty_set_x_name(cal_name, "X-WR-CALNAME");
    icalcomponent_add_property(cal, cal_name);
    // Local times in Europe/Paris, with the zone's current rules as its VTIMEZONE (what calendar programs
    // write; libical's built-in zone would carry its whole history and a non-standard TZID).
    icaltimezone* tz = icaltimezone_new();
    icaltimezone_set_component(tz, icalparser_parse_string(kParisTimezone));
    icalcomponent_add_component(cal, icalcomponent_new_clone(icaltimezone_get_component(tz)));
    icaltimezone* utc = icaltimezone_get_utc_timezone();
    // The conversion leaves the result labelled UTC: label it with the zone it was converted to.
    auto local = [tz](std::int64_t t) {
        icaltimetype v = icaltime_from_timet_with_zone(static_cast<time_t>(t), 0, tz);
        v.zone = tz;
        return v;
    };
    for (const auto& e : entries) {
        icalcomponent* ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
        icalcomponent_add_property(ev, icalproperty_new_uid(e.uid.c_str()));
        icalcomponent_add_property(ev, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(now, 0, utc)));
        icalcomponent_set_dtstart(ev, local(e.starts_at));
        icalcomponent_set_dtend(ev, local(e.ends_at));
        icalcomponent_add_property(ev, icalproperty_new_summary(e.summary.c_str()));
        if (!e.location.empty()) icalcomponent_add_property(ev, icalproperty_new_location(e.location.c_str()));
        if (!e.description.empty()) icalcomponent_add_property(ev, icalproperty_new_description(e.description.c_str()));
        if (!e.url.empty()) icalcomponent_add_property(ev, icalproperty_new_url(e.url.c_str()));
        icalcomponent_add_component(cal, ev);
    }
    char* text = icalcomponent_as_ical_string_r(cal);
    std::string out = text ? text : "";
    std::free(text);
    icalcomponent_free(cal);
    icaltimezone_free(tz, 1);
    return out;
}

namespace {

// Whole numbers of up to 12 digits without a leading zero (not SIRET codes or postcodes), and decimals
// written with a dot ("12.5", "0.25").
std::optional<double> number_cell(const std::string& v) {
    if (v.empty() || v.size() > 18 || v[0] == '+') return std::nullopt;
    const std::size_t dot = v.find('.');
    const std::string whole = v.substr(0, dot);
    const std::string digits = whole.rfind('-', 0) == 0 ? whole.substr(1) : whole;
    if (digits.empty() || digits.size() > 12 || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
    double out = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc() || p != v.data() + v.size()) return std::nullopt;
    if (dot != std::string::npos &&
        (dot + 1 == v.size() || v.find_first_not_of("0123456789", dot + 1) != std::string::npos))
        return std::nullopt;
    return out;
}

}  // namespace

core::Result<std::string> xlsx_table(const std::string& sheet, const std::vector<std::string>& header,
                                     const std::vector<std::vector<std::string>>& rows) {
    return xlsx_workbook({{sheet, header, rows}});
}

core::Result<std::string> xlsx_workbook(const std::vector<Sheet>& sheets) {
    namespace fs = std::filesystem;
    const fs::path path = fs::temp_directory_path() / ("passerelle-" + random_code(16) + ".xlsx");
    lxw_workbook* wb = workbook_new(path.c_str());
    if (!wb) return core::Error::Internal("Le classeur n'a pas pu être créé.");
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    for (const auto& sheet : sheets) {
        lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.name.substr(0, 31).c_str());
        if (!ws) {
            workbook_close(wb);
            std::error_code ignored;
            fs::remove(path, ignored);
            return core::Error::Internal("Une feuille du classeur n'a pas pu être créée : " + sheet.name);
        }
        for (std::size_t c = 0; c < sheet.header.size(); ++c) {
            worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), sheet.header[c].c_str(), bold);
            worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), 22, nullptr);
        }
        worksheet_freeze_panes(ws, 1, 0);
        for (std::size_t r = 0; r < sheet.rows.size(); ++r)
            for (std::size_t c = 0; c < sheet.rows[r].size(); ++c) {
                const auto& v = sheet.rows[r][c];
                const auto row = static_cast<lxw_row_t>(r + 1);
                const auto col = static_cast<lxw_col_t>(c);
                if (auto n = number_cell(v))
                    worksheet_write_number(ws, row, col, *n, nullptr);
                else
                    worksheet_write_string(ws, row, col, v.c_str(), nullptr);
            }
    }
    const lxw_error err = workbook_close(wb);
    std::string bytes;
    if (err == LXW_NO_ERROR) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        bytes = ss.str();
    }
    std::error_code ignored;
    fs::remove(path, ignored);
    if (err != LXW_NO_ERROR || bytes.empty())
        return core::Error::Internal(std::string("Le classeur n'a pas pu être écrit : ") + lxw_strerror(err));
    return bytes;
}

core::Result<std::string> qr_svg(const std::string& text, int module) {
    std::unique_ptr<QRcode, void (*)(QRcode*)> q(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1),
                                                 QRcode_free);
    if (!q) return core::Error::Invalid("Ce texte ne tient pas dans un code QR.");
    const int quiet = 4;
    const int n = q->width + 2 * quiet;
    std::ostringstream svg;
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << n << ' ' << n << "\" width=\"" << n * module
        << "\" height=\"" << n * module
        << "\" shape-rendering=\"crispEdges\" role=\"img\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
        << "<path fill=\"#000\" d=\"";
    for (int y = 0; y < q->width; ++y)
        for (int x = 0; x < q->width; ++x)
            if (q->data[y * q->width + x] & 1) svg << 'M' << x + quiet << ' ' << y + quiet << "h1v1h-1z";
    svg << "\"/></svg>";
    return svg.str();
}

core::Result<std::string> qr_png(const std::string& text, int module) {
    std::unique_ptr<QRcode, void (*)(QRcode*)> q(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1),
                                                 QRcode_free);
    if (!q) return core::Error::Invalid("Ce texte ne tient pas dans un code QR.");
    const int quiet = 4;
    const int side = (q->width + 2 * quiet) * module;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    if (!png) return core::Error::Internal("PNG indisponible.");
    png_infop info = png_create_info_struct(png);
    std::string out;
    // libpng reports errors by longjmp: nothing with a destructor lives between setjmp and the end.
    std::vector<png_byte> row(static_cast<std::size_t>(side));
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return core::Error::Internal("Le code QR n'a pas pu être dessiné.");
    }
    png_set_write_fn(
        png, &out,
        [](png_structp p, png_bytep data, png_size_t n) {
            static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<const char*>(data), n);
        },
        nullptr);
    png_set_IHDR(png, info, static_cast<png_uint_32>(side), static_cast<png_uint_32>(side), 8, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < side; ++y) {
        const int my = y / module - quiet;
        for (int x = 0; x < side; ++x) {
            const int mx = x / module - quiet;
            const bool dark = mx >= 0 && my >= 0 && mx < q->width && my < q->width && (q->data[my * q->width + mx] & 1);
            row[static_cast<std::size_t>(x)] = dark ? 0 : 255;
        }
        png_write_row(png, row.data());
    }
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

}  // namespace passerelle::app
