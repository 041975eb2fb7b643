// Uploaded cover images, checked by decoding their header (libpng, libjpeg): damaged or foreign bytes give
// a French reason; accepted ones are PNG or JPEG with positive dimensions.
#include <cstdint>
#include <string_view>

#include "app/media.hpp"
#include "fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto r = passerelle::app::image_info(std::string_view(reinterpret_cast<const char*>(data), size));
    if (r) {
        FUZZ_CHECK(r->mime == "image/png" || r->mime == "image/jpeg");
        FUZZ_CHECK(r->width > 0 && r->height > 0);
    } else {
        FUZZ_CHECK(!r.error().message.empty());
    }
    return 0;
}
