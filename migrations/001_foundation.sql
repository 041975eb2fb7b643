-- Foundation schema: accounts, sessions, organisations, reference data, mail outbox.
-- Shared by SQLite and PostgreSQL; {{id}} becomes the dialect's auto-increment primary key.
-- Times are Unix seconds (UTC) in BIGINT columns; booleans are INTEGER 0/1.

CREATE TABLE users (
    id {{id}},
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT,
    email_verified_at BIGINT,
    created_at BIGINT NOT NULL,
    password_changed_at BIGINT
);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('organiser', 'facilitator', 'administrator')),
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    flash TEXT,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- One-use tokens sent by e-mail: address verification and password reset.
CREATE TABLE user_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX user_tokens_user ON user_tokens (user_id, purpose);

-- Failed logins, per account (normalised e-mail) and per client address, for throttling.
CREATE TABLE login_failures (
    scope TEXT NOT NULL CHECK (scope IN ('account', 'ip')),
    subject TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (scope, subject, at);

CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE departements (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    region_code TEXT REFERENCES regions(code)
);

CREATE TABLE communes (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    departement_code TEXT,
    region_code TEXT,
    population BIGINT
);
CREATE INDEX communes_departement ON communes (departement_code);

CREATE TABLE cpv (
    code TEXT PRIMARY KEY,
    check_digit INTEGER NOT NULL,
    level INTEGER NOT NULL,
    parent_code TEXT,
    division TEXT NOT NULL,
    label_fr TEXT NOT NULL,
    label_en TEXT,
    search_text TEXT NOT NULL
);
CREATE INDEX cpv_division ON cpv (division);

CREATE TABLE organisations (
    id {{id}},
    kind TEXT NOT NULL CHECK (kind IN ('buyer', 'company')),
    siret TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    search_name TEXT NOT NULL DEFAULT '',
    legal_form TEXT,
    size TEXT,
    description TEXT NOT NULL DEFAULT '',
    website TEXT,
    buyer_kind TEXT,
    departement TEXT,
    claimed INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX organisations_kind_name ON organisations (kind, name);

CREATE TABLE organisation_labels (
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    PRIMARY KEY (org_id, label)
);

CREATE TABLE organisation_cpv (
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    cpv_code TEXT NOT NULL REFERENCES cpv(code),
    PRIMARY KEY (org_id, cpv_code)
);

CREATE TABLE organisation_departements (
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    departement TEXT NOT NULL REFERENCES departements(code),
    PRIMARY KEY (org_id, departement)
);

-- A user's place in an organisation: active member/admin, or a pending request to join.
CREATE TABLE memberships (
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('member', 'admin')),
    status TEXT NOT NULL CHECK (status IN ('active', 'requested')),
    message TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE invitations (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('member', 'admin')),
    token_hash TEXT NOT NULL UNIQUE,
    invited_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    accepted_at BIGINT
);
CREATE INDEX invitations_org ON invitations (org_id);

-- Mail to send: written in the same transaction as what caused it, sent by the mail worker.
CREATE TABLE mail_outbox (
    id {{id}},
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    sent_at BIGINT,
    last_error TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (sent_at, next_attempt_at);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
