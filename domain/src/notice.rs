//! The outcome codes a form's redirect carries in the query string, and the
//! sentence each one shows. The server answers a plain form post with a 303 to
//! a page, naming what happened in a short code (`/console/organizers?done=created`,
//! `/login?error=sms_capped&retry=120`); the page reads the code back into one
//! of these enums and says it in the reader's language.
//!
//! One enum per family of codes, each with `code()` (what the server writes),
//! `parse()` (what the page reads; `None` for a code it does not know) and
//! `message()`. A code the page does not know still gets a sentence: each
//! family's `unknown_message()`, the one the pages have always shown for it.

use crate::lang::Lang;
use crate::signin::CodeRefusal;
use crate::voting::VoteRefusal;

/// Declares a family of codes: the enum, `ALL`, `code()` and `parse()`.
// A macro because it declares the enum: its variants, `ALL` and both matches
// come from one list, so a code cannot be added to one and not the others.
macro_rules! codes {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every code of the family.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code as it travels in the query string.
            pub fn code(self) -> &'static str {
                match self {
                    $( $name::$variant => $code, )+
                }
            }

            /// Reads a code back; `None` for one this version does not know.
            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }
    };
}
pub(crate) use codes;

/// Said when something did not work and there is nothing more specific to say.
fn did_not_work(lang: Lang) -> &'static str {
    lang.pick(
        "操作没有完成，请稍后再试。",
        "That did not work. Please try again shortly.",
    )
}

/// Said when a store or gateway behind the form failed.
fn briefly_unavailable(lang: Lang) -> &'static str {
    lang.pick(
        "服务暂时不可用，请稍后再试。",
        "The service is briefly unavailable. Please try again shortly.",
    )
}

/// Whole minutes to wait, rounded up, from a `retry=` number of seconds.
fn minutes(retry_after_s: Option<i64>, default: i64) -> i64 {
    retry_after_s.map_or(default, |s| (s + 59) / 60)
}

codes! {
    /// A console form that worked: `?done=` on any console page.
    pub enum Done {
        /// An organizer account was created.
        Created = "created",
        Updated = "updated",
        NomineeCreated = "nominee_created",
        CreatedCampaign = "created_campaign",
        /// A community or a station was removed.
        Removed = "removed",
    }
}

impl Done {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            Done::Created => lang.pick("账号已创建。", "The account was created."),
            Done::Updated => lang.pick("已保存。", "Saved."),
            Done::NomineeCreated => lang.pick("候选人已添加。", "The nominee was added."),
            Done::CreatedCampaign => lang.pick("评选已创建。", "The campaign was created."),
            Done::Removed => lang.pick("已删除。", "Removed."),
        }
    }

    pub fn unknown_message(lang: Lang) -> &'static str {
        lang.pick("完成。", "Done.")
    }
}

codes! {
    /// A console form that did not work: `?error=` on the organizers, campaign
    /// and places pages.
    pub enum ConsoleError {
        /// Something in the form is not valid (a role, a name, a campaign).
        Invalid = "invalid",
        /// A name (username, station, street, community) is already in use.
        Taken = "taken",
        /// An administrator tried to demote or deactivate themself.
        SelfChange = "self",
        /// The change would leave no active administrator.
        LastAdmin = "last_admin",
        /// A community still has nominees or ballot cards.
        InUse = "in_use",
        /// The form's page has expired.
        Stale = "stale",
        /// Storage failed.
        Unavailable = "unavailable",
        /// The results are published: the change would move them.
        Published = "published",
        /// A paper sheet of a station that is not the operator's.
        NotYourStation = "not_yours",
        /// A station whose sheets were keyed or photographed stays.
        Keyed = "keyed",
    }
}

impl ConsoleError {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            ConsoleError::Taken => lang.pick("这个名称已经有人用了。", "That name is taken."),
            ConsoleError::InUse => lang.pick(
                "还有候选人或投票卡属于这个社区，不能删除。",
                "Nominees or ballot cards still belong to this community; it cannot be removed.",
            ),
            ConsoleError::Invalid => lang.pick(
                "填写的内容不符合要求，请检查后再试。",
                "Something in the form is not valid. Please check it.",
            ),
            ConsoleError::LastAdmin => lang.pick(
                "这样会没有可用的管理员账号，系统不允许。请先任命另一位管理员。",
                "That would leave no active administrator. Appoint another one first.",
            ),
            ConsoleError::SelfChange => lang.pick(
                "不能降低或停用自己的管理员账号，请让另一位管理员操作。",
                "You cannot demote or deactivate yourself; ask another administrator.",
            ),
            ConsoleError::Stale => lang.pick(
                "页面已过期，请刷新后重试。",
                "This page has expired. Please reload it and try again.",
            ),
            ConsoleError::Published => crate::publication::published_message(lang),
            ConsoleError::NotYourStation => crate::paper::not_your_station(lang),
            ConsoleError::Keyed => lang.pick(
                "这个投票点的计票单已经有录入或照片，不能删除。如果不再使用，请在“所属评选”中把它移出本届评选。",
                "This station's sheets were keyed or photographed; it cannot be removed. If it is no longer used, move it out of the campaign instead.",
            ),
            ConsoleError::Unavailable => did_not_work(lang),
        }
    }

    pub fn unknown_message(lang: Lang) -> &'static str {
        did_not_work(lang)
    }
}

codes! {
    /// Why a nominee form (new or edited, with its photo) was refused:
    /// `?problem=` on `/console/nominees` and `/console/nominees/{id}`.
    pub enum NomineeProblem {
        /// The multipart form could not be read at all.
        Invalid = "invalid",
        Number = "number",
        NumberTaken = "number_taken",
        Name = "name",
        Community = "community",
        /// The story (or another text field) is too long.
        Story = "story",
        PhotoTooLarge = "photo_too_large",
        PhotoFormat = "photo_format",
        PhotoUnreadable = "photo_unreadable",
        /// The results are published: no withdrawing or renumbering.
        Published = "published",
    }
}

impl NomineeProblem {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            NomineeProblem::Number => lang.pick(
                "编号应为 1 到 999 之间的数字。",
                "The number must be 1 to 999.",
            ),
            NomineeProblem::NumberTaken => lang.pick(
                "这个编号已经有候选人了。",
                "Another nominee has that number.",
            ),
            NomineeProblem::Name => lang.pick(
                "请填写姓名（不超过 40 个字）。",
                "Please give the name (40 characters at most).",
            ),
            NomineeProblem::Community => {
                lang.pick("请选择所在社区。", "Please choose the community.")
            }
            NomineeProblem::Story => lang.pick(
                "事迹介绍不能超过 5000 个字。",
                "The story can have 5000 characters at most.",
            ),
            NomineeProblem::PhotoTooLarge => lang.pick(
                "照片不能超过 8 MB，也不能超过 4000 万像素。",
                "The photo can be 8 MB and 40 megapixels at most.",
            ),
            NomineeProblem::PhotoFormat => lang.pick(
                "只能上传 JPEG、PNG 或 WebP 格式的照片。",
                "Photos must be JPEG, PNG or WebP.",
            ),
            NomineeProblem::PhotoUnreadable => lang.pick(
                "这个文件无法作为照片打开，请换一张再试。",
                "That file cannot be opened as a photo; try another.",
            ),
            NomineeProblem::Published => crate::publication::published_message(lang),
            NomineeProblem::Invalid => did_not_work(lang),
        }
    }

    pub fn unknown_message(lang: Lang) -> &'static str {
        did_not_work(lang)
    }
}

codes! {
    /// Why the campaign form was refused: `?problem=` (editing a campaign) and
    /// `?new_problem=` (creating one) on `/console/campaign`.
    pub enum CampaignProblem {
        Title = "title",
        Dates = "dates",
        Order = "order",
        Rules = "rules",
        Visibility = "visibility",
        TooLong = "too_long",
        Slug = "slug",
        SlugTaken = "slug_taken",
        /// The organisers' telephone number is not one.
        Hotline = "hotline",
        /// A character no text may hold (a NUL, another control character).
        Unreadable = "unreadable",
    }
}

impl CampaignProblem {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            CampaignProblem::Title => lang.pick("请填写中文标题。", "Please give the Chinese title."),
            CampaignProblem::Dates => lang.pick(
                "请为每个阶段填写正确的日期和时间。",
                "Please give a real date and time for every phase.",
            ),
            CampaignProblem::Order => lang.pick(
                "各阶段的时间必须依次排列：提名、审核、投票开始、投票结束、公示结束、颁奖。",
                "The phases must follow each other: nomination, review, voting opens, voting closes, notice ends, ceremony.",
            ),
            CampaignProblem::Rules => lang.pick(
                "每人每天可投 1 到 100 票，给同一位候选人的票数不能超过每天的票数。",
                "Votes a day must be 1 to 100, and votes per nominee no more than that.",
            ),
            CampaignProblem::Visibility => {
                lang.pick("请选择结果公开方式。", "Please choose how the results show.")
            }
            CampaignProblem::Slug => lang.pick(
                "网址名应为 3 到 40 个小写字母、数字或短横线，例如 yangpu-2027。",
                "The address name must be 3 to 40 lower-case letters, digits or dashes, e.g. yangpu-2027.",
            ),
            CampaignProblem::SlugTaken => lang.pick(
                "这个网址名已经有评选在用了。",
                "Another campaign has that address name.",
            ),
            CampaignProblem::Hotline => lang.pick(
                "组委会电话请填写电话号码，例如 021-6543 2100（可以不填）。",
                "The organisers' telephone must be a phone number, e.g. 021-6543 2100 (or left empty).",
            ),
            CampaignProblem::TooLong => lang.pick(
                "有一项内容太长了，请缩短后再保存。",
                "Something is too long; please shorten it.",
            ),
            CampaignProblem::Unreadable => lang.pick(
                "有一项内容里有无法保存的特殊字符（常见于从别处复制的文字），请重新输入后再保存。",
                "Something holds a character that cannot be saved (often from pasted text); please type it again.",
            ),
        }
    }

    /// The page has always said "too long" for a code it does not know.
    pub fn unknown_message(lang: Lang) -> &'static str {
        CampaignProblem::TooLong.message(lang)
    }
}

codes! {
    /// Why the places import rejected a line: each `line:reason` pair of
    /// `?rejected=` on `/console/places`.
    pub enum ImportRejection {
        Header = "header",
        Columns = "columns",
        StreetMissing = "street_missing",
        CommunityMissing = "community_missing",
        TooLong = "too_long",
        Duplicate = "duplicate",
        TooMany = "too_many",
        Encoding = "encoding",
        Empty = "empty",
    }
}

impl ImportRejection {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            ImportRejection::Header => lang.pick(
                "第一行应为 street_zh,street_en,community_zh,community_en",
                "The first line must be street_zh,street_en,community_zh,community_en",
            ),
            ImportRejection::Columns => lang.pick("应有 4 列", "needs 4 columns"),
            ImportRejection::StreetMissing => {
                lang.pick("缺少街道名称", "the street's name is missing")
            }
            ImportRejection::CommunityMissing => {
                lang.pick("缺少社区名称", "the community's name is missing")
            }
            ImportRejection::TooLong => {
                lang.pick("名称超过 40 个字", "a name is over 40 characters")
            }
            ImportRejection::Duplicate => lang.pick("与前面的行重复", "repeats an earlier line"),
            ImportRejection::TooMany => {
                lang.pick("一次最多导入 5000 行", "at most 5000 lines at a time")
            }
            ImportRejection::Encoding => lang.pick("文件应为 UTF-8 编码", "the file must be UTF-8"),
            ImportRejection::Empty => lang.pick("文件是空的", "the file is empty"),
        }
    }

    /// The page has always said "empty" for a reason it does not know.
    pub fn unknown_message(lang: Lang) -> &'static str {
        ImportRejection::Empty.message(lang)
    }
}

codes! {
    /// Why signing in to vote did not work: `?error=` on `/login`
    /// (`sms_capped` comes with `retry=` seconds).
    pub enum VoterLoginError {
        BadPhone = "bad_phone",
        InvalidCode = "invalid_code",
        ExpiredCode = "expired_code",
        TooManyTries = "too_many_tries",
        /// Too many codes asked for, from this number or this address.
        SmsCapped = "sms_capped",
        /// A code was asked for a moment ago.
        TooSoon = "too_soon",
        BadCard = "bad_card",
        SmsFailed = "sms_failed",
        /// Past the thresholds: the picture challenge is shown.
        ChallengeRequired = "challenge_required",
        /// The picture's characters were wrong (a new picture is shown).
        ChallengeWrong = "challenge_wrong",
        Unavailable = "unavailable",
    }
}

impl VoterLoginError {
    /// `retry_after_s` is the `retry=` seconds that come with `sms_capped`
    /// (an hour when there are none).
    pub fn message(self, lang: Lang, retry_after_s: Option<i64>) -> String {
        match self {
            VoterLoginError::BadPhone => lang
                .pick(
                    "请输入正确的11位手机号码。",
                    "Please enter a valid 11-digit mobile number.",
                )
                .into(),
            VoterLoginError::InvalidCode => CodeRefusal::Invalid.message(lang).into(),
            VoterLoginError::ExpiredCode => CodeRefusal::Expired.message(lang).into(),
            VoterLoginError::TooManyTries => CodeRefusal::TooManyTries.message(lang).into(),
            VoterLoginError::SmsCapped => {
                let minutes = minutes(retry_after_s, 60);
                match lang {
                    Lang::Zh => format!("获取验证码太频繁，请 {minutes} 分钟后再试。"),
                    Lang::En => {
                        format!("Too many codes asked for. Please try again in {minutes} minutes.")
                    }
                }
            }
            VoterLoginError::BadCard => lang
                .pick(
                    "投票卡号码不正确，或这张卡已经用过。",
                    "That ballot card code is not right, or the card has been used.",
                )
                .into(),
            VoterLoginError::SmsFailed => lang
                .pick(
                    "短信发送失败，请稍后再试。",
                    "The text message could not be sent. Please try again shortly.",
                )
                .into(),
            VoterLoginError::ChallengeRequired => {
                crate::signin::SmsRefusal::ChallengeRequired.message(lang)
            }
            VoterLoginError::ChallengeWrong => lang
                .pick(
                    "图片中的字符不对，请看新的图片再输入一次。",
                    "The characters did not match. Please try the new picture.",
                )
                .into(),
            VoterLoginError::TooSoon | VoterLoginError::Unavailable => {
                briefly_unavailable(lang).into()
            }
        }
    }

    pub fn unknown_message(lang: Lang) -> &'static str {
        briefly_unavailable(lang)
    }
}

codes! {
    /// Why signing in to the console did not work: `?error=` on
    /// `/console/login` (`throttled` comes with `retry=` seconds).
    pub enum ConsoleLoginError {
        Throttled = "throttled",
        Wrong = "wrong",
        /// The organizer session ended (a form was sent without one).
        Expired = "expired",
        Unavailable = "unavailable",
    }
}

impl ConsoleLoginError {
    /// `retry_after_s` is the `retry=` seconds that come with `throttled`
    /// (a quarter of an hour when there are none).
    pub fn message(self, lang: Lang, retry_after_s: Option<i64>) -> String {
        match self {
            ConsoleLoginError::Throttled => {
                let minutes = minutes(retry_after_s, 15);
                match lang {
                    Lang::Zh => format!("登录失败次数太多，请 {minutes} 分钟后再试。"),
                    Lang::En => {
                        format!("Too many failed sign-ins. Please try again in {minutes} minutes.")
                    }
                }
            }
            ConsoleLoginError::Expired => lang
                .pick(
                    "登录已过期，请重新登录。",
                    "Your session has ended. Please sign in again.",
                )
                .into(),
            ConsoleLoginError::Unavailable => briefly_unavailable(lang).into(),
            ConsoleLoginError::Wrong => Self::unknown_message(lang).into(),
        }
    }

    /// The page has always said "wrong username or password" for a code it does not know.
    pub fn unknown_message(lang: Lang) -> &'static str {
        lang.pick("用户名或密码不正确。", "Wrong username or password.")
    }
}

codes! {
    /// Why a vote from a form was not counted: `?refused=` on the nominee
    /// list and profile pages. The refusals of the voting rules keep the codes
    /// of [`VoteRefusal::code`].
    pub enum VoteRefused {
        AlreadyVoted = "already_voted",
        DailyQuotaUsed = "daily_quota_used",
        /// Not open yet, or closed.
        VotingClosed = "voting_closed",
        UnknownNominee = "unknown_nominee",
        KeyReused = "idempotency_mismatch",
        RateLimited = "rate_limited",
        Unavailable = "unavailable",
    }
}

impl VoteRefused {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            VoteRefused::AlreadyVoted => VoteRefusal::AlreadyVoted.message(lang),
            VoteRefused::DailyQuotaUsed => VoteRefusal::DailyQuotaUsed.message(lang),
            VoteRefused::UnknownNominee => VoteRefusal::UnknownNominee.message(lang),
            VoteRefused::KeyReused => VoteRefusal::KeyReused.message(lang),
            // One code for both sides of the voting days, so one sentence.
            VoteRefused::VotingClosed => {
                lang.pick("现在不在投票时间内。", "Voting is not open now.")
            }
            VoteRefused::RateLimited => lang.pick(
                "操作太频繁，请稍等一会儿再投。",
                "Too many requests. Please wait a moment and vote again.",
            ),
            VoteRefused::Unavailable => briefly_unavailable(lang),
        }
    }

    pub fn unknown_message(lang: Lang) -> &'static str {
        briefly_unavailable(lang)
    }
}

impl From<VoteRefusal> for VoteRefused {
    fn from(r: VoteRefusal) -> Self {
        match r {
            VoteRefusal::AlreadyVoted => VoteRefused::AlreadyVoted,
            VoteRefusal::DailyQuotaUsed => VoteRefused::DailyQuotaUsed,
            VoteRefusal::NotOpenYet | VoteRefusal::Closed => VoteRefused::VotingClosed,
            VoteRefusal::UnknownNominee => VoteRefused::UnknownNominee,
            VoteRefusal::KeyReused => VoteRefused::KeyReused,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// Each family's codes, read back, unknown codes refused, and every
    /// sentence present in both languages.
    fn check<T: Copy + Eq + std::fmt::Debug>(
        family: &str,
        all: &[T],
        code: fn(T) -> &'static str,
        parse: fn(&str) -> Option<T>,
        message: impl Fn(T, Lang) -> String,
    ) {
        assert!(!all.is_empty(), "{family}");
        let mut seen = HashSet::new();
        for &v in all {
            let c = code(v);
            assert!(seen.insert(c), "{family}: {c} twice");
            assert_eq!(parse(c), Some(v), "{family}: {c}");
            assert!(
                !c.is_empty()
                    && c.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{family}: {c:?} is not a plain query value"
            );
            assert!(!message(v, Lang::Zh).is_empty(), "{family}: {c}");
            assert!(!message(v, Lang::En).is_empty(), "{family}: {c}");
        }
        for unknown in ["", "nonsense", "CREATED", " taken", "taken ", "photo"] {
            assert_eq!(parse(unknown), None, "{family}: {unknown:?}");
        }
    }

    #[test]
    fn every_code_reads_back_and_is_unique_in_its_family() {
        let s = |m: &'static str| m.to_string();
        check("done", Done::ALL, Done::code, Done::parse, |v, l| {
            s(v.message(l))
        });
        check(
            "console error",
            ConsoleError::ALL,
            ConsoleError::code,
            ConsoleError::parse,
            |v, l| s(v.message(l)),
        );
        check(
            "nominee problem",
            NomineeProblem::ALL,
            NomineeProblem::code,
            NomineeProblem::parse,
            |v, l| s(v.message(l)),
        );
        check(
            "campaign problem",
            CampaignProblem::ALL,
            CampaignProblem::code,
            CampaignProblem::parse,
            |v, l| s(v.message(l)),
        );
        check(
            "import rejection",
            ImportRejection::ALL,
            ImportRejection::code,
            ImportRejection::parse,
            |v, l| s(v.message(l)),
        );
        check(
            "voter login",
            VoterLoginError::ALL,
            VoterLoginError::code,
            VoterLoginError::parse,
            |v, l| v.message(l, None),
        );
        check(
            "console login",
            ConsoleLoginError::ALL,
            ConsoleLoginError::code,
            ConsoleLoginError::parse,
            |v, l| v.message(l, None),
        );
        check(
            "vote refused",
            VoteRefused::ALL,
            VoteRefused::code,
            VoteRefused::parse,
            |v, l| s(v.message(l)),
        );
    }

    fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|&v| code(v)).collect()
    }

    /// The codes exactly as the server writes them today.
    #[test]
    fn the_codes_are_the_ones_the_server_sends() {
        assert_eq!(
            codes(Done::ALL, Done::code),
            [
                "created",
                "updated",
                "nominee_created",
                "created_campaign",
                "removed"
            ]
        );
        assert_eq!(
            codes(ConsoleError::ALL, ConsoleError::code),
            [
                "invalid",
                "taken",
                "self",
                "last_admin",
                "in_use",
                "stale",
                "unavailable",
                "published",
                "not_yours",
                "keyed"
            ]
        );
        assert_eq!(
            codes(NomineeProblem::ALL, NomineeProblem::code),
            [
                "invalid",
                "number",
                "number_taken",
                "name",
                "community",
                "story",
                "photo_too_large",
                "photo_format",
                "photo_unreadable",
                "published"
            ]
        );
        assert_eq!(
            codes(CampaignProblem::ALL, CampaignProblem::code),
            [
                "title",
                "dates",
                "order",
                "rules",
                "visibility",
                "too_long",
                "slug",
                "slug_taken",
                "hotline",
                "unreadable"
            ]
        );
        assert_eq!(
            codes(ImportRejection::ALL, ImportRejection::code),
            [
                "header",
                "columns",
                "street_missing",
                "community_missing",
                "too_long",
                "duplicate",
                "too_many",
                "encoding",
                "empty"
            ]
        );
        assert_eq!(
            codes(VoterLoginError::ALL, VoterLoginError::code),
            [
                "bad_phone",
                "invalid_code",
                "expired_code",
                "too_many_tries",
                "sms_capped",
                "too_soon",
                "bad_card",
                "sms_failed",
                "challenge_required",
                "challenge_wrong",
                "unavailable"
            ]
        );
        assert_eq!(
            codes(ConsoleLoginError::ALL, ConsoleLoginError::code),
            ["throttled", "wrong", "expired", "unavailable"]
        );
        assert_eq!(
            codes(VoteRefused::ALL, VoteRefused::code),
            [
                "already_voted",
                "daily_quota_used",
                "voting_closed",
                "unknown_nominee",
                "idempotency_mismatch",
                "rate_limited",
                "unavailable"
            ]
        );
    }

    #[test]
    fn vote_refusals_keep_their_codes() {
        for r in [
            VoteRefusal::AlreadyVoted,
            VoteRefusal::DailyQuotaUsed,
            VoteRefusal::NotOpenYet,
            VoteRefusal::Closed,
            VoteRefusal::UnknownNominee,
            VoteRefusal::KeyReused,
        ] {
            assert_eq!(VoteRefused::parse(r.code()), Some(VoteRefused::from(r)));
        }
    }

    #[test]
    fn waits_are_said_in_whole_minutes_rounded_up() {
        let zh = |s| VoterLoginError::SmsCapped.message(Lang::Zh, s);
        assert_eq!(zh(Some(61)), "获取验证码太频繁，请 2 分钟后再试。");
        assert_eq!(zh(Some(60)), "获取验证码太频繁，请 1 分钟后再试。");
        assert_eq!(zh(None), "获取验证码太频繁，请 60 分钟后再试。");
        assert_eq!(
            VoterLoginError::SmsCapped.message(Lang::En, Some(3600)),
            "Too many codes asked for. Please try again in 60 minutes."
        );
        assert_eq!(
            ConsoleLoginError::Throttled.message(Lang::Zh, Some(890)),
            "登录失败次数太多，请 15 分钟后再试。"
        );
        assert_eq!(
            ConsoleLoginError::Throttled.message(Lang::En, None),
            "Too many failed sign-ins. Please try again in 15 minutes."
        );
    }

    #[test]
    fn unknown_codes_keep_the_old_sentences() {
        assert_eq!(Done::unknown_message(Lang::En), "Done.");
        assert_eq!(
            ConsoleError::unknown_message(Lang::Zh),
            "操作没有完成，请稍后再试。"
        );
        assert_eq!(
            NomineeProblem::unknown_message(Lang::Zh),
            "操作没有完成，请稍后再试。"
        );
        assert_eq!(
            CampaignProblem::unknown_message(Lang::En),
            "Something is too long; please shorten it."
        );
        assert_eq!(
            ImportRejection::unknown_message(Lang::En),
            "the file is empty"
        );
        assert_eq!(
            VoterLoginError::unknown_message(Lang::Zh),
            "服务暂时不可用，请稍后再试。"
        );
        assert_eq!(
            ConsoleLoginError::unknown_message(Lang::Zh),
            "用户名或密码不正确。"
        );
        assert_eq!(
            ConsoleLoginError::Wrong.message(Lang::Zh, None),
            "用户名或密码不正确。"
        );
        assert_eq!(
            VoteRefused::unknown_message(Lang::En),
            "The service is briefly unavailable. Please try again shortly."
        );
    }
}
