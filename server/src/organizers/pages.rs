//! What every console page's port starts with: the organizer a session
//! token names, and whether they may do what the page does. Each
//! capability's page port holds a [`PageAccess`] beside its own use cases.
//! Then the organizer accounts' own pages' port ([`OrganizersPages`]): the
//! console's first page and the accounts page.

use std::sync::Arc;

use alleyvote_domain::organizer::Console;
use alleyvote_domain::organizer::{allowed, Action};
use alleyvote_domain::Millis;
use app::organizers::model::{ConsoleMe, OrganizerView, OrganizersData};
use app::organizers::port::OrganizersBackend;
use app::port::Unavailable;
use app::stations::model::StationView;

use super::storage::{Organizer, OrganizerSession, OrganizerStorage};
use super::Organizers;
use crate::audit::storage::AuditStorage;
use crate::storage::StoreError;

pub fn view_of(o: &Organizer) -> OrganizerView {
    OrganizerView {
        id: o.id,
        username: o.username.clone(),
        display_name: o.display_name.clone(),
        role: o.role,
        active: o.active,
    }
}

/// The signed-in organizer as every console page shows them, with what
/// they may do.
pub fn me_of(session: &OrganizerSession) -> ConsoleMe {
    ConsoleMe {
        me: view_of(&session.organizer),
        csrf: session.csrf_token.clone(),
        may: Action::ALL
            .into_iter()
            .filter(|a| allowed(session.organizer.role, *a))
            .collect(),
    }
}

/// A storage failure while a page renders: logged once, the page says the
/// service is unavailable.
pub fn unavailable(e: StoreError) -> Unavailable {
    tracing::error!(error = %e, "storage failed while rendering a console page");
    Unavailable
}

/// Checks a page's session and role.
#[derive(Clone)]
pub struct PageAccess {
    pub organizers: Arc<Organizers>,
}

impl PageAccess {
    /// The session a token names, if it may do `action`.
    pub async fn console_access(
        &self,
        token: Option<&str>,
        action: Action,
    ) -> Result<Console<OrganizerSession>, StoreError> {
        let Some(token) = token else {
            return Ok(Console::SignIn);
        };
        match self.organizers.session(token, Millis::now()).await? {
            None => Ok(Console::SignIn),
            Some(s) if allowed(s.organizer.role, action) => Ok(Console::Open(s)),
            Some(_) => Ok(Console::Forbidden),
        }
    }

    /// A page's organizer, or the page's answer when there is none (sign
    /// in first, or forbidden).
    pub async fn page_session<T>(
        &self,
        token: Option<&str>,
        action: Action,
    ) -> Result<Result<OrganizerSession, Console<T>>, Unavailable> {
        Ok(
            match self
                .console_access(token, action)
                .await
                .map_err(unavailable)?
            {
                Console::Open(s) => Ok(s),
                Console::SignIn => Err(Console::SignIn),
                Console::Forbidden => Err(Console::Forbidden),
            },
        )
    }
}

/// Runs `$body` for an organizer a token names who may do `$action`;
/// otherwise the page's answer (sign in first, or forbidden).
// A macro because the bodies `.await` and use `?` of the calling method; a
// function would take an async closure and hand the errors back out.
macro_rules! with_access {
    ($access:expr, $token:expr, $action:expr, |$session:ident| $body:expr) => {
        match $access
            .console_access($token.as_deref(), $action)
            .await
            .map_err($crate::organizers::pages::unavailable)?
        {
            ::alleyvote_domain::organizer::Console::Open($session) => {
                Ok(::alleyvote_domain::organizer::Console::Open($body))
            }
            ::alleyvote_domain::organizer::Console::SignIn => {
                Ok(::alleyvote_domain::organizer::Console::SignIn)
            }
            ::alleyvote_domain::organizer::Console::Forbidden => {
                Ok(::alleyvote_domain::organizer::Console::Forbidden)
            }
        }
    };
}
pub(crate) use with_access;

/// The polling stations and who operates each, as the accounts page lists
/// them. The stations capability answers it: it stands on this one, so
/// this page cannot name it.
#[async_trait::async_trait]
pub trait StationRoster: Send + Sync + 'static {
    async fn roster(&self) -> Result<Vec<StationView>, StoreError>;
}

/// The organizer accounts' pages' port, as the server answers it: each
/// method checks the session and the role, then reads what the page shows.
pub struct OrganizersPages<S: ?Sized> {
    pub access: PageAccess,
    pub stations: Arc<dyn StationRoster>,
    /// The storage slices the pages read.
    pub store: Arc<S>,
}

#[async_trait::async_trait]
impl<S> OrganizersBackend for OrganizersPages<S>
where
    S: OrganizerStorage + AuditStorage + ?Sized + 'static,
{
    async fn console_organizers(
        &self,
        token: Option<String>,
    ) -> Result<Console<OrganizersData>, Unavailable> {
        let accounts = self.store.organizers().await.map_err(unavailable)?;
        let stations = self.stations.roster().await.map_err(unavailable)?;
        with_access!(self.access, token, Action::ManageOrganizers, |session| {
            OrganizersData {
                who: me_of(&session),
                accounts: accounts.iter().map(view_of).collect(),
                stations,
            }
        })
    }
}
