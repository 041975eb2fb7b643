// Tender documents (DCE): what is accepted, decided from the bytes themselves (not from the name or the
// type the browser declares), and a safe display name. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace passerelle::core {

struct DocumentType {
    std::string mime;
    std::string label;  // "PDF", "Document Word"...
};

inline constexpr std::int64_t kMaxDocumentBytes = 50LL * 1024 * 1024;

// What a person is told when the file they chose is empty (0 bytes): it is refused, never dropped silently.
std::string empty_file_message(std::string_view filename);

// PDF, office documents (OOXML and OpenDocument, which are ZIP containers), ZIP archives, PNG, JPEG.
// nullopt for anything else (executables, HTML, scripts...).
std::optional<DocumentType> sniff_document(std::string_view bytes, std::string_view filename);

// The base name without path or control characters, at most 150 characters, never empty.
std::string safe_filename(std::string_view name);

}  // namespace passerelle::core
