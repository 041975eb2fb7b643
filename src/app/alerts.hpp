// AlertService: saved searches (recherches sauvegardées) and alerts — the "veille".
//
// A saved search is percolated against every notice or roadmap item that is published or amended (the
// Indexer calls on_document). A match becomes an alert with the reason it matched; it shows in the user's
// list and private Atom feed, and is e-mailed at once, or in a daily or weekly digest. Every e-mail carries
// a link that stops the e-mails without logging in.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/periodic.hpp"
#include "core/policy.hpp"
#include "core/result.hpp"
#include "search/percolator.hpp"
#include "storage/alert_store.hpp"
#include "storage/database.hpp"

namespace passerelle::app {

using core::Result;
using core::Status;

struct SavedSearchInput {
    std::string name;
    std::string frequency;  // immediate | daily | weekly
    search::SavedQuery query;
};

class AlertService {
  public:
    AlertService(storage::Database& db, const core::Clock& clock, search::Percolator& percolator, std::string base_url)
        : db_(db), clock_(clock), percolator_(percolator), base_url_(std::move(base_url)) {}
    ~AlertService() { loop_.stop(); }

    // Loads every saved search into the percolator (at start-up).
    Status load();
    Result<std::int64_t> save(const core::Actor& actor, const SavedSearchInput& in);
    Status remove(const core::Actor& actor, std::int64_t id);
    Result<std::vector<storage::alerts::SavedSearchRecord>> mine(const core::Actor& actor);
    Result<std::vector<storage::alerts::AlertRecord>> notifications(const core::Actor& actor, int limit = 50);
    // The Atom feed's content, found by its secret token.
    Result<std::pair<storage::alerts::SavedSearchRecord, std::vector<storage::alerts::AlertRecord>>> feed(
        const std::string& token);
    // Stops the e-mails of a saved search (the link in every alert e-mail); returns its name.
    Result<std::string> unsubscribe(const std::string& token);

    // A public document was published or amended: raise the alerts it deserves.
    Status on_document(const search::IndexedDoc& doc);
    // Daily and weekly digests that are due; returns how many e-mails were queued.
    Result<int> send_digests();
    void start_digests(int period_ms = 300000);
    void stop_digests() { loop_.stop(); }

  private:
    std::string url_of(const std::string& kind, std::int64_t id) const;

    storage::Database& db_;
    const core::Clock& clock_;
    search::Percolator& percolator_;
    std::string base_url_;
    core::Periodic loop_;
};

search::SavedQuery saved_query_of(const storage::alerts::SavedSearchRecord& r);

}  // namespace passerelle::app
