//! The organizer's dashboard: the week at a glance, read from the other
//! capabilities' storage (it stores nothing of its own). The arithmetic —
//! hours, stations reported, the next phase — is the domain's
//! (`alleyvote_domain::dashboard`); here it is only gathered.

pub mod pages;

use std::collections::BTreeMap;

use alleyvote_domain::dashboard::{next_phase, since_yesterday, stations_waiting, Hourly};
use alleyvote_domain::paper::SheetState;
use alleyvote_domain::{Campaign, Millis};
use app::dashboard::model::{Overview, SmsFailureView, WaitingSheet};

use crate::nominations::storage::{NominationStorage, QueueFilter};
use crate::paper::storage::PaperStorage;
use crate::signin::storage::SigninStorage;
use crate::stations::storage::StationStorage;
use crate::storage::StoreResult;
use crate::voting::storage::VoteStorage;

/// What the dashboard reads.
pub trait DashboardSources:
    VoteStorage + PaperStorage + StationStorage + NominationStorage + SigninStorage
{
}

impl<T> DashboardSources for T where
    T: VoteStorage + PaperStorage + StationStorage + NominationStorage + SigninStorage + ?Sized
{
}

/// The failed SMS sends the dashboard lists one by one.
const SMS_FAILURES_LISTED: i64 = 5;

/// The campaign's week as it stands at `now`.
pub async fn overview<S>(store: &S, campaign: &Campaign, now: Millis) -> StoreResult<Overview>
where
    S: DashboardSources + ?Sized,
{
    let from = since_yesterday(now);
    let online = store.votes_by_hour(campaign.id, from).await?;
    let paper = store.marks_by_hour(campaign.id, from).await?;
    let sheets = store.sheets(Some(campaign.id)).await?;
    // Every station of the campaign, with or without a sheet yet.
    let records = store.station_records(Some(campaign.id)).await?;
    let mut by_station: BTreeMap<String, Vec<bool>> = records
        .iter()
        .map(|r| (r.name.clone(), Vec::new()))
        .collect();
    for sheet in &sheets {
        if let Some(states) = by_station.get_mut(&sheet.station_name) {
            states.push(sheet.state == SheetState::Definitive);
        }
    }
    let stations: Vec<(String, Vec<bool>)> = by_station.into_iter().collect();
    let sheets_to_decide = sheets
        .iter()
        .filter(|s| s.state == SheetState::Different)
        .map(|s| WaitingSheet {
            id: s.id.0,
            station: s.station_name.clone(),
            label: s.label.clone(),
        })
        .collect();
    let queue = store.queue(campaign.id, &QueueFilter::default()).await?;
    let today = now.shanghai_day().next_midnight().plus_days(-1);
    let (sms_failed_today, sms_failures) =
        store.sms_failures_since(today, SMS_FAILURES_LISTED).await?;
    Ok(Overview {
        title_zh: campaign.title_zh.clone(),
        title_en: campaign.title_en.clone(),
        phase: campaign.phase(now),
        next: next_phase(&campaign.phases, now),
        hourly: Hourly::new(&online, &paper, now),
        stations_total: u32::try_from(stations.len()).unwrap_or(u32::MAX),
        stations_waiting: stations_waiting(&stations),
        sheets_to_decide,
        nominations_to_review: u32::try_from(queue.iter().filter(|n| n.state.is_open()).count())
            .unwrap_or(u32::MAX),
        sms_failed_today: u32::try_from(sms_failed_today).unwrap_or(u32::MAX),
        sms_failures: sms_failures
            .into_iter()
            .map(|f| SmsFailureView {
                at: f.at,
                number: f.number_masked,
                reason: f.reason,
            })
            .collect(),
        as_of: now,
    })
}
