-- Why the notice was published before every polling station reported, as
-- the administrator wrote it; shown on the notice. NULL when none was missing.
ALTER TABLE publications ADD COLUMN unreported_reason TEXT;
