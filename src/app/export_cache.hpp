// ExportCache: public exports (CSV of awarded contracts, of notices) built once per selection and per state of
// the data, kept as files and served from disk. A selection asked again while the data has not changed costs
// a file read (or a 304); a build writes page by page into a temporary file (constant memory) and takes its
// place by a rename, so a file being sent is never rewritten. Builds are serialised (one at a time: they run on
// the server's heavy pool anyway); the oldest files go beyond `max_files`.
//
// Thread-safe. Errors: kUnavailable when the folder cannot be written, or the builder's own error.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>

#include "core/result.hpp"

namespace passerelle::app {

class ExportCache {
  public:
    explicit ExportCache(std::filesystem::path dir, std::size_t max_files = 256);

    struct Entry {
        std::string path;       // the file to send
        std::string etag;       // quoted, changes with the selection and the data version
        std::int64_t modified;  // when it was built (Unix seconds), for Last-Modified
        std::uint64_t size;
        bool built_now = false;  // false: served from the cache
    };
    // The file for `selection` at `version`, built by `build` when missing.
    core::Result<Entry> get(const std::string& selection, const std::string& version,
                            const std::function<core::Status(std::ostream&)>& build);

  private:
    void trim();  // called with mu_ held

    std::filesystem::path dir_;
    std::size_t max_files_;
    std::mutex mu_;
};

}  // namespace passerelle::app
