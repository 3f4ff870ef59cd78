//! The ranking: by score, then by a ladder of tie-breaks chosen before
//! voting — more paper votes, more online votes, reached the final count
//! earlier, and last a lot drawn in the console. The results say which rule
//! separated which nominees, and which ties at the winners' line still need
//! a lot.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::formula::{Channels, Formula, FormulaProblem, Spreads};
use crate::clock::Millis;
use crate::lang::Lang;
use crate::nominee::NomineeNumber;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TieBreak {
    MorePaper,
    MoreOnline,
    /// Reached their final count earlier.
    EarlierFinal,
    /// A lot drawn in the console by an administrator with a witness.
    Lot,
}

impl TieBreak {
    pub const ALL: [TieBreak; 4] = DEFAULT_LADDER;

    pub fn as_str(self) -> &'static str {
        match self {
            TieBreak::MorePaper => "more_paper",
            TieBreak::MoreOnline => "more_online",
            TieBreak::EarlierFinal => "earlier_final",
            TieBreak::Lot => "lot",
        }
    }

    pub fn parse(s: &str) -> Option<TieBreak> {
        Self::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            TieBreak::MorePaper => lang.pick("纸质选票较多", "more paper votes"),
            TieBreak::MoreOnline => lang.pick("网络投票较多", "more online votes"),
            TieBreak::EarlierFinal => {
                lang.pick("较早达到最终票数", "reached the final count earlier")
            }
            TieBreak::Lot => lang.pick("现场抽签", "a lot drawn"),
        }
    }

    /// Said of the nominee this rule placed below an equal score: the rule
    /// favoured the one above, so the tag names them, not this nominee.
    pub fn placed_below(self, lang: Lang) -> &'static str {
        match self {
            TieBreak::MorePaper => lang.pick(
                "同分，上一位纸质选票较多",
                "tied; the one above has more paper votes",
            ),
            TieBreak::MoreOnline => lang.pick(
                "同分，上一位网络投票较多",
                "tied; the one above has more online votes",
            ),
            TieBreak::EarlierFinal => lang.pick(
                "同分，上一位较早达到最终票数",
                "tied; the one above reached the count earlier",
            ),
            TieBreak::Lot => lang.pick("同分，现场抽签排在后", "tied; placed after by a lot"),
        }
    }

    /// How this rule orders two nominees (the better first); `Equal` when
    /// it cannot tell them apart.
    /// Each rule is a total order of its own (an unknown time or an
    /// undrawn lot comes last), so the ladder as a whole is one too.
    fn order(self, a: &Contender, b: &Contender) -> Ordering {
        fn known_first<T: Ord>(x: Option<T>, y: Option<T>) -> Ordering {
            (x.is_none(), x).cmp(&(y.is_none(), y))
        }
        match self {
            TieBreak::MorePaper => b.channels.paper.cmp(&a.channels.paper),
            TieBreak::MoreOnline => b.channels.online.cmp(&a.channels.online),
            TieBreak::EarlierFinal => known_first(a.reached_final_at, b.reached_final_at),
            TieBreak::Lot => known_first(a.lot, b.lot),
        }
    }
}

/// The usual ladder, in order.
pub const DEFAULT_LADDER: [TieBreak; 4] = [
    TieBreak::MorePaper,
    TieBreak::MoreOnline,
    TieBreak::EarlierFinal,
    TieBreak::Lot,
];

/// How a campaign ranks: its formula, how many win, and its ladder.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankRule {
    pub formula: Formula,
    pub winners: u16,
    pub ladder: Vec<TieBreak>,
}

/// Why a ranking rule cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleProblem {
    Formula(FormulaProblem),
    /// Between 1 and 100 winners.
    Winners,
}

/// The most winners a campaign may have.
pub const MAX_WINNERS: u16 = 100;

impl RankRule {
    /// A rule as an organizer chose it: the ladder keeps each rule once, in
    /// the order given, and always ends with the lot (the only rule that
    /// separates any tie).
    pub fn new(formula: Formula, winners: u16, ladder: &[TieBreak]) -> Result<Self, RuleProblem> {
        formula.check().map_err(RuleProblem::Formula)?;
        if !(1..=MAX_WINNERS).contains(&winners) {
            return Err(RuleProblem::Winners);
        }
        let mut kept: Vec<TieBreak> = Vec::with_capacity(4);
        for t in ladder.iter().copied().filter(|t| *t != TieBreak::Lot) {
            if !kept.contains(&t) {
                kept.push(t);
            }
        }
        kept.push(TieBreak::Lot);
        Ok(RankRule {
            formula,
            winners,
            ladder: kept,
        })
    }
}

impl Default for RankRule {
    fn default() -> Self {
        RankRule {
            formula: Formula::PlainSum,
            winners: 10,
            ladder: DEFAULT_LADDER.to_vec(),
        }
    }
}

/// A nominee in the running (withdrawn nominees are not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contender {
    pub number: NomineeNumber,
    pub channels: Channels,
    /// When the nominee's count last changed.
    pub reached_final_at: Option<Millis>,
    /// The nominee's place in a drawn lot (1 first), if one was drawn.
    pub lot: Option<u32>,
}

/// A nominee's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub number: NomineeNumber,
    /// Micro-points.
    pub score: u64,
    /// Competition ranking after the tie-breaks: nominees no rule could
    /// separate share a rank.
    pub rank: u32,
    /// The rule that put this nominee below the one before it, when their
    /// scores were equal.
    pub tie_break: Option<TieBreak>,
    pub winner: bool,
}

/// The ranking, and the nominees tied across the winners' line that only
/// a lot can separate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranking {
    pub placed: Vec<Placed>,
    pub lot_needed: Vec<NomineeNumber>,
}

/// Ranks the contenders: the same result whatever order they come in.
pub fn rank(rule: &RankRule, contenders: &[Contender]) -> Ranking {
    let channels: Vec<Channels> = contenders.iter().map(|c| c.channels).collect();
    let spreads = Spreads::of(&channels);
    let mut scored: Vec<(u64, &Contender)> = contenders
        .iter()
        .map(|c| (rule.formula.score(c.channels, &spreads), c))
        .collect();
    let decider = |a: &(u64, &Contender), b: &(u64, &Contender)| -> Option<TieBreak> {
        rule.ladder
            .iter()
            .copied()
            .find(|t| t.order(a.1, b.1) != Ordering::Equal)
    };
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| match decider(a, b) {
                Some(t) => t.order(a.1, b.1),
                None => Ordering::Equal,
            })
            // Only to list them: the number decides nothing.
            .then(a.1.number.cmp(&b.1.number))
    });
    let mut placed: Vec<Placed> = Vec::with_capacity(scored.len());
    for (i, entry) in scored.iter().enumerate() {
        let (rank, tie_break) = match i.checked_sub(1).map(|p| (&scored[p], &placed[p])) {
            Some((before, before_placed)) if before.0 == entry.0 => match decider(before, entry) {
                Some(t) => (i as u32 + 1, Some(t)),
                None => (before_placed.rank, None),
            },
            _ => (i as u32 + 1, None),
        };
        placed.push(Placed {
            number: entry.1.number,
            score: entry.0,
            rank,
            tie_break,
            winner: rank <= u32::from(rule.winners),
        });
    }
    // A tie that straddles the line: some of its places win, some do not.
    let line = u32::from(rule.winners);
    let mut lot_needed = Vec::new();
    for p in &placed {
        let group = placed.iter().filter(|q| q.rank == p.rank).count() as u32;
        if group > 1 && p.rank <= line && p.rank + group - 1 > line {
            lot_needed.push(p.number);
        }
    }
    Ranking { placed, lot_needed }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ranking::formula::{FormulaProblem, Scaling, Weights};

    fn n(k: u32) -> NomineeNumber {
        NomineeNumber::new(k).unwrap()
    }

    fn c(number: u32, online: u64, paper: u64) -> Contender {
        Contender {
            number: n(number),
            channels: Channels {
                online,
                paper,
                jury: None,
            },
            reached_final_at: None,
            lot: None,
        }
    }

    fn view(r: &Ranking) -> Vec<(u16, u32, Option<TieBreak>, bool)> {
        r.placed
            .iter()
            .map(|p| (p.number.get(), p.rank, p.tie_break, p.winner))
            .collect()
    }

    fn rule(winners: u16) -> RankRule {
        RankRule {
            winners,
            ..RankRule::default()
        }
    }

    #[test]
    fn ties_at_the_tenth_place_go_down_the_ladder() {
        use TieBreak::*;
        // Twelve nominees; 10th and 11th have 300 each.
        let mut all: Vec<Contender> = (1..=9)
            .map(|k| c(k, 1000 - u64::from(k) * 50, 100))
            .collect();
        all.push(c(10, 180, 120)); // 300: more paper
        all.push(c(11, 200, 100)); // 300
        all.push(c(12, 100, 50));
        let r = rank(&rule(10), &all);
        let tail: Vec<_> = view(&r).into_iter().skip(9).collect();
        assert_eq!(
            tail,
            vec![
                (10, 10, None, true),
                (11, 11, Some(MorePaper), false),
                (12, 12, None, false),
            ]
        );
        assert!(r.lot_needed.is_empty());
    }

    #[test]
    fn each_rung_of_the_ladder_in_turn() {
        use TieBreak::*;
        // Same score and paper: online decides nothing (same sum), so the
        // time decides; with the time equal too, the lot.
        let mut a = c(1, 200, 100);
        let mut b = c(2, 200, 100);
        a.reached_final_at = Some(Millis(2_000));
        b.reached_final_at = Some(Millis(1_000));
        let r = rank(&rule(1), &[a, b]);
        assert_eq!(
            view(&r),
            vec![(2, 1, None, true), (1, 2, Some(EarlierFinal), false)]
        );

        a.reached_final_at = b.reached_final_at;
        let r = rank(&rule(1), &[a, b]);
        assert_eq!(view(&r), vec![(1, 1, None, true), (2, 1, None, true)]);
        assert_eq!(
            r.lot_needed,
            vec![n(1), n(2)],
            "a tie across the line needs a lot"
        );

        a.lot = Some(2);
        b.lot = Some(1);
        let r = rank(&rule(1), &[a, b]);
        assert_eq!(view(&r), vec![(2, 1, None, true), (1, 2, Some(Lot), false)]);
        assert!(r.lot_needed.is_empty());
    }

    #[test]
    fn a_rule_keeps_each_rung_once_and_ends_with_the_lot() {
        use TieBreak::*;
        let r = RankRule::new(
            Formula::PlainSum,
            10,
            &[Lot, MoreOnline, MoreOnline, MorePaper],
        )
        .unwrap();
        assert_eq!(r.ladder, vec![MoreOnline, MorePaper, Lot]);
        assert_eq!(
            RankRule::new(Formula::PlainSum, 10, &[]).unwrap().ladder,
            vec![Lot]
        );
        assert_eq!(
            RankRule::new(Formula::PlainSum, 0, &[]),
            Err(RuleProblem::Winners)
        );
        assert_eq!(
            RankRule::new(Formula::PlainSum, 101, &[]),
            Err(RuleProblem::Winners)
        );
        let bad = Formula::Weighted {
            scaling: Scaling::ToTotal,
            weights: Weights {
                online: 60,
                paper: 60,
                jury: 0,
            },
        };
        assert_eq!(
            RankRule::new(bad, 10, &[]),
            Err(RuleProblem::Formula(FormulaProblem::WeightsNot100))
        );
    }

    #[test]
    fn a_tie_inside_the_winners_needs_no_lot() {
        let r = rank(&rule(3), &[c(1, 10, 0), c(2, 10, 0), c(3, 5, 0)]);
        // Same online and paper and no times: they share 1st, both win.
        assert_eq!(view(&r)[..2], [(1, 1, None, true), (2, 1, None, true)]);
        assert!(r.lot_needed.is_empty());
    }

    #[test]
    fn an_empty_channel_and_weighted_scores() {
        let weighted = RankRule {
            formula: Formula::Weighted {
                scaling: Scaling::ToMaximum,
                weights: Weights {
                    online: 50,
                    paper: 50,
                    jury: 0,
                },
            },
            ..rule(2)
        };
        // No paper at all: the paper half adds nothing to anyone.
        let r = rank(&weighted, &[c(1, 50, 0), c(2, 100, 0), c(3, 0, 0)]);
        assert_eq!(
            r.placed
                .iter()
                .map(|p| (p.number.get(), p.score))
                .collect::<Vec<_>>(),
            vec![(2, 50_000_000), (1, 25_000_000), (3, 0)]
        );
        let none = rank(&weighted, &[]);
        assert!(none.placed.is_empty() && none.lot_needed.is_empty());
    }

    /// A small deterministic generator, so the property runs the same everywhere.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, below: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % below
        }
    }

    #[test]
    fn the_ranking_does_not_depend_on_input_order() {
        let mut g = Lcg(7);
        for case in 0..300 {
            let count = 1 + g.next(25) as u32;
            let mut all: Vec<Contender> = (1..=count)
                .map(|k| {
                    let mut x = c(k, g.next(6), g.next(4));
                    x.reached_final_at = (g.next(3) > 0).then(|| Millis(g.next(4) as i64));
                    x.lot = (g.next(4) == 0).then_some(k);
                    x
                })
                .collect();
            let rl = rule(1 + g.next(12) as u16);
            let r = rank(&rl, &all);
            for _ in 0..5 {
                for i in (1..all.len()).rev() {
                    let j = g.next(i as u64 + 1) as usize;
                    all.swap(i, j);
                }
                let again = rank(&rl, &all);
                let mut a: Vec<_> = r
                    .placed
                    .iter()
                    .map(|p| (p.number, p.rank, p.score))
                    .collect();
                let mut b: Vec<_> = again
                    .placed
                    .iter()
                    .map(|p| (p.number, p.rank, p.score))
                    .collect();
                a.sort();
                b.sort();
                assert_eq!(a, b, "case {case}");
            }
            // Ranks never go down the list, and a decided step is named.
            for w in r.placed.windows(2) {
                assert!(
                    w[0].rank <= w[1].rank && w[0].score >= w[1].score,
                    "case {case}"
                );
                if w[0].score == w[1].score && w[0].rank < w[1].rank {
                    assert!(w[1].tie_break.is_some(), "case {case}");
                }
            }
        }
    }
}
