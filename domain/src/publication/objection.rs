//! A resident's objection to the published results (异议): a reason, and
//! optionally a nominee it concerns and a way to be reached. The contact is
//! never a phone number: phone numbers are kept only as keyed hashes, and a
//! reviewer reaches the resident through the answer on the page.

use serde::{Deserialize, Serialize};

use crate::clock::Millis;
use crate::lang::Lang;
use crate::nominee::NomineeNumber;

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
    UnknownNominee,
    NotDuringNotice,
    TooMany,
    AnswerLength,
}

impl ObjectionProblem {
    pub const ALL: [ObjectionProblem; 8] = [
        ObjectionProblem::ReasonTooShort,
        ObjectionProblem::ReasonTooLong,
        ObjectionProblem::ContactTooLong,
        ObjectionProblem::ContactIsPhone,
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
                "为保护您的隐私，联系方式请填写微信号或邮箱，不要填写手机号。答复会显示在本页。",
                "To protect your privacy, give a WeChat ID or e-mail, not a phone number. The answer will show on this page.",
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
    pub contact: String,
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
        if looks_like_phone(contact) {
            return Err(ObjectionProblem::ContactIsPhone);
        }
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
    fn a_phone_number_is_never_taken_as_contact() {
        let reason = "第三投票点的计票单与现场公布数字不一致";
        for contact in [
            "13812345678",
            "+86 138 1234 5678",
            "电话 138-1234-5678",
            "微信 13812345678",
        ] {
            assert_eq!(
                ObjectionText::parse(reason, contact, "").unwrap_err(),
                ObjectionProblem::ContactIsPhone,
                "{contact}"
            );
        }
        for contact in ["wx_laowang", "laowang@example.com", "3号楼 502"] {
            assert!(
                ObjectionText::parse(reason, contact, "").is_ok(),
                "{contact}"
            );
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
