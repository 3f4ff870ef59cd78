//! The tally in storage: the running counts with their version, the tally a
//! freeze stored, counts recomputed from the votes themselves, and the
//! campaign's visibility as it is now.

use alleyvote_domain::publication::{CorrectionNote, Publication};
use alleyvote_domain::{CampaignId, Millis, ResultsVisibility, StationsReported, Tally, TallyRow};
use std::sync::LazyLock;

use async_trait::async_trait;

use super::published::{
    lot_places, notes_of, rule_of, PublicationRow, CORRECTION_NOTES, LOTS_OF, RULE_OF,
};
use super::verify::Recount;
use crate::storage::rows::{collect, number};
use crate::storage::{Backend, PostgresStore, SqliteStore, StoreError, StoreResult, Tx};

/// How a campaign's results may be shown, as stored now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultsState {
    pub visibility: ResultsVisibility,
    pub frozen_at: Option<Millis>,
    /// The stage after voting; `None` while voting.
    pub publication: Option<Publication>,
    /// Objections filed, and answered.
    pub objections: (u32, u32),
    /// The big screen's revision: a press wakes every screen's stream.
    pub screen_revision: i64,
}

#[async_trait]
pub trait ResultsStorage: Send + Sync {
    /// Current valid-vote count of every active nominee, with the version
    /// of the counts (read in the same statement).
    async fn tally(&self, campaign: CampaignId) -> StoreResult<Tally>;
    /// The tally a freeze copied: every instance shows these numbers.
    async fn frozen_tally(&self, campaign: CampaignId) -> StoreResult<Tally>;
    /// Counts recomputed from the votes themselves, as of an instant: the
    /// proof that the running counts match the records.
    async fn tally_as_of(&self, campaign: CampaignId, at: Millis) -> StoreResult<Vec<TallyRow>>;
    /// The published corrections' notes, oldest first.
    async fn correction_notes(&self, campaign: CampaignId) -> StoreResult<Vec<CorrectionNote>>;
    /// The campaign's visibility; `None` for no such campaign.
    async fn results_state(&self, campaign: CampaignId) -> StoreResult<Option<ResultsState>>;
    /// Every nominee's running counts beside the counts of the records,
    /// withdrawn nominees too, read in one statement: votes committed while
    /// it runs cannot show up on one side only.
    async fn recount(&self, campaign: CampaignId) -> StoreResult<Vec<Recount>>;
}

/// Running and recounted side by side, in one statement (see `recount`).
const RECOUNT_SQL: &str = "SELECT n.number, n.name, n.status = 'active' AS active, \
     CAST(COALESCE(t.online_votes, 0) AS BIGINT) AS running, \
     CAST(COALESCE(t.paper_votes, 0) AS BIGINT) AS running_paper, \
     CAST(COALESCE(v.votes, 0) AS BIGINT) AS recounted, \
     CAST(COALESCE(p.marks, 0) AS BIGINT) AS recounted_paper \
     FROM nominees n LEFT JOIN nominee_tallies t ON t.nominee_id = n.id \
     LEFT JOIN (SELECT nominee_id, COUNT(*) AS votes FROM votes \
            WHERE campaign_id = $1 AND invalidated_at_ms IS NULL GROUP BY nominee_id) v ON v.nominee_id = n.id \
     LEFT JOIN (SELECT cm.nominee_id, SUM(cm.marks) AS marks FROM counted_marks cm \
            GROUP BY cm.nominee_id) p ON p.nominee_id = n.id \
     WHERE n.campaign_id = $1 ORDER BY n.number, n.id";

#[derive(sqlx::FromRow)]
struct RecountRaw {
    number: i32,
    name: String,
    active: bool,
    running: i64,
    running_paper: i64,
    recounted: i64,
    recounted_paper: i64,
}

fn recount_of(r: RecountRaw) -> StoreResult<Recount> {
    let count = |n: i64| u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("count {n}")));
    Ok(Recount {
        number: Some(number(r.number)?),
        name: r.name,
        active: r.active,
        running: count(r.running)?,
        recounted: count(r.recounted)?,
        running_paper: count(r.running_paper)?,
        recounted_paper: count(r.recounted_paper)?,
    })
}

/// Each nominee with the jury's scores so far.
const NOMINEE_COLUMNS: &str =
    "SELECT n.number, n.name, s.name_zh AS street_zh, s.name_en AS street_en, \
     c.name_zh AS community_zh, c.name_en AS community_en, \
     (SELECT CAST(COALESCE(SUM(js.score), 0) AS BIGINT) FROM jury_scores js WHERE js.nominee_id = n.id) AS jury_sum, \
     (SELECT CAST(COUNT(*) AS BIGINT) FROM jury_scores js WHERE js.nominee_id = n.id) AS jury_count";

/// Each nominee with the name and jury scores the stored tally used, copied
/// when it was stored (a tally stored before the copy was kept reads them
/// live).
const FROZEN_NOMINEE_COLUMNS: &str =
    "SELECT n.number, COALESCE(f.name, n.name) AS name, s.name_zh AS street_zh, s.name_en AS street_en, \
     c.name_zh AS community_zh, c.name_en AS community_en, \
     COALESCE(f.jury_sum, (SELECT CAST(COALESCE(SUM(js.score), 0) AS BIGINT) FROM jury_scores js WHERE js.nominee_id = n.id)) AS jury_sum, \
     COALESCE(f.jury_count, (SELECT CAST(COUNT(*) AS BIGINT) FROM jury_scores js WHERE js.nominee_id = n.id)) AS jury_count";

const NOMINEE_PLACES: &str = "FROM nominees n JOIN communities c ON c.id = n.community_id \
     JOIN streets s ON s.id = c.street_id";

/// The campaign's stations, and those whose every sheet (one at least) is
/// definitive, read in the same statement as the counts.
const STATIONS_REPORTED: &str =
    "(SELECT CAST(COUNT(*) AS BIGINT) FROM stations st WHERE st.campaign_id = $1) AS stations_total, \
     (SELECT CAST(COUNT(*) AS BIGINT) FROM stations st WHERE st.campaign_id = $1 \
        AND EXISTS (SELECT 1 FROM tally_sheets ts WHERE ts.station_id = st.id) \
        AND NOT EXISTS (SELECT 1 FROM tally_sheets ts WHERE ts.station_id = st.id \
                        AND ts.state <> 'definitive')) AS stations_reported";

/// The version sums every nominee's row, withdrawn or not: dropping one
/// from the sum would make the version go back.
static TALLY_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{NOMINEE_COLUMNS}, COALESCE(t.online_votes, 0) AS online, COALESCE(t.paper_votes, 0) AS paper, t.changed_at_ms, \
         (SELECT CAST(COALESCE(SUM(t2.version), 0) AS BIGINT) FROM nominee_tallies t2 \
          JOIN nominees n2 ON n2.id = t2.nominee_id WHERE n2.campaign_id = $1) AS version, \
         {STATIONS_REPORTED} \
         {NOMINEE_PLACES} LEFT JOIN nominee_tallies t ON t.nominee_id = n.id \
         WHERE n.campaign_id = $1 AND n.status = 'active' ORDER BY n.number"
    )
});

static FROZEN_TALLY_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{FROZEN_NOMINEE_COLUMNS}, COALESCE(f.votes, 0) AS online, COALESCE(f.paper_votes, 0) AS paper, f.changed_at_ms, \
         (SELECT CAST(COALESCE(SUM(f2.version), 0) AS BIGINT) FROM frozen_tallies f2 WHERE f2.campaign_id = $1) AS version, \
         {STATIONS_REPORTED} \
         {NOMINEE_PLACES} LEFT JOIN frozen_tallies f ON f.nominee_id = n.id AND f.campaign_id = $1 \
         WHERE n.campaign_id = $1 AND COALESCE(f.status, n.status) = 'active' ORDER BY n.number"
    )
});

/// Online votes from their records; paper marks from the definitive sheets'
/// counted marks.
static TALLY_AS_OF_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{NOMINEE_COLUMNS}, COALESCE(v.votes, 0) AS online, COALESCE(p.marks, 0) AS paper, CAST(NULL AS BIGINT) AS changed_at_ms, \
         CAST(0 AS BIGINT) AS version, CAST(0 AS BIGINT) AS stations_total, CAST(0 AS BIGINT) AS stations_reported \
         {NOMINEE_PLACES} LEFT JOIN (SELECT nominee_id, COUNT(*) AS votes FROM votes \
                WHERE campaign_id = $1 AND cast_at_ms <= $2 AND invalidated_at_ms IS NULL \
                GROUP BY nominee_id) v ON v.nominee_id = n.id \
         LEFT JOIN (SELECT cm.nominee_id, CAST(SUM(cm.marks) AS BIGINT) AS marks FROM counted_marks cm \
                GROUP BY cm.nominee_id) p ON p.nominee_id = n.id \
         WHERE n.campaign_id = $1 AND n.status = 'active' ORDER BY n.number"
    )
});

const RESULTS_STATE: &str = concat!(
    "SELECT c.results_visibility, c.results_frozen_at_ms, ",
    crate::publication_columns!(),
    ", (SELECT CAST(COUNT(*) AS BIGINT) FROM objections o WHERE o.campaign_id = c.id) AS filed, \
     (SELECT CAST(COUNT(*) AS BIGINT) FROM objections o WHERE o.campaign_id = c.id AND o.answer IS NOT NULL) AS answered, \
     (SELECT s.revision FROM screen_states s WHERE s.campaign_id = c.id) AS screen_revision \
     FROM campaigns c LEFT JOIN publications p ON p.campaign_id = c.id WHERE c.id = $1"
);

#[derive(sqlx::FromRow)]
struct ResultsStateRow {
    results_visibility: String,
    results_frozen_at_ms: Option<i64>,
    #[sqlx(flatten)]
    publication: PublicationRow,
    filed: i64,
    answered: i64,
    screen_revision: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct TallyRowRaw {
    number: i32,
    name: String,
    street_zh: String,
    street_en: String,
    community_zh: String,
    community_en: String,
    online: i64,
    paper: i64,
    changed_at_ms: Option<i64>,
    jury_sum: i64,
    jury_count: i64,
    version: i64,
    stations_total: i64,
    stations_reported: i64,
}

impl TryFrom<TallyRowRaw> for TallyRow {
    type Error = StoreError;

    fn try_from(r: TallyRowRaw) -> Result<Self, StoreError> {
        Ok(TallyRow {
            number: number(r.number)?,
            name: r.name,
            street_zh: r.street_zh,
            street_en: r.street_en,
            community_zh: r.community_zh,
            community_en: r.community_en,
            online: u64::try_from(r.online)
                .map_err(|_| StoreError::Corrupt("negative tally".into()))?,
            paper: u64::try_from(r.paper)
                .map_err(|_| StoreError::Corrupt("negative paper tally".into()))?,
            changed_at: r.changed_at_ms.map(Millis),
            jury: alleyvote_domain::ranking::jury::average_hundredths(
                u64::try_from(r.jury_sum).unwrap_or(0),
                u64::try_from(r.jury_count).unwrap_or(0),
            ),
        })
    }
}

/// The rows, the version every row carries, and the ranking rule with the
/// lots drawn.
fn tally_of(rows: Vec<TallyRowRaw>, rule: Option<String>, lots: Vec<String>) -> StoreResult<Tally> {
    let (version, stations) = match rows.first() {
        Some(r) => {
            let count =
                |n: i64| u32::try_from(n).map_err(|_| StoreError::Corrupt("station count".into()));
            (
                u64::try_from(r.version)
                    .map_err(|_| StoreError::Corrupt("tally version".into()))?,
                StationsReported {
                    reported: count(r.stations_reported)?,
                    total: count(r.stations_total)?,
                },
            )
        }
        None => (0, StationsReported::default()),
    };
    Ok(Tally {
        rows: collect(rows)?,
        version,
        stations,
        rule: rule_of(rule)?.unwrap_or_default(),
        lot_places: lot_places(lots)?,
    })
}

fn results_state(row: ResultsStateRow) -> StoreResult<ResultsState> {
    let visibility = ResultsVisibility::parse(&row.results_visibility).ok_or_else(|| {
        StoreError::Corrupt(format!("results visibility {}", row.results_visibility))
    })?;
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(ResultsState {
        visibility,
        frozen_at: row.results_frozen_at_ms.map(Millis),
        publication: row.publication.publication()?,
        objections: (count(row.filed), count(row.answered)),
        screen_revision: row.screen_revision.unwrap_or(0),
    })
}

// A macro, not a generic impl: generic over sqlx's `Database` this slice would
// need the executor and arguments bounds plus one for each type bound into or
// decoded from its queries (at least 8 row types here), and again on each of
// its 3 helper functions; the macro is shorter. See `crate::storage`.
macro_rules! results_storage {
    ($backend:ty) => {
        impl $backend {
            /// The campaign's ranking rule (JSON) and its lots' orders.
            /// The running tally with its rule and lots, read in `tx`: what a
            /// publication step decides on, in the transaction that takes it.
            pub(crate) async fn tally_in(
                tx: &mut Tx<Self>,
                campaign: CampaignId,
            ) -> StoreResult<Tally> {
                let rows = sqlx::query_as::<_, TallyRowRaw>(TALLY_SQL.as_str())
                    .bind(campaign.0)
                    .fetch_all(&mut **tx)
                    .await?;
                let rule: Option<String> = sqlx::query_scalar(RULE_OF)
                    .bind(campaign.0)
                    .fetch_optional(&mut **tx)
                    .await?;
                let lots: Vec<String> = sqlx::query_scalar(LOTS_OF)
                    .bind(campaign.0)
                    .fetch_all(&mut **tx)
                    .await?;
                tally_of(rows, rule, lots)
            }

            /// The stored tally (a freeze, or the published one) with its
            /// rule and lots, read in `tx`.
            pub(crate) async fn frozen_tally_in(
                tx: &mut Tx<Self>,
                campaign: CampaignId,
            ) -> StoreResult<Tally> {
                let rows = sqlx::query_as::<_, TallyRowRaw>(FROZEN_TALLY_SQL.as_str())
                    .bind(campaign.0)
                    .fetch_all(&mut **tx)
                    .await?;
                let rule: Option<String> = sqlx::query_scalar(RULE_OF)
                    .bind(campaign.0)
                    .fetch_optional(&mut **tx)
                    .await?;
                let lots: Vec<String> = sqlx::query_scalar(LOTS_OF)
                    .bind(campaign.0)
                    .fetch_all(&mut **tx)
                    .await?;
                tally_of(rows, rule, lots)
            }

            async fn ranking_inputs(
                &self,
                campaign: CampaignId,
            ) -> StoreResult<(Option<String>, Vec<String>)> {
                let rule: Option<String> = sqlx::query_scalar(RULE_OF)
                    .bind(campaign.0)
                    .fetch_optional(self.read())
                    .await?;
                let lots: Vec<String> = sqlx::query_scalar(LOTS_OF)
                    .bind(campaign.0)
                    .fetch_all(self.read())
                    .await?;
                Ok((rule, lots))
            }
        }

        #[async_trait]
        impl ResultsStorage for $backend {
            async fn tally(&self, campaign: CampaignId) -> StoreResult<Tally> {
                let rows = sqlx::query_as::<_, TallyRowRaw>(TALLY_SQL.as_str())
                    .bind(campaign.0)
                    .fetch_all(self.read())
                    .await?;
                let (rule, lots) = self.ranking_inputs(campaign).await?;
                tally_of(rows, rule, lots)
            }

            async fn frozen_tally(&self, campaign: CampaignId) -> StoreResult<Tally> {
                let rows = sqlx::query_as::<_, TallyRowRaw>(FROZEN_TALLY_SQL.as_str())
                    .bind(campaign.0)
                    .fetch_all(self.read())
                    .await?;
                let (rule, lots) = self.ranking_inputs(campaign).await?;
                tally_of(rows, rule, lots)
            }

            async fn tally_as_of(
                &self,
                campaign: CampaignId,
                at: Millis,
            ) -> StoreResult<Vec<TallyRow>> {
                let rows = sqlx::query_as::<_, TallyRowRaw>(TALLY_AS_OF_SQL.as_str())
                    .bind(campaign.0)
                    .bind(at.0)
                    .fetch_all(self.read())
                    .await?;
                collect(rows)
            }

            async fn correction_notes(
                &self,
                campaign: CampaignId,
            ) -> StoreResult<Vec<CorrectionNote>> {
                let rows: Vec<String> = sqlx::query_scalar(CORRECTION_NOTES)
                    .bind(campaign.0)
                    .fetch_all(self.read())
                    .await?;
                notes_of(rows)
            }

            async fn results_state(
                &self,
                campaign: CampaignId,
            ) -> StoreResult<Option<ResultsState>> {
                let row: Option<ResultsStateRow> = sqlx::query_as(RESULTS_STATE)
                    .bind(campaign.0)
                    .fetch_optional(self.read())
                    .await?;
                row.map(results_state).transpose()
            }

            async fn recount(&self, campaign: CampaignId) -> StoreResult<Vec<Recount>> {
                let rows: Vec<RecountRaw> = sqlx::query_as(RECOUNT_SQL)
                    .bind(campaign.0)
                    .fetch_all(self.read())
                    .await?;
                rows.into_iter().map(recount_of).collect()
            }
        }
    };
}

results_storage!(SqliteStore);
results_storage!(PostgresStore);
