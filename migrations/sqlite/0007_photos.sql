-- Nominee photos, re-encoded by the server at the sizes the pages show
-- (never the uploaded file itself, so no metadata survives). In the
-- database, so every instance serves them without shared disk.
CREATE TABLE nominee_photos (
    nominee_id     INTEGER NOT NULL REFERENCES nominees (id),
    size           TEXT NOT NULL CHECK (size IN ('card', 'full')),
    content_type   TEXT NOT NULL,
    bytes          BLOB NOT NULL,
    created_at_ms  INTEGER NOT NULL,
    PRIMARY KEY (nominee_id, size)
);
