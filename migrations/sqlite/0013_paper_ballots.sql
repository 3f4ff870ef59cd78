-- Paper ballots at polling stations (投票点): where each station is and
-- when it opens, the blank ballots it received, and its tally sheets
-- (计票单), each keyed twice by different operators. A definitive sheet's
-- marks count into the tally as the paper channel, beside the online votes.

-- A station belongs to a campaign and a community, with an address and
-- opening hours for the public "where to vote on paper" page. Stations made
-- before this migration belong to no campaign until an admin says which.
ALTER TABLE stations ADD COLUMN campaign_id INTEGER REFERENCES campaigns (id);
ALTER TABLE stations ADD COLUMN community_id INTEGER REFERENCES communities (id);
ALTER TABLE stations ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE stations ADD COLUMN opening_hours TEXT NOT NULL DEFAULT '';
-- The ballots a station usually sees in its box: far above it is a warning.
ALTER TABLE stations ADD COLUMN usual_turnout INTEGER CHECK (usual_turnout >= 0);

-- How many nominees one paper ballot may mark at most (default: 10, the
-- number of winners).
CREATE TABLE paper_rules (
    campaign_id           INTEGER PRIMARY KEY REFERENCES campaigns (id),
    max_marks_per_ballot  INTEGER NOT NULL CHECK (max_marks_per_ballot BETWEEN 1 AND 1000)
);

-- Blank ballots handed to a station, with the printed serial range when known.
CREATE TABLE ballot_stock (
    id              INTEGER PRIMARY KEY,
    station_id      INTEGER NOT NULL REFERENCES stations (id),
    ballots         INTEGER NOT NULL CHECK (ballots > 0),
    serial_from     TEXT NOT NULL DEFAULT '',
    serial_to       TEXT NOT NULL DEFAULT '',
    recorded_by     INTEGER NOT NULL REFERENCES organizers (id),
    recorded_at_ms  INTEGER NOT NULL
);

CREATE INDEX ballot_stock_by_station ON ballot_stock (station_id);

-- A station reports in one sheet or several (per day, per box). `revision`
-- grows with every change: a change decided on an older revision is refused
-- and decided again. `counted_entry_id` is the entry the tally counts.
CREATE TABLE tally_sheets (
    id                INTEGER PRIMARY KEY,
    station_id        INTEGER NOT NULL REFERENCES stations (id),
    label             TEXT NOT NULL,
    state             TEXT NOT NULL DEFAULT 'not_started' CHECK (state IN
                        ('not_started', 'first_entry', 'awaiting_second', 'second_entry', 'different', 'definitive')),
    revision          INTEGER NOT NULL DEFAULT 0,
    counted_entry_id  INTEGER,
    created_at_ms     INTEGER NOT NULL,
    updated_at_ms     INTEGER NOT NULL,
    UNIQUE (station_id, label)
);

-- Each keying of a sheet, as typed (JSON of every field's text). An entry
-- of the current round has `closed` NULL; entries set aside by a coordinator
-- or by a reopen stay, with why, so every version remains visible.
CREATE TABLE sheet_entries (
    id                     INTEGER PRIMARY KEY,
    sheet_id               INTEGER NOT NULL REFERENCES tally_sheets (id),
    round                  INTEGER NOT NULL CHECK (round IN (1, 2)),
    operator_id            INTEGER NOT NULL REFERENCES organizers (id),
    input                  TEXT NOT NULL,
    checked_against_paper  INTEGER NOT NULL DEFAULT 0,
    note                   TEXT NOT NULL DEFAULT '',
    saved_at_ms            INTEGER NOT NULL,
    finished_at_ms         INTEGER,
    closed                 TEXT CHECK (closed IN ('discarded', 'not_kept', 'reopened')),
    closed_at_ms           INTEGER
);

CREATE UNIQUE INDEX sheet_entries_current ON sheet_entries (sheet_id, round) WHERE closed IS NULL;

-- The marks a definitive sheet adds to each nominee's paper count, by
-- nominee id (renumbering cannot move them): the recount sums these.
CREATE TABLE counted_marks (
    sheet_id    INTEGER NOT NULL REFERENCES tally_sheets (id),
    nominee_id  INTEGER NOT NULL REFERENCES nominees (id),
    marks       INTEGER NOT NULL CHECK (marks >= 0),
    PRIMARY KEY (sheet_id, nominee_id)
);

-- An administrator's reopening of a definitive sheet, with the reason.
CREATE TABLE sheet_reopenings (
    id              INTEGER PRIMARY KEY,
    sheet_id        INTEGER NOT NULL REFERENCES tally_sheets (id),
    entry_id        INTEGER NOT NULL REFERENCES sheet_entries (id),
    reason          TEXT NOT NULL,
    reopened_by     INTEGER NOT NULL REFERENCES organizers (id),
    reopened_at_ms  INTEGER NOT NULL
);

-- Photos of the signed paper sheet, re-encoded (no EXIF, no location).
CREATE TABLE sheet_photos (
    id              INTEGER PRIMARY KEY,
    sheet_id        INTEGER NOT NULL REFERENCES tally_sheets (id),
    bytes           BLOB NOT NULL,
    uploaded_by     INTEGER NOT NULL REFERENCES organizers (id),
    uploaded_at_ms  INTEGER NOT NULL
);

CREATE INDEX sheet_photos_by_sheet ON sheet_photos (sheet_id, id);

-- The paper channel of the running tally, and of a frozen one.
ALTER TABLE nominee_tallies ADD COLUMN paper_votes INTEGER NOT NULL DEFAULT 0 CHECK (paper_votes >= 0);
ALTER TABLE frozen_tallies ADD COLUMN paper_votes INTEGER NOT NULL DEFAULT 0;
