//! The tally in storage: the running counts, and counts recomputed from the
//! votes themselves.

use alleyvote_domain::{CampaignId, Millis, TallyRow};
use async_trait::async_trait;

use crate::storage::rows::{collect, number};
use crate::storage::{Backend, PostgresStore, SqliteStore, StoreError, StoreResult};

#[async_trait]
pub trait ResultsStorage: Send + Sync {
    /// Current valid-vote count of every active nominee.
    async fn tally(&self, campaign: CampaignId) -> StoreResult<Vec<TallyRow>>;
    /// Counts recomputed from the votes themselves, as of an instant: the
    /// frozen view, and the proof that the running counts match the records.
    async fn tally_as_of(&self, campaign: CampaignId, at: Millis) -> StoreResult<Vec<TallyRow>>;
}

const TALLY: &str = "SELECT n.number, n.name, s.name_zh AS street_zh, s.name_en AS street_en, \
     c.name_zh AS community_zh, c.name_en AS community_en, COALESCE(t.online_votes, 0) AS votes \
     FROM nominees n JOIN communities c ON c.id = n.community_id JOIN streets s ON s.id = c.street_id \
     LEFT JOIN nominee_tallies t ON t.nominee_id = n.id \
     WHERE n.campaign_id = $1 AND n.status = 'active' ORDER BY n.number";

const TALLY_AS_OF: &str = "SELECT n.number, n.name, s.name_zh AS street_zh, s.name_en AS street_en, \
     c.name_zh AS community_zh, c.name_en AS community_en, COALESCE(v.votes, 0) AS votes \
     FROM nominees n JOIN communities c ON c.id = n.community_id JOIN streets s ON s.id = c.street_id \
     LEFT JOIN (SELECT nominee_id, COUNT(*) AS votes FROM votes \
                WHERE campaign_id = $1 AND cast_at_ms <= $2 AND invalidated_at_ms IS NULL \
                GROUP BY nominee_id) v ON v.nominee_id = n.id \
     WHERE n.campaign_id = $1 AND n.status = 'active' ORDER BY n.number";

#[derive(sqlx::FromRow)]
struct TallyRowRaw {
    number: i32,
    name: String,
    street_zh: String,
    street_en: String,
    community_zh: String,
    community_en: String,
    votes: i64,
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
            votes: u64::try_from(r.votes)
                .map_err(|_| StoreError::Corrupt("negative tally".into()))?,
        })
    }
}

macro_rules! results_storage {
    ($backend:ty) => {
        #[async_trait]
        impl ResultsStorage for $backend {
            async fn tally(&self, campaign: CampaignId) -> StoreResult<Vec<TallyRow>> {
                let rows = sqlx::query_as::<_, TallyRowRaw>(TALLY)
                    .bind(campaign.0)
                    .fetch_all(self.read())
                    .await?;
                collect(rows)
            }

            async fn tally_as_of(
                &self,
                campaign: CampaignId,
                at: Millis,
            ) -> StoreResult<Vec<TallyRow>> {
                let rows = sqlx::query_as::<_, TallyRowRaw>(TALLY_AS_OF)
                    .bind(campaign.0)
                    .bind(at.0)
                    .fetch_all(self.read())
                    .await?;
                collect(rows)
            }
        }
    };
}

results_storage!(SqliteStore);
results_storage!(PostgresStore);
