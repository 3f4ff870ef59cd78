//! `GET /console/audit.csv?action=&actor=&day=`: the audit log (or the filtered
//! part) as an export, oldest first, with each entry's hash. Reading it
//! changes nothing.

use std::sync::Arc;

use alleyvote_domain::organizer::OrganizerId;
use alleyvote_domain::ShanghaiDay;
use app::audit::forms::AuditFilterQuery;
use axum::extract::{FromRef, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::table::csv_field;
use crate::audit::shanghai_time;
use crate::audit::storage::AuditFilter;
use crate::organizers::access::{Signed, ViewAuditLog};
use crate::organizers::Organizers;
use crate::web::error::ConsoleRefusal;

pub use crate::audit::AuditLog;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<AuditLog>: FromRef<S>,
    Arc<Organizers>: FromRef<S>,
{
    Router::new().route("/console/audit.csv", get(csv))
}

async fn csv(
    State(log): State<Arc<AuditLog>>,
    _reader: Signed<ViewAuditLog>,
    Query(query): Query<AuditFilterQuery>,
) -> Result<Response, ConsoleRefusal> {
    let prefix = query
        .action
        .map(|a| a.chars().take(40).collect::<String>())
        .filter(|a| !a.is_empty());
    let actor = query
        .actor
        .and_then(|a| a.parse::<i64>().ok())
        .map(OrganizerId);
    let day = query.day.as_deref().and_then(ShanghaiDay::parse);
    let mut entries = log
        .store
        .audit_entries(&AuditFilter {
            action_prefix: prefix,
            actor,
            from: day.map(ShanghaiDay::start),
            until: day.map(ShanghaiDay::next_midnight),
            limit: 10_000,
            ..AuditFilter::default()
        })
        .await?;
    entries.reverse();
    // A byte-order mark so spreadsheet programs read the Chinese as UTF-8.
    let mut csv = String::from("\u{feff}seq,at,actor,action,subject,before,after,hash\r\n");
    for e in &entries {
        let r = &e.record;
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},{}\r\n",
            r.seq,
            csv_field(&shanghai_time(r.at)),
            csv_field(&r.actor_name),
            csv_field(&r.action),
            csv_field(&r.subject),
            csv_field(r.before.as_deref().unwrap_or("")),
            csv_field(r.after.as_deref().unwrap_or("")),
            hex::encode(e.hash),
        ));
    }
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                CONTENT_DISPOSITION,
                "attachment; filename=\"alleyvote-audit.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}
