-- The audit chain is keyed from now on: each new entry's hash is an HMAC
-- under a key the database never holds. Entries already written keep their
-- plain SHA-256 hashes (`keyed` false); the first instance to start seals
-- them with a keyed entry, after which no plain entry may follow.
ALTER TABLE audit_log ADD COLUMN keyed BOOLEAN NOT NULL DEFAULT FALSE;

-- TRUNCATE skips row triggers: refuse it by a statement trigger of its own.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
