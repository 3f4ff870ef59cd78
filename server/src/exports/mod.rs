//! Exports for the organizers' records and the district's report: the
//! results per nominee (each channel, the score, the rank and the
//! tie-break), the paper tally sheets per station, and the counts per
//! street — as CSV or as one XLSX workbook. Administrators only; every
//! export is in the audit log.

pub mod audit_log;
pub mod http;
pub mod pages;
pub mod table;

use std::collections::BTreeMap;
use std::sync::Arc;

use alleyvote_domain::paper::SheetState;
use alleyvote_domain::{Campaign, Lang, Millis, ResultsSnapshot};
use serde_json::json;

use crate::audit::storage::AuditStorage;
use crate::audit::{Actor, AuditAction, NewAuditEntry};
use crate::paper::Paper;
use crate::results::ResultsHub;
use crate::storage::StoreError;
use table::{Cell, Table};

/// What an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Results,
    Sheets,
    Streets,
    /// The published corrections of the ranking, with their reasons.
    Corrections,
    /// Every table, one sheet each (XLSX only).
    All,
}

impl ExportKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "results" => Some(ExportKind::Results),
            "sheets" => Some(ExportKind::Sheets),
            "streets" => Some(ExportKind::Streets),
            "corrections" => Some(ExportKind::Corrections),
            "all" => Some(ExportKind::All),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ExportKind::Results => "results",
            ExportKind::Sheets => "sheets",
            ExportKind::Streets => "streets",
            ExportKind::Corrections => "corrections",
            ExportKind::All => "all",
        }
    }
}

pub struct Exports {
    hub: ResultsHub,
    paper: Arc<Paper>,
    audit: Arc<dyn AuditStorage>,
}

fn results_table(r: &ResultsSnapshot) -> Table {
    Table {
        name: "结果 results",
        headers: vec![
            "名次 rank",
            "编号 number",
            "姓名 name",
            "街道 street",
            "社区 community",
            "网络 online",
            "纸质 paper",
            "合计 combined",
            "得分 score",
            "并列依据 tie-break",
            "当选 winner",
        ],
        rows: r
            .entries
            .iter()
            .map(|e| {
                vec![
                    Cell::from(e.rank.unwrap_or(0)),
                    Cell::from(u32::from(e.number.get())),
                    e.name.as_str().into(),
                    e.street_zh.as_str().into(),
                    e.community_zh.as_str().into(),
                    Cell::from(e.online.unwrap_or(0)),
                    Cell::from(e.paper.unwrap_or(0)),
                    Cell::from(e.combined.unwrap_or(0)),
                    e.score.clone().unwrap_or_default().into(),
                    e.tie_break.map(|t| t.label(Lang::Zh)).unwrap_or("").into(),
                    if e.winner { "是" } else { "" }.into(),
                ]
            })
            .collect(),
    }
}

/// Each published correction: the revision it made, when, why, and the
/// winners it added and removed.
fn corrections_table(r: &ResultsSnapshot) -> Table {
    let numbers = |ns: &[alleyvote_domain::NomineeNumber]| {
        ns.iter()
            .map(|n| format!("{:03}", n.get()))
            .collect::<Vec<_>>()
            .join(" ")
    };
    Table {
        name: "更正 corrections",
        headers: vec![
            "版本 revision",
            "发布时间 published",
            "理由 reason",
            "新增当选 elected",
            "不再当选 unelected",
            "变动 changes",
        ],
        rows: r
            .corrections
            .iter()
            .map(|c| {
                let changes = c
                    .changes
                    .iter()
                    .map(|ch| {
                        format!(
                            "{:03} {}: {} → {}",
                            ch.number.get(),
                            ch.name,
                            ch.before.as_deref().unwrap_or("-"),
                            ch.after.as_deref().unwrap_or("-")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                vec![
                    Cell::from(c.revision),
                    c.published_at.rfc3339().into(),
                    c.reason.as_str().into(),
                    numbers(&c.elected).into(),
                    numbers(&c.unelected).into(),
                    changes.into(),
                ]
            })
            .collect(),
    }
}

fn streets_table(r: &ResultsSnapshot) -> Table {
    let mut by_street: BTreeMap<&str, (u32, u64, u64)> = BTreeMap::new();
    for e in &r.entries {
        let s = by_street.entry(e.street_zh.as_str()).or_default();
        s.0 += 1;
        s.1 += e.online.unwrap_or(0);
        s.2 += e.paper.unwrap_or(0);
    }
    Table {
        name: "街道 streets",
        headers: vec![
            "街道 street",
            "候选人 nominees",
            "网络 online",
            "纸质 paper",
            "合计 combined",
        ],
        rows: by_street
            .into_iter()
            .map(|(street, (n, online, paper))| {
                vec![
                    street.into(),
                    n.into(),
                    online.into(),
                    paper.into(),
                    (online + paper).into(),
                ]
            })
            .collect(),
    }
}

impl Exports {
    pub fn new(hub: ResultsHub, paper: Arc<Paper>, audit: Arc<dyn AuditStorage>) -> Self {
        Exports { hub, paper, audit }
    }

    async fn sheets_table(&self, campaign: &Campaign) -> Result<Table, StoreError> {
        let store = self.paper.storage();
        let counted: BTreeMap<i64, _> = store
            .counted_inputs(campaign.id)
            .await?
            .into_iter()
            .map(|(id, _, input)| (id.0, input.read().counts))
            .collect();
        let rows = store
            .sheets(Some(campaign.id))
            .await?
            .into_iter()
            .map(|s| {
                let c = counted.get(&s.id.0);
                let n = |f: fn(
                    &alleyvote_domain::paper::SheetCounts,
                ) -> Option<alleyvote_domain::paper::Count>|
                 -> Cell {
                    match c.and_then(f) {
                        Some(v) => Cell::from(v.get()),
                        None => "".into(),
                    }
                };
                let marks: Cell = match c {
                    Some(c) => Cell::from(
                        c.marks
                            .values()
                            .flatten()
                            .map(|m| u64::from(m.get()))
                            .sum::<u64>(),
                    ),
                    None => "".into(),
                };
                vec![
                    s.station_name.as_str().into(),
                    s.label.as_str().into(),
                    s.state.label(Lang::Zh).into(),
                    n(|c| c.received),
                    n(|c| c.in_box),
                    n(|c| c.valid),
                    n(|c| c.invalid),
                    n(|c| c.blank),
                    marks,
                    if s.state == SheetState::Definitive {
                        "是"
                    } else {
                        ""
                    }
                    .into(),
                ]
            })
            .collect();
        Ok(Table {
            name: "计票单 sheets",
            headers: vec![
                "投票点 station",
                "计票单 sheet",
                "状态 state",
                "收到 received",
                "箱内 in box",
                "有效 valid",
                "无效 invalid",
                "空白 blank",
                "选票标记 marks",
                "计入 counted",
            ],
            rows,
        })
    }

    /// The tables of an export, recorded in the audit log as read.
    pub async fn tables(
        &self,
        actor: Actor<'_>,
        campaign: &Campaign,
        kind: ExportKind,
        format: &str,
    ) -> Result<Vec<Table>, StoreError> {
        let ranking = self.hub.for_organizers(campaign).await?;
        let tables = match kind {
            ExportKind::Results => vec![results_table(&ranking)],
            ExportKind::Streets => vec![streets_table(&ranking)],
            ExportKind::Sheets => vec![self.sheets_table(campaign).await?],
            ExportKind::Corrections => vec![corrections_table(&ranking)],
            ExportKind::All => vec![
                results_table(&ranking),
                self.sheets_table(campaign).await?,
                streets_table(&ranking),
                corrections_table(&ranking),
            ],
        };
        let audit = NewAuditEntry::new(
            actor,
            AuditAction::ResultsExport,
            format!("campaign:{}", campaign.slug),
        )
        .after(json!({
            "kind": kind.as_str(),
            "format": format,
            "state": ranking.state,
            "version": ranking.version,
            "rows": tables.iter().map(|t| t.rows.len()).sum::<usize>(),
        }));
        self.audit.append_audit(&audit, Millis::now()).await?;
        Ok(tables)
    }
}
