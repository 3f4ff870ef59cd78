//! Free text as people type it into a form: a name, a note, a reason, an
//! address. One type for every such field, so that no field reaches the
//! database with a character it cannot hold (PostgreSQL refuses a NUL) or
//! one that would forge a line in an export or a log. Ends are trimmed and
//! Windows line ends become `\n`; a control character is refused, not
//! dropped, so the person is told and what is stored is what they see.

/// Rust's `char::is_whitespace` (what `str::trim` trims) as the inside of a
/// regular expression's character class, for the API's schema: the same in
/// ECMA-262 (JSON Schema), Python (schemathesis) and the `regex` crate.
pub const WHITE_SPACE_CLASS: &str =
    r"\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// Rust's `char::is_control` (Unicode's Cc) as the inside of a character class.
pub const CONTROL_CLASS: &str = r"\u0000-\u001f\u007f-\u009f";

/// What one field may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRule {
    /// The most characters (not bytes) kept.
    pub max_chars: usize,
    /// Whether an empty field is refused.
    pub required: bool,
    /// Whether line breaks (and tabs) are allowed: a story, not a name.
    pub lines: bool,
}

impl TextRule {
    /// One line, required: a name.
    pub const fn line(max_chars: usize) -> Self {
        TextRule {
            max_chars,
            required: true,
            lines: false,
        }
    }

    /// Several lines, required: a reason, a story.
    pub const fn lines(max_chars: usize) -> Self {
        TextRule {
            max_chars,
            required: true,
            lines: true,
        }
    }

    /// The same rule, with an empty field allowed.
    pub const fn optional(self) -> Self {
        TextRule {
            required: false,
            ..self
        }
    }
}

/// Why typed text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextProblem {
    #[error("the field is empty")]
    Empty,
    #[error("the field is too long")]
    TooLong,
    /// A control character (NUL and the like, or a line break in a
    /// one-line field).
    #[error("the field holds a control character")]
    Control,
}

/// Text that passed its field's [`TextRule`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FreeText(String);

impl FreeText {
    pub fn parse(typed: &str, rule: TextRule) -> Result<Self, TextProblem> {
        let text = typed.trim().replace("\r\n", "\n");
        let allowed = |c: char| !c.is_control() || (rule.lines && matches!(c, '\n' | '\t'));
        if !text.chars().all(allowed) {
            return Err(TextProblem::Control);
        }
        if rule.required && text.is_empty() {
            return Err(TextProblem::Empty);
        }
        if text.chars().count() > rule.max_chars {
            return Err(TextProblem::TooLong);
        }
        Ok(FreeText(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Display for FreeText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_one_line_of_printable_text() {
        let name = TextRule::line(4);
        assert_eq!(
            FreeText::parse(" 定海路 ", name).unwrap().as_str(),
            "定海路"
        );
        assert_eq!(FreeText::parse("  ", name), Err(TextProblem::Empty));
        assert_eq!(
            FreeText::parse("定海路街道", name),
            Err(TextProblem::TooLong)
        );
        assert_eq!(FreeText::parse("定\0海", name), Err(TextProblem::Control));
        assert_eq!(FreeText::parse("定\n海", name), Err(TextProblem::Control));
        assert_eq!(FreeText::parse("", name.optional()).unwrap().as_str(), "");
    }

    #[test]
    fn the_classes_are_rusts_own() {
        let white = regex::Regex::new(&format!("^[{WHITE_SPACE_CLASS}]$")).unwrap();
        let control = regex::Regex::new(&format!("^[{CONTROL_CLASS}]$")).unwrap();
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s: &str = c.encode_utf8(&mut buf);
            assert_eq!(white.is_match(s), c.is_whitespace(), "{c:?}");
            assert_eq!(control.is_match(s), c.is_control(), "{c:?}");
        }
    }

    #[test]
    fn a_story_keeps_its_lines_but_no_other_control_character() {
        let story = TextRule::lines(20);
        assert_eq!(
            FreeText::parse("第一行\r\n第二行\t完", story)
                .unwrap()
                .as_str(),
            "第一行\n第二行\t完"
        );
        assert_eq!(FreeText::parse("a\0b", story), Err(TextProblem::Control));
        assert_eq!(
            FreeText::parse("a\u{1b}[31m", story),
            Err(TextProblem::Control)
        );
    }
}
