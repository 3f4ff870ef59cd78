-- Results as the campaign publishes them: the formula and tie-break ladder
-- chosen before voting, the lots an administrator draws with a witness, the
-- publication stages after voting (closed → public notice → final) and the
-- objections residents file during the notice.

-- The campaign's ranking rule as JSON (formula, winners, ladder). No row: the
-- plain sum, ten winners and the usual ladder.
CREATE TABLE rank_rules (
    campaign_id    INTEGER PRIMARY KEY REFERENCES campaigns (id),
    rule           TEXT NOT NULL,
    updated_at_ms  INTEGER NOT NULL
);

-- A lot drawn among nominees tied across the winners' line. The order is
-- derived from the seed (see domain/src/ranking/lot.rs), so anyone holding
-- the audit log can draw it again.
CREATE TABLE lots (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id),
    seed         TEXT NOT NULL,
    -- Nominee numbers in drawn order, JSON.
    drawn_order  TEXT NOT NULL,
    drawn_by     INTEGER NOT NULL REFERENCES organizers (id),
    witness      TEXT NOT NULL,
    drawn_at_ms  INTEGER NOT NULL
);

CREATE INDEX lots_by_campaign ON lots (campaign_id, id);

-- After voting: closed (preliminary, organizers only), notice (公示, the
-- frozen tally public with its dates), final. No row: still voting.
CREATE TABLE publications (
    campaign_id      INTEGER PRIMARY KEY REFERENCES campaigns (id),
    stage            TEXT NOT NULL CHECK (stage IN ('closed', 'notice', 'final')),
    closed_at_ms     INTEGER NOT NULL,
    notice_start_ms  INTEGER,
    notice_end_ms    INTEGER,
    final_at_ms      INTEGER
);

-- A resident's objection (异议) during the notice, and a reviewer's answer.
-- The contact is free text and never a phone number (refused on entry).
CREATE TABLE objections (
    id              INTEGER PRIMARY KEY,
    campaign_id     INTEGER NOT NULL REFERENCES campaigns (id),
    voter_id        INTEGER NOT NULL REFERENCES voters (id),
    nominee_number  INTEGER,
    reason          TEXT NOT NULL,
    contact         TEXT NOT NULL DEFAULT '',
    filed_at_ms     INTEGER NOT NULL,
    answer          TEXT,
    answered_by     INTEGER REFERENCES organizers (id),
    answered_at_ms  INTEGER
);

CREATE INDEX objections_by_campaign ON objections (campaign_id, id);
CREATE INDEX objections_by_voter ON objections (voter_id, campaign_id);

-- When each nominee's count last changed: the "reached the final count
-- earlier" tie-break. A freeze copies it with the counts.
ALTER TABLE nominee_tallies ADD COLUMN changed_at_ms INTEGER;
ALTER TABLE frozen_tallies ADD COLUMN changed_at_ms INTEGER;
