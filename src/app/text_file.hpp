// Reading a whole file given on the command line (reference data, imports).
#pragma once

#include <filesystem>
#include <string>

#include "core/result.hpp"

namespace passerelle::app {

// The file's bytes, or an invalid-input error naming the file (in French) when it cannot be read.
core::Result<std::string> read_file(const std::filesystem::path& p);

}  // namespace passerelle::app
