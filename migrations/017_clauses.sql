-- Social clauses on awarded contracts and the insertion hours delivered under them.
-- A clause: insertion hours as an execution condition (hours required over a period), a reservation
-- (SIAE, EA-ESAT, ESS), an award criterion on insertion; a contract may carry several (a mix). Each has the
-- facilitator in charge and its territory (département).
CREATE TABLE contract_clauses (
    id {{id}},
    contract_id BIGINT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('insertion_hours', 'reserved_siae', 'reserved_ea_esat', 'reserved_ess',
                                       'award_criterion')),
    hours_required BIGINT NOT NULL DEFAULT 0,
    period_start TEXT NOT NULL DEFAULT '',
    period_end TEXT NOT NULL DEFAULT '',
    facilitator_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    departement TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX contract_clauses_contract ON contract_clauses (contract_id);
CREATE INDEX contract_clauses_facilitator ON contract_clauses (facilitator_user_id);

-- Subcontractors named by the contractor on a contract: they may declare hours too.
CREATE TABLE contract_subcontractors (
    contract_id BIGINT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (contract_id, org_id)
);

-- Hours delivered over a period, declared by the contractor, a subcontractor or the facilitator, reviewed by
-- the facilitator. Only counts of participants: no name or personal detail is ever stored.
CREATE TABLE hour_declarations (
    id {{id}},
    clause_id BIGINT NOT NULL REFERENCES contract_clauses(id) ON DELETE CASCADE,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    hours DOUBLE PRECISION NOT NULL,
    employer_org_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
    employer_name TEXT NOT NULL,
    participants INTEGER NOT NULL,
    long_term_jobseekers INTEGER NOT NULL DEFAULT 0,
    under_26 INTEGER NOT NULL DEFAULT 0,
    rsa_recipients INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    over_50 INTEGER NOT NULL DEFAULT 0,
    priority_neighbourhoods INTEGER NOT NULL DEFAULT 0,
    women INTEGER NOT NULL DEFAULT 0,
    men INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'correction')),
    review_comment TEXT NOT NULL DEFAULT '',
    reviewed_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reviewed_at BIGINT,
    declared_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    declared_for_org_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX hour_declarations_clause ON hour_declarations (clause_id, status);

-- The hours estimate's parameters per CPV division, editable by facilitators: the labour share of the
-- amount, the threshold above which a lot is a usual candidate for a clause (0: not a usual family).
CREATE TABLE clause_parameters (
    division TEXT PRIMARY KEY,
    labour_share DOUBLE PRECISION NOT NULL,
    candidate_from BIGINT NOT NULL DEFAULT 0,
    updated_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    updated_at BIGINT NOT NULL
);

-- Weekly digests of late contracts already sent (one per facilitator and ISO week).
CREATE TABLE clause_digests (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    week TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, week)
);
