//! SQL both backends share. SQLite accepts PostgreSQL's `$n` placeholders, and
//! both speak `ON CONFLICT … RETURNING`, so only what differs lives in the
//! backend modules.

pub const PING: &str = "SELECT 1";

pub const CLAIM_INSTALLATION_KEY: &str =
    "INSERT INTO installation (id, key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING";

pub const INSTALLATION_KEY: &str = "SELECT key FROM installation WHERE id = 1";

pub const CAMPAIGN_COLUMNS: &str = "SELECT id, slug, title_zh, title_en, description_zh, description_en, \
     nomination_start_ms, review_start_ms, voting_start_ms, voting_end_ms, notice_end_ms, ceremony_at_ms, \
     votes_per_day, per_nominee_per_day, results_visibility, results_frozen_at_ms FROM campaigns";

/// A campaign's columns in the order `bind_campaign!` binds them.
macro_rules! insert_campaign {
    ($on_conflict:literal) => {
        concat!(
            "INSERT INTO campaigns (slug, title_zh, title_en, description_zh, description_en, \
             nomination_start_ms, review_start_ms, voting_start_ms, voting_end_ms, notice_end_ms, ceremony_at_ms, \
             votes_per_day, per_nominee_per_day, results_visibility, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ",
            $on_conflict
        )
    };
}

/// The demo's campaign: created once, then left as organizers set it.
pub const ENSURE_CAMPAIGN: &str =
    insert_campaign!("ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id");

/// A new campaign from the console; no row if the slug is taken.
pub const CREATE_CAMPAIGN: &str = insert_campaign!("ON CONFLICT (slug) DO NOTHING RETURNING id");

/// Everything an organizer may change in a campaign; the slug (its address) stays.
/// Freezing the results keeps the first freeze instant; unfreezing forgets it.
pub const UPDATE_CAMPAIGN: &str = "UPDATE campaigns SET title_zh = $2, title_en = $3, description_zh = $4, description_en = $5, \
     nomination_start_ms = $6, review_start_ms = $7, voting_start_ms = $8, voting_end_ms = $9, notice_end_ms = $10, \
     ceremony_at_ms = $11, votes_per_day = $12, per_nominee_per_day = $13, results_visibility = $14, \
     results_frozen_at_ms = CASE WHEN $14 = 'frozen' THEN COALESCE(results_frozen_at_ms, $15) ELSE NULL END \
     WHERE id = $1";

pub const STREETS: &str = "SELECT id, name_zh, name_en FROM streets ORDER BY sort_order, id";

pub const ENSURE_STREET: &str = "INSERT INTO streets (name_zh, name_en, sort_order) VALUES ($1, $2, $3) \
     ON CONFLICT (name_zh) DO UPDATE SET name_en = excluded.name_en, sort_order = excluded.sort_order RETURNING id";

/// A community with its street's names, for printing its ballot cards.
pub const COMMUNITY: &str = "SELECT c.id, c.street_id, c.name_zh, c.name_en, s.name_zh AS street_zh, s.name_en AS street_en \
     FROM communities c JOIN streets s ON s.id = c.street_id WHERE c.id = $1";

pub const ENSURE_COMMUNITY: &str =
    "INSERT INTO communities (street_id, name_zh, name_en) VALUES ($1, $2, $3) \
     ON CONFLICT (street_id, name_zh) DO UPDATE SET name_en = excluded.name_en RETURNING id";

pub const ENSURE_NOMINEE: &str = "INSERT INTO nominees (campaign_id, number, name, community_id, photo_url, story, created_at_ms) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) \
     ON CONFLICT (campaign_id, number) DO UPDATE SET number = excluded.number RETURNING id";

/// Nominee columns joined with their community and street; callers append conditions.
pub const NOMINEE_SELECT: &str = "SELECT n.id, n.number, n.name, c.street_id, s.name_zh AS street_zh, s.name_en AS street_en, \
     c.name_zh AS community_zh, c.name_en AS community_en, n.photo_url, n.story \
     FROM nominees n JOIN communities c ON c.id = n.community_id JOIN streets s ON s.id = c.street_id \
     WHERE n.campaign_id = $1 AND n.status = 'active'";

pub const NOMINEE_BY_NUMBER_CONDITION: &str = " AND n.number = $2";

pub const ENSURE_VOTER: &str =
    "INSERT INTO voters (identity_hash, kind, masked, created_at_ms) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (identity_hash) DO UPDATE SET identity_hash = excluded.identity_hash RETURNING id";

/// The numbers of a campaign's active nominees: what a vote may name.
pub const ACTIVE_NOMINEE_IDS: &str =
    "SELECT id, number FROM nominees WHERE campaign_id = $1 AND status = 'active'";

/// One voter-day's stored votes (SQLite reads them one voter-day at a time).
pub const HELD_VOTES: &str = "SELECT nominee_id, day_slot, nominee_slot FROM votes \
     WHERE campaign_id = $1 AND voter_id = $2 AND day = $3";

pub const INSERT_VOTE: &str = "INSERT INTO votes (campaign_id, voter_id, nominee_id, day, day_slot, nominee_slot, channel, cast_at_ms) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id";

pub const ADD_TO_TALLY: &str =
    "INSERT INTO nominee_tallies (nominee_id, online_votes) VALUES ($1, $2) \
     ON CONFLICT (nominee_id) DO UPDATE SET online_votes = nominee_tallies.online_votes + excluded.online_votes";

pub const VOTES_ON_DAY: &str =
    "SELECT n.number FROM votes v JOIN nominees n ON n.id = v.nominee_id \
     WHERE v.campaign_id = $1 AND v.voter_id = $2 AND v.day = $3 ORDER BY v.day_slot";

pub const TALLY: &str = "SELECT n.number, n.name, s.name_zh AS street_zh, s.name_en AS street_en, \
     c.name_zh AS community_zh, c.name_en AS community_en, COALESCE(t.online_votes, 0) AS votes \
     FROM nominees n JOIN communities c ON c.id = n.community_id JOIN streets s ON s.id = c.street_id \
     LEFT JOIN nominee_tallies t ON t.nominee_id = n.id \
     WHERE n.campaign_id = $1 AND n.status = 'active' ORDER BY n.number";

pub const TALLY_AS_OF: &str = "SELECT n.number, n.name, s.name_zh AS street_zh, s.name_en AS street_en, \
     c.name_zh AS community_zh, c.name_en AS community_en, COALESCE(v.votes, 0) AS votes \
     FROM nominees n JOIN communities c ON c.id = n.community_id JOIN streets s ON s.id = c.street_id \
     LEFT JOIN (SELECT nominee_id, COUNT(*) AS votes FROM votes \
                WHERE campaign_id = $1 AND cast_at_ms <= $2 AND invalidated_at_ms IS NULL \
                GROUP BY nominee_id) v ON v.nominee_id = n.id \
     WHERE n.campaign_id = $1 AND n.status = 'active' ORDER BY n.number";

pub const SMS_NUMBER_HISTORY: &str = "SELECT MAX(sent_at_ms) AS last_sent, \
     COALESCE(SUM(CASE WHEN sent_day = $2 THEN 1 ELSE 0 END), 0) AS today \
     FROM sms_codes WHERE phone_hash = $1";

pub const SMS_ADDRESS_HISTORY: &str =
    "SELECT COUNT(*) AS sent, MIN(sent_at_ms) AS oldest FROM sms_codes WHERE address_hash = $1 AND sent_at_ms > $2";

pub const INSERT_SMS_CODE: &str = "INSERT INTO sms_codes (phone_hash, address_hash, code_hash, sent_at_ms, sent_day, expires_at_ms) \
     VALUES ($1, $2, $3, $4, $5, $6)";

pub const LATEST_SMS_CODE: &str =
    "SELECT id, code_hash, expires_at_ms, attempts, used_at_ms FROM sms_codes \
     WHERE phone_hash = $1 ORDER BY sent_at_ms DESC, id DESC LIMIT 1";

pub const WITHDRAW_SMS_CODE: &str =
    "DELETE FROM sms_codes WHERE code_hash = $1 AND used_at_ms IS NULL";

pub const COUNT_WRONG_TRY: &str = "UPDATE sms_codes SET attempts = attempts + 1 WHERE id = $1";

pub const USE_SMS_CODE: &str =
    "UPDATE sms_codes SET used_at_ms = $2 WHERE id = $1 AND used_at_ms IS NULL";

pub const INSERT_SESSION: &str =
    "INSERT INTO sessions (token_hash, voter_id, created_at_ms, expires_at_ms) VALUES ($1, $2, $3, $4)";

pub const END_SESSION: &str = "DELETE FROM sessions WHERE token_hash = $1";

pub const SESSION_VOTER: &str =
    "SELECT voter_id FROM sessions WHERE token_hash = $1 AND expires_at_ms > $2";

pub const SAVED_OUTCOME: &str =
    "SELECT outcome FROM vote_requests WHERE voter_id = $1 AND request_key = $2";

pub const SAVE_OUTCOME: &str =
    "INSERT INTO vote_requests (voter_id, request_key, outcome, created_at_ms) VALUES ($1, $2, $3, $4)";

pub const ADD_BALLOT_CODE: &str =
    "INSERT INTO ballot_codes (code_hash, community_id, created_at_ms) VALUES ($1, $2, $3)";

/// Spends a code only if nobody has: atomic on both backends, whatever races.
pub const SPEND_BALLOT_CODE: &str =
    "UPDATE ballot_codes SET redeemed_at_ms = $2 WHERE code_hash = $1 AND redeemed_at_ms IS NULL";

pub const LINK_BALLOT_CODE: &str = "UPDATE ballot_codes SET voter_id = $2 WHERE code_hash = $1";

// Organizers, their sessions and the audit log.

pub const INSERT_ORGANIZER: &str =
    "INSERT INTO organizers (username, display_name, role, password_hash, active, created_at_ms) \
     VALUES ($1, $2, $3, $4, TRUE, $5) ON CONFLICT (username) DO NOTHING RETURNING id";

pub const ORGANIZER_COLUMNS: &str =
    "SELECT id, username, display_name, role, active, password_hash FROM organizers";

pub const UPDATE_ORGANIZER: &str = "UPDATE organizers SET role = $2, active = $3 WHERE id = $1";

pub const LOGIN_FAILURES: &str = "SELECT \
     (SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at_ms > $3), \
     (SELECT COUNT(*) FROM login_failures WHERE address_hash = $2 AND at_ms > $3)";

pub const RECORD_LOGIN_FAILURE: &str =
    "INSERT INTO login_failures (username, address_hash, at_ms) VALUES ($1, $2, $3)";

pub const CLEAR_LOGIN_FAILURES: &str = "DELETE FROM login_failures WHERE username = $1";

pub const INSERT_ORGANIZER_SESSION: &str = "INSERT INTO organizer_sessions \
     (token_hash, organizer_id, csrf_token, created_at_ms, last_seen_at_ms, expires_at_ms) VALUES ($1, $2, $3, $4, $4, $5)";

/// A live session: before its absolute end, seen within the idle limit, of an active organizer.
pub const ORGANIZER_SESSION: &str = "SELECT o.id, o.username, o.display_name, o.role, o.active, o.password_hash, \
     s.csrf_token, s.last_seen_at_ms FROM organizer_sessions s JOIN organizers o ON o.id = s.organizer_id \
     WHERE s.token_hash = $1 AND s.expires_at_ms > $2 AND s.last_seen_at_ms > $3 AND o.active = TRUE";

pub const TOUCH_ORGANIZER_SESSION: &str =
    "UPDATE organizer_sessions SET last_seen_at_ms = $2 WHERE token_hash = $1";

pub const END_ORGANIZER_SESSION: &str = "DELETE FROM organizer_sessions WHERE token_hash = $1";

pub const END_ORGANIZER_SESSIONS: &str = "DELETE FROM organizer_sessions WHERE organizer_id = $1";

pub const AUDIT_HEAD: &str = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";

pub const INSERT_AUDIT: &str = "INSERT INTO audit_log \
     (seq, at_ms, actor_id, actor_name, action, subject, before_json, after_json, prev_hash, hash) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

pub const AUDIT_COLUMNS: &str = "SELECT seq, at_ms, actor_id, actor_name, action, subject, before_json, after_json, prev_hash, hash FROM audit_log";

// The console's view of nominees, withdrawn ones included, and their photos.

pub const NOMINEE_RECORDS: &str = "SELECT n.id, n.number, n.name, c.street_id, s.name_zh AS street_zh, s.name_en AS street_en, \
     c.name_zh AS community_zh, c.name_en AS community_en, n.photo_url, n.story, n.community_id, n.status \
     FROM nominees n JOIN communities c ON c.id = n.community_id JOIN streets s ON s.id = c.street_id \
     WHERE n.campaign_id = $1 ORDER BY n.number";

pub const COMMUNITIES: &str = "SELECT c.id, c.street_id, c.name_zh, c.name_en, s.name_zh AS street_zh, s.name_en AS street_en \
     FROM communities c JOIN streets s ON s.id = c.street_id ORDER BY s.sort_order, s.id, c.name_zh";

pub const CREATE_NOMINEE: &str = "INSERT INTO nominees (campaign_id, number, name, community_id, photo_url, story, created_at_ms) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (campaign_id, number) DO NOTHING RETURNING id";

pub const NUMBER_TAKEN: &str =
    "SELECT id FROM nominees WHERE campaign_id = $1 AND number = $2 AND id <> $3";

pub const UPDATE_NOMINEE: &str =
    "UPDATE nominees SET number = $2, name = $3, community_id = $4, story = $5 WHERE id = $1";

pub const SET_NOMINEE_STATUS: &str = "UPDATE nominees SET status = $2 WHERE id = $1";

pub const SAVE_PHOTO: &str = "INSERT INTO nominee_photos (nominee_id, size, content_type, bytes, created_at_ms) \
     VALUES ($1, $2, 'image/jpeg', $3, $4) \
     ON CONFLICT (nominee_id, size) DO UPDATE SET bytes = excluded.bytes, created_at_ms = excluded.created_at_ms";

pub const SET_PHOTO_URL: &str = "UPDATE nominees SET photo_url = $2 WHERE id = $1";

pub const PHOTO: &str = "SELECT bytes FROM nominee_photos WHERE nominee_id = $1 AND size = $2";

// Importing streets and communities: existing ones are kept as they are.

pub const ADD_STREET: &str = "INSERT INTO streets (name_zh, name_en, sort_order) \
     VALUES ($1, $2, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM streets)) \
     ON CONFLICT (name_zh) DO NOTHING RETURNING id";

pub const STREET_BY_NAME: &str = "SELECT id FROM streets WHERE name_zh = $1";

pub const ADD_COMMUNITY: &str =
    "INSERT INTO communities (street_id, name_zh, name_en) VALUES ($1, $2, $3) \
     ON CONFLICT (street_id, name_zh) DO NOTHING RETURNING id";

// Renaming and removing streets and communities.

pub const STREET_NAME_TAKEN: &str = "SELECT id FROM streets WHERE name_zh = $1 AND id <> $2";

pub const RENAME_STREET: &str = "UPDATE streets SET name_zh = $2, name_en = $3 WHERE id = $1";

pub const COMMUNITY_NAME_TAKEN: &str = "SELECT c.id FROM communities c \
     JOIN communities me ON me.street_id = c.street_id WHERE me.id = $2 AND c.name_zh = $1 AND c.id <> $2";

pub const RENAME_COMMUNITY: &str =
    "UPDATE communities SET name_zh = $2, name_en = $3 WHERE id = $1";

/// Whether anything still names a community: nominees (withdrawn too) or printed ballot cards.
pub const COMMUNITY_IN_USE: &str = "SELECT \
     (SELECT COUNT(*) FROM nominees WHERE community_id = $1) + \
     (SELECT COUNT(*) FROM ballot_codes WHERE community_id = $1)";

pub const REMOVE_COMMUNITY: &str = "DELETE FROM communities WHERE id = $1";

// Polling stations and who operates them.

pub const ADD_STATION: &str = "INSERT INTO stations (name, created_at_ms) VALUES ($1, $2) \
     ON CONFLICT (name) DO NOTHING RETURNING id";

pub const STATIONS: &str = "SELECT id, name FROM stations ORDER BY name";

pub const STATION_OPERATORS: &str = "SELECT organizer_id, station_id FROM station_operators";

pub const CLEAR_STATIONS_OF: &str = "DELETE FROM station_operators WHERE organizer_id = $1";

pub const ASSIGN_STATION: &str =
    "INSERT INTO station_operators (organizer_id, station_id) VALUES ($1, $2)";
