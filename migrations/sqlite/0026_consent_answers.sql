-- The organisers' telephone, given in every text message and on the consent
-- page (empty: none given).
ALTER TABLE campaigns ADD COLUMN hotline TEXT NOT NULL DEFAULT '';

-- What a consent link answered, beside when: a link opened again says so
-- ("您已于 … 同意"). NULL for a link not used yet.
ALTER TABLE consent_links ADD COLUMN agreed BOOLEAN;
