-- Wrong two-factor codes are counted apart from wrong passwords (scope 'second_factor', subject: the user id):
-- the right password does not clear them, and a stranger's wrong passwords do not slow the owner's code down.
CREATE TABLE login_failures_next (
    scope TEXT NOT NULL CHECK (scope IN ('account', 'ip', 'second_factor')),
    subject TEXT NOT NULL,
    at BIGINT NOT NULL
);
INSERT INTO login_failures_next (scope, subject, at) SELECT scope, subject, at FROM login_failures;
DROP TABLE login_failures;
ALTER TABLE login_failures_next RENAME TO login_failures;
CREATE INDEX login_failures_subject ON login_failures (scope, subject, at);
