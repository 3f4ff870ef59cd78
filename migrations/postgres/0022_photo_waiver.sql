-- A tally sheet counts only with the photo of the signed paper, unless an
-- administrator waives it with a written reason (shown on the public list
-- beside the sheet once the results are published).
ALTER TABLE tally_sheets ADD COLUMN photo_waiver TEXT;
ALTER TABLE tally_sheets ADD COLUMN photo_waived_by BIGINT REFERENCES organizers (id);
ALTER TABLE tally_sheets ADD COLUMN photo_waived_at_ms BIGINT;
