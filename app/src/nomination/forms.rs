//! The nomination forms: the contract between the pages' `<form>`s and the
//! server's handlers. Field names are the `name="…"` attributes, exactly.

use serde::{Deserialize, Serialize};

/// `POST /nominate` (multipart: these text fields and an optional `photo`)
/// and `POST /console/nominations` (the same, for a committee, with `csrf`).
/// The fields are `alleyvote_domain::nomination::NominationFields`; the
/// console's adds `csrf`.
pub const NOMINATION_FIELDS: [&str; 8] = [
    "name",
    "community",
    "role",
    "years",
    "story",
    "relation",
    "nominee_phone",
    "my_phone",
];

/// `POST /my/nominations/{id}/join`: support a likely duplicate instead of
/// one's own nomination (which is merged into it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JoinForm {
    /// The nomination to support.
    pub lead: String,
}

/// `POST /my/nominations/{id}/answer`: the answer to a reviewer's question.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    pub answer: String,
}

/// `POST /consent/{token}`: the nominee's answer, `yes` or `no`; a `no` is
/// taken only with `confirmed=yes` (the page asks once more first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsentForm {
    pub agree: String,
    pub confirmed: String,
}

/// `POST /console/nominations/{id}/review`: a reviewer's decision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    pub csrf: String,
    /// The revision the decision was taken on.
    pub revision: String,
    /// `eligible`, `ineligible`, `ask`, `merge`, or `unmerge` (posted for
    /// the merged nomination, from its lead's page).
    pub decision: String,
    /// For `ineligible`: an `IneligibleReason` code, and a note (required for `other`).
    pub reason: String,
    pub note: String,
    /// For `ask`: the question to the nominator.
    pub question: String,
    /// For `merge`: the nomination to merge into.
    pub into: String,
    /// `1`: once decided, go on to the next nomination waiting.
    pub next: String,
    /// For `merge`: `yes` once the side-by-side view confirmed it.
    pub confirmed: String,
}

/// `POST /console/nominations/bulk`: find eligible at once the ticked new
/// nominations without a likely duplicate; one `pick=<id>:<revision>` per
/// ticked box.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BulkEligibleForm {
    pub csrf: String,
    pub pick: Vec<String>,
}

/// `POST /console/nominations/{id}/approve`: into a numbered nominee.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApproveForm {
    pub csrf: String,
    pub revision: String,
    pub number: String,
    pub name: String,
    pub story: String,
}

/// `POST /console/nominations/{id}/consent`: the committee's paper answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaperConsentForm {
    pub csrf: String,
    pub revision: String,
    /// `yes` or `no`.
    pub agree: String,
    /// Who confirmed, and when.
    pub note: String,
}
