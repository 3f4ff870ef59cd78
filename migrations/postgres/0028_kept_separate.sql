-- When a nominator said the likely duplicate shown to them is someone else
-- ("不是同一人，保留我的推荐"): from then on it is no longer offered.
ALTER TABLE nominations ADD COLUMN kept_separate_at_ms BIGINT;
