#include "storage/sqlite_database.hpp"

#include <sqlite3.h>

#include <cstdio>
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
                const std::string_view s =
                    std::holds_alternative<TextView>(v) ? std::get<TextView>(v).text : std::get<std::string>(v);
                // (A view of nothing has no data pointer, which SQLite would bind as NULL.)
                rc = sqlite3_bind_text(stmt, idx, s.data() ? s.data() : "", static_cast<int>(s.size()),
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

namespace {

// Copies every page of `from` into `to` with SQLite's online backup (a consistent snapshot even while
// other connections write).
Status copy_pages(sqlite3* from, sqlite3* to, const std::string& what) {
    sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) return Error::Internal(what + ": " + sqlite3_errmsg(to));
    int rc;
    do {
        rc = sqlite3_backup_step(b, 1024);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) return Error::Internal(what + ": " + sqlite3_errstr(rc));
    return {};
}

struct Handle {
    sqlite3* db = nullptr;
    ~Handle() { sqlite3_close_v2(db); }
};

Status open_file(const std::string& path, int flags, Handle& h) {
    if (sqlite3_open_v2(path.c_str(), &h.db, flags, nullptr) != SQLITE_OK)
        return Error::Unavailable("sqlite open " + path + ": " + (h.db ? sqlite3_errmsg(h.db) : "out of memory"));
    sqlite3_busy_timeout(h.db, 5000);
    return {};
}

// "ok" from PRAGMA integrity_check and a Passerelle schema (its migrations table), else why not.
std::string check_backup(sqlite3* db) {
    sqlite3_stmt* st = nullptr;
    std::string verdict = "not an SQLite database";
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        verdict = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (verdict != "ok") return "integrity check failed: " + verdict;
    st = nullptr;
    bool ours = sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM schema_migrations", -1, &st, nullptr) == SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0;
    sqlite3_finalize(st);
    return ours ? "" : "not a Passerelle database (no applied migrations)";
}

}  // namespace

Status sqlite_backup(const std::string& path, const std::string& file) {
    Handle from, to;
    if (auto s = open_file(path, SQLITE_OPEN_READONLY, from); !s) return s;
    const std::string tmp = file + ".part";
    std::remove(tmp.c_str());
    if (auto s = open_file(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, to); !s) return s;
    if (auto s = copy_pages(from.db, to.db, "backup"); !s) return s;
    if (auto why = check_backup(to.db); !why.empty()) return Error::Internal("backup: " + why);
    sqlite3_close_v2(to.db);
    to.db = nullptr;
    if (std::rename(tmp.c_str(), file.c_str()) != 0) return Error::Internal("backup: cannot write " + file);
    return {};
}

Status sqlite_restore(const std::string& file, const std::string& path) {
    Handle from, to;
    if (auto s = open_file(file, SQLITE_OPEN_READONLY, from); !s) return s;
    if (auto why = check_backup(from.db); !why.empty()) return Error::Invalid(file + ": " + why);
    if (auto s = open_file(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, to); !s) return s;
    return copy_pages(from.db, to.db, "restore");
}

Result<std::unique_ptr<Database>> make_sqlite_database(const std::string& path, int pool_size) {
    auto db = std::make_unique<SqliteDatabase>(path, pool_size);
    // Open one connection now so that a bad path fails at start-up, not at the first request.
    Status probe = db->with_connection([](Connection&) -> Status { return {}; });
    if (!probe) return probe.error();
    return std::unique_ptr<Database>(std::move(db));
}

}  // namespace passerelle::storage
