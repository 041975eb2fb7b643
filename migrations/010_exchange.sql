-- The co-contracting and subcontracting exchange (bourse à la co-traitance): partnership offers on a
-- notice or one of its lots, private conversations between two companies, consortium workspaces, and the
-- reports that organisers moderate.
CREATE TABLE partnership_offers (
    id {{id}},
    notice_id BIGINT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    lot_number INTEGER,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    author_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('seek_cocontractor', 'seek_lead', 'seek_subcontractor',
                                       'offer_cocontractor', 'offer_subcontractor')),
    share_percent INTEGER,
    description TEXT NOT NULL,
    search_text TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('open', 'found', 'abandoned')),
    hidden INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX partnership_offers_notice ON partnership_offers (notice_id, status);
CREATE INDEX partnership_offers_org ON partnership_offers (org_id);

CREATE TABLE partnership_offer_cpv (
    offer_id BIGINT NOT NULL REFERENCES partnership_offers(id) ON DELETE CASCADE,
    cpv_code TEXT NOT NULL,
    PRIMARY KEY (offer_id, cpv_code)
);

CREATE TABLE partnership_offer_departements (
    offer_id BIGINT NOT NULL REFERENCES partnership_offers(id) ON DELETE CASCADE,
    departement TEXT NOT NULL,
    PRIMARY KEY (offer_id, departement)
);

-- One conversation per offer and answering company.
CREATE TABLE conversations (
    id {{id}},
    offer_id BIGINT NOT NULL REFERENCES partnership_offers(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_message_at BIGINT NOT NULL,
    UNIQUE (offer_id, org_id)
);
CREATE INDEX conversations_org ON conversations (org_id);

CREATE TABLE messages (
    id {{id}},
    conversation_id BIGINT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    author_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    hidden INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);

CREATE TABLE message_attachments (
    id {{id}},
    message_id BIGINT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE INDEX message_attachments_message ON message_attachments (message_id);

-- Read receipts: how far each side of a conversation has read.
CREATE TABLE conversation_reads (
    conversation_id BIGINT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    last_read_message_id BIGINT NOT NULL,
    read_at BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, org_id)
);

CREATE TABLE consortia (
    id {{id}},
    notice_id BIGINT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    offer_id BIGINT REFERENCES partnership_offers(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE consortium_members (
    consortium_id BIGINT NOT NULL REFERENCES consortia(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('lead', 'member', 'subcontractor')),
    lots TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('invited', 'active')),
    joined_at BIGINT,
    PRIMARY KEY (consortium_id, org_id)
);
CREATE INDEX consortium_members_org ON consortium_members (org_id);

CREATE TABLE consortium_documents (
    id {{id}},
    consortium_id BIGINT NOT NULL REFERENCES consortia(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    uploaded_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX consortium_documents_consortium ON consortium_documents (consortium_id);

CREATE TABLE consortium_checklist (
    id {{id}},
    consortium_id BIGINT NOT NULL REFERENCES consortia(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    done_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    done_at BIGINT,
    position INTEGER NOT NULL
);
CREATE INDEX consortium_checklist_consortium ON consortium_checklist (consortium_id, position);

-- Reports of abuse on a message or an offer; an organiser hides the content or suspends the author.
CREATE TABLE reports (
    id {{id}},
    target_kind TEXT NOT NULL CHECK (target_kind IN ('message', 'offer')),
    target_id BIGINT NOT NULL,
    reporter_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'hidden', 'suspended', 'dismissed')),
    created_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    decided_at BIGINT
);
CREATE INDEX reports_status ON reports (status, created_at);

ALTER TABLE users ADD COLUMN suspended_at BIGINT;
