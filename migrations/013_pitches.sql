-- The call for pitches of an event: its settings, the jury's weighted grid, the jurors, the companies'
-- applications (with an optional file kept by content hash), and each juror's review (scores per criterion,
-- or an abstention for a conflict of interest). Decisions are released at once (released_at).
CREATE TABLE pitch_calls (
    event_id BIGINT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    places INTEGER NOT NULL,
    closes_at BIGINT NOT NULL,
    blind INTEGER NOT NULL DEFAULT 0,
    released_at BIGINT
);

CREATE TABLE pitch_criteria (
    id {{id}},
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    weight INTEGER NOT NULL
);
CREATE INDEX pitch_criteria_event ON pitch_criteria (event_id, position);

CREATE TABLE pitch_jurors (
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, user_id)
);

CREATE TABLE pitch_applications (
    id {{id}},
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    summary TEXT NOT NULL,
    innovation TEXT NOT NULL,
    references_text TEXT NOT NULL DEFAULT '',
    file_name TEXT NOT NULL DEFAULT '',
    file_type TEXT NOT NULL DEFAULT '',
    file_sha256 TEXT NOT NULL DEFAULT '',
    file_size BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'submitted',
    reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (event_id, org_id)
);

CREATE TABLE pitch_reviews (
    application_id BIGINT NOT NULL REFERENCES pitch_applications(id) ON DELETE CASCADE,
    juror_user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    abstained INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (application_id, juror_user_id)
);

CREATE TABLE pitch_scores (
    application_id BIGINT NOT NULL REFERENCES pitch_applications(id) ON DELETE CASCADE,
    juror_user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    criterion_id BIGINT NOT NULL REFERENCES pitch_criteria(id) ON DELETE CASCADE,
    score INTEGER NOT NULL,
    PRIMARY KEY (application_id, juror_user_id, criterion_id)
);
