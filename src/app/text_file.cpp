#include "app/text_file.hpp"

#include <fstream>
#include <sstream>

namespace passerelle::app {

core::Result<std::string> read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return core::Error::Invalid("Impossible de lire le fichier " + p.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return core::Error::Invalid("Impossible de lire le fichier " + p.string());
    return ss.str();
}

}  // namespace passerelle::app
