-- Printed one-time ballot codes handed out by a community. Only the keyed
-- hash is kept; redeeming one makes its holder a voter without a phone number.
CREATE TABLE ballot_codes (
    code_hash       BLOB PRIMARY KEY,
    community_id    INTEGER NOT NULL REFERENCES communities (id),
    created_at_ms   INTEGER NOT NULL,
    redeemed_at_ms  INTEGER,
    voter_id        INTEGER REFERENCES voters (id)
);
