//! The public search: a street and a name or number, as typed into the form.

use alleyvote_domain::nominee::SearchProblem;
use alleyvote_domain::{NomineeFilter, SearchQuery, StreetId};

/// A filter as typed into the search form, or why it cannot be used.
pub fn parse_filter(
    street: Option<&str>,
    query: Option<&str>,
) -> Result<NomineeFilter, SearchProblem> {
    let street = match street.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(StreetId(
            s.parse().map_err(|_| SearchProblem::UnknownStreet)?,
        )),
    };
    let query = match query {
        None => None,
        Some(q) => SearchQuery::parse(q).map_err(SearchProblem::from)?,
    };
    Ok(NomineeFilter { street, query })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_what_the_form_sends() {
        assert_eq!(parse_filter(None, None), Ok(NomineeFilter::default()));
        assert_eq!(
            parse_filter(Some(""), Some("  ")),
            Ok(NomineeFilter::default())
        );
        assert_eq!(
            parse_filter(Some("3"), None).unwrap().street,
            Some(StreetId(3))
        );
        assert_eq!(
            parse_filter(Some("abc"), None),
            Err(SearchProblem::UnknownStreet)
        );
        assert_eq!(parse_filter(None, Some("0")), Err(SearchProblem::BadNumber));
        assert_eq!(
            parse_filter(None, Some(&"x".repeat(30))),
            Err(SearchProblem::TooLong)
        );
    }
}
