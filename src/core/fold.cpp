#include "core/fold.hpp"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <mutex>

namespace passerelle::core {

namespace {

// ICU transliterators are not thread-safe for concurrent use: one per thread.
icu::Transliterator* folder() {
    thread_local std::unique_ptr<icu::Transliterator> t = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Transliterator> tr(
            icu::Transliterator::createInstance("NFD; [:Nonspacing Mark:] Remove; Lower; NFC", UTRANS_FORWARD, status));
        return U_SUCCESS(status) ? std::move(tr) : nullptr;
    }();
    return t.get();
}

}  // namespace

std::string fold(std::string_view utf8) {
    icu::UnicodeString s =
        icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    if (auto* t = folder()) t->transliterate(s);
    s.findAndReplace(u"œ", u"oe");
    s.findAndReplace(u"æ", u"ae");
    std::string out;
    s.toUTF8String(out);
    return out;
}

}  // namespace passerelle::core
