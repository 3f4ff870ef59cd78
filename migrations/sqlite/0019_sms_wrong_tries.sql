-- Each wrong sign-in code typed, by number and by the address it came from.
-- A wrong try counts against the number's live codes for that address only
-- (a stranger's wrong codes cannot spend the code the resident is typing),
-- and against the number's daily ceiling, which only addresses the number
-- has signed in from pass (a guesser with many addresses gets no more than
-- the ceiling a day). `sms_codes.attempts` is no longer used.
CREATE TABLE sms_wrong_tries (
    id             INTEGER PRIMARY KEY,
    phone_hash     BLOB NOT NULL,
    address_hash   BLOB NOT NULL,
    day            INTEGER NOT NULL,
    at_ms          INTEGER NOT NULL
);

CREATE INDEX sms_wrong_tries_by_address ON sms_wrong_tries (phone_hash, address_hash, at_ms);
CREATE INDEX sms_wrong_tries_by_day ON sms_wrong_tries (phone_hash, day);
CREATE INDEX sms_wrong_tries_by_age ON sms_wrong_tries (at_ms);
