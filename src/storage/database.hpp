// Database: the one interface to SQL, with an SQLite and a PostgreSQL adapter.
//
// SQL is written once with '?' placeholders; the PostgreSQL adapter rewrites them to $1..$n. Values are
// always bound, never spliced. Results come back as text cells (NULL is an empty optional) with typed
// accessors. Each adapter owns a small pool of connections; a Connection is used by one thread at a time.
//
// Failures are values: kConflict for unique/foreign-key violations, kUnavailable when the server cannot
// be reached, kInternal for anything else (the message holds the driver's text, for logs only).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace passerelle::storage {

using core::Error;
using core::Result;
using core::Status;

struct Null {};
// Text bound without a copy: what it views must outlive the query or exec call (bulk writes bind their
// rows' texts this way).
struct TextView {
    std::string_view text;
};
using Value = std::variant<Null, std::int64_t, double, std::string, TextView>;

inline Value opt(const std::optional<std::string>& s) { return s ? Value(*s) : Value(Null{}); }
inline Value opt(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(Null{}); }

class Row {
  public:
    explicit Row(std::vector<std::optional<std::string>> cells) : cells_(std::move(cells)) {}
    bool is_null(std::size_t i) const { return !cells_.at(i).has_value(); }
    std::string text(std::size_t i) const { return cells_.at(i).value_or(""); }
    std::optional<std::string> opt_text(std::size_t i) const { return cells_.at(i); }
    std::int64_t int64(std::size_t i) const;
    std::optional<std::int64_t> opt_int64(std::size_t i) const;
    double real(std::size_t i) const;
    bool boolean(std::size_t i) const { return int64(i) != 0; }
    std::size_t size() const { return cells_.size(); }

  private:
    std::vector<std::optional<std::string>> cells_;
};

struct Rows {
    std::vector<std::string> columns;
    std::vector<Row> rows;
    bool empty() const { return rows.empty(); }
    std::size_t size() const { return rows.size(); }
    const Row& operator[](std::size_t i) const { return rows[i]; }
    auto begin() const { return rows.begin(); }
    auto end() const { return rows.end(); }
};

enum class Dialect { kSqlite, kPostgres };

class Connection {
  public:
    virtual ~Connection() = default;
    virtual Result<Rows> query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
    // Returns the number of rows changed.
    virtual Result<std::int64_t> exec(std::string_view sql, const std::vector<Value>& params = {}) = 0;
    // Several statements without parameters (migrations).
    virtual Status exec_script(std::string_view sql) = 0;
    virtual Dialect dialect() const = 0;
};

class Database {
  public:
    virtual ~Database() = default;
    virtual Dialect dialect() const = 0;
    virtual std::string describe() const = 0;  // URL without password, for logs

    // Runs fn on one pooled connection.
    virtual Status with_connection(const std::function<Status(Connection&)>& fn) = 0;
    // Runs fn inside BEGIN/COMMIT; ROLLBACK when fn fails or throws.
    Status transaction(const std::function<Status(Connection&)>& fn);

    // Whether the database answers (health check).
    Status ping();

    // One statement on a pooled connection (autocommit).
    Result<Rows> query(std::string_view sql, const std::vector<Value>& params = {});
    Result<std::int64_t> exec(std::string_view sql, const std::vector<Value>& params = {});
};

// Drops the row count of an exec() result, keeping its failure.
inline Status to_status(const Result<std::int64_t>& r) {
    if (!r) return r.error();
    return {};
}

// Runs f(Connection&) -> Result<T> on a pooled connection; the pool's failure or f's result.
template <typename T, typename F>
Result<T> fetch(Database& db, F&& f) {
    std::optional<Result<T>> out;
    Status st = db.with_connection([&](Connection& c) -> Status {
        out.emplace(f(c));
        return {};
    });
    if (!st) return st.error();
    return std::move(*out);
}

template <typename T>
struct Paged {
    std::vector<T> items;
    std::int64_t total = 0;  // of the whole selection
};
// One page of a list and the count of its whole selection, read on one connection.
template <typename T, typename List, typename Count>
Result<Paged<T>> fetch_page(Database& db, List&& list, Count&& count) {
    Paged<T> out;
    Status st = db.with_connection([&](Connection& c) -> Status {
        auto items = list(c);
        if (!items) return items.error();
        auto total = count(c);
        if (!total) return total.error();
        out.items = std::move(items.value());
        out.total = total.value();
        return {};
    });
    if (!st) return st.error();
    return out;
}

// "sqlite:path/to.db", "sqlite::memory:" (shared in-process), "postgresql://user@host:port/db".
// Creates the parent folder of an SQLite file when missing.
Result<std::unique_ptr<Database>> open_database(const std::string& url, int pool_size = 8);

// `passerelle backup` / `restore`: SQLite's online backup into a file, and back (the server stopped). For
// PostgreSQL, pg_dump and pg_restore do it (the error says so).
Status backup_database(const std::string& url, const std::string& file);
Status restore_database(const std::string& url, const std::string& file);

// Rewrites '?' placeholders (outside quotes) to $1..$n.
std::string to_postgres_placeholders(std::string_view sql);
// "?, ?, ?" for an IN list of these ids, whose values are appended to `params`.
std::string in_list(const std::vector<std::int64_t>& ids, std::vector<Value>& params);

}  // namespace passerelle::storage
