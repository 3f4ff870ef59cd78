//! The recount: every nominee's running tally (what the results show) against
//! a count of the records themselves, per channel: online votes against the
//! vote records, paper marks against the definitive tally sheets. They must
//! agree; `alleyvote tally verify` prints the comparison and fails on any
//! difference, and every race test ends with it.

use std::fmt;

use alleyvote_domain::{Campaign, NomineeNumber};

use super::storage::ResultsStorage;
use crate::storage::StoreResult;

/// One nominee's counts, running and recounted, per channel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recount {
    pub number: Option<NomineeNumber>,
    pub name: String,
    /// Still standing; a withdrawn nominee's votes are recounted too.
    pub active: bool,
    /// The running online tally, as the results show it.
    pub running: u64,
    /// The online votes counted from their records.
    pub recounted: u64,
    /// The running paper tally.
    pub running_paper: u64,
    /// The marks of the definitive tally sheets.
    pub recounted_paper: u64,
}

impl Recount {
    pub fn agrees(&self) -> bool {
        self.running == self.recounted && self.running_paper == self.recounted_paper
    }
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
        self.rows.iter().filter(|r| !r.agrees()).collect()
    }

    pub fn agrees(&self) -> bool {
        self.differences().is_empty()
    }

    /// Every column summed.
    pub fn totals(&self) -> Recount {
        self.rows.iter().fold(
            Recount {
                name: "total".into(),
                ..Recount::default()
            },
            |mut t, r| {
                t.running += r.running;
                t.recounted += r.recounted;
                t.running_paper += r.running_paper;
                t.recounted_paper += r.recounted_paper;
                t
            },
        )
    }
}

/// Recounts a campaign's votes and pairs each nominee's counts.
pub async fn verify(store: &dyn ResultsStorage, campaign: &Campaign) -> StoreResult<TallyCheck> {
    Ok(TallyCheck {
        campaign: campaign.slug.clone(),
        rows: store.recount(campaign.id).await?,
    })
}

/// The table `alleyvote tally verify` prints.
impl fmt::Display for TallyCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "campaign {}", self.campaign)?;
        writeln!(
            f,
            "{:>4}  {:<12} {:>9} {:>9} {:>9} {:>9}",
            "no.", "name", "online", "records", "paper", "sheets"
        )?;
        for r in &self.rows {
            let mark = match (r.agrees(), r.active) {
                (false, _) => "  <- differs",
                (true, false) => "  (withdrawn)",
                (true, true) => "",
            };
            writeln!(
                f,
                "{:>4}  {:<12} {:>9} {:>9} {:>9} {:>9}{mark}",
                r.number.map(|n| n.to_string()).unwrap_or_default(),
                r.name,
                r.running,
                r.recounted,
                r.running_paper,
                r.recounted_paper
            )?;
        }
        let total = self.totals();
        writeln!(
            f,
            "{:>4}  {:<12} {:>9} {:>9} {:>9} {:>9}",
            "", "total", total.running, total.recounted, total.running_paper, total.recounted_paper
        )?;
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
            number: Some(NomineeNumber::new(n).unwrap()),
            name: format!("候选人{n}"),
            active: true,
            running,
            recounted,
            running_paper: 7,
            recounted_paper: 7,
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
        let paper_off = TallyCheck {
            campaign: "c".into(),
            rows: vec![Recount {
                recounted_paper: 6,
                ..row(1, 5, 5)
            }],
        };
        assert!(!paper_off.agrees(), "the paper channel is recounted too");
        assert_eq!(paper_off.totals().running_paper, 7);
        let withdrawn = TallyCheck {
            campaign: "c".into(),
            rows: vec![Recount {
                active: false,
                ..row(3, 4, 4)
            }],
        };
        assert!(withdrawn.agrees());
        assert!(withdrawn.to_string().contains("(withdrawn)"));
    }
}
