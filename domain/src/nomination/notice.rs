//! What a nomination form's redirect says happened: `?done=` and
//! `?problem=` on `/nominate`, `/my/nominations`, `/consent/{token}` and the
//! reviewers' pages. The server writes these codes and the pages read them
//! back, so both name the same enum. A draft's own problems keep the codes of
//! [`DraftProblem`], a reviewer's refused decision those of
//! [`DecisionRefusal`]; [`problem_message`] reads all three.

use super::{DecisionRefusal, DraftProblem};
use crate::lang::Lang;
use crate::notice::codes;

codes! {
    /// A nomination form that worked: `?done=`.
    pub enum NominationDone {
        /// A resident's nomination was sent.
        Sent = "sent",
        /// A resident now supports a likely duplicate instead.
        Joined = "joined",
        /// A resident answered a reviewer's question.
        Answered = "answered",
        /// The nominee agreed through their link.
        Agreed = "agreed",
        /// The nominee declined through their link.
        Declined = "declined",
        /// A reviewer entered a committee's nomination.
        Entered = "entered",
        /// A reviewer's decision is recorded.
        Recorded = "recorded",
        /// A reviewer approved the nomination into a numbered nominee.
        Approved = "approved",
        /// A reviewer recorded the committee's paper answer.
        Consent = "consent",
        /// A reviewer replaced the nomination's photo.
        Photo = "photo",
        /// A resident kept their own nomination: the look-alike is someone else.
        Kept = "kept",
        /// A reviewer merged a nomination into this one (its lead).
        Merged = "merged",
        /// A reviewer undid a merge.
        Unmerged = "unmerged",
        /// A reviewer decided the last nomination waiting.
        QueueCleared = "queue_cleared",
    }
}

impl NominationDone {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            NominationDone::Sent => lang.pick(
                "推荐已提交，审核结果会显示在这里。",
                "Your nomination is sent; the review's outcome will show here.",
            ),
            NominationDone::Joined => lang.pick(
                "已改为支持那条推荐，您的推荐人数已计入。",
                "You now support that nomination; you are counted among its nominators.",
            ),
            NominationDone::Answered => lang.pick(
                "补充内容已提交，等待再次审核。",
                "Your answer is sent for review.",
            ),
            NominationDone::Agreed => lang.pick(
                "谢谢！您已同意被推荐，审核通过后将列为候选人。",
                "Thank you! You agreed; once reviewed you will be listed as a nominee.",
            ),
            NominationDone::Declined => lang.pick(
                "您已婉拒推荐，推荐人会收到告知。",
                "You declined; your nominators will be told.",
            ),
            NominationDone::Entered => lang.pick(
                "已录入居委会推荐。",
                "The committee's nomination is entered.",
            ),
            NominationDone::Recorded => lang.pick("已记录审核决定。", "The decision is recorded."),
            NominationDone::Approved => lang.pick("已列为候选人。", "Approved as a nominee."),
            NominationDone::Consent => lang.pick(
                "已记录居委会的书面确认。",
                "The committee's paper answer is recorded.",
            ),
            NominationDone::Photo => lang.pick("照片已更换。", "The photo is replaced."),
            NominationDone::Kept => lang.pick(
                "好的，保留您的推荐，审核员会把它当作另一位候选人来审核。",
                "Kept: the reviewers will treat yours as another person.",
            ),
            NominationDone::Merged => lang.pick(
                "已合并：另一条推荐的事迹和推荐人都并入了这一条，显示在下方。",
                "Merged: the other nomination's story and nominators are now part of this one, shown below.",
            ),
            NominationDone::Unmerged => lang.pick(
                "已撤销合并：这条推荐恢复原状，它的推荐人也回到了它名下。",
                "The merge is undone: this nomination stands again, with its own nominators.",
            ),
            NominationDone::QueueCleared => lang.pick(
                "已记录。没有等待审核的推荐了。",
                "Recorded. Nothing else is waiting for a reviewer.",
            ),
        }
    }

    pub fn unknown_message(lang: Lang) -> &'static str {
        lang.pick("已保存。", "Saved.")
    }
}

codes! {
    /// Why a nomination form did not work (besides the draft's and the
    /// decision's own problems): `?problem=`.
    pub enum NominationProblem {
        /// Nominations are not open now (or the resident is not signed in
        /// to the campaign that takes them).
        Closed = "closed",
        /// The resident has used every nomination of the campaign.
        Limit = "limit",
        /// The resident already nominated or supports this person.
        Already = "already",
        /// The nomination to support was decided meanwhile.
        NotStanding = "not_standing",
        PhotoSize = "photo_size",
        PhotoFormat = "photo_format",
        PhotoUnreadable = "photo_unreadable",
        RateLimited = "rate_limited",
        /// An answer to a reviewer's question was empty or too long.
        Answer = "answer",
        /// The nomination changed since the page was shown.
        Stale = "stale",
        /// A reviewer's reason, question or note is missing or too long.
        Note = "note",
        /// The nominee number is taken.
        NumberTaken = "number_taken",
        /// The nominee number is not 1 to 999.
        Number = "number",
        /// Voting has opened: the list of nominees is fixed.
        ListFixed = "list_fixed",
        /// The service could not answer.
        Unavailable = "unavailable",
    }
}

impl NominationProblem {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            NominationProblem::Closed => {
                lang.pick("现在不是推荐阶段。", "Nominations are not open now.")
            }
            NominationProblem::Limit => lang.pick(
                "您在本次评选中的推荐次数已经用完了。",
                "You have used all your nominations for this campaign.",
            ),
            NominationProblem::Already => lang.pick(
                "您已经推荐过这位了。",
                "You have already put this person forward.",
            ),
            NominationProblem::NotStanding => lang.pick(
                "那条推荐已经不能支持了。",
                "That nomination can no longer be supported.",
            ),
            NominationProblem::PhotoSize => lang.pick(
                "照片不能超过 8 MB，也不能超过 4000 万像素。",
                "The photo can be 8 MB and 40 megapixels at most.",
            ),
            NominationProblem::PhotoFormat => lang.pick(
                "只能上传 JPEG、PNG 或 WebP 格式的照片。",
                "Only JPEG, PNG or WebP photos.",
            ),
            NominationProblem::PhotoUnreadable => lang.pick(
                "这个文件无法作为照片打开，请换一张再试。",
                "This file cannot be opened as a photo.",
            ),
            NominationProblem::RateLimited => lang.pick(
                "操作太频繁，请稍后再试。",
                "Too many requests; please try again shortly.",
            ),
            NominationProblem::Answer => lang.pick(
                "请写下补充的内容（不超过 500 字）。",
                "Write your answer (at most 500 characters).",
            ),
            NominationProblem::Stale => lang.pick(
                "这条推荐刚刚有了变化，请看最新状态再操作。",
                "This nomination changed meanwhile; look at where it stands now and try again.",
            ),
            NominationProblem::Note => lang.pick(
                "请填写原因、问题或说明（不超过 500 字）。",
                "Give the reason, question or note (at most 500 characters).",
            ),
            NominationProblem::NumberTaken => lang.pick(
                "这个编号已经有候选人了，请换一个。",
                "That number is taken; choose another.",
            ),
            NominationProblem::Number => lang.pick(
                "编号应为 1 到 999 之间的数字。",
                "Numbers run from 1 to 999.",
            ),
            NominationProblem::ListFixed => lang.pick(
                "投票已开始，候选人名单已确定。",
                "Voting has opened; the list of nominees is fixed.",
            ),
            NominationProblem::Unavailable => Self::unknown_message(lang),
        }
    }

    pub fn unknown_message(lang: Lang) -> &'static str {
        lang.pick(
            "服务暂时不可用，请稍后再试。",
            "The service is briefly unavailable; try again later.",
        )
    }
}

/// A `?problem=` code of any nomination form, in words: a draft's problem,
/// a refused decision, or one of [`NominationProblem`].
pub fn problem_message(lang: Lang, code: &str) -> &'static str {
    if let Some(p) = DraftProblem::parse(code) {
        return p.message(lang);
    }
    if let Some(r) = DecisionRefusal::ALL.iter().find(|r| r.as_str() == code) {
        return r.message(lang);
    }
    NominationProblem::parse(code).map_or_else(
        || NominationProblem::unknown_message(lang),
        |p| p.message(lang),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No code means two things: the three families the pages read from one
    /// `?problem=` never share a code.
    #[test]
    fn problem_codes_are_unique_across_families() {
        let mut seen = std::collections::HashSet::new();
        let codes = DraftProblem::ALL
            .iter()
            .map(|p| p.as_str())
            .chain(DecisionRefusal::ALL.iter().map(|r| r.as_str()))
            .chain(NominationProblem::ALL.iter().map(|p| p.code()));
        for code in codes {
            assert!(seen.insert(code), "{code} is used twice");
        }
    }

    #[test]
    fn every_problem_reads_back_as_its_own_sentence() {
        for p in NominationProblem::ALL {
            assert_eq!(problem_message(Lang::Zh, p.code()), p.message(Lang::Zh));
        }
        assert_eq!(
            problem_message(Lang::En, "no_such_code"),
            NominationProblem::unknown_message(Lang::En)
        );
        for d in NominationDone::ALL {
            assert_eq!(NominationDone::parse(d.code()), Some(*d));
        }
    }
}
