//! What the sheet page says after a form: the outcome a redirect carries as
//! `?notice=<code>`, so the page reads the same with and without JavaScript.

use super::double_entry::{FinishRefusal, KeyRefusal};
use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetNotice {
    Saved,
    /// The first entry is in: another operator keys the second.
    FirstDone,
    Definitive,
    Different,
    Resolved,
    Reopened,
    PhotoSaved,
    /// An administrator let the sheet count without its photo, with a reason.
    PhotoWaived,
    Key(KeyRefusal),
    Unfinished(FinishRefusal),
    NotYourStation,
    /// The account's role does not take this step (e.g. reopening).
    NotPermitted,
    /// A reopening or a photo's waiver without a reason of 4 to 500 characters.
    ReasonNeeded,
    /// The coordinator keyed one of the entries.
    OwnEntry,
    /// The sheet moved on meanwhile (another operator, another coordinator).
    Moved,
    Invalid,
    PhotoRefused,
    /// A waiver asked for a sheet that has its photo or a waiver, or counts.
    NothingToWaive,
    Busy,
    /// The campaign's results are published: the sheet stands.
    Published,
}

/// Said wherever an operator meets another station's sheet.
pub fn not_your_station(lang: Lang) -> &'static str {
    lang.pick(
        "这张计票单属于另一个投票点，您的账号不能录入或查看它。如需帮助，请联系协调员。",
        "This sheet belongs to another polling station; your account does not key or see it. Ask a coordinator if you need help.",
    )
}

impl SheetNotice {
    const ALL: [SheetNotice; 25] = [
        SheetNotice::Saved,
        SheetNotice::FirstDone,
        SheetNotice::Definitive,
        SheetNotice::Different,
        SheetNotice::Resolved,
        SheetNotice::Reopened,
        SheetNotice::PhotoSaved,
        SheetNotice::PhotoWaived,
        SheetNotice::Key(KeyRefusal::FirstTakenByAnother),
        SheetNotice::Key(KeyRefusal::SameOperator),
        SheetNotice::Key(KeyRefusal::SecondTakenByAnother),
        SheetNotice::Key(KeyRefusal::Closed),
        SheetNotice::Unfinished(FinishRefusal::HasErrors),
        SheetNotice::Unfinished(FinishRefusal::NotChecked),
        SheetNotice::Unfinished(FinishRefusal::PhotoNeeded),
        SheetNotice::NotYourStation,
        SheetNotice::NotPermitted,
        SheetNotice::ReasonNeeded,
        SheetNotice::OwnEntry,
        SheetNotice::Moved,
        SheetNotice::Invalid,
        SheetNotice::PhotoRefused,
        SheetNotice::NothingToWaive,
        SheetNotice::Busy,
        SheetNotice::Published,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SheetNotice::Saved => "saved",
            SheetNotice::FirstDone => "first_done",
            SheetNotice::Definitive => "definitive",
            SheetNotice::Different => "different",
            SheetNotice::Resolved => "resolved",
            SheetNotice::Reopened => "reopened",
            SheetNotice::PhotoSaved => "photo_saved",
            SheetNotice::PhotoWaived => "photo_waived",
            SheetNotice::Key(KeyRefusal::FirstTakenByAnother) => "first_taken",
            SheetNotice::Key(KeyRefusal::SameOperator) => "same_operator",
            SheetNotice::Key(KeyRefusal::SecondTakenByAnother) => "second_taken",
            SheetNotice::Key(KeyRefusal::Closed) => "closed",
            SheetNotice::Unfinished(FinishRefusal::HasErrors) => "has_errors",
            SheetNotice::Unfinished(FinishRefusal::NotChecked) => "not_checked",
            SheetNotice::Unfinished(FinishRefusal::PhotoNeeded) => "photo_needed",
            SheetNotice::NotYourStation => "not_yours",
            SheetNotice::NotPermitted => "not_permitted",
            SheetNotice::ReasonNeeded => "reason_needed",
            SheetNotice::OwnEntry => "own_entry",
            SheetNotice::Moved => "moved",
            SheetNotice::Invalid => "invalid",
            SheetNotice::PhotoRefused => "photo_refused",
            SheetNotice::NothingToWaive => "nothing_to_waive",
            SheetNotice::Busy => "busy",
            SheetNotice::Published => "published",
        }
    }

    pub fn parse(code: &str) -> Option<SheetNotice> {
        SheetNotice::ALL.into_iter().find(|n| n.code() == code)
    }

    /// Whether it reports something done (else something refused).
    pub fn ok(self) -> bool {
        matches!(
            self,
            SheetNotice::Saved
                | SheetNotice::FirstDone
                | SheetNotice::Definitive
                | SheetNotice::Different
                | SheetNotice::Resolved
                | SheetNotice::Reopened
                | SheetNotice::PhotoSaved
                | SheetNotice::PhotoWaived
        )
    }

    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            SheetNotice::Saved => lang.pick("草稿已保存，可以稍后继续录入。", "Draft saved; you can resume later."),
            SheetNotice::FirstDone => lang.pick(
                "第一次录入已提交。请另一位录入员进行第二次录入。",
                "First entry finished. Another operator now keys the second entry.",
            ),
            SheetNotice::Definitive => lang.pick(
                "两次录入一致，计票单已确认并计入总票数。",
                "Both entries agree: the sheet is definitive and counted.",
            ),
            SheetNotice::Different => lang.pick(
                "两次录入不一致，已交给协调员处理。",
                "The entries differ; a coordinator will decide.",
            ),
            SheetNotice::Resolved => lang.pick("已处理。", "Decided."),
            SheetNotice::Reopened => lang.pick(
                "计票单已重新开放，原记录保留可查，票数已从总数中扣除。",
                "The sheet is reopened; its old version stays visible and its marks left the tally.",
            ),
            SheetNotice::PhotoSaved => lang.pick("照片已上传。", "The photo was uploaded."),
            SheetNotice::PhotoWaived => lang.pick(
                "已免除照片，原因已记入操作记录，并将在公示时显示在这张计票单旁。",
                "The photo is waived; the reason is in the audit log and will be shown beside the sheet when the results are published.",
            ),
            SheetNotice::Published => crate::publication::published_message(lang),
            SheetNotice::Key(r) => r.message(lang),
            SheetNotice::Unfinished(r) => r.message(lang),
            SheetNotice::NotYourStation => not_your_station(lang),
            SheetNotice::NotPermitted => lang.pick(
                "您的账号角色不能做这一步，请联系管理员。",
                "Your account's role does not take this step; ask an administrator.",
            ),
            SheetNotice::ReasonNeeded => lang.pick(
                "请写明原因（4 至 500 字），它会记入操作记录。",
                "Please write the reason (4 to 500 characters); it goes into the audit log.",
            ),
            SheetNotice::OwnEntry => lang.pick(
                "您录入过这张计票单，请由另一位协调员处理。",
                "You keyed this sheet; another coordinator must decide.",
            ),
            SheetNotice::Moved => lang.pick(
                "这张计票单刚刚有了变化，请查看最新状态后再操作。",
                "The sheet changed meanwhile; look at its state and try again.",
            ),
            SheetNotice::Invalid => lang.pick(
                "填写的内容不符合要求，请检查后再试。",
                "Something in the form is not valid. Please check it.",
            ),
            SheetNotice::PhotoRefused => lang.pick(
                "这张照片无法使用：请上传 8 MB 以内的 JPEG、PNG 或 WebP 照片。",
                "That photo cannot be used: upload a JPEG, PNG or WebP of at most 8 MB.",
            ),
            SheetNotice::NothingToWaive => lang.pick(
                "这张计票单已有照片或已免除照片（或已经确认），无需免除。",
                "This sheet has its photo or a waiver already (or counts already): nothing to waive.",
            ),
            SheetNotice::Busy => lang.pick("服务暂时繁忙，请稍后再试。", "Briefly busy; please try again."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_reads_back_from_its_code() {
        for n in SheetNotice::ALL {
            assert_eq!(SheetNotice::parse(n.code()), Some(n));
            assert!(!n.message(Lang::Zh).is_empty());
            assert!(!n.message(Lang::En).is_empty());
        }
        assert_eq!(SheetNotice::parse("nonsense"), None);
        assert!(SheetNotice::Definitive.ok());
        assert!(!SheetNotice::Unfinished(FinishRefusal::HasErrors).ok());
    }
}
