//! A campaign: one year's selection, its phases and the rules of its vote.

use serde::{Deserialize, Serialize};

use crate::clock::Millis;
use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CampaignId(pub i64);

/// The stages of a selection, in the order they happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Upcoming,
    Nomination,
    Review,
    Voting,
    PublicNotice,
    Ceremony,
    Closed,
}

impl Phase {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Phase::Upcoming, Lang::Zh) => "即将开始",
            (Phase::Upcoming, Lang::En) => "Coming soon",
            (Phase::Nomination, Lang::Zh) => "提名中",
            (Phase::Nomination, Lang::En) => "Nominations open",
            (Phase::Review, Lang::Zh) => "资格审查中",
            (Phase::Review, Lang::En) => "Eligibility review",
            (Phase::Voting, Lang::Zh) => "投票进行中",
            (Phase::Voting, Lang::En) => "Voting open",
            (Phase::PublicNotice, Lang::Zh) => "结果公示中",
            (Phase::PublicNotice, Lang::En) => "Public notice",
            (Phase::Ceremony, Lang::Zh) => "颁奖典礼",
            (Phase::Ceremony, Lang::En) => "Award ceremony",
            (Phase::Closed, Lang::Zh) => "已结束",
            (Phase::Closed, Lang::En) => "Closed",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Upcoming => "upcoming",
            Phase::Nomination => "nomination",
            Phase::Review => "review",
            Phase::Voting => "voting",
            Phase::PublicNotice => "public_notice",
            Phase::Ceremony => "ceremony",
            Phase::Closed => "closed",
        }
    }
}

/// The dates of each phase. Each phase starts when it says and ends when the
/// next one starts; the ceremony day ends the campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phases {
    pub nomination_start: Millis,
    pub review_start: Millis,
    pub voting_start: Millis,
    pub voting_end: Millis,
    pub notice_end: Millis,
    pub ceremony_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("phase dates are out of order: {0}")]
pub struct PhaseOrderError(pub &'static str);

impl Phases {
    /// Accepts the dates only if every phase starts after the one before it.
    pub fn new(
        nomination_start: Millis,
        review_start: Millis,
        voting_start: Millis,
        voting_end: Millis,
        notice_end: Millis,
        ceremony_at: Millis,
    ) -> Result<Self, PhaseOrderError> {
        if review_start < nomination_start {
            return Err(PhaseOrderError("review before nomination"));
        }
        if voting_start < review_start {
            return Err(PhaseOrderError("voting before review"));
        }
        if voting_end <= voting_start {
            return Err(PhaseOrderError("voting ends before it starts"));
        }
        if notice_end < voting_end {
            return Err(PhaseOrderError("public notice ends before voting"));
        }
        if ceremony_at < notice_end {
            return Err(PhaseOrderError("ceremony before the notice ends"));
        }
        Ok(Phases {
            nomination_start,
            review_start,
            voting_start,
            voting_end,
            notice_end,
            ceremony_at,
        })
    }

    /// The phase at an instant. Voting is open on `[voting_start, voting_end)`.
    pub fn at(&self, now: Millis) -> Phase {
        const CEREMONY_LENGTH_MS: i64 = 24 * 60 * 60 * 1000;
        if now < self.nomination_start {
            Phase::Upcoming
        } else if now < self.review_start {
            Phase::Nomination
        } else if now < self.voting_start {
            Phase::Review
        } else if now < self.voting_end {
            Phase::Voting
        } else if now < self.ceremony_at {
            // Between the end of the notice and the ceremony the result stands published.
            Phase::PublicNotice
        } else if now < self.ceremony_at.plus_ms(CEREMONY_LENGTH_MS) {
            Phase::Ceremony
        } else {
            Phase::Closed
        }
    }
}

/// How many votes a voter may cast. Parsed once (also when deserialised);
/// the numbers inside are always at least one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawVoteRules")]
pub struct VoteRules {
    votes_per_day: u16,
    per_nominee_per_day: u16,
}

#[derive(Deserialize)]
struct RawVoteRules {
    votes_per_day: u16,
    per_nominee_per_day: u16,
}

impl TryFrom<RawVoteRules> for VoteRules {
    type Error = VoteRulesError;
    fn try_from(raw: RawVoteRules) -> Result<Self, VoteRulesError> {
        VoteRules::new(raw.votes_per_day, raw.per_nominee_per_day)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VoteRulesError {
    #[error("votes per day must be between 1 and 100")]
    VotesPerDay,
    #[error("votes per nominee per day must be between 1 and votes per day")]
    PerNominee,
}

impl VoteRules {
    pub fn new(votes_per_day: u16, per_nominee_per_day: u16) -> Result<Self, VoteRulesError> {
        if !(1..=100).contains(&votes_per_day) {
            return Err(VoteRulesError::VotesPerDay);
        }
        if per_nominee_per_day < 1 || per_nominee_per_day > votes_per_day {
            return Err(VoteRulesError::PerNominee);
        }
        Ok(VoteRules {
            votes_per_day,
            per_nominee_per_day,
        })
    }

    pub fn votes_per_day(&self) -> u16 {
        self.votes_per_day
    }

    pub fn per_nominee_per_day(&self) -> u16 {
        self.per_nominee_per_day
    }
}

/// What the public may see of the tally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ResultsVisibility {
    /// Counts update as votes arrive.
    Live,
    /// Nominees are listed, counts are not shown.
    Hidden,
    /// Counts as of the freeze instant, whatever came after.
    Frozen,
}

impl ResultsVisibility {
    pub fn as_str(self) -> &'static str {
        match self {
            ResultsVisibility::Live => "live",
            ResultsVisibility::Hidden => "hidden",
            ResultsVisibility::Frozen => "frozen",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "live" => Some(ResultsVisibility::Live),
            "hidden" => Some(ResultsVisibility::Hidden),
            "frozen" => Some(ResultsVisibility::Frozen),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    pub id: CampaignId,
    pub slug: String,
    pub title_zh: String,
    pub title_en: String,
    pub description_zh: String,
    pub description_en: String,
    /// The organisers' line (主办 / 承办): the wall's foot and the notice.
    #[serde(default)]
    pub hosts_zh: String,
    #[serde(default)]
    pub hosts_en: String,
    /// The organisers' telephone, given in every text and on the consent page.
    #[serde(default)]
    pub hotline: Option<crate::texts::Hotline>,
    pub phases: Phases,
    pub rules: VoteRules,
    pub results_visibility: ResultsVisibility,
    /// Set when visibility is `Frozen`: the tally shown is as of this instant.
    pub results_frozen_at: Option<Millis>,
}

impl Campaign {
    pub fn title(&self, lang: Lang) -> &str {
        lang.pick(&self.title_zh, &self.title_en)
    }

    pub fn description(&self, lang: Lang) -> &str {
        lang.pick(&self.description_zh, &self.description_en)
    }

    pub fn phase(&self, now: Millis) -> Phase {
        self.phases.at(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phases() -> Phases {
        let d = |n| Millis(0).plus_days(n);
        Phases::new(d(0), d(10), d(20), d(30), d(37), d(40)).unwrap()
    }

    #[test]
    fn phases_follow_the_calendar() {
        let p = phases();
        let d = |n| Millis(0).plus_days(n);
        assert_eq!(p.at(Millis(-1)), Phase::Upcoming);
        assert_eq!(p.at(d(0)), Phase::Nomination);
        assert_eq!(p.at(d(15)), Phase::Review);
        assert_eq!(p.at(d(20)), Phase::Voting);
        assert_eq!(p.at(d(30).plus_ms(-1)), Phase::Voting);
        assert_eq!(p.at(d(30)), Phase::PublicNotice);
        assert_eq!(p.at(d(40)), Phase::Ceremony);
        assert_eq!(p.at(d(41)), Phase::Closed);
    }

    #[test]
    fn phases_out_of_order_are_refused() {
        let d = |n| Millis(0).plus_days(n);
        assert!(Phases::new(d(10), d(0), d(20), d(30), d(37), d(40)).is_err());
        assert!(Phases::new(d(0), d(10), d(20), d(20), d(37), d(40)).is_err());
        assert!(Phases::new(d(0), d(10), d(20), d(30), d(29), d(40)).is_err());
        assert!(Phases::new(d(0), d(10), d(20), d(30), d(37), d(36)).is_err());
    }

    #[test]
    fn vote_rules_reject_impossible_quotas() {
        assert!(VoteRules::new(0, 1).is_err());
        assert!(VoteRules::new(10, 0).is_err());
        assert!(VoteRules::new(3, 4).is_err());
        assert!(VoteRules::new(101, 1).is_err());
        let r = VoteRules::new(10, 1).unwrap();
        assert_eq!((r.votes_per_day(), r.per_nominee_per_day()), (10, 1));
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<VoteRules>(&json).unwrap(), r);
        assert!(serde_json::from_str::<VoteRules>(
            r#"{"votes_per_day":0,"per_nominee_per_day":1}"#
        )
        .is_err());
    }

    #[test]
    fn visibility_round_trips_through_text() {
        for v in [
            ResultsVisibility::Live,
            ResultsVisibility::Hidden,
            ResultsVisibility::Frozen,
        ] {
            assert_eq!(ResultsVisibility::parse(v.as_str()), Some(v));
        }
        assert_eq!(ResultsVisibility::parse("open"), None);
    }
}
