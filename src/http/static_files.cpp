#include "http/static_files.hpp"

#include <chrono>
#include <fstream>
#include <sstream>

namespace passerelle::http {

std::string StaticFiles::content_type(const std::filesystem::path& p) {
    const std::string ext = p.extension().string();
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".js") return "text/javascript; charset=utf-8";
    if (ext == ".json") return "application/json";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".woff2") return "font/woff2";
    if (ext == ".woff") return "font/woff";
    if (ext == ".txt") return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

Response StaticFiles::serve(const Request& req, const std::string& rel) const {
    auto not_found = [] { return Response::text("Fichier introuvable.", 404); };
    if (rel.empty() || rel.find("..") != std::string::npos || rel.find('\\') != std::string::npos || rel.front() == '/')
        return not_found();
    std::filesystem::path p = root_ / rel;
    std::error_code ec;
    auto canon = std::filesystem::weakly_canonical(p, ec);
    auto root = std::filesystem::weakly_canonical(root_, ec);
    if (ec || canon.string().rfind(root.string(), 0) != 0) return not_found();
    if (!std::filesystem::is_regular_file(canon, ec)) return not_found();
    auto size = std::filesystem::file_size(canon, ec);
    auto mtime = std::filesystem::last_write_time(canon, ec);
    if (ec) return not_found();
    auto ticks = mtime.time_since_epoch().count();
    std::ostringstream tag;
    tag << '"' << std::hex << size << '-' << ticks << '"';
    const std::string etag = tag.str();
    const bool vendor = rel.rfind("vendor/", 0) == 0;
    const std::string cache = vendor ? "public, max-age=604800" : "public, max-age=300, must-revalidate";
    if (req.header("if-none-match") == etag) {
        Response r;
        r.status = 304;
        r.set_header("ETag", etag);
        r.set_header("Cache-Control", cache);
        return r;
    }
    std::ifstream in(canon, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    Response r;
    r.body = ss.str();
    r.set_header("Content-Type", content_type(canon));
    r.set_header("ETag", etag);
    r.set_header("Cache-Control", cache);
    r.set_header("X-Content-Type-Options", "nosniff");
    return r;
}

}  // namespace passerelle::http
