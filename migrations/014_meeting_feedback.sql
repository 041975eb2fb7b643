-- After the event: each side of a meeting says whether it took place, how useful it was (1 to 5) and
-- whether a follow-up is planned.
CREATE TABLE meeting_feedback (
    request_id BIGINT NOT NULL REFERENCES meeting_requests(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    held INTEGER NOT NULL,
    usefulness INTEGER,
    follow_up INTEGER NOT NULL DEFAULT 0,
    comment TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (request_id, org_id)
);
