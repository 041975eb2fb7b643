#include "app/password_quality.hpp"

#include <pwquality.h>
#include <spdlog/spdlog.h>

#include <cctype>
#include <filesystem>
#include <memory>

namespace passerelle::app {

namespace {

// Words no password should be built on here: the platform's name, keyboard rows, and French bases that
// cracklib's English dictionary does not know.
constexpr const char* kBadWords =
    "passerelle azerty qwerty qwertz motdepasse password welcome iloveyou admin administrateur bonjour soleil "
    "doudou chouchou loulou marseille paris france mairie acheteur marche marches entreprise";

// The password as its letters read ("P@ssw0rd" -> "password"): checked too, so that swapping letters for
// look-alike digits and symbols does not hide a dictionary word.
std::string unleet(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
        switch (c) {
            case '@':
            case '4':
                out += 'a';
                break;
            case '0':
                out += 'o';
                break;
            case '1':
            case '!':
                out += 'i';
                break;
            case '3':
                out += 'e';
                break;
            case '5':
            case '$':
                out += 's';
                break;
            case '7':
                out += 't';
                break;
            default:
                out += static_cast<char>(std::tolower(c));
        }
    }
    return out;
}

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
            return "Ce mot de passe contient un mot trop prévisible : votre nom, le nom de la plateforme, « azerty », "
                   "un mot courant…";
        case PWQ_ERROR_MAX_SEQUENCE:
        case PWQ_ERROR_MAX_CONSECUTIVE:
        case PWQ_ERROR_MAX_CLASS_REPEAT:
            return "Ce mot de passe contient une suite ou une répétition trop longue (1234, abcd, aaaa).";
        case PWQ_ERROR_PALINDROME:
            return "Ce mot de passe se lit de la même façon dans les deux sens, ou répète les mêmes caractères.";
        case PWQ_ERROR_USER_CHECK:
        case PWQ_ERROR_GECOS_CHECK:
            return "Ce mot de passe ne doit pas contenir votre adresse e-mail.";
        default:
            return "Ce mot de passe est trop facile à deviner : choisissez une phrase de plusieurs mots.";
    }
}

std::optional<std::string> check_one(const std::string& password, const std::string& email, const std::string& name);

}  // namespace

std::optional<std::string> password_weakness(const std::string& password, const std::string& email,
                                             const std::string& name) {
    if (auto why = check_one(password, email, name)) return why;
    // The same letters without look-alike swaps; only the reasons about words count there.
    const std::string plain = unleet(password);
    if (plain != password)
        if (auto why = check_one(plain, email, name); why && why->find("mot") != std::string::npos) return why;
    return std::nullopt;
}

namespace {

std::optional<std::string> check_one(const std::string& password, const std::string& email, const std::string& name) {
    std::unique_ptr<pwquality_settings_t, decltype(&pwquality_free_settings)> s(pwquality_default_settings(),
                                                                                &pwquality_free_settings);
    if (!s) return std::nullopt;
    pwquality_set_int_value(s.get(), PWQ_SETTING_MIN_LENGTH, 6);  // core's rule (10) comes first
    pwquality_set_int_value(s.get(), PWQ_SETTING_MAX_REPEAT, 3);
    pwquality_set_int_value(s.get(), PWQ_SETTING_MAX_SEQUENCE, 4);
    pwquality_set_int_value(s.get(), PWQ_SETTING_DICT_CHECK, dictionary_present() ? 1 : 0);
    pwquality_set_int_value(s.get(), PWQ_SETTING_USER_CHECK, 1);
    // The person's own name is as guessable as the platform's.
    std::string bad = kBadWords;
    std::string word;
    for (char ch : name + " ") {
        if (std::isalpha(static_cast<unsigned char>(ch))) {
            word += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        } else {
            if (word.size() >= 4) bad += " " + word;
            word.clear();
        }
    }
    pwquality_set_str_value(s.get(), PWQ_SETTING_BAD_WORDS, bad.c_str());
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

}  // namespace

}  // namespace passerelle::app
