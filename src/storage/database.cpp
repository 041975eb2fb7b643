#include "storage/database.hpp"

#include <charconv>
#include <filesystem>
#include <stdexcept>

#include "storage/insert_rows.hpp"
#include "storage/migrations.hpp"
#include "storage/pg_database.hpp"
#include "storage/sqlite_database.hpp"

namespace passerelle::storage {

std::int64_t Row::int64(std::size_t i) const {
    const auto& c = cells_.at(i);
    if (!c || c->empty()) return 0;
    if (*c == "t") return 1;  // PostgreSQL booleans
    if (*c == "f") return 0;
    std::int64_t v = 0;
    std::from_chars(c->data(), c->data() + c->size(), v);
    return v;
}

std::optional<std::int64_t> Row::opt_int64(std::size_t i) const {
    if (is_null(i)) return std::nullopt;
    return int64(i);
}

double Row::real(std::size_t i) const {
    const auto& c = cells_.at(i);
    if (!c || c->empty()) return 0;
    return std::stod(*c);
}

Status Database::transaction(const std::function<Status(Connection&)>& fn) {
    return with_connection([&](Connection& c) -> Status {
        auto begin = c.exec(c.dialect() == Dialect::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN");
        if (!begin) return begin.error();
        Status result;
        try {
            result = fn(c);
        } catch (...) {
            (void)c.exec("ROLLBACK");
            throw;
        }
        if (!result) {
            (void)c.exec("ROLLBACK");
            return result;
        }
        auto commit = c.exec("COMMIT");
        if (!commit) {
            (void)c.exec("ROLLBACK");
            return commit.error();
        }
        return {};
    });
}

Status Database::ping() {
    auto r = query("SELECT 1");
    if (!r) return r.error();
    return {};
}

Result<Rows> Database::query(std::string_view sql, const std::vector<Value>& params) {
    std::optional<Result<Rows>> out;
    Status s = with_connection([&](Connection& c) -> Status {
        out.emplace(c.query(sql, params));
        return {};
    });
    if (!s) return s.error();
    return std::move(*out);
}

Result<std::int64_t> Database::exec(std::string_view sql, const std::vector<Value>& params) {
    std::optional<Result<std::int64_t>> out;
    Status s = with_connection([&](Connection& c) -> Status {
        out.emplace(c.exec(sql, params));
        return {};
    });
    if (!s) return s.error();
    return std::move(*out);
}

std::string in_list(const std::vector<std::int64_t>& ids, std::vector<Value>& params) {
    std::string out;
    for (auto id : ids) {
        out += out.empty() ? "?" : ", ?";
        params.emplace_back(id);
    }
    return out;
}

Status insert_rows(std::string_view insert, std::string_view tail, std::size_t count, std::size_t per_statement,
                   const std::function<Status(std::size_t from, std::size_t n, const std::string& sql)>& statement) {
    const auto values = insert.find(" VALUES (");
    const auto close = values == std::string_view::npos ? values : insert.find(')', values);
    if (close == std::string_view::npos || per_statement == 0)
        return Error::Internal("insert_rows: no VALUES tuple in " + std::string(insert));
    const std::string_view head = insert.substr(0, values + 8), row = insert.substr(values + 8, close - values - 7);
    std::string sql;
    for (std::size_t from = 0; from < count; from += per_statement) {
        const std::size_t n = std::min(per_statement, count - from);
        sql.assign(head);
        for (std::size_t i = 0; i < n; ++i) {
            if (i) sql += ", ";
            sql += row;
        }
        if (!tail.empty()) {
            sql += ' ';
            sql += tail;
        }
        if (auto st = statement(from, n, sql); !st) return st;
    }
    return {};
}

std::string to_postgres_placeholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    int n = 0;
    char quote = 0;
    for (char c : sql) {
        if (quote) {
            if (c == quote) quote = 0;
            out.push_back(c);
        } else if (c == '\'' || c == '"') {
            quote = c;
            out.push_back(c);
        } else if (c == '?') {
            out.push_back('$');
            out.append(std::to_string(++n));
        } else {
            out.push_back(c);
        }
    }
    return out;
}

Result<std::unique_ptr<Database>> open_database(const std::string& url, int pool_size) {
    if (url.rfind("sqlite:", 0) == 0) {
        std::string path = url.substr(7);
        if (path.empty()) return Error::Invalid("URL de base SQLite vide : sqlite:chemin/vers/fichier.db");
        if (path != ":memory:") {
            std::filesystem::path p(path);
            std::error_code ec;
            if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
        }
        return make_sqlite_database(path, pool_size);
    }
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) return make_pg_database(url, pool_size);
    return Error::Invalid("URL de base de données inconnue (attendu sqlite:… ou postgresql://…) : " + url);
}

namespace {
Result<std::string> sqlite_path(const std::string& url) {
    if (url.rfind("sqlite:", 0) != 0) {
        if (url.rfind("postgres", 0) == 0)
            return Error::Invalid("PostgreSQL : utilisez pg_dump et pg_restore (voir le README).");
        return Error::Invalid("URL de base de données inconnue : " + url);
    }
    std::string path = url.substr(7);
    if (path.empty() || path == ":memory:") return Error::Invalid("Une base SQLite en fichier est nécessaire.");
    return path;
}
}  // namespace

Status backup_database(const std::string& url, const std::string& file) {
    auto path = sqlite_path(url);
    if (!path) return path.error();
    return sqlite_backup(path.value(), file);
}

Status restore_database(const std::string& url, const std::string& file) {
    auto path = sqlite_path(url);
    if (!path) return path.error();
    if (auto st = sqlite_restore(file, path.value()); !st) return st;
    // The restored data starts a life of its own: a new identity, so that any search index built before (of
    // this database at another point, or of the one the backup came from) is rebuilt at the next start.
    auto db = open_database(url, 1);
    if (!db) return db.error();
    return db.value()->with_connection([](Connection& c) {
        return to_status(c.exec(
            render_migration("UPDATE settings SET value = {{random_id}} WHERE key = 'database_id'", Dialect::kSqlite)));
    });
}

}  // namespace passerelle::storage
