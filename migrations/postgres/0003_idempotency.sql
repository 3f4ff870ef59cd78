-- The first answer to each (voter, Idempotency-Key), so a retried vote returns
-- that answer and counts nothing new. Written in the vote's own transaction.
CREATE TABLE vote_requests (
    voter_id       BIGINT NOT NULL REFERENCES voters (id),
    request_key    TEXT NOT NULL,
    outcome        TEXT NOT NULL,
    created_at_ms  BIGINT NOT NULL,
    PRIMARY KEY (voter_id, request_key)
);
