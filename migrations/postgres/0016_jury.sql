-- The jury channel: the accounts an administrator appoints as a campaign's
-- judges, and each judge's score (0–100) for each nominee. A nominee's jury
-- score is the average over the judges who scored them; scores are locked
-- once the results are published for notice.
CREATE TABLE jury_members (
    campaign_id      BIGINT NOT NULL REFERENCES campaigns (id),
    organizer_id     BIGINT NOT NULL REFERENCES organizers (id),
    appointed_at_ms  BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, organizer_id)
);

CREATE TABLE jury_scores (
    nominee_id    BIGINT NOT NULL REFERENCES nominees (id),
    organizer_id  BIGINT NOT NULL REFERENCES organizers (id),
    score         BIGINT NOT NULL CHECK (score BETWEEN 0 AND 100),
    scored_at_ms  BIGINT NOT NULL,
    PRIMARY KEY (nominee_id, organizer_id)
);
