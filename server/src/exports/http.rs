//! `GET /console/results/export.csv?kind=results|sheets|streets` and
//! `GET /console/results/export.xlsx?kind=…|all`: administrators only.

use std::sync::Arc;

use axum::extract::{FromRef, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::{table, ExportKind, Exports};
use crate::campaigns::Campaigns;
use crate::organizers::access::{PublishResults, Signed};
use crate::organizers::Organizers;
use crate::web::error::ConsoleRefusal;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<Exports>: FromRef<S>,
    Arc<Campaigns>: FromRef<S>,
    Arc<Organizers>: FromRef<S>,
{
    Router::new()
        .route("/console/results/export.csv", get(csv))
        .route("/console/results/export.xlsx", get(xlsx))
}

#[derive(Deserialize)]
struct ExportQuery {
    #[serde(default)]
    kind: String,
}

async fn tables(
    exports: &Exports,
    campaigns: &Campaigns,
    signed: &Signed<PublishResults>,
    kind: ExportKind,
    format: &str,
) -> Result<(String, Vec<table::Table>), ConsoleRefusal> {
    let campaign = match campaigns.current().await {
        Ok(Some(c)) => c,
        Ok(None) => return Err(ConsoleRefusal::BadForm),
        Err(e) => return Err(ConsoleRefusal::unavailable(&e)),
    };
    let tables = exports
        .tables(signed.session.actor(), &campaign, kind, format)
        .await
        .map_err(|e| ConsoleRefusal::unavailable(&e))?;
    Ok((format!("{}-{}", campaign.slug, kind.as_str()), tables))
}

fn attachment(name: &str) -> String {
    format!("attachment; filename=\"{name}\"")
}

async fn csv(
    State(exports): State<Arc<Exports>>,
    State(campaigns): State<Arc<Campaigns>>,
    signed: Signed<PublishResults>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, ConsoleRefusal> {
    let kind = match ExportKind::parse(&q.kind) {
        Some(ExportKind::All) | None => return Err(ConsoleRefusal::BadForm),
        Some(k) => k,
    };
    let (name, tables) = tables(&exports, &campaigns, &signed, kind, "csv").await?;
    let body = tables.first().map(table::Table::csv).unwrap_or_default();
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (CONTENT_DISPOSITION, attachment(&format!("{name}.csv"))),
        ],
        body,
    )
        .into_response())
}

async fn xlsx(
    State(exports): State<Arc<Exports>>,
    State(campaigns): State<Arc<Campaigns>>,
    signed: Signed<PublishResults>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, ConsoleRefusal> {
    let kind = ExportKind::parse(&q.kind).ok_or(ConsoleRefusal::BadForm)?;
    let (name, tables) = tables(&exports, &campaigns, &signed, kind, "xlsx").await?;
    let book = table::xlsx(&tables).map_err(|e| ConsoleRefusal::unavailable(&e))?;
    Ok((
        [
            (
                CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (CONTENT_DISPOSITION, attachment(&format!("{name}.xlsx"))),
        ],
        book,
    )
        .into_response())
}
