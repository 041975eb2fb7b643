-- Buyer organisations declared by a person are vetted before anything they write is public or they read
-- companies' contact data: 'pending' until a platform administrator approves ('verified') or refuses
-- ('refused'); those already here (demo, open data, shared identity) are verified. An administrator may
-- suspend an organisation: what it published is withdrawn meanwhile. A notice or roadmap item withdrawn by the
-- platform (its author suspended, its organisation suspended) stays in the database, marked, for review.
ALTER TABLE organisations ADD COLUMN vetting TEXT NOT NULL DEFAULT 'verified';
ALTER TABLE organisations ADD COLUMN vetting_note TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN vetted_by BIGINT;
ALTER TABLE organisations ADD COLUMN vetted_at BIGINT;
ALTER TABLE organisations ADD COLUMN suspended_at BIGINT;
CREATE INDEX organisations_vetting ON organisations (vetting) WHERE vetting <> 'verified';
ALTER TABLE notices ADD COLUMN withdrawn_at BIGINT;
ALTER TABLE notices ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE roadmap_items ADD COLUMN withdrawn_at BIGINT;
ALTER TABLE roadmap_items ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
