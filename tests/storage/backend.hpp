// Test helper: a fresh, migrated database on the backend named by the test parameter.
// "sqlite": a new file in a temp folder. "postgresql": a new database on the server given by
// PASSERELLE_TEST_PG (started by scripts/with-postgres.sh), dropped at the end.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace passerelle::testing {

class TestDatabase {
  public:
    explicit TestDatabase(const std::string& backend) : backend_(backend) {
        static std::atomic<int> counter{0};
        const std::string tag = std::to_string(::getpid()) + "_" + std::to_string(counter++);
        std::string url;
        if (backend == "sqlite") {
            dir_ = std::filesystem::temp_directory_path() / ("passerelle-test-" + tag);
            std::filesystem::create_directories(dir_);
            url = "sqlite:" + (dir_ / "test.db").string();
        } else {
            const char* admin = std::getenv("PASSERELLE_TEST_PG");
            if (!admin || !*admin) {
                error_ = "PASSERELLE_TEST_PG is not set: run through scripts/with-postgres.sh (make test)";
                return;
            }
            admin_url_ = admin;
            db_name_ = "passerelle_test_" + tag;
            if (!admin_exec("CREATE DATABASE " + db_name_)) return;
            url = admin_url_.substr(0, admin_url_.rfind('/') + 1) + db_name_;
        }
        auto db = storage::open_database(url, 4);
        if (!db) {
            error_ = db.error().message;
            return;
        }
        db_ = std::move(db.value());
        auto m = storage::migrate(*db_, PASSERELLE_MIGRATIONS_DIR);
        if (!m) error_ = m.error().message;
    }
    ~TestDatabase() {
        db_.reset();
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
        if (!db_name_.empty()) admin_exec("DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)");
    }
    storage::Database* get() { return db_.get(); }
    const std::string& error() const { return error_; }

  private:
    bool admin_exec(const std::string& sql) {
        PGconn* c = PQconnectdb(admin_url_.c_str());
        bool ok = PQstatus(c) == CONNECTION_OK;
        if (ok) {
            PGresult* r = PQexec(c, sql.c_str());
            ok = PQresultStatus(r) == PGRES_COMMAND_OK;
            if (!ok) error_ = PQresultErrorMessage(r);
            PQclear(r);
        } else {
            error_ = PQerrorMessage(c);
        }
        PQfinish(c);
        return ok;
    }

    std::string backend_;
    std::filesystem::path dir_;
    std::string admin_url_;
    std::string db_name_;
    std::string error_;
    std::unique_ptr<storage::Database> db_;
};

// Fixture parameterised by backend name.
class BackendTest : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override {
        tdb_ = std::make_unique<TestDatabase>(GetParam());
        ASSERT_TRUE(tdb_->error().empty()) << tdb_->error();
        db = tdb_->get();
    }
    void TearDown() override { tdb_.reset(); }
    storage::Database* db = nullptr;

  private:
    std::unique_ptr<TestDatabase> tdb_;
};

}  // namespace passerelle::testing
