// PostgreSQL adapter (libpq): text-format parameters and results, '?' rewritten to $n.
#pragma once

#include <memory>
#include <string>

#include "storage/database.hpp"

namespace passerelle::storage {

Result<std::unique_ptr<Database>> make_pg_database(const std::string& url, int pool_size);

}  // namespace passerelle::storage
