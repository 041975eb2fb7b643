// For tests: reads back a workbook as a spreadsheet program would — the ZIP container (zlib inflate), the
// sheet names in workbook order, and every cell's text (shared strings resolved) or number. Only what
// libxlsxwriter writes: stored or deflated entries, shared strings, <v> values.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <map>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <vector>

namespace passerelle::app::testing {

inline std::uint32_t le(const std::string& b, std::size_t at, int bytes) {
    std::uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(b.at(at + static_cast<std::size_t>(i)));
    return v;
}

// Entry name -> uncompressed bytes; nullopt when the container is not a readable ZIP.
inline std::optional<std::map<std::string, std::string>> unzip(const std::string& zip) {
    if (zip.size() < 22) return std::nullopt;
    std::size_t eocd = zip.size() - 22;
    while (eocd > 0 && le(zip, eocd, 4) != 0x06054b50) --eocd;
    if (le(zip, eocd, 4) != 0x06054b50) return std::nullopt;
    const std::size_t entries = le(zip, eocd + 10, 2);
    std::size_t at = le(zip, eocd + 16, 4);
    std::map<std::string, std::string> out;
    for (std::size_t i = 0; i < entries; ++i) {
        if (le(zip, at, 4) != 0x02014b50) return std::nullopt;
        const auto method = le(zip, at + 10, 2);
        const auto csize = le(zip, at + 20, 4), usize = le(zip, at + 24, 4);
        const auto nlen = le(zip, at + 28, 2), xlen = le(zip, at + 30, 2), clen = le(zip, at + 32, 2);
        const auto local = le(zip, at + 42, 4);
        const std::string name = zip.substr(at + 46, nlen);
        at += 46 + nlen + xlen + clen;
        const std::size_t data = local + 30 + le(zip, local + 26, 2) + le(zip, local + 28, 2);
        const std::string packed = zip.substr(data, csize);
        if (method == 0) {
            out[name] = packed;
            continue;
        }
        std::string plain(usize, '\0');
        z_stream z{};
        if (inflateInit2(&z, -15) != Z_OK) return std::nullopt;
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
        z.avail_in = static_cast<uInt>(packed.size());
        z.next_out = reinterpret_cast<Bytef*>(plain.data());
        z.avail_out = static_cast<uInt>(plain.size());
        const int rc = inflate(&z, Z_FINISH);
        inflateEnd(&z);
        if (rc != Z_STREAM_END) return std::nullopt;
        out[name] = plain;
    }
    return out;
}

// Sheet name -> cell reference ("B2") -> text; nullopt when unreadable.
using Workbook = std::map<std::string, std::map<std::string, std::string>>;
inline std::optional<Workbook> read_xlsx(const std::string& bytes) {
    auto files = unzip(bytes);
    if (!files || !files->count("xl/workbook.xml")) return std::nullopt;
    std::vector<std::string> shared;
    if (files->count("xl/sharedStrings.xml")) {
        pugi::xml_document d;
        d.load_string((*files)["xl/sharedStrings.xml"].c_str());
        for (auto si : d.child("sst").children("si")) shared.push_back(si.child("t").text().get());
    }
    pugi::xml_document wb;
    wb.load_string((*files)["xl/workbook.xml"].c_str());
    Workbook out;
    int n = 0;
    for (auto sheet : wb.child("workbook").child("sheets").children("sheet")) {
        const std::string path = "xl/worksheets/sheet" + std::to_string(++n) + ".xml";
        if (!files->count(path)) return std::nullopt;
        pugi::xml_document ws;
        ws.load_string((*files)[path].c_str());
        auto& cells = out[sheet.attribute("name").value()];
        for (auto row : ws.child("worksheet").child("sheetData").children("row"))
            for (auto c : row.children("c")) {
                std::string v = c.child("v").text().get();
                if (std::string(c.attribute("t").value()) == "s") {
                    const auto i = static_cast<std::size_t>(std::stoul(v));
                    v = i < shared.size() ? shared[i] : "";
                } else if (std::string(c.attribute("t").value()) == "inlineStr") {
                    v = c.child("is").child("t").text().get();
                }
                cells[c.attribute("r").value()] = v;
            }
    }
    return out;
}

}  // namespace passerelle::app::testing
