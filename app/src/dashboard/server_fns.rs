//! Server functions of the dashboard: thin adapters to the port.

use alleyvote_domain::organizer::Console;
use leptos::prelude::*;

use super::model::DashboardData;

#[server(prefix = "/sfn", endpoint = "console_dashboard")]
pub async fn load_dashboard() -> Result<Console<DashboardData>, ServerFnError> {
    use_context::<super::port::SharedDashboard>()
        .ok_or_else(|| ServerFnError::new("dashboard backend missing from context"))?
        .dashboard(crate::port::organizer_token())
        .await
        .map_err(crate::port::unavailable)
}
