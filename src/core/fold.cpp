#include "core/fold.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace passerelle::core {

namespace {

bool ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

}  // namespace

// Canonical decomposition (ICU's NFD, immutable and thread-safe), combining marks dropped, simple lower
// case, œ/æ spelt out. ASCII text, the common case, takes a fast path with the same result.
std::string fold(std::string_view utf8) {
    if (ascii(utf8)) {
        std::string out(utf8);
        for (char& c : out)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        return out;
    }
    UErrorCode status = U_ZERO_ERROR;
    static const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    icu::UnicodeString s =
        icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    icu::UnicodeString d = nfd ? nfd->normalize(s, status) : s;
    if (U_FAILURE(status)) d = s;
    icu::UnicodeString out;
    for (int32_t i = 0; i < d.length();) {
        const UChar32 c = d.char32At(i);
        i += U16_LENGTH(c);
        if (u_charType(c) == U_NON_SPACING_MARK) continue;
        const UChar32 l = u_tolower(c);
        if (l == 0x153)
            out.append(u"oe");
        else if (l == 0xE6)
            out.append(u"ae");
        else
            out.append(l);
    }
    std::string result;
    out.toUTF8String(result);
    return result;
}

}  // namespace passerelle::core
