// passerelle: the command line and the composition root (the only place where concrete types are wired).
//
//   passerelle serve | migrate | demo | user add | user set-role | import cpv FILE | import geo DIR
//              | import decp FILE… | import eforms|boamp PATH… | import siae FILE | export ocds
//              | suggest-suppliers --cpv CODE … | schedule --instance FILE.json | backup FILE | restore FILE
//
// Every subcommand takes --db (default $PASSERELLE_DB, else sqlite:var/passerelle.db).
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <zlib.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/accounts.hpp"
#include "app/alerts.hpp"
#include "app/api_tokens.hpp"
#include "app/blob_store.hpp"
#include "app/contracts.hpp"
#include "app/crypto.hpp"
#include "app/decp_import.hpp"
#include "app/demo.hpp"
#include "app/indexer.hpp"
#include "app/notice_import.hpp"
#include "app/notices.hpp"
#include "app/ocds_export.hpp"
#include "app/oidc.hpp"
#include "app/organisations.hpp"
#include "app/reference.hpp"
#include "app/roadmaps.hpp"
#include "app/siae_import.hpp"
#include "app/sourcing.hpp"
#include "app/text_file.hpp"
#include "core/clock.hpp"
#include "core/french.hpp"
#include "core/policy.hpp"
#include "core/validation.hpp"
#include "http/server.hpp"
#include "mail/mail_sender.hpp"
#include "sched/schedule.hpp"
#include "search/percolator.hpp"
#include "search/search_index.hpp"
#include "storage/accounts_store.hpp"
#include "storage/migrations.hpp"
#include "web/site.hpp"
#include "web/templates.hpp"

namespace fs = std::filesystem;
using namespace passerelle;

namespace {

std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return (v && *v) ? std::string(v) : fallback;
}

// share/ (templates, migrations, static files, geography) sits next to the binary's folder in the build
// tree; PASSERELLE_SHARE overrides.
fs::path share_dir() {
    if (const char* s = std::getenv("PASSERELLE_SHARE"); s && *s) return s;
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    for (fs::path p = exe.parent_path(); !p.empty() && p != p.root_path(); p = p.parent_path())
        if (fs::is_directory(p / "share" / "migrations", ec)) return p / "share";
    return "share";
}

struct Common {
    std::string db_url = env_or("PASSERELLE_DB", "sqlite:var/passerelle.db");
    std::string log_level = env_or("PASSERELLE_LOG", "info");
};

int die(const std::string& msg) {
    std::cerr << "passerelle: " << msg << "\n";
    return 1;
}

core::Result<std::unique_ptr<storage::Database>> open_and_migrate(const Common& c, int pool = 8) {
    auto db = storage::open_database(c.db_url, pool);
    if (!db) return db.error();
    auto applied = storage::migrate(*db.value(), share_dir() / "migrations");
    if (!applied) return applied.error();
    if (applied.value() > 0) spdlog::info("{} migration(s) applied on {}", applied.value(), db.value()->describe());
    return db;
}

void print_demo_banner(const std::string& url, const app::DemoResult& demo) {
    std::cout << "\n  Passerelle est en ligne : " << url
              << "\n\n  Comptes de démonstration (mot de passe : " << demo.password << ")\n";
    int shown = 0;
    for (const auto& a : demo.accounts) {
        if (a.what == "entreprise" && shown++ >= 3) continue;
        std::cout << "    " << a.email << "  — " << a.what << "\n";
    }
    std::cout << "  L'administratrice et l'organisatrice ont la double authentification : ajoutez la clé "
              << demo.second_factor_secret << " à une application d'authentification\n  (ou : python3 scripts/totp.py "
              << demo.second_factor_secret << ").\n";
    std::cout << "    … et " << (shown > 3 ? shown - 3 : 0)
              << " autres entreprises (liste complète : passerelle demo --list)\n\n  Ctrl-C arrête le serveur.\n"
              << std::endl;
}

// Reads a file, gunzipped when its name ends in .gz; nullopt when it cannot be read.
std::optional<std::string> read_maybe_gzip(const std::string& path) {
    gzFile f = gzopen(path.c_str(), "rb");  // reads plain files too
    if (!f) return std::nullopt;
    std::string out;
    char buf[1 << 16];
    int n;
    while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    const bool ok = n == 0;
    gzclose(f);
    if (!ok) return std::nullopt;
    return out;
}

// `passerelle schedule`: exit 2 on an invalid instance (with its first error), 1 when a file cannot be
// read or written.
int run_schedule(const std::string& instance_path, const std::string& output, const sched::Options& options) {
    auto text = read_maybe_gzip(instance_path);
    if (!text) return die("cannot read " + instance_path);
    std::string why;
    auto in = sched::parse_instance(*text, &why);
    if (!in) {
        std::cerr << "passerelle: invalid instance " << instance_path << ": " << why << "\n";
        return 2;
    }
    const auto start = std::chrono::steady_clock::now();
    auto s = sched::solve(*in, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string doc = sched::schedule_json(*in, s, "passerelle 0.1 (" + s.method + ")");
    if (output == "-") {
        std::cout << doc;
    } else {
        std::ofstream f(output, std::ios::binary);
        if (!(f << doc)) return die("cannot write " + output);
    }
    const auto baseline = sched::weight_of(*in, sched::first_free_slot(*in));
    std::fprintf(stderr,
                 "%zu meetings placed (weight %lld, at most %lld: %.2f %%) in %.2f s by %s; first free slot: %lld; "
                 "companies without a meeting: %d; idle gaps: %d\n",
                 s.assignments.size(), static_cast<long long>(s.objective), static_cast<long long>(s.upper_bound),
                 s.upper_bound ? 100.0 * static_cast<double>(s.objective) / static_cast<double>(s.upper_bound) : 100.0,
                 seconds, s.method.c_str(), static_cast<long long>(baseline),
                 sched::companies_without_meeting(*in, s.assignments), sched::idle_gaps(*in, s.assignments));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (!app::init_crypto()) return die("libsodium init failed");
    CLI::App cli{"Passerelle — la plateforme qui rapproche acheteurs publics et entreprises"};
    cli.require_subcommand(1);
    Common common;
    auto add_common = [&](CLI::App* sub) {
        sub->add_option("--db", common.db_url, "Database URL: sqlite:PATH or postgresql://… (env PASSERELLE_DB)");
        sub->add_option("--log-level", common.log_level, "trace, debug, info, warn, error (env PASSERELLE_LOG)");
    };

    // serve
    auto* serve = cli.add_subcommand("serve", "Serve the site (applies migrations; loads demo data with --demo)");
    add_common(serve);
    int port = std::atoi(env_or("PASSERELLE_PORT", "8080").c_str());
    std::string address = env_or("PASSERELLE_ADDRESS", "127.0.0.1");
    std::string base_url = env_or("PASSERELLE_BASE_URL", "");
    int threads = 4;
    bool with_demo = false;
    std::uint64_t body_limit = 1024 * 1024;
    std::string var_dir = env_or("PASSERELLE_VAR", "var");
    mail::SmtpSettings smtp;
    smtp.url = env_or("PASSERELLE_SMTP_URL", "");
    smtp.user = env_or("PASSERELLE_SMTP_USER", "");
    smtp.password = env_or("PASSERELLE_SMTP_PASSWORD", "");
    smtp.from = env_or("PASSERELLE_SMTP_FROM", smtp.from);
    std::string port_file;
    bool fast_hash = false;
    int header_timeout = 15;
    serve->add_option("--port", port, "TCP port (env PASSERELLE_PORT, default 8080; 0 = any free port)");
    serve->add_option("--address", address, "Listen address (env PASSERELLE_ADDRESS, default 127.0.0.1)");
    serve->add_option("--base-url", base_url, "Public URL used in e-mails and cookies (env PASSERELLE_BASE_URL)");
    serve->add_option("--threads", threads, "Worker threads (default 4)");
    serve->add_option("--body-limit", body_limit, "Default request body limit in bytes (default 1 MiB)");
    serve->add_option("--var", var_dir, "Folder for mail files and uploads (env PASSERELLE_VAR, default var)");
    serve->add_option("--smtp-url", smtp.url,
                      "smtp://host:port; without it, mails are written to VAR/mail (env PASSERELLE_SMTP_URL)");
    serve->add_option("--smtp-user", smtp.user, "SMTP user (env PASSERELLE_SMTP_USER)");
    serve->add_option("--smtp-password", smtp.password, "SMTP password (env PASSERELLE_SMTP_PASSWORD)");
    serve->add_option("--smtp-from", smtp.from, "Sender address (env PASSERELLE_SMTP_FROM)");
    serve->add_flag("--demo", with_demo, "Load the demo data on first start");
    serve->add_option("--port-file", port_file, "Write the bound port to this file once listening (tests)");
    serve->add_flag("--fast-password-hash", fast_hash, "Cheaper argon2id limits (tests only)");
    serve->add_option("--header-timeout", header_timeout, "Seconds to receive a request header (idle keep-alive too)");
    int search_rate = 120;
    serve->add_option("--search-rate", search_rate,
                      "Searches per minute and client address (default 120; 0: no limit)");
    std::vector<std::string> trusted_proxies;
    serve->add_option("--trusted-proxy", trusted_proxies,
                      "Reverse proxy (address or CIDR, repeatable) whose Forwarded / X-Forwarded-For headers give the "
                      "client's address; without it those headers are ignored");
    int confirmation_window = 600;
    serve->add_option("--confirmation-window", confirmation_window,
                      "Seconds after a login or a password confirmation during which API tokens can be created and "
                      "platform roles changed without typing the password again (default 600)");
    int export_rate = 20;
    serve->add_option("--export-rate", export_rate,
                      "CSV exports per minute and client address (default 20; 0: no limit)");
    std::string oidc_config = env_or("PASSERELLE_OIDC_CONFIG", "");
    serve->add_option("--oidc-config", oidc_config,
                      "JSON file of OpenID Connect providers for public agents (env PASSERELLE_OIDC_CONFIG)");

    // reindex
    auto* reindex_cmd = cli.add_subcommand("reindex", "Rebuild the search index from the database");
    add_common(reindex_cmd);
    reindex_cmd->add_option("--var", var_dir, "Folder holding the index in search/ (env PASSERELLE_VAR, default var)");

    // routes
    auto* routes_cmd = cli.add_subcommand("routes", "Print the route table (method and pattern)");

    // migrate
    auto* migrate_cmd = cli.add_subcommand("migrate", "Apply the database migrations");
    add_common(migrate_cmd);

    // demo
    auto* demo_cmd = cli.add_subcommand("demo", "Load the demo data (idempotent)");
    add_common(demo_cmd);
    bool demo_list = false;
    demo_cmd->add_flag("--list", demo_list, "Only list the demo accounts");

    // user
    auto* user_cmd = cli.add_subcommand("user", "Manage user accounts");
    user_cmd->require_subcommand(1);
    auto* user_add = user_cmd->add_subcommand("add", "Create a verified account");
    add_common(user_add);
    std::string u_email, u_name, u_password;
    user_add->add_option("--email", u_email, "E-mail address")->required();
    user_add->add_option("--name", u_name, "Display name")->required();
    user_add->add_option("--password", u_password, "Password (else read from PASSERELLE_PASSWORD)");
    auto* user_role = user_cmd->add_subcommand("set-role", "Grant or revoke a platform role");
    add_common(user_role);
    std::string r_email, r_role;
    bool r_revoke = false;
    user_role->add_option("--email", r_email, "E-mail address")->required();
    user_role->add_option("--role", r_role, "organiser, facilitator or administrator")->required();
    user_role->add_flag("--revoke", r_revoke, "Remove the role instead of granting it");
    auto* user_2fa = user_cmd->add_subcommand(
        "reset-second-factor",
        "Turn off a person's two-factor authentication (a lost phone and no recovery code; mailed to them)");
    add_common(user_2fa);
    std::string f_email;
    user_2fa->add_option("--email", f_email, "E-mail address")->required();

    // import
    auto* import_cmd = cli.add_subcommand("import", "Import reference data");
    import_cmd->require_subcommand(1);
    auto* import_cpv = import_cmd->add_subcommand("cpv", "Import the CPV 2008 list from a CSV file");
    add_common(import_cpv);
    std::string cpv_file;
    import_cpv
        ->add_option("FILE", cpv_file,
                     "CSV file (code,check_digit,code_full,level,parent_code,division,type,label_fr,label_en)")
        ->required()
        ->check(CLI::ExistingFile);
    auto* import_geo = import_cmd->add_subcommand("geo", "Import régions, départements and communes");
    add_common(import_geo);
    std::string geo_dir;
    import_geo->add_option("DIR", geo_dir,
                           "Folder with regions.json, departements.json, communes.json "
                           "(@etalab/decoupage-administratif; default: the copy in share/geo)");

    auto* import_decp = import_cmd->add_subcommand(
        "decp", "Import awarded contracts (DECP): 2019 JSON, 2024 JSON or tabular CSV, upserted by identifier");
    add_common(import_decp);
    std::vector<std::string> decp_files;
    std::string decp_report;
    bool decp_quiet = false;
    import_decp->add_option("FILE", decp_files, "DECP files")->required()->check(CLI::ExistingFile);
    import_decp->add_option("--report", decp_report,
                            "Write the full report (every rejection and warning with its position) as JSON");
    import_decp->add_flag("--quiet", decp_quiet, "No progress bar");
    std::size_t decp_batch = 10000;
    import_decp->add_option("--batch-size", decp_batch, "Records per transaction (default 10000)")
        ->check(CLI::Range(1, 1000000));

    auto* import_siae = import_cmd->add_subcommand(
        "siae", "Import the insertion structures (CSV of « le marché de l'inclusion ») as company profiles");
    add_common(import_siae);
    std::string siae_file;
    import_siae->add_option("FILE", siae_file, "siae_structures.csv")->required()->check(CLI::ExistingFile);
    auto* import_eforms = import_cmd->add_subcommand("eforms", "Import EU eForms XML notices (file or folder)");
    auto* import_boamp = import_cmd->add_subcommand("boamp", "Import BOAMP XML notices (file or folder)");
    std::vector<std::string> notice_paths;
    for (auto* sub : {import_eforms, import_boamp}) {
        add_common(sub);
        sub->add_option("PATH", notice_paths, "XML files or folders of XML files")
            ->required()
            ->check(CLI::ExistingPath);
    }

    // export
    auto* export_cmd = cli.add_subcommand("export", "Export open data");
    export_cmd->require_subcommand(1);
    auto* export_ocds = export_cmd->add_subcommand(
        "ocds", "Public notices and awarded contracts as an OCDS 1.1 release package (JSON)");
    add_common(export_ocds);
    std::string ocds_out = "-";
    app::OcdsSettings ocds_settings;
    export_ocds->add_option("--out", ocds_out, "Output file (default: standard output)");
    export_ocds->add_option("--ocid-prefix", ocds_settings.ocid_prefix,
                            "ocid prefix registered with the Open Contracting Partnership");
    export_ocds->add_option("--base-url", ocds_settings.base_url, "Public URL of the platform");

    auto* suggest_cmd = cli.add_subcommand(
        "suggest-suppliers", "Suppliers suggested for a purchase, best first, with their reasons (JSON array)");
    add_common(suggest_cmd);
    app::SourcingQuery sq;
    double sq_amount = -1;
    bool sq_json = false;
    suggest_cmd->add_option("--cpv", sq.cpv, "CPV code of the purchase")->required();
    suggest_cmd->add_option("--departement", sq.departement, "Département of the place of execution");
    suggest_cmd->add_option("--buyer", sq.buyer_siret, "SIRET (or SIREN) of the buyer");
    suggest_cmd->add_option("--amount", sq_amount, "Estimated amount in euros");
    suggest_cmd->add_option("--as-of", sq.as_of, "Use only contracts notified strictly before this day (YYYY-MM-DD)");
    suggest_cmd->add_option("--limit", sq.limit, "Number of suggestions (default 10)");
    suggest_cmd->add_flag("--social-clause", sq.social_clause, "The purchase carries an insertion clause");
    suggest_cmd->add_option("--reserved", sq.reservation, "Reserved contract: siae, ea_esat or ess");
    suggest_cmd->add_flag("--json", sq_json, "JSON output (the only format; accepted for clarity)");

    auto* schedule_cmd = cli.add_subcommand(
        "schedule", "Place accepted meeting requests into slots (b2bsched-v1 instance in, schedule out)");
    std::string sched_instance, sched_output = "-";
    sched::Options sched_options;
    schedule_cmd->add_option("--instance", sched_instance, "Instance file (JSON, or gzip when it ends in .gz)")
        ->required();
    schedule_cmd->add_option("--time-limit", sched_options.time_limit_seconds, "Seconds (default 10)");
    schedule_cmd->add_option("--output", sched_output, "Schedule file (default: standard output)");
    schedule_cmd->add_option("--seed", sched_options.seed, "Seed of the local search (default 1)");

    auto* backup_cmd = cli.add_subcommand("backup", "Copy the SQLite database into FILE (online: the server may run)");
    add_common(backup_cmd);
    std::string backup_file;
    backup_cmd->add_option("FILE", backup_file, "Backup file")->required();
    auto* restore_cmd =
        cli.add_subcommand("restore", "Replace the SQLite database with the backup FILE (stop the server first)");
    add_common(restore_cmd);
    std::string restore_file;
    restore_cmd->add_option("FILE", restore_file, "Backup file")->required()->check(CLI::ExistingFile);

    CLI11_PARSE(cli, argc, argv);
    spdlog::set_level(spdlog::level::from_str(common.log_level));
    core::SystemClock clock;

    if (routes_cmd->parsed()) {
        // The site's routes do not depend on data: wire it on an empty in-memory database.
        auto db = storage::open_database("sqlite::memory:", 1);
        if (!db) return die(db.error().message);
        auto templates = web::TemplateEngine::load(share_dir() / "templates");
        if (!templates) return die(templates.error().message);
        app::ReferenceService reference(*db.value());
        app::AccountService accounts(*db.value(), clock, {});
        app::OrganisationService orgs(*db.value(), clock, reference, "");
        app::RoadmapService roadmaps(*db.value(), clock, reference);
        app::FileBlobStore blobs("var/documents");
        app::NoticeService notices(*db.value(), clock, reference, blobs, "");
        auto index = search::SearchIndex::open("");
        if (!index) return die(index.error().message);
        search::Percolator percolator;
        app::AlertService alerts(*db.value(), clock, percolator, "");
        app::ContractService contracts(*db.value(), "");
        app::ExternalNoticeService external(*db.value(), clock);
        app::SourcingService sourcing(*db.value());
        app::ExchangeService exchange(*db.value(), clock, reference, blobs, "");
        app::AuditService audit(*db.value(), clock);
        app::EventService events(*db.value(), clock, "");
        app::PitchService pitches(*db.value(), clock, blobs, "");
        app::NewsService news(*db.value(), clock, blobs);
        app::ObservatoryService observatory(*db.value());
        app::ClauseService clauses(*db.value(), clock, "");
        app::ApiTokenService tokens(*db.value(), clock);
        auto fetcher = app::make_curl_fetcher();
        app::OidcService oidc(*db.value(), clock, *fetcher, {}, "");
        app::ExportCache exports(fs::temp_directory_path() / "passerelle-routes-exports");
        web::Site site({accounts, orgs,     reference, roadmaps, notices,     *index.value(), alerts, contracts,
                        external, sourcing, exchange,  audit,    events,      pitches,        news,   observatory,
                        clauses,  tokens,   oidc,      exports,  *db.value(), clock,          {}},
                       {}, *templates.value());
        http::Router router;
        site.register_routes(router);
        for (const auto& r : router.routes())
            std::cout << r.method << " " << r.pattern << " " << (r.access.empty() ? "undeclared" : r.access) << "\n";
        return 0;
    }

    if (reindex_cmd->parsed()) {
        auto db = open_and_migrate(common, 2);
        if (!db) return die(db.error().message);
        auto index = search::SearchIndex::open((fs::path(var_dir) / "search").string());
        if (!index) return die(index.error().message);
        app::Indexer indexer(*db.value(), *index.value());
        auto n = indexer.reindex_all();
        if (!n) return die(n.error().message);
        auto rest = indexer.apply_outbox(1000000);
        if (!rest) return die(rest.error().message);
        std::cout << n.value() << " documents indexed in " << (fs::path(var_dir) / "search").string() << "\n";
        return 0;
    }

    if (migrate_cmd->parsed()) {
        auto db = storage::open_database(common.db_url, 1);
        if (!db) return die(db.error().message);
        auto n = storage::migrate(*db.value(), share_dir() / "migrations");
        if (!n) return die(n.error().message);
        auto v = storage::schema_version(*db.value());
        std::cout << n.value() << " migration(s) applied; schema version " << (v ? v.value() : 0) << "\n";
        return 0;
    }

    if (demo_cmd->parsed()) {
        if (demo_list) {
            for (const auto& a : app::DemoLoader::accounts()) std::cout << a.email << "\t" << a.what << "\n";
            std::cout << "password\t" << app::kDemoPassword << "\n";
            return 0;
        }
        auto db = open_and_migrate(common, 2);
        if (!db) return die(db.error().message);
        app::ReferenceService ref(*db.value());
        app::DemoLoader loader(*db.value(), clock, ref, share_dir() / "geo");
        auto r = loader.load();
        if (!r) return die(r.error().message);
        std::cout << (r->loaded_now ? "Demo data loaded: " : "Demo data already present: ") << r->accounts.size()
                  << " accounts, password " << r->password << "\n";
        return 0;
    }

    if (user_add->parsed() || user_role->parsed() || user_2fa->parsed()) {
        auto db = open_and_migrate(common, 1);
        if (!db) return die(db.error().message);
        std::string why;
        const std::string& raw_email = user_add->parsed() ? u_email : user_role->parsed() ? r_email : f_email;
        auto email = core::normalize_email(raw_email, &why);
        if (!email) return die(why);
        if (user_add->parsed()) {
            if (u_password.empty()) u_password = env_or("PASSERELLE_PASSWORD", "");
            auto problems = core::password_problems(u_password, *email);
            if (!problems.empty()) return die(problems.front());
            auto hash = app::hash_password(u_password);
            if (!hash) return die("password hashing failed");
            core::Status st = db.value()->transaction([&](storage::Connection& c) -> core::Status {
                auto id = storage::accounts::create_user(c, *email, core::trim(u_name), *hash, clock.now());
                if (!id) return id.error();
                return storage::accounts::mark_email_verified(c, id.value(), clock.now());
            });
            if (!st)
                return die(st.error().code == core::ErrorCode::kConflict ? "this e-mail is already registered"
                                                                         : st.error().message);
            std::cout << "User " << *email << " created\n";
            return 0;
        }
        if (user_2fa->parsed()) {
            auto u = storage::fetch<std::optional<storage::accounts::UserRecord>>(
                *db.value(), [&](storage::Connection& c) { return storage::accounts::find_user_by_email(c, *email); });
            if (!u) return die(u.error().message);
            if (!u.value()) return die("no user with e-mail " + *email);
            if (!u.value()->second_factor_since) return die(*email + " has no two-factor authentication");
            app::AccountSettings settings;
            if (!base_url.empty()) settings.base_url = base_url;
            app::AccountService accounts(*db.value(), clock, settings);
            const core::Status st = accounts.reset_second_factor(u.value()->id);
            if (!st) return die(st.error().message);
            std::cout << "Two-factor authentication of " << *email << " turned off; they were mailed\n";
            return 0;
        }
        if (!core::parse_platform_role(r_role))
            return die("unknown role: " + r_role + " (organiser, facilitator, administrator)");
        core::Status st = db.value()->transaction([&](storage::Connection& c) -> core::Status {
            auto u = storage::accounts::find_user_by_email(c, *email);
            if (!u) return u.error();
            if (!u.value()) return core::Error::NotFound("no user with e-mail " + *email);
            return r_revoke ? storage::accounts::revoke_role(c, u.value()->id, r_role)
                            : storage::accounts::grant_role(c, u.value()->id, r_role, clock.now());
        });
        if (!st) return die(st.error().message);
        std::cout << (r_revoke ? "Revoked " : "Granted ") << r_role << (r_revoke ? " from " : " to ") << *email << "\n";
        return 0;
    }

    if (import_siae->parsed()) {
        auto db = open_and_migrate(common, 1);
        if (!db) return die(db.error().message);
        app::SiaeImporter importer(*db.value(), clock);
        auto r = importer.import_csv(siae_file);
        if (!r) return die(r.error().message);
        std::cout << app::siae_report_text(r.value());
        return 0;
    }

    if (import_eforms->parsed() || import_boamp->parsed()) {
        auto db = open_and_migrate(common, 1);
        if (!db) return die(db.error().message);
        const std::string source = import_eforms->parsed() ? "eforms" : "boamp";
        app::ExternalNoticeService importer(*db.value(), clock);
        app::NoticeImportReport total;
        for (const auto& p : notice_paths) {
            auto r = importer.import_path(source, p);
            if (!r) return die(p + ": " + r.error().message);
            total.files += r->files;
            total.imported += r->imported;
            total.updated += r->updated;
            total.unchanged += r->unchanged;
            total.rejected.insert(total.rejected.end(), r->rejected.begin(), r->rejected.end());
        }
        std::cout << app::notice_report_text(source, total)
                  << "Les avis importés seront indexés par le serveur (ou par « passerelle reindex »).\n";
        return 0;
    }

    if (schedule_cmd->parsed()) return run_schedule(sched_instance, sched_output, sched_options);
    if (backup_cmd->parsed()) {
        if (auto st = storage::backup_database(common.db_url, backup_file); !st) return die(st.error().message);
        std::cout << "Backup written to " << backup_file << "\n";
        return 0;
    }
    if (restore_cmd->parsed()) {
        if (auto st = storage::restore_database(common.db_url, restore_file); !st) return die(st.error().message);
        auto db = open_and_migrate(common, 1);  // a backup from an older version is brought up to date
        if (!db) return die(db.error().message);
        std::cout << "Database restored from " << restore_file << "\n";
        return 0;
    }

    if (suggest_cmd->parsed()) {
        auto db = open_and_migrate(common, 1);
        if (!db) return die(db.error().message);
        if (sq_amount >= 0) sq.amount = sq_amount;
        app::SourcingService sourcing(*db.value());
        auto found = sourcing.suggest(sq, core::format_iso_day_paris(clock.now()));
        if (!found) {
            std::string msg = found.error().message;
            for (const auto& [field, why] : found.error().fields) msg += "\n  " + field + ": " + why;
            return die(msg);
        }
        auto out = nlohmann::ordered_json::array();
        for (const auto& s : found.value())
            out.push_back({{"siret", s.suggestion.siret},
                           {"name", s.suggestion.name},
                           {"score", std::round(s.suggestion.score * 10000) / 10000},
                           {"reasons", s.suggestion.reasons}});
        std::cout << out.dump(2) << "\n";
        return 0;
    }

    if (export_ocds->parsed()) {
        auto db = open_and_migrate(common, 1);
        if (!db) return die(db.error().message);
        app::OcdsExporter exporter(*db.value(), clock, ocds_settings);
        std::ofstream file;
        if (ocds_out != "-") {
            file.open(ocds_out, std::ios::binary);
            if (!file) return die("cannot write " + ocds_out);
        }
        auto counts = exporter.write(ocds_out == "-" ? std::cout : file);
        if (!counts) return die(counts.error().message);
        std::cerr << counts->notices << " consultation(s) and " << counts->contracts
                  << " awarded contract(s) exported\n";
        return 0;
    }

    if (import_decp->parsed()) {
        auto db = open_and_migrate(common, 1);
        if (!db) return die(db.error().message);
        app::DecpImporter importer(*db.value(), clock);
        importer.set_batch_size(decp_batch);
        const bool bar = !decp_quiet && isatty(STDERR_FILENO);
        std::string all_reports = "[";
        int status = 0;
        for (const auto& file : decp_files) {
            app::DecpImporter::Progress progress;
            if (bar)
                progress = [&file](std::uint64_t done, std::uint64_t total) {
                    const int pct = total ? static_cast<int>(done * 100 / total) : 100;
                    std::string cells(static_cast<std::size_t>(pct / 4), '#');
                    std::fprintf(stderr, "\r%-30.30s [%-25s] %3d %%", fs::path(file).filename().c_str(), cells.c_str(),
                                 pct);
                    std::fflush(stderr);
                };
            auto report = importer.import_file(file, progress);
            if (bar) std::fprintf(stderr, "\n");
            if (!report) return die(file + ": " + report.error().message);
            std::cout << app::report_text(report.value()) << "\n";
            if (!report->stopped.empty()) status = 1;
            if (all_reports.size() > 1) all_reports += ",\n";
            all_reports += app::report_json(report.value());
        }
        if (!decp_report.empty()) {
            std::ofstream out(decp_report, std::ios::binary);
            out << all_reports << "]\n";
            if (!out) return die("cannot write " + decp_report);
        }
        std::cout << "Les marchés importés seront indexés par le serveur (ou par « passerelle reindex »).\n";
        return status;
    }

    if (import_cpv->parsed() || import_geo->parsed()) {
        auto db = open_and_migrate(common, 1);
        if (!db) return die(db.error().message);
        app::ReferenceService ref(*db.value());
        if (import_cpv->parsed()) {
            auto n = ref.import_cpv_csv(cpv_file);
            if (!n) return die(n.error().message);
            std::cout << n.value() << " CPV codes imported\n";
        } else {
            auto n = ref.import_geo(geo_dir.empty() ? share_dir() / "geo" : fs::path(geo_dir));
            if (!n) return die(n.error().message);
            std::cout << n->regions << " régions, " << n->departements << " départements, " << n->communes
                      << " communes imported\n";
        }
        return 0;
    }

    // serve
    auto db = open_and_migrate(common, threads + 2);
    if (!db) return die(db.error().message);
    auto templates = web::TemplateEngine::load(share_dir() / "templates");
    if (!templates) return die(templates.error().message);

    // Listen first, so that --port 0 is resolved before the base URL (used in e-mails) is derived from it.
    // The router is filled below, before the server runs.
    http::Router router;
    http::ServerSettings server_settings;
    server_settings.address = address;
    server_settings.port = static_cast<unsigned short>(port);
    server_settings.threads = threads;
    server_settings.body_limit = body_limit;
    server_settings.header_timeout = std::chrono::seconds(std::max(1, header_timeout));
    for (const auto& p : trusted_proxies) {
        auto net = http::parse_cidr(p);
        if (!net) return die("--trusted-proxy: not an address or CIDR: " + p);
        server_settings.trusted_proxies.push_back(*net);
    }
    std::optional<web::Site> site;
    http::ServerHooks hooks;
    hooks.not_found = [&site](http::Request& q) { return site->on_not_found(q); };
    hooks.method_not_allowed = [&site](http::Request& q, const std::vector<std::string>&) {
        return site->on_method_not_allowed(q);
    };
    hooks.error = [&site](http::Request& q, int status, const std::string& d) { return site->on_error(q, status, d); };
    http::Server server(router, server_settings, hooks,
                        [](const http::Request& q, int status, std::uint64_t bytes, double ms) {
                            spdlog::info("{} {} {} {}B {:.1f}ms", q.method, q.target.substr(0, 200), status, bytes, ms);
                        });
    std::string why;
    if (!server.listen(&why)) return die("cannot listen on " + address + ":" + std::to_string(port) + ": " + why);
    const std::string url = "http://" + address + ":" + std::to_string(server.port());
    if (base_url.empty()) base_url = url;

    app::PasswordHasherSettings hasher;
    if (fast_hash) hasher = {1, 8192};
    app::AccountSettings account_settings;
    account_settings.base_url = base_url;
    account_settings.hasher = hasher;
    account_settings.confirmation_window = confirmation_window;
    app::ReferenceService reference(*db.value());
    app::AccountService accounts(*db.value(), clock, account_settings);
    app::OrganisationService orgs(*db.value(), clock, reference, base_url);
    app::RoadmapService roadmaps(*db.value(), clock, reference);
    app::FileBlobStore blobs(fs::path(var_dir) / "documents");
    app::NoticeService notices(*db.value(), clock, reference, blobs, base_url);
    app::ContractService contracts(*db.value(), base_url);
    app::ExternalNoticeService external(*db.value(), clock);
    app::SourcingService sourcing(*db.value());
    app::ExchangeService exchange(*db.value(), clock, reference, blobs, base_url);
    app::AuditService audit(*db.value(), clock);
    app::EventService events(*db.value(), clock, base_url);
    app::PitchService pitches(*db.value(), clock, blobs, base_url);
    app::NewsService news(*db.value(), clock, blobs);
    app::ObservatoryService observatory(*db.value());
    app::ClauseService clauses(*db.value(), clock, base_url);
    app::ApiTokenService tokens(*db.value(), clock);
    std::vector<app::OidcProvider> oidc_providers;
    if (!oidc_config.empty()) {
        auto text = app::read_file(oidc_config);
        if (!text) return die(text.error().message);
        auto parsed = app::parse_oidc_providers(text.value());
        if (!parsed) return die(oidc_config + ": " + parsed.error().message);
        oidc_providers = std::move(parsed.value());
    }
    auto fetcher = app::make_curl_fetcher();
    app::OidcService oidc(*db.value(), clock, *fetcher, oidc_providers, base_url);
    // Public exports built once per selection and state of the data (var/cache/exports).
    app::ExportCache exports(fs::path(var_dir) / "cache" / "exports");

    std::optional<app::DemoResult> demo;
    if (with_demo) {
        app::DemoLoader loader(*db.value(), clock, reference, share_dir() / "geo", hasher);
        auto r = loader.load();
        if (!r) return die("demo data: " + r.error().message);
        demo = std::move(r.value());
    }

    auto transport = mail::make_transport(smtp, fs::path(var_dir) / "mail", clock);
    mail::MailWorker worker(*db.value(), *transport, clock);

    auto index = search::SearchIndex::open((fs::path(var_dir) / "search").string());
    if (!index) return die(index.error().message);
    search::Percolator percolator;
    app::AlertService alerts(*db.value(), clock, percolator, base_url);
    if (auto s = alerts.load(); !s) return die("saved searches: " + s.error().message);
    app::Indexer indexer(*db.value(), *index.value(),
                         [&alerts](const search::IndexedDoc& d) { return alerts.on_document(d); });
    // A new, lost or older-format index (or demo data written straight to the database) is rebuilt.
    if (indexer.needs_rebuild() || (demo && demo->loaded_now)) {
        auto n = indexer.reindex_all();
        if (!n) return die("search index: " + n.error().message);
        spdlog::info("search index rebuilt: {} documents", n.value());
    }

    web::SiteSettings site_settings;
    site_settings.base_url = base_url;
    site_settings.search_per_minute = search_rate;
    site_settings.exports_per_minute = export_rate;
    site_settings.static_dir = share_dir() / "static";
    site_settings.openapi_file = share_dir() / "openapi.json";
    site.emplace(web::SiteServices{accounts,
                                   orgs,
                                   reference,
                                   roadmaps,
                                   notices,
                                   *index.value(),
                                   alerts,
                                   contracts,
                                   external,
                                   sourcing,
                                   exchange,
                                   audit,
                                   events,
                                   pitches,
                                   news,
                                   observatory,
                                   clauses,
                                   tokens,
                                   oidc,
                                   exports,
                                   *db.value(),
                                   clock,
                                   [&worker, &indexer] {
                                       worker.poke();
                                       indexer.poke();
                                   }},
                 site_settings, *templates.value());
    site->register_routes(router);

    if (!port_file.empty()) {
        std::ofstream out(port_file + ".tmp");
        out << server.port() << "\n";
        out.close();
        fs::rename(port_file + ".tmp", port_file);
    }
    worker.start();
    indexer.start();
    alerts.start_digests();
    events.start_reminders();
    clauses.start_digests();
    if (demo)
        print_demo_banner(url, *demo);
    else
        std::cout << "Passerelle listening on " << url << std::endl;
    spdlog::info("serving {} on {} with {} threads", db.value()->describe(), url, threads);
    server.run(/*handle_signals=*/true);
    worker.stop();
    indexer.stop();
    alerts.stop_digests();
    events.stop_reminders();
    clauses.stop_digests();
    spdlog::info("stopped cleanly");
    return 0;
}
