-- Awarded contracts (marchés attribués): imported from DECP open data or recorded when a notice is awarded
-- on the platform. `contract_key` is the upsert key (buyer id | contract id | notification date);
-- `content_hash` tells an unchanged record from an updated one; `source_file`/`source_position` let a
-- re-import recognise a record superseded by a later one of the same file.
CREATE TABLE contracts (
    id {{id}},
    contract_key TEXT NOT NULL UNIQUE,
    source_id TEXT NOT NULL,
    format TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('marche', 'concession')),
    source TEXT NOT NULL DEFAULT '',
    notice_id BIGINT REFERENCES notices(id) ON DELETE SET NULL,
    buyer_org_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
    buyer_identifier TEXT NOT NULL,
    buyer_name TEXT NOT NULL DEFAULT '',
    nature TEXT NOT NULL DEFAULT '',
    object TEXT NOT NULL DEFAULT '',
    cpv TEXT NOT NULL DEFAULT '',
    procedure TEXT NOT NULL DEFAULT '',
    procedure_text TEXT NOT NULL DEFAULT '',
    place_code TEXT NOT NULL DEFAULT '',
    departement TEXT NOT NULL DEFAULT '',
    duration_months INTEGER,
    notified_on TEXT NOT NULL DEFAULT '',
    published_on TEXT NOT NULL DEFAULT '',
    amount DOUBLE PRECISION,
    social_clause INTEGER NOT NULL DEFAULT 0,
    warnings TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    source_file TEXT NOT NULL DEFAULT '',
    source_position BIGINT NOT NULL DEFAULT 0,
    imported_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX contracts_buyer ON contracts (buyer_org_id);
CREATE INDEX contracts_notified ON contracts (notified_on);
CREATE INDEX contracts_cpv ON contracts (cpv);

CREATE TABLE contract_suppliers (
    contract_id BIGINT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    org_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
    identifier TEXT NOT NULL DEFAULT '',
    identifier_type TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (contract_id, position)
);
CREATE INDEX contract_suppliers_org ON contract_suppliers (org_id);

-- The search outbox now also carries awarded contracts.
CREATE TABLE search_outbox_v2 (
    id {{id}},
    kind TEXT NOT NULL CHECK (kind IN ('notice', 'roadmap', 'contract')),
    entity_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
INSERT INTO search_outbox_v2 (kind, entity_id, created_at) SELECT kind, entity_id, created_at FROM search_outbox ORDER BY id;
DROP TABLE search_outbox;
ALTER TABLE search_outbox_v2 RENAME TO search_outbox;
