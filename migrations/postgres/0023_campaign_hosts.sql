-- The organisers' line (主办 / 承办) the big screen and the printed notice
-- carry, in both languages; empty until an administrator fills it in.
ALTER TABLE campaigns ADD COLUMN hosts_zh TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN hosts_en TEXT NOT NULL DEFAULT '';
