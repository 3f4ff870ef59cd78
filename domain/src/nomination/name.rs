//! Is this the same person? Names as residents type them: with spaces, a
//! middle dot in a minority name (阿依古丽·买买提), full-width letters,
//! traditional characters (張偉), or the homophone a pinyin keyboard offered
//! first (张玮 for 张伟). Two nominations in the same community are likely
//! the same person when their names are the same after [`normalise`], or
//! when they sound alike ([`sound`]): the same pinyin without tones, after
//! folding the sounds a Shanghai ear hears as one (zh/z, ch/c, sh/s, and
//! -ng/-n: 陈 chen and 程 cheng). The pinyin comes from the `pinyin` crate's
//! data (Unicode's Unihan readings), which covers traditional characters too.

use pinyin::ToPinyin;
use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// Why two names look like one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Likeness {
    /// The same name once spaces, dots and letter widths are set aside.
    Same,
    /// Written differently, read alike (张伟 / 张玮, 張偉 / 张伟, 陈静 / 程静).
    SoundsAlike,
}

impl Likeness {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Likeness::Same, Lang::Zh) => "同名",
            (Likeness::Same, Lang::En) => "same name",
            (Likeness::SoundsAlike, Lang::Zh) => "读音相近",
            (Likeness::SoundsAlike, Lang::En) => "sounds alike",
        }
    }
}

/// The name with spaces and dots removed, full-width letters and digits made
/// plain, letters in lower case.
pub fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && !is_dot(*c))
        .map(|c| match c {
            // Full-width ASCII (ＡＢＣ１２３) is the same letter.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The dots and dashes set aside in a name: a middle dot between a
/// minority name's parts, a full stop, a hyphen.
pub const DOTS: [char; 10] = ['·', '•', '・', '‧', '∙', '.', '。', '-', '－', '_'];

pub fn is_dot(c: char) -> bool {
    DOTS.contains(&c)
}

/// [`DOTS`] as the inside of a regular expression's character class.
pub fn dots_class() -> String {
    DOTS.iter()
        .map(|c| format!("\\u{:04x}", u32::from(*c)))
        .collect()
}

/// How the name reads: toneless pinyin syllables with the folds above,
/// joined by spaces; a character without a reading stays as it is.
pub fn sound(name: &str) -> String {
    let plain = normalise(name);
    plain
        .chars()
        .map(|c| {
            let mut buf = [0u8; 4];
            let text: &str = c.encode_utf8(&mut buf);
            match text.to_pinyin().next().flatten() {
                Some(p) => fold(p.plain()),
                None => c.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The sounds a Shanghai ear hears as one.
fn fold(syllable: &str) -> String {
    let s = syllable
        .replacen("zh", "z", 1)
        .replacen("ch", "c", 1)
        .replacen("sh", "s", 1);
    match s.strip_suffix("ng") {
        Some(stem) => format!("{stem}n"),
        None => s,
    }
}

/// Whether two names are likely one person, and why.
pub fn likeness(a: &str, b: &str) -> Option<Likeness> {
    let (na, nb) = (normalise(a), normalise(b));
    if na.is_empty() || nb.is_empty() {
        return None;
    }
    if na == nb {
        return Some(Likeness::Same);
    }
    (na.chars().count() == nb.chars().count() && sound(&na) == sound(&nb))
        .then_some(Likeness::SoundsAlike)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_name_typed_differently_is_the_same() {
        assert_eq!(likeness("张伟", "张伟"), Some(Likeness::Same));
        assert_eq!(likeness("张 伟", "张伟"), Some(Likeness::Same));
        assert_eq!(likeness("张伟\u{3000}", "张伟"), Some(Likeness::Same));
        assert_eq!(
            likeness("阿依古丽·买买提", "阿依古丽买买提"),
            Some(Likeness::Same)
        );
        assert_eq!(likeness("ＬＩＮＤＡ", "Linda"), Some(Likeness::Same));
    }

    #[test]
    fn homophones_and_traditional_characters_sound_alike() {
        assert_eq!(likeness("张伟", "张玮"), Some(Likeness::SoundsAlike));
        assert_eq!(likeness("張偉", "张伟"), Some(Likeness::SoundsAlike));
        assert_eq!(likeness("王建国", "王建國"), Some(Likeness::SoundsAlike));
        // A Shanghai ear: -ng and -n, zh and z.
        assert_eq!(likeness("陈静", "程静"), Some(Likeness::SoundsAlike));
        assert_eq!(likeness("周敏", "邹敏"), Some(Likeness::SoundsAlike));
    }

    #[test]
    fn different_people_are_not_suggested() {
        assert_eq!(likeness("张伟", "张三"), None);
        assert_eq!(likeness("王建国", "王建华"), None);
        assert_eq!(likeness("李红", "李红梅"), None);
        assert_eq!(likeness("", "张伟"), None);
        assert_eq!(likeness("·", "张伟"), None);
    }

    #[test]
    fn sound_reads_each_character() {
        assert_eq!(sound("张伟"), "zan wei");
        assert_eq!(sound("陈"), sound("程"));
        assert_eq!(sound("Li 娜"), "l i na");
    }
}
