-- Notices published elsewhere and imported (BOAMP XML, EU eForms): searchable and alerting like the
-- platform's own, shown with a link to the original. Upserted by (source, source_id); lots as JSON text.
CREATE TABLE external_notices (
    id {{id}},
    source TEXT NOT NULL CHECK (source IN ('boamp', 'eforms')),
    source_id TEXT NOT NULL,
    notice_type TEXT NOT NULL CHECK (notice_type IN ('competition', 'award', 'planning', 'other')),
    buyer_name TEXT NOT NULL DEFAULT '',
    buyer_identifier TEXT NOT NULL DEFAULT '',
    buyer_org_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
    reference TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    procedure TEXT NOT NULL DEFAULT '',
    procedure_text TEXT NOT NULL DEFAULT '',
    cpv_codes TEXT NOT NULL DEFAULT '',
    departements TEXT NOT NULL DEFAULT '',
    reservation TEXT NOT NULL DEFAULT '',
    published_on TEXT NOT NULL DEFAULT '',
    bid_deadline BIGINT,
    url TEXT NOT NULL DEFAULT '',
    lots_json TEXT NOT NULL DEFAULT '[]',
    content_hash TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (source, source_id)
);

-- The search outbox carries every indexed kind; the kind is checked by the application.
CREATE TABLE search_outbox_v3 (
    id {{id}},
    kind TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
INSERT INTO search_outbox_v3 (kind, entity_id, created_at) SELECT kind, entity_id, created_at FROM search_outbox ORDER BY id;
DROP TABLE search_outbox;
ALTER TABLE search_outbox_v3 RENAME TO search_outbox;
