//! The corrections card on `/console/results` (administrators, once the
//! results are published): propose a correction with its reason, confirm
//! one another administrator proposed, cancel one not confirmed yet, and
//! publish the corrected ranking. Plain forms; the server decides.

use alleyvote_domain::publication::{CorrectionNote, CorrectionState};
use alleyvote_domain::Lang;
use leptos::prelude::*;

use super::model::ResultsConsoleData;
use crate::i18n::{date_time, use_lang};

#[component]
pub(super) fn Corrections(page: ResultsConsoleData) -> impl IntoView {
    let lang = use_lang();
    let me = page.who.me.id;
    let underway = page.corrections.iter().any(|c| c.state.underway());
    let hidden = {
        let (csrf, slug) = (page.who.csrf.clone(), page.slug.clone());
        move || {
            view! {
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <input type="hidden" name="slug" value=slug.clone()/>
            }
        }
    };
    let rows = page
        .corrections
        .iter()
        .rev()
        .map(|c| {
            let steps = match c.state {
                CorrectionState::Proposed if c.proposed_by == me => view! {
                    <p class="fine">{lang.pick("须由另一位管理员确认后才能开始更正。", "Another administrator must confirm it before the correction begins.")}</p>
                    <StepButton id=c.id step="cancel" label=lang.pick("撤销这项更正", "Cancel this correction") secondary=true hidden=hidden.clone()/>
                }.into_any(),
                CorrectionState::Proposed => view! {
                    <StepButton id=c.id step="confirm" label=lang.pick("我已核实，确认开始更正", "I checked it: confirm the correction") secondary=false hidden=hidden.clone()/>
                    <StepButton id=c.id step="cancel" label=lang.pick("撤销这项更正", "Cancel this correction") secondary=true hidden=hidden.clone()/>
                }.into_any(),
                CorrectionState::Open => view! {
                    <p class="fine">{lang.pick(
                        "更正进行中：现在可以撤回候选人、重开并重新录入计票单、抽签等。公众仍看到已公示的结果，直到发布更正。",
                        "The correction is open: nominees may be withdrawn, sheets reopened and keyed again, a lot drawn. The public sees the published ranking until the correction is published.",
                    )}</p>
                    <StepButton id=c.id step="publish" label=lang.pick("发布更正后的结果", "Publish the corrected ranking") secondary=false hidden=hidden.clone()/>
                }.into_any(),
                CorrectionState::Published | CorrectionState::Cancelled => ().into_any(),
            };
            let confirmed = c.confirmed_by_name.clone().map(|name| view! {
                <p class="fine">{lang.pick("确认：", "Confirmed by: ")}{name}{" · "}{c.confirmed_at.map(|t| date_time(lang, t))}</p>
            });
            let note = c.note.clone().map(|n| view! { <NoteSummary note=n/> });
            view! {
                <li class="card" data-testid="correction" data-state=c.state.as_str()>
                    <p><strong>{c.state.label(lang)}</strong></p>
                    <p class="reason">{c.reason.clone()}</p>
                    <p class="fine">{lang.pick("提出：", "Proposed by: ")}{c.proposed_by_name.clone()}{" · "}{date_time(lang, c.proposed_at)}</p>
                    {confirmed}
                    {note}
                    {steps}
                </li>
            }
        })
        .collect_view();
    let propose = (!underway).then(|| {
        view! {
            <form method="post" action="/console/results/corrections" class="stack" data-testid="correction-form">
                {hidden()}
                <label>{lang.pick("更正理由（将随更正结果一起公示）", "Reason for the correction (published with the corrected ranking)")}
                    <textarea name="reason" required minlength="10" maxlength="1000" rows="3"
                        placeholder=lang.pick("例：经复核第 3 投票点计票单录入有误（异议第 2 号成立）", "E.g. station 3's sheet was keyed wrongly (objection 2 upheld)")></textarea>
                </label>
                <button type="submit" class="button secondary">{lang.pick("提出更正", "Propose a correction")}</button>
            </form>
        }
    });
    view! {
        <section class="card" id="corrections" data-testid="corrections-section">
            <h2>{lang.pick("更正已公示的结果", "Correcting the published ranking")}</h2>
            <p class="fine">{lang.pick(
                "已公示的排名不能直接修改。更正须由一位管理员写明理由提出、另一位管理员确认；发布后结果成为新的版本，公示页、大屏和导出文件都会显示更正说明。",
                "The published ranking cannot be edited. A correction is proposed by one administrator with a reason and confirmed by another; once published the results get a new revision, and the notice, the wall and the exports show the correction note.",
            )}</p>
            {propose}
            <ul class="plain">{rows}</ul>
        </section>
    }
}

#[component]
fn StepButton<H, V>(
    id: i64,
    step: &'static str,
    label: &'static str,
    secondary: bool,
    hidden: H,
) -> impl IntoView
where
    H: Fn() -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <form method="post" action=format!("/console/results/corrections/{id}/{step}") data-testid=format!("correction-{step}")>
            {hidden()}
            <button type="submit" class=if secondary { "button secondary" } else { "button" }>{label}</button>
        </form>
    }
}

/// What a published correction changed, in words.
#[component]
pub fn NoteSummary(note: CorrectionNote) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="correction-note" data-testid="correction-note" data-revision=note.revision.to_string()>
            <p>{note_headline(lang, &note)}</p>
            <ul class="plain">
                {note.changes.iter().map(|c| {
                    let side = |score: &Option<String>, rank: Option<u32>| match (score, rank) {
                        (Some(s), Some(r)) => match lang {
                            Lang::Zh => format!("{s}（第 {r} 名）"),
                            Lang::En => format!("{s} (rank {r})"),
                        },
                        _ => lang.pick("不在排名中", "not ranked").to_string(),
                    };
                    view! {
                        <li>{format!("{:03} {}：{} → {}", c.number.get(), c.name, side(&c.before, c.rank_before), side(&c.after, c.rank_after))}</li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}

/// "第 2 版（12月10日 15:00 更正）：…理由。当选名单变化：…" in one sentence.
pub fn note_headline(lang: Lang, note: &CorrectionNote) -> String {
    let numbers = |ns: &[alleyvote_domain::NomineeNumber]| {
        ns.iter()
            .map(|n| format!("{:03}", n.get()))
            .collect::<Vec<_>>()
            .join("、")
    };
    let winners = if note.elected.is_empty() && note.unelected.is_empty() {
        lang.pick("当选名单不变。", "The winners are unchanged.")
            .to_string()
    } else {
        match lang {
            Lang::Zh => format!(
                "当选名单变化：新增 {}，不再当选 {}。",
                numbers(&note.elected),
                numbers(&note.unelected)
            ),
            Lang::En => format!(
                "Winners changed: added {}, no longer winning {}.",
                numbers(&note.elected),
                numbers(&note.unelected)
            ),
        }
    };
    match lang {
        Lang::Zh => format!(
            "第 {} 版（{} 更正）：{} {}",
            note.revision,
            date_time(lang, note.published_at),
            note.reason,
            winners
        ),
        Lang::En => format!(
            "Revision {} (corrected {}): {} {}",
            note.revision,
            date_time(lang, note.published_at),
            note.reason,
            winners
        ),
    }
}

/// The published corrections, newest first, where the public reads the
/// results (the results page, the printable notice).
#[component]
pub fn CorrectionNotes(notes: Vec<CorrectionNote>) -> impl IntoView {
    let lang = use_lang();
    (!notes.is_empty()).then(|| {
        view! {
            <section class="card warn corrections" data-testid="correction-notes">
                <h2>{lang.pick("更正说明", "Corrections")}</h2>
                {notes.into_iter().rev().map(|note| view! { <NoteSummary note/> }).collect_view()}
            </section>
        }
    })
}
