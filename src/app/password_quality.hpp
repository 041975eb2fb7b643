// Password quality beyond core::password_problems (length, character classes, the address): libpwquality with
// cracklib's dictionary (Debian's libpwquality and cracklib-runtime), which refuses passwords based on a
// dictionary word, with long repetitions or sequences (aaaa, 1234, abcd), palindromes, the person's address,
// and predictable words (the platform's name, keyboard rows, common French bases).
//
// Thread-safe (each call has its own settings). Without the dictionary on the machine the other checks still
// run (logged once).
#pragma once

#include <optional>
#include <string>

namespace passerelle::app {

// Why this new password is too easy to guess, in French; nullopt when it is acceptable.
// `name` is the person's name (its words of four letters or more are refused too).
std::optional<std::string> password_weakness(const std::string& password, const std::string& email,
                                             const std::string& name = "");

}  // namespace passerelle::app
