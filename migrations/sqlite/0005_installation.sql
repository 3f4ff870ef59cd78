-- One row naming this database: a random key chosen on first start. Shared
-- caches (Redis) put it in every key, so two installations sharing one Redis,
-- or a database rebuilt from scratch, never read each other's entries.
CREATE TABLE installation (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    key   TEXT NOT NULL
);
