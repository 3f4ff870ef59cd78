//! Server functions of the audit log page: thin adapters to the port.

use alleyvote_domain::organizer::Console;
use leptos::prelude::*;

use super::model::{AuditData, AuditQuery};

#[server(prefix = "/sfn", endpoint = "console_audit")]
pub async fn load_console_audit(query: AuditQuery) -> Result<Console<AuditData>, ServerFnError> {
    use_context::<super::port::SharedAudit>()
        .ok_or_else(|| ServerFnError::new("audit backend missing from context"))?
        .console_audit(crate::port::organizer_token(), query)
        .await
        .map_err(crate::port::unavailable)
}
