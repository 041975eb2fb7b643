// Numbered SQL migrations (migrations/NNN_name.sql), applied in order, each in its own transaction, and
// recorded in schema_migrations. A file NNN_name.sqlite.sql or NNN_name.postgresql.sql applies to that
// dialect only. The token {{id}} becomes the dialect's auto-increment primary key.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage {

struct Migration {
    int version = 0;
    std::string name;
    std::string sql;
};

// Reads the migrations that apply to the dialect, sorted by version. Fails on duplicate versions.
Result<std::vector<Migration>> load_migrations(const std::filesystem::path& dir, Dialect dialect);

std::string render_migration(const std::string& sql, Dialect dialect);

// Applies the missing ones; returns how many were applied.
Result<int> migrate(Database& db, const std::filesystem::path& dir);

// Highest applied version (0 when none).
Result<int> schema_version(Database& db);

}  // namespace passerelle::storage
