-- API tokens of organisations, for integrations: created by an administrator of the organisation, acting
-- with that person's rights narrowed to the organisation and the token's scopes. Only the SHA-256 of the
-- secret is kept; `prefix` (the secret's first characters) lets people recognise a token in the list.
CREATE TABLE api_tokens (
    id {{id}},
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    last_used_address TEXT NOT NULL DEFAULT '',
    revoked_at BIGINT,
    revoked_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX api_tokens_org ON api_tokens (org_id);
