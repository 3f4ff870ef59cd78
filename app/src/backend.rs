//! The port the server functions call. The server crate implements it over
//! its store and results hub; the pages never see SQL or Redis.

use std::sync::Arc;

use alleyvote_domain::{NomineeNumber, ResultsSnapshot};

use crate::model::{
    AuditData, CampaignEditData, Console, ConsoleHome, HomeData, NomineeEditData,
    NomineesAdminData, NomineesData, OrganizersData, PlacesData, ProfileData, TallyCheckData,
};

/// Something the server could not do. Details go to the server log, never to the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable;

#[async_trait::async_trait]
pub trait PublicBackend: Send + Sync + 'static {
    async fn home(&self) -> Result<HomeData, Unavailable>;
    /// `street` and `query` as typed in the search form; bad input is reported in the data.
    /// `session`: the voter's session token, to say what they have left today.
    async fn nominees(
        &self,
        street: Option<String>,
        query: Option<String>,
        session: Option<String>,
    ) -> Result<NomineesData, Unavailable>;
    async fn nominee(&self, number: NomineeNumber) -> Result<Option<ProfileData>, Unavailable>;
    async fn results(&self) -> Result<Option<ResultsSnapshot>, Unavailable>;
}

/// How the backend travels in Leptos context.
pub type SharedBackend = Arc<dyn PublicBackend>;

/// The organizer console's port. Every method checks the session and the
/// role itself: a page that is not linked is still refused.
#[async_trait::async_trait]
pub trait ConsoleBackend: Send + Sync + 'static {
    async fn console_home(
        &self,
        token: Option<String>,
    ) -> Result<Console<ConsoleHome>, Unavailable>;
    async fn console_organizers(
        &self,
        token: Option<String>,
    ) -> Result<Console<OrganizersData>, Unavailable>;
    /// The campaign `slug` names, or the one the public pages show.
    async fn console_campaign(
        &self,
        token: Option<String>,
        slug: Option<String>,
    ) -> Result<Console<CampaignEditData>, Unavailable>;
    async fn console_places(
        &self,
        token: Option<String>,
    ) -> Result<Console<PlacesData>, Unavailable>;
    async fn console_nominees(
        &self,
        token: Option<String>,
    ) -> Result<Console<NomineesAdminData>, Unavailable>;
    /// `None` inside `Open` for an id that is not a nominee of the campaign.
    async fn console_nominee(
        &self,
        token: Option<String>,
        id: i64,
    ) -> Result<Console<Option<NomineeEditData>>, Unavailable>;
    /// Newest first; `action` filters by prefix, `before` pages back.
    async fn console_audit(
        &self,
        token: Option<String>,
        action: Option<String>,
        actor: Option<i64>,
        before: Option<i64>,
    ) -> Result<Console<AuditData>, Unavailable>;
    /// Recounts every campaign's votes (administrators).
    async fn console_tally(
        &self,
        token: Option<String>,
    ) -> Result<Console<TallyCheckData>, Unavailable>;
}

pub type SharedConsole = Arc<dyn ConsoleBackend>;
