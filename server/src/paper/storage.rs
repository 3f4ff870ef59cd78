//! Tally sheets in storage: the sheet with its state and revision, every
//! entry as typed, the marks a definitive sheet counts, reopenings and the
//! photos of the signed paper. A change names the revision it was decided
//! on and is refused as stale if another change came first; a sheet that
//! becomes definitive (or stops being) moves the paper tally in the same
//! transaction.

use alleyvote_domain::organizer::OrganizerId;
use alleyvote_domain::paper::{Keyers, PaperRule, Round, SheetInput, SheetState};
use alleyvote_domain::{CampaignId, Millis, NomineeId, SheetId, StationId};
use async_trait::async_trait;

use crate::audit::storage::AuditedWrite;
use crate::audit::NewAuditEntry;
use crate::publication::storage::StageGuard;
use crate::publication::storage::CAMPAIGN_OF_SHEET;
use crate::storage::{Backend, PostgresStore, SqliteStore, StoreError, StoreResult, Tx};

/// A sheet as the progress board lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetSummary {
    pub id: SheetId,
    pub station: StationId,
    pub station_name: String,
    pub campaign: Option<CampaignId>,
    pub label: String,
    pub state: SheetState,
    pub revision: i64,
    /// Who keys the current round's entries.
    pub keyers: Keyers,
    pub has_photo: bool,
    /// An administrator's leave to count the sheet without its photo.
    pub photo_waiver: Option<PhotoWaiver>,
    pub updated_at: Millis,
}

/// Why a sheet counts without the photo of the signed paper, and who said so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoWaiver {
    pub reason: String,
    pub by: String,
    pub at: Millis,
}

/// One keying of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    pub id: i64,
    pub round: Round,
    pub operator: OrganizerId,
    pub operator_name: String,
    pub input: SheetInput,
    pub checked_against_paper: bool,
    pub note: String,
    pub saved_at: Millis,
    pub finished_at: Option<Millis>,
    /// `None` while part of the current round; else why it was set aside
    /// (`discarded`, `not_kept`, `reopened`).
    pub closed: Option<String>,
}

/// An administrator's reopening of a definitive sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reopening {
    pub entry_id: i64,
    pub reason: String,
    pub by: String,
    pub at: Millis,
}

/// A sheet with every entry ever keyed (oldest first) and its reopenings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRecord {
    pub summary: SheetSummary,
    /// The entry the tally counts, while definitive.
    pub counted_entry: Option<i64>,
    pub entries: Vec<StoredEntry>,
    pub reopenings: Vec<Reopening>,
}

impl SheetRecord {
    /// The current round's entry, if keyed.
    pub fn current(&self, round: Round) -> Option<&StoredEntry> {
        self.entries
            .iter()
            .find(|e| e.round == round && e.closed.is_none())
    }
}

/// A sheet keyed, decided or reopened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetChange {
    /// An entry saved (a draft), or finished.
    Entry {
        round: Round,
        operator: OrganizerId,
        input: Box<SheetInput>,
        checked_against_paper: bool,
        note: String,
        finished: bool,
        /// When this entry makes the sheet definitive: the marks it counts.
        counts: Option<Vec<(NomineeId, u32)>>,
    },
    /// A coordinator's decision on differing entries: the entry kept (with
    /// the marks it counts), or none.
    Resolve {
        kept: Option<(Round, Vec<(NomineeId, u32)>)>,
    },
    /// A definitive sheet back to not started; its marks leave the tally.
    Reopen { by: OrganizerId, reason: String },
    /// The sheet may count without its photo (its state stays).
    WaivePhoto { by: OrganizerId, reason: String },
}

/// Whether a change was made, or another came first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Done,
    Stale,
}

#[async_trait]
pub trait PaperStorage: Send + Sync {
    /// The campaign's paper rule, if one was set.
    async fn paper_rule(&self, campaign: CampaignId) -> StoreResult<Option<PaperRule>>;
    async fn set_paper_rule(
        &self,
        campaign: CampaignId,
        rule: PaperRule,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// A new sheet for a station; `Duplicate` if the station has one with the label.
    async fn add_sheet(
        &self,
        station: StationId,
        label: &str,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<SheetId>;
    /// Every sheet (a campaign's stations' only, when one is named).
    async fn sheets(&self, campaign: Option<CampaignId>) -> StoreResult<Vec<SheetSummary>>;
    /// The marks of the campaign's definitive sheets that became definitive
    /// since `from`, by that hour (hours since the Unix epoch): the paper
    /// half of the dashboard's chart.
    async fn marks_by_hour(
        &self,
        campaign: CampaignId,
        from: Millis,
    ) -> StoreResult<Vec<(i64, u64)>>;
    async fn sheet(&self, id: SheetId) -> StoreResult<Option<SheetRecord>>;
    /// The counted entries of a campaign's definitive sheets, each named
    /// "station · label".
    async fn counted_inputs(
        &self,
        campaign: CampaignId,
    ) -> StoreResult<Vec<(SheetId, String, SheetInput)>>;
    /// Applies a change decided on `revision`, leaving the sheet in `state`.
    async fn change_sheet(
        &self,
        id: SheetId,
        revision: i64,
        state: SheetState,
        change: &SheetChange,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<Applied>;
    async fn add_sheet_photo(
        &self,
        id: SheetId,
        jpeg: &[u8],
        sha256: &str,
        by: OrganizerId,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<()>;
    /// The latest photo of the signed sheet.
    async fn sheet_photo(&self, id: SheetId) -> StoreResult<Option<Vec<u8>>>;
    /// Every photo of the sheet, oldest first: its id and SHA-256 (hex).
    async fn sheet_photos(&self, id: SheetId) -> StoreResult<Vec<(i64, String)>>;
    /// One photo of the sheet, replaced or not.
    async fn sheet_photo_by_id(&self, id: SheetId, photo: i64) -> StoreResult<Option<Vec<u8>>>;
}

const PAPER_RULE: &str = "SELECT max_marks_per_ballot FROM paper_rules WHERE campaign_id = $1";

const SET_PAPER_RULE: &str = "INSERT INTO paper_rules (campaign_id, max_marks_per_ballot) \
     VALUES ($1, $2) ON CONFLICT (campaign_id) DO UPDATE SET max_marks_per_ballot = excluded.max_marks_per_ballot";

const ADD_SHEET: &str =
    "INSERT INTO tally_sheets (station_id, label, created_at_ms, updated_at_ms) \
     VALUES ($1, $2, $3, $3) ON CONFLICT (station_id, label) DO NOTHING RETURNING id";

const SHEET_SUMMARIES: &str = "SELECT t.id, t.station_id, st.name AS station_name, st.campaign_id, \
     t.label, t.state, t.revision, t.updated_at_ms, \
     (SELECT e.operator_id FROM sheet_entries e WHERE e.sheet_id = t.id AND e.round = 1 AND e.closed IS NULL) AS first_operator, \
     (SELECT e.operator_id FROM sheet_entries e WHERE e.sheet_id = t.id AND e.round = 2 AND e.closed IS NULL) AS second_operator, \
     EXISTS (SELECT 1 FROM sheet_photos p WHERE p.sheet_id = t.id) AS has_photo, t.counted_entry_id, \
     t.photo_waiver, w.display_name AS photo_waived_by, t.photo_waived_at_ms \
     FROM tally_sheets t JOIN stations st ON st.id = t.station_id \
     LEFT JOIN organizers w ON w.id = t.photo_waived_by";

const ENTRIES_OF: &str = "SELECT e.id, e.round, e.operator_id, o.display_name, e.input, \
     e.checked_against_paper, e.note, e.saved_at_ms, e.finished_at_ms, e.closed \
     FROM sheet_entries e JOIN organizers o ON o.id = e.operator_id WHERE e.sheet_id = $1 ORDER BY e.id";

const REOPENINGS_OF: &str = "SELECT r.entry_id, r.reason, o.display_name, r.reopened_at_ms \
     FROM sheet_reopenings r JOIN organizers o ON o.id = r.reopened_by WHERE r.sheet_id = $1 ORDER BY r.id";

const COUNTED_INPUTS: &str = "SELECT t.id, st.name, t.label, e.input FROM tally_sheets t \
     JOIN stations st ON st.id = t.station_id JOIN sheet_entries e ON e.id = t.counted_entry_id \
     WHERE st.campaign_id = $1 AND t.state = 'definitive'";

/// The compare-and-set every change starts with: it also holds the sheet's
/// row until the transaction ends, so changes to one sheet never interleave.
const BUMP_SHEET: &str =
    "UPDATE tally_sheets SET revision = revision + 1, state = $3, updated_at_ms = $4 \
     WHERE id = $1 AND revision = $2";

const UPDATE_ENTRY: &str = "UPDATE sheet_entries SET input = $3, checked_against_paper = $4, note = $5, \
     saved_at_ms = $6, finished_at_ms = $7 WHERE sheet_id = $1 AND round = $2 AND closed IS NULL RETURNING id";

const INSERT_ENTRY: &str = "INSERT INTO sheet_entries \
     (sheet_id, round, operator_id, input, checked_against_paper, note, saved_at_ms, finished_at_ms) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";

const CURRENT_ENTRY: &str =
    "SELECT id FROM sheet_entries WHERE sheet_id = $1 AND round = $2 AND closed IS NULL";

const CLOSE_ENTRIES: &str = "UPDATE sheet_entries SET closed = $3, closed_at_ms = $4 \
     WHERE sheet_id = $1 AND closed IS NULL AND ($2 = 0 OR round = $2)";

const SET_COUNTED: &str = "UPDATE tally_sheets SET counted_entry_id = $2 WHERE id = $1";

const COUNTED_ENTRY: &str = "SELECT counted_entry_id FROM tally_sheets WHERE id = $1";

const INSERT_MARKS: &str =
    "INSERT INTO counted_marks (sheet_id, nominee_id, marks) VALUES ($1, $2, $3)";

const MARKS_OF: &str =
    "SELECT nominee_id, marks FROM counted_marks WHERE sheet_id = $1 ORDER BY nominee_id";

const DELETE_MARKS: &str = "DELETE FROM counted_marks WHERE sheet_id = $1";

/// Adding creates the nominee's tally row if no vote did yet; taking away
/// only ever follows an adding, so the row is there.
const ADD_PAPER: &str = "INSERT INTO nominee_tallies (nominee_id, online_votes, paper_votes, version, changed_at_ms) \
     VALUES ($1, 0, $2, 1, $3) ON CONFLICT (nominee_id) DO UPDATE \
     SET paper_votes = nominee_tallies.paper_votes + excluded.paper_votes, version = nominee_tallies.version + 1, \
     changed_at_ms = excluded.changed_at_ms";

const TAKE_PAPER: &str =
    "UPDATE nominee_tallies SET paper_votes = paper_votes - $2, version = version + 1, changed_at_ms = $3 \
     WHERE nominee_id = $1";

const WAIVE_PHOTO: &str = "UPDATE tally_sheets SET photo_waiver = $2, photo_waived_by = $3, \
     photo_waived_at_ms = $4 WHERE id = $1";

const INSERT_REOPENING: &str = "INSERT INTO sheet_reopenings \
     (sheet_id, entry_id, reason, reopened_by, reopened_at_ms) VALUES ($1, $2, $3, $4, $5)";

const ADD_PHOTO: &str =
    "INSERT INTO sheet_photos (sheet_id, bytes, uploaded_by, uploaded_at_ms, sha256) \
     VALUES ($1, $2, $3, $4, $5)";

const PHOTOS_OF: &str =
    "SELECT id, COALESCE(sha256, '') FROM sheet_photos WHERE sheet_id = $1 ORDER BY id";

const PHOTO_BY_ID: &str = "SELECT bytes FROM sheet_photos WHERE sheet_id = $1 AND id = $2";

const LATEST_PHOTO: &str =
    "SELECT bytes FROM sheet_photos WHERE sheet_id = $1 ORDER BY id DESC LIMIT 1";

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    station_id: i64,
    station_name: String,
    campaign_id: Option<i64>,
    label: String,
    state: String,
    revision: i64,
    updated_at_ms: i64,
    first_operator: Option<i64>,
    second_operator: Option<i64>,
    has_photo: bool,
    counted_entry_id: Option<i64>,
    photo_waiver: Option<String>,
    photo_waived_by: Option<String>,
    photo_waived_at_ms: Option<i64>,
}

impl SummaryRow {
    fn summary(self) -> StoreResult<(SheetSummary, Option<i64>)> {
        let state = SheetState::parse(&self.state)
            .ok_or_else(|| StoreError::Corrupt(format!("sheet state {}", self.state)))?;
        Ok((
            SheetSummary {
                id: SheetId(self.id),
                station: StationId(self.station_id),
                station_name: self.station_name,
                campaign: self.campaign_id.map(CampaignId),
                label: self.label,
                state,
                revision: self.revision,
                keyers: Keyers {
                    first: self.first_operator.map(OrganizerId),
                    second: self.second_operator.map(OrganizerId),
                },
                has_photo: self.has_photo,
                photo_waiver: self.photo_waiver.map(|reason| PhotoWaiver {
                    reason,
                    by: self.photo_waived_by.unwrap_or_default(),
                    at: Millis(self.photo_waived_at_ms.unwrap_or(0)),
                }),
                updated_at: Millis(self.updated_at_ms),
            },
            self.counted_entry_id,
        ))
    }
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    round: i64,
    operator_id: i64,
    display_name: String,
    input: String,
    checked_against_paper: bool,
    note: String,
    saved_at_ms: i64,
    finished_at_ms: Option<i64>,
    closed: Option<String>,
}

fn input_of(json: &str) -> StoreResult<SheetInput> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("sheet entry: {e}")))
}

fn input_json(input: &SheetInput) -> String {
    // A map of strings keyed by numbers always serializes.
    serde_json::to_string(input).unwrap_or_default()
}

impl TryFrom<EntryRow> for StoredEntry {
    type Error = StoreError;

    fn try_from(r: EntryRow) -> StoreResult<Self> {
        Ok(StoredEntry {
            id: r.id,
            round: Round::from_number(r.round)
                .ok_or_else(|| StoreError::Corrupt(format!("entry round {}", r.round)))?,
            operator: OrganizerId(r.operator_id),
            operator_name: r.display_name,
            input: input_of(&r.input)?,
            checked_against_paper: r.checked_against_paper,
            note: r.note,
            saved_at: Millis(r.saved_at_ms),
            finished_at: r.finished_at_ms.map(Millis),
            closed: r.closed,
        })
    }
}

/// The statements a change runs, shared by both backends.
// A macro for the reason `paper_storage!` is (its 6 helpers would each repeat
// the bounds).
macro_rules! change_steps {
    ($backend:ty) => {
        impl $backend {
            /// Saves an entry of the current round (a new one, or over its draft).
            async fn save_entry(
                tx: &mut Tx<$backend>,
                id: SheetId,
                change: &SheetChange,
                now: Millis,
            ) -> StoreResult<i64> {
                let SheetChange::Entry {
                    round,
                    operator,
                    input,
                    checked_against_paper,
                    note,
                    finished,
                    ..
                } = change
                else {
                    return Err(StoreError::Corrupt("not an entry".into()));
                };
                let json = input_json(input);
                let finished_at = finished.then_some(now.0);
                let updated: Option<i64> = sqlx::query_scalar(UPDATE_ENTRY)
                    .bind(id.0)
                    .bind(i64::from(round.number()))
                    .bind(&json)
                    .bind(*checked_against_paper)
                    .bind(note)
                    .bind(now.0)
                    .bind(finished_at)
                    .fetch_optional(&mut **tx)
                    .await?;
                if let Some(entry) = updated {
                    return Ok(entry);
                }
                Ok(sqlx::query_scalar(INSERT_ENTRY)
                    .bind(id.0)
                    .bind(i64::from(round.number()))
                    .bind(operator.0)
                    .bind(&json)
                    .bind(*checked_against_paper)
                    .bind(note)
                    .bind(now.0)
                    .bind(finished_at)
                    .fetch_one(&mut **tx)
                    .await?)
            }

            /// Counts an entry: its marks into the tally, and it as the sheet's counted entry.
            async fn count_entry(
                tx: &mut Tx<$backend>,
                id: SheetId,
                entry: i64,
                marks: &[(NomineeId, u32)],
                now: Millis,
            ) -> StoreResult<()> {
                for (nominee, n) in marks {
                    sqlx::query(INSERT_MARKS)
                        .bind(id.0)
                        .bind(nominee.0)
                        .bind(i64::from(*n))
                        .execute(&mut **tx)
                        .await?;
                    sqlx::query(ADD_PAPER)
                        .bind(nominee.0)
                        .bind(i64::from(*n))
                        .bind(now.0)
                        .execute(&mut **tx)
                        .await?;
                }
                sqlx::query(SET_COUNTED)
                    .bind(id.0)
                    .bind(entry)
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }

            async fn close_entries(
                tx: &mut Tx<$backend>,
                id: SheetId,
                round: Option<Round>,
                why: &str,
                now: Millis,
            ) -> StoreResult<()> {
                sqlx::query(CLOSE_ENTRIES)
                    .bind(id.0)
                    .bind(round.map_or(0i64, |r| i64::from(r.number())))
                    .bind(why)
                    .bind(now.0)
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }

            async fn current_entry(
                tx: &mut Tx<$backend>,
                id: SheetId,
                round: Round,
            ) -> StoreResult<i64> {
                let entry: Option<i64> = sqlx::query_scalar(CURRENT_ENTRY)
                    .bind(id.0)
                    .bind(i64::from(round.number()))
                    .fetch_optional(&mut **tx)
                    .await?;
                entry.ok_or_else(|| StoreError::Corrupt(format!("sheet {} has no entry", id.0)))
            }

            /// Takes a definitive sheet's marks out of the tally.
            async fn uncount(
                tx: &mut Tx<$backend>,
                id: SheetId,
                now: Millis,
            ) -> StoreResult<Option<i64>> {
                let marks: Vec<(i64, i64)> = sqlx::query_as(MARKS_OF)
                    .bind(id.0)
                    .fetch_all(&mut **tx)
                    .await?;
                for (nominee, n) in marks {
                    sqlx::query(TAKE_PAPER)
                        .bind(nominee)
                        .bind(n)
                        .bind(now.0)
                        .execute(&mut **tx)
                        .await?;
                }
                sqlx::query(DELETE_MARKS)
                    .bind(id.0)
                    .execute(&mut **tx)
                    .await?;
                let counted: Option<i64> = sqlx::query_scalar(COUNTED_ENTRY)
                    .bind(id.0)
                    .fetch_one(&mut **tx)
                    .await?;
                sqlx::query(SET_COUNTED)
                    .bind(id.0)
                    .bind(None::<i64>)
                    .execute(&mut **tx)
                    .await?;
                Ok(counted)
            }
        }
    };
}

change_steps!(SqliteStore);
change_steps!(PostgresStore);

const HAS_PHOTO: &str = "SELECT EXISTS (SELECT 1 FROM sheet_photos WHERE sheet_id = $1)";

// A macro, not a generic impl: generic over sqlx's `Database` this slice would
// need the executor and arguments bounds plus one for each type bound into or
// decoded from its queries (at least 10 row types here); the macro is shorter.
// See `crate::storage`.
macro_rules! paper_storage {
    ($backend:ty) => {
        impl $backend {
            /// Whether the campaign the sheet counts into has published its
            /// results, read under its stage lock.
            async fn sheet_published(&self, tx: &mut Tx<Self>, id: SheetId) -> StoreResult<bool> {
                let campaign: Option<Option<i64>> = sqlx::query_scalar(CAMPAIGN_OF_SHEET)
                    .bind(id.0)
                    .fetch_optional(&mut **tx)
                    .await?;
                match campaign.flatten() {
                    Some(c) => Self::published_in(tx, CampaignId(c)).await,
                    None => Ok(false),
                }
            }
        }

        #[async_trait]
        impl PaperStorage for $backend {
            async fn paper_rule(&self, campaign: CampaignId) -> StoreResult<Option<PaperRule>> {
                let max: Option<i64> = sqlx::query_scalar(PAPER_RULE)
                    .bind(campaign.0)
                    .fetch_optional(self.read())
                    .await?;
                max.map(|m| {
                    u16::try_from(m)
                        .map(|max_marks_per_ballot| PaperRule {
                            max_marks_per_ballot,
                        })
                        .map_err(|_| StoreError::Corrupt(format!("paper rule {m}")))
                })
                .transpose()
            }

            async fn set_paper_rule(
                &self,
                campaign: CampaignId,
                rule: PaperRule,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<()> {
                let mut tx = self.begin().await?;
                sqlx::query(SET_PAPER_RULE)
                    .bind(campaign.0)
                    .bind(i64::from(rule.max_marks_per_ballot))
                    .execute(&mut *tx)
                    .await?;
                self.commit_audited(tx, audit, now).await?;
                Ok(())
            }

            async fn add_sheet(
                &self,
                station: StationId,
                label: &str,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<SheetId> {
                let mut tx = self.begin().await?;
                let id: Option<i64> = sqlx::query_scalar(ADD_SHEET)
                    .bind(station.0)
                    .bind(label)
                    .bind(now.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let id = id.ok_or(StoreError::Duplicate("sheet label"))?;
                let mut audit = audit.clone();
                audit.subject = format!("sheet:{id}");
                self.commit_audited(tx, &audit, now).await?;
                Ok(SheetId(id))
            }

            async fn sheets(
                &self,
                campaign: Option<CampaignId>,
            ) -> StoreResult<Vec<SheetSummary>> {
                let sql = format!(
                    "{SHEET_SUMMARIES} WHERE (CAST($1 AS BIGINT) IS NULL OR st.campaign_id = $1) \
                     ORDER BY st.name, t.label"
                );
                let rows = sqlx::query_as::<_, SummaryRow>(&sql)
                    .bind(campaign.map(|c| c.0))
                    .fetch_all(self.read())
                    .await?;
                rows.into_iter()
                    .map(|r| r.summary().map(|(s, _)| s))
                    .collect()
            }

            async fn marks_by_hour(
                &self,
                campaign: CampaignId,
                from: Millis,
            ) -> StoreResult<Vec<(i64, u64)>> {
                let rows: Vec<(i64, i64)> = sqlx::query_as(
                    "SELECT t.updated_at_ms / 3600000 AS hour, CAST(COALESCE(SUM(m.marks), 0) AS BIGINT) \
                     FROM tally_sheets t JOIN stations st ON st.id = t.station_id \
                     JOIN counted_marks m ON m.sheet_id = t.id \
                     WHERE st.campaign_id = $1 AND t.state = 'definitive' AND t.updated_at_ms >= $2 \
                     GROUP BY t.updated_at_ms / 3600000 ORDER BY 1",
                )
                .bind(campaign.0)
                .bind(from.0)
                .fetch_all(self.read())
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(hour, n)| (hour, u64::try_from(n).unwrap_or(0)))
                    .collect())
            }

            async fn sheet(&self, id: SheetId) -> StoreResult<Option<SheetRecord>> {
                let sql = format!("{SHEET_SUMMARIES} WHERE t.id = $1");
                let Some(row) = sqlx::query_as::<_, SummaryRow>(&sql)
                    .bind(id.0)
                    .fetch_optional(self.read())
                    .await?
                else {
                    return Ok(None);
                };
                let (summary, counted_entry) = row.summary()?;
                let entries = sqlx::query_as::<_, EntryRow>(ENTRIES_OF)
                    .bind(id.0)
                    .fetch_all(self.read())
                    .await?;
                let reopenings: Vec<(i64, String, String, i64)> = sqlx::query_as(REOPENINGS_OF)
                    .bind(id.0)
                    .fetch_all(self.read())
                    .await?;
                Ok(Some(SheetRecord {
                    summary,
                    counted_entry,
                    entries: crate::storage::rows::collect(entries)?,
                    reopenings: reopenings
                        .into_iter()
                        .map(|(entry_id, reason, by, at)| Reopening {
                            entry_id,
                            reason,
                            by,
                            at: Millis(at),
                        })
                        .collect(),
                }))
            }

            async fn counted_inputs(
                &self,
                campaign: CampaignId,
            ) -> StoreResult<Vec<(SheetId, String, SheetInput)>> {
                let rows: Vec<(i64, String, String, String)> = sqlx::query_as(COUNTED_INPUTS)
                    .bind(campaign.0)
                    .fetch_all(self.read())
                    .await?;
                rows.into_iter()
                    .map(|(id, station, label, json)| {
                        Ok((SheetId(id), format!("{station} · {label}"), input_of(&json)?))
                    })
                    .collect()
            }

            async fn change_sheet(
                &self,
                id: SheetId,
                revision: i64,
                state: SheetState,
                change: &SheetChange,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<Applied> {
                let mut tx = self.begin().await?;
                // Every change of a sheet may move the paper tally.
                if self.sheet_published(&mut tx, id).await? {
                    return Err(self.refuse_published(tx, audit, now).await);
                }
                let bumped = sqlx::query(BUMP_SHEET)
                    .bind(id.0)
                    .bind(revision)
                    .bind(state.as_str())
                    .bind(now.0)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if bumped == 0 {
                    return Ok(Applied::Stale);
                }
                match change {
                    SheetChange::Entry { counts, .. } => {
                        let entry = Self::save_entry(&mut tx, id, change, now).await?;
                        if let Some(marks) = counts {
                            Self::count_entry(&mut tx, id, entry, marks, now).await?;
                        }
                    }
                    SheetChange::Resolve { kept: Some((round, marks)) } => {
                        let other = match round {
                            Round::First => Round::Second,
                            Round::Second => Round::First,
                        };
                        Self::close_entries(&mut tx, id, Some(other), "not_kept", now).await?;
                        let entry = Self::current_entry(&mut tx, id, *round).await?;
                        Self::count_entry(&mut tx, id, entry, marks, now).await?;
                    }
                    SheetChange::Resolve { kept: None } => {
                        Self::close_entries(&mut tx, id, None, "discarded", now).await?;
                    }
                    SheetChange::Reopen { by, reason } => {
                        let counted = Self::uncount(&mut tx, id, now).await?.ok_or_else(|| {
                            StoreError::Corrupt(format!("definitive sheet {} counts nothing", id.0))
                        })?;
                        sqlx::query(INSERT_REOPENING)
                            .bind(id.0)
                            .bind(counted)
                            .bind(reason)
                            .bind(by.0)
                            .bind(now.0)
                            .execute(&mut *tx)
                            .await?;
                        Self::close_entries(&mut tx, id, None, "reopened", now).await?;
                    }
                    SheetChange::WaivePhoto { by, reason } => {
                        sqlx::query(WAIVE_PHOTO)
                            .bind(id.0)
                            .bind(reason)
                            .bind(by.0)
                            .bind(now.0)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                self.commit_audited(tx, audit, now).await?;
                Ok(Applied::Done)
            }

            async fn add_sheet_photo(
                &self,
                id: SheetId,
                jpeg: &[u8],
                sha256: &str,
                by: OrganizerId,
                audit: &NewAuditEntry,
                now: Millis,
            ) -> StoreResult<()> {
                let mut tx = self.begin().await?;
                // The photo the public checks the published tally against
                // stays; a sheet without one may still be given one.
                let has_photo: bool = sqlx::query_scalar(HAS_PHOTO)
                    .bind(id.0)
                    .fetch_one(&mut *tx)
                    .await?;
                if has_photo && self.sheet_published(&mut tx, id).await? {
                    return Err(self.refuse_published(tx, audit, now).await);
                }
                sqlx::query(ADD_PHOTO)
                    .bind(id.0)
                    .bind(jpeg)
                    .bind(by.0)
                    .bind(now.0)
                    .bind(sha256)
                    .execute(&mut *tx)
                    .await?;
                self.commit_audited(tx, audit, now).await?;
                Ok(())
            }

            async fn sheet_photo(&self, id: SheetId) -> StoreResult<Option<Vec<u8>>> {
                Ok(sqlx::query_scalar(LATEST_PHOTO)
                    .bind(id.0)
                    .fetch_optional(self.read())
                    .await?)
            }

            async fn sheet_photos(&self, id: SheetId) -> StoreResult<Vec<(i64, String)>> {
                Ok(sqlx::query_as(PHOTOS_OF)
                    .bind(id.0)
                    .fetch_all(self.read())
                    .await?)
            }

            async fn sheet_photo_by_id(
                &self,
                id: SheetId,
                photo: i64,
            ) -> StoreResult<Option<Vec<u8>>> {
                Ok(sqlx::query_scalar(PHOTO_BY_ID)
                    .bind(id.0)
                    .bind(photo)
                    .fetch_optional(self.read())
                    .await?)
            }
        }
    };
}

paper_storage!(SqliteStore);
paper_storage!(PostgresStore);
