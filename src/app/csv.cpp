#include "app/csv.hpp"

namespace passerelle::app {

std::string csv_field(const std::string& raw) {
    // A cell starting with = + - @ would be a formula in spreadsheet software: neutralise it.
    std::string s = (!raw.empty() && std::string("=+-@").find(raw[0]) != std::string::npos) ? "'" + raw : raw;
    if (s.find_first_of(",\"\r\n;") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace passerelle::app
