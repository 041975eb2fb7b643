-- Browsers a person has logged in from (a long-lived random cookie, its hash stored): a login from a new one
-- is mailed to the account's owner, and a known one is not slowed down by the per-account throttling an
-- attacker guessing the password causes.
CREATE TABLE known_browsers (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL
);
CREATE INDEX known_browsers_user ON known_browsers (user_id);
