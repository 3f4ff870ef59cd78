//! Every text message the platform sends, worded once and signed alike.
//!
//! Older residents are taught to ignore texts that look unfamiliar: two
//! signatures, a long random link and no number to call are what a scam
//! looks like. So every text carries the same signature, a short link and,
//! where the organisers gave one, their telephone number.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::notice::CampaignProblem;

/// The one signature every text starts with (the award's name, as the
/// posters and the consent page say it).
pub const SIGNATURE_ZH: &str = "【十佳小巷总理】";
pub const SIGNATURE_EN: &str = "[Top Ten Alley Premier]";

pub fn signature(lang: Lang) -> &'static str {
    lang.pick(SIGNATURE_ZH, SIGNATURE_EN)
}

/// The organisers' telephone number residents and nominees may call
/// ("021-6543 2100"): digits with the usual separators, 5 to 20 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Hotline(String);

impl Hotline {
    /// The number as typed; an empty field is no number (`Ok(None)`).
    pub fn parse(text: &str) -> Result<Option<Self>, CampaignProblem> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let allowed = |c: char| c.is_ascii_digit() || " -+()转".contains(c);
        let digits = text.chars().filter(char::is_ascii_digit).count();
        if text.chars().count() > 20 || digits < 5 || !text.chars().all(allowed) {
            return Err(CampaignProblem::Hotline);
        }
        Ok(Some(Hotline(text.to_string())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The sign-in code.
pub fn signin_code(lang: Lang, code: &str, minutes: i64) -> String {
    match lang {
        Lang::Zh => format!(
            "{SIGNATURE_ZH}您的登录验证码是 {code}，{minutes} 分钟内有效。请勿告诉他人，工作人员不会向您索要。"
        ),
        Lang::En => format!(
            "{SIGNATURE_EN} Your sign-in code is {code}, valid for {minutes} minutes. Do not share it; staff never ask for it."
        ),
    }
}

/// The nominee's consent request: who asks, the short link, how long it
/// works, and whom to call.
pub fn consent_request(link: &str, days: u32, hotline: Option<&Hotline>) -> String {
    format!(
        "{SIGNATURE_ZH}居民推荐您参加“十佳小巷总理”评选。请在 {days} 天内打开 {link} 回复是否同意。{}",
        call(hotline)
    )
}

/// "Call …" after a text, when the organisers gave a number.
fn call(hotline: Option<&Hotline>) -> String {
    hotline.map_or(String::new(), |h| {
        format!("如有疑问请致电组委会 {}。", h.as_str())
    })
}

/// A resident's objection was answered.
pub fn objection_answered(link: &str, hotline: Option<&Hotline>) -> String {
    format!(
        "{SIGNATURE_ZH}您对评选结果提出的异议已答复，请打开 {link} 登录查看。{}",
        call(hotline)
    )
}

/// A reviewer asked the nominator a question.
pub fn nomination_question(link: &str, hotline: Option<&Hotline>) -> String {
    format!(
        "{SIGNATURE_ZH}审核员对您提交的推荐有一个问题，请打开 {link} 登录回复。{}",
        call(hotline)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_carries_the_one_signature() {
        let hotline = Hotline::parse("021-6543 2100").unwrap();
        for text in [
            signin_code(Lang::Zh, "123456", 5),
            consent_request("https://tp.example/consent/K7M2QX9PAB", 7, hotline.as_ref()),
            consent_request("https://tp.example/consent/K7M2QX9PAB", 7, None),
            objection_answered("https://tp.example/results#objections", hotline.as_ref()),
            nomination_question("https://tp.example/my/nominations", None),
        ] {
            assert!(text.starts_with(SIGNATURE_ZH), "{text}");
            assert_eq!(text.matches('【').count(), 1, "one signature: {text}");
        }
        assert!(signin_code(Lang::En, "123456", 5).starts_with(SIGNATURE_EN));
        let asked = consent_request("https://tp.example/consent/K7M2QX9PAB", 7, hotline.as_ref());
        assert!(
            asked.contains("021-6543 2100") && asked.contains("7 天内"),
            "{asked}"
        );
        assert!(!consent_request("x", 7, None).contains("致电"));
    }

    #[test]
    fn a_hotline_is_a_telephone_number() {
        assert_eq!(Hotline::parse("  "), Ok(None));
        for ok in [
            "021-65432100",
            "021 6543 2100",
            "+86 21 6543 2100",
            "12345",
            "65432100转8",
        ] {
            assert_eq!(Hotline::parse(ok).unwrap().unwrap().as_str(), ok);
        }
        for bad in [
            "请打电话",
            "1234",
            "021-6543-2100-0000-0000",
            "http://x.cn/123456",
        ] {
            assert!(Hotline::parse(bad).is_err(), "{bad}");
        }
    }
}
