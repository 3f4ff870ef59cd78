-- Every ballot carries a request key now (the client's Idempotency-Key, a
-- form's hidden key, or one the server makes), so a retry after a commit
-- whose answer was lost replays instead of counting twice. A key is bound to
-- its campaign and to what was asked (the fingerprint: channel and nominee),
-- and a refusal is kept with its Shanghai day, since it answers only that
-- day. Answers saved before had neither; they are not carried over (a retry
-- of a request from before the upgrade is decided afresh).
DROP TABLE vote_requests;

CREATE TABLE vote_requests (
    voter_id       INTEGER NOT NULL REFERENCES voters (id),
    campaign_id    INTEGER NOT NULL REFERENCES campaigns (id),
    request_key    TEXT NOT NULL,
    fingerprint    TEXT NOT NULL,
    day            INTEGER NOT NULL,
    outcome        TEXT NOT NULL,
    created_at_ms  INTEGER NOT NULL,
    PRIMARY KEY (voter_id, campaign_id, request_key)
);

-- Old answers are purged on a schedule.
CREATE INDEX vote_requests_by_age ON vote_requests (created_at_ms);
