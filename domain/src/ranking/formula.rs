//! How a campaign turns its channels into one score, published before
//! voting: the plain sum of online and paper votes, or weighted channels
//! (each scaled to its own maximum or to its own total, times a weight),
//! optionally with a jury channel. Scores are whole micro-points so that
//! every instance and every recount computes exactly the same ranking.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// A channel's count as the formula reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Channels {
    pub online: u64,
    pub paper: u64,
    /// The jury's average score, in hundredths of a point (0..=10_000 for
    /// a 0–100 scale); `None` before any judge scored.
    pub jury: Option<u64>,
}

/// What a weighted channel is scaled to before its weight applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Scaling {
    /// The channel's largest count is 100 %.
    ToMaximum,
    /// The channel's total is 100 %.
    ToTotal,
}

/// The weights of the channels, in percent; together 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Weights {
    pub online: u8,
    pub paper: u8,
    pub jury: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Formula {
    /// Online votes + paper votes.
    PlainSum,
    Weighted {
        scaling: Scaling,
        weights: Weights,
    },
}

/// Why a formula cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormulaProblem {
    /// The weights do not add up to 100 %.
    WeightsNot100,
}

/// One point, in micro-points.
pub const POINT: u64 = 1_000_000;

/// The largest and total count of a channel over every nominee.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChannelSpread {
    pub max: u64,
    pub total: u64,
}

impl ChannelSpread {
    pub fn of(values: impl IntoIterator<Item = u64>) -> Self {
        values
            .into_iter()
            .fold(ChannelSpread::default(), |s, v| ChannelSpread {
                max: s.max.max(v),
                total: s.total + v,
            })
    }
}

/// Every channel's spread, for scaling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Spreads {
    pub online: ChannelSpread,
    pub paper: ChannelSpread,
    pub jury: ChannelSpread,
}

impl Spreads {
    pub fn of(all: &[Channels]) -> Self {
        Spreads {
            online: ChannelSpread::of(all.iter().map(|c| c.online)),
            paper: ChannelSpread::of(all.iter().map(|c| c.paper)),
            jury: ChannelSpread::of(all.iter().map(|c| c.jury.unwrap_or(0))),
        }
    }
}

impl Formula {
    pub fn check(&self) -> Result<(), FormulaProblem> {
        match self {
            Formula::PlainSum => Ok(()),
            Formula::Weighted { weights, .. } => {
                let sum =
                    u16::from(weights.online) + u16::from(weights.paper) + u16::from(weights.jury);
                if sum == 100 {
                    Ok(())
                } else {
                    Err(FormulaProblem::WeightsNot100)
                }
            }
        }
    }

    /// A nominee's score in micro-points. A channel nobody has a count in
    /// adds nothing (never a division by zero).
    pub fn score(&self, c: Channels, spreads: &Spreads) -> u64 {
        match self {
            Formula::PlainSum => (c.online + c.paper) * POINT,
            Formula::Weighted { scaling, weights } => {
                let part = |value: u64, spread: ChannelSpread, weight: u8| -> u64 {
                    let base = match scaling {
                        Scaling::ToMaximum => spread.max,
                        Scaling::ToTotal => spread.total,
                    };
                    if base == 0 {
                        return 0;
                    }
                    // weight % of 100 points, scaled: weight × value / base points.
                    let micro = u128::from(weight) * u128::from(value) * u128::from(POINT)
                        / u128::from(base);
                    u64::try_from(micro).unwrap_or(u64::MAX)
                };
                part(c.online, spreads.online, weights.online)
                    + part(c.paper, spreads.paper, weights.paper)
                    + part(c.jury.unwrap_or(0), spreads.jury, weights.jury)
            }
        }
    }

    /// The formula in plain words, as the results page publishes it.
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (Formula::PlainSum, Lang::Zh) => "得票 = 网络投票 + 纸质选票".into(),
            (Formula::PlainSum, Lang::En) => "Score = online votes + paper votes".into(),
            (Formula::Weighted { scaling, weights }, lang) => {
                let to = match (scaling, lang) {
                    (Scaling::ToMaximum, Lang::Zh) => "以该渠道最高票为满分",
                    (Scaling::ToTotal, Lang::Zh) => "以该渠道总票数为满分",
                    (Scaling::ToMaximum, Lang::En) => "scaled to the channel's highest count",
                    (Scaling::ToTotal, Lang::En) => "scaled to the channel's total",
                };
                let mut parts = Vec::new();
                for (w, zh, en) in [
                    (weights.online, "网络投票", "online"),
                    (weights.paper, "纸质选票", "paper"),
                    (weights.jury, "评委评分", "jury"),
                ] {
                    if w > 0 {
                        parts.push(match lang {
                            Lang::Zh => format!("{zh} {w}%"),
                            Lang::En => format!("{en} {w}%"),
                        });
                    }
                }
                match lang {
                    Lang::Zh => format!("综合得分 = {}（各渠道{to}）", parts.join(" + ")),
                    Lang::En => format!("Score = {} (each channel {to})", parts.join(" + ")),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(online: u64, paper: u64) -> Channels {
        Channels {
            online,
            paper,
            jury: None,
        }
    }

    #[test]
    fn weights_must_make_a_hundred() {
        let w = |online, paper, jury| Formula::Weighted {
            scaling: Scaling::ToMaximum,
            weights: Weights {
                online,
                paper,
                jury,
            },
        };
        assert_eq!(w(50, 50, 0).check(), Ok(()));
        assert_eq!(w(35, 35, 30).check(), Ok(()));
        assert_eq!(w(50, 40, 0).check(), Err(FormulaProblem::WeightsNot100));
        assert_eq!(Formula::PlainSum.check(), Ok(()));
    }

    #[test]
    fn scores_as_published() {
        let all = [ch(800, 100), ch(400, 200), ch(0, 0)];
        let spreads = Spreads::of(&all);
        let plain = Formula::PlainSum;
        assert_eq!(plain.score(all[0], &spreads), 900 * POINT);
        let half = Formula::Weighted {
            scaling: Scaling::ToMaximum,
            weights: Weights {
                online: 50,
                paper: 50,
                jury: 0,
            },
        };
        // 50 × 800/800 + 50 × 100/200 = 75 points; 50 × 400/800 + 50 = 75.
        assert_eq!(half.score(all[0], &spreads), 75 * POINT);
        assert_eq!(half.score(all[1], &spreads), 75 * POINT);
        let of_total = Formula::Weighted {
            scaling: Scaling::ToTotal,
            weights: Weights {
                online: 50,
                paper: 50,
                jury: 0,
            },
        };
        // 50 × 800/1200 + 50 × 100/300 = 33.333… + 16.666… points.
        assert_eq!(of_total.score(all[0], &spreads), 33_333_333 + 16_666_666);
        // An empty channel adds nothing and divides by nothing.
        let none = Spreads::of(&[ch(0, 0)]);
        assert_eq!(half.score(ch(0, 0), &none), 0);
    }

    #[test]
    fn a_jury_channel_counts_its_average() {
        let public_and_jury = Formula::Weighted {
            scaling: Scaling::ToMaximum,
            weights: Weights {
                online: 35,
                paper: 35,
                jury: 30,
            },
        };
        let all = [
            Channels {
                online: 100,
                paper: 100,
                jury: Some(9_000),
            },
            Channels {
                online: 100,
                paper: 100,
                jury: Some(4_500),
            },
        ];
        let spreads = Spreads::of(&all);
        assert_eq!(public_and_jury.score(all[0], &spreads), 100 * POINT);
        assert_eq!(public_and_jury.score(all[1], &spreads), 85 * POINT);
        assert!(public_and_jury.describe(Lang::Zh).contains("评委评分 30%"));
        assert!(Formula::PlainSum
            .describe(Lang::En)
            .contains("online votes + paper votes"));
    }
}
