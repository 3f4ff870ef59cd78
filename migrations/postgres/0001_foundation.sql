-- Alley Vote, PostgreSQL schema. Instants are Unix milliseconds (BIGINT);
-- `day` is the Shanghai calendar day number (days since 1970-01-01, UTC+8).

CREATE TABLE streets (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_zh     TEXT NOT NULL UNIQUE,
    name_en     TEXT NOT NULL,
    sort_order  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE communities (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    street_id   BIGINT NOT NULL REFERENCES streets (id),
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    UNIQUE (street_id, name_zh)
);

CREATE TABLE campaigns (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug                   TEXT NOT NULL UNIQUE,
    title_zh               TEXT NOT NULL,
    title_en               TEXT NOT NULL,
    description_zh         TEXT NOT NULL DEFAULT '',
    description_en         TEXT NOT NULL DEFAULT '',
    nomination_start_ms    BIGINT NOT NULL,
    review_start_ms        BIGINT NOT NULL,
    voting_start_ms        BIGINT NOT NULL,
    voting_end_ms          BIGINT NOT NULL,
    notice_end_ms          BIGINT NOT NULL,
    ceremony_at_ms         BIGINT NOT NULL,
    votes_per_day          INTEGER NOT NULL CHECK (votes_per_day BETWEEN 1 AND 100),
    per_nominee_per_day    INTEGER NOT NULL,
    results_visibility     TEXT NOT NULL DEFAULT 'live' CHECK (results_visibility IN ('live', 'hidden', 'frozen')),
    results_frozen_at_ms   BIGINT,
    created_at_ms          BIGINT NOT NULL,
    CHECK (per_nominee_per_day BETWEEN 1 AND votes_per_day),
    CHECK (nomination_start_ms <= review_start_ms
       AND review_start_ms <= voting_start_ms
       AND voting_start_ms < voting_end_ms
       AND voting_end_ms <= notice_end_ms
       AND notice_end_ms <= ceremony_at_ms)
);

CREATE TABLE nominees (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id    BIGINT NOT NULL REFERENCES campaigns (id),
    number         INTEGER NOT NULL CHECK (number BETWEEN 1 AND 999),
    name           TEXT NOT NULL,
    community_id   BIGINT NOT NULL REFERENCES communities (id),
    photo_url      TEXT,
    story          TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
    created_at_ms  BIGINT NOT NULL,
    UNIQUE (campaign_id, number)
);

-- A voter is a keyed hash of a phone number or a ballot code; the number itself is never stored.
CREATE TABLE voters (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    identity_hash  BYTEA NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('phone', 'ballot_code', 'demo')),
    masked         TEXT NOT NULL,
    created_at_ms  BIGINT NOT NULL
);

-- Each vote takes one numbered place in the voter's day (day_slot < votes_per_day)
-- and one in the voter's day with that nominee (nominee_slot < per_nominee_per_day).
-- The two UNIQUE constraints make it impossible to exceed either quota, whatever races.
CREATE TABLE votes (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id         BIGINT NOT NULL REFERENCES campaigns (id),
    voter_id            BIGINT NOT NULL REFERENCES voters (id),
    nominee_id          BIGINT NOT NULL REFERENCES nominees (id),
    day                 INTEGER NOT NULL,
    day_slot            INTEGER NOT NULL CHECK (day_slot >= 0),
    nominee_slot        INTEGER NOT NULL CHECK (nominee_slot >= 0),
    channel             TEXT NOT NULL DEFAULT 'online' CHECK (channel IN ('online', 'demo')),
    cast_at_ms          BIGINT NOT NULL,
    invalidated_at_ms   BIGINT,
    UNIQUE (campaign_id, voter_id, day, day_slot),
    UNIQUE (campaign_id, voter_id, nominee_id, day, nominee_slot)
);

CREATE INDEX votes_by_nominee ON votes (nominee_id, cast_at_ms);

-- Running count of valid votes per nominee, updated in the same transaction as each vote,
-- so the live results read a few dozen rows instead of counting every vote.
CREATE TABLE nominee_tallies (
    nominee_id    BIGINT PRIMARY KEY REFERENCES nominees (id),
    online_votes  BIGINT NOT NULL DEFAULT 0 CHECK (online_votes >= 0)
);
