#include "storage/sqlite_database.hpp"

#include <sqlite3.h>

#include <string>
#include <unordered_map>

#include "storage/pool.hpp"

namespace passerelle::storage {

namespace {

Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
    std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    int primary = rc & 0xFF;
    if (primary == SQLITE_CONSTRAINT) return Error::Conflict(msg);
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Error::Unavailable(msg);
    return Error::Internal(msg);
}

class SqliteConnection final : public Connection {
  public:
    explicit SqliteConnection(sqlite3* db) : db_(db) {}
    ~SqliteConnection() override {
        clear_cache();
        sqlite3_close_v2(db_);
    }

    Dialect dialect() const override { return Dialect::kSqlite; }

    Result<Rows> query(std::string_view sql, const std::vector<Value>& params) override {
        Rows rows;
        auto st = run(sql, params, &rows);
        if (!st.ok()) return st.error();
        return rows;
    }

    Result<std::int64_t> exec(std::string_view sql, const std::vector<Value>& params) override {
        auto st = run(sql, params, nullptr);
        if (!st.ok()) return st.error();
        return static_cast<std::int64_t>(sqlite3_changes(db_));
    }

    Status exec_script(std::string_view sql) override {
        std::string s(sql);
        char* err = nullptr;
        int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
        if (rc != SQLITE_OK) {
            std::string msg = err ? err : sqlite3_errstr(rc);
            sqlite3_free(err);
            return Error::Internal("script: " + msg);
        }
        return {};
    }

  private:
    Status run(std::string_view sql, const std::vector<Value>& params, Rows* rows) {
        sqlite3_stmt* stmt = nullptr;
        int rc = SQLITE_OK;
        auto cached = cache_.find(sql);
        if (cached != cache_.end()) {
            stmt = cached->second;
        } else {
            rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
            if (rc != SQLITE_OK) return sqlite_error(db_, rc, "prepare");
            if (cache_.size() >= kCacheSize) clear_cache();
            cache_.emplace(std::string(sql), stmt);
        }
        // Reset after use (even on failure) so that the statement holds no lock between calls.
        struct Reset {
            sqlite3_stmt* s;
            ~Reset() {
                sqlite3_reset(s);
                sqlite3_clear_bindings(s);
            }
        } reset{stmt};
        for (std::size_t i = 0; i < params.size(); ++i) {
            int idx = static_cast<int>(i + 1);
            const Value& v = params[i];
            if (std::holds_alternative<Null>(v))
                rc = sqlite3_bind_null(stmt, idx);
            else if (auto* n = std::get_if<std::int64_t>(&v))
                rc = sqlite3_bind_int64(stmt, idx, *n);
            else if (auto* d = std::get_if<double>(&v))
                rc = sqlite3_bind_double(stmt, idx, *d);
            else {
                const auto& s = std::get<std::string>(v);
                rc = sqlite3_bind_text(stmt, idx, s.data(), static_cast<int>(s.size()),
                                       SQLITE_STATIC);  // params outlive the step
            }
            if (rc != SQLITE_OK) return sqlite_error(db_, rc, "bind");
        }
        int ncol = sqlite3_column_count(stmt);
        if (rows) {
            for (int c = 0; c < ncol; ++c) rows->columns.emplace_back(sqlite3_column_name(stmt, c));
        }
        while (true) {
            rc = sqlite3_step(stmt);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) return sqlite_error(db_, rc, "step");
            if (!rows) continue;
            std::vector<std::optional<std::string>> cells;
            cells.reserve(static_cast<std::size_t>(ncol));
            for (int c = 0; c < ncol; ++c) {
                if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
                    cells.emplace_back(std::nullopt);
                } else {
                    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
                    cells.emplace_back(std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c))));
                }
            }
            rows->rows.emplace_back(std::move(cells));
        }
        return {};
    }

    void clear_cache() {
        for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
        cache_.clear();
    }

    // Prepared statements by SQL text: the product's statements are a fixed set of constants, so
    // preparing each once per connection saves most of the cost of small queries (bulk imports).
    static constexpr std::size_t kCacheSize = 256;
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, sqlite3_stmt*, Hash, std::equal_to<>> cache_;
    sqlite3* db_;
};

class SqliteDatabase final : public Database {
  public:
    SqliteDatabase(std::string path, int pool_size)
        : path_(std::move(path)), pool_([this] { return open(); }, path_ == ":memory:" ? 1 : pool_size) {}

    Dialect dialect() const override { return Dialect::kSqlite; }
    std::string describe() const override { return "sqlite:" + path_; }
    Status with_connection(const std::function<Status(Connection&)>& fn) override { return pool_.with(fn); }

  private:
    Result<std::unique_ptr<Connection>> open() {
        sqlite3* db = nullptr;
        int rc = sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
        if (rc != SQLITE_OK) {
            Error e = Error::Unavailable(std::string("sqlite open ") + path_ + ": " + sqlite3_errstr(rc));
            sqlite3_close_v2(db);
            return e;
        }
        auto conn = std::make_unique<SqliteConnection>(db);
        sqlite3_busy_timeout(db, 5000);
        auto st = conn->exec_script(
            "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
            "PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 10000;");
        if (!st) return st.error();
        return std::unique_ptr<Connection>(std::move(conn));
    }

    std::string path_;
    ConnectionPool pool_;
};

}  // namespace

Result<std::unique_ptr<Database>> make_sqlite_database(const std::string& path, int pool_size) {
    auto db = std::make_unique<SqliteDatabase>(path, pool_size);
    // Open one connection now so that a bad path fails at start-up, not at the first request.
    Status probe = db->with_connection([](Connection&) -> Status { return {}; });
    if (!probe) return probe.error();
    return std::unique_ptr<Database>(std::move(db));
}

}  // namespace passerelle::storage
