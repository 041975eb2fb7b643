#include "storage/database.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <tuple>

#include "storage/insert_rows.hpp"
#include "storage/migrations.hpp"

using namespace passerelle::storage;

TEST(Placeholders, RewritesOutsideQuotesOnly) {
    EXPECT_EQ(to_postgres_placeholders("SELECT ? , '?', \"a?\" WHERE x = ?"), "SELECT $1 , '?', \"a?\" WHERE x = $2");
}

TEST(InsertRows, StatementsOfAtMostNRowsFollowedByTheTailAndStopAtTheFirstError) {
    std::vector<std::tuple<std::size_t, std::size_t, std::string>> seen;
    auto record = [&](std::size_t from, std::size_t n, const std::string& sql) -> passerelle::core::Status {
        seen.emplace_back(from, n, sql);
        return {};
    };
    ASSERT_TRUE(
        insert_rows("INSERT INTO t (a, b) VALUES (?, ?) RETURNING id", "ON CONFLICT (a) DO NOTHING", 5, 2, record)
            .ok());
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0],
              std::make_tuple(std::size_t{0}, std::size_t{2},
                              std::string("INSERT INTO t (a, b) VALUES (?, ?), (?, ?) ON CONFLICT (a) DO NOTHING")));
    EXPECT_EQ(seen[2], std::make_tuple(std::size_t{4}, std::size_t{1},
                                       std::string("INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO NOTHING")));
    seen.clear();
    EXPECT_TRUE(insert_rows("INSERT INTO t (a) VALUES (?)", "", 0, 2, record).ok());
    EXPECT_TRUE(seen.empty());
    int calls = 0;
    auto failing = [&](std::size_t, std::size_t, const std::string&) -> passerelle::core::Status {
        ++calls;
        return passerelle::core::Error::Internal("disk full");
    };
    EXPECT_FALSE(insert_rows("INSERT INTO t (a) VALUES (?)", "", 10, 2, failing).ok());
    EXPECT_EQ(calls, 1);
    EXPECT_FALSE(insert_rows("DELETE FROM t", "", 1, 2, record).ok());  // no VALUES tuple
}

TEST(Migrations, RendersIdPerDialect) {
    EXPECT_EQ(render_migration("id {{id}},", Dialect::kSqlite), "id INTEGER PRIMARY KEY AUTOINCREMENT,");
    EXPECT_NE(render_migration("id {{id}},", Dialect::kPostgres).find("IDENTITY"), std::string::npos);
}

TEST(Rows, TypedAccessors) {
    Row r({std::string("42"), std::nullopt, std::string("t"), std::string("1.5")});
    EXPECT_EQ(r.int64(0), 42);
    EXPECT_TRUE(r.is_null(1));
    EXPECT_FALSE(r.opt_int64(1).has_value());
    EXPECT_TRUE(r.boolean(2));
    EXPECT_DOUBLE_EQ(r.real(3), 1.5);
}

TEST(OpenDatabase, RejectsUnknownScheme) {
    auto db = open_database("mysql://x");
    ASSERT_FALSE(db.ok());
    EXPECT_EQ(db.error().code, passerelle::core::ErrorCode::kInvalidInput);
}

TEST(Backup, RoundTripAndRefusals) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("passerelle-backup-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string url = "sqlite:" + (dir / "live.db").string(), file = (dir / "copy.db").string();
    {
        auto db = open_database(url, 2).value();
        ASSERT_TRUE(migrate(*db, PASSERELLE_MIGRATIONS_DIR).ok());
        ASSERT_TRUE(db->exec("INSERT INTO settings (key, value) VALUES ('k', 'before')").ok());
        ASSERT_TRUE(backup_database(url, file).ok());  // while the database is open
        ASSERT_TRUE(db->exec("UPDATE settings SET value = 'after' WHERE key = 'k'").ok());
    }
    ASSERT_TRUE(restore_database(url, file).ok());
    {
        auto db = open_database(url, 1).value();
        EXPECT_EQ(db->query("SELECT value FROM settings WHERE key = 'k'").value()[0].text(0), "before");
    }
    // Not a backup of ours: refused, the live database unchanged.
    { std::ofstream(dir / "junk.db") << "not a database at all"; }
    EXPECT_FALSE(restore_database(url, (dir / "junk.db").string()).ok());
    { auto other = open_database("sqlite:" + (dir / "other.db").string(), 1).value(); }
    EXPECT_FALSE(restore_database(url, (dir / "other.db").string()).ok());  // SQLite, but no schema of ours
    EXPECT_EQ(open_database(url, 1).value()->query("SELECT value FROM settings WHERE key = 'k'").value()[0].text(0),
              "before");
    EXPECT_EQ(backup_database("postgresql://x@localhost/db", file).error().code,
              passerelle::core::ErrorCode::kInvalidInput);
    fs::remove_all(dir);
}
