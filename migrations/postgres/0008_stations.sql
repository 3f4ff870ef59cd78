-- Polling stations, where paper ballots are collected and keyed in, and the
-- station operators assigned to each: an operator enters the ballots of
-- their own stations only.
CREATE TABLE stations (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    created_at_ms  BIGINT NOT NULL
);

CREATE TABLE station_operators (
    organizer_id   BIGINT NOT NULL REFERENCES organizers (id),
    station_id     BIGINT NOT NULL REFERENCES stations (id),
    PRIMARY KEY (organizer_id, station_id)
);
