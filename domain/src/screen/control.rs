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
    /// Switch to a mode; a reveal starts with nothing shown.
    Show(ScreenMode),
    /// Reveal the next place up.
    Next,
    /// Take the last revealed place back (a press too many).
    Back,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenRefusal {
    /// Next or back outside a reveal.
    NotRevealing,
    /// Every winner is shown already.
    AllRevealed,
    NothingRevealed,
    /// Voting is open and the results are hidden.
    HiddenWhileVoting,
}

impl ScreenRefusal {
    pub const ALL: [ScreenRefusal; 4] = [
        ScreenRefusal::NotRevealing,
        ScreenRefusal::AllRevealed,
        ScreenRefusal::NothingRevealed,
        ScreenRefusal::HiddenWhileVoting,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ScreenRefusal::NotRevealing => "not_revealing",
            ScreenRefusal::AllRevealed => "all_revealed",
            ScreenRefusal::NothingRevealed => "nothing_revealed",
            ScreenRefusal::HiddenWhileVoting => "hidden_while_voting",
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
        }
    }
}

impl ScreenControl {
    /// The control after a press, for a campaign with `winners` winners;
    /// `secret`: see [`counts_secret`].
    pub fn apply(
        self,
        command: ScreenCommand,
        winners: u16,
        secret: bool,
    ) -> Result<Self, ScreenRefusal> {
        match command {
            ScreenCommand::Show(ScreenMode::Reveal) | ScreenCommand::Next if secret => {
                Err(ScreenRefusal::HiddenWhileVoting)
            }
            ScreenCommand::Show(mode) => Ok(ScreenControl { mode, revealed: 0 }),
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

    #[test]
    fn a_reveal_goes_up_one_press_at_a_time_and_stops_at_the_first() {
        let mut c = ScreenControl::default()
            .apply(ScreenCommand::Show(ScreenMode::Reveal), 3, false)
            .unwrap();
        assert_eq!(c.revealed, 0);
        assert_eq!(
            c.apply(ScreenCommand::Back, 3, false),
            Err(ScreenRefusal::NothingRevealed)
        );
        for n in 1..=3 {
            c = c.apply(ScreenCommand::Next, 3, false).unwrap();
            assert_eq!(c.revealed, n);
        }
        assert_eq!(
            c.apply(ScreenCommand::Next, 3, false),
            Err(ScreenRefusal::AllRevealed)
        );
        c = c.apply(ScreenCommand::Back, 3, false).unwrap();
        assert_eq!(c.revealed, 2);
        let hidden = c
            .apply(ScreenCommand::Show(ScreenMode::Hidden), 3, false)
            .unwrap();
        assert_eq!((hidden.mode, hidden.revealed), (ScreenMode::Hidden, 0));
        assert_eq!(
            hidden.apply(ScreenCommand::Next, 3, false),
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
            ScreenControl::default().apply(start, 10, true),
            Err(ScreenRefusal::HiddenWhileVoting)
        );
        let revealing = ScreenControl::default().apply(start, 10, false).unwrap();
        assert_eq!(
            revealing.apply(ScreenCommand::Next, 10, true),
            Err(ScreenRefusal::HiddenWhileVoting)
        );
        // Hiding and stepping back stay possible.
        let hidden = revealing
            .apply(ScreenCommand::Show(ScreenMode::Hidden), 10, true)
            .unwrap();
        assert_eq!(hidden.mode, ScreenMode::Hidden);
        let one = revealing.apply(ScreenCommand::Next, 10, false).unwrap();
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
