// The search outbox: which notices, roadmap items, contracts, imported notices and companies changed and
// must be (re)indexed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace passerelle::storage::search_outbox {

struct Change {
    std::int64_t id = 0;
    std::string kind;
    std::int64_t entity_id = 0;
};

Status enqueue(Connection& c, const std::string& kind, std::int64_t entity_id, std::int64_t now);
// The same for many entities of one kind, a few hundred rows per statement (bulk imports).
Status enqueue_many(Connection& c, const std::string& kind, const std::vector<std::int64_t>& entity_ids,
                    std::int64_t now);
Result<std::vector<Change>> pending(Connection& c, int limit);
// Removes the applied changes up to and including `last_id`, and records it as the acknowledged position
// (call it in a transaction).
Status acknowledge(Connection& c, std::int64_t last_id);
Status clear(Connection& c);

// Where the outbox stands: the database's identifier (random, created with the schema), the last change
// acknowledged (ids only grow) and the newest change written (the acknowledged one when none waits). An index
// that applied every change up to some id between the two reflects this database.
struct Position {
    std::string database_id;
    std::int64_t acknowledged = 0;
    std::int64_t newest = 0;
};
Result<Position> position(Connection& c);
// Ids of the public notices and roadmap items (not drafts), or of all contracts, imported notices or
// companies, for a full reindex.
Result<std::vector<std::int64_t>> public_ids(Connection& c, const std::string& kind, std::int64_t after, int limit);

}  // namespace passerelle::storage::search_outbox
