-- Saved searches (recherches sauvegardées) and the alerts they raise (veille).
CREATE TABLE saved_searches (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    query_text TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    departement TEXT NOT NULL DEFAULT '',
    cpv_division TEXT NOT NULL DEFAULT '',
    clause TEXT NOT NULL DEFAULT '',
    procedure TEXT NOT NULL DEFAULT '',
    frequency TEXT NOT NULL CHECK (frequency IN ('immediate', 'daily', 'weekly')),
    feed_token TEXT NOT NULL UNIQUE,
    unsubscribe_token TEXT NOT NULL UNIQUE,
    email_active INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    last_digest_at BIGINT NOT NULL
);
CREATE INDEX saved_searches_user ON saved_searches (user_id);

CREATE TABLE alerts (
    id {{id}},
    saved_search_id BIGINT NOT NULL REFERENCES saved_searches(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    title TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    emailed_at BIGINT,
    UNIQUE (saved_search_id, kind, entity_id)
);
CREATE INDEX alerts_created ON alerts (saved_search_id, created_at);
