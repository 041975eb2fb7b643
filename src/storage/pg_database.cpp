#include "storage/pg_database.hpp"

#include <libpq-fe.h>

#include <cstdio>
#include <cstring>

#include "storage/pool.hpp"

namespace passerelle::storage {

namespace {

Error pg_error(PGconn* conn, PGresult* res, std::string_view what) {
    std::string msg = std::string(what) + ": " + (res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    if (state && std::strncmp(state, "23", 2) == 0) return Error::Conflict(msg);  // integrity violations
    if (PQstatus(conn) != CONNECTION_OK) return Error::Unavailable(msg);
    return Error::Internal(msg);
}

class PgConnection final : public Connection {
  public:
    explicit PgConnection(PGconn* c) : conn_(c) {}
    ~PgConnection() override { PQfinish(conn_); }
    Dialect dialect() const override { return Dialect::kPostgres; }

    Result<Rows> query(std::string_view sql, const std::vector<Value>& params) override {
        auto r = run(sql, params);
        if (!r) return r.error();
        PGresult* res = r.value();
        Rows rows;
        int ncol = PQnfields(res), nrow = PQntuples(res);
        for (int c = 0; c < ncol; ++c) rows.columns.emplace_back(PQfname(res, c));
        rows.rows.reserve(static_cast<std::size_t>(nrow));
        for (int i = 0; i < nrow; ++i) {
            std::vector<std::optional<std::string>> cells;
            cells.reserve(static_cast<std::size_t>(ncol));
            for (int c = 0; c < ncol; ++c) {
                if (PQgetisnull(res, i, c))
                    cells.emplace_back(std::nullopt);
                else
                    cells.emplace_back(
                        std::string(PQgetvalue(res, i, c), static_cast<std::size_t>(PQgetlength(res, i, c))));
            }
            rows.rows.emplace_back(std::move(cells));
        }
        PQclear(res);
        return rows;
    }

    Result<std::int64_t> exec(std::string_view sql, const std::vector<Value>& params) override {
        auto r = run(sql, params);
        if (!r) return r.error();
        const char* n = PQcmdTuples(r.value());
        std::int64_t changed = (n && *n) ? std::atoll(n) : 0;
        PQclear(r.value());
        return changed;
    }

    Status exec_script(std::string_view sql) override {
        if (!ensure_connected()) return pg_error(conn_, nullptr, "connect");
        std::string s(sql);
        PGresult* res = PQexec(conn_, s.c_str());
        auto st = PQresultStatus(res);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            Error e = pg_error(conn_, res, "script");
            PQclear(res);
            return e;
        }
        PQclear(res);
        return {};
    }

  private:
    bool ensure_connected() {
        if (PQstatus(conn_) == CONNECTION_OK) return true;
        PQreset(conn_);
        return PQstatus(conn_) == CONNECTION_OK;
    }

    Result<PGresult*> run(std::string_view sql, const std::vector<Value>& params) {
        if (!ensure_connected()) return pg_error(conn_, nullptr, "connect");
        std::string text = to_postgres_placeholders(sql);
        std::vector<std::string> storage(params.size());
        std::vector<const char*> values(params.size(), nullptr);
        for (std::size_t i = 0; i < params.size(); ++i) {
            const Value& v = params[i];
            if (std::holds_alternative<Null>(v)) continue;
            if (auto* n = std::get_if<std::int64_t>(&v))
                storage[i] = std::to_string(*n);
            else if (auto* d = std::get_if<double>(&v)) {
                char buf[64];
                std::snprintf(buf, sizeof buf, "%.17g", *d);
                storage[i] = buf;
            } else if (auto* t = std::get_if<TextView>(&v))
                storage[i] = t->text;  // (text parameters end with a NUL: copied)
            else
                storage[i] = std::get<std::string>(v);
            values[i] = storage[i].c_str();
        }
        PGresult* res = PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                                     nullptr, nullptr, 0);
        auto st = PQresultStatus(res);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            Error e = pg_error(conn_, res, "query");
            PQclear(res);
            return e;
        }
        return res;
    }

    PGconn* conn_;
};

std::string redact(const std::string& url) {
    auto at = url.find('@');
    auto scheme = url.find("://");
    if (at == std::string::npos || scheme == std::string::npos) return url;
    auto colon = url.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) return url.substr(0, colon) + ":***" + url.substr(at);
    return url;
}

class PgDatabase final : public Database {
  public:
    PgDatabase(std::string url, int pool_size) : url_(std::move(url)), pool_([this] { return open(); }, pool_size) {}
    Dialect dialect() const override { return Dialect::kPostgres; }
    std::string describe() const override { return redact(url_); }
    Status with_connection(const std::function<Status(Connection&)>& fn) override { return pool_.with(fn); }

  private:
    Result<std::unique_ptr<Connection>> open() {
        PGconn* c = PQconnectdb(url_.c_str());
        if (PQstatus(c) != CONNECTION_OK) {
            Error e = Error::Unavailable("PostgreSQL " + describe() + ": " + PQerrorMessage(c));
            PQfinish(c);
            return e;
        }
        PQsetClientEncoding(c, "UTF8");
        auto conn = std::make_unique<PgConnection>(c);
        auto st = conn->exec_script("SET client_min_messages = warning; SET TIME ZONE 'UTC'");
        if (!st) return st.error();
        return std::unique_ptr<Connection>(std::move(conn));
    }

    std::string url_;
    ConnectionPool pool_;
};

}  // namespace

Result<std::unique_ptr<Database>> make_pg_database(const std::string& url, int pool_size) {
    auto db = std::make_unique<PgDatabase>(url, pool_size);
    Status probe = db->with_connection([](Connection&) -> Status { return {}; });
    if (!probe) return probe.error();
    return std::unique_ptr<Database>(std::move(db));
}

}  // namespace passerelle::storage
