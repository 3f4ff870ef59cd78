-- A resident's own number, given to be texted back once: when their
-- objection is answered, when a reviewer asks about their nomination.
-- Sealed (ChaCha20-Poly1305 under a key derived from the deployment's phone
-- key), shown masked, cleared with the other contact details after the notice.
ALTER TABLE objections ADD COLUMN reply_phone_sealed BYTEA;
ALTER TABLE objections ADD COLUMN reply_phone_masked TEXT;
ALTER TABLE nominations ADD COLUMN nominator_phone_sealed BYTEA;
ALTER TABLE nominations ADD COLUMN nominator_phone_masked TEXT;
-- When the nominator was last texted about a question (one text a day at most).
ALTER TABLE nominations ADD COLUMN nominator_texted_at_ms BIGINT;
