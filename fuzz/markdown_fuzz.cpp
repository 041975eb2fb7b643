// Markdown written by organisers, rendered by cmark in safe mode. Whatever the input, every tag of the HTML
// is one cmark writes for Markdown (text '<' is always escaped), its attributes are among href, src, alt,
// title, class, start and align, quoted, and no link or image has a javascript: or vbscript: scheme.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <string>

#include "app/media.hpp"
#include "fuzz/fuzz_check.hpp"

namespace {

const std::set<std::string> kTags = {"p",          "em",    "strong", "a",  "img", "ul", "ol",  "li", "code", "pre",
                                     "h1",         "h2",    "h3",     "h4", "h5",  "h6", "hr",  "br", "del",  "table",
                                     "blockquote", "thead", "tbody",  "tr", "th",  "td", "sup", "sub"};
const std::set<std::string> kAttributes = {"href", "src", "alt", "title", "class", "start", "align"};

// Checks the tag that starts at html[i] ('<') and returns the index after it.
std::size_t check_tag(const std::string& html, std::size_t i) {
    if (html.compare(i, 4, "<!--") == 0) {  // raw HTML, omitted
        auto end = html.find("-->", i);
        FUZZ_CHECK(end != std::string::npos);
        FUZZ_CHECK(html.compare(i, end - i + 3, "<!-- raw HTML omitted -->") == 0);
        return end + 3;
    }
    std::size_t j = i + 1;
    if (j < html.size() && html[j] == '/') ++j;
    std::size_t name_start = j;
    while (j < html.size() && std::isalnum(static_cast<unsigned char>(html[j]))) ++j;
    FUZZ_CHECK(kTags.count(html.substr(name_start, j - name_start)) == 1);
    for (;;) {
        FUZZ_CHECK(j < html.size());
        if (html[j] == '>') return j + 1;
        if (html.compare(j, 3, " />") == 0) return j + 3;
        FUZZ_CHECK(html[j] == ' ');
        std::size_t a = ++j;
        while (j < html.size() && std::isalpha(static_cast<unsigned char>(html[j]))) ++j;
        std::string attribute = html.substr(a, j - a);
        FUZZ_CHECK(kAttributes.count(attribute) == 1);
        FUZZ_CHECK(html.compare(j, 2, "=\"") == 0);
        std::size_t v = j + 2;
        j = html.find('"', v);
        FUZZ_CHECK(j != std::string::npos);
        if (attribute == "href" || attribute == "src") {
            // The scheme as a browser reads it: tabs and newlines dropped, leading spaces skipped, any case.
            std::string url;
            for (unsigned char c : html.substr(v, j - v))
                if (c != '\t' && c != '\n' && c != '\r' && !(url.empty() && c <= ' '))
                    url += static_cast<char>(std::tolower(c));
            FUZZ_CHECK(url.rfind("javascript:", 0) != 0 && url.rfind("vbscript:", 0) != 0);
        }
        ++j;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string html = passerelle::app::render_markdown(std::string_view(reinterpret_cast<const char*>(data), size));
    for (std::size_t i = html.find('<'); i != std::string::npos; i = html.find('<', i)) i = check_tag(html, i);
    return 0;
}
