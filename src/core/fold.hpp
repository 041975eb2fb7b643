// Accent and case folding for French text: "Énergétique" -> "energetique", "Œuvre" -> "oeuvre".
// Used for autocomplete and search so that people need not type accents. Pure (ICU), thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace passerelle::core {

std::string fold(std::string_view utf8);

}  // namespace passerelle::core
