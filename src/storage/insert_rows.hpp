#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "storage/database.hpp"

namespace passerelle::storage {

// Many rows by multi-row INSERT statements. `insert` is the one-row statement ("INSERT INTO t (a, b)
// VALUES (?, ?)…": what follows its VALUES tuple is dropped); calls statement(from, n, sql) for the rows
// [from, from + n) of `count`, at most `per_statement` a statement (keep n × columns within every backend's
// parameter limit: 999 is safe), `sql` repeating the VALUES tuple n times, then `tail` ("ON CONFLICT …
// RETURNING …", or empty). Stops at the first error.
Status insert_rows(std::string_view insert, std::string_view tail, std::size_t count, std::size_t per_statement,
                   const std::function<Status(std::size_t from, std::size_t n, const std::string& sql)>& statement);

}  // namespace passerelle::storage
