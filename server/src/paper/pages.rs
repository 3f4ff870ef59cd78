//! The paper-ballot pages' port: what `/stations`, the progress board and
//! a sheet's page show, read for the signed-in organizer (or the public).

use std::collections::BTreeMap;

use alleyvote_domain::organizer::Console;
use alleyvote_domain::organizer::{allowed, Action, OrganizerId, Role};
use alleyvote_domain::paper::{differences, Round, SheetState};
use alleyvote_domain::{Lang, SheetId, StationId};
use app::paper::model::{
    BoardSheet, BoardStation, BoardStreet, EntryView, OperatorChoice, PaperBoardData, PublicSheet,
    PublicStation, PublicStationsData, PublicStreet, ReopenView, SheetMode, SheetPageData,
    StationPageData, StockView, WaiverView,
};
use app::paper::port::PaperBackend;
use app::port::Unavailable;

use super::storage::{SheetSummary, StoredEntry};
use super::{Operator, PaperError};
use crate::audit::shanghai_time;
use crate::organizers::pages::{me_of, unavailable, PageAccess};
use crate::organizers::storage::Organizer;
use crate::places::choices;
use crate::stations::storage::{Station, StationRecord};
use crate::storage::StoreError;

/// The paper pages' port, as the server answers it: each method checks
/// the session and the role, then reads what the page shows.
pub struct PaperPages<S: ?Sized> {
    pub access: PageAccess,
    pub campaigns: std::sync::Arc<crate::campaigns::Campaigns>,
    pub paper: std::sync::Arc<crate::paper::Paper>,
    pub stations: std::sync::Arc<crate::stations::Stations>,
    /// The storage slices the pages read beside the use cases.
    pub store: std::sync::Arc<S>,
}

/// A page that could not be read: storage failed (logged as such), or a
/// step refused what a page read should never be refused (logged as the
/// refusal it is, not as a storage failure).
fn paper_unavailable(e: PaperError) -> Unavailable {
    match e {
        PaperError::Store(e) => unavailable(e),
        refusal => {
            tracing::error!(%refusal, "a paper page's read was refused");
            Unavailable
        }
    }
}

/// Stations by street, in the district's order (unplaced ones last).
fn by_street<T>(
    records: &[StationRecord],
    mut make: impl FnMut(&StationRecord) -> T,
) -> Vec<((String, String), Vec<T>)> {
    let mut streets: Vec<((String, String), Vec<T>)> = Vec::new();
    for r in records {
        let street = r
            .street
            .clone()
            .unwrap_or_else(|| ("其他".to_string(), "Other".to_string()));
        match streets.iter_mut().find(|(s, _)| *s == street) {
            Some((_, list)) => list.push(make(r)),
            None => streets.push((street, vec![make(r)])),
        }
    }
    streets
}

/// A station has reported when it has sheets and every one is definitive.
fn reported(sheets: &[&SheetSummary]) -> bool {
    !sheets.is_empty() && sheets.iter().all(|s| s.state == SheetState::Definitive)
}

fn entry_view(e: &StoredEntry, counted: Option<i64>) -> EntryView {
    EntryView {
        id: e.id,
        round: e.round.number() as u8,
        operator: e.operator_name.clone(),
        input: e.input.clone(),
        checked_against_paper: e.checked_against_paper,
        note: e.note.clone(),
        saved_at: shanghai_time(e.saved_at),
        finished_at: e.finished_at.map(shanghai_time),
        closed: e.closed.clone(),
        counted: counted == Some(e.id),
    }
}

/// Who operates a station.
fn operators_of(assigned: &[Station], station: StationId) -> Vec<OrganizerId> {
    assigned
        .iter()
        .find(|s| s.id == station)
        .map(|s| s.operators.clone())
        .unwrap_or_default()
}

/// A station as the board (and its own page) shows it.
fn board_station(
    r: &StationRecord,
    organizers: &[Organizer],
    assigned: &[Station],
    sheets: &[SheetSummary],
    mine: bool,
) -> BoardStation {
    let operators = operators_of(assigned, r.id);
    BoardStation {
        id: r.id.0,
        name: r.name.clone(),
        community_id: r.details.community.map(|c| c.0),
        community_zh: r.community.clone().map(|c| c.0).unwrap_or_default(),
        address: r.details.address.clone(),
        opening_hours: r.details.opening_hours.clone(),
        usual_turnout: r.details.usual_turnout,
        ballots_received: r.ballots_received,
        operators: organizers
            .iter()
            .filter(|o| operators.contains(&o.id))
            .map(|o| o.display_name.clone())
            .collect(),
        mine,
        sheets: sheets
            .iter()
            .filter(|s| s.station == r.id)
            .map(|s| BoardSheet {
                id: s.id.0,
                label: s.label.clone(),
                state: s.state,
                has_photo: s.has_photo,
            })
            .collect(),
    }
}

fn look(why: impl Fn(Lang) -> String) -> SheetMode {
    SheetMode::Look {
        why_zh: why(Lang::Zh),
        why_en: why(Lang::En),
    }
}

impl<S> PaperPages<S>
where
    S: crate::organizers::storage::OrganizerStorage
        + crate::stations::storage::StationStorage
        + crate::places::storage::PlaceStorage
        + ?Sized
        + 'static,
{
    async fn board(
        &self,
        session: &crate::organizers::storage::OrganizerSession,
    ) -> Result<Option<PaperBoardData>, StoreError> {
        let Some(campaign) = self.campaigns.current().await? else {
            return Ok(None);
        };
        let manage = allowed(session.organizer.role, Action::ManageStations);
        let records = self.stations.records(None).await?;
        let sheets = self.paper.storage().sheets(None).await?;
        let organizers = self.store.organizers().await?;
        let assigned = self.store.stations().await?;
        let who = session.organizer.id;
        let station_view = |r: &StationRecord| {
            let operators = operators_of(&assigned, r.id);
            board_station(
                r,
                &organizers,
                &assigned,
                &sheets,
                manage || operators.contains(&who),
            )
        };
        let ours: Vec<StationRecord> = records
            .iter()
            .filter(|r| r.details.campaign == Some(campaign.id))
            .cloned()
            .collect();
        let total = ours.len() as u32;
        let reported_count = ours
            .iter()
            .filter(|r| {
                let theirs: Vec<&SheetSummary> =
                    sheets.iter().filter(|s| s.station == r.id).collect();
                reported(&theirs)
            })
            .count() as u32;
        let streets = by_street(&ours, station_view)
            .into_iter()
            .map(|((zh, en), stations)| BoardStreet {
                street_zh: zh,
                street_en: en,
                stations,
            })
            .collect();
        let unplaced = if manage {
            records
                .iter()
                .filter(|r| r.details.campaign.is_none())
                .map(station_view)
                .collect()
        } else {
            Vec::new()
        };
        Ok(Some(PaperBoardData {
            who: me_of(session),
            campaign_slug: campaign.slug.clone(),
            campaign_id: campaign.id.0,
            title_zh: campaign.title_zh.clone(),
            title_en: campaign.title_en.clone(),
            rule: self.paper.rule(campaign.id).await?,
            reported: reported_count,
            total,
            streets,
            unplaced,
            may_manage: manage,
        }))
    }

    /// One station's set-up page.
    async fn station_data(
        &self,
        session: &crate::organizers::storage::OrganizerSession,
        id: StationId,
    ) -> Result<Option<StationPageData>, StoreError> {
        let Some(record) = self.store.station_record(id).await? else {
            return Ok(None);
        };
        let sheets: Vec<SheetSummary> = self
            .paper
            .storage()
            .sheets(None)
            .await?
            .into_iter()
            .filter(|s| s.station == id)
            .collect();
        // Removable while no sheet holds an entry (set aside or not), a
        // photo or a waiver: what the removal itself checks.
        let mut removable = true;
        for s in &sheets {
            let keyed = match self.paper.storage().sheet(s.id).await? {
                Some(full) => !full.entries.is_empty(),
                None => false,
            };
            removable &= !keyed && !s.has_photo && s.photo_waiver.is_none();
        }
        let organizers = self.store.organizers().await?;
        let assigned = self.store.stations().await?;
        let here = operators_of(&assigned, id);
        let current = self.campaigns.current().await?;
        Ok(Some(StationPageData {
            who: me_of(session),
            station: board_station(&record, &organizers, &assigned, &sheets, true),
            campaign_id: record.details.campaign.map(|c| c.0),
            current_campaign_id: current.as_ref().map(|c| c.id.0),
            current_campaign_title: current.map(|c| c.title_zh).unwrap_or_default(),
            communities: choices(&self.store.communities().await?),
            operators: organizers
                .iter()
                .filter(|o| o.role == Role::StationOperator)
                .map(|o| OperatorChoice {
                    id: o.id.0,
                    name: o.display_name.clone(),
                    username: o.username.clone(),
                    assigned: here.contains(&o.id),
                    active: o.active,
                })
                .collect(),
            stock: self
                .store
                .stock_of(id)
                .await?
                .into_iter()
                .map(|d| StockView {
                    ballots: d.delivery.ballots,
                    serial_from: d.delivery.serial_from,
                    serial_to: d.delivery.serial_to,
                    by: d.recorded_by,
                    at: shanghai_time(d.recorded_at),
                })
                .collect(),
            removable,
        }))
    }

    async fn sheet_data(
        &self,
        session: &crate::organizers::storage::OrganizerSession,
        id: SheetId,
    ) -> Result<Option<SheetPageData>, PaperError> {
        let who = Operator {
            actor: session.actor(),
            id: session.organizer.id,
            role: session.organizer.role,
        };
        let file = match self.paper.file_seen_by(&who, id).await {
            Ok(file) => file,
            Err(PaperError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        let role = session.organizer.role;
        let record = &file.record;
        let state = record.summary.state;
        let keyed_it = record.summary.keyers.first == Some(who.id)
            || record.summary.keyers.second == Some(who.id);
        let mode = match state {
            SheetState::Different if allowed(role, Action::ResolveSheets) && !keyed_it => {
                match (record.current(Round::First), record.current(Round::Second)) {
                    (Some(first), Some(second)) => SheetMode::Resolve {
                        differing: differences(
                            &first.input.read().counts,
                            &second.input.read().counts,
                        ),
                        first: Box::new(entry_view(first, record.counted_entry)),
                        second: Box::new(entry_view(second, record.counted_entry)),
                    },
                    _ => {
                        return Err(
                            StoreError::Corrupt("a differing sheet lacks an entry".into()).into(),
                        )
                    }
                }
            }
            SheetState::Different => look(|l| {
                l.pick(
                    "两次录入不一致，等待协调员（未参与录入的管理员）处理。",
                    "The entries differ; a coordinator (an administrator who keyed neither) decides.",
                )
                .into()
            }),
            SheetState::Definitive if allowed(role, Action::ReopenSheets) => SheetMode::Reopen,
            SheetState::Definitive => look(|l| {
                l.pick(
                    "这张计票单已确认并计入总票数。如需更正，请联系管理员重新开放。",
                    "This sheet is definitive and counted. To correct it, ask an administrator to reopen it.",
                )
                .into()
            }),
            _ => match self.paper.round_for(&who, &file).await {
                Ok(round) => {
                    let saved = record.current(round);
                    SheetMode::Key {
                        round: round.number() as u8,
                        input: Box::new(file.input_for(saved.map(|e| &e.input))),
                        checked_against_paper: saved.is_some_and(|e| e.checked_against_paper),
                        note: saved.map(|e| e.note.clone()).unwrap_or_default(),
                        context: file.reference.for_page(saved.map(|e| &e.input)),
                    }
                }
                Err(PaperError::Key(refusal)) => look(|l| refusal.message(l).into()),
                Err(PaperError::NotYourStation) => look(|l| {
                    l.pick(
                        "您没有这个投票点的录入权限。",
                        "You do not key this station's sheets.",
                    )
                    .into()
                }),
                Err(PaperError::Invalid) => look(|l| {
                    l.pick(
                        "这个投票点还没有设置所属评选，请联系管理员。",
                        "This station serves no campaign yet; ask an administrator.",
                    )
                    .into()
                }),
                Err(e) => return Err(e),
            },
        };
        // `file_seen_by` left out what this organizer may not see.
        let entries = record
            .entries
            .iter()
            .map(|e| entry_view(e, record.counted_entry))
            .collect();
        Ok(Some(SheetPageData {
            who: me_of(session),
            id: id.0,
            station: record.summary.station_name.clone(),
            label: record.summary.label.clone(),
            state,
            ballot: file
                .ballot
                .iter()
                .map(|(n, _, name)| (n.get(), name.clone()))
                .collect(),
            mode,
            entries,
            reopenings: record
                .reopenings
                .iter()
                .map(|r| ReopenView {
                    entry_id: r.entry_id,
                    reason: r.reason.clone(),
                    by: r.by.clone(),
                    at: shanghai_time(r.at),
                })
                .collect(),
            has_photo: record.summary.has_photo,
            may_photograph: self
                .paper
                .keys_station(&who, record.summary.station)
                .await?,
            photo_waiver: record.summary.photo_waiver.as_ref().map(|w| WaiverView {
                reason: w.reason.clone(),
                by: w.by.clone(),
                at: shanghai_time(w.at),
            }),
            may_waive: allowed(role, Action::WaiveSheetPhotos)
                && !file.evidence().present()
                && state != SheetState::Definitive,
        }))
    }
}

#[async_trait::async_trait]
impl<S> PaperBackend for PaperPages<S>
where
    S: crate::organizers::storage::OrganizerStorage
        + crate::stations::storage::StationStorage
        + crate::places::storage::PlaceStorage
        + ?Sized
        + 'static,
{
    async fn public_stations(&self) -> Result<Option<PublicStationsData>, Unavailable> {
        let Some(campaign) = self.campaigns.current().await.map_err(unavailable)? else {
            return Ok(None);
        };
        let records = self
            .stations
            .records(Some(campaign.id))
            .await
            .map_err(unavailable)?;
        let published = self
            .paper
            .published(Some(campaign.id))
            .await
            .map_err(unavailable)?;
        let mut counted: BTreeMap<i64, Vec<PublicSheet>> = BTreeMap::new();
        if published {
            for s in self
                .paper
                .storage()
                .sheets(Some(campaign.id))
                .await
                .map_err(unavailable)?
            {
                if s.state == SheetState::Definitive {
                    let mut replaced_photos = Vec::new();
                    if s.has_photo {
                        let photos = self
                            .paper
                            .storage()
                            .sheet_photos(s.id)
                            .await
                            .map_err(unavailable)?;
                        // All but the latest, which the main link shows.
                        replaced_photos = photos.iter().map(|(id, _)| *id).collect();
                        replaced_photos.pop();
                    }
                    counted.entry(s.station.0).or_default().push(PublicSheet {
                        id: s.id.0,
                        label: s.label,
                        has_photo: s.has_photo,
                        replaced_photos,
                        photo_waiver: s.photo_waiver.map(|w| w.reason),
                    });
                }
            }
        }
        let streets = by_street(&records, |r| PublicStation {
            id: r.id.0,
            name: r.name.clone(),
            community_zh: r.community.clone().map(|c| c.0).unwrap_or_default(),
            community_en: r.community.clone().map(|c| c.1).unwrap_or_default(),
            address: r.details.address.clone(),
            opening_hours: r.details.opening_hours.clone(),
            sheets: counted.remove(&r.id.0).unwrap_or_default(),
        })
        .into_iter()
        .map(|((zh, en), stations)| PublicStreet {
            street_zh: zh,
            street_en: en,
            stations,
        })
        .collect();
        Ok(Some(PublicStationsData {
            title_zh: campaign.title_zh,
            title_en: campaign.title_en,
            streets,
        }))
    }

    async fn paper_board(
        &self,
        token: Option<String>,
    ) -> Result<Console<Option<PaperBoardData>>, Unavailable> {
        match self
            .access
            .console_access(token.as_deref(), Action::EnterPaperBallots)
            .await
            .map_err(unavailable)?
        {
            Console::Open(session) => Ok(Console::Open(
                self.board(&session).await.map_err(unavailable)?,
            )),
            Console::SignIn => Ok(Console::SignIn),
            Console::Forbidden => Ok(Console::Forbidden),
        }
    }

    async fn station_page(
        &self,
        token: Option<String>,
        id: i64,
    ) -> Result<Console<Option<StationPageData>>, Unavailable> {
        match self
            .access
            .console_access(token.as_deref(), Action::ManageStations)
            .await
            .map_err(unavailable)?
        {
            Console::Open(session) => Ok(Console::Open(
                self.station_data(&session, StationId(id))
                    .await
                    .map_err(unavailable)?,
            )),
            Console::SignIn => Ok(Console::SignIn),
            Console::Forbidden => Ok(Console::Forbidden),
        }
    }

    async fn sheet_page(
        &self,
        token: Option<String>,
        id: i64,
    ) -> Result<Console<Option<SheetPageData>>, Unavailable> {
        match self
            .access
            .console_access(token.as_deref(), Action::EnterPaperBallots)
            .await
            .map_err(unavailable)?
        {
            // Another station's sheet is not an operator's to read.
            Console::Open(session) => match self.sheet_data(&session, SheetId(id)).await {
                Ok(page) => Ok(Console::Open(page)),
                Err(PaperError::NotYourStation) => Ok(Console::Forbidden),
                Err(e) => Err(paper_unavailable(e)),
            },
            Console::SignIn => Ok(Console::SignIn),
            Console::Forbidden => Ok(Console::Forbidden),
        }
    }
}
