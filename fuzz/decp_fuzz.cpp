// DECP open data as published: the 2019 and 2024 JSON formats and the tabular CSV, read record by record
// (format detection, simdjson on demand, the CSV reader) and each record normalised as the importer does.
#include <cstdint>
#include <string>

#include "app/decp_import.hpp"
#include "core/decp.hpp"
#include "core/validation.hpp"
#include "fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    if (size % 2) text.reserve(size + 64);  // room for simdjson's padding: JSON parsed in place, else copied
    passerelle::app::ImportReport report;
    std::int64_t last = 0;
    auto sink = [&](std::int64_t position, passerelle::core::RawContract raw) -> passerelle::core::Status {
        FUZZ_CHECK(position > last);  // positions grow: the report can say where a record was
        last = position;
        ++report.read;
        auto c = passerelle::core::normalise(raw);
        if (!c) {
            FUZZ_CHECK(!c.error().message.empty());
        } else {  // what is kept is UTF-8 (pages and exports serialise it)
            FUZZ_CHECK(passerelle::core::is_valid_utf8(c->object) && passerelle::core::is_valid_utf8(c->buyer.name) &&
                       passerelle::core::is_valid_utf8(c->source_id) && passerelle::core::is_valid_utf8(c->key));
            for (const auto& s : c->suppliers) FUZZ_CHECK(passerelle::core::is_valid_utf8(s.name));
        }
        return {};
    };
    auto st = passerelle::app::read_decp(text, report, sink);
    FUZZ_CHECK(st.ok());
    FUZZ_CHECK(!report.format.empty() || !report.stopped.empty());  // a format read, or why not
    return 0;
}
