-- The audit chain is keyed from now on: each new entry's hash is an HMAC
-- under a key the database never holds. Entries already written keep their
-- plain SHA-256 hashes (`keyed` 0); the first instance to start seals them
-- with a keyed entry, after which no plain entry may follow. (SQLite has no
-- TRUNCATE; its DELETE trigger already refuses removal.)
ALTER TABLE audit_log ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0;
