-- Procurement roadmaps (feuilles de route achats): planned purchases of buyer organisations, their public
-- change history, and the companies that said they are interested.

CREATE TABLE roadmap_items (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'converted', 'abandoned')),
    title TEXT NOT NULL,
    search_text TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    amount_min BIGINT NOT NULL,
    amount_max BIGINT NOT NULL,
    quarter_year INTEGER NOT NULL,
    quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    procedure TEXT NOT NULL,
    lots TEXT NOT NULL DEFAULT '',
    clause_intent TEXT NOT NULL DEFAULT 'none',
    innovation INTEGER NOT NULL DEFAULT 0,
    contact_name TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    published_at BIGINT
);
CREATE INDEX roadmap_items_org ON roadmap_items (org_id, status);
CREATE INDEX roadmap_items_status_quarter ON roadmap_items (status, quarter_year, quarter);

CREATE TABLE roadmap_item_cpv (
    item_id BIGINT NOT NULL REFERENCES roadmap_items(id) ON DELETE CASCADE,
    cpv_code TEXT NOT NULL REFERENCES cpv(code),
    PRIMARY KEY (item_id, cpv_code)
);

CREATE TABLE roadmap_item_departements (
    item_id BIGINT NOT NULL REFERENCES roadmap_items(id) ON DELETE CASCADE,
    departement TEXT NOT NULL REFERENCES departements(code),
    PRIMARY KEY (item_id, departement)
);

CREATE TABLE roadmap_history (
    id {{id}},
    item_id BIGINT NOT NULL REFERENCES roadmap_items(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    summary TEXT NOT NULL
);
CREATE INDEX roadmap_history_item ON roadmap_history (item_id, at);

-- "Je suis intéressé": one row per company and item.
CREATE TABLE roadmap_interests (
    item_id BIGINT NOT NULL REFERENCES roadmap_items(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    message TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (item_id, org_id)
);
CREATE INDEX roadmap_interests_org ON roadmap_interests (org_id);
