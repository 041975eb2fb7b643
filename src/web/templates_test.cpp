#include "web/templates.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using passerelle::web::TemplateEngine;

namespace {
std::filesystem::path write_templates() {
    auto dir = std::filesystem::temp_directory_path() / ("passerelle-tpl-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "page.mustache") << "<p>{{name}}</p>{{#site}}<a href=\"{{site}}\">site</a>{{/site}}{{> _part}}";
    std::ofstream(dir / "_part.mustache") << "[{{#items}}{{.}};{{/items}}]";
    return dir;
}
}  // namespace

TEST(Templates, EscapesByDefaultAndEmptyStringsAreFalse) {
    auto dir = write_templates();
    auto engine = TemplateEngine::load(dir);
    ASSERT_TRUE(engine.ok());
    auto out =
        engine.value()->render("page", {{"name", "<script>alert('x')</script>"}, {"site", ""}, {"items", {1, 2}}});
    EXPECT_EQ(out, "<p>&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;</p>[1;2;]");
    out = engine.value()->render("page", {{"name", ""}, {"site", "https://x.fr"}, {"items", nlohmann::json::array()}});
    EXPECT_EQ(out, "<p></p><a href=\"https://x.fr\">site</a>[]");
    EXPECT_THROW(engine.value()->render("absent", {}), std::runtime_error);
    std::filesystem::remove_all(dir);
}

TEST(Templates, InvalidTemplateFailsAtLoad) {
    auto dir = std::filesystem::temp_directory_path() / ("passerelle-tpl-bad-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "bad.mustache") << "{{#open}} never closed";
    auto engine = TemplateEngine::load(dir);
    EXPECT_FALSE(engine.ok());
    std::filesystem::remove_all(dir);
}
