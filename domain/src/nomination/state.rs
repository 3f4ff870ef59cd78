//! Where a nomination stands, and the decisions that move it.
//!
//! ```text
//! submitted ──eligible──▶ eligible ──approve (consent given)──▶ approved
//!     │  ▲                   │
//!     │  └─answer─ needs_info◀── ask (from submitted too)
//!     ├──────────────────────┴──▶ ineligible (a reason) · merged (into another)
//!     └── the nominee declines ──▶ declined_by_nominee
//! ```
//! Approved, ineligible, merged and declined are final. Consent is its own
//! question: asked by a text message link or recorded by a reviewer from
//! the committee's paper, and needed before approval.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NominationState {
    Submitted,
    NeedsInfo,
    Eligible,
    Ineligible,
    Merged,
    Approved,
    DeclinedByNominee,
}

impl NominationState {
    pub const ALL: [NominationState; 7] = [
        NominationState::Submitted,
        NominationState::NeedsInfo,
        NominationState::Eligible,
        NominationState::Ineligible,
        NominationState::Merged,
        NominationState::Approved,
        NominationState::DeclinedByNominee,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NominationState::Submitted => "submitted",
            NominationState::NeedsInfo => "needs_info",
            NominationState::Eligible => "eligible",
            NominationState::Ineligible => "ineligible",
            NominationState::Merged => "merged",
            NominationState::Approved => "approved",
            NominationState::DeclinedByNominee => "declined_by_nominee",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Still to be decided.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            NominationState::Submitted | NominationState::NeedsInfo | NominationState::Eligible
        )
    }

    /// What the nominator is told.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (NominationState::Submitted, Lang::Zh) => "已提交，等待审核",
            (NominationState::Submitted, Lang::En) => "Submitted, awaiting review",
            (NominationState::NeedsInfo, Lang::Zh) => "需要补充材料",
            (NominationState::NeedsInfo, Lang::En) => "More information needed",
            (NominationState::Eligible, Lang::Zh) => "资格审核通过",
            (NominationState::Eligible, Lang::En) => "Found eligible",
            (NominationState::Ineligible, Lang::Zh) => "未通过资格审核",
            (NominationState::Ineligible, Lang::En) => "Not eligible",
            (NominationState::Merged, Lang::Zh) => "已与同一人的其他推荐合并",
            (NominationState::Merged, Lang::En) => {
                "Merged with another nomination of the same person"
            }
            (NominationState::Approved, Lang::Zh) => "已成为候选人",
            (NominationState::Approved, Lang::En) => "Now a nominee",
            (NominationState::DeclinedByNominee, Lang::Zh) => "被推荐人婉拒了推荐",
            (NominationState::DeclinedByNominee, Lang::En) => "Declined by the nominee",
        }
    }
}

/// Whether the nominee agreed to be listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    /// Not asked yet, or asked and not answered.
    Pending,
    /// Agreed through the text message link.
    GivenByLink,
    /// Agreed on paper to the community committee; a reviewer recorded it.
    GivenOnPaper,
    Declined,
}

impl Consent {
    pub fn as_str(self) -> &'static str {
        match self {
            Consent::Pending => "pending",
            Consent::GivenByLink => "given_by_link",
            Consent::GivenOnPaper => "given_on_paper",
            Consent::Declined => "declined",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Consent::Pending,
            Consent::GivenByLink,
            Consent::GivenOnPaper,
            Consent::Declined,
        ]
        .into_iter()
        .find(|c| c.as_str() == text)
    }

    pub fn given(self) -> bool {
        matches!(self, Consent::GivenByLink | Consent::GivenOnPaper)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Consent::Pending, Lang::Zh) => "尚未确认",
            (Consent::Pending, Lang::En) => "Not yet confirmed",
            (Consent::GivenByLink, Lang::Zh) => "本人已通过短信确认",
            (Consent::GivenByLink, Lang::En) => "Confirmed by text message",
            (Consent::GivenOnPaper, Lang::Zh) => "居委会书面确认",
            (Consent::GivenOnPaper, Lang::En) => "Confirmed on paper via the committee",
            (Consent::Declined, Lang::Zh) => "本人婉拒",
            (Consent::Declined, Lang::En) => "Declined",
        }
    }
}

/// Why a nomination was found not eligible (a reviewer adds a sentence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IneligibleReason {
    /// Does not serve a community of this district.
    NotInDistrict,
    /// Not a community worker, building leader or volunteer.
    NotCommunityWorker,
    /// Serving too short a time.
    TooShortService,
    /// What was said could not be checked.
    CannotVerify,
    Other,
}

impl IneligibleReason {
    pub const ALL: [IneligibleReason; 5] = [
        IneligibleReason::NotInDistrict,
        IneligibleReason::NotCommunityWorker,
        IneligibleReason::TooShortService,
        IneligibleReason::CannotVerify,
        IneligibleReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IneligibleReason::NotInDistrict => "not_in_district",
            IneligibleReason::NotCommunityWorker => "not_community_worker",
            IneligibleReason::TooShortService => "too_short_service",
            IneligibleReason::CannotVerify => "cannot_verify",
            IneligibleReason::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (IneligibleReason::NotInDistrict, Lang::Zh) => "不在本区的居民区服务",
            (IneligibleReason::NotInDistrict, Lang::En) => {
                "Does not serve a community in this district"
            }
            (IneligibleReason::NotCommunityWorker, Lang::Zh) => "不属于社区工作者、楼组长或志愿者",
            (IneligibleReason::NotCommunityWorker, Lang::En) => {
                "Not a community worker, building leader or volunteer"
            }
            (IneligibleReason::TooShortService, Lang::Zh) => "服务年限不足",
            (IneligibleReason::TooShortService, Lang::En) => "Not serving long enough",
            (IneligibleReason::CannotVerify, Lang::Zh) => "推荐内容无法核实",
            (IneligibleReason::CannotVerify, Lang::En) => "What was said could not be verified",
            (IneligibleReason::Other, Lang::Zh) => "其他原因",
            (IneligibleReason::Other, Lang::En) => "Another reason",
        }
    }
}

/// A reviewer's decision on one nomination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Eligible,
    Ineligible,
    AskForInfo,
    /// Into another nomination, whose state is given.
    MergeInto(NominationState),
    Approve,
}

/// Why a decision cannot be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum DecisionRefusal {
    /// The nomination was decided already (approved, ineligible, merged or declined).
    #[error("decided")]
    Decided,
    /// Approval needs an eligible nomination.
    #[error("not_eligible_yet")]
    NotEligibleYet,
    /// Approval needs the nominee's consent.
    #[error("no_consent")]
    NoConsent,
    /// A merge needs a nomination still standing (open or approved), not itself.
    #[error("bad_target")]
    BadTarget,
}

impl DecisionRefusal {
    pub const ALL: [DecisionRefusal; 4] = [
        DecisionRefusal::Decided,
        DecisionRefusal::NotEligibleYet,
        DecisionRefusal::NoConsent,
        DecisionRefusal::BadTarget,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DecisionRefusal::Decided => "decided",
            DecisionRefusal::NotEligibleYet => "not_eligible_yet",
            DecisionRefusal::NoConsent => "no_consent",
            DecisionRefusal::BadTarget => "bad_target",
        }
    }

    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DecisionRefusal::Decided, Lang::Zh) => "这条推荐已经处理过了。",
            (DecisionRefusal::Decided, Lang::En) => "This nomination was decided already.",
            (DecisionRefusal::NotEligibleYet, Lang::Zh) => "请先确认资格，再列为候选人。",
            (DecisionRefusal::NotEligibleYet, Lang::En) => {
                "Find it eligible first, then approve it."
            }
            (DecisionRefusal::NoConsent, Lang::Zh) => "被推荐人尚未同意，不能列为候选人。",
            (DecisionRefusal::NoConsent, Lang::En) => "The nominee has not agreed yet.",
            (DecisionRefusal::BadTarget, Lang::Zh) => "只能合并到另一条仍有效的推荐。",
            (DecisionRefusal::BadTarget, Lang::En) => {
                "Merge only into another nomination still standing."
            }
        }
    }
}

/// The state a decision leads to, or why it cannot be taken.
pub fn decide(
    state: NominationState,
    consent: Consent,
    decision: Decision,
) -> Result<NominationState, DecisionRefusal> {
    use NominationState as S;
    if !state.is_open() {
        return Err(DecisionRefusal::Decided);
    }
    match decision {
        Decision::Eligible => Ok(S::Eligible),
        Decision::Ineligible => Ok(S::Ineligible),
        Decision::AskForInfo => Ok(S::NeedsInfo),
        Decision::MergeInto(target) if target.is_open() || target == S::Approved => Ok(S::Merged),
        Decision::MergeInto(_) => Err(DecisionRefusal::BadTarget),
        Decision::Approve if state != S::Eligible => Err(DecisionRefusal::NotEligibleYet),
        Decision::Approve if !consent.given() => Err(DecisionRefusal::NoConsent),
        Decision::Approve => Ok(S::Approved),
    }
}

/// The nominator answered a request for more information.
pub fn answered(state: NominationState) -> Option<NominationState> {
    (state == NominationState::NeedsInfo).then_some(NominationState::Submitted)
}

/// The nominee answered the consent question.
pub fn consent_answered(state: NominationState, agreed: bool) -> NominationState {
    if !agreed && state.is_open() {
        NominationState::DeclinedByNominee
    } else {
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NominationState as S;

    #[test]
    fn the_decisions_as_a_table() {
        let table: [(S, Consent, Decision, Result<S, DecisionRefusal>); 14] = [
            (
                S::Submitted,
                Consent::Pending,
                Decision::Eligible,
                Ok(S::Eligible),
            ),
            (
                S::Submitted,
                Consent::Pending,
                Decision::AskForInfo,
                Ok(S::NeedsInfo),
            ),
            (
                S::NeedsInfo,
                Consent::Pending,
                Decision::AskForInfo,
                Ok(S::NeedsInfo),
            ),
            (
                S::NeedsInfo,
                Consent::Pending,
                Decision::Ineligible,
                Ok(S::Ineligible),
            ),
            (
                S::Eligible,
                Consent::Pending,
                Decision::Ineligible,
                Ok(S::Ineligible),
            ),
            (
                S::Submitted,
                Consent::Pending,
                Decision::Approve,
                Err(DecisionRefusal::NotEligibleYet),
            ),
            (
                S::Eligible,
                Consent::Pending,
                Decision::Approve,
                Err(DecisionRefusal::NoConsent),
            ),
            (
                S::Eligible,
                Consent::Declined,
                Decision::Approve,
                Err(DecisionRefusal::NoConsent),
            ),
            (
                S::Eligible,
                Consent::GivenByLink,
                Decision::Approve,
                Ok(S::Approved),
            ),
            (
                S::Eligible,
                Consent::GivenOnPaper,
                Decision::Approve,
                Ok(S::Approved),
            ),
            (
                S::Submitted,
                Consent::Pending,
                Decision::MergeInto(S::Approved),
                Ok(S::Merged),
            ),
            (
                S::Submitted,
                Consent::Pending,
                Decision::MergeInto(S::Merged),
                Err(DecisionRefusal::BadTarget),
            ),
            (
                S::Approved,
                Consent::GivenByLink,
                Decision::Ineligible,
                Err(DecisionRefusal::Decided),
            ),
            (
                S::Merged,
                Consent::Pending,
                Decision::Eligible,
                Err(DecisionRefusal::Decided),
            ),
        ];
        for (state, consent, decision, expected) in table {
            assert_eq!(
                decide(state, consent, decision),
                expected,
                "{state:?} {consent:?} {decision:?}"
            );
        }
    }

    #[test]
    fn final_states_take_no_decision() {
        for state in S::ALL.into_iter().filter(|s| !s.is_open()) {
            for d in [
                Decision::Eligible,
                Decision::Ineligible,
                Decision::AskForInfo,
                Decision::Approve,
            ] {
                assert_eq!(
                    decide(state, Consent::GivenByLink, d),
                    Err(DecisionRefusal::Decided)
                );
            }
        }
    }

    #[test]
    fn a_declining_nominee_ends_an_open_nomination_only() {
        assert_eq!(consent_answered(S::Eligible, false), S::DeclinedByNominee);
        assert_eq!(consent_answered(S::Submitted, true), S::Submitted);
        assert_eq!(consent_answered(S::Approved, false), S::Approved);
        assert_eq!(answered(S::NeedsInfo), Some(S::Submitted));
        assert_eq!(answered(S::Eligible), None);
    }

    #[test]
    fn words_read_back() {
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
            assert!(!s.label(Lang::Zh).is_empty());
        }
        for r in IneligibleReason::ALL {
            assert_eq!(IneligibleReason::parse(r.as_str()), Some(r));
        }
        for c in [
            Consent::Pending,
            Consent::GivenByLink,
            Consent::GivenOnPaper,
            Consent::Declined,
        ] {
            assert_eq!(Consent::parse(c.as_str()), Some(c));
        }
    }
}
