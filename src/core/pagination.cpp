#include "core/pagination.hpp"

#include <charconv>

namespace passerelle::core {

static bool parse_int(const std::string& s, int& out) {
    if (s.empty() || s.size() > 9) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

bool parse_page(const std::string& page, const std::string& per_page, Page& out, std::string& why, int default_per_page,
                int max_per_page) {
    out = Page{1, default_per_page};
    if (!page.empty() && (!parse_int(page, out.page) || out.page < 1 || out.page > 100000)) {
        why = "Le paramètre page doit être un entier entre 1 et 100000.";
        return false;
    }
    if (!per_page.empty() && (!parse_int(per_page, out.per_page) || out.per_page < 1 || out.per_page > max_per_page)) {
        why = "Le paramètre per_page doit être un entier entre 1 et " + std::to_string(max_per_page) + ".";
        return false;
    }
    return true;
}

int page_count(std::int64_t total, int per_page) {
    if (total <= 0) return 1;
    return static_cast<int>((total + per_page - 1) / per_page);
}

std::string link_header(const std::string& base, const Page& p, std::int64_t total) {
    const char sep = base.find('?') == std::string::npos ? '?' : '&';
    auto url = [&](int page) {
        return "<" + base + sep + "page=" + std::to_string(page) + "&per_page=" + std::to_string(p.per_page) + ">";
    };
    int last = page_count(total, p.per_page);
    std::string out = url(1) + "; rel=\"first\"";
    if (p.page > 1) out += ", " + url(std::min(p.page - 1, last)) + "; rel=\"prev\"";
    if (p.page < last) out += ", " + url(p.page + 1) + "; rel=\"next\"";
    out += ", " + url(last) + "; rel=\"last\"";
    return out;
}

}  // namespace passerelle::core
