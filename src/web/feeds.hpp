// The XML the site hands to machines: Atom feeds (RFC 4287) and sitemap.xml (sitemaps.org 0.9), written
// with pugixml so that every text is escaped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace passerelle::web {

struct AtomEntry {
    std::string id;  // a URN or URL that never changes
    std::string title;
    std::string url;
    std::int64_t updated = 0;
    std::int64_t published = 0;  // 0: not given
    std::string summary;         // plain text
    std::string content_html;    // empty: no content element
    std::vector<std::string> categories;
};

struct AtomFeed {
    std::string id;
    std::string title;
    std::string self_url;
    std::string alternate_url;  // the page the feed follows; empty: none
    std::int64_t updated = 0;
    std::vector<AtomEntry> entries;
};

std::string atom_xml(const AtomFeed& feed);

struct SitemapUrl {
    std::string loc;
    std::int64_t lastmod = 0;  // 0: not given
};
std::string sitemap_xml(const std::vector<SitemapUrl>& urls);

}  // namespace passerelle::web
