// Static files under one root folder: content types, strong ETags (size + mtime), If-None-Match -> 304,
// Cache-Control (long for versioned vendor assets, short otherwise). Refuses paths that leave the root.
#pragma once

#include <filesystem>
#include <string>

#include "http/message.hpp"

namespace passerelle::http {

class StaticFiles {
  public:
    explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}
    // `rel` is the path below the mount point, e.g. "css/theme.css".
    Response serve(const Request& req, const std::string& rel) const;
    static std::string content_type(const std::filesystem::path& p);

  private:
    std::filesystem::path root_;
};

}  // namespace passerelle::http
