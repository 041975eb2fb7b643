// Markdown is rendered safely (no raw HTML, no script links) and images are recognised by decoding them.
#include "app/media.hpp"

#include <gtest/gtest.h>
#include <jpeglib.h>

#include <cstdio>
#include <vector>

#include "app/office_formats.hpp"

namespace passerelle::app {
namespace {

// A small grey JPEG, encoded with libjpeg.
std::string tiny_jpeg(int width, int height) {
    jpeg_compress_struct cinfo;
    jpeg_error_mgr jerr;
    cinfo.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&cinfo);
    unsigned char* out = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&cinfo, &out, &size);
    cinfo.image_width = static_cast<JDIMENSION>(width);
    cinfo.image_height = static_cast<JDIMENSION>(height);
    cinfo.input_components = 1;
    cinfo.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&cinfo);
    jpeg_start_compress(&cinfo, TRUE);
    std::vector<unsigned char> row(static_cast<std::size_t>(width), 128);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW r = row.data();
        jpeg_write_scanlines(&cinfo, &r, 1);
    }
    jpeg_finish_compress(&cinfo);
    std::string bytes(reinterpret_cast<char*>(out), size);
    jpeg_destroy_compress(&cinfo);
    std::free(out);
    return bytes;
}

TEST(Markdown, RendersCommonMarkAndDropsRawHtmlAndScriptLinks) {
    const std::string html = render_markdown(
        "# Titre\n\nUn **texte** avec un [lien](https://example.org).\n\n<script>alert(1)</script>\n\n"
        "[piège](javascript:alert(2)) <img src=x onerror=alert(3)>\n");
    EXPECT_NE(html.find("<h1>Titre</h1>"), std::string::npos);
    EXPECT_NE(html.find("<strong>texte</strong>"), std::string::npos);
    EXPECT_NE(html.find("href=\"https://example.org\""), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("javascript:"), std::string::npos);
    EXPECT_EQ(html.find("onerror"), std::string::npos);
}

TEST(Images, PngAndJpegAreReadOthersRefused) {
    auto png = qr_png("https://passerelle.test", 4);
    ASSERT_TRUE(png.ok());
    auto p = image_info(png.value());
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_EQ(p->mime, "image/png");
    EXPECT_GT(p->width, 0);
    EXPECT_EQ(p->width, p->height);

    auto j = image_info(tiny_jpeg(40, 30));
    ASSERT_TRUE(j.ok()) << j.error().message;
    EXPECT_EQ(j->mime, "image/jpeg");
    EXPECT_EQ(j->width, 40);
    EXPECT_EQ(j->height, 30);

    EXPECT_FALSE(image_info("<svg xmlns='http://www.w3.org/2000/svg'></svg>").ok());
    EXPECT_FALSE(image_info("%PDF-1.4").ok());
    // A PNG signature followed by garbage, a JPEG start followed by garbage.
    EXPECT_FALSE(image_info(std::string("\x89PNG\r\n\x1a\n", 8) + "garbage").ok());
    EXPECT_FALSE(image_info(std::string("\xff\xd8\xff\xe0", 4) + "garbage").ok());
}

}  // namespace
}  // namespace passerelle::app
