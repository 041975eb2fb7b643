-- Changes waiting for the search indexer, written in the transaction that made them: a crash between the
-- database commit and the index update loses nothing (the indexer applies the row again).
CREATE TABLE search_outbox (
    id {{id}},
    kind TEXT NOT NULL CHECK (kind IN ('notice', 'roadmap')),
    entity_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
