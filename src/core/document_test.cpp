#include "core/document.hpp"

#include <gtest/gtest.h>

using namespace passerelle::core;

TEST(Document, TypeComesFromTheBytes) {
    EXPECT_EQ(sniff_document("%PDF-1.7\n...", "rc.pdf")->mime, "application/pdf");
    EXPECT_EQ(sniff_document("%PDF-1.4", "renamed.exe")->mime, "application/pdf");
    EXPECT_EQ(sniff_document(std::string_view("PK\x03\x04xx", 6), "CCTP.docx")->label, "Document Word");
    EXPECT_EQ(sniff_document(std::string_view("PK\x03\x04xx", 6), "dce.zip")->mime, "application/zip");
    EXPECT_FALSE(sniff_document("<html><script>alert(1)</script>", "rc.pdf"));
    EXPECT_FALSE(sniff_document("MZ\x90\x00", "setup.pdf"));
    EXPECT_FALSE(sniff_document("", "vide.pdf"));
}

TEST(Document, SafeFilenames) {
    EXPECT_EQ(safe_filename("C:\\Users\\x\\Règlement de consultation.pdf"), "Règlement de consultation.pdf");
    EXPECT_EQ(safe_filename("../../etc/passwd"), "passwd");
    EXPECT_EQ(safe_filename("a\"b<c>.pdf"), "abc.pdf");
    EXPECT_EQ(safe_filename(".htaccess"), "htaccess");
    EXPECT_EQ(safe_filename(""), "document");
    EXPECT_LE(safe_filename(std::string(300, 'e') + ".pdf").size(), 150u);
}
