//! The screen's controls: a mode, and in a reveal how many winners' places
//! are shown (counted from the last winner up: 10th first, 1st last).

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::publication::ResultsStage;

/// Whether every screen must keep to what the public sees: voting is open
/// and the public sees no counts. A reveal would give the running order
/// away, so none may start or go on.
pub fn counts_secret(voting_open: bool, stage: ResultsStage) -> bool {
    voting_open && !stage.shows_counts()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ScreenMode {
    /// The title and a QR code to vote.
    Waiting,
    /// The ranking as votes arrive.
    Live,
    /// "Counting…": no numbers.
    Hidden,
    /// The ranking as it was when frozen.
    Frozen,
    /// The winners one by one, the last winner first.
    Reveal,
}

impl ScreenMode {
    pub const ALL: [ScreenMode; 5] = [
        ScreenMode::Waiting,
        ScreenMode::Live,
        ScreenMode::Hidden,
        ScreenMode::Frozen,
        ScreenMode::Reveal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ScreenMode::Waiting => "waiting",
            ScreenMode::Live => "live",
            ScreenMode::Hidden => "hidden",
            ScreenMode::Frozen => "frozen",
            ScreenMode::Reveal => "reveal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s.trim())
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ScreenMode::Waiting => {
                lang.pick("等待开始（标题与二维码）", "Waiting (title and QR code)")
            }
            ScreenMode::Live => lang.pick("实时排名", "Live ranking"),
            ScreenMode::Hidden => lang.pick("隐藏（计票中）", "Hidden (counting…)"),
            ScreenMode::Frozen => lang.pick("定格", "Frozen"),
            ScreenMode::Reveal => lang.pick("逐个揭晓", "Staged reveal"),
        }
    }
}

/// Which screen a control is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The wall in the hall (and anyone's `/screen`).
    Public,
    /// The operator's private preview, with the real data.
    Rehearsal,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Public => "public",
            Channel::Rehearsal => "rehearsal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Channel::Public, Channel::Rehearsal]
            .into_iter()
            .find(|c| c.as_str() == s.trim())
    }
}

/// One screen's control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ScreenControl {
    pub mode: ScreenMode,
    /// In a reveal: how many winners are shown, from the last one up.
    pub revealed: u16,
}

impl Default for ScreenControl {
    fn default() -> Self {
        ScreenControl {
            mode: ScreenMode::Waiting,
            revealed: 0,
        }
    }
}

/// An operator's press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenCommand {
    /// Switch to a mode; a reveal starts with nothing shown. Refused while
    /// a reveal is under way: it would end the show mid-way.
    Show(ScreenMode),
    /// Switch to a mode after the operator confirmed ending a reveal.
    Confirmed(ScreenMode),
    /// Reveal the next place up.
    Next,
    /// Take the last revealed place back (a press too many).
    Back,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScreenRefusal {
    /// Next or back outside a reveal.
    NotRevealing,
    /// Every winner is shown already.
    AllRevealed,
    NothingRevealed,
    /// Voting is open and the results are hidden.
    HiddenWhileVoting,
    /// A reveal is under way: leaving it needs a confirmation.
    RevealUnderway,
    /// A reveal on the wall runs only on the frozen (or published) count.
    NotFrozen,
    /// Nominees are tied at the winners' line: the lot comes first.
    LotPending,
}

impl ScreenRefusal {
    pub const ALL: [ScreenRefusal; 7] = [
        ScreenRefusal::NotRevealing,
        ScreenRefusal::AllRevealed,
        ScreenRefusal::NothingRevealed,
        ScreenRefusal::HiddenWhileVoting,
        ScreenRefusal::RevealUnderway,
        ScreenRefusal::NotFrozen,
        ScreenRefusal::LotPending,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ScreenRefusal::NotRevealing => "not_revealing",
            ScreenRefusal::AllRevealed => "all_revealed",
            ScreenRefusal::NothingRevealed => "nothing_revealed",
            ScreenRefusal::HiddenWhileVoting => "hidden_while_voting",
            ScreenRefusal::RevealUnderway => "reveal_underway",
            ScreenRefusal::NotFrozen => "not_frozen",
            ScreenRefusal::LotPending => "lot_pending",
        }
    }

    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            ScreenRefusal::NotRevealing => lang.pick(
                "请先切换到“逐个揭晓”。",
                "Switch to the staged reveal first.",
            ),
            ScreenRefusal::AllRevealed => {
                lang.pick("全部获奖者已揭晓。", "Every winner is revealed.")
            }
            ScreenRefusal::NothingRevealed => {
                lang.pick("还没有揭晓任何名次。", "Nothing is revealed yet.")
            }
            ScreenRefusal::HiddenWhileVoting => lang.pick(
                "投票仍在进行且结果不公开，不能揭晓名次。",
                "Voting is still open and the results are hidden: nothing may be revealed.",
            ),
            ScreenRefusal::RevealUnderway => lang.pick(
                "正在逐个揭晓：切换会中断揭晓。确定要切换吗？",
                "A reveal is under way: switching ends it. Switch anyway?",
            ),
            ScreenRefusal::NotFrozen => lang.pick(
                "大屏只能按已冻结的计票结果逐个揭晓：请先在“评选设置”中冻结结果（或发布公示）。",
                "The wall reveals only a frozen count: freeze the results in the campaign settings (or publish the notice) first.",
            ),
            ScreenRefusal::LotPending => lang.pick(
                "当选名额线上有并列，须先现场抽签决定名次，才能揭晓。",
                "Nominees are tied at the winners' line: draw the lot before the reveal.",
            ),
        }
    }
}

/// What a press is decided against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PressContext {
    /// The winners of the ranking the reveal steps through.
    pub winners: u16,
    /// See [`counts_secret`].
    pub secret: bool,
    /// The ranking a reveal would start on is a stored one (frozen,
    /// published) rather than the running count.
    pub ranking_frozen: bool,
    /// That ranking has nominees tied at the winners' line.
    pub lot_pending: bool,
}

impl ScreenControl {
    /// Whether a reveal is part-way: some places shown, not all.
    pub fn revealing(self, winners: u16) -> bool {
        self.mode == ScreenMode::Reveal && self.revealed > 0 && self.revealed < winners
    }

    /// The control after a press.
    pub fn apply(self, command: ScreenCommand, at: PressContext) -> Result<Self, ScreenRefusal> {
        let winners = at.winners;
        match command {
            ScreenCommand::Show(ScreenMode::Reveal)
            | ScreenCommand::Confirmed(ScreenMode::Reveal)
            | ScreenCommand::Next
                if at.secret =>
            {
                Err(ScreenRefusal::HiddenWhileVoting)
            }
            ScreenCommand::Show(_) if self.revealing(winners) => Err(ScreenRefusal::RevealUnderway),
            ScreenCommand::Show(ScreenMode::Reveal)
            | ScreenCommand::Confirmed(ScreenMode::Reveal)
                if !at.ranking_frozen =>
            {
                Err(ScreenRefusal::NotFrozen)
            }
            ScreenCommand::Show(ScreenMode::Reveal)
            | ScreenCommand::Confirmed(ScreenMode::Reveal)
                if at.lot_pending =>
            {
                Err(ScreenRefusal::LotPending)
            }
            ScreenCommand::Show(mode) | ScreenCommand::Confirmed(mode) => {
                Ok(ScreenControl { mode, revealed: 0 })
            }
            ScreenCommand::Next | ScreenCommand::Back if self.mode != ScreenMode::Reveal => {
                Err(ScreenRefusal::NotRevealing)
            }
            ScreenCommand::Next if self.revealed >= winners => Err(ScreenRefusal::AllRevealed),
            ScreenCommand::Next => Ok(ScreenControl {
                revealed: self.revealed + 1,
                ..self
            }),
            ScreenCommand::Back if self.revealed == 0 => Err(ScreenRefusal::NothingRevealed),
            ScreenCommand::Back => Ok(ScreenControl {
                revealed: self.revealed - 1,
                ..self
            }),
        }
    }

    /// What a screen under this control shows now: a reveal begun before
    /// the counts became secret shows as hidden while they are.
    pub fn shown(self, secret: bool) -> Self {
        match self.mode {
            ScreenMode::Reveal if secret => ScreenControl {
                mode: ScreenMode::Hidden,
                revealed: 0,
            },
            _ => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frozen ranking with `winners` winners, no lot, counts public.
    fn at(winners: u16) -> PressContext {
        PressContext {
            winners,
            secret: false,
            ranking_frozen: true,
            lot_pending: false,
        }
    }

    fn secret(winners: u16) -> PressContext {
        PressContext {
            secret: true,
            ..at(winners)
        }
    }

    #[test]
    fn a_reveal_under_way_is_left_only_with_a_confirmation() {
        let start = ScreenCommand::Show(ScreenMode::Reveal);
        let mut c = ScreenControl::default().apply(start, at(10)).unwrap();
        for _ in 0..3 {
            c = c.apply(ScreenCommand::Next, at(10)).unwrap();
        }
        // Pressing 逐个揭晓 again, or 实时排名, would spoil the show.
        for mode in ScreenMode::ALL {
            assert_eq!(
                c.apply(ScreenCommand::Show(mode), at(10)),
                Err(ScreenRefusal::RevealUnderway),
                "{mode:?}"
            );
        }
        // Next and back stay live.
        assert_eq!(c.apply(ScreenCommand::Back, at(10)).unwrap().revealed, 2);
        let live = c
            .apply(ScreenCommand::Confirmed(ScreenMode::Live), at(10))
            .unwrap();
        assert_eq!(live.mode, ScreenMode::Live);
        // Before the first place and after the last, switching is free.
        let fresh = ScreenControl::default().apply(start, at(10)).unwrap();
        assert!(fresh
            .apply(ScreenCommand::Show(ScreenMode::Hidden), at(10))
            .is_ok());
        let mut all = fresh;
        for _ in 0..10 {
            all = all.apply(ScreenCommand::Next, at(10)).unwrap();
        }
        assert!(all
            .apply(ScreenCommand::Show(ScreenMode::Waiting), at(10))
            .is_ok());
    }

    #[test]
    fn a_reveal_runs_only_on_a_frozen_count_with_no_lot_pending() {
        let start = ScreenCommand::Show(ScreenMode::Reveal);
        let running = PressContext {
            ranking_frozen: false,
            ..at(10)
        };
        assert_eq!(
            ScreenControl::default().apply(start, running),
            Err(ScreenRefusal::NotFrozen)
        );
        let tied = PressContext {
            lot_pending: true,
            ..at(10)
        };
        assert_eq!(
            ScreenControl::default().apply(start, tied),
            Err(ScreenRefusal::LotPending)
        );
        assert_eq!(
            ScreenControl::default().apply(ScreenCommand::Confirmed(ScreenMode::Reveal), tied),
            Err(ScreenRefusal::LotPending)
        );
        // The other modes do not need a frozen count.
        assert!(ScreenControl::default()
            .apply(ScreenCommand::Show(ScreenMode::Live), running)
            .is_ok());
    }

    #[test]
    fn a_reveal_goes_up_one_press_at_a_time_and_stops_at_the_first() {
        let mut c = ScreenControl::default()
            .apply(ScreenCommand::Show(ScreenMode::Reveal), at(3))
            .unwrap();
        assert_eq!(c.revealed, 0);
        assert_eq!(
            c.apply(ScreenCommand::Back, at(3)),
            Err(ScreenRefusal::NothingRevealed)
        );
        for n in 1..=3 {
            c = c.apply(ScreenCommand::Next, at(3)).unwrap();
            assert_eq!(c.revealed, n);
        }
        assert_eq!(
            c.apply(ScreenCommand::Next, at(3)),
            Err(ScreenRefusal::AllRevealed)
        );
        c = c.apply(ScreenCommand::Back, at(3)).unwrap();
        assert_eq!(c.revealed, 2);
        let hidden = c
            .apply(ScreenCommand::Confirmed(ScreenMode::Hidden), at(3))
            .unwrap();
        assert_eq!((hidden.mode, hidden.revealed), (ScreenMode::Hidden, 0));
        assert_eq!(
            hidden.apply(ScreenCommand::Next, at(3)),
            Err(ScreenRefusal::NotRevealing)
        );
    }

    #[test]
    fn nothing_is_revealed_while_voting_is_open_and_hidden() {
        assert!(counts_secret(true, ResultsStage::Hidden));
        assert!(counts_secret(true, ResultsStage::Closed));
        assert!(!counts_secret(true, ResultsStage::Live));
        assert!(!counts_secret(false, ResultsStage::Closed));
        let start = ScreenCommand::Show(ScreenMode::Reveal);
        assert_eq!(
            ScreenControl::default().apply(start, secret(10)),
            Err(ScreenRefusal::HiddenWhileVoting)
        );
        let revealing = ScreenControl::default().apply(start, at(10)).unwrap();
        assert_eq!(
            revealing.apply(ScreenCommand::Next, secret(10)),
            Err(ScreenRefusal::HiddenWhileVoting)
        );
        // Hiding and stepping back stay possible.
        let hidden = revealing
            .apply(ScreenCommand::Show(ScreenMode::Hidden), secret(10))
            .unwrap();
        assert_eq!(hidden.mode, ScreenMode::Hidden);
        let one = revealing.apply(ScreenCommand::Next, at(10)).unwrap();
        assert_eq!(one.shown(true).mode, ScreenMode::Hidden);
        assert_eq!(one.shown(false), one);
        assert!(ScreenRefusal::ALL
            .iter()
            .any(|r| r.code() == "hidden_while_voting"));
    }

    #[test]
    fn modes_and_channels_round_trip_through_text() {
        for m in ScreenMode::ALL {
            assert_eq!(ScreenMode::parse(m.as_str()), Some(m));
        }
        for c in [Channel::Public, Channel::Rehearsal] {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        assert_eq!(ScreenMode::parse("party"), None);
    }
}
