//! The screen's controls in storage, one row per campaign. A press names
//! the revision it was decided on and is refused as stale if another press
//! came first: two operators pressing "next" at once reveal one place.

use alleyvote_domain::screen::{Channel, ScreenControl, ScreenMode};
use alleyvote_domain::{CampaignId, Millis};
use async_trait::async_trait;
use sqlx::{Database, Encode, Executor, FromRow, IntoArguments, Type};

use crate::audit::storage::AuditedWrite;
use crate::audit::NewAuditEntry;
use crate::publication::storage::Applied;
use crate::storage::{StoreError, StoreResult};

/// Both screens' controls, and the rankings they froze on (JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScreenState {
    pub public: ScreenControl,
    pub public_frozen: Option<String>,
    pub rehearsal: ScreenControl,
    pub rehearsal_frozen: Option<String>,
    /// 0 before the first press.
    pub revision: i64,
}

impl ScreenState {
    pub fn control(&self, channel: Channel) -> ScreenControl {
        match channel {
            Channel::Public => self.public,
            Channel::Rehearsal => self.rehearsal,
        }
    }

    pub fn frozen(&self, channel: Channel) -> Option<&str> {
        match channel {
            Channel::Public => self.public_frozen.as_deref(),
            Channel::Rehearsal => self.rehearsal_frozen.as_deref(),
        }
    }

    /// Nothing pressed yet: the wall waits, the rehearsal screen is dark.
    pub fn initial() -> Self {
        ScreenState {
            rehearsal: ScreenControl {
                mode: ScreenMode::Hidden,
                revealed: 0,
            },
            ..ScreenState::default()
        }
    }
}

/// One screen's new control, and the ranking it froze on (JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenChange {
    pub channel: Channel,
    pub control: ScreenControl,
    pub frozen: Option<String>,
}

#[async_trait]
pub trait ScreenStorage: Send + Sync {
    async fn screen_state(&self, campaign: CampaignId) -> StoreResult<Option<ScreenState>>;
    /// Sets one screen's control (and the ranking it froze on) if the
    /// revision is still `revision`.
    async fn set_screen(
        &self,
        campaign: CampaignId,
        revision: i64,
        change: &ScreenChange,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<Applied>;
}

const STATE_OF: &str = "SELECT public_mode, public_revealed, public_frozen, rehearsal_mode, \
     rehearsal_revealed, rehearsal_frozen, revision FROM screen_states WHERE campaign_id = $1";

const FIRST_ROW: &str = "INSERT INTO screen_states (campaign_id, updated_at_ms) VALUES ($1, $2) \
     ON CONFLICT (campaign_id) DO NOTHING";

const SET_PUBLIC: &str = "UPDATE screen_states SET public_mode = $3, public_revealed = $4, \
     public_frozen = $5, revision = revision + 1, updated_at_ms = $6 WHERE campaign_id = $1 AND revision = $2";

const SET_REHEARSAL: &str = "UPDATE screen_states SET rehearsal_mode = $3, rehearsal_revealed = $4, \
     rehearsal_frozen = $5, revision = revision + 1, updated_at_ms = $6 WHERE campaign_id = $1 AND revision = $2";

#[derive(sqlx::FromRow)]
struct StateRow {
    public_mode: String,
    public_revealed: i64,
    public_frozen: Option<String>,
    rehearsal_mode: String,
    rehearsal_revealed: i64,
    rehearsal_frozen: Option<String>,
    revision: i64,
}

fn control(mode: &str, revealed: i64) -> StoreResult<ScreenControl> {
    Ok(ScreenControl {
        mode: ScreenMode::parse(mode)
            .ok_or_else(|| StoreError::Corrupt(format!("screen mode {mode}")))?,
        revealed: u16::try_from(revealed)
            .map_err(|_| StoreError::Corrupt(format!("screen revealed {revealed}")))?,
    })
}

impl TryFrom<StateRow> for ScreenState {
    type Error = StoreError;

    fn try_from(r: StateRow) -> StoreResult<Self> {
        Ok(ScreenState {
            public: control(&r.public_mode, r.public_revealed)?,
            public_frozen: r.public_frozen,
            rehearsal: control(&r.rehearsal_mode, r.rehearsal_revealed)?,
            rehearsal_frozen: r.rehearsal_frozen,
            revision: r.revision,
        })
    }
}

#[async_trait]
impl<B> ScreenStorage for B
where
    B: AuditedWrite,
    for<'c> &'c mut <B::Db as Database>::Connection: Executor<'c, Database = B::Db>,
    for<'q> <B::Db as Database>::Arguments<'q>: IntoArguments<'q, B::Db>,
    for<'q> i64: Encode<'q, B::Db> + Type<B::Db>,
    for<'q> &'q str: Encode<'q, B::Db> + Type<B::Db>,
    for<'q> Option<&'q str>: Encode<'q, B::Db>,
    for<'r> StateRow: FromRow<'r, <B::Db as Database>::Row>,
{
    async fn screen_state(&self, campaign: CampaignId) -> StoreResult<Option<ScreenState>> {
        let row: Option<StateRow> = sqlx::query_as(STATE_OF)
            .bind(campaign.0)
            .fetch_optional(self.read())
            .await?;
        row.map(ScreenState::try_from).transpose()
    }

    async fn set_screen(
        &self,
        campaign: CampaignId,
        revision: i64,
        change: &ScreenChange,
        audit: &NewAuditEntry,
        now: Millis,
    ) -> StoreResult<Applied> {
        let mut tx = self.begin().await?;
        sqlx::query(FIRST_ROW)
            .bind(campaign.0)
            .bind(now.0)
            .execute(&mut *tx)
            .await?;
        let sql = match change.channel {
            Channel::Public => SET_PUBLIC,
            Channel::Rehearsal => SET_REHEARSAL,
        };
        let done = sqlx::query(sql)
            .bind(campaign.0)
            .bind(revision)
            .bind(change.control.mode.as_str())
            .bind(i64::from(change.control.revealed))
            .bind(change.frozen.as_deref())
            .bind(now.0)
            .execute(&mut *tx)
            .await?;
        if B::rows_affected(&done) == 0 {
            return Ok(Applied::Stale);
        }
        self.commit_audited(tx, audit, now).await?;
        Ok(Applied::Done)
    }
}
