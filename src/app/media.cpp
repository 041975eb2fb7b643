#include "app/media.hpp"

#include <cmark.h>
#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <memory>

// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

namespace passerelle::app {

std::string render_markdown(std::string_view markdown) {
    // CMARK_OPT_SAFE is the default since cmark 0.29 (CMARK_OPT_UNSAFE turns it off); named for clarity.
    const int options = CMARK_OPT_DEFAULT | CMARK_OPT_SMART | CMARK_OPT_VALIDATE_UTF8;
    char* html = cmark_markdown_to_html(markdown.data(), markdown.size(), options);
    std::string out = html ? html : "";
    std::free(html);
    return out;
}

namespace {

core::Result<ImageInfo> png_info(std::string_view bytes) {
    png_image image;
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) {
        png_image_free(&image);
        return core::Error::Invalid("Cette image PNG est endommagée.");
    }
    ImageInfo info{"image/png", static_cast<int>(image.width), static_cast<int>(image.height)};
    png_image_free(&image);
    return info;
}

struct JpegError {
    jpeg_error_mgr mgr;
    std::jmp_buf jump;
};

void jpeg_fail(j_common_ptr cinfo) {
    auto* err = reinterpret_cast<JpegError*>(cinfo->err);
    std::longjmp(err->jump, 1);
}

void jpeg_quiet(j_common_ptr, int) {}

core::Result<ImageInfo> jpeg_info(std::string_view bytes) {
    jpeg_decompress_struct cinfo;
    JpegError err;
    cinfo.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpeg_fail;
    err.mgr.emit_message = jpeg_quiet;
    // No object with a destructor lives between setjmp and a possible longjmp.
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return core::Error::Invalid("Cette image JPEG est endommagée.");
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
                 static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&cinfo, TRUE);
    const int width = static_cast<int>(cinfo.image_width), height = static_cast<int>(cinfo.image_height);
    jpeg_destroy_decompress(&cinfo);
    return ImageInfo{"image/jpeg", width, height};
}

}  // namespace

core::Result<ImageInfo> image_info(std::string_view bytes) {
    static constexpr unsigned char kPng[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    static constexpr unsigned char kJpeg[] = {0xff, 0xd8, 0xff};
    if (bytes.size() >= sizeof kPng && std::memcmp(bytes.data(), kPng, sizeof kPng) == 0) return png_info(bytes);
    if (bytes.size() >= sizeof kJpeg && std::memcmp(bytes.data(), kJpeg, sizeof kJpeg) == 0) return jpeg_info(bytes);
    return core::Error::Invalid("Ce fichier n'est pas une image PNG ou JPEG.");
}

}  // namespace passerelle::app
