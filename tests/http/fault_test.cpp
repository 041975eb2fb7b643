// Faults: the server killed with SIGKILL in the middle of a burst of writes, and a DECP import killed in the
// middle of a file. After each, the database passes SQLite's integrity check, every write that was
// acknowledged is there, the server starts again, and the import re-run reaches the same final state as an
// import that was never interrupted.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <thread>

#include "tests/http/harness.hpp"

using namespace passerelle::testing;
namespace fs = std::filesystem;

namespace {

// One SQLite connection for checks, read-only.
class Db {
  public:
    explicit Db(const fs::path& path) { sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr); }
    ~Db() { sqlite3_close(db_); }
    std::vector<std::vector<std::string>> rows(const std::string& sql) {
        std::vector<std::vector<std::string>> out;
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) return out;
        while (sqlite3_step(st) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int i = 0; i < sqlite3_column_count(st); ++i) {
                const auto* t = sqlite3_column_text(st, i);
                row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
            }
            out.push_back(std::move(row));
        }
        sqlite3_finalize(st);
        return out;
    }
    std::string one(const std::string& sql) {
        auto r = rows(sql);
        return r.empty() || r[0].empty() ? "" : r[0][0];
    }

  private:
    sqlite3* db_ = nullptr;
};

fs::path temp_dir(const std::string& name) {
    auto dir = fs::temp_directory_path() / ("passerelle-fault-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

pid_t spawn(std::vector<std::string> args, const fs::path& log) {
    pid_t pid = ::fork();
    if (pid == 0) {
        FILE* f = std::freopen(log.c_str(), "w", stdout);
        (void)f;
        ::dup2(::fileno(stdout), 2);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    return pid;
}

int wait_exit(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Faults, AcknowledgedWritesSurviveSigkillMidBurst) {
    const auto dir = temp_dir("burst");
    fs::copy_file(PASSERELLE_HTTP_TEMPLATE_DB, dir / "db.sqlite");
    const std::string url = "sqlite:" + (dir / "db.sqlite").string();
    std::set<std::string> acknowledged;
    std::mutex mu;
    {
        ServerProcess server({}, url);
        ASSERT_TRUE(server.running()) << server.log();
        std::atomic<bool> stop{false};
        std::vector<std::thread> writers;
        for (int t = 0; t < 3; ++t)
            writers.emplace_back([&, t] {
                Client c;
                auto form = c.get(server.url("/connexion"));
                auto in = c.post_form(server.url("/connexion"), {{"_csrf", Client::csrf_of(form.body)},
                                                                 {"email", "contact@atelier-vert-1.example"},
                                                                 {"password", "Passerelle-Demo-2026"}});
                if (in.status != 303) return;
                const std::string csrf = Client::csrf_of(c.get(server.url("/mon-espace")).body);
                for (int n = 0; !stop; ++n) {
                    const std::string name = "rafale-" + std::to_string(t) + "-" + std::to_string(n);
                    auto r = c.post_form(server.url("/recherche/sauvegarder"),
                                         {{"_csrf", csrf}, {"name", name}, {"frequency", "daily"}, {"q", "nettoyage"}});
                    if (r.status == 0) return;  // the server is gone
                    if (r.status == 303 && r.header("location") == "/mon-espace/alertes") {
                        std::lock_guard lock(mu);
                        acknowledged.insert(name);
                    }
                }
            });
        // Killed once the burst is well under way (the writers are still writing), however loaded the machine.
        for (int i = 0; i < 600; ++i) {
            {
                std::lock_guard lock(mu);
                if (acknowledged.size() >= 20) break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        server.kill_hard();
        stop = true;
        for (auto& w : writers) w.join();
    }
    ASSERT_GT(acknowledged.size(), 10u) << "the burst wrote too little to test anything";
    {
        Db db(dir / "db.sqlite");
        EXPECT_EQ(db.one("PRAGMA integrity_check"), "ok");
        std::set<std::string> stored;
        for (const auto& r : db.rows("SELECT name FROM saved_searches WHERE name LIKE 'rafale-%'")) stored.insert(r[0]);
        for (const auto& name : acknowledged) EXPECT_TRUE(stored.count(name)) << "acknowledged then lost: " << name;
    }
    // The server starts again on the same database and serves.
    ServerProcess again({}, url);
    ASSERT_TRUE(again.running()) << again.log();
    Client c;
    EXPECT_EQ(c.get(again.url("/healthz")).status, 200);
    fs::remove_all(dir);
}

TEST(Faults, DecpImportKilledMidwayIsRerunToTheSameFinalState) {
    const fs::path file = fs::path(PASSERELLE_SHARED_DIR) / "data" / "decp" / "v1_2018-2019" / "decp_v1_2018-2019.json";
    if (!fs::exists(file)) GTEST_SKIP() << "../shared/data/decp is not there";
    const auto dir = temp_dir("import");
    auto import = [&](const fs::path& db, const std::string& batch) {
        return spawn({PASSERELLE_BIN, "import", "decp", "--quiet", "--log-level", "warn", "--batch-size", batch, "--db",
                      "sqlite:" + db.string(), file.string()},
                     dir / "import.log");
    };
    // The reference: one import, never interrupted.
    ASSERT_EQ(wait_exit(import(dir / "reference.sqlite", "10000")), 0);
    Db reference(dir / "reference.sqlite");
    const std::string total = reference.one("SELECT COUNT(*) FROM contracts");
    ASSERT_GT(std::stoi(total), 5000);

    // The same import in small transactions, killed once some of them are committed.
    pid_t pid = import(dir / "killed.sqlite", "200");
    int committed = 0;
    for (int i = 0; i < 4000 && committed < 600; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        if (!fs::exists(dir / "killed.sqlite")) continue;
        Db probe(dir / "killed.sqlite");
        auto n = probe.one("SELECT COUNT(*) FROM contracts");
        committed = n.empty() ? 0 : std::stoi(n);
    }
    ::kill(pid, SIGKILL);
    wait_exit(pid);
    {
        Db killed(dir / "killed.sqlite");
        EXPECT_EQ(killed.one("PRAGMA integrity_check"), "ok");
        const int left = std::stoi(killed.one("SELECT COUNT(*) FROM contracts"));
        EXPECT_GE(left, 200);               // whole batches were committed…
        EXPECT_LT(left, std::stoi(total));  // …and the kill came before the end
    }
    // Re-run to completion: the same contracts, with the same content, as the uninterrupted import.
    ASSERT_EQ(wait_exit(import(dir / "killed.sqlite", "10000")), 0);
    Db rerun(dir / "killed.sqlite");
    const std::string keys = "SELECT contract_key, content_hash FROM contracts ORDER BY contract_key";
    EXPECT_EQ(rerun.rows(keys), reference.rows(keys));
    const std::string suppliers =
        "SELECT c.contract_key, s.position, s.identifier, s.name FROM contract_suppliers s JOIN contracts c ON c.id = "
        "s.contract_id ORDER BY 1, 2";
    EXPECT_EQ(rerun.rows(suppliers), reference.rows(suppliers));
    EXPECT_EQ(rerun.one("PRAGMA integrity_check"), "ok");
    fs::remove_all(dir);
}

}  // namespace
