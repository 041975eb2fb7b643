#include "web/feeds.hpp"

#include <pugixml.hpp>
#include <sstream>

#include "core/french.hpp"

namespace passerelle::web {

namespace {

pugi::xml_document with_declaration() {
    pugi::xml_document doc;
    auto decl = doc.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "utf-8";
    return doc;
}

std::string to_string(const pugi::xml_document& doc) {
    std::ostringstream out;
    doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
    return out.str();
}

void link(pugi::xml_node parent, const char* rel, const std::string& href, const char* type = nullptr) {
    auto l = parent.append_child("link");
    if (rel) l.append_attribute("rel") = rel;
    if (type) l.append_attribute("type") = type;
    l.append_attribute("href") = href.c_str();
}

}  // namespace

std::string atom_xml(const AtomFeed& feed) {
    auto doc = with_declaration();
    auto root = doc.append_child("feed");
    root.append_attribute("xmlns") = "http://www.w3.org/2005/Atom";
    root.append_attribute("xml:lang") = "fr";
    root.append_child("title").text().set(feed.title.c_str());
    root.append_child("id").text().set(feed.id.c_str());
    root.append_child("updated").text().set(core::format_iso8601_utc(feed.updated).c_str());
    link(root, "self", feed.self_url, "application/atom+xml");
    if (!feed.alternate_url.empty()) link(root, "alternate", feed.alternate_url, "text/html");
    root.append_child("author").append_child("name").text().set("Passerelle");
    for (const auto& e : feed.entries) {
        auto n = root.append_child("entry");
        n.append_child("title").text().set(e.title.c_str());
        n.append_child("id").text().set(e.id.c_str());
        n.append_child("updated").text().set(core::format_iso8601_utc(e.updated).c_str());
        if (e.published) n.append_child("published").text().set(core::format_iso8601_utc(e.published).c_str());
        link(n, "alternate", e.url);
        for (const auto& c : e.categories) n.append_child("category").append_attribute("term") = c.c_str();
        if (!e.summary.empty()) n.append_child("summary").text().set(e.summary.c_str());
        if (!e.content_html.empty()) {
            auto content = n.append_child("content");
            content.append_attribute("type") = "html";
            content.text().set(e.content_html.c_str());
        }
    }
    return to_string(doc);
}

std::string sitemap_xml(const std::vector<SitemapUrl>& urls) {
    auto doc = with_declaration();
    auto root = doc.append_child("urlset");
    root.append_attribute("xmlns") = "http://www.sitemaps.org/schemas/sitemap/0.9";
    for (const auto& u : urls) {
        auto n = root.append_child("url");
        n.append_child("loc").text().set(u.loc.c_str());
        if (u.lastmod) n.append_child("lastmod").text().set(core::format_iso8601_utc(u.lastmod).c_str());
    }
    return to_string(doc);
}

}  // namespace passerelle::web
