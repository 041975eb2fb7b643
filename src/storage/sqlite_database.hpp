// SQLite adapter: WAL journal, foreign keys on, 5 s busy timeout, one connection per pooled slot.
#pragma once

#include <memory>
#include <string>

#include "storage/database.hpp"

namespace passerelle::storage {

Result<std::unique_ptr<Database>> make_sqlite_database(const std::string& path, int pool_size);

}  // namespace passerelle::storage
