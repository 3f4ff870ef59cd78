//! Paper ballots: each polling station's tally sheets, keyed twice by
//! different operators, compared, resolved by a coordinator when they
//! differ, reopened by an administrator with a reason, photographed, and
//! counted into the tally as the paper channel. The rules are the domain's
//! (`alleyvote_domain::paper`); this module applies them to what is stored
//! and records every step in the audit log.

pub mod http;
pub mod pages;
pub mod storage;

use std::collections::BTreeMap;
use std::sync::Arc;

use alleyvote_domain::organizer::{allowed, Action, OrganizerId, Role};
use alleyvote_domain::paper::{
    after_second, entry_visible, may_finish, reopen_reason, round_for, waiver_reason, Count,
    FinishRefusal, KeyRefusal, PaperEvidence, PaperRule, Resolution, Round, SheetCounts,
    SheetField, SheetInput, SheetReference, SheetState,
};
use alleyvote_domain::{Campaign, CampaignId, NomineeId, NomineeNumber, SheetId, StationId};
use serde_json::json;

use crate::audit::{Actor, AuditAction, NewAuditEntry};
use crate::clock::Clock;
use crate::nominees::storage::NomineeStorage;
use crate::results::ResultsHub;
use crate::stations::storage::StationStorage;
use crate::storage::StoreError;
use storage::{Applied, PaperStorage, SheetChange, SheetRecord};

/// The longest sheet label ("第 1 天", "2 号票箱"), in characters.
pub const MAX_LABEL: usize = 30;
/// The longest note an operator adds to an entry, in characters.
pub const MAX_NOTE: usize = 500;
/// A change decided on a sheet another change just moved is decided again,
/// at most this many times.
const ATTEMPTS: usize = 3;

/// Why a paper-ballot step was refused.
#[derive(Debug, thiserror::Error)]
pub enum PaperError {
    #[error("no such sheet or station")]
    NotFound,
    #[error("something in the form is not valid")]
    Invalid,
    /// A reopening without a reason the audit log can keep.
    #[error("no reason given")]
    ReasonNeeded,
    #[error("the station is not one of this operator's")]
    NotYourStation,
    /// The organizer's role may not take this step.
    #[error("the role may not do this")]
    NotPermitted,
    #[error("keying refused: {0:?}")]
    Key(KeyRefusal),
    /// The entry was saved as a draft, but cannot be finished yet.
    #[error("saved as a draft: {0:?}")]
    Unfinished(FinishRefusal),
    /// A coordinator who keyed one of the entries does not decide between them.
    #[error("the coordinator keyed this sheet")]
    OwnEntry,
    /// The step does not fit the sheet's state (e.g. a decision on equal entries).
    #[error("the sheet is {0:?}")]
    WrongState(SheetState),
    #[error("the sheet's label is taken at the station")]
    Taken,
    /// Another change kept coming first.
    #[error("the sheet keeps changing")]
    Busy,
    /// The campaign's results are published: the sheet stands.
    #[error("the results are published")]
    Published,
    /// A waiver asked for a sheet that has its photo, a waiver, or counts already.
    #[error("nothing to waive")]
    NothingToWaive,
    /// A sheet's photo could not be taken as a picture.
    #[error("photo: {0}")]
    Photo(crate::photos::PhotoProblem),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for PaperError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Duplicate(_) => PaperError::Taken,
            StoreError::Published => PaperError::Published,
            e => PaperError::Store(e),
        }
    }
}

/// What an operator keyed: each field's text by its form name, the tick
/// and the note, and whether they asked to finish.
#[derive(Debug, Clone, Default)]
pub struct Keyed {
    pub fields: BTreeMap<SheetField, String>,
    pub checked_against_paper: bool,
    pub note: String,
    pub finish: bool,
}

/// Where an entry left the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryOutcome {
    Draft,
    /// The first entry is in: another operator keys the second.
    AwaitingSecond,
    Definitive,
    Different,
}

/// Who is doing a step: the organizer and their role.
#[derive(Debug, Clone, Copy)]
pub struct Operator<'a> {
    pub actor: Actor<'a>,
    pub id: OrganizerId,
    pub role: Role,
}

/// A sheet with what its page shows beside the entries: the ballot's
/// nominees, and what each entry is checked against.
#[derive(Debug, Clone)]
pub struct SheetFile {
    pub record: SheetRecord,
    pub campaign: Option<Campaign>,
    /// The nominees on the ballot (active ones, by number), with their ids.
    pub ballot: Vec<(NomineeNumber, NomineeId, String)>,
    /// The paper rule, the other counted sheets, the usual turnout and the
    /// stock: the same reference the entry screen checks with.
    pub reference: SheetReference,
}

impl SheetFile {
    /// An input for this ballot: the saved one, or an empty sheet.
    pub fn input_for(&self, saved: Option<&SheetInput>) -> SheetInput {
        let mut input = SheetInput::blank_for(self.ballot.iter().map(|(n, _, _)| *n));
        if let Some(saved) = saved {
            for field in input.fields() {
                input.set(field, saved.field(field));
            }
        }
        input
    }

    /// What stands for the signed paper: its photo, or a waiver.
    pub fn evidence(&self) -> PaperEvidence {
        PaperEvidence::of(
            self.record.summary.has_photo,
            self.record.summary.photo_waiver.is_some(),
        )
    }

    /// The marks a set of counts adds to each nominee on the ballot, by
    /// nominee id: the order vote batches lock tally rows in too, so the
    /// two never wait for each other in a circle.
    fn marks(&self, counts: &SheetCounts) -> Vec<(NomineeId, u32)> {
        let mut marks: Vec<(NomineeId, u32)> = self
            .ballot
            .iter()
            .filter_map(|(number, id, _)| {
                let marks = counts.marks.get(number).copied().flatten()?;
                Some((*id, marks.get()))
            })
            .collect();
        marks.sort_unstable();
        marks
    }
}

pub struct Paper {
    sheets: Arc<dyn PaperStorage>,
    stations: Arc<dyn StationStorage>,
    nominees: Arc<dyn NomineeStorage>,
    campaigns: Arc<crate::campaigns::Campaigns>,
    /// Told after each change to the tally, so the results show it at once.
    hub: ResultsHub,
    /// The clock every rule about time reads (one per instance: the
    /// configuration's, which a test may set).
    clock: Clock,
}

impl Paper {
    pub fn new(
        sheets: Arc<dyn PaperStorage>,
        stations: Arc<dyn StationStorage>,
        nominees: Arc<dyn NomineeStorage>,
        campaigns: Arc<crate::campaigns::Campaigns>,
        hub: ResultsHub,
        clock: Clock,
    ) -> Self {
        Paper {
            sheets,
            stations,
            nominees,
            campaigns,
            hub,
            clock,
        }
    }

    pub fn storage(&self) -> &dyn PaperStorage {
        &*self.sheets
    }

    /// Whether a campaign's results are published (on public notice, or
    /// final). Then each station's counted sheets and their photos are
    /// public, so anyone can check the tally against the signed paper.
    pub async fn published(&self, campaign: Option<CampaignId>) -> Result<bool, StoreError> {
        let Some(campaign) = campaign else {
            return Ok(false);
        };
        let Some(campaign) = self
            .campaigns
            .all()
            .await?
            .into_iter()
            .find(|c| c.id == campaign)
        else {
            return Ok(false);
        };
        let state = self.hub.view(&campaign, None).await?.state;
        Ok(matches!(
            state,
            alleyvote_domain::ResultsStage::Notice | alleyvote_domain::ResultsStage::Final
        ))
    }

    /// A campaign's paper rule (the default when none was set).
    pub async fn rule(&self, campaign: CampaignId) -> Result<PaperRule, StoreError> {
        Ok(self.sheets.paper_rule(campaign).await?.unwrap_or_default())
    }

    /// Sets how many nominees one paper ballot may mark.
    #[tracing::instrument(skip_all)]
    pub async fn set_rule(
        &self,
        actor: Actor<'_>,
        campaign: &Campaign,
        typed: &str,
    ) -> Result<(), PaperError> {
        let max = Count::parse(typed)
            .ok()
            .flatten()
            .and_then(|c| u16::try_from(c.get()).ok())
            .filter(|m| (1..=1000).contains(m))
            .ok_or(PaperError::Invalid)?;
        let before = self.rule(campaign.id).await?;
        let rule = PaperRule {
            max_marks_per_ballot: max,
        };
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::PaperRule,
            format!("campaign:{}", campaign.slug),
        )
        .before(json!({ "max_marks_per_ballot": before.max_marks_per_ballot }))
        .after(json!({ "max_marks_per_ballot": max }));
        self.sheets
            .set_paper_rule(campaign.id, rule, &audit, self.clock.now())
            .await?;
        Ok(())
    }

    /// A new sheet for a station ("第 1 天", "1 号票箱").
    #[tracing::instrument(skip_all, fields(station = station.0))]
    pub async fn add_sheet(
        &self,
        actor: Actor<'_>,
        station: StationId,
        label: &str,
    ) -> Result<SheetId, PaperError> {
        let label = label.trim();
        if label.is_empty() || label.chars().count() > MAX_LABEL || label.contains(char::is_control)
        {
            return Err(PaperError::Invalid);
        }
        let station_record = self
            .stations
            .station_record(station)
            .await?
            .ok_or(PaperError::NotFound)?;
        if station_record.details.campaign.is_none() {
            // A sheet counts into a campaign: the station must serve one.
            return Err(PaperError::Invalid);
        }
        let audit = NewAuditEntry::new(actor, AuditAction::SheetCreate, String::new())
            .after(json!({ "station": station.0, "label": label }));
        Ok(self
            .sheets
            .add_sheet(station, label, &audit, self.clock.now())
            .await?)
    }

    /// A sheet as `who` may read it: refused for another station's
    /// operator, and without the entries [`entry_visible`] keeps from them
    /// (the first entry, while the second operator keys from the paper).
    pub async fn file_seen_by(
        &self,
        who: &Operator<'_>,
        id: SheetId,
    ) -> Result<SheetFile, PaperError> {
        let mut file = self.file(id).await?;
        if !self.keys_station(who, file.record.summary.station).await? {
            return Err(PaperError::NotYourStation);
        }
        let state = file.record.summary.state;
        file.record
            .entries
            .retain(|e| entry_visible(state, e.closed.is_some(), e.operator, who.id));
        Ok(file)
    }

    /// A sheet with its ballot, rule and context.
    pub async fn file(&self, id: SheetId) -> Result<SheetFile, PaperError> {
        let record = self.sheets.sheet(id).await?.ok_or(PaperError::NotFound)?;
        let campaign = match record.summary.campaign {
            Some(c) => self.campaigns.all().await?.into_iter().find(|k| k.id == c),
            None => None,
        };
        let (rule, ballot, others) = match &campaign {
            Some(c) => {
                let ballot = self
                    .nominees
                    .nominee_records(c.id)
                    .await?
                    .into_iter()
                    .filter(|n| n.active)
                    .map(|n| {
                        (
                            n.nominee.summary.number,
                            n.nominee.id,
                            n.nominee.summary.name,
                        )
                    })
                    .collect::<Vec<_>>();
                let others = self
                    .sheets
                    .counted_inputs(c.id)
                    .await?
                    .into_iter()
                    .filter(|(sheet, _, _)| *sheet != id)
                    .map(|(_, station, input)| (station, input.read().counts))
                    .collect();
                (self.rule(c.id).await?, ballot, others)
            }
            None => (PaperRule::default(), Vec::new(), Vec::new()),
        };
        let mut ballot = ballot;
        ballot.sort_by_key(|(n, _, _)| *n);
        let station = self.stations.station_record(record.summary.station).await?;
        Ok(SheetFile {
            record,
            campaign,
            ballot,
            reference: SheetReference {
                rule,
                others,
                same_as_saved: Vec::new(),
                usual_turnout: station.as_ref().and_then(|s| s.details.usual_turnout),
                // No stock recorded is no reference, not a stock of zero.
                stock: station
                    .map(|s| u32::try_from(s.ballots_received).unwrap_or(u32::MAX))
                    .filter(|stock| *stock > 0),
            },
        })
    }

    /// Whether an organizer keys the station's sheets: its own operators,
    /// and administrators (who may do everything).
    pub async fn keys_station(
        &self,
        who: &Operator<'_>,
        station: StationId,
    ) -> Result<bool, PaperError> {
        Ok(match who.role {
            Role::Admin => true,
            Role::StationOperator => self
                .stations
                .stations()
                .await?
                .iter()
                .any(|s| s.id == station && s.operators.contains(&who.id)),
            Role::Reviewer | Role::ScreenOperator => false,
        })
    }

    /// Whether an organizer may read a sheet (its page, its photo): those
    /// who key its station, and administrators. A sheet that does not
    /// exist is no one's: its page says so.
    pub async fn reads_sheet(&self, who: &Operator<'_>, id: SheetId) -> Result<bool, PaperError> {
        match self.sheets.sheet(id).await? {
            Some(record) => self.keys_station(who, record.summary.station).await,
            None => Ok(true),
        }
    }

    /// The entry this organizer would key now, or why none.
    pub async fn round_for(
        &self,
        who: &Operator<'_>,
        file: &SheetFile,
    ) -> Result<Round, PaperError> {
        if !self.keys_station(who, file.record.summary.station).await? {
            return Err(PaperError::NotYourStation);
        }
        if file.campaign.is_none() {
            return Err(PaperError::Invalid);
        }
        round_for(
            file.record.summary.state,
            file.record.summary.keyers,
            who.id,
        )
        .map_err(PaperError::Key)
    }

    /// Keys an entry: saves it as a draft, or finishes it. A second entry
    /// that matches the first makes the sheet definitive (and counts it);
    /// one that differs sends it to a coordinator. An entry that cannot be
    /// finished yet is still saved, as a draft.
    #[tracing::instrument(skip_all, fields(sheet = id.0))]
    pub async fn key(
        &self,
        who: &Operator<'_>,
        id: SheetId,
        keyed: &Keyed,
    ) -> Result<EntryOutcome, PaperError> {
        if keyed.note.chars().count() > MAX_NOTE || keyed.note.contains('\0') {
            return Err(PaperError::Invalid);
        }
        for _ in 0..ATTEMPTS {
            let file = self.file(id).await?;
            let round = self.round_for(who, &file).await?;
            let mut input = file.input_for(file.record.current(round).map(|e| &e.input));
            for (field, text) in &keyed.fields {
                input.set(*field, text);
            }
            let (problems, checked) = file.reference.check(&input);
            let evidence = file.evidence();
            let may = || {
                may_finish(
                    problems.len(),
                    &checked,
                    keyed.checked_against_paper,
                    round,
                    evidence,
                )
            };
            let finishing = keyed.finish && may().is_ok();
            let (state, outcome, counts) = match (finishing, round) {
                (false, Round::First) => (SheetState::FirstEntry, EntryOutcome::Draft, None),
                (false, Round::Second) => (SheetState::SecondEntry, EntryOutcome::Draft, None),
                (true, Round::First) => (
                    SheetState::AwaitingSecond,
                    EntryOutcome::AwaitingSecond,
                    None,
                ),
                (true, Round::Second) => {
                    let first = file.record.current(Round::First).ok_or_else(|| {
                        StoreError::Corrupt("second entry without a first".into())
                    })?;
                    let first = first.input.read().counts;
                    let second = input.read().counts;
                    match after_second(&first, &second) {
                        SheetState::Definitive => (
                            SheetState::Definitive,
                            EntryOutcome::Definitive,
                            Some(file.marks(&second)),
                        ),
                        _ => (SheetState::Different, EntryOutcome::Different, None),
                    }
                }
            };
            let action = if finishing {
                AuditAction::SheetFinish
            } else {
                AuditAction::SheetDraft
            };
            let audit =
                NewAuditEntry::new(who.actor, action, format!("sheet:{}", id.0)).after(json!({
                    "round": round.number(),
                    "state": state.as_str(),
                    "input": input,
                    "checked_against_paper": keyed.checked_against_paper,
                    "note": keyed.note,
                }));
            let change = SheetChange::Entry {
                round,
                operator: who.id,
                input: Box::new(input),
                checked_against_paper: keyed.checked_against_paper,
                note: keyed.note.trim().to_string(),
                finished: finishing,
                counts: counts.clone(),
            };
            match self
                .sheets
                .change_sheet(
                    id,
                    file.record.summary.revision,
                    state,
                    &change,
                    &audit,
                    self.clock.now(),
                )
                .await?
            {
                Applied::Stale => continue,
                Applied::Done => {
                    if counts.is_some() {
                        self.hub.poke();
                    }
                    if keyed.finish && !finishing {
                        let refusal = may().err().unwrap_or(FinishRefusal::HasErrors);
                        return Err(PaperError::Unfinished(refusal));
                    }
                    return Ok(outcome);
                }
            }
        }
        Err(PaperError::Busy)
    }

    /// A coordinator's decision on a sheet whose entries differ.
    #[tracing::instrument(skip_all, fields(sheet = id.0))]
    pub async fn resolve(
        &self,
        who: &Operator<'_>,
        id: SheetId,
        resolution: Resolution,
    ) -> Result<(), PaperError> {
        for _ in 0..ATTEMPTS {
            let file = self.file(id).await?;
            let summary = &file.record.summary;
            if summary.state != SheetState::Different {
                return Err(PaperError::WrongState(summary.state));
            }
            if summary.keyers.first == Some(who.id) || summary.keyers.second == Some(who.id) {
                return Err(PaperError::OwnEntry);
            }
            if resolution.kept().is_some() && !file.evidence().present() {
                return Err(PaperError::Unfinished(FinishRefusal::PhotoNeeded));
            }
            let kept = match resolution.kept() {
                Some(round) => {
                    let entry = file.record.current(round).ok_or_else(|| {
                        StoreError::Corrupt("a differing sheet lacks an entry".into())
                    })?;
                    Some((round, file.marks(&entry.input.read().counts)))
                }
                None => None,
            };
            let audit = NewAuditEntry::new(
                who.actor,
                AuditAction::SheetResolve,
                format!("sheet:{}", id.0),
            )
            .after(json!({ "decision": resolution.as_str() }));
            let counts = kept.is_some();
            match self
                .sheets
                .change_sheet(
                    id,
                    summary.revision,
                    resolution.state_after(),
                    &SheetChange::Resolve { kept },
                    &audit,
                    self.clock.now(),
                )
                .await?
            {
                Applied::Stale => continue,
                Applied::Done => {
                    if counts {
                        self.hub.poke();
                    }
                    return Ok(());
                }
            }
        }
        Err(PaperError::Busy)
    }

    /// An administrator reopens a definitive sheet, with a written reason:
    /// its marks leave the tally, its entries stay visible, and it is keyed
    /// again from the start.
    #[tracing::instrument(skip_all, fields(sheet = id.0))]
    pub async fn reopen(
        &self,
        who: &Operator<'_>,
        id: SheetId,
        reason: &str,
    ) -> Result<(), PaperError> {
        if !allowed(who.role, Action::ReopenSheets) {
            return Err(PaperError::NotPermitted);
        }
        let reason = reopen_reason(reason).ok_or(PaperError::ReasonNeeded)?;
        for _ in 0..ATTEMPTS {
            let file = self.file(id).await?;
            let summary = &file.record.summary;
            if summary.state != SheetState::Definitive {
                return Err(PaperError::WrongState(summary.state));
            }
            let audit = NewAuditEntry::new(
                who.actor,
                AuditAction::SheetReopen,
                format!("sheet:{}", id.0),
            )
            .before(json!({ "counted_entry": file.record.counted_entry }))
            .after(json!({ "reason": reason }));
            match self
                .sheets
                .change_sheet(
                    id,
                    summary.revision,
                    SheetState::NotStarted,
                    &SheetChange::Reopen {
                        by: who.id,
                        reason: reason.clone(),
                    },
                    &audit,
                    self.clock.now(),
                )
                .await?
            {
                Applied::Stale => continue,
                Applied::Done => {
                    self.hub.poke();
                    return Ok(());
                }
            }
        }
        Err(PaperError::Busy)
    }

    /// An administrator lets a sheet count without the photo of the signed
    /// paper, with a written reason (a camera broke, the sheet went to the
    /// archive before anyone photographed it). Once published, the reason
    /// stands beside the sheet where its photo would.
    #[tracing::instrument(skip_all, fields(sheet = id.0))]
    pub async fn waive_photo(
        &self,
        who: &Operator<'_>,
        id: SheetId,
        reason: &str,
    ) -> Result<(), PaperError> {
        if !allowed(who.role, Action::WaiveSheetPhotos) {
            return Err(PaperError::NotPermitted);
        }
        let reason = waiver_reason(reason).ok_or(PaperError::ReasonNeeded)?;
        for _ in 0..ATTEMPTS {
            let file = self.file(id).await?;
            let summary = &file.record.summary;
            // A photo or an earlier waiver already lets it count; a counted
            // sheet needs none.
            if file.evidence().present() || summary.state == SheetState::Definitive {
                return Err(PaperError::NothingToWaive);
            }
            let audit = NewAuditEntry::new(
                who.actor,
                AuditAction::SheetPhotoWaive,
                format!("sheet:{}", id.0),
            )
            .after(json!({ "reason": reason }));
            match self
                .sheets
                .change_sheet(
                    id,
                    summary.revision,
                    summary.state,
                    &SheetChange::WaivePhoto {
                        by: who.id,
                        reason: reason.clone(),
                    },
                    &audit,
                    self.clock.now(),
                )
                .await?
            {
                Applied::Stale => continue,
                Applied::Done => return Ok(()),
            }
        }
        Err(PaperError::Busy)
    }

    /// Stores a photo of the signed paper sheet, re-encoded (EXIF and
    /// location never survive), by an operator of the station or an admin.
    #[tracing::instrument(skip_all, fields(sheet = id.0))]
    pub async fn add_photo(
        &self,
        who: &Operator<'_>,
        id: SheetId,
        upload: Vec<u8>,
    ) -> Result<(), PaperError> {
        let record = self.sheets.sheet(id).await?.ok_or(PaperError::NotFound)?;
        if !self.keys_station(who, record.summary.station).await? {
            return Err(PaperError::NotYourStation);
        }
        let processed = crate::photos::process_document_in_turn(upload)
            .await
            .map_err(|_| PaperError::Busy)?;
        let jpeg = match processed {
            Ok(jpeg) => jpeg,
            Err(problem) => return Err(PaperError::Photo(problem)),
        };
        // The hash of the stored image: the published photo can be checked
        // against the log, and a replaced one told apart from it.
        let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&jpeg));
        let audit = NewAuditEntry::new(
            who.actor,
            AuditAction::SheetPhoto,
            format!("sheet:{}", id.0),
        )
        .after(json!({ "bytes": jpeg.len(), "sha256": sha256 }));
        self.sheets
            .add_sheet_photo(id, &jpeg, &sha256, who.id, &audit, self.clock.now())
            .await?;
        Ok(())
    }
}
