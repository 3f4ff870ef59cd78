//! Streets and their communities, as organizers import them from a CSV file
//! (`street_zh,street_en,community_zh,community_en`). A file is taken whole
//! or not at all: every rejected row is reported with its line and reason,
//! and then nothing is imported.

/// One row of the file: a community and its street, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceRow {
    pub street_zh: String,
    pub street_en: String,
    pub community_zh: String,
    pub community_en: String,
}

/// A row the import refuses, by its line in the file (1 is the header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rejected {
    pub line: usize,
    /// `header`, `columns`, `street_missing`, `community_missing`,
    /// `too_long`, `duplicate`, `too_many` or `empty`.
    pub reason: &'static str,
}

pub const HEADER: [&str; 4] = ["street_zh", "street_en", "community_zh", "community_en"];
pub const MAX_ROWS: usize = 5000;
const MAX_NAME_CHARS: usize = 40;

/// Splits one CSV line into fields: commas, and double quotes around fields
/// that hold commas or quotes (`""` inside is one quote).
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            (',', false) => out.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    out.push(field);
    out
}

/// The rows of a file, or every row it rejects.
pub fn parse_csv(text: &str) -> Result<Vec<PlaceRow>, Vec<Rejected>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err(vec![Rejected {
            line: 1,
            reason: "empty",
        }]);
    };
    let header: Vec<String> = fields(header)
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    if header != HEADER {
        return Err(vec![Rejected {
            line: 1,
            reason: "header",
        }]);
    }
    let mut rows: Vec<PlaceRow> = Vec::new();
    let mut rejected = Vec::new();
    for (index, line) in lines {
        let line_no = index + 1;
        if rows.len() + rejected.len() >= MAX_ROWS {
            rejected.push(Rejected {
                line: line_no,
                reason: "too_many",
            });
            break;
        }
        let f: Vec<String> = fields(line)
            .into_iter()
            .map(|s| s.trim().to_string())
            .collect();
        let reason = if f.len() != 4 {
            Some("columns")
        } else if f[0].is_empty() {
            Some("street_missing")
        } else if f[2].is_empty() {
            Some("community_missing")
        } else if f.iter().any(|s| s.chars().count() > MAX_NAME_CHARS) {
            Some("too_long")
        } else if rows
            .iter()
            .any(|r| r.street_zh == f[0] && r.community_zh == f[2])
        {
            Some("duplicate")
        } else {
            None
        };
        match reason {
            Some(reason) => rejected.push(Rejected {
                line: line_no,
                reason,
            }),
            None => rows.push(PlaceRow {
                street_zh: f[0].clone(),
                street_en: f[1].clone(),
                community_zh: f[2].clone(),
                community_en: f[3].clone(),
            }),
        }
    }
    if !rejected.is_empty() {
        return Err(rejected);
    }
    if rows.is_empty() {
        return Err(vec![Rejected {
            line: 2,
            reason: "empty",
        }]);
    }
    Ok(rows)
}

/// What an import added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportCounts {
    pub streets_added: u32,
    pub communities_added: u32,
    /// Rows whose community was already there: left as it was.
    pub already_present: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clean_file_is_read_whole() {
        let text = "\u{feff}street_zh,street_en,community_zh,community_en\n\
                    定海路街道,Dinghai Road,和润苑,Herun Garden\n\
                    \n\
                    \"控江路街道\",\"Kongjiang Road, Yangpu\",凤城一村,\"Fengcheng \"\"No. 1\"\"\"\n";
        let rows = parse_csv(text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].street_en, "Kongjiang Road, Yangpu");
        assert_eq!(rows[1].community_en, "Fengcheng \"No. 1\"");
    }

    #[test]
    fn every_bad_row_is_named_with_its_line() {
        let text = "street_zh,street_en,community_zh,community_en\n\
                    定海路街道,Dinghai,和润苑,Herun\n\
                    ,x,某社区,y\n\
                    定海路街道,Dinghai,,y\n\
                    定海路街道,Dinghai,和润苑,Herun\n\
                    just one column\n";
        let rejected = parse_csv(text).unwrap_err();
        let got: Vec<(usize, &str)> = rejected.iter().map(|r| (r.line, r.reason)).collect();
        assert_eq!(
            got,
            [
                (3, "street_missing"),
                (4, "community_missing"),
                (5, "duplicate"),
                (6, "columns")
            ]
        );
        assert_eq!(parse_csv("name,x\n").unwrap_err()[0].reason, "header");
        assert_eq!(parse_csv("").unwrap_err()[0].reason, "empty");
        let long = format!(
            "street_zh,street_en,community_zh,community_en\n{},a,b,c\n",
            "长".repeat(41)
        );
        assert_eq!(parse_csv(&long).unwrap_err()[0].reason, "too_long");
    }
}
