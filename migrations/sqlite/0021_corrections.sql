-- Correcting a published result (更正): one administrator proposes with a
-- written reason, a second confirms, and while it is open the changes the
-- published ranking forbids may be made; publishing it stores the tally
-- again as a new revision, with a public note of why and what changed.

-- The published ranking's revision: 1 as first published, one more per
-- published correction. Every instance rebuilds its copy when it moves.
ALTER TABLE publications ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;

CREATE TABLE result_corrections (
    id               INTEGER PRIMARY KEY,
    campaign_id      INTEGER NOT NULL REFERENCES campaigns (id),
    state            TEXT NOT NULL CHECK (state IN ('proposed', 'open', 'published', 'cancelled')),
    reason           TEXT NOT NULL,
    proposed_by      INTEGER NOT NULL REFERENCES organizers (id),
    proposed_at_ms   INTEGER NOT NULL,
    confirmed_by     INTEGER REFERENCES organizers (id),
    confirmed_at_ms  INTEGER,
    -- Who published or cancelled it.
    ended_by         INTEGER REFERENCES organizers (id),
    ended_at_ms      INTEGER,
    -- The public note (JSON, `CorrectionNote`), once published.
    note             TEXT
);

-- One correction under way per campaign at a time.
CREATE UNIQUE INDEX result_corrections_underway ON result_corrections (campaign_id)
    WHERE state IN ('proposed', 'open');
CREATE INDEX result_corrections_by_campaign ON result_corrections (campaign_id, id);

-- The stored tally keeps the names and standing it published: a nominee
-- renamed or withdrawn while a correction is open shows only once the
-- correction is published. NULL: stored before this migration.
ALTER TABLE frozen_tallies ADD COLUMN name TEXT;
ALTER TABLE frozen_tallies ADD COLUMN status TEXT;
