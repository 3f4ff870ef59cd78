//! The recount: every nominee's running tally (what the results show) against
//! a count of the vote records themselves. They must agree; `alleyvote tally
//! verify` prints the comparison and fails on any difference, and every race
//! test ends with it.

use std::collections::BTreeMap;
use std::fmt;

use alleyvote_domain::{Campaign, Millis, NomineeNumber};

use super::storage::ResultsStorage;
use crate::storage::StoreResult;

/// One nominee's two counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recount {
    pub number: NomineeNumber,
    pub name: String,
    /// The running tally, as the results show it.
    pub running: u64,
    /// The votes counted from their records.
    pub recounted: u64,
}

/// The comparison for a campaign, nominee by nominee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TallyCheck {
    pub campaign: String,
    pub rows: Vec<Recount>,
}

impl TallyCheck {
    /// The nominees whose two counts differ.
    pub fn differences(&self) -> Vec<&Recount> {
        self.rows
            .iter()
            .filter(|r| r.running != r.recounted)
            .collect()
    }

    pub fn agrees(&self) -> bool {
        self.differences().is_empty()
    }
}

/// Recounts a campaign's votes and pairs each nominee's counts.
pub async fn verify(store: &dyn ResultsStorage, campaign: &Campaign) -> StoreResult<TallyCheck> {
    let running = store.tally(campaign.id).await?;
    // Every record, whenever it was cast.
    let recounted = store.tally_as_of(campaign.id, Millis(i64::MAX)).await?;
    let mut rows: BTreeMap<NomineeNumber, Recount> = BTreeMap::new();
    for r in running.rows {
        rows.insert(
            r.number,
            Recount {
                number: r.number,
                name: r.name,
                running: r.votes,
                recounted: 0,
            },
        );
    }
    for r in recounted {
        rows.entry(r.number)
            .or_insert(Recount {
                number: r.number,
                name: r.name,
                running: 0,
                recounted: 0,
            })
            .recounted = r.votes;
    }
    Ok(TallyCheck {
        campaign: campaign.slug.clone(),
        rows: rows.into_values().collect(),
    })
}

/// The table `alleyvote tally verify` prints.
impl fmt::Display for TallyCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "campaign {}", self.campaign)?;
        writeln!(
            f,
            "{:>4}  {:<12} {:>9} {:>9}",
            "no.", "name", "running", "recount"
        )?;
        for r in &self.rows {
            let mark = if r.running == r.recounted {
                ""
            } else {
                "  <- differs"
            };
            writeln!(
                f,
                "{:>4}  {:<12} {:>9} {:>9}{mark}",
                r.number.to_string(),
                r.name,
                r.running,
                r.recounted
            )?;
        }
        let (running, recounted) = self
            .rows
            .iter()
            .fold((0, 0), |(a, b), r| (a + r.running, b + r.recounted));
        writeln!(f, "{:>4}  {:<12} {running:>9} {recounted:>9}", "", "total")?;
        match self.differences().len() {
            0 => write!(f, "the running tally matches the records"),
            n => write!(f, "{n} nominee(s) differ"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: u32, running: u64, recounted: u64) -> Recount {
        Recount {
            number: NomineeNumber::new(n).unwrap(),
            name: format!("候选人{n}"),
            running,
            recounted,
        }
    }

    #[test]
    fn a_difference_is_named_and_fails_the_check() {
        let same = TallyCheck {
            campaign: "c".into(),
            rows: vec![row(1, 5, 5), row(2, 0, 0)],
        };
        assert!(same.agrees());
        assert!(same
            .to_string()
            .ends_with("the running tally matches the records"));
        let off = TallyCheck {
            campaign: "c".into(),
            rows: vec![row(1, 5, 5), row(2, 3, 2)],
        };
        assert!(!off.agrees());
        assert_eq!(off.differences(), vec![&row(2, 3, 2)]);
        let table = off.to_string();
        assert!(table.contains("<- differs") && table.ends_with("1 nominee(s) differ"));
        assert!(table.contains("total"));
    }
}
