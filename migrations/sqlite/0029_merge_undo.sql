-- What a merge changed, so that a reviewer can undo it while the kept
-- nomination is still open: the merged nomination's state before, and the
-- nomination it was merged into directly (a later merge of that one moves
-- merged_into on, never this).
ALTER TABLE nominations ADD COLUMN merged_from_state TEXT;
ALTER TABLE nominations ADD COLUMN merged_direct INTEGER;
