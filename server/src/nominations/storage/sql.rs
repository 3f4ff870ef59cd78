//! The statements of the nominations' storage, in SQL both backends accept.

/// A lead's supporters: each resident once, each committee entry once.
pub(super) const SUPPORTERS_OF: &str = "(SELECT CAST(COUNT(DISTINCT sp.voter_id) + \
     SUM(CASE WHEN sp.voter_id IS NULL THEN 1 ELSE 0 END) AS BIGINT) \
     FROM nomination_supporters sp WHERE sp.lead_id = {lead})";

pub(super) const RECORD_COLUMNS: &str = "SELECT n.id, n.campaign_id, n.community_id, c.street_id, \
     c.name_zh AS community_zh, c.name_en AS community_en, n.name, n.role, n.years, n.story, \
     n.relation, n.nominee_phone_masked, n.nominator_id, n.entered_by, n.state, n.consent, \
     n.consent_at_ms, n.consent_note, n.reason, n.reason_note, n.question, n.answer, \
     n.merged_into, n.nominee_id, n.created_at_ms, n.revision, \
     (SELECT CAST(COUNT(*) AS BIGINT) FROM nomination_photos p WHERE p.nomination_id = n.id) AS photos, \
     {supporters} AS supporters \
     FROM nominations n JOIN communities c ON c.id = n.community_id";

pub(super) fn record_sql(tail: &str) -> String {
    let supporters = SUPPORTERS_OF.replace("{lead}", "COALESCE(n.merged_into, n.id)");
    format!(
        "{} {tail}",
        RECORD_COLUMNS.replace("{supporters}", &supporters)
    )
}

pub(super) const INSERT: &str = "INSERT INTO nominations (campaign_id, community_id, name, name_key, sound_key, \
     role, years, story, relation, nominee_phone_hash, nominee_phone_masked, nominator_id, entered_by, \
     created_at_ms, nominator_phone_sealed, nominator_phone_masked) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id";

pub(super) const INSERT_PHOTO: &str =
    "INSERT INTO nomination_photos (nomination_id, size, content_type, bytes) \
     VALUES ($1, $2, 'image/jpeg', $3)";

pub(super) const INSERT_SUPPORTER: &str =
    "INSERT INTO nomination_supporters (lead_id, origin_id, campaign_id, voter_id, at_ms) \
     VALUES ($1, $2, $3, $4, $5)";

pub(super) const INSERT_LINK: &str =
    "INSERT INTO consent_links (token_hash, nomination_id, expires_at_ms) VALUES ($1, $2, $3)";

pub(super) const PUT_BY: &str = "SELECT CAST(COUNT(*) AS BIGINT) FROM nomination_supporters \
     WHERE campaign_id = $1 AND voter_id = $2";

pub(super) const COUNTED_FOR: &str = "SELECT CAST(COUNT(*) AS BIGINT) FROM nomination_supporters \
     WHERE lead_id = $1 AND voter_id = $2";

pub(super) const LEAD_OF: &str = "SELECT COALESCE(merged_into, id), state FROM nominations \
     WHERE id = $1 AND campaign_id = $2";

pub(super) const STATE_OF: &str = "SELECT state, merged_into FROM nominations WHERE id = $1";

pub(super) const STANDING: &str = "SELECT id, name, state FROM nominations WHERE campaign_id = $1 \
     AND community_id = $2 AND merged_into IS NULL \
     AND state IN ('submitted', 'needs_info', 'eligible', 'approved') ORDER BY id";

pub(super) const MINE: &str = "SELECT o.id, o.name, c.name_zh, c.name_en, o.state, o.reason, o.reason_note, \
     o.question, CASE WHEN o.nominator_id = sp.voter_id THEN 0 ELSE 1 END AS supported, \
     CASE WHEN o.kept_separate_at_ms IS NULL THEN 0 ELSE 1 END AS kept, \
     l.id AS lead_id, l.name AS lead_name, l.state AS lead_state, {supporters} AS supporters, \
     (SELECT CAST(m.number AS INTEGER) FROM nominees m WHERE m.id = l.nominee_id) AS nominee_number \
     FROM nomination_supporters sp \
     JOIN nominations o ON o.id = sp.origin_id \
     JOIN nominations l ON l.id = sp.lead_id \
     JOIN communities c ON c.id = o.community_id \
     WHERE sp.campaign_id = $1 AND sp.voter_id = $2 ORDER BY sp.id DESC";

pub(super) const PER_STREET: &str =
    "SELECT c.street_id, CAST(COUNT(*) AS BIGINT) FROM nominations n \
     JOIN communities c ON c.id = n.community_id WHERE n.campaign_id = $1 \
     GROUP BY c.street_id ORDER BY c.street_id";

pub(super) const QUEUE_TAIL: &str = "WHERE n.campaign_id = $1 \
     AND (CAST($2 AS BIGINT) IS NULL OR c.street_id = $2) \
     AND (CAST($3 AS BIGINT) IS NULL OR n.community_id = $3) \
     AND (CAST($4 AS TEXT) IS NULL OR n.state = $4) ORDER BY c.street_id, n.community_id, n.id";

pub(super) const DECIDE: &str =
    "UPDATE nominations SET state = $3, reason = $4, reason_note = $5, question = $6, \
     decided_at_ms = $7, revision = revision + 1 WHERE id = $1 AND revision = $2";

/// Takes a nomination's row lock (on PostgreSQL) without changing it: a
/// merge or a support decides on rows no one else changes meanwhile.
pub(super) const LOCK_ROW: &str = "UPDATE nominations SET revision = revision WHERE id = $1";

pub(super) const ANSWER: &str =
    "UPDATE nominations SET answer = $3, state = 'submitted', revision = revision + 1 \
     WHERE id = $1 AND nominator_id = $2 AND state = 'needs_info' AND campaign_id = $4";

pub(super) const MERGE_FROM: &str =
    "UPDATE nominations SET state = 'merged', merged_into = $3, decided_at_ms = $4, \
     merged_from_state = state, merged_direct = $3, \
     revision = revision + 1 WHERE id = $1 AND revision = $2 AND merged_into IS NULL \
     AND state IN ('submitted', 'needs_info', 'eligible')";

/// A merged nomination as an undo reads it: its revision, where it stands,
/// where it was merged directly, and its state before.
pub(super) const MERGED_ROW: &str = "SELECT revision, state, merged_into, merged_direct, \
     merged_from_state FROM nominations WHERE id = $1";

/// The nominations merged into a lead, each with the one it was merged into directly.
pub(super) const MERGED_INTO_LEAD: &str =
    "SELECT id, merged_direct FROM nominations WHERE merged_into = $1";

pub(super) const UNMERGE: &str = "UPDATE nominations SET state = merged_from_state, \
     merged_into = NULL, merged_direct = NULL, merged_from_state = NULL, \
     revision = revision + 1 WHERE id = $1 AND revision = $2 AND state = 'merged'";

pub(super) const REPOINT: &str = "UPDATE nominations SET merged_into = $2 WHERE id = $1";

pub(super) const SUPPORTERS_BACK: &str =
    "UPDATE nomination_supporters SET lead_id = $3 WHERE lead_id = $1 AND origin_id = $2";

pub(super) const BUMP: &str = "UPDATE nominations SET revision = revision + 1 WHERE id = $1";

pub(super) const MERGE_EARLIER: &str =
    "UPDATE nominations SET merged_into = $2 WHERE merged_into = $1";

pub(super) const MOVE_SUPPORTERS: &str =
    "UPDATE nomination_supporters SET lead_id = $2 WHERE lead_id = $1";

pub(super) const APPROVE: &str = "UPDATE nominations SET state = 'approved', decided_at_ms = $3, \
     revision = revision + 1 WHERE id = $1 AND revision = $2 AND state = 'eligible' \
     AND consent IN ('given_by_link', 'given_on_paper') RETURNING campaign_id, community_id";

pub(super) const CREATE_NOMINEE: &str =
    "INSERT INTO nominees (campaign_id, number, name, community_id, story, \
     created_at_ms, nomination_id) VALUES ($1, $2, $3, $4, $5, $6, $7) \
     ON CONFLICT (campaign_id, number) DO NOTHING RETURNING id";

pub(super) const COPY_PHOTOS: &str =
    "INSERT INTO nominee_photos (nominee_id, size, content_type, bytes, created_at_ms) \
     SELECT $1, size, content_type, bytes, $3 FROM nomination_photos WHERE nomination_id = $2";

pub(super) const POINT_PHOTO: &str = "UPDATE nominees SET photo_url = $2 WHERE id = $1";

pub(super) const LINK_NOMINEE: &str = "UPDATE nominations SET nominee_id = $2 WHERE id = $1";

pub(super) const LINK: &str = "SELECT nomination_id, expires_at_ms, used_at_ms, agreed \
     FROM consent_links WHERE token_hash = $1";

pub(super) const USE_LINK: &str = "UPDATE consent_links SET used_at_ms = $2, agreed = $3 \
     WHERE token_hash = $1 AND used_at_ms IS NULL";

pub(super) const CONSENT: &str = "UPDATE nominations SET consent = $2, consent_at_ms = $3, \
     consent_recorded_by = $4, consent_note = $5, \
     state = CASE WHEN $6 AND state IN ('submitted', 'needs_info', 'eligible') \
     THEN 'declined_by_nominee' ELSE state END, revision = revision + 1 WHERE id = $1";

/// What the links of nominations merged into a lead were answered.
pub(super) const MERGED_ANSWERS: &str = "SELECT id, consent FROM nominations \
     WHERE merged_into = $1 AND consent <> 'pending' ORDER BY id";

pub(super) use crate::signin::storage::VOTER_IDENTITY;

pub(super) const KEEP_SEPARATE: &str = "UPDATE nominations SET kept_separate_at_ms = $3 \
     WHERE id = $1 AND nominator_id = $2 AND state = 'submitted' AND kept_separate_at_ms IS NULL";

pub(super) const CLAIM_NOMINATOR_TEXT: &str = "UPDATE nominations SET nominator_texted_at_ms = $2 \
     WHERE id = $1 AND nominator_phone_sealed IS NOT NULL \
     AND (nominator_texted_at_ms IS NULL OR nominator_texted_at_ms < $3) \
     RETURNING nominator_phone_sealed";

pub(super) const CONSENT_CAS: &str = " AND revision = $7";

pub(super) const NOMINATORS_OF: &str = "SELECT m.id, {supporters} AS supporters FROM nominees m \
     JOIN nominations l ON l.id = m.nomination_id WHERE m.campaign_id = $1";

pub(super) const PHOTO: &str =
    "SELECT bytes FROM nomination_photos WHERE nomination_id = $1 AND size = $2";

pub(super) const STILL_OPEN: &str = "UPDATE nominations SET revision = revision + 1 WHERE id = $1 \
     AND state IN ('submitted', 'needs_info', 'eligible')";

pub(super) const DROP_PHOTOS: &str = "DELETE FROM nomination_photos WHERE nomination_id = $1";
