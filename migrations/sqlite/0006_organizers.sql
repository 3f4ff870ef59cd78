-- Organizers, their sessions, failed logins (for throttling) and the
-- hash-chained audit log.

CREATE TABLE organizers (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'station_operator', 'screen_operator')),
    password_hash  TEXT NOT NULL,
    active         INTEGER NOT NULL DEFAULT 1,
    created_at_ms  INTEGER NOT NULL
);

-- Known by the token's hash. Idle and absolute timeouts; a CSRF token per session.
CREATE TABLE organizer_sessions (
    token_hash       BLOB PRIMARY KEY,
    organizer_id     INTEGER NOT NULL REFERENCES organizers (id),
    csrf_token       TEXT NOT NULL,
    created_at_ms    INTEGER NOT NULL,
    last_seen_at_ms  INTEGER NOT NULL,
    expires_at_ms    INTEGER NOT NULL
);

CREATE INDEX organizer_sessions_by_organizer ON organizer_sessions (organizer_id);

CREATE TABLE login_failures (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL,
    address_hash   BLOB NOT NULL,
    at_ms          INTEGER NOT NULL
);

CREATE INDEX login_failures_by_username ON login_failures (username, at_ms);
CREATE INDEX login_failures_by_address ON login_failures (address_hash, at_ms);

-- Append-only: entries are numbered from 1 without gaps, and each one's hash
-- covers its fields and the previous hash. The triggers refuse edits; the
-- chain makes any edit made around them detectable.
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
    at_ms        INTEGER NOT NULL,
    actor_id     INTEGER REFERENCES organizers (id),
    actor_name   TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject      TEXT NOT NULL,
    before_json  TEXT,
    after_json   TEXT,
    prev_hash    BLOB NOT NULL,
    hash         BLOB NOT NULL
);

CREATE INDEX audit_log_by_action ON audit_log (action, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
