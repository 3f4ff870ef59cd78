-- Results only move forward. Each tally row counts its own changes, so the
-- sum over a campaign (read in one statement) grows with every committed
-- change and only then: of two readers, the one with the higher sum saw
-- everything the other saw. Instances and clients use it to refuse an older
-- snapshot after a newer one.
ALTER TABLE nominee_tallies ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

-- A freeze stores the frozen tally once, in the organizer's transaction, so
-- every instance shows the same frozen numbers (before, each instance
-- recounted the votes cast up to the freeze instant by itself).
CREATE TABLE frozen_tallies (
    campaign_id  BIGINT NOT NULL REFERENCES campaigns (id),
    nominee_id   BIGINT NOT NULL REFERENCES nominees (id),
    votes        BIGINT NOT NULL CHECK (votes >= 0),
    version      BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, nominee_id)
);

-- Campaigns frozen before this migration keep the numbers they showed: the
-- votes cast up to their freeze instant.
INSERT INTO frozen_tallies (campaign_id, nominee_id, votes, version)
SELECT c.id, n.id,
       (SELECT COUNT(*) FROM votes v
         WHERE v.nominee_id = n.id AND v.cast_at_ms <= c.results_frozen_at_ms
           AND v.invalidated_at_ms IS NULL),
       0
FROM campaigns c JOIN nominees n ON n.campaign_id = c.id
WHERE c.results_frozen_at_ms IS NOT NULL;
