//! Organizers: who runs the award, in which role, and what each role may do.
//! One table decides every permission; routes and server functions ask it,
//! and the console hides what it refuses.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrganizerId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything.
    Admin,
    /// Nominations and fraud review.
    Reviewer,
    /// Paper ballots of the stations assigned to them.
    StationOperator,
    /// The ceremony display's controls.
    ScreenOperator,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::Reviewer,
        Role::StationOperator,
        Role::ScreenOperator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Reviewer => "reviewer",
            Role::StationOperator => "station_operator",
            Role::ScreenOperator => "screen_operator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Role::Admin => lang.pick("管理员", "Administrator"),
            Role::Reviewer => lang.pick("审核员", "Reviewer"),
            Role::StationOperator => lang.pick("投票站录入员", "Polling-station operator"),
            Role::ScreenOperator => lang.pick("大屏操作员", "Screen operator"),
        }
    }
}

/// Everything an organizer can ask the console to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Open the console at all.
    ViewConsole,
    ManageOrganizers,
    EditCampaign,
    ManageStreets,
    EditNominees,
    ViewAuditLog,
    ReviewNominations,
    ReviewFraud,
    EnterPaperBallots,
    /// Set polling stations up: place, hours, ballot stock, sheets, the paper rule.
    ManageStations,
    /// Decide between two differing entries of a tally sheet (the count coordinator).
    ResolveSheets,
    /// Reopen a definitive tally sheet, with a reason.
    ReopenSheets,
    /// Let a sheet count without the photo of the signed paper, with a reason.
    WaiveSheetPhotos,
    ControlScreen,
    /// The ranking rule, the publication stages and drawing a lot.
    PublishResults,
    AnswerObjections,
    /// See the counts while the public may not (results hidden, or the
    /// count closed): the console's ranking, the screens' previews.
    ReadHiddenResults,
}

impl Action {
    pub const ALL: [Action; 17] = [
        Action::ViewConsole,
        Action::ManageOrganizers,
        Action::EditCampaign,
        Action::ManageStreets,
        Action::EditNominees,
        Action::ViewAuditLog,
        Action::ReviewNominations,
        Action::ReviewFraud,
        Action::EnterPaperBallots,
        Action::ManageStations,
        Action::ResolveSheets,
        Action::ReopenSheets,
        Action::WaiveSheetPhotos,
        Action::ControlScreen,
        Action::PublishResults,
        Action::AnswerObjections,
        Action::ReadHiddenResults,
    ];
}

/// The one permission table.
pub fn allowed(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::Admin => true,
        Role::Reviewer => matches!(
            action,
            ViewConsole | ReviewNominations | ReviewFraud | AnswerObjections
        ),
        Role::StationOperator => matches!(action, ViewConsole | EnterPaperBallots),
        Role::ScreenOperator => matches!(action, ViewConsole | ControlScreen),
    }
}

/// The console's access decision for a page or a form: its data, or why it
/// cannot be had. It travels from the server to the pages (server functions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Console<T> {
    Open(T),
    /// No live organizer session: sign in first.
    SignIn,
    /// Signed in, but the role does not allow it.
    Forbidden,
}

/// A login name: 3 to 32 lower-case letters, digits, `.`, `_` or `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    pub fn parse(input: &str) -> Option<Username> {
        let name = input.trim().to_ascii_lowercase();
        let ok = (3..=32).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        ok.then_some(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Passwords: at least 10 characters, at most 200 (argon2 takes any length;
/// the cap keeps a request from buying minutes of hashing).
pub fn password_problem(password: &str, lang: Lang) -> Option<&'static str> {
    let n = password.chars().count();
    if n < 10 {
        Some(lang.pick(
            "密码至少需要 10 个字符。",
            "A password needs at least 10 characters.",
        ))
    } else if n > 200 {
        Some(lang.pick(
            "密码不能超过 200 个字符。",
            "A password can have at most 200 characters.",
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admins_may_do_everything_others_only_their_part() {
        for action in Action::ALL {
            assert!(allowed(Role::Admin, action));
        }
        assert!(allowed(Role::Reviewer, Action::ReviewFraud));
        assert!(!allowed(Role::Reviewer, Action::EditNominees));
        assert!(allowed(Role::StationOperator, Action::EnterPaperBallots));
        assert!(!allowed(Role::StationOperator, Action::ViewAuditLog));
        // Operators key; only administrators set stations up, decide
        // between entries and reopen; reviewers and screen operators do
        // nothing with paper ballots.
        for paper in [
            Action::ManageStations,
            Action::ResolveSheets,
            Action::ReopenSheets,
            Action::WaiveSheetPhotos,
        ] {
            for role in [Role::StationOperator, Role::Reviewer, Role::ScreenOperator] {
                assert!(!allowed(role, paper), "{role:?} {paper:?}");
            }
        }
        assert!(!allowed(Role::Reviewer, Action::EnterPaperBallots));
        assert!(!allowed(Role::ScreenOperator, Action::EnterPaperBallots));
        assert!(allowed(Role::ScreenOperator, Action::ControlScreen));
        assert!(!allowed(Role::ScreenOperator, Action::EditCampaign));
        // Hidden counts are the administrators' alone.
        for role in [Role::StationOperator, Role::Reviewer, Role::ScreenOperator] {
            assert!(!allowed(role, Action::ReadHiddenResults), "{role:?}");
        }
        for role in Role::ALL {
            assert!(allowed(role, Action::ViewConsole));
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn usernames_and_passwords_are_checked() {
        assert_eq!(Username::parse(" Wang.Li ").unwrap().as_str(), "wang.li");
        assert!(Username::parse("ab").is_none());
        assert!(Username::parse("王力").is_none());
        assert!(Username::parse("a b c").is_none());
        assert!(password_problem("short", Lang::Zh).is_some());
        assert!(password_problem("long enough pass", Lang::Zh).is_none());
        assert!(password_problem(&"x".repeat(201), Lang::En).is_some());
    }
}
