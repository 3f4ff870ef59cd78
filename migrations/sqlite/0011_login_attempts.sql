-- A console login is recorded before its password is checked, in the same
-- transaction that counts the failures before it: a burst of parallel
-- attempts cannot all read "4 failures" and all go on to the slow check.
-- A successful login no longer deletes the account's failures (the audit
-- wants them); the count for an account starts again after its last
-- success instead. Rows written before this migration were all failures.
ALTER TABLE login_failures RENAME TO login_attempts;
-- (SQLite's indexes follow the renamed table under their old names.)
ALTER TABLE login_attempts ADD COLUMN outcome TEXT NOT NULL DEFAULT 'failed'
    CHECK (outcome IN ('checking', 'failed', 'succeeded'));
