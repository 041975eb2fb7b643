#include "app/password_quality.hpp"

#include <pwquality.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <memory>

namespace passerelle::app {

namespace {

// Words no password should be built on here: the platform's name, keyboard rows, and French bases that
// cracklib's English dictionary does not know.
constexpr const char* kBadWords =
    "passerelle azerty qwerty qwertz motdepasse bonjour soleil doudou chouchou loulou marseille paris france "
    "mairie acheteur marche marches entreprise";

bool dictionary_present() {
    static const bool present = [] {
        std::error_code ec;
        const bool ok = std::filesystem::exists("/var/cache/cracklib/cracklib_dict.pwd", ec) ||
                        std::filesystem::exists("/usr/share/cracklib/pw_dict.pwd", ec);
        if (!ok) spdlog::warn("password quality: cracklib dictionary missing (apt-get install cracklib-runtime)");
        return ok;
    }();
    return present;
}

std::string french_reason(int code) {
    switch (code) {
        case PWQ_ERROR_CRACKLIB_CHECK:
            return "Ce mot de passe repose sur un mot du dictionnaire : ajoutez d'autres mots et des caractères "
                   "variés.";
        case PWQ_ERROR_BAD_WORDS:
            return "Ce mot de passe contient un mot trop prévisible (le nom de la plateforme, « azerty », un mot "
                   "courant…).";
        case PWQ_ERROR_MAX_SEQUENCE:
        case PWQ_ERROR_MAX_CONSECUTIVE:
        case PWQ_ERROR_MAX_CLASS_REPEAT:
            return "Ce mot de passe contient une suite ou une répétition trop longue (1234, abcd, aaaa).";
        case PWQ_ERROR_PALINDROME:
            return "Ce mot de passe se lit de la même façon dans les deux sens.";
        case PWQ_ERROR_USER_CHECK:
        case PWQ_ERROR_GECOS_CHECK:
            return "Ce mot de passe ne doit pas contenir votre adresse e-mail.";
        default:
            return "Ce mot de passe est trop facile à deviner : choisissez une phrase de plusieurs mots.";
    }
}

}  // namespace

std::optional<std::string> password_weakness(const std::string& password, const std::string& email) {
    std::unique_ptr<pwquality_settings_t, decltype(&pwquality_free_settings)> s(pwquality_default_settings(),
                                                                                &pwquality_free_settings);
    if (!s) return std::nullopt;
    pwquality_set_int_value(s.get(), PWQ_SETTING_MIN_LENGTH, 6);  // core's rule (10) comes first
    pwquality_set_int_value(s.get(), PWQ_SETTING_MAX_REPEAT, 3);
    pwquality_set_int_value(s.get(), PWQ_SETTING_MAX_SEQUENCE, 4);
    pwquality_set_int_value(s.get(), PWQ_SETTING_DICT_CHECK, dictionary_present() ? 1 : 0);
    pwquality_set_int_value(s.get(), PWQ_SETTING_USER_CHECK, 1);
    pwquality_set_str_value(s.get(), PWQ_SETTING_BAD_WORDS, kBadWords);
    const std::string user = email.substr(0, email.find('@'));
    void* aux = nullptr;
    const int score = pwquality_check(s.get(), password.c_str(), nullptr, user.empty() ? nullptr : user.c_str(), &aux);
    if (aux) {
        char buf[256];
        (void)pwquality_strerror(buf, sizeof buf, score, aux);  // frees the auxiliary error
    }
    if (score >= 0) return std::nullopt;
    return french_reason(score);
}

}  // namespace passerelle::app
