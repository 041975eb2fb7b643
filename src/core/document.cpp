#include "core/document.hpp"

#include <algorithm>
#include <cctype>

#include "core/validation.hpp"

namespace passerelle::core {

namespace {

std::string extension(std::string_view name) {
    auto dot = name.rfind('.');
    if (dot == std::string_view::npos) return {};
    std::string ext(name.substr(dot + 1));
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

bool starts(std::string_view b, std::string_view magic) { return b.substr(0, magic.size()) == magic; }

}  // namespace

std::optional<DocumentType> sniff_document(std::string_view b, std::string_view filename) {
    if (b.empty()) return std::nullopt;
    if (starts(b, "%PDF-")) return DocumentType{"application/pdf", "PDF"};
    if (starts(b, "\x89PNG\r\n\x1a\n")) return DocumentType{"image/png", "Image PNG"};
    if (starts(b, "\xFF\xD8\xFF")) return DocumentType{"image/jpeg", "Image JPEG"};
    if (starts(b, std::string_view("PK\x03\x04", 4))) {
        const std::string ext = extension(filename);
        if (ext == "docx")
            return DocumentType{"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                "Document Word"};
        if (ext == "xlsx")
            return DocumentType{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Classeur Excel"};
        if (ext == "odt") return DocumentType{"application/vnd.oasis.opendocument.text", "Document OpenDocument"};
        if (ext == "ods")
            return DocumentType{"application/vnd.oasis.opendocument.spreadsheet", "Classeur OpenDocument"};
        return DocumentType{"application/zip", "Archive ZIP"};
    }
    return std::nullopt;
}

std::string empty_file_message(std::string_view filename) {
    return "Le fichier « " + safe_filename(filename) +
           " » est vide (0 octet) : choisissez un fichier qui a un contenu.";
}

std::string safe_filename(std::string_view name) {
    auto slash = name.find_last_of("/\\");
    if (slash != std::string_view::npos) name = name.substr(slash + 1);
    std::string out;
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7F || c == '"' || c == '<' || c == '>' || c == '|' || c == '*' || c == '?' || c == ':')
            continue;
        out.push_back(static_cast<char>(c));
    }
    if (!is_clean_text(out)) out.clear();
    while (utf8_length(out) > 150) {
        do out.pop_back();
        while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80);
        if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
    }
    std::string trimmed = trim(out);
    while (!trimmed.empty() && trimmed.front() == '.') trimmed.erase(0, 1);
    return trimmed.empty() ? "document" : trimmed;
}

}  // namespace passerelle::core
