// Places: French NUTS-3 regions (as in EU eForms notices) and the départements they are.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace passerelle::core {

// "FRD22" -> {"76"}; a NUTS-1 or NUTS-2 code ("FR10") -> every département under it; {} otherwise.
std::vector<std::string> departements_of_nuts(std::string_view nuts);

}  // namespace passerelle::core
