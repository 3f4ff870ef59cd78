//! What the voting pages show: the home page, the nominee list and a
//! nominee's profile, with what the signed-in voter has done today.

use alleyvote_domain::nominee::SearchProblem;
use alleyvote_domain::{Campaign, Millis, Nominee, NomineeSummary, Phase, Street};
use serde::{Deserialize, Serialize};

/// The campaign as of the moment the server answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignView {
    pub campaign: Campaign,
    pub phase: Phase,
    pub now: Millis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeData {
    /// `None` before any campaign is set up.
    pub campaign: Option<CampaignView>,
    pub nominee_count: usize,
    pub street_count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NomineesData {
    pub campaign: Option<CampaignView>,
    pub streets: Vec<Street>,
    pub nominees: Vec<NomineeSummary>,
    pub problem: Option<SearchProblem>,
    /// The signed-in voter's day, if a voter is signed in.
    pub me: Option<VoterToday>,
    /// Fresh for each page: with the nominee's number it keys each vote form,
    /// so a double tap replays the first answer instead of voting twice.
    pub form_key: String,
}

/// What a signed-in voter has done today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoterToday {
    pub remaining: u32,
    /// One entry per vote cast today.
    pub voted: Vec<alleyvote_domain::NomineeNumber>,
}

impl VoterToday {
    /// The votes given to `nominee` today.
    pub fn votes_for(&self, nominee: alleyvote_domain::NomineeNumber) -> u32 {
        self.voted.iter().filter(|n| **n == nominee).count() as u32
    }

    /// Whether one more vote for `nominee` would count today: votes are
    /// left, and the nominee's share of the day is not used up. A page
    /// offers the button only then, so nobody taps for a refusal.
    pub fn may_vote_for(
        &self,
        rules: &alleyvote_domain::VoteRules,
        nominee: alleyvote_domain::NomineeNumber,
    ) -> bool {
        self.remaining > 0 && self.votes_for(nominee) < u32::from(rules.per_nominee_per_day())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileData {
    pub campaign: CampaignView,
    pub nominee: Nominee,
    /// Residents (and committees) who put the nominee forward, when the
    /// nominee came from a nomination.
    pub nominators: Option<u32>,
    /// As in `NomineesData`.
    pub form_key: String,
    /// The signed-in voter's day, if a voter is signed in.
    pub me: Option<VoterToday>,
}

#[cfg(test)]
mod tests {
    use alleyvote_domain::{NomineeNumber, VoteRules};

    use super::VoterToday;

    fn n(k: u32) -> NomineeNumber {
        NomineeNumber::new(k).unwrap()
    }

    #[test]
    fn a_vote_is_offered_only_while_it_would_count() {
        let once = VoteRules::new(10, 1).unwrap();
        let twice = VoteRules::new(10, 2).unwrap();
        let me = VoterToday {
            remaining: 8,
            voted: vec![n(3), n(5)],
        };
        assert_eq!(me.votes_for(n(3)), 1);
        assert!(!me.may_vote_for(&once, n(3)), "one vote a nominee a day");
        assert!(me.may_vote_for(&twice, n(3)));
        assert!(me.may_vote_for(&once, n(4)));
        let spent = VoterToday {
            remaining: 0,
            voted: vec![n(3)],
        };
        assert!(!spent.may_vote_for(&twice, n(4)), "no votes left today");
    }
}
