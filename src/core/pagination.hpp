// Pagination of lists (pages and the JSON API): page/per_page parsing with bounds, and the RFC 8288
// Link header the API returns.
#pragma once

#include <cstdint>
#include <string>

namespace passerelle::core {

struct Page {
    int page = 1;
    int per_page = 20;
    std::int64_t offset() const { return static_cast<std::int64_t>(page - 1) * per_page; }
};

// Parses query values; empty means default. Out-of-range or non-numeric values fail with a French reason.
bool parse_page(const std::string& page, const std::string& per_page, Page& out, std::string& why,
                int default_per_page = 20, int max_per_page = 100);

int page_count(std::int64_t total, int per_page);

// Link header with first/prev/next/last for base_url (which must not carry page or per_page).
std::string link_header(const std::string& base_url, const Page& p, std::int64_t total);

}  // namespace passerelle::core
