-- Nominations (推荐): what a resident, or a reviewer for a community
-- committee, put forward; reviewed, merged, consented to, and approved into
-- a numbered nominee. Nothing here is public before review. The nominee's
-- phone number is kept only as a keyed hash and a masked form.
CREATE TABLE nominations (
    id                   INTEGER PRIMARY KEY,
    campaign_id          INTEGER NOT NULL REFERENCES campaigns (id),
    community_id         INTEGER NOT NULL REFERENCES communities (id),
    name                 TEXT NOT NULL,
    -- The name as duplicates are looked for (nomination/name.rs).
    name_key             TEXT NOT NULL,
    sound_key            TEXT NOT NULL,
    role                 TEXT NOT NULL,
    years                INTEGER NOT NULL CHECK (years BETWEEN 0 AND 60),
    story                TEXT NOT NULL,
    relation             TEXT NOT NULL,
    nominee_phone_hash   BLOB,
    nominee_phone_masked TEXT,
    -- A resident's nomination names its voter; a committee's, the reviewer who entered it.
    nominator_id         INTEGER REFERENCES voters (id),
    entered_by           INTEGER REFERENCES organizers (id),
    state                TEXT NOT NULL DEFAULT 'submitted' CHECK (state IN
        ('submitted', 'needs_info', 'eligible', 'ineligible', 'merged', 'approved', 'declined_by_nominee')),
    consent              TEXT NOT NULL DEFAULT 'pending' CHECK (consent IN
        ('pending', 'given_by_link', 'given_on_paper', 'declined')),
    consent_at_ms        INTEGER,
    consent_recorded_by  INTEGER REFERENCES organizers (id),
    consent_note         TEXT NOT NULL DEFAULT '',
    reason               TEXT,
    reason_note          TEXT NOT NULL DEFAULT '',
    question             TEXT NOT NULL DEFAULT '',
    answer               TEXT NOT NULL DEFAULT '',
    merged_into          INTEGER REFERENCES nominations (id),
    nominee_id           INTEGER REFERENCES nominees (id),
    created_at_ms        INTEGER NOT NULL,
    decided_at_ms        INTEGER,
    revision             INTEGER NOT NULL DEFAULT 0,
    CHECK (nominator_id IS NOT NULL OR entered_by IS NOT NULL)
);
CREATE INDEX nominations_by_community ON nominations (campaign_id, community_id);
CREATE INDEX nominations_by_nominator ON nominations (campaign_id, nominator_id);

-- The nomination's photo, re-encoded like a nominee's (no EXIF survives).
CREATE TABLE nomination_photos (
    nomination_id  INTEGER NOT NULL REFERENCES nominations (id),
    size           TEXT NOT NULL CHECK (size IN ('card', 'full')),
    content_type   TEXT NOT NULL,
    bytes          BLOB NOT NULL,
    PRIMARY KEY (nomination_id, size)
);

-- Everyone who put a person forward, counted for the nomination that stands
-- for that person (`lead_id`): their own, one they supported instead of
-- writing again, or one theirs was merged into. `origin_id` is the
-- nomination they came through, so each is told what became of it.
CREATE TABLE nomination_supporters (
    id             INTEGER PRIMARY KEY,
    lead_id        INTEGER NOT NULL REFERENCES nominations (id),
    origin_id      INTEGER NOT NULL REFERENCES nominations (id),
    campaign_id    INTEGER NOT NULL REFERENCES campaigns (id),
    voter_id       INTEGER REFERENCES voters (id),
    at_ms          INTEGER NOT NULL
);
-- A resident comes through a nomination once; through a merge they may count
-- twice for one lead, which the count takes once (COUNT(DISTINCT voter_id)).
CREATE UNIQUE INDEX nomination_supporters_once ON nomination_supporters (origin_id, voter_id);
CREATE INDEX nomination_supporters_by_lead ON nomination_supporters (lead_id);
CREATE INDEX nomination_supporters_by_voter ON nomination_supporters (campaign_id, voter_id);

-- The one-use, expiring links sent to a nominee to ask for consent; only
-- the token's hash is kept.
CREATE TABLE consent_links (
    token_hash     BLOB PRIMARY KEY,
    nomination_id  INTEGER NOT NULL REFERENCES nominations (id),
    expires_at_ms  INTEGER NOT NULL,
    used_at_ms     INTEGER
);

-- How many residents put a nominee forward (shown on the profile).
ALTER TABLE nominees ADD COLUMN nomination_id INTEGER REFERENCES nominations (id);
