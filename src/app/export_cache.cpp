#include "app/export_cache.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <vector>

#include "app/crypto.hpp"

namespace passerelle::app {

namespace fs = std::filesystem;

namespace {

std::int64_t mtime_seconds(const fs::path& p) {
    std::error_code ec;
    auto t = fs::last_write_time(p, ec);
    if (ec) return 0;
    auto sys = std::chrono::file_clock::to_sys(t);
    return std::chrono::duration_cast<std::chrono::seconds>(sys.time_since_epoch()).count();
}

}  // namespace

ExportCache::ExportCache(fs::path dir, std::size_t max_files) : dir_(std::move(dir)), max_files_(max_files) {}

core::Result<ExportCache::Entry> ExportCache::get(const std::string& selection, const std::string& version,
                                                  const std::function<core::Status(std::ostream&)>& build) {
    const std::string hash = sha256_hex(selection + '\n' + version);
    const fs::path path = dir_ / (hash.substr(0, 40) + ".export");
    Entry e;
    e.path = path.string();
    e.etag = "\"" + hash.substr(0, 32) + "\"";
    std::lock_guard lock(mu_);
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        fs::create_directories(dir_, ec);
        const fs::path tmp = dir_ / (hash.substr(0, 40) + ".tmp");
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            if (!out) return core::Error::Unavailable("export : écriture impossible dans " + dir_.string());
            if (auto st = build(out); !st) {
                out.close();
                fs::remove(tmp, ec);
                return st.error();
            }
            out.flush();
            if (!out) {
                fs::remove(tmp, ec);
                return core::Error::Unavailable("export : écriture impossible (disque plein ?)");
            }
        }
        fs::rename(tmp, path, ec);
        if (ec) return core::Error::Unavailable("export : " + ec.message());
        e.built_now = true;
        trim();
    }
    e.modified = mtime_seconds(path);
    e.size = static_cast<std::uint64_t>(fs::file_size(path, ec));
    if (ec) return core::Error::Unavailable("export : " + ec.message());
    return e;
}

void ExportCache::trim() {
    std::vector<std::pair<fs::file_time_type, fs::path>> files;
    std::error_code ec;
    for (const auto& f : fs::directory_iterator(dir_, ec))
        if (f.path().extension() == ".export") files.emplace_back(f.last_write_time(ec), f.path());
    if (files.size() <= max_files_) return;
    std::sort(files.begin(), files.end());
    // Removing a file being sent is safe: the open descriptor keeps its contents until the send ends.
    for (std::size_t i = 0; i + max_files_ < files.size(); ++i) fs::remove(files[i].second, ec);
}

}  // namespace passerelle::app
