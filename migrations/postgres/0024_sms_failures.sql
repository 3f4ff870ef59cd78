-- Sign-in codes the SMS gateway could not deliver (after its retries): the
-- organizer's dashboard counts them. The number only masked (138****8000),
-- never in clear; the gateway's reason cut to 200 characters.
CREATE TABLE sms_failures (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    failed_at_ms   BIGINT NOT NULL,
    number_masked  TEXT NOT NULL,
    reason         TEXT NOT NULL
);

CREATE INDEX sms_failures_by_time ON sms_failures (failed_at_ms);
