#include "http/multipart.hpp"

#include <gtest/gtest.h>

using namespace passerelle::http;

TEST(Multipart, FieldsAndFiles) {
    std::string body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nabc\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"document\"; filename=\"Règlement \\\"RC\\\".pdf\"\r\n"
        "Content-Type: application/pdf\r\n\r\n%PDF-1.7\r\n\x01\x02--XyZ-not-a-boundary\r\n--XyZ--\r\n";
    auto parts = parse_multipart("multipart/form-data; boundary=XyZ", body);
    ASSERT_TRUE(parts.has_value());
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].name, "_csrf");
    EXPECT_EQ((*parts)[0].data, "abc");
    EXPECT_EQ((*parts)[1].filename, "Règlement \"RC\".pdf");
    EXPECT_EQ((*parts)[1].content_type, "application/pdf");
    EXPECT_EQ((*parts)[1].data, "%PDF-1.7\r\n\x01\x02--XyZ-not-a-boundary");
}

TEST(Multipart, MalformedBodiesAreRefused) {
    std::string why;
    EXPECT_FALSE(parse_multipart("text/plain", "x", &why));
    EXPECT_FALSE(parse_multipart("multipart/form-data", "x", &why));
    EXPECT_EQ(why, "missing boundary");
    EXPECT_FALSE(parse_multipart("multipart/form-data; boundary=a",
                                 "--a\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno end", &why));
    EXPECT_FALSE(parse_multipart("multipart/form-data; boundary=a", "", &why));
    EXPECT_TRUE(parse_multipart("multipart/form-data; boundary=\"a\"", "--a--\r\n").has_value());
}

// Issue 20, item 5: a file named x";.pdf keeps its extension, whether the quote came unescaped or as a
// browser sends it (%22).
TEST(Multipart, AQuoteInAFileNameKeepsItsExtension) {
    for (const std::string disposition :
         {"form-data; name=\"f\"; filename=\"x\";.pdf\"", "form-data; name=\"f\"; filename=\"x%22;.pdf\"",
          "form-data; name=\"f\"; filename=\"x\\\";.pdf\""}) {
        const std::string body = "--B\r\nContent-Disposition: " + disposition +
                                 "\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--B--\r\n";
        auto parts = parse_multipart("multipart/form-data; boundary=B", body);
        ASSERT_TRUE(parts) << disposition;
        ASSERT_EQ(parts->size(), 1u);
        EXPECT_EQ((*parts)[0].filename, "x\";.pdf") << disposition;
        EXPECT_EQ((*parts)[0].name, "f");
    }
    // A quoted value followed by more parameters ends at its quote.
    const std::string body =
        "--B\r\nContent-Disposition: form-data; filename=\"a.pdf\"; name=\"f\"\r\n\r\nxyz\r\n--B--\r\n";
    auto parts = parse_multipart("multipart/form-data; boundary=B", body);
    ASSERT_TRUE(parts);
    EXPECT_EQ((*parts)[0].filename, "a.pdf");
    EXPECT_EQ((*parts)[0].name, "f");
}
