#include "http/router.hpp"

#include <algorithm>

namespace passerelle::http {

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < path.size()) {
        if (path[pos] == '/') {
            ++pos;
            continue;
        }
        std::size_t end = path.find('/', pos);
        if (end == std::string::npos) end = path.size();
        out.push_back(path.substr(pos, end - pos));
        pos = end;
    }
    return out;
}

void Router::add(const std::string& method, const std::string& pattern, Handler handler, RouteOptions options,
                 std::string access) {
    Route r{method, pattern, split_path(pattern), std::move(handler), options, 0, std::move(access)};
    for (const auto& s : r.segments)
        if (s.empty() || s.front() != '{') ++r.literal_count;
    routes_.push_back(std::move(r));
}

Router::Match Router::match(const std::string& method, const std::string& path) const {
    const std::vector<std::string> segs = split_path(path);
    const std::string m = method == "HEAD" ? "GET" : method;
    Match best;
    int best_literals = -1;
    std::vector<std::string> allowed;
    for (const auto& r : routes_) {
        const bool rest = !r.segments.empty() && r.segments.back().rfind("{*", 0) == 0;
        if (rest ? segs.size() < r.segments.size() : r.segments.size() != segs.size()) continue;
        std::map<std::string, std::string> params;
        bool ok = true;
        for (std::size_t i = 0; i < r.segments.size() && ok; ++i) {
            const auto& p = r.segments[i];
            if (rest && i + 1 == r.segments.size()) {
                std::string tail;
                for (std::size_t k = i; k < segs.size(); ++k) tail += (k > i ? "/" : "") + segs[k];
                params[p.substr(2, p.size() - 3)] = tail;
            } else if (!p.empty() && p.front() == '{' && p.back() == '}') {
                if (segs[i].empty()) ok = false;
                params[p.substr(1, p.size() - 2)] = segs[i];
            } else if (p != segs[i]) {
                ok = false;
            }
        }
        if (!ok) continue;
        if (r.method != m) {
            allowed.push_back(r.method);
            continue;
        }
        if (r.literal_count > best_literals) {
            best_literals = r.literal_count;
            best.kind = MatchKind::kFound;
            best.handler = &r.handler;
            best.params = std::move(params);
            best.body_limit = r.options.body_limit;
            best.heavy = r.options.heavy;
        }
    }
    if (best.kind != MatchKind::kFound && !allowed.empty()) {
        best.kind = MatchKind::kMethodNotAllowed;
        std::sort(allowed.begin(), allowed.end());
        allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
        best.allowed = allowed;
    }
    return best;
}

std::vector<RouteInfo> Router::routes() const {
    std::vector<RouteInfo> out;
    for (const auto& r : routes_) out.push_back({r.method, r.pattern, r.access});
    return out;
}

}  // namespace passerelle::http
