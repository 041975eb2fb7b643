#include "http/multipart.hpp"

#include <algorithm>
#include <cctype>

namespace passerelle::http {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// True when `rest` (what follows a closing quote) is empty or more parameters: "; key=value…".
bool followed_by_parameters(std::string_view rest) {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.empty()) return true;
    if (rest.front() != ';') return false;
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    const std::size_t eq = rest.find('=');
    if (eq == 0 || eq == std::string_view::npos) return false;
    for (unsigned char c : rest.substr(0, eq))
        if (!std::isalnum(c) && c != '-' && c != '_' && c != '*' && c != '.') return false;
    return true;
}

// Browsers send a file name's '"', CR and LF as %22, %0D and %0A (HTML's multipart/form-data encoding).
std::string browser_decoded(std::string name) {
    for (auto [from, to] : {std::pair{"%22", '"'}, std::pair{"%0D", '\r'}, std::pair{"%0A", '\n'}}) {
        for (std::size_t p; (p = name.find(from)) != std::string::npos;) name.replace(p, 3, 1, to);
    }
    return name;
}

// Value of a parameter (name="value" or name=value) in a header value such as Content-Disposition.
std::string param(std::string_view header, std::string_view key) {
    std::string h = lower(header);
    std::size_t pos = 0;
    // Also accept the parameter right after the value ("form-data; name=...").
    while ((pos = h.find(lower(key) + "=", pos)) != std::string::npos) {
        bool boundary_ok = pos > 0 && (h[pos - 1] == ';' || h[pos - 1] == ' ');
        std::size_t start = pos + key.size() + 1;
        if (!boundary_ok) {
            pos = start;
            continue;
        }
        if (start < header.size() && header[start] == '"') {
            std::string out;
            for (std::size_t i = start + 1; i < header.size(); ++i) {
                if (header[i] == '\\' && i + 1 < header.size()) {
                    out.push_back(header[++i]);
                } else if (header[i] == '"') {
                    // A quote inside the value sent unescaped (filename="x";.pdf"): what follows is no
                    // parameter, so the value runs to the last quote and keeps its extension.
                    if (!followed_by_parameters(header.substr(i + 1))) {
                        const std::size_t last = header.find_last_of('"');
                        if (last > i) {
                            out.push_back('"');
                            out.append(header.substr(i + 1, last - i - 1));
                        }
                    }
                    return out;
                } else {
                    out.push_back(header[i]);
                }
            }
            return out;
        }
        std::size_t end = header.find(';', start);
        std::string v(header.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        while (!v.empty() && v.back() == ' ') v.pop_back();
        return v;
    }
    return {};
}

}  // namespace

std::optional<std::vector<Part>> parse_multipart(std::string_view content_type, std::string_view body,
                                                 std::string* why) {
    auto fail = [&](const char* reason) -> std::optional<std::vector<Part>> {
        if (why) *why = reason;
        return std::nullopt;
    };
    if (lower(content_type).rfind("multipart/form-data", 0) != 0) return fail("not multipart/form-data");
    std::string boundary = param(content_type, "boundary");
    if (boundary.empty() || boundary.size() > 200) return fail("missing boundary");
    const std::string delimiter = "--" + boundary;
    std::size_t pos = body.find(delimiter);
    if (pos == std::string_view::npos) return fail("no part");
    std::vector<Part> parts;
    while (true) {
        pos += delimiter.size();
        if (body.substr(pos, 2) == "--") break;  // closing delimiter
        if (body.substr(pos, 2) != "\r\n") return fail("malformed delimiter");
        pos += 2;
        std::size_t header_end = body.find("\r\n\r\n", pos);
        if (header_end == std::string_view::npos) return fail("unterminated part header");
        Part part;
        std::string_view headers = body.substr(pos, header_end - pos);
        std::size_t line_start = 0;
        while (line_start <= headers.size()) {
            std::size_t line_end = headers.find("\r\n", line_start);
            std::string_view line = headers.substr(
                line_start, line_end == std::string_view::npos ? std::string_view::npos : line_end - line_start);
            auto colon = line.find(':');
            if (colon != std::string_view::npos) {
                std::string name = lower(line.substr(0, colon));
                std::string_view value = line.substr(colon + 1);
                while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
                if (name == "content-disposition") {
                    part.name = param(value, "name");
                    part.filename = browser_decoded(param(value, "filename"));
                } else if (name == "content-type") {
                    part.content_type = std::string(value);
                }
            }
            if (line_end == std::string_view::npos) break;
            line_start = line_end + 2;
        }
        std::size_t data_start = header_end + 4;
        std::size_t next = body.find("\r\n" + delimiter, data_start);
        if (next == std::string_view::npos) return fail("unterminated part");
        part.data = std::string(body.substr(data_start, next - data_start));
        if (part.name.empty()) return fail("part without a name");
        parts.push_back(std::move(part));
        pos = next + 2;
        if (parts.size() > 100) return fail("too many parts");
    }
    return parts;
}

}  // namespace passerelle::http
