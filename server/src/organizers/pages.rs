//! What every console page's port starts with: the organizer a session
//! token names, and whether they may do what the page does. Each
//! capability's page port holds a [`PageAccess`] beside its own use cases.

use std::sync::Arc;

use alleyvote_domain::organizer::{allowed, Action};
use alleyvote_domain::Millis;
use app::backend::Unavailable;
use app::model::{Console, ConsoleMe, OrganizerView};

use super::storage::{Organizer, OrganizerSession};
use super::Organizers;
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
