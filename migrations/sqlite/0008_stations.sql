-- Polling stations, where paper ballots are collected and keyed in, and the
-- station operators assigned to each: an operator enters the ballots of
-- their own stations only.
CREATE TABLE stations (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    created_at_ms  INTEGER NOT NULL
);

CREATE TABLE station_operators (
    organizer_id   INTEGER NOT NULL REFERENCES organizers (id),
    station_id     INTEGER NOT NULL REFERENCES stations (id),
    PRIMARY KEY (organizer_id, station_id)
);
