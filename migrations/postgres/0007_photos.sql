-- Nominee photos, re-encoded by the server at the sizes the pages show
-- (never the uploaded file itself, so no metadata survives). In the
-- database, so every instance serves them without shared disk.
CREATE TABLE nominee_photos (
    nominee_id     BIGINT NOT NULL REFERENCES nominees (id),
    size           TEXT NOT NULL CHECK (size IN ('card', 'full')),
    content_type   TEXT NOT NULL,
    bytes          BYTEA NOT NULL,
    created_at_ms  BIGINT NOT NULL,
    PRIMARY KEY (nominee_id, size)
);
