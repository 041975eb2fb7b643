#include "app/blob_store.hpp"

#include <fstream>
#include <sstream>

#include "app/crypto.hpp"

namespace passerelle::app {

std::filesystem::path FileBlobStore::path_of(const std::string& sha) const { return dir_ / sha.substr(0, 2) / sha; }

core::Result<std::string> FileBlobStore::put(std::string_view bytes) {
    std::string sha = sha256_hex(bytes);
    auto path = path_of(sha);
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) return sha;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return core::Error::Unavailable("stockage des documents indisponible : " + ec.message());
    auto tmp = path;
    tmp += ".tmp-" + random_token(8);
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) return core::Error::Unavailable("écriture du document impossible");
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) return core::Error::Unavailable("enregistrement du document impossible : " + ec.message());
    return sha;
}

core::Result<std::string> FileBlobStore::get(const std::string& sha) {
    if (sha.size() != 64 || sha.find_first_not_of("0123456789abcdef") != std::string::npos)
        return core::Error::NotFound("Document introuvable.");
    std::ifstream in(path_of(sha), std::ios::binary);
    if (!in) return core::Error::NotFound("Le fichier de ce document est introuvable.");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace passerelle::app
