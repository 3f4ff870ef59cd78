-- Signing in: SMS codes (hashed, never the number or the code in clear) and sessions.

CREATE TABLE sms_codes (
    id             INTEGER PRIMARY KEY,
    phone_hash     BLOB NOT NULL,
    address_hash   BLOB NOT NULL,
    code_hash      BLOB NOT NULL,
    sent_at_ms     INTEGER NOT NULL,
    sent_day       INTEGER NOT NULL,
    expires_at_ms  INTEGER NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    used_at_ms     INTEGER
);

CREATE INDEX sms_codes_by_phone ON sms_codes (phone_hash, sent_at_ms);
CREATE INDEX sms_codes_by_address ON sms_codes (address_hash, sent_at_ms);

-- A session is known by the hash of its token; the token itself lives only in the browser.
CREATE TABLE sessions (
    token_hash     BLOB PRIMARY KEY,
    voter_id       INTEGER NOT NULL REFERENCES voters (id),
    created_at_ms  INTEGER NOT NULL,
    expires_at_ms  INTEGER NOT NULL
);
