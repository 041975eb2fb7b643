// What organisers write and upload for the public: Markdown rendered to safe HTML (cmark), and cover
// images checked by decoding their header (libpng, libjpeg) rather than trusting the name or declared type.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace passerelle::app {

// CommonMark to HTML in cmark's safe mode: raw HTML is replaced by a comment and javascript:, vbscript:,
// file: and data: (except images) links are emptied. Typographic quotes and dashes (smart).
std::string render_markdown(std::string_view markdown);

struct ImageInfo {
    std::string mime;  // image/png or image/jpeg
    int width = 0;
    int height = 0;
};
// PNG or JPEG whose header decodes; a French reason otherwise (not an image, damaged, unsupported).
core::Result<ImageInfo> image_info(std::string_view bytes);

}  // namespace passerelle::app
