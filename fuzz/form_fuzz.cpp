// Form and query-string decoding, multipart bodies: the first line of the input is the Content-Type header,
// the rest the body. Checks that percent-encoding round-trips and that multipart parts are within the body.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "http/message.hpp"
#include "http/multipart.hpp"

using namespace passerelle::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    auto nl = in.find('\n');
    std::string_view content_type = nl == std::string_view::npos ? std::string_view() : in.substr(0, nl);
    std::string_view body = nl == std::string_view::npos ? in : in.substr(nl + 1);

    Params p = parse_urlencoded(body);
    for (const auto& [k, v] : p) FUZZ_CHECK(k.size() + v.size() <= body.size());
    FUZZ_CHECK(url_decode(url_encode(body), false) == body);
    FUZZ_CHECK(url_decode(url_encode(body), true) == body);
    (void)url_decode(body, false);

    std::string why;
    if (auto parts = parse_multipart(content_type, body, &why)) {
        std::size_t total = 0;
        for (const auto& part : *parts) total += part.data.size();
        FUZZ_CHECK(total <= body.size());
    } else {
        FUZZ_CHECK(!why.empty());
    }
    return 0;
}
