#include "app/text_file.hpp"

#include <fstream>
#include <sstream>

namespace passerelle::app {

core::Result<std::string> read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return core::Error::Invalid("Impossible de lire le fichier " + p.string());
    std::string out;
    // A regular file is read in one piece at its size (a stream would copy it several times as it grows);
    // anything it has beyond that size, or a pipe's content, after it.
    std::error_code ec;
    if (std::filesystem::is_regular_file(p, ec)) {
        const auto size = std::filesystem::file_size(p, ec);
        if (!ec && size > 0) {
            // (64 bytes of room after the end let a JSON parser that reads ahead in blocks, simdjson, parse
            // the string in place.)
            out.reserve(size + 64);
            out.resize(size);
            in.read(out.data(), static_cast<std::streamsize>(size));
            out.resize(static_cast<std::size_t>(in.gcount()));
            if (in.eof()) in.clear(in.rdstate() & ~(std::ios::eofbit | std::ios::failbit));
        }
    }
    if (in && in.peek() != std::char_traits<char>::eof()) {
        std::ostringstream rest;
        rest << in.rdbuf();
        out += rest.str();
    }
    if (in.bad()) return core::Error::Invalid("Impossible de lire le fichier " + p.string());
    return out;
}

}  // namespace passerelle::app
