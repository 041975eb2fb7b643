-- Tender notices (consultations) with their lots, amendment history, followers and questions/answers.

CREATE TABLE notices (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    roadmap_item_id BIGINT REFERENCES roadmap_items(id) ON DELETE SET NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'closed', 'awarded', 'unsuccessful')),
    reference TEXT NOT NULL,
    title TEXT NOT NULL,
    search_text TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    procedure TEXT NOT NULL,
    bid_deadline BIGINT NOT NULL,
    question_deadline BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    published_at BIGINT,
    UNIQUE (org_id, reference)
);
CREATE INDEX notices_status_deadline ON notices (status, bid_deadline);

CREATE TABLE lots (
    id {{id}},
    notice_id BIGINT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    cpv_code TEXT NOT NULL REFERENCES cpv(code),
    estimated_amount BIGINT NOT NULL DEFAULT 0,
    clause_kind TEXT NOT NULL DEFAULT 'none',
    insertion_hours BIGINT NOT NULL DEFAULT 0,
    UNIQUE (notice_id, number)
);

CREATE TABLE lot_departements (
    lot_id BIGINT NOT NULL REFERENCES lots(id) ON DELETE CASCADE,
    departement TEXT NOT NULL REFERENCES departements(code),
    PRIMARY KEY (lot_id, departement)
);

CREATE TABLE notice_history (
    id {{id}},
    notice_id BIGINT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('published', 'amendment', 'status')),
    summary TEXT NOT NULL
);
CREATE INDEX notice_history_notice ON notice_history (notice_id, at);

CREATE TABLE notice_follows (
    notice_id BIGINT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (notice_id, user_id)
);
CREATE INDEX notice_follows_user ON notice_follows (user_id);

CREATE TABLE notice_questions (
    id {{id}},
    notice_id BIGINT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    asker_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    asker_org_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
    question TEXT NOT NULL,
    asked_at BIGINT NOT NULL,
    answer TEXT,
    answered_at BIGINT,
    answered_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX notice_questions_notice ON notice_questions (notice_id, asked_at);
