// Tender document metadata and the download log (the bytes live in the BlobStore, by content hash).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage::documents {

struct DocumentRecord {
    std::int64_t id = 0;
    std::int64_t notice_id = 0;
    std::string filename;
    std::string content_type;
    std::int64_t size = 0;
    std::string sha256;
    std::int64_t uploaded_at = 0;
    std::int64_t downloads = 0;  // read only
};

struct DownloadRecord {
    std::string document;
    std::string user_name;
    std::string user_email;
    std::string organisations;  // the downloader's organisations, comma separated
    std::int64_t at = 0;
};

Result<std::int64_t> insert_document(Connection& c, const DocumentRecord& d, std::optional<std::int64_t> uploaded_by);
Result<std::vector<DocumentRecord>> list_documents(Connection& c, std::int64_t notice_id);
Result<std::optional<DocumentRecord>> find_document(Connection& c, std::int64_t id);
Status record_download(Connection& c, std::int64_t document_id, std::optional<std::int64_t> user_id, std::int64_t at);
Result<std::vector<DownloadRecord>> downloads(Connection& c, std::int64_t notice_id);

}  // namespace passerelle::storage::documents
