-- Printed one-time ballot codes handed out by a community. Only the keyed
-- hash is kept; redeeming one makes its holder a voter without a phone number.
CREATE TABLE ballot_codes (
    code_hash       BYTEA PRIMARY KEY,
    community_id    BIGINT NOT NULL REFERENCES communities (id),
    created_at_ms   BIGINT NOT NULL,
    redeemed_at_ms  BIGINT,
    voter_id        BIGINT REFERENCES voters (id)
);
