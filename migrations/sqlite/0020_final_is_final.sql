-- Final is final: a stored tally (a freeze, or the notice's) keeps the jury
-- averages it used, as each nominee's score sum and count, instead of
-- reading the scores live. NULL: stored before this migration.
ALTER TABLE frozen_tallies ADD COLUMN jury_sum INTEGER;
ALTER TABLE frozen_tallies ADD COLUMN jury_count INTEGER;

-- A sheet photo's SHA-256 (hex), as its audit entry names it: anyone holding
-- a copy can tell it is the one published. NULL: stored before.
ALTER TABLE sheet_photos ADD COLUMN sha256 TEXT;
