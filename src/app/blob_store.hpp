// BlobStore: file contents kept by the SHA-256 of their bytes (the same file uploaded twice is stored once).
// FileBlobStore writes under a folder (var/documents/ab/abcdef…), atomically (temporary file + rename).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace passerelle::app {

class BlobStore {
  public:
    virtual ~BlobStore() = default;
    // Stores the bytes; returns their SHA-256 (hex).
    virtual core::Result<std::string> put(std::string_view bytes) = 0;
    virtual core::Result<std::string> get(const std::string& sha256) = 0;
};

class FileBlobStore final : public BlobStore {
  public:
    explicit FileBlobStore(std::filesystem::path dir) : dir_(std::move(dir)) {}
    core::Result<std::string> put(std::string_view bytes) override;
    core::Result<std::string> get(const std::string& sha256) override;

  private:
    std::filesystem::path path_of(const std::string& sha256) const;
    std::filesystem::path dir_;
};

}  // namespace passerelle::app
