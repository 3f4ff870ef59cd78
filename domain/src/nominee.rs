//! Nominees (候选人) and the number (编号) that identifies them on paper ballots.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::street::StreetId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NomineeId(pub i64);

/// The number printed next to a nominee on the ballot: 1 to 999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct NomineeNumber(u16);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a nominee number is a whole number from 1 to 999")]
pub struct NomineeNumberError;

impl NomineeNumber {
    pub const MAX: u16 = 999;

    pub fn new(n: u32) -> Result<Self, NomineeNumberError> {
        if (1..=u32::from(Self::MAX)).contains(&n) {
            Ok(NomineeNumber(n as u16))
        } else {
            Err(NomineeNumberError)
        }
    }

    /// Accepts what people type: "7", "07", "007", "７" is not accepted.
    /// Digits as typed, leading zeros allowed (`007` is 7).
    pub fn parse(s: &str) -> Result<Self, NomineeNumberError> {
        let s = s.trim();
        let significant = s.trim_start_matches('0');
        if s.is_empty() || significant.len() > 3 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NomineeNumberError);
        }
        Self::new(significant.parse().unwrap_or(0))
    }

    pub fn get(self) -> u16 {
        self.0
    }
}

impl TryFrom<u32> for NomineeNumber {
    type Error = NomineeNumberError;
    fn try_from(n: u32) -> Result<Self, Self::Error> {
        NomineeNumber::new(n)
    }
}

impl From<NomineeNumber> for u32 {
    fn from(n: NomineeNumber) -> u32 {
        u32::from(n.0)
    }
}

impl fmt::Display for NomineeNumber {
    /// Ballots print three digits: 007.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

/// What the nominee list shows of each nominee (the page and the API alike).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NomineeSummary {
    pub number: NomineeNumber,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub street_id: StreetId,
    pub street_zh: String,
    pub street_en: String,
    pub community_zh: String,
    pub community_en: String,
    /// The photo's address on this site, if there is one.
    pub photo_url: Option<String>,
}

impl NomineeSummary {
    pub fn street(&self, lang: Lang) -> &str {
        lang.pick(&self.street_zh, &self.street_en)
    }

    pub fn community(&self, lang: Lang) -> &str {
        lang.pick(&self.community_zh, &self.community_en)
    }

    /// The photo for a list's small square: the server keeps a 240 px crop
    /// beside each uploaded photo (`…/card.jpg` beside `…/full.jpg`).
    pub fn thumbnail_url(&self) -> Option<String> {
        self.photo_url
            .as_ref()
            .map(|url| match url.split_once("/full.jpg") {
                Some((base, version)) if base.starts_with("/photos/") => {
                    format!("{base}/card.jpg{version}")
                }
                _ => url.clone(),
            })
    }

    /// The first character of the name, for a portrait placeholder.
    pub fn initial(&self) -> String {
        self.name
            .chars()
            .next()
            .map(String::from)
            .unwrap_or_default()
    }
}

/// A nominee's public profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nominee {
    pub id: NomineeId,
    pub summary: NomineeSummary,
    /// Plain text; paragraphs separated by blank lines. Never HTML.
    pub story: String,
}

impl Nominee {
    /// The story's start as one line (a shared link's description, the
    /// wall's reveal card): marks dropped, whitespace collapsed, cut at the
    /// first sentence's end when it comes within `max_chars`, else at
    /// `max_chars` with an ellipsis.
    pub fn opening(&self, max_chars: usize) -> String {
        let flat = self
            .story
            .replace("**", "")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let chars: Vec<char> = flat.chars().collect();
        if let Some(end) = chars
            .iter()
            .take(max_chars)
            .position(|c| matches!(c, '。' | '！' | '？' | '!' | '?'))
        {
            return chars[..=end].iter().collect();
        }
        if chars.len() <= max_chars {
            return flat;
        }
        let mut cut: String = chars[..max_chars.saturating_sub(1)].iter().collect();
        cut.push('…');
        cut
    }
}

/// A piece of a story's paragraph: plain text, or text between `**` marks
/// shown in bold. Only text: the page renders it as text nodes, so nothing
/// typed into a story can become markup or script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorySpan {
    pub text: String,
    pub strong: bool,
}

/// A story as paragraphs (split at blank lines; single line breaks stay in
/// the text) of spans. An unpaired `**` is kept as typed.
pub fn story_paragraphs(story: &str) -> Vec<Vec<StorySpan>> {
    let normalized = story.replace("\r\n", "\n");
    normalized
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let parts: Vec<&str> = p.split("**").collect();
            // An odd number of marks leaves the last one unpaired: keep it as text.
            let paired = parts.len() % 2 == 1;
            let mut spans: Vec<StorySpan> = Vec::new();
            for (i, part) in parts.iter().enumerate() {
                let strong = i % 2 == 1 && (paired || i + 1 < parts.len());
                let text = if !paired && i + 1 == parts.len() && i > 0 {
                    format!("**{part}")
                } else {
                    part.to_string()
                };
                if text.is_empty() {
                    continue;
                }
                match spans.last_mut() {
                    Some(last) if last.strong == strong => last.text.push_str(&text),
                    _ => spans.push(StorySpan { text, strong }),
                }
            }
            spans
        })
        .collect()
}

/// A search typed by a resident: a number finds that nominee, anything else
/// matches names. Trimmed, at most 20 characters, never empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchQuery {
    Number(NomineeNumber),
    Name(String),
}

impl SearchQuery {
    pub const MAX_CHARS: usize = 20;

    /// `None` for a blank search; an error for one too long to be a name.
    /// The length is of what was typed, spaces included: the same limit as
    /// the form field's and the API's.
    pub fn parse(s: &str) -> Result<Option<Self>, SearchQueryError> {
        if s.chars().count() > Self::MAX_CHARS {
            return Err(SearchQueryError::TooLong);
        }
        // No name holds a NUL, and PostgreSQL cannot compare text with one.
        if s.contains('\0') {
            return Err(SearchQueryError::Unreadable);
        }
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        if s.bytes().all(|b| b.is_ascii_digit()) {
            return NomineeNumber::parse(s)
                .map(|n| Some(SearchQuery::Number(n)))
                .map_err(|_| SearchQueryError::BadNumber);
        }
        Ok(Some(SearchQuery::Name(s.to_string())))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchQueryError {
    #[error("search is too long")]
    TooLong,
    #[error("no nominee has that number")]
    BadNumber,
    #[error("the search holds a character no name has")]
    Unreadable,
}

impl SearchQueryError {
    pub fn message(&self, lang: Lang) -> &'static str {
        match self {
            SearchQueryError::TooLong => lang.pick(
                "搜索内容太长，请输入姓名或编号。",
                "That search is too long: type a name or a number.",
            ),
            SearchQueryError::BadNumber => lang.pick(
                "编号应为 1 到 999 之间的数字。",
                "Numbers run from 1 to 999.",
            ),
            SearchQueryError::Unreadable => lang.pick(
                "搜索内容含有无法识别的字符，请输入姓名或编号。",
                "That search holds a character no name has: type a name or a number.",
            ),
        }
    }
}

/// Why a nominee search could not run. The page says it in the reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchProblem {
    TooLong,
    BadNumber,
    Unreadable,
    UnknownStreet,
}

impl SearchProblem {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            SearchProblem::TooLong => SearchQueryError::TooLong.message(lang),
            SearchProblem::BadNumber => SearchQueryError::BadNumber.message(lang),
            SearchProblem::Unreadable => SearchQueryError::Unreadable.message(lang),
            SearchProblem::UnknownStreet => lang.pick(
                "没有这个街道，请从列表中选择。",
                "Unknown street: pick one from the list.",
            ),
        }
    }
}

impl From<SearchQueryError> for SearchProblem {
    fn from(e: SearchQueryError) -> Self {
        match e {
            SearchQueryError::TooLong => SearchProblem::TooLong,
            SearchQueryError::BadNumber => SearchProblem::BadNumber,
            SearchQueryError::Unreadable => SearchProblem::Unreadable,
        }
    }
}

/// Which nominees a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NomineeFilter {
    pub street: Option<StreetId>,
    pub query: Option<SearchQuery>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbnails_are_the_stored_square_crops() {
        let mut n = NomineeSummary {
            number: NomineeNumber::new(1).unwrap(),
            name: "王".into(),
            street_id: StreetId(1),
            street_zh: String::new(),
            street_en: String::new(),
            community_zh: String::new(),
            community_en: String::new(),
            photo_url: Some("/photos/7/full.jpg?v=123".into()),
        };
        assert_eq!(
            n.thumbnail_url().as_deref(),
            Some("/photos/7/card.jpg?v=123")
        );
        n.photo_url = Some("https://example.cn/a.jpg".into());
        assert_eq!(
            n.thumbnail_url().as_deref(),
            Some("https://example.cn/a.jpg")
        );
        n.photo_url = None;
        assert_eq!(n.thumbnail_url(), None);
    }

    #[test]
    fn stories_keep_paragraphs_line_breaks_and_bold_only() {
        let story = "王阿姨**热心肠**。\n她每天巡楼。\r\n\r\n<script>alert(1)</script> 2**3";
        let p = story_paragraphs(story);
        assert_eq!(p.len(), 2);
        assert_eq!(
            p[0],
            vec![
                StorySpan {
                    text: "王阿姨".into(),
                    strong: false
                },
                StorySpan {
                    text: "热心肠".into(),
                    strong: true
                },
                StorySpan {
                    text: "。\n她每天巡楼。".into(),
                    strong: false
                },
            ]
        );
        assert_eq!(
            p[1],
            vec![StorySpan {
                text: "<script>alert(1)</script> 2**3".into(),
                strong: false
            }],
            "markup stays text; an unpaired mark stays as typed"
        );
        assert!(story_paragraphs("  \n\n ").is_empty());
    }

    #[test]
    fn numbers_accept_what_ballots_print() {
        assert_eq!(NomineeNumber::parse("7").unwrap().get(), 7);
        assert_eq!(NomineeNumber::parse(" 007 ").unwrap().get(), 7);
        assert_eq!(NomineeNumber::parse("00000000503").unwrap().get(), 503);
        assert!(NomineeNumber::parse("0000").is_err());
        assert!(NomineeNumber::parse("1000").is_err());
        assert_eq!(NomineeNumber::parse("7").unwrap().to_string(), "007");
        for bad in ["0", "1000", "-1", "abc", "", "7a", "99999"] {
            assert!(NomineeNumber::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn numbers_refuse_out_of_range_json() {
        assert!(serde_json::from_str::<NomineeNumber>("0").is_err());
        assert_eq!(
            serde_json::from_str::<NomineeNumber>("12").unwrap().get(),
            12
        );
    }

    #[test]
    fn search_tells_numbers_from_names() {
        assert_eq!(SearchQuery::parse("  ").unwrap(), None);
        assert_eq!(
            SearchQuery::parse("12").unwrap(),
            Some(SearchQuery::Number(NomineeNumber::new(12).unwrap()))
        );
        assert_eq!(
            SearchQuery::parse(" 王 ").unwrap(),
            Some(SearchQuery::Name("王".into()))
        );
        assert_eq!(SearchQuery::parse("0"), Err(SearchQueryError::BadNumber));
        assert_eq!(
            SearchQuery::parse("王\0"),
            Err(SearchQueryError::Unreadable)
        );
        assert_eq!(
            SearchQuery::parse(&"长".repeat(21)),
            Err(SearchQueryError::TooLong)
        );
    }

    #[test]
    fn a_story_opens_with_its_first_sentence_on_one_line() {
        let nominee = |story: &str| Nominee {
            id: NomineeId(1),
            summary: NomineeSummary {
                number: NomineeNumber::new(1).unwrap(),
                name: "王阿姨".into(),
                street_id: StreetId(1),
                street_zh: String::new(),
                street_en: String::new(),
                community_zh: String::new(),
                community_en: String::new(),
                photo_url: None,
            },
            story: story.into(),
        };
        let long = "热心肠，**二十年**如一日\n\n 守着弄堂。她每天早上六点就起来。";
        assert_eq!(nominee(long).opening(40), "热心肠，二十年如一日 守着弄堂。");
        assert_eq!(nominee(long).opening(8), "热心肠，二十年…");
        assert_eq!(nominee("短").opening(40), "短");
        assert_eq!(nominee("").opening(40), "");
    }
}
