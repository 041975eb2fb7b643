// Notices from outside: eForms (UBL) XML when built with PASSERELLE_FUZZ_EFORMS, BOAMP XML otherwise. A
// document that is not a notice is refused with a French reason; one that is has a source id and a title.
#include <cstdint>
#include <string>

#include "app/notice_import.hpp"
#include "fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string xml(reinterpret_cast<const char*>(data), size);
#ifdef PASSERELLE_FUZZ_EFORMS
    auto r = passerelle::app::parse_eforms(xml);
#else
    auto r = passerelle::app::parse_boamp(xml);
#endif
    if (!r) FUZZ_CHECK(!r.error().message.empty());
    return 0;
}
