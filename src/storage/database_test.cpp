#include "storage/database.hpp"

#include <gtest/gtest.h>

#include "storage/migrations.hpp"

using namespace passerelle::storage;

TEST(Placeholders, RewritesOutsideQuotesOnly) {
    EXPECT_EQ(to_postgres_placeholders("SELECT ? , '?', \"a?\" WHERE x = ?"), "SELECT $1 , '?', \"a?\" WHERE x = $2");
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
