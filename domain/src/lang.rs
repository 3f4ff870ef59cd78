//! The two languages of the pages and messages. Chinese comes first.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The `lang` attribute / cookie value.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Reads a cookie value or an `Accept-Language` tag; anything unknown is Chinese.
    pub fn parse(s: &str) -> Lang {
        let s = s.trim().to_ascii_lowercase();
        if s == "en" || s.starts_with("en-") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// Picks the language of a request: the explicit choice (cookie) wins,
    /// otherwise the browser's first preference if it is English, otherwise Chinese.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
        if let Some(c) = cookie {
            return Lang::parse(c);
        }
        accept_language
            .and_then(|h| h.split(',').next())
            .map(|first| Lang::parse(first.split(';').next().unwrap_or("")))
            .unwrap_or_default()
    }

    /// Picks the language from a request's raw `Cookie` and `Accept-Language` headers.
    pub fn from_headers<'a>(
        cookies: impl IntoIterator<Item = &'a str>,
        accept_language: Option<&str>,
    ) -> Lang {
        let chosen = cookies
            .into_iter()
            .flat_map(|h| h.split(';'))
            .find_map(|kv| kv.trim().strip_prefix("lang="));
        Lang::negotiate(chosen, accept_language)
    }

    /// Picks one of two texts.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_beats_browser_and_chinese_is_the_default() {
        assert_eq!(Lang::negotiate(Some("en"), Some("zh-CN")), Lang::En);
        assert_eq!(Lang::negotiate(Some("zh-CN"), Some("en-US")), Lang::Zh);
        assert_eq!(Lang::negotiate(None, Some("en-GB,en;q=0.8")), Lang::En);
        assert_eq!(Lang::negotiate(None, Some("fr-FR")), Lang::Zh);
        assert_eq!(Lang::negotiate(None, None), Lang::Zh);
    }

    #[test]
    fn reads_the_lang_cookie_among_others() {
        assert_eq!(Lang::from_headers(["a=1; lang=en; b=2"], None), Lang::En);
        assert_eq!(Lang::from_headers(["a=1", "lang=zh"], Some("en")), Lang::Zh);
        assert_eq!(Lang::from_headers([], Some("en-US")), Lang::En);
    }
}
