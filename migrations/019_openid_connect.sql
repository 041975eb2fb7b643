-- Public agents' shared identity (OpenID Connect, ProConnect-style).
-- A login in progress: state, nonce and PKCE verifier, used once and only for ten minutes, by the browser
-- session that started it (the hash of its session token: no login forced on someone else's browser).
CREATE TABLE oidc_logins (
    state TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    session_hash TEXT NOT NULL,
    nonce TEXT NOT NULL,
    verifier TEXT NOT NULL,
    return_to TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

-- An account is found again by the provider's issuer and subject, never by e-mail.
CREATE TABLE user_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    uid TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    last_login_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

-- Agents whose organisation (SIRET) is not on the platform: queued for an administrator, who creates the
-- buyer organisation (the agent is told by e-mail and joins it at the next login) or declines.
CREATE TABLE agent_org_requests (
    id {{id}},
    siret TEXT NOT NULL,
    organisation_label TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'created', 'declined')),
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    org_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX agent_org_requests_pending ON agent_org_requests (siret, issuer, subject, status);

-- An agent may also hold an elected official's mandate in the organisation (the provider's "roles").
ALTER TABLE memberships ADD COLUMN elected INTEGER NOT NULL DEFAULT 0;

-- The provider behind a session and its ID token, for the logout at the provider (id_token_hint).
ALTER TABLE sessions ADD COLUMN oidc_provider TEXT;
ALTER TABLE sessions ADD COLUMN id_token TEXT;
