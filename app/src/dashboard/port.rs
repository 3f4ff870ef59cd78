//! The dashboard's port: the server implements it over the capabilities'
//! use cases.

use std::sync::Arc;

use alleyvote_domain::organizer::Console;

use super::model::DashboardData;
use crate::port::Unavailable;

#[async_trait::async_trait]
pub trait DashboardBackend: Send + Sync + 'static {
    async fn dashboard(&self, token: Option<String>)
        -> Result<Console<DashboardData>, Unavailable>;
}

pub type SharedDashboard = Arc<dyn DashboardBackend>;
