// multipart/form-data bodies (RFC 7578), as browsers send file uploads: the parts with their field name,
// file name, declared content type and bytes. Pure; fails (nullopt, with a reason) on a malformed body.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle::http {

struct Part {
    std::string name;
    std::string filename;  // empty for plain fields
    std::string content_type;
    std::string data;
};

// `content_type` is the request's Content-Type header (it carries the boundary).
std::optional<std::vector<Part>> parse_multipart(std::string_view content_type, std::string_view body,
                                                 std::string* why = nullptr);

}  // namespace passerelle::http
