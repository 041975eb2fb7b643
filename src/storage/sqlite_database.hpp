// SQLite adapter: WAL journal, foreign keys on, 5 s busy timeout, one connection per pooled slot.
#pragma once

#include <memory>
#include <string>

#include "storage/database.hpp"

namespace passerelle::storage {

Result<std::unique_ptr<Database>> make_sqlite_database(const std::string& path, int pool_size);
// Online backup of the database at `path` into `file` (written whole, then renamed into place; checked).
Status sqlite_backup(const std::string& path, const std::string& file);
// Replaces the database at `path` with the backup `file` (refused unless it passes the integrity check and
// holds a Passerelle schema). No server may be using the database meanwhile.
Status sqlite_restore(const std::string& file, const std::string& path);

}  // namespace passerelle::storage
