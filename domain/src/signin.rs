//! Signing in to vote: SMS codes and their limits, as pure rules.
//!
//! The limits keep SMS cheap to defend: one code per number per cooldown,
//! a daily cap per number (no SMS bombing of a stranger) and an hourly cap per
//! network address (no spraying across many numbers), and few tries per code
//! (no guessing).

use serde::{Deserialize, Serialize};

use crate::clock::Millis;
use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsLimits {
    /// How long a code stays valid.
    pub code_ttl_ms: i64,
    /// Wrong tries allowed per code from one address.
    pub max_attempts: u32,
    /// Wrong tries a number takes in a Shanghai day from all addresses
    /// together; past it, only an address the number has signed in from
    /// may still try (its own `max_attempts`).
    pub wrong_ceiling_per_day: u32,
    /// Minimum gap between two codes to the same number asked for from the
    /// same address.
    pub resend_cooldown_ms: i64,
    /// Codes one number gets in a Shanghai day, asked for from any one
    /// network address.
    pub per_number_per_day: u32,
    /// Codes one number gets in a day from all addresses together; past it,
    /// only an address the number has signed in from before still gets its
    /// own `per_number_per_day`: strangers cannot spend a resident's codes.
    pub number_ceiling_per_day: u32,
    /// Codes requested from one network address per hour.
    pub per_ip_per_hour: u32,
    /// Codes to a number today after which a request needs a solved
    /// picture challenge: a stranger's script cannot spend a resident's
    /// daily codes without a person solving one per code.
    pub challenge_after_per_number: u32,
    /// The same, for codes asked for from one address in the last hour.
    pub challenge_after_per_address: u32,
}

impl Default for SmsLimits {
    fn default() -> Self {
        SmsLimits {
            code_ttl_ms: 5 * 60_000,
            max_attempts: 5,
            wrong_ceiling_per_day: 20,
            resend_cooldown_ms: 60_000,
            per_number_per_day: 10,
            number_ceiling_per_day: 30,
            per_ip_per_hour: 20,
            challenge_after_per_number: 3,
            challenge_after_per_address: 5,
        }
    }
}

/// What the store knows about recent codes, read in the same transaction as the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SmsHistory {
    /// The last code sent to the number that was asked for from this address
    /// (the cooldown is per address, so a stranger's request holds no one back).
    pub last_sent_here: Option<Millis>,
    /// Codes sent to the number today, from every address.
    pub sent_to_number_today: u32,
    /// Of those, the ones asked for from this address.
    pub sent_to_number_today_here: u32,
    /// The number has signed in with a code asked for from this address.
    pub number_known_here: bool,
    pub sent_from_ip_last_hour: u32,
    /// When the oldest of the last hour's sends from this address happened.
    pub oldest_from_ip_last_hour: Option<Millis>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SmsRefusal {
    /// Wait this long before asking again.
    TooSoon { retry_after_ms: i64 },
    /// This number has had its codes for today.
    NumberDailyCap { retry_after_ms: i64 },
    /// Too many codes from this network address.
    AddressHourlyCap { retry_after_ms: i64 },
    /// Past the thresholds: solve the picture challenge first.
    ChallengeRequired,
}

impl SmsRefusal {
    pub fn retry_after_s(self) -> i64 {
        let ms = match self {
            SmsRefusal::TooSoon { retry_after_ms }
            | SmsRefusal::NumberDailyCap { retry_after_ms }
            | SmsRefusal::AddressHourlyCap { retry_after_ms } => retry_after_ms,
            SmsRefusal::ChallengeRequired => 0,
        };
        (ms + 999).div_euclid(1000).max(1)
    }

    pub fn message(self, lang: Lang) -> String {
        let s = self.retry_after_s();
        match (self, lang) {
            (SmsRefusal::TooSoon { .. }, Lang::Zh) => {
                format!("验证码已发送，请 {s} 秒后再重新获取。")
            }
            (SmsRefusal::TooSoon { .. }, Lang::En) => {
                format!("A code was just sent. You can ask again in {s} seconds.")
            }
            (SmsRefusal::NumberDailyCap { .. }, Lang::Zh) => {
                "这个号码今天获取验证码的次数已用完，请明天再试。".into()
            }
            (SmsRefusal::NumberDailyCap { .. }, Lang::En) => {
                "This number has had all of today's codes. Please try tomorrow.".into()
            }
            (SmsRefusal::AddressHourlyCap { .. }, Lang::Zh) => {
                format!("请求过于频繁，请 {} 分钟后再试。", (s + 59) / 60)
            }
            (SmsRefusal::AddressHourlyCap { .. }, Lang::En) => format!(
                "Too many requests. Please try again in {} minutes.",
                (s + 59) / 60
            ),
            (SmsRefusal::ChallengeRequired, Lang::Zh) => {
                "这个号码今天已多次获取验证码，请先输入图片中的字符。".into()
            }
            (SmsRefusal::ChallengeRequired, Lang::En) => {
                "This number has had several codes today. Please type the characters in the picture first.".into()
            }
        }
    }
}

/// Whether one more code may be sent now. `solved`: the request came with a
/// solved picture challenge.
pub fn may_send(
    history: &SmsHistory,
    limits: &SmsLimits,
    now: Millis,
    solved: bool,
) -> Result<(), SmsRefusal> {
    if let Some(last) = history.last_sent_here {
        let wait = last.0 + limits.resend_cooldown_ms - now.0;
        if wait > 0 {
            return Err(SmsRefusal::TooSoon {
                retry_after_ms: wait,
            });
        }
    }
    let over_ceiling =
        history.sent_to_number_today >= limits.number_ceiling_per_day && !history.number_known_here;
    if history.sent_to_number_today_here >= limits.per_number_per_day || over_ceiling {
        let wait = now.shanghai_day().next_midnight().0 - now.0;
        return Err(SmsRefusal::NumberDailyCap {
            retry_after_ms: wait,
        });
    }
    if history.sent_from_ip_last_hour >= limits.per_ip_per_hour {
        let oldest = history.oldest_from_ip_last_hour.unwrap_or(now);
        let wait = (oldest.0 + 3_600_000 - now.0).max(1000);
        return Err(SmsRefusal::AddressHourlyCap {
            retry_after_ms: wait,
        });
    }
    // Many codes to the number from elsewhere are no reason to make its own
    // resident, at an address it signed in from, solve a picture.
    let busy = (history.sent_to_number_today >= limits.challenge_after_per_number
        && !history.number_known_here)
        || history.sent_from_ip_last_hour >= limits.challenge_after_per_address;
    if busy && !solved {
        return Err(SmsRefusal::ChallengeRequired);
    }
    Ok(())
}

/// Why a code was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeRefusal {
    /// Wrong code (or none was sent).
    Invalid,
    Expired,
    TooManyTries,
}

impl CodeRefusal {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            CodeRefusal::Invalid => lang.pick(
                "验证码不正确，请核对短信后重新输入。",
                "That code is not right. Check the text message and try again.",
            ),
            CodeRefusal::Expired => lang.pick(
                "验证码已过期，请重新获取。",
                "That code has expired. Please ask for a new one.",
            ),
            CodeRefusal::TooManyTries => lang.pick(
                "输错次数太多，请重新获取验证码。",
                "Too many wrong tries. Please ask for a new code.",
            ),
        }
    }
}

/// The stored state of one code sent to a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCode {
    pub code_hash: [u8; 32],
    pub expires_at: Millis,
    /// Wrong tries against it from the address trying now.
    pub attempts: u32,
    pub used: bool,
}

/// The number's wrong tries as the address trying now stands with them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WrongTries {
    /// Wrong codes typed for the number today, from every address.
    pub today: u32,
    /// The number has signed in with a code asked for from this address.
    pub known_here: bool,
}

/// What redeeming does: accept one of the number's codes (its index), count
/// a wrong try, or refuse outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redemption {
    Accept(usize),
    WrongTry,
    Refuse(CodeRefusal),
}

/// Judges a typed code against every code the number has not used, newest
/// first. Asking for a new code does not cancel the one before: a stranger
/// who asks for codes for someone else's number cannot void the code that
/// person is typing. Wrong tries count per address against all the number's
/// live codes together, so more codes never mean more guesses, and a
/// stranger's wrong tries never spend the resident's code. A guesser with
/// many addresses meets the number's daily ceiling, which only the number's
/// known addresses pass. `matches[i]` is the constant-time comparison of the
/// typed code's hash with `codes[i]`'s.
pub fn redeem(
    codes: &[StoredCode],
    matches: &[bool],
    wrong: WrongTries,
    limits: &SmsLimits,
    now: Millis,
) -> Redemption {
    let live: Vec<usize> = (0..codes.len())
        .filter(|&i| !codes[i].used && now < codes[i].expires_at)
        .collect();
    if live.is_empty() {
        return Redemption::Refuse(match codes.first() {
            Some(newest) if !newest.used => CodeRefusal::Expired,
            _ => CodeRefusal::Invalid,
        });
    }
    let tries = live.iter().map(|&i| codes[i].attempts).max().unwrap_or(0);
    let ceiling = !wrong.known_here && wrong.today >= limits.wrong_ceiling_per_day;
    if tries >= limits.max_attempts || ceiling {
        return Redemption::Refuse(CodeRefusal::TooManyTries);
    }
    match live
        .into_iter()
        .find(|&i| matches.get(i).copied().unwrap_or(false))
    {
        Some(i) => Redemption::Accept(i),
        None => Redemption::WrongTry,
    }
}

/// A six-digit code as typed: spaces allowed, nothing else.
pub fn parse_code(typed: &str) -> Option<String> {
    // Spaces only, as people type them: the API's pattern says the same.
    let digits: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{3000}'))
        .collect();
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: SmsLimits = SmsLimits {
        code_ttl_ms: 300_000,
        max_attempts: 5,
        wrong_ceiling_per_day: 8,
        resend_cooldown_ms: 60_000,
        per_number_per_day: 3,
        number_ceiling_per_day: 6,
        per_ip_per_hour: 4,
        challenge_after_per_number: 2,
        challenge_after_per_address: 3,
    };

    #[test]
    fn cooldown_then_daily_cap_then_address_cap() {
        let now = Millis::from_shanghai(2026, 11, 27, 23, 0);
        assert_eq!(
            may_send(&SmsHistory::default(), &LIMITS, now, false),
            Ok(())
        );
        let recent = SmsHistory {
            last_sent_here: Some(now.plus_ms(-10_000)),
            ..Default::default()
        };
        assert_eq!(
            may_send(&recent, &LIMITS, now, true),
            Err(SmsRefusal::TooSoon {
                retry_after_ms: 50_000
            })
        );
        let capped = SmsHistory {
            last_sent_here: Some(now.plus_ms(-61_000)),
            sent_to_number_today: 3,
            sent_to_number_today_here: 3,
            ..Default::default()
        };
        assert_eq!(
            may_send(&capped, &LIMITS, now, true),
            Err(SmsRefusal::NumberDailyCap {
                retry_after_ms: 3_600_000
            })
        );
        let busy = SmsHistory {
            sent_from_ip_last_hour: 4,
            oldest_from_ip_last_hour: Some(now.plus_ms(-3_000_000)),
            ..Default::default()
        };
        assert_eq!(
            may_send(&busy, &LIMITS, now, true),
            Err(SmsRefusal::AddressHourlyCap {
                retry_after_ms: 600_000
            })
        );
    }

    #[test]
    fn strangers_cannot_spend_a_residents_codes() {
        let now = Millis::from_shanghai(2026, 11, 27, 12, 0);
        // Strangers elsewhere asked for six codes, the ceiling.
        let spent = SmsHistory {
            sent_to_number_today: 6,
            ..Default::default()
        };
        assert!(matches!(
            may_send(&spent, &LIMITS, now, true),
            Err(SmsRefusal::NumberDailyCap { .. })
        ));
        // From an address the number signed in from, its own three remain,
        // with no picture to solve.
        let home = SmsHistory {
            number_known_here: true,
            sent_to_number_today_here: 2,
            ..spent
        };
        assert_eq!(may_send(&home, &LIMITS, now, false), Ok(()));
        assert!(matches!(
            may_send(
                &SmsHistory {
                    sent_to_number_today_here: 3,
                    ..home
                },
                &LIMITS,
                now,
                true
            ),
            Err(SmsRefusal::NumberDailyCap { .. })
        ));
        // One stranger's request holds no one else's back: the cooldown is
        // per address.
        let elsewhere = SmsHistory {
            sent_to_number_today: 1,
            ..Default::default()
        };
        assert_eq!(may_send(&elsewhere, &LIMITS, now, false), Ok(()));
    }

    #[test]
    fn past_the_thresholds_a_solved_challenge_is_needed() {
        let now = Millis::from_shanghai(2026, 11, 27, 12, 0);
        let number_busy = SmsHistory {
            sent_to_number_today: 2,
            ..Default::default()
        };
        assert_eq!(
            may_send(&number_busy, &LIMITS, now, false),
            Err(SmsRefusal::ChallengeRequired)
        );
        assert_eq!(may_send(&number_busy, &LIMITS, now, true), Ok(()));
        let address_busy = SmsHistory {
            sent_from_ip_last_hour: 3,
            oldest_from_ip_last_hour: Some(now),
            ..Default::default()
        };
        assert_eq!(
            may_send(&address_busy, &LIMITS, now, false),
            Err(SmsRefusal::ChallengeRequired)
        );
        // Caps come first: a challenge never buys more than the cap.
        let capped = SmsHistory {
            sent_to_number_today: 3,
            sent_to_number_today_here: 3,
            ..Default::default()
        };
        assert!(matches!(
            may_send(&capped, &LIMITS, now, true),
            Err(SmsRefusal::NumberDailyCap { .. })
        ));
        assert!(SmsRefusal::ChallengeRequired
            .message(Lang::Zh)
            .contains("图片"));
    }

    #[test]
    fn refusals_round_retry_up_and_speak_both_languages() {
        let r = SmsRefusal::TooSoon {
            retry_after_ms: 1_001,
        };
        assert_eq!(r.retry_after_s(), 2);
        assert!(r.message(Lang::Zh).contains("2 秒"));
        assert!(r.message(Lang::En).contains("2 seconds"));
    }

    #[test]
    fn codes_work_once_expire_and_stop_after_five_wrong_tries() {
        let now = Millis(1_000_000);
        let code = StoredCode {
            code_hash: [0; 32],
            expires_at: now.plus_ms(1),
            attempts: 0,
            used: false,
        };
        let one = std::slice::from_ref(&code);
        assert_eq!(
            redeem(one, &[true], WrongTries::default(), &LIMITS, now),
            Redemption::Accept(0)
        );
        assert_eq!(
            redeem(one, &[false], WrongTries::default(), &LIMITS, now),
            Redemption::WrongTry
        );
        assert_eq!(
            redeem(one, &[true], WrongTries::default(), &LIMITS, now.plus_ms(1)),
            Redemption::Refuse(CodeRefusal::Expired)
        );
        let used = StoredCode {
            used: true,
            ..code.clone()
        };
        assert_eq!(
            redeem(&[used], &[true], WrongTries::default(), &LIMITS, now),
            Redemption::Refuse(CodeRefusal::Invalid)
        );
        let tried = StoredCode {
            attempts: 5,
            ..code.clone()
        };
        assert_eq!(
            redeem(&[tried], &[true], WrongTries::default(), &LIMITS, now),
            Redemption::Refuse(CodeRefusal::TooManyTries)
        );
        assert_eq!(
            redeem(&[], &[], WrongTries::default(), &LIMITS, now),
            Redemption::Refuse(CodeRefusal::Invalid)
        );
    }

    #[test]
    fn a_newer_code_does_not_void_the_one_being_typed() {
        let now = Millis(1_000_000);
        let code = |attempts| StoredCode {
            code_hash: [0; 32],
            expires_at: now.plus_ms(60_000),
            attempts,
            used: false,
        };
        // A stranger asked for a new code; the resident types the first one.
        let codes = [code(0), code(0)];
        assert_eq!(
            redeem(&codes, &[false, true], WrongTries::default(), &LIMITS, now),
            Redemption::Accept(1)
        );
        // Tries are the number's: a fresh code brings no fresh guesses.
        let codes = [code(0), code(5)];
        assert_eq!(
            redeem(&codes, &[true, false], WrongTries::default(), &LIMITS, now),
            Redemption::Refuse(CodeRefusal::TooManyTries)
        );
        // An expired code is no longer one of the live ones.
        let expired = StoredCode {
            expires_at: now,
            attempts: 5,
            ..code(0)
        };
        assert_eq!(
            redeem(
                &[code(0), expired],
                &[true, false],
                WrongTries::default(),
                &LIMITS,
                now
            ),
            Redemption::Accept(0)
        );
    }

    #[test]
    fn a_strangers_wrong_tries_leave_the_residents_code_alone() {
        let now = Millis(1_000_000);
        let code = |attempts| StoredCode {
            code_hash: [0; 32],
            expires_at: now.plus_ms(60_000),
            attempts,
            used: false,
        };
        // A stranger spent five tries from elsewhere: the resident's address
        // has none against it, and the code works.
        let fresh = WrongTries {
            today: 5,
            known_here: false,
        };
        assert_eq!(
            redeem(&[code(0)], &[true], fresh, &LIMITS, now),
            Redemption::Accept(0)
        );
        // Many addresses together reach the day's ceiling: then only an
        // address the number signed in from may try.
        let ceiling = WrongTries {
            today: 8,
            known_here: false,
        };
        assert_eq!(
            redeem(&[code(0)], &[true], ceiling, &LIMITS, now),
            Redemption::Refuse(CodeRefusal::TooManyTries)
        );
        let home = WrongTries {
            today: 8,
            known_here: true,
        };
        assert_eq!(
            redeem(&[code(0)], &[true], home, &LIMITS, now),
            Redemption::Accept(0)
        );
        // Home still has only its own five.
        assert_eq!(
            redeem(&[code(5)], &[true], home, &LIMITS, now),
            Redemption::Refuse(CodeRefusal::TooManyTries)
        );
    }

    #[test]
    fn codes_are_six_digits() {
        assert_eq!(parse_code(" 123 456 "), Some("123456".into()));
        assert_eq!(parse_code("12345"), None);
        assert_eq!(parse_code("12345a"), None);
    }
}

/// A printed ballot code: ten characters from an alphabet without look-alikes
/// (no 0/O, 1/I/L), printed as `ABCDE-FGHJK`; typed in any case, with or
/// without spaces and dashes.
pub mod ballot_code {
    pub const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    pub const LENGTH: usize = 10;

    /// The canonical form, or `None` if it cannot be a ballot code.
    pub fn normalize(typed: &str) -> Option<String> {
        let code: String = typed
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        (code.len() == LENGTH && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
    }

    /// How the card prints it.
    pub fn printed(code: &str) -> String {
        if code.len() == LENGTH {
            format!("{}-{}", &code[..5], &code[5..])
        } else {
            code.to_string()
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn codes_are_typed_loosely_and_printed_in_two_groups() {
            assert_eq!(normalize("abcde-fghjk").as_deref(), Some("ABCDEFGHJK"));
            assert_eq!(normalize(" ABCDE FGHJK ").as_deref(), Some("ABCDEFGHJK"));
            assert_eq!(normalize("ABCDE-FGHJ0"), None, "0 is not in the alphabet");
            assert_eq!(normalize("ABCD"), None);
            assert_eq!(printed("ABCDEFGHJK"), "ABCDE-FGHJK");
        }
    }
}
