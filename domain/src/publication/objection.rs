//! A resident's objection to the published results (异议): a reason, and
//! optionally a nominee it concerns and a way to be reached. The one phone
//! number a contact may hold is the resident's own, the number they signed
//! in with (checked against its keyed hash): it is kept sealed, only to text
//! them when the answer is given, and shown to reviewers masked.

use serde::{Deserialize, Serialize};

use crate::clock::Millis;
use crate::lang::Lang;
use crate::nominee::NomineeNumber;
use crate::phone::PhoneNumber;

pub const REASON_MIN_CHARS: usize = 10;
pub const REASON_MAX_CHARS: usize = 1_000;
pub const CONTACT_MAX_CHARS: usize = 100;
pub const ANSWER_MIN_CHARS: usize = 4;
pub const ANSWER_MAX_CHARS: usize = 2_000;
/// Objections one resident may file during one notice.
pub const MAX_PER_RESIDENT: u32 = 5;

/// Why an objection (or its answer) was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectionProblem {
    ReasonTooShort,
    ReasonTooLong,
    ContactTooLong,
    ContactIsPhone,
    /// A mobile number that is not the one the resident signed in with.
    NotOwnPhone,
    UnknownNominee,
    NotDuringNotice,
    TooMany,
    AnswerLength,
}

impl ObjectionProblem {
    pub const ALL: [ObjectionProblem; 9] = [
        ObjectionProblem::ReasonTooShort,
        ObjectionProblem::ReasonTooLong,
        ObjectionProblem::ContactTooLong,
        ObjectionProblem::ContactIsPhone,
        ObjectionProblem::NotOwnPhone,
        ObjectionProblem::UnknownNominee,
        ObjectionProblem::NotDuringNotice,
        ObjectionProblem::TooMany,
        ObjectionProblem::AnswerLength,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ObjectionProblem::ReasonTooShort => "reason_too_short",
            ObjectionProblem::ReasonTooLong => "reason_too_long",
            ObjectionProblem::ContactTooLong => "contact_too_long",
            ObjectionProblem::ContactIsPhone => "contact_is_phone",
            ObjectionProblem::NotOwnPhone => "not_own_phone",
            ObjectionProblem::UnknownNominee => "unknown_nominee",
            ObjectionProblem::NotDuringNotice => "not_during_notice",
            ObjectionProblem::TooMany => "too_many",
            ObjectionProblem::AnswerLength => "answer_length",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            ObjectionProblem::ReasonTooShort => lang.pick(
                "请写明异议理由，至少 10 个字。",
                "Please give your reason, at least 10 characters.",
            ),
            ObjectionProblem::ReasonTooLong => lang.pick(
                "异议理由最多 1000 个字。",
                "The reason may be at most 1,000 characters.",
            ),
            ObjectionProblem::ContactTooLong => lang.pick(
                "联系方式最多 100 个字。",
                "The contact may be at most 100 characters.",
            ),
            ObjectionProblem::ContactIsPhone => lang.pick(
                "联系方式请只填一项：您登录用的手机号（11 位），或微信号、邮箱。",
                "Give one contact only: the mobile number you signed in with (11 digits), or a WeChat ID or e-mail.",
            ),
            ObjectionProblem::NotOwnPhone => lang.pick(
                "只能填写您登录用的手机号（答复后我们发短信通知您）。别人的号码不能填写；也可以填微信号或邮箱。",
                "Only the mobile number you signed in with can be given (we text you when answered); not someone else's. A WeChat ID or e-mail works too.",
            ),
            ObjectionProblem::UnknownNominee => lang.pick(
                "没有这个编号的候选人。",
                "No nominee has that number.",
            ),
            ObjectionProblem::NotDuringNotice => lang.pick(
                "只能在公示期内提出异议。",
                "Objections can be filed only during the public notice.",
            ),
            ObjectionProblem::TooMany => lang.pick(
                "每位居民在一次公示期内最多提出 5 条异议。",
                "Each resident may file at most 5 objections per notice.",
            ),
            ObjectionProblem::AnswerLength => lang.pick(
                "答复须为 4 到 2000 个字。",
                "An answer must be 4 to 2,000 characters.",
            ),
        }
    }
}

/// An objection's words, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectionText {
    pub reason: String,
    /// A WeChat ID, an e-mail, an address: anything but a phone number.
    pub contact: String,
    /// The mobile number given as contact, to be texted when the answer is
    /// given: taken only if it is the resident's own (the use case checks).
    pub reply_phone: Option<PhoneNumber>,
    pub nominee: Option<NomineeNumber>,
}

impl ObjectionText {
    /// Reads the form: the reason, the contact and the nominee number as typed
    /// (the number may be empty).
    pub fn parse(reason: &str, contact: &str, nominee: &str) -> Result<Self, ObjectionProblem> {
        let reason = reason.trim();
        let contact = contact.trim();
        let chars = reason.chars().count();
        if chars < REASON_MIN_CHARS {
            return Err(ObjectionProblem::ReasonTooShort);
        }
        if chars > REASON_MAX_CHARS {
            return Err(ObjectionProblem::ReasonTooLong);
        }
        if contact.chars().count() > CONTACT_MAX_CHARS {
            return Err(ObjectionProblem::ContactTooLong);
        }
        // A number on its own is a phone to text; a number mixed into
        // other words is refused (it could be anyone's, and would be shown).
        let (contact, reply_phone) = if looks_like_phone(contact) {
            let halfwidth: String = contact
                .chars()
                .map(|c| match c {
                    '０'..='９' | '＋' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                    c => c,
                })
                .collect();
            let phone =
                PhoneNumber::parse(&halfwidth).map_err(|_| ObjectionProblem::ContactIsPhone)?;
            ("", Some(phone))
        } else {
            (contact, None)
        };
        let nominee = match nominee.trim() {
            "" => None,
            n => Some(
                n.parse::<u32>()
                    .ok()
                    .and_then(|n| NomineeNumber::new(n).ok())
                    .ok_or(ObjectionProblem::UnknownNominee)?,
            ),
        };
        Ok(ObjectionText {
            reason: reason.to_string(),
            contact: contact.to_string(),
            reply_phone,
            nominee,
        })
    }
}

/// Whether the digits of the text (separators and a +86 prefix ignored,
/// full-width digits read) hold a mainland mobile number anywhere.
fn looks_like_phone(text: &str) -> bool {
    let digits: Vec<u8> = text
        .chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c as u8),
            '０'..='９' => Some(b'0' + (c as u32 - '０' as u32) as u8),
            _ => None,
        })
        .collect();
    digits
        .windows(11)
        .any(|w| w[0] == b'1' && (b'3'..=b'9').contains(&w[1]))
}

/// Checks a reviewer's answer.
pub fn parse_answer(text: &str) -> Result<String, ObjectionProblem> {
    let text = text.trim();
    let chars = text.chars().count();
    if (ANSWER_MIN_CHARS..=ANSWER_MAX_CHARS).contains(&chars) {
        Ok(text.to_string())
    } else {
        Err(ObjectionProblem::AnswerLength)
    }
}

/// An objection as reviewers and its author see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objection {
    pub id: i64,
    pub nominee: Option<NomineeNumber>,
    pub reason: String,
    pub contact: String,
    /// The resident's own number, masked, when they asked to be texted.
    #[serde(default)]
    pub reply_phone_masked: Option<String>,
    pub filed_at: Millis,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<Millis>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_needs_substance_and_a_bound() {
        assert_eq!(
            ObjectionText::parse("不公平", "", "").unwrap_err(),
            ObjectionProblem::ReasonTooShort
        );
        let long = "票".repeat(REASON_MAX_CHARS + 1);
        assert_eq!(
            ObjectionText::parse(&long, "", "").unwrap_err(),
            ObjectionProblem::ReasonTooLong
        );
        let ok = ObjectionText::parse(
            "  第三投票点的计票单与现场公布数字不一致  ",
            "wx_laowang",
            "7",
        )
        .unwrap();
        assert_eq!(ok.reason, "第三投票点的计票单与现场公布数字不一致");
        assert_eq!(ok.nominee.map(|n| n.get()), Some(7));
    }

    #[test]
    fn a_phone_number_alone_is_one_to_text_and_never_shown() {
        let reason = "第三投票点的计票单与现场公布数字不一致";
        for contact in [
            "13812345678",
            "+86 138 1234 5678",
            "138-1234-5678",
            "１３８１２３４５６７８",
        ] {
            let text = ObjectionText::parse(reason, contact, "").unwrap();
            assert_eq!(text.contact, "", "{contact}");
            assert_eq!(
                text.reply_phone.map(|p| p.masked()).as_deref(),
                Some("138****5678"),
                "{contact}"
            );
        }
        for contact in ["电话 138-1234-5678", "微信 13812345678 或邮箱"] {
            assert_eq!(
                ObjectionText::parse(reason, contact, "").unwrap_err(),
                ObjectionProblem::ContactIsPhone,
                "{contact}"
            );
        }
        for contact in ["wx_laowang", "laowang@example.com", "3号楼 502"] {
            let text = ObjectionText::parse(reason, contact, "").unwrap();
            assert_eq!((text.contact.as_str(), text.reply_phone), (contact, None));
        }
    }

    #[test]
    fn the_nominee_number_is_optional_but_must_be_a_number() {
        let reason = "第三投票点的计票单与现场公布数字不一致";
        assert_eq!(ObjectionText::parse(reason, "", " ").unwrap().nominee, None);
        assert_eq!(
            ObjectionText::parse(reason, "", "七").unwrap_err(),
            ObjectionProblem::UnknownNominee
        );
        assert_eq!(
            ObjectionText::parse(reason, "", "0").unwrap_err(),
            ObjectionProblem::UnknownNominee
        );
    }

    #[test]
    fn answers_and_codes() {
        assert!(parse_answer("已核").is_err());
        assert_eq!(
            parse_answer(" 经复核，数字无误。 ").unwrap(),
            "经复核，数字无误。"
        );
        for p in ObjectionProblem::ALL {
            assert_eq!(ObjectionProblem::parse(p.code()), Some(p));
        }
    }
}
