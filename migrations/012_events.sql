-- Matchmaking events (matinales): the event and its programme, custom registration questions,
-- registrations with their waiting list and check-in code, each organisation's availability and cap,
-- meeting requests between a company and a buyer organisation, and the meetings the scheduler placed.
CREATE TABLE events (
    id {{id}},
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft',
    registration_opens_at BIGINT,
    registration_closes_at BIGINT,
    requests_deadline BIGINT,
    capacity_buyers INTEGER,
    capacity_companies INTEGER,
    max_per_org INTEGER NOT NULL DEFAULT 2,
    approval_required INTEGER NOT NULL DEFAULT 0,
    schedule_objective BIGINT,
    schedule_bound BIGINT,
    schedule_method TEXT NOT NULL DEFAULT '',
    schedule_run_at BIGINT,
    schedule_published_at BIGINT,
    reminder_sent_at BIGINT,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX events_starts ON events (status, starts_at);

CREATE TABLE event_sessions (
    id {{id}},
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    slot_minutes INTEGER,
    tables INTEGER
);
CREATE INDEX event_sessions_event ON event_sessions (event_id, position);

CREATE TABLE event_questions (
    id {{id}},
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    required INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_questions_event ON event_questions (event_id, position);

CREATE TABLE event_registrations (
    id {{id}},
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    answers TEXT NOT NULL DEFAULT '[]',
    checkin_code TEXT NOT NULL UNIQUE,
    checked_in_at BIGINT,
    no_show INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (event_id, user_id)
);
CREATE INDEX event_registrations_event ON event_registrations (event_id, status, created_at);
CREATE INDEX event_registrations_org ON event_registrations (org_id, event_id);

CREATE TABLE event_participants (
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    unavailable_slots TEXT NOT NULL DEFAULT '',
    max_meetings INTEGER,
    PRIMARY KEY (event_id, org_id)
);

CREATE TABLE meeting_requests (
    id {{id}},
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    company_org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    buyer_org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    initiated_by TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    topic_kind TEXT NOT NULL DEFAULT '',
    topic_id BIGINT,
    status TEXT NOT NULL DEFAULT 'pending',
    mutual INTEGER NOT NULL DEFAULT 0,
    priority INTEGER NOT NULL DEFAULT 0,
    by_organiser INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    answered_at BIGINT,
    UNIQUE (event_id, company_org_id, buyer_org_id)
);
CREATE INDEX meeting_requests_buyer ON meeting_requests (event_id, buyer_org_id);

CREATE TABLE event_meetings (
    request_id BIGINT PRIMARY KEY REFERENCES meeting_requests(id) ON DELETE CASCADE,
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    slot INTEGER NOT NULL,
    table_number INTEGER NOT NULL DEFAULT 0,
    pinned INTEGER NOT NULL DEFAULT 0,
    announced_slot INTEGER,
    announced_table INTEGER
);
CREATE INDEX event_meetings_event ON event_meetings (event_id, slot);
