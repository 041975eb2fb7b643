// SIREN (9 digits) and SIRET (14 digits): French company and establishment identifiers.
//
// Both carry a Luhn check. The one documented exception is La Poste (SIREN 356000000), whose
// establishments' SIRETs are valid when the sum of their 14 digits is a multiple of 5.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace passerelle::core {

bool luhn_valid(std::string_view digits);

// Removes spaces, dots and non-breaking spaces that people type inside identifiers.
std::string strip_identifier(std::string_view input);

bool is_valid_siren(std::string_view siren);
bool is_valid_siret(std::string_view siret);

// Normalises then validates; returns the 14 digits, or nullopt with a French reason in *why.
std::optional<std::string> parse_siret(std::string_view input, std::string* why = nullptr);

}  // namespace passerelle::core
