-- Two-factor authentication (TOTP, RFC 6238). The secret is set once the person typed a first code from their
-- application; totp_last_step is the time step of the last code accepted, so that no code is accepted twice.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at BIGINT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;

-- Single-use recovery codes, for a lost phone: only their SHA-256 is kept.
CREATE TABLE recovery_codes (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- A login whose password was right and whose code is awaited (JSON: user, since, where to go), and the secret
-- shown to a person enrolling, until they confirm it with a code: both belong to the browser's session.
ALTER TABLE sessions ADD COLUMN pending_login TEXT;
ALTER TABLE sessions ADD COLUMN enrol_secret TEXT;
