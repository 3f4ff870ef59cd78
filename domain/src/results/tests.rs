//! The ranking of the public tally, table by table.

use super::*;
use crate::campaign::{CampaignId, Phases, VoteRules};

fn campaign(visibility: ResultsVisibility) -> Campaign {
    let d = |n| Millis(0).plus_days(n);
    Campaign {
        id: CampaignId(1),
        slug: "t".into(),
        title_zh: "测".into(),
        title_en: "T".into(),
        description_zh: String::new(),
        description_en: String::new(),
        hosts_zh: String::new(),
        hosts_en: String::new(),
        hotline: None,
        phases: Phases::new(d(0), d(1), d(2), d(3), d(4), d(5)).unwrap(),
        rules: VoteRules::new(10, 1).unwrap(),
        results_visibility: visibility,
        results_frozen_at: None,
    }
}

fn row(number: u32, votes: u64) -> TallyRow {
    split_row(number, votes, 0)
}

fn split_row(number: u32, online: u64, paper: u64) -> TallyRow {
    TallyRow {
        number: NomineeNumber::new(number).unwrap(),
        name: format!("n{number}"),
        street_zh: String::new(),
        street_en: String::new(),
        community_zh: String::new(),
        community_en: String::new(),
        online,
        paper,
        changed_at: None,
        jury: None,
    }
}

fn tally(rows: Vec<TallyRow>, version: u64) -> Tally {
    Tally {
        rows,
        version,
        stations: StationsReported::default(),
        ..Tally::default()
    }
}

fn live(rows: Vec<TallyRow>, version: u64) -> ResultsSnapshot {
    let c = campaign(ResultsVisibility::Live);
    ResultsSnapshot::build(&c, ResultsStage::Live, tally(rows, version), Millis(7))
}

#[test]
fn ranks_by_votes_and_shares_ranks_on_ties() {
    let s = ResultsSnapshot::build(
        &campaign(ResultsVisibility::Live),
        ResultsStage::Live,
        tally(vec![row(1, 5), row(2, 9), row(3, 5), row(4, 0)], 3),
        Millis(7),
    );
    let got: Vec<_> = s
        .entries
        .iter()
        .map(|e| (e.rank.unwrap(), e.number.get(), e.votes.unwrap()))
        .collect();
    assert_eq!(got, vec![(1, 2, 9), (2, 1, 5), (2, 3, 5), (4, 4, 0)]);
    assert_eq!(s.total_votes, Some(19));
    assert_eq!(s.max_votes(), 9);
}

#[test]
fn online_and_paper_rank_together_as_their_plain_sum() {
    let mut t = tally(
        vec![split_row(1, 10, 0), split_row(2, 3, 8), split_row(3, 0, 11)],
        5,
    );
    t.stations = StationsReported {
        reported: 37,
        total: 45,
    };
    let s = ResultsSnapshot::build(
        &campaign(ResultsVisibility::Live),
        ResultsStage::Live,
        t,
        Millis(7),
    );
    let got: Vec<_> = s
        .entries
        .iter()
        .map(|e| {
            (
                e.rank.unwrap(),
                e.number.get(),
                e.online.unwrap(),
                e.paper.unwrap(),
                e.combined.unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![(1, 3, 0, 11, 11), (2, 2, 3, 8, 11), (3, 1, 10, 0, 10)]
    );
    assert_eq!(
        s.entries[1].tie_break,
        Some(TieBreak::MorePaper),
        "the ladder's first rung"
    );
    // The tag stands on the nominee placed below, so it names the one above:
    // that one has the more paper votes.
    assert!(s.entries[0].paper > s.entries[1].paper);
    assert_eq!(
        TieBreak::MorePaper.placed_below(crate::Lang::Zh),
        "同分，上一位纸质选票较多"
    );
    assert!(s.entries.iter().all(|e| e.votes == e.combined));
    assert_eq!(s.total_votes, Some(32));
    assert_eq!((s.stations_reported, s.stations_total), (37, 45));
    let hidden = s.hidden(ResultsStage::Hidden);
    assert!(hidden
        .entries
        .iter()
        .all(|e| e.online.is_none() && e.paper.is_none() && e.combined.is_none()));
}

#[test]
fn hidden_results_show_no_counts_and_no_order_by_count() {
    let s = ResultsSnapshot::build(
        &campaign(ResultsVisibility::Hidden),
        ResultsStage::Hidden,
        tally(vec![row(2, 9), row(1, 5)], 4),
        Millis(7),
    );
    assert_eq!(s.total_votes, None);
    assert_eq!(s.version, 0, "the version would tell how busy voting is");
    assert!(s
        .entries
        .iter()
        .all(|e| e.votes.is_none() && e.rank.is_none()));
    assert_eq!(s.entries[0].number.get(), 1);
    let json = serde_json::to_string(&s).unwrap();
    assert!(!json.contains("\"votes\":9"), "{json}");
}

#[test]
fn hiding_a_live_snapshot_drops_counts_ranks_order_and_version() {
    let shown = live(vec![row(1, 5), row(2, 9)], 12);
    let hidden = shown.hidden(ResultsStage::Hidden);
    assert_eq!(hidden.visibility, ResultsVisibility::Hidden);
    assert_eq!((hidden.version, hidden.total_votes), (0, None));
    let numbers: Vec<_> = hidden.entries.iter().map(|e| e.number.get()).collect();
    assert_eq!(numbers, vec![1, 2]);
    assert!(hidden
        .entries
        .iter()
        .all(|e| e.votes.is_none() && e.rank.is_none()));
    assert_eq!(
        hidden.as_of,
        shown.hidden(ResultsStage::Hidden).as_of,
        "the same whenever hidden"
    );
}

fn weighted(winners: u16) -> RankRule {
    RankRule::new(
        Formula::Weighted {
            scaling: crate::ranking::Scaling::ToMaximum,
            weights: crate::ranking::Weights {
                online: 50,
                paper: 50,
                jury: 0,
            },
        },
        winners,
        &crate::ranking::DEFAULT_LADDER,
    )
    .unwrap()
}

#[test]
fn a_weighted_formula_scores_and_publishes_itself() {
    let mut t = tally(
        vec![
            split_row(1, 100, 0),
            split_row(2, 50, 40),
            split_row(3, 0, 20),
        ],
        9,
    );
    t.rule = weighted(2);
    let s = ResultsSnapshot::build(
        &campaign(ResultsVisibility::Live),
        ResultsStage::Live,
        t,
        Millis(7),
    );
    let got: Vec<_> = s
        .entries
        .iter()
        .map(|e| (e.number.get(), e.score.clone().unwrap(), e.winner))
        .collect();
    // 2: 25 + 50; 1: 50 + 0; 3: 0 + 25.
    assert_eq!(
        got,
        vec![
            (2, "75.00".into(), true),
            (1, "50.00".into(), true),
            (3, "25.00".into(), false)
        ]
    );
    assert_eq!(s.winners, 2);
    assert!(
        s.formula.words_zh.contains("网络投票 50%"),
        "{}",
        s.formula.words_zh
    );
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["formula"]["rule"]["formula"]["kind"], "weighted");
    assert_eq!(json["state"], "live");
    assert_eq!(json["entries"][0]["score"], "75.00");
}

#[test]
fn a_tie_at_the_tenth_place_is_pending_a_lot_until_drawn() {
    // Eleven nominees; 10th and 11th equal in every channel.
    let mut rows: Vec<TallyRow> = (1..=9)
        .map(|k| split_row(k, 100 - u64::from(k), 5))
        .collect();
    rows.push(split_row(10, 40, 5));
    rows.push(split_row(11, 40, 5));
    let c = campaign(ResultsVisibility::Live);
    let s = ResultsSnapshot::build(&c, ResultsStage::Live, tally(rows.clone(), 3), Millis(7));
    let n = |k| NomineeNumber::new(k).unwrap();
    assert_eq!(s.lot_pending, vec![n(10), n(11)]);
    assert!(
        s.entries[9].winner && s.entries[10].winner,
        "both stand on the line until the lot"
    );
    let mut drawn = tally(rows, 3);
    drawn.lot_places = vec![(n(11), 1), (n(10), 2)];
    let s = ResultsSnapshot::build(&c, ResultsStage::Live, drawn, Millis(7));
    assert!(s.lot_pending.is_empty());
    let tail: Vec<_> = s.entries[9..]
        .iter()
        .map(|e| (e.number.get(), e.rank, e.tie_break, e.winner))
        .collect();
    assert_eq!(
        tail,
        vec![
            (11, Some(10), None, true),
            (10, Some(11), Some(TieBreak::Lot), false)
        ]
    );
}

#[test]
fn a_withdrawn_nominee_is_not_in_the_running() {
    // The store leaves withdrawn nominees out of the tally rows; the
    // winners are then the next in line.
    let rows = vec![split_row(1, 9, 0), split_row(3, 5, 0), split_row(4, 1, 0)];
    let mut t = tally(rows, 1);
    t.rule = RankRule::new(Formula::PlainSum, 2, &crate::ranking::DEFAULT_LADDER).unwrap();
    let s = ResultsSnapshot::build(
        &campaign(ResultsVisibility::Live),
        ResultsStage::Live,
        t,
        Millis(7),
    );
    let winners: Vec<_> = s
        .entries
        .iter()
        .filter(|e| e.winner)
        .map(|e| e.number.get())
        .collect();
    assert_eq!(winners, vec![1, 3]);
}

#[test]
fn a_closed_count_hides_counts_from_the_public_but_not_the_formula() {
    let s = ResultsSnapshot::build(
        &campaign(ResultsVisibility::Live),
        ResultsStage::Closed,
        tally(vec![row(1, 5), row(2, 9)], 4),
        Millis(7),
    );
    assert_eq!(
        (s.state, s.visibility, s.total_votes),
        (ResultsStage::Closed, ResultsVisibility::Hidden, None)
    );
    assert!(s
        .entries
        .iter()
        .all(|e| e.score.is_none() && !e.winner && e.rank.is_none()));
    assert_eq!(s.formula.rule, RankRule::default());
    let notice = ResultsSnapshot::build(
        &campaign(ResultsVisibility::Live),
        ResultsStage::Notice,
        tally(vec![row(1, 5), row(2, 9)], 4),
        Millis(7),
    );
    assert_eq!(
        (notice.visibility, notice.total_votes),
        (ResultsVisibility::Frozen, Some(14))
    );
    assert_eq!(score_text(&Formula::PlainSum, 14 * POINT), "14");
    assert_eq!(score_text(&weighted(1).formula, 33_333_333), "33.33");
    assert_eq!(score_text(&weighted(1).formula, 66_666_667), "66.67");
}

#[test]
fn an_older_read_never_replaces_a_newer_one() {
    let newer = live(vec![row(1, 5), row(2, 9)], 12);
    let older = live(vec![row(1, 5), row(2, 8)], 11);
    assert!(!newer.superseded_by(&older));
    assert!(older.superseded_by(&newer));
    // The same version read again is no news; a renamed campaign is.
    assert!(!newer.superseded_by(&newer.clone()));
    let mut renamed = newer.clone();
    renamed.title_zh = "新".into();
    assert!(newer.superseded_by(&renamed));
}

#[test]
fn a_jury_channel_weighs_in_with_its_average() {
    let mut rows = vec![
        split_row(1, 100, 0),
        split_row(2, 80, 0),
        split_row(3, 50, 0),
    ];
    rows[0].jury = Some(6_000);
    rows[1].jury = Some(9_000);
    // No. 3 has no jury score yet: its jury part is nothing.
    let mut t = tally(rows, 2);
    t.rule = RankRule::new(
        Formula::Weighted {
            scaling: crate::ranking::Scaling::ToMaximum,
            weights: crate::ranking::Weights {
                online: 70,
                paper: 0,
                jury: 30,
            },
        },
        2,
        &crate::ranking::DEFAULT_LADDER,
    )
    .unwrap();
    let s = ResultsSnapshot::build(
        &campaign(ResultsVisibility::Live),
        ResultsStage::Live,
        t,
        Millis(7),
    );
    let got: Vec<_> = s
        .entries
        .iter()
        .map(|e| (e.number.get(), e.score.clone().unwrap(), e.jury.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "90.00".to_string(), Some("60.00".to_string())),
            (2, "86.00".to_string(), Some("90.00".to_string())),
            (3, "35.00".to_string(), None),
        ]
    );
    assert!(
        s.formula.words_zh.contains("评委评分 30%"),
        "{}",
        s.formula.words_zh
    );
}
