//! The reviewers' queue: what waits for a reviewer, a name search, an
//! order and pages — so that 200 nominations are cleared in an afternoon
//! from the list of what is left, not from a list of everything.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::name::normalise;
use super::state::{Consent, NominationState};
use crate::lang::Lang;

/// Rows on one page of the queue.
pub const PER_PAGE: usize = 25;

/// Which nominations the queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Show {
    /// What a reviewer must act on now (the default).
    #[default]
    Waiting,
    All,
    State(NominationState),
}

impl Show {
    /// From the query string's `state=`: empty or `waiting` for the
    /// default, `all`, or a state's code.
    pub fn parse(text: Option<&str>) -> Self {
        match text.map(str::trim) {
            None | Some("" | "waiting") => Show::Waiting,
            Some("all") => Show::All,
            Some(s) => NominationState::parse(s).map_or(Show::Waiting, Show::State),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Show::Waiting => "waiting",
            Show::All => "all",
            Show::State(s) => s.as_str(),
        }
    }

    pub fn shows(self, state: NominationState, consent: Consent, answered: bool) -> bool {
        match self {
            Show::Waiting => awaits_reviewer(state, consent, answered),
            Show::All => true,
            Show::State(s) => s == state,
        }
    }
}

/// Whether a reviewer must act: a new nomination to decide, a question the
/// nominator has answered, an eligible one whose nominee has agreed (to
/// approve). A question not answered yet, or consent not given yet, waits
/// for someone else.
pub fn awaits_reviewer(state: NominationState, consent: Consent, answered: bool) -> bool {
    match state {
        NominationState::Submitted => true,
        NominationState::NeedsInfo => answered,
        NominationState::Eligible => consent.given(),
        _ => false,
    }
}

/// The queue's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Order {
    /// The longest waiting first (the default: first come, first served).
    #[default]
    Oldest,
    Newest,
    /// By street and community, then the oldest first.
    Place,
}

impl Order {
    pub const ALL: [Order; 3] = [Order::Oldest, Order::Newest, Order::Place];

    pub fn parse(text: Option<&str>) -> Self {
        Self::ALL
            .into_iter()
            .find(|o| Some(o.code()) == text)
            .unwrap_or_default()
    }

    pub fn code(self) -> &'static str {
        match self {
            Order::Oldest => "oldest",
            Order::Newest => "newest",
            Order::Place => "place",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Order::Oldest, Lang::Zh) => "最早提交在前",
            (Order::Oldest, Lang::En) => "Oldest first",
            (Order::Newest, Lang::Zh) => "最新提交在前",
            (Order::Newest, Lang::En) => "Newest first",
            (Order::Place, Lang::Zh) => "按街道和居民区",
            (Order::Place, Lang::En) => "By street and community",
        }
    }
}

/// Whether `name` is what the reviewer searched for: the search's
/// letters anywhere in the name, spaces, dots and letter case aside
/// ("秀英" finds 吴秀英; "li na" finds "Li Na").
pub fn name_matches(name: &str, search: &str) -> bool {
    let wanted = normalise(search);
    wanted.is_empty() || normalise(name).contains(&wanted)
}

/// One page of a list of `total` rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageOf {
    /// From 1; a page past the end is the last.
    pub page: usize,
    /// At least 1.
    pub pages: usize,
    pub rows: Range<usize>,
}

pub fn page_of(total: usize, requested: usize, per_page: usize) -> PageOf {
    let pages = total.div_ceil(per_page.max(1)).max(1);
    let page = requested.clamp(1, pages);
    let start = (page - 1) * per_page;
    PageOf {
        page,
        pages,
        rows: start.min(total)..(start + per_page).min(total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NominationState::*;

    #[test]
    fn waiting_is_what_a_reviewer_must_act_on() {
        let cases = [
            (Submitted, Consent::Pending, false, true),
            (NeedsInfo, Consent::Pending, false, false),
            (NeedsInfo, Consent::Pending, true, true),
            (Eligible, Consent::Pending, false, false),
            (Eligible, Consent::GivenByLink, false, true),
            (Eligible, Consent::GivenOnPaper, false, true),
            (Approved, Consent::GivenByLink, false, false),
            (Merged, Consent::Pending, false, false),
            (Ineligible, Consent::Pending, true, false),
            (DeclinedByNominee, Consent::Declined, false, false),
        ];
        for (state, consent, answered, waits) in cases {
            assert_eq!(
                awaits_reviewer(state, consent, answered),
                waits,
                "{state:?} {consent:?} {answered}"
            );
        }
        assert!(Show::All.shows(Approved, Consent::GivenByLink, false));
        assert!(Show::State(Merged).shows(Merged, Consent::Pending, false));
        assert!(!Show::State(Merged).shows(Submitted, Consent::Pending, false));
    }

    #[test]
    fn the_query_string_reads_back() {
        assert_eq!(Show::parse(None), Show::Waiting);
        assert_eq!(Show::parse(Some("")), Show::Waiting);
        assert_eq!(Show::parse(Some("nonsense")), Show::Waiting);
        for show in [Show::Waiting, Show::All, Show::State(Eligible)] {
            assert_eq!(Show::parse(Some(show.code())), show);
        }
        for order in Order::ALL {
            assert_eq!(Order::parse(Some(order.code())), order);
        }
        assert_eq!(Order::parse(Some("x")), Order::Oldest);
    }

    #[test]
    fn names_are_found_by_any_part() {
        assert!(name_matches("吴秀英", "秀英"));
        assert!(name_matches("阿依古丽·买买提", "古丽买买"));
        assert!(name_matches("Li Na", "li na"));
        assert!(name_matches("Li Na", "LINA"));
        assert!(name_matches("吴秀英", "  "));
        assert!(!name_matches("吴秀英", "秀兰"));
    }

    #[test]
    fn pages_cover_every_row_once() {
        assert_eq!(
            page_of(0, 1, 25),
            PageOf {
                page: 1,
                pages: 1,
                rows: 0..0
            }
        );
        assert_eq!(
            page_of(60, 2, 25),
            PageOf {
                page: 2,
                pages: 3,
                rows: 25..50
            }
        );
        assert_eq!(
            page_of(60, 9, 25),
            PageOf {
                page: 3,
                pages: 3,
                rows: 50..60
            }
        );
        assert_eq!(page_of(60, 0, 25).page, 1);
        let mut seen = 0;
        for p in 1..=page_of(203, 1, PER_PAGE).pages {
            seen += page_of(203, p, PER_PAGE).rows.len();
        }
        assert_eq!(seen, 203);
    }
}
