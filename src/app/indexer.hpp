// Indexer: keeps the search index in step with the database. Changes are read from the search outbox
// (written in the same transactions as the changes themselves), applied to the index, committed, and only
// then acknowledged: a crash in between applies them again, which is harmless. Drafts are removed from
// the index; everything else public is indexed with its CPV labels.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "core/periodic.hpp"
#include "core/result.hpp"
#include "search/search_index.hpp"
#include "storage/contract_store.hpp"
#include "storage/database.hpp"

namespace passerelle::app {

// Midnight UTC of a "YYYY-MM-DD" day as Unix seconds; 0 when it is not such a day.
std::int64_t day_start(const std::string& day);
// When an awarded contract took effect (notification, else publication date), as Unix seconds; 0 if unknown.
std::int64_t contract_date(const storage::contracts::ContractRecord& r);
// The title of a contract published without object: "Marché de travaux — Travaux de construction…".
std::string contract_title(const std::string& nature, const std::vector<std::string>& cpv_labels);

// Where a document of the index lives on the site ("/consultations/12"), and what people call it.
std::string entity_path(const std::string& kind, std::int64_t id);
std::string entity_label(const std::string& kind);

class Indexer {
  public:
    // `on_published` is called for every published notice or roadmap item applied from the outbox (new or
    // amended), not during a full reindex.
    Indexer(storage::Database& db, search::SearchIndex& index,
            std::function<core::Status(const search::IndexedDoc&)> on_published = {})
        : db_(db), index_(index), on_published_(std::move(on_published)) {}
    ~Indexer() { loop_.stop(); }

    // Applies up to `limit` pending changes; returns how many.
    core::Result<int> apply_outbox(int limit = 500);
    // Rebuilds the whole index from the database and marks it with kFormat, the database's identifier and the
    // newest outbox change it reflects; returns the number of documents indexed.
    core::Result<std::int64_t> reindex_all();
    // What the documents are made of; a change here (a new kind, new fields) rebuilds existing indexes.
    static constexpr const char* kFormat = "5: place and domain pairs";
    // True when the index is empty, was built with another format, or does not reflect this database: built
    // from another one (its identifier differs: another --db with the same var/, a restored backup), or at
    // another point of its history (the last change it applied is not between the database's acknowledged
    // and newest outbox changes). A database that cannot be read counts as a mismatch.
    bool needs_rebuild();
    // The document for one notice or roadmap item, or nullopt when it must not be in the index.
    core::Result<std::optional<search::IndexedDoc>> build(const std::string& kind, std::int64_t id);

    void start(int period_ms = 1000);
    void poke() { loop_.poke(); }
    void stop() { loop_.stop(); }

  private:
    storage::Database& db_;
    search::SearchIndex& index_;
    std::function<core::Status(const search::IndexedDoc&)> on_published_;
    core::Periodic loop_;
};

}  // namespace passerelle::app
