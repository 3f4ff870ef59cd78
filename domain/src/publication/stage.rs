//! The publication stages after voting and the steps between them, each
//! refused with a reason an organizer can act on.

use serde::{Deserialize, Serialize};

use crate::campaign::ResultsVisibility;
use crate::clock::Millis;
use crate::lang::Lang;
use crate::results::StationsReported;

/// A stage after voting, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The count is closed: a preliminary ranking for organizers only.
    Closed,
    /// Published for public notice (公示), with its dates.
    Notice,
    Final,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Closed => "closed",
            Stage::Notice => "notice",
            Stage::Final => "final",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        [Stage::Closed, Stage::Notice, Stage::Final]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// A campaign's publication after voting.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Publication {
    pub stage: Stage,
    pub closed_at: Millis,
    /// When the notice was published and when it ends (set from the notice on).
    pub notice_start: Option<Millis>,
    pub notice_end: Option<Millis>,
    pub final_at: Option<Millis>,
    /// The published ranking's revision: 1 as first published, one more per
    /// published correction.
    pub revision: u32,
    /// Why the notice was published before every polling station had
    /// reported, as the administrator wrote it (shown on the notice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreported_reason: Option<String>,
}

/// The shortest and longest reason for publishing without every station.
pub const UNREPORTED_REASON_CHARS: std::ops::RangeInclusive<usize> = 4..=500;

/// An administrator's written reason for publishing the notice while
/// polling stations have not reported ("第五投票点的计票单被雨水浸湿，正在重新清点").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnreportedReason(String);

impl UnreportedReason {
    /// The reason as typed: `None` when left empty, refused when too short
    /// or too long to tell residents anything.
    pub fn parse(text: &str) -> Result<Option<Self>, PublicationRefusal> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if !UNREPORTED_REASON_CHARS.contains(&text.chars().count()) {
            return Err(PublicationRefusal::UnreportedReasonLength);
        }
        Ok(Some(UnreportedReason(text.to_string())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a results snapshot says it is: during voting the visibility the
/// organizers chose, afterwards the publication stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ResultsStage {
    Live,
    Hidden,
    Frozen,
    /// Counting is over; the preliminary ranking is for organizers only.
    Closed,
    /// Published for public notice; objections may be filed.
    Notice,
    Final,
}

impl ResultsStage {
    pub fn of(visibility: ResultsVisibility, publication: Option<&Publication>) -> Self {
        match (publication.map(|p| p.stage), visibility) {
            (Some(Stage::Closed), _) => ResultsStage::Closed,
            (Some(Stage::Notice), _) => ResultsStage::Notice,
            (Some(Stage::Final), _) => ResultsStage::Final,
            (None, ResultsVisibility::Live) => ResultsStage::Live,
            (None, ResultsVisibility::Hidden) => ResultsStage::Hidden,
            (None, ResultsVisibility::Frozen) => ResultsStage::Frozen,
        }
    }

    /// Whether the public sees counts and ranks.
    pub fn shows_counts(self) -> bool {
        !matches!(self, ResultsStage::Hidden | ResultsStage::Closed)
    }

    /// Whether the counts shown are a stored copy (a freeze, or the tally
    /// the notice published) rather than the running tally.
    pub fn shows_stored_tally(self) -> bool {
        matches!(
            self,
            ResultsStage::Frozen | ResultsStage::Notice | ResultsStage::Final
        )
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ResultsStage::Live => lang.pick("实时结果", "Live results"),
            ResultsStage::Hidden => {
                lang.pick("计票中，结果暂不公开", "Counting; results not public yet")
            }
            ResultsStage::Frozen => lang.pick("结果已冻结", "Results frozen"),
            ResultsStage::Closed => lang.pick(
                "投票已结束，结果审核中",
                "Voting closed; results under review",
            ),
            ResultsStage::Notice => lang.pick("结果公示中", "Results on public notice"),
            ResultsStage::Final => lang.pick("最终结果", "Final results"),
        }
    }
}

/// Said when a change is refused because the results are published: the
/// notice's ranking stands as published.
pub fn published_message(lang: Lang) -> &'static str {
    lang.pick(
        "结果已经公示，已公布的排名不能再更改（包括撤回、改名或改号候选人、重开或重录计票单、更换计票单照片、更改投票点所属评选）。如确需更正，请在“结果发布”页由一位管理员写明理由提出更正、另一位管理员确认后再修改。",
        "The results are published and the published ranking cannot change (withdrawing, renaming or renumbering a nominee, reopening or re-keying a sheet, replacing a sheet's photo, moving a station). To correct it, one administrator proposes a correction with a reason on the results page and another confirms it; then make the change.",
    )
}

/// A move between stages, asked for by an administrator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicationStep {
    /// Voting is over: close the count.
    Close,
    /// Publish the closed count for notice until `end`; with the reason
    /// why, although not every polling station has reported.
    OpenNotice {
        end: Millis,
        unreported: Option<UnreportedReason>,
    },
    /// The notice is over and every objection answered. (A published
    /// ranking is never withdrawn: it is corrected, see `correction.rs`.)
    Finalize,
}

/// What a step is decided on, read at the moment it is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepFacts {
    pub now: Millis,
    pub voting_end: Millis,
    pub stations: StationsReported,
    /// Nominees tied across the winners' line with no lot drawn.
    pub lot_pending: usize,
    pub objections_unanswered: u32,
    /// A correction is proposed or open: the ranking may still move.
    pub correction_underway: bool,
}

/// Why a step was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicationRefusal {
    VotingNotOver,
    /// Only from another stage (closing twice, finalizing before the notice…).
    WrongStage,
    StationsNotReported,
    /// The reason for publishing without every station is too short or long.
    UnreportedReasonLength,
    LotPending,
    NoticeEndTooEarly,
    NoticeNotOver,
    ObjectionsUnanswered,
    CorrectionUnderway,
}

impl PublicationRefusal {
    pub const ALL: [PublicationRefusal; 9] = [
        PublicationRefusal::VotingNotOver,
        PublicationRefusal::WrongStage,
        PublicationRefusal::StationsNotReported,
        PublicationRefusal::UnreportedReasonLength,
        PublicationRefusal::LotPending,
        PublicationRefusal::NoticeEndTooEarly,
        PublicationRefusal::NoticeNotOver,
        PublicationRefusal::ObjectionsUnanswered,
        PublicationRefusal::CorrectionUnderway,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PublicationRefusal::VotingNotOver => "voting_not_over",
            PublicationRefusal::WrongStage => "wrong_stage",
            PublicationRefusal::StationsNotReported => "stations_not_reported",
            PublicationRefusal::UnreportedReasonLength => "unreported_reason_length",
            PublicationRefusal::LotPending => "lot_pending",
            PublicationRefusal::NoticeEndTooEarly => "notice_end_too_early",
            PublicationRefusal::NoticeNotOver => "notice_not_over",
            PublicationRefusal::ObjectionsUnanswered => "objections_unanswered",
            PublicationRefusal::CorrectionUnderway => "correction_underway",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            PublicationRefusal::VotingNotOver => lang.pick(
                "投票尚未结束，不能结束计票。",
                "Voting is not over yet; the count cannot be closed.",
            ),
            PublicationRefusal::WrongStage => lang.pick(
                "当前阶段不能进行此操作，请刷新页面查看最新状态。",
                "Not possible at this stage; reload to see where the results are.",
            ),
            PublicationRefusal::StationsNotReported => lang.pick(
                "还有投票点的计票单未确认。请等待全部投票点报告，或写明未报告的原因后发布（原因会显示在公示上）。",
                "Some polling stations have not reported. Wait for them, or write why they have not and publish (the reason is shown on the notice).",
            ),
            PublicationRefusal::UnreportedReasonLength => lang.pick(
                "未报告的原因须为 4 到 500 个字。",
                "The reason must be 4 to 500 characters.",
            ),
            PublicationRefusal::LotPending => lang.pick(
                "当选名额线上有并列，须先现场抽签。",
                "A tie straddles the winners' line: draw the lot first.",
            ),
            PublicationRefusal::NoticeEndTooEarly => {
                lang.pick("公示结束时间须晚于现在。", "The notice must end after now.")
            }
            PublicationRefusal::NoticeNotOver => {
                lang.pick("公示期尚未结束。", "The public notice has not ended yet.")
            }
            PublicationRefusal::ObjectionsUnanswered => lang.pick(
                "还有异议未答复，请先逐条答复。",
                "Some objections are not answered yet; answer each first.",
            ),
            PublicationRefusal::CorrectionUnderway => lang.pick(
                "有一项更正尚未完成，请先发布或撤销它。",
                "A correction is under way; publish or cancel it first.",
            ),
        }
    }
}

impl Publication {
    /// The publication after `step`, or why it cannot be taken now.
    pub fn after(
        current: Option<&Publication>,
        step: &PublicationStep,
        facts: StepFacts,
    ) -> Result<Publication, PublicationRefusal> {
        let stage = current.map(|p| p.stage);
        match step {
            PublicationStep::Close => {
                if stage.is_some() {
                    return Err(PublicationRefusal::WrongStage);
                }
                if facts.now < facts.voting_end {
                    return Err(PublicationRefusal::VotingNotOver);
                }
                Ok(Publication {
                    stage: Stage::Closed,
                    closed_at: facts.now,
                    notice_start: None,
                    notice_end: None,
                    final_at: None,
                    revision: 1,
                    unreported_reason: None,
                })
            }
            PublicationStep::OpenNotice { end, unreported } => {
                let Some(p) = current.filter(|p| p.stage == Stage::Closed) else {
                    return Err(PublicationRefusal::WrongStage);
                };
                // A reason is kept only when some station is missing: the
                // notice never explains an absence that is not there.
                let missing = facts.stations.reported < facts.stations.total;
                let unreported_reason = match (missing, unreported) {
                    (false, _) => None,
                    (true, Some(reason)) => Some(reason.as_str().to_string()),
                    (true, None) => return Err(PublicationRefusal::StationsNotReported),
                };
                if facts.lot_pending > 0 {
                    return Err(PublicationRefusal::LotPending);
                }
                if *end <= facts.now {
                    return Err(PublicationRefusal::NoticeEndTooEarly);
                }
                Ok(Publication {
                    stage: Stage::Notice,
                    notice_start: Some(facts.now),
                    notice_end: Some(*end),
                    unreported_reason,
                    ..p.clone()
                })
            }
            PublicationStep::Finalize => {
                let Some(p) = current.filter(|p| p.stage == Stage::Notice) else {
                    return Err(PublicationRefusal::WrongStage);
                };
                if p.notice_end.is_some_and(|end| facts.now < end) {
                    return Err(PublicationRefusal::NoticeNotOver);
                }
                if facts.objections_unanswered > 0 {
                    return Err(PublicationRefusal::ObjectionsUnanswered);
                }
                if facts.correction_underway {
                    return Err(PublicationRefusal::CorrectionUnderway);
                }
                Ok(Publication {
                    stage: Stage::Final,
                    final_at: Some(facts.now),
                    ..p.clone()
                })
            }
        }
    }

    /// Whether residents may file objections now.
    pub fn takes_objections(&self, now: Millis) -> bool {
        self.stage == Stage::Notice
            && self.notice_start.is_some_and(|s| s <= now)
            && self.notice_end.is_some_and(|e| now < e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const END: Millis = Millis(1_000);

    fn facts(now: i64) -> StepFacts {
        StepFacts {
            now: Millis(now),
            voting_end: END,
            stations: StationsReported {
                reported: 45,
                total: 45,
            },
            lot_pending: 0,
            objections_unanswered: 0,
            correction_underway: false,
        }
    }

    fn walk(steps: &[(PublicationStep, StepFacts)]) -> Result<Publication, PublicationRefusal> {
        let mut p: Option<Publication> = None;
        for (step, f) in steps {
            p = Some(Publication::after(p.as_ref(), step, *f)?);
        }
        p.ok_or(PublicationRefusal::WrongStage)
    }

    #[test]
    fn the_usual_path_closes_publishes_and_finalizes() {
        let p = walk(&[
            (PublicationStep::Close, facts(1_000)),
            (
                PublicationStep::OpenNotice {
                    end: Millis(5_000),
                    unreported: None,
                },
                facts(2_000),
            ),
            (PublicationStep::Finalize, facts(5_000)),
        ])
        .unwrap();
        assert_eq!(p.stage, Stage::Final);
        assert_eq!(
            (p.closed_at, p.notice_start, p.notice_end, p.final_at),
            (
                Millis(1_000),
                Some(Millis(2_000)),
                Some(Millis(5_000)),
                Some(Millis(5_000))
            )
        );
    }

    #[test]
    fn each_step_is_refused_with_its_reason() {
        let close = (PublicationStep::Close, facts(1_000));
        let notice = |end, f| {
            (
                PublicationStep::OpenNotice {
                    end: Millis(end),
                    unreported: None,
                },
                f,
            )
        };
        let cases: Vec<(Vec<(PublicationStep, StepFacts)>, PublicationRefusal)> = vec![
            (
                vec![(PublicationStep::Close, facts(999))],
                PublicationRefusal::VotingNotOver,
            ),
            (
                vec![close.clone(), close.clone()],
                PublicationRefusal::WrongStage,
            ),
            (
                vec![notice(9_000, facts(2_000))],
                PublicationRefusal::WrongStage,
            ),
            (
                vec![
                    close.clone(),
                    notice(
                        9_000,
                        StepFacts {
                            stations: StationsReported {
                                reported: 37,
                                total: 45,
                            },
                            ..facts(2_000)
                        },
                    ),
                ],
                PublicationRefusal::StationsNotReported,
            ),
            (
                vec![
                    close.clone(),
                    notice(
                        9_000,
                        StepFacts {
                            lot_pending: 2,
                            ..facts(2_000)
                        },
                    ),
                ],
                PublicationRefusal::LotPending,
            ),
            (
                vec![close.clone(), notice(2_000, facts(2_000))],
                PublicationRefusal::NoticeEndTooEarly,
            ),
            (
                vec![close.clone(), (PublicationStep::Finalize, facts(2_000))],
                PublicationRefusal::WrongStage,
            ),
            (
                vec![
                    close.clone(),
                    notice(9_000, facts(2_000)),
                    (PublicationStep::Finalize, facts(8_999)),
                ],
                PublicationRefusal::NoticeNotOver,
            ),
            (
                vec![
                    close.clone(),
                    notice(9_000, facts(2_000)),
                    (
                        PublicationStep::Finalize,
                        StepFacts {
                            objections_unanswered: 1,
                            ..facts(9_000)
                        },
                    ),
                ],
                PublicationRefusal::ObjectionsUnanswered,
            ),
            (
                vec![
                    close.clone(),
                    notice(9_000, facts(2_000)),
                    (
                        PublicationStep::Finalize,
                        StepFacts {
                            correction_underway: true,
                            ..facts(9_000)
                        },
                    ),
                ],
                PublicationRefusal::CorrectionUnderway,
            ),
        ];
        for (steps, refusal) in cases {
            assert_eq!(walk(&steps), Err(refusal), "{steps:?}");
        }
    }

    #[test]
    fn publishing_without_every_station_needs_a_written_reason() {
        let late = StepFacts {
            stations: StationsReported {
                reported: 44,
                total: 45,
            },
            ..facts(2_000)
        };
        let reason =
            UnreportedReason::parse("  第五投票点的计票单被雨水浸湿，正在重新清点 ").unwrap();
        let p = walk(&[
            (PublicationStep::Close, facts(1_000)),
            (
                PublicationStep::OpenNotice {
                    end: Millis(9_000),
                    unreported: reason,
                },
                late,
            ),
        ])
        .unwrap();
        assert_eq!(p.stage, Stage::Notice);
        assert_eq!(
            p.unreported_reason.as_deref(),
            Some("第五投票点的计票单被雨水浸湿，正在重新清点")
        );
        // With every station in, a reason typed anyway is not kept.
        let reason = UnreportedReason::parse("已全部报告，无需说明").unwrap();
        let p = walk(&[
            (PublicationStep::Close, facts(1_000)),
            (
                PublicationStep::OpenNotice {
                    end: Millis(9_000),
                    unreported: reason,
                },
                facts(2_000),
            ),
        ])
        .unwrap();
        assert_eq!(p.unreported_reason, None);
        assert_eq!(UnreportedReason::parse("   "), Ok(None));
        assert_eq!(
            UnreportedReason::parse("太短"),
            Err(PublicationRefusal::UnreportedReasonLength)
        );
        assert_eq!(
            UnreportedReason::parse(&"字".repeat(501)),
            Err(PublicationRefusal::UnreportedReasonLength)
        );
    }

    #[test]
    fn objections_are_taken_only_during_the_notice() {
        let p = walk(&[
            (PublicationStep::Close, facts(1_000)),
            (
                PublicationStep::OpenNotice {
                    end: Millis(9_000),
                    unreported: None,
                },
                facts(2_000),
            ),
        ])
        .unwrap();
        assert!(!p.takes_objections(Millis(1_999)));
        assert!(p.takes_objections(Millis(2_000)));
        assert!(p.takes_objections(Millis(8_999)));
        assert!(!p.takes_objections(Millis(9_000)));
    }

    #[test]
    fn the_stage_shown_follows_visibility_until_voting_is_closed() {
        assert_eq!(
            ResultsStage::of(ResultsVisibility::Live, None),
            ResultsStage::Live
        );
        assert_eq!(
            ResultsStage::of(ResultsVisibility::Hidden, None),
            ResultsStage::Hidden
        );
        let closed = walk(&[(PublicationStep::Close, facts(1_000))]).unwrap();
        assert_eq!(
            ResultsStage::of(ResultsVisibility::Live, Some(&closed)),
            ResultsStage::Closed
        );
        assert!(!ResultsStage::Closed.shows_counts());
        assert!(ResultsStage::Notice.shows_counts() && ResultsStage::Notice.shows_stored_tally());
        assert!(!ResultsStage::Live.shows_stored_tally());
        for s in [Stage::Closed, Stage::Notice, Stage::Final] {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
        for r in PublicationRefusal::ALL {
            assert_eq!(PublicationRefusal::parse(r.code()), Some(r));
        }
    }
}
