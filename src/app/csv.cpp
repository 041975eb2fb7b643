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

bool read_csv_record(const std::string& in, std::size_t& pos, std::vector<std::string>& fields) {
    fields.clear();
    if (pos >= in.size()) return false;
    std::string field;
    bool quoted = false;
    while (pos < in.size()) {
        char c = in[pos++];
        if (quoted) {
            if (c == '"') {
                if (pos < in.size() && in[pos] == '"') {
                    field.push_back('"');
                    ++pos;
                } else {
                    quoted = false;
                }
            } else {
                field.push_back(c);
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.push_back(std::move(field));
            field.clear();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && pos < in.size() && in[pos] == '\n') ++pos;
            break;
        } else {
            field.push_back(c);
        }
    }
    fields.push_back(std::move(field));
    return true;
}

}  // namespace passerelle::app
