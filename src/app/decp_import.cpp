#include "app/decp_import.hpp"

#include <simdjson.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "app/crypto.hpp"
#include "app/csv.hpp"
#include "app/organisations.hpp"
#include "app/text_file.hpp"
#include "core/decp.hpp"
#include "core/french.hpp"
#include "core/siret.hpp"
#include "core/validation.hpp"
#include "storage/contract_store.hpp"
#include "storage/org_store.hpp"
#include "storage/search_outbox_store.hpp"

namespace passerelle::app {

namespace od = simdjson::ondemand;
using core::Error;
using core::Result;
using core::Status;

namespace {

using core::trim;

constexpr std::size_t kMaxListed = 10000;  // issues kept per list in the report (counts stay exact)

// Text of a scalar JSON value ("30000.00" and 30000 alike); empty for null, objects and arrays.
std::string scalar(od::value v) {
    od::json_type t;
    if (v.type().get(t)) return {};
    switch (t) {
        case od::json_type::string: {
            std::string_view s;
            if (v.get_string().get(s)) return {};
            return std::string(s);
        }
        case od::json_type::number:
        case od::json_type::boolean:
            return trim(v.raw_json_token());
        default:
            return {};
    }
}

// A key without its surrounding spaces (a view into the parser's buffer, valid for the document).
template <typename Field>
std::string_view key_of(Field& field) {
    return core::trim_view(field.unescaped_key().value());
}

// A party: {"id", "typeIdentifiant", "denominationSociale"|"nom"}, or the 2024 wrapper {"titulaire": {...}}.
void read_party(od::value v, core::RawParty& p) {
    od::object o;
    if (v.get_object().get(o)) return;
    for (auto field : o) {
        std::string_view key = key_of(field);
        od::value val = field.value();
        if (key == "id")
            p.id = scalar(val);
        else if (key == "typeIdentifiant")
            p.id_type = scalar(val);
        else if (key == "denominationSociale" || key == "nom")
            p.name = scalar(val);
        else if (key == "titulaire" || key == "concessionnaire")
            read_party(val, p);
    }
}

void read_parties(od::value v, std::vector<core::RawParty>& out) {
    od::array a;
    if (v.get_array().get(a)) return;
    for (auto item : a) {
        core::RawParty p;
        read_party(item.value(), p);
        out.push_back(std::move(p));
    }
}

void read_strings(od::value v, std::vector<std::string>& out) {
    od::json_type t;
    if (v.type().get(t)) return;
    if (t == od::json_type::array) {
        for (auto item : v.get_array()) {
            std::string s = scalar(item.value());
            if (!s.empty()) out.push_back(std::move(s));
        }
    } else if (t == od::json_type::object) {
        for (auto field : v.get_object()) read_strings(field.value(), out);  // {"considerationSociale": [...]}
    } else if (t == od::json_type::string) {
        out.push_back(scalar(v));
    }
}

void read_record(od::object o, core::RawContract& r) {
    for (auto field : o) {
        std::string_view key = key_of(field);
        od::value v = field.value();
        if (key == "id")
            r.id = scalar(v);
        else if (key == "uid")
            r.uid = scalar(v);
        else if (key == "source")
            r.source = scalar(v);
        else if (key == "_type") {
            if (scalar(v).find("oncession") != std::string::npos) r.kind = "concession";
        } else if (key == "acheteur" || key == "autoriteConcedante")
            read_party(v, r.buyer);
        else if (key == "titulaires" || key == "concessionnaires")
            read_parties(v, r.suppliers);
        else if (key == "nature")
            r.nature = scalar(v);
        else if (key == "objet")
            r.object = scalar(v);
        else if (key == "codeCPV")
            r.cpv = scalar(v);
        else if (key == "procedure")
            r.procedure = scalar(v);
        else if (key == "dureeMois")
            r.duration_months = scalar(v);
        else if (key == "dateNotification" || key == "dateSignature")
            r.notified = scalar(v);
        else if (key == "datePublicationDonnees")
            r.published = scalar(v);
        else if (key == "montant" || key == "valeurGlobale")
            r.amount = scalar(v);
        else if (key == "considerationsSociales")
            read_strings(v, r.social_considerations);
        else if (key == "lieuExecution") {
            od::object place;
            if (v.get_object().get(place)) continue;
            for (auto pf : place) {
                std::string_view pk = key_of(pf);
                od::value pv = pf.value();
                if (pk == "code")
                    r.place_code = scalar(pv);
                else if (pk == "typeCode")
                    r.place_type = scalar(pv);
                else if (pk == "nom")
                    r.place_name = scalar(pv);
            }
        }
    }
}

// Kind of a warning: its text with the quoted value replaced by "…".
std::string warning_kind(const std::string& w) {
    auto open = w.find("«");
    auto close = w.find("»", open == std::string::npos ? 0 : open);
    if (open == std::string::npos || close == std::string::npos) return w;
    return w.substr(0, open) + "…" + w.substr(close + std::string("»").size());
}

std::string content_hash(const core::AwardedContract& c) {
    std::string s;
    auto add = [&](const std::string& v) {
        s += v;
        s.push_back('\x1f');
    };
    for (const auto* v : {&c.source_id, &c.format, &c.kind, &c.source, &c.buyer.id, &c.buyer.name, &c.nature, &c.object,
                          &c.cpv, &c.procedure_text, &c.place_code, &c.departement, &c.notified_on, &c.published_on})
        add(*v);
    add(c.duration_months ? std::to_string(*c.duration_months) : "");
    if (c.amount) {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%.2f", *c.amount);
        add(buf);
    } else {
        add("");
    }
    add(c.social_clause ? "1" : "0");
    for (const auto& p : c.suppliers) add(p.id + "\x1e" + p.id_type + "\x1e" + p.name);
    return fingerprint_hex(s);
}

std::string join_lines(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) {
        if (!out.empty()) out.push_back('\n');
        out += s;
    }
    return out;
}

using storage::contracts::ContractRecord;

// The row of a normalised record, but for its organisations (the record's texts move into it): the writer
// links them to its buyer and suppliers.
ContractRecord to_row(core::AwardedContract& k, std::int64_t position, const std::string& file) {
    ContractRecord rec;
    rec.content_hash = content_hash(k);
    rec.warnings = join_lines(k.warnings);
    for (auto& p : k.suppliers)
        rec.suppliers.push_back({std::nullopt, std::move(p.id), std::move(p.id_type), std::move(p.name), ""});
    rec.key = std::move(k.key);
    rec.source_id = std::move(k.source_id);
    rec.format = std::move(k.format);
    rec.kind = std::move(k.kind);
    rec.source = std::move(k.source);
    rec.buyer_identifier = std::move(k.buyer.id);
    rec.buyer_name = std::move(k.buyer.name);
    rec.nature = std::move(k.nature);
    rec.object = std::move(k.object);
    rec.cpv = std::move(k.cpv);
    rec.procedure = std::move(k.procedure);
    rec.procedure_text = std::move(k.procedure_text);
    rec.place_code = std::move(k.place_code);
    rec.departement = std::move(k.departement);
    if (k.duration_months) rec.duration_months = *k.duration_months;
    rec.notified_on = std::move(k.notified_on);
    rec.published_on = std::move(k.published_on);
    rec.amount = k.amount;
    rec.social_clause = k.social_clause;
    rec.source_file = file;
    rec.source_position = position;
    return rec;
}

// One import run, on two threads: the caller's reads and normalises the records (the report's read,
// rejected and warning counts are its own), a writer writes them a batch per transaction, in order, with
// the organisation cache (the imported, updated, unchanged and superseded counts are its). One batch
// waits while the previous one is written: reading and writing overlap, memory stays two batches. A batch
// written goes back to the reading thread to be freed there (its texts were allocated there: the writer,
// the slower of the two, neither frees them nor takes the other's allocator locks).
class Run {
  public:
    Run(storage::Database& db, const core::Clock& clock, ImportReport& report, std::size_t batch_size)
        : db_(db), clock_(clock), report_(report), batch_size_(batch_size) {}
    ~Run() { stop_writer(); }

    Status start() {
        auto orgs = storage::fetch<std::unordered_map<std::string, std::int64_t>>(
            db_, [](storage::Connection& c) { return storage::orgs::org_ids_by_siret(c); });
        if (!orgs) return orgs.error();
        orgs_ = std::move(orgs.value());
        writer_ = std::thread([this] { write_batches(); });
        return {};
    }

    // On the reading thread.
    Status add(std::int64_t position, core::RawContract raw) {
        ++report_.read;
        normalise(position, std::move(raw));
        if (pending_.size() >= batch_size_) return hand_over();
        return {};
    }

    // The last batch, once written: the run's outcome.
    Status finish() {
        if (auto st = hand_over(); !st) return st;
        stop_writer();
        std::unique_lock lock(mu_);
        written_batch_ = {};  // the last batch freed too before the import's duration is taken
        return failed_;
    }

  private:
    void listed(std::vector<ImportIssue>& list, ImportIssue issue) {
        if (list.size() < kMaxListed) list.push_back(std::move(issue));
    }

    // The record normalised into the pending batch, unless it is rejected (counted and listed). No database.
    void normalise(std::int64_t pos, core::RawContract raw) {
        std::string id = trim(raw.id);  // (for a rejection: the record's texts move into the result)
        auto n = core::normalise(std::move(raw));
        if (!n) {
            ++report_.rejected;
            listed(report_.rejections, {pos, std::move(id), n.error().message});
            return;
        }
        core::AwardedContract& k = n.value();
        if (!k.warnings.empty()) {
            ++report_.with_warnings;
            std::set<std::string> kinds;
            for (const auto& w : k.warnings) {
                listed(report_.warnings, {pos, k.source_id, w});
                kinds.insert(warning_kind(w));
            }
            for (const auto& kind : kinds) ++report_.warning_counts[kind];
        }
        if (pending_.capacity() == 0) pending_.reserve(batch_size_);
        pending_.push_back(to_row(k, pos, report_.file));
    }

    // Gives the pending records to the writer, once it has taken the previous batch.
    Status hand_over() {
        std::vector<ContractRecord> spent;  // freed when this returns, the writer at work meanwhile
        std::unique_lock lock(mu_);
        taken_.wait(lock, [&] { return !queued_ || !failed_; });
        if (!failed_) return failed_;
        spent = std::move(written_batch_);
        written_batch_.clear();
        if (!pending_.empty()) {
            queued_ = std::move(pending_);
            pending_.clear();
            queued_cv_.notify_one();
        }
        lock.unlock();
        return {};
    }

    void stop_writer() {
        if (!writer_.joinable()) return;
        {
            std::unique_lock lock(mu_);
            closing_ = true;
            queued_cv_.notify_one();
        }
        writer_.join();
    }

    // The writer thread: each batch handed over, in order, until the run closes or a batch fails.
    void write_batches() {
        while (true) {
            std::vector<ContractRecord> batch;
            {
                std::unique_lock lock(mu_);
                queued_cv_.wait(lock, [&] { return queued_.has_value() || closing_; });
                if (!queued_) return;
                batch = std::move(*queued_);
                queued_.reset();
                taken_.notify_one();
            }
            Status st;
            try {
                st = write(batch);
                std::lock_guard lock(mu_);
                // (What the reading thread has not taken yet, usually nothing, comes back to be freed here.)
                std::swap(written_batch_, batch);
            } catch (const std::exception& e) {
                st = Error::Internal(std::string("import DECP : ") + e.what());
            }
            if (!st) {
                std::unique_lock lock(mu_);
                failed_ = st;
                taken_.notify_one();
                return;
            }
        }
    }

    Status write(std::vector<ContractRecord>& records) {
        const std::int64_t now = clock_.now();
        return db_.transaction([&](storage::Connection& c) -> Status {
            to_index_.clear();
            companies_to_index_.clear();
            // Their organisations resolved, then written a few dozen per statement, then each record not
            // new (its key exists) compared and updated, in the file's order.
            for (auto& rec : records)
                if (auto st = link(c, rec, now); !st) return st;
            auto ids = storage::contracts::insert_many_if_new(c, records, now);
            if (!ids) return ids.error();
            for (std::size_t i = 0; i < records.size(); ++i)
                if (auto s = written(c, records[i], ids.value()[i], now); !s) return s;
            // What the indexer must read again, in the same transaction: each contract written, and each
            // of their suppliers' directory entries (their references changed) once per batch.
            if (auto s = storage::search_outbox::enqueue_many(c, "contract", to_index_, now); !s) return s;
            return storage::search_outbox::enqueue_many(
                c, "company", std::vector<std::int64_t>(companies_to_index_.begin(), companies_to_index_.end()), now);
        });
    }

    // The organisation of a party with a valid SIRET: known, or created (unclaimed) when it has a name.
    Result<std::optional<std::int64_t>> resolve(storage::Connection& c, const std::string& siret,
                                                const std::string& name, const char* kind, std::int64_t now) {
        if (auto it = orgs_.find(siret); it != orgs_.end()) return std::optional<std::int64_t>(it->second);
        if (name.empty()) return std::optional<std::int64_t>{};
        auto id = storage::orgs::insert_org(c, unclaimed_profile(kind, siret, name), now);
        if (!id) return id.error();
        orgs_.emplace(siret, id.value());
        ++report_.organisations_created;
        return std::optional<std::int64_t>(id.value());
    }

    // The row's buyer and suppliers linked to their organisations.
    Status link(storage::Connection& c, ContractRecord& rec, std::int64_t now) {
        if (core::is_valid_siret(rec.buyer_identifier)) {
            auto buyer = resolve(c, rec.buyer_identifier, rec.buyer_name, "buyer", now);
            if (!buyer) return buyer.error();
            rec.buyer_org_id = buyer.value();
        }
        for (auto& s : rec.suppliers) {
            if (!core::is_valid_siret(s.identifier)) continue;
            auto org = resolve(c, s.identifier, s.name, "company", now);
            if (!org) return org.error();
            s.org_id = org.value();
        }
        return {};
    }

    // After the batch's insert: counted if it was new, else compared with the row of its key and updated.
    Status written(storage::Connection& c, storage::contracts::ContractRecord& rec, std::optional<std::int64_t> new_id,
                   std::int64_t now) {
        const std::int64_t pos = rec.source_position;
        if (new_id) {
            written_.insert(*new_id);
            ++report_.imported;
            reindex_later(*new_id, rec);
            return {};
        }
        auto existing = storage::contracts::find_by_key(c, rec.key);
        if (!existing) return existing.error();
        if (!existing.value()) return core::Error::Internal("contract key vanished: " + rec.key);
        const auto& e = *existing.value();
        const bool same_file = e.source_file == report_.file;
        if (same_file && e.source_position > pos) {  // a later record of this file has the same key
            ++report_.superseded;
            listed(report_.supersessions,
                   {pos, rec.source_id,
                    "remplacé par l'enregistrement n° " + std::to_string(e.source_position) + " (même clé)"});
            return {};
        }
        const bool earlier_in_this_run = same_file && written_.count(e.id) > 0;
        if (e.content_hash == rec.content_hash && !earlier_in_this_run) {
            ++report_.unchanged;
            return {};
        }
        rec.id = e.id;
        if (auto st = storage::contracts::update(c, rec, now); !st) return st;
        if (earlier_in_this_run) {
            // The record written earlier in this run is the one superseded.
            ++report_.superseded;
            listed(report_.supersessions, {e.source_position, rec.source_id,
                                           "remplacé par l'enregistrement n° " + std::to_string(pos) + " (même clé)"});
        } else {
            ++report_.updated;
        }
        written_.insert(e.id);
        reindex_later(e.id, rec);
        return {};
    }

    // The contract, and its suppliers' directory entries, are reindexed when the batch is written.
    void reindex_later(std::int64_t id, const storage::contracts::ContractRecord& rec) {
        to_index_.push_back(id);
        for (const auto& s : rec.suppliers)
            if (s.org_id) companies_to_index_.insert(*s.org_id);
    }

    storage::Database& db_;
    const core::Clock& clock_;
    ImportReport& report_;
    std::size_t batch_size_;
    std::vector<ContractRecord> pending_;  // reading thread
    // Between the threads.
    std::mutex mu_;
    std::condition_variable queued_cv_, taken_;
    std::optional<std::vector<ContractRecord>> queued_;
    std::vector<ContractRecord> written_batch_;  // to be freed by the reading thread
    bool closing_ = false;
    Status failed_;
    std::thread writer_;
    // Writer thread.
    std::unordered_map<std::string, std::int64_t> orgs_;
    std::unordered_set<std::int64_t> written_;
    std::vector<std::int64_t> to_index_;         // contracts written in the batch
    std::set<std::int64_t> companies_to_index_;  // their suppliers
};

Status read_json(simdjson::padded_string_view text, ImportReport& report, const DecpSink& sink,
                 const DecpImporter::Progress& progress) {
    od::parser parser;
    od::document doc;
    std::int64_t position = 0;
    auto report_progress = [&] {
        if (!progress || position % 1000 != 0) return;
        const char* at = nullptr;
        if (!doc.current_location().get(at)) progress(static_cast<std::uint64_t>(at - text.data()), text.size());
    };
    auto records = [&](od::array arr, const char* kind) -> Status {
        for (auto item : arr) {
            ++position;
            od::value v = item.value();
            od::object o;
            core::RawContract raw;
            raw.format = report.format;
            raw.kind = kind;
            if (v.get_object().get(o)) {
                ++report.read;
                ++report.rejected;
                report.rejections.push_back({position, "", "l'enregistrement n'est pas un objet JSON"});
                continue;
            }
            read_record(o, raw);
            if (auto st = sink(position, std::move(raw)); !st) return st;
            report_progress();
        }
        return {};
    };
    try {
        if (auto err = parser.iterate(text).get(doc); err) throw simdjson::simdjson_error(err);
        od::json_type t = doc.type();
        if (t == od::json_type::array) {
            report.format = "decp-v1";
            return records(doc.get_array(), "marche");
        }
        bool found = false;
        for (auto field : doc.get_object()) {
            if (key_of(field) != "marches") continue;
            found = true;
            od::value m = field.value();
            if (m.type() == od::json_type::array) {
                report.format = "decp-v1";
                if (auto st = records(m.get_array(), "marche"); !st) return st;
            } else {
                report.format = "decp-v2";
                for (auto part : m.get_object()) {
                    std::string_view pk = key_of(part);
                    const char* kind = pk == "marche" ? "marche" : pk == "contrat-concession" ? "concession" : nullptr;
                    if (!kind) continue;
                    if (auto st = records(part.value().get_array(), kind); !st) return st;
                }
            }
        }
        if (!found) report.stopped = "aucune liste « marches » dans ce fichier JSON : ce n'est pas un fichier DECP";
    } catch (const simdjson::simdjson_error& e) {
        // (The document cannot tell its position once in error: the record number says where.)
        report.stopped = "JSON illisible après l'enregistrement n° " + std::to_string(position) + " (" + e.what() +
                         ") : la suite du fichier n'a pas été lue";
    }
    return {};
}

Status read_csv(const std::string& text, ImportReport& report, const DecpSink& sink,
                const DecpImporter::Progress& progress) {
    report.format = "decp-csv";
    std::size_t pos = text.rfind(kCsvBom, 0) == 0 ? 3 : 0;
    std::vector<std::string> f;
    if (!read_csv_record(text, pos, f)) {
        report.stopped = "fichier CSV vide";
        return {};
    }
    std::unordered_map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < f.size(); ++i) col[trim(f[i])] = i;
    for (const char* required : {"id", "acheteur_id", "titulaire_id", "dateNotification"})
        if (!col.count(required)) {
            report.stopped =
                std::string("colonne « ") + required + " » absente de l'en-tête : ce n'est pas un CSV DECP";
            return {};
        }
    auto cell = [&](const char* name) -> std::string {
        auto it = col.find(name);
        return it == col.end() || it->second >= f.size() ? std::string() : f[it->second];
    };
    std::int64_t line = 1;
    core::RawContract cur;
    std::string cur_key;
    std::int64_t cur_line = 0;
    while (read_csv_record(text, pos, f)) {
        ++line;
        if (f.size() == 1 && trim(f[0]).empty()) continue;  // blank line
        ++report.rows;
        std::string key = cell("acheteur_id") + "|" + cell("id") + "|" + cell("dateNotification");
        core::RawParty supplier{cell("titulaire_id"), cell("titulaire_id").size() == 14 ? "SIRET" : "",
                                cell("titulaire_nom")};
        if (key == cur_key) {
            cur.suppliers.push_back(std::move(supplier));
            continue;
        }
        if (!cur_key.empty())
            if (auto st = sink(cur_line, std::move(cur)); !st) return st;
        cur = core::RawContract{};
        cur.format = "decp-csv";
        cur.kind = "marche";
        cur.id = cell("id");
        cur.uid = cell("uid");
        cur.buyer = {cell("acheteur_id"), "", cell("acheteur_nom")};
        cur.suppliers.push_back(std::move(supplier));
        cur.nature = cell("type");
        cur.cpv = cell("codeCPV");
        cur.procedure = cell("procedure");
        cur.duration_months = cell("dureeMois");
        cur.notified = cell("dateNotification");
        cur.amount = cell("montant");
        cur.buyer_departement = cell("acheteur_departement_code");
        cur_key = key;
        cur_line = line;
        if (progress && report.rows % 1000 == 0) progress(pos, text.size());
    }
    if (!cur_key.empty())
        if (auto st = sink(cur_line, std::move(cur)); !st) return st;
    return {};
}

}  // namespace

Status read_decp(const std::string& text, ImportReport& report, const DecpSink& sink,
                 const DecpImporter::Progress& progress) {
    std::size_t first = 0;
    if (text.rfind(kCsvBom, 0) == 0) first = 3;
    while (first < text.size() && std::isspace(static_cast<unsigned char>(text[first]))) ++first;
    if (first < text.size() && (text[first] == '{' || text[first] == '[')) {
        // Parsed in place when the string has room for simdjson's padding after its end (read_file's do).
        if (text.capacity() >= text.size() + simdjson::SIMDJSON_PADDING)
            return read_json(simdjson::padded_string_view(text), report, sink, progress);
        simdjson::padded_string padded(text);
        return read_json(padded, report, sink, progress);
    }
    return read_csv(text, report, sink, progress);
}

Result<ImportReport> DecpImporter::import_file(const std::filesystem::path& file, const Progress& progress) {
    const auto started = std::chrono::steady_clock::now();
    ImportReport report;
    report.file = file.filename().string();
    auto text = read_file(file);
    if (!text) return text.error();
    Run run(db_, clock_, report, batch_size_);
    if (auto st = run.start(); !st) return st.error();
    auto sink = [&run](std::int64_t position, core::RawContract raw) { return run.add(position, std::move(raw)); };
    if (auto st = read_decp(text.value(), report, sink, progress); !st) return st.error();
    if (auto f = run.finish(); !f) return f.error();
    if (progress) progress(text->size(), text->size());
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

std::string report_json(const ImportReport& r) {
    auto issues = [](const std::vector<ImportIssue>& v) {
        nlohmann::json a = nlohmann::json::array();
        for (const auto& i : v) a.push_back({{"position", i.position}, {"id", i.id}, {"message", i.message}});
        return a;
    };
    nlohmann::json j = {{"file", r.file},
                        {"format", r.format},
                        {"rows", r.rows},
                        {"read", r.read},
                        {"imported", r.imported},
                        {"updated", r.updated},
                        {"unchanged", r.unchanged},
                        {"superseded", r.superseded},
                        {"rejected", r.rejected},
                        {"with_warnings", r.with_warnings},
                        {"organisations_created", r.organisations_created},
                        {"warning_counts", r.warning_counts},
                        {"rejections", issues(r.rejections)},
                        {"warnings", issues(r.warnings)},
                        {"supersessions", issues(r.supersessions)},
                        {"stopped", r.stopped},
                        {"seconds", r.seconds}};
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string report_text(const ImportReport& r) {
    auto n = [](std::int64_t v) { return core::format_integer_fr(v); };
    const char* format = r.format == "decp-v1"    ? "DECP JSON 2019"
                         : r.format == "decp-v2"  ? "DECP JSON 2024"
                         : r.format == "decp-csv" ? "DECP CSV tabulaire"
                                                  : "inconnu";
    std::ostringstream o;
    o << "Fichier : " << r.file << " (format " << format << ")\n";
    if (r.format == "decp-csv") o << "Lignes lues : " << n(r.rows) << "\n";
    o << "Enregistrements lus : " << n(r.read) << "\n"
      << "  importés : " << n(r.imported) << "\n"
      << "  mis à jour : " << n(r.updated) << "\n"
      << "  inchangés : " << n(r.unchanged) << "\n"
      << "  remplacés par un enregistrement ultérieur de même clé : " << n(r.superseded) << "\n"
      << "  rejetés : " << n(r.rejected) << "\n"
      << "Conservés avec avertissement : " << n(r.with_warnings) << "\n";
    for (const auto& [kind, count] : r.warning_counts) o << "  - " << kind << " : " << n(count) << "\n";
    if (!r.rejections.empty()) {
        o << "Rejets :\n";
        std::size_t shown = 0;
        for (const auto& i : r.rejections) {
            if (++shown > 20) {
                o << "  … et " << n(r.rejected - 20) << " autres (détail avec --report)\n";
                break;
            }
            o << "  - enregistrement n° " << i.position << (i.id.empty() ? "" : " (id " + i.id + ")") << " : "
              << i.message << "\n";
        }
    }
    o << "Organisations créées (profils non revendiqués) : " << n(r.organisations_created) << "\n";
    if (!r.stopped.empty()) o << "ATTENTION : " << r.stopped << "\n";
    char rate[64];
    std::snprintf(rate, sizeof rate, "%.2f s (%.0f enregistrements/s)", r.seconds,
                  r.seconds > 0 ? static_cast<double>(r.read) / r.seconds : 0.0);
    o << "Durée : " << rate << "\n";
    return o.str();
}

}  // namespace passerelle::app
