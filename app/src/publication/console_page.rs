//! `/console/results`: the campaign's ranking rule (locked once voting
//! opens), the preliminary ranking with counts, the publication steps
//! (close → notice → final), the corrections of a published ranking, the lot at the winners' line and
//! the residents' objections with their answers. Plain forms that work
//! without JavaScript; the server checks the role on every one.

use alleyvote_domain::organizer::Action;
use alleyvote_domain::publication::{
    CorrectionRefusal, ObjectionProblem, PublicationRefusal, Stage,
};
use alleyvote_domain::ranking::{Formula, Scaling, TieBreak};
use alleyvote_domain::{Lang, ResultsSnapshot};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::corrections::Corrections;
use super::model::ResultsConsoleData;
use super::server_fns::load_results_console;
use crate::components::Loading;
use crate::console::{if_allowed, ConsoleNav};
use crate::i18n::{date_time, set_status, use_lang};

#[component]
pub fn ResultsConsolePage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_results_console());
    view! {
        <Title text=lang.pick("结果发布", "Publishing results")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if_allowed(data.await, "/console/results", |page| match page {
                    Some(page) => view! { <ResultsConsole page/> }.into_any(),
                    None => view! { <p class="notice">{lang.pick("还没有评选。", "No campaign yet.")}</p> }.into_any(),
                })
            })}
        </Suspense>
    }
}

/// A sentence for `?done=` or `?problem=`.
fn outcome(lang: Lang, done: Option<String>, problem: Option<String>) -> Option<(bool, String)> {
    if let Some(d) = done {
        let text = match d.as_str() {
            "rule" => lang.pick("排名规则已保存。", "The ranking rule is saved."),
            "lot" => lang.pick(
                "已抽签，结果已记入操作记录。",
                "The lot is drawn and recorded in the audit log.",
            ),
            "closed" => lang.pick(
                "计票已结束。初步结果仅管理人员可见。",
                "The count is closed. The preliminary ranking is for organizers only.",
            ),
            "notice" => lang.pick("结果已公示。", "The results are on public notice."),
            "final" => lang.pick("结果已确定为最终结果。", "The results are final."),
            "correction_proposed" => lang.pick(
                "更正已提出，须由另一位管理员确认。已记入操作记录。",
                "The correction is proposed; another administrator must confirm it. Recorded in the audit log.",
            ),
            "correction_confirmed" => lang.pick(
                "更正已确认，现在可以修改。完成后请发布更正后的结果。",
                "The correction is confirmed: the changes may be made now. Publish the corrected ranking when done.",
            ),
            "correction_cancelled" => lang.pick("更正已撤销。", "The correction is cancelled."),
            "correction_published" => lang.pick(
                "更正后的结果已发布为新版本，公示页显示更正说明。",
                "The corrected ranking is published as a new revision, with its note on the notice.",
            ),
            "answered" => lang.pick(
                "答复已保存，提出人可在结果页看到。",
                "The answer is saved; the resident sees it on the results page.",
            ),
            _ => lang.pick("已完成。", "Done."),
        };
        return Some((true, text.to_string()));
    }
    problem.map(|p| {
        let text = match p.as_str() {
            "winners" => lang.pick("当选人数须为 1 到 100。", "Winners must be 1 to 100."),
            "weights" => lang.pick("各渠道权重相加须为 100%。", "The channels' weights must add up to 100 %."),
            "rule_locked" => lang.pick("投票已开始，排名规则不能再修改。此次尝试已记入操作记录。", "Voting has opened: the ranking rule can no longer change. The attempt is recorded in the audit log."),
            "witness" => lang.pick("请填写现场见证人（2 到 60 个字）。", "Name the witness present (2 to 60 characters)."),
            "no_lot" => lang.pick("现在没有需要抽签的并列（须在结束计票后、公示前抽签）。", "There is no tie to draw a lot for (lots are drawn after closing, before the notice)."),
            "moved" => lang.pick("其他人刚刚修改过，请查看最新状态后再试。", "Someone else changed this meanwhile; look again and retry."),
            code => PublicationRefusal::parse(code)
                .map(|r| r.message(lang))
                .or_else(|| ObjectionProblem::parse(code).map(|o| o.message(lang)))
                .or_else(|| CorrectionRefusal::parse(code).map(|c| c.message(lang)))
                .unwrap_or(lang.pick("操作未完成。", "That did not work.")),
        };
        (false, text.to_string())
    })
}

#[component]
fn ResultsConsole(page: ResultsConsoleData) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let note = move || {
        let (done, problem) = query.with(|q| (q.get("done"), q.get("problem")));
        outcome(lang, done, problem).map(|(ok, text)| {
            if !ok {
                set_status(400);
            }
            view! { <p class=if ok { "notice ok" } else { "notice error" } role="status" data-testid="results-outcome">{text}</p> }
        })
    };
    let may_publish = page.who.may(Action::PublishResults);
    let may_answer = page.who.may(Action::AnswerObjections);
    let stage = page.ranking.state;
    let published = matches!(
        page.publication.as_ref().map(|p| p.stage),
        Some(Stage::Notice | Stage::Final)
    );
    view! {
        <ConsoleNav who=page.who.clone()/>
        <h1>{lang.pick("结果发布", "Publishing results")}</h1>
        {note}
        <section class="card" data-testid="publication-stage">
            <h2>{lang.pick("当前阶段：", "Stage: ")}<span data-testid="stage-now" data-stage=format!("{stage:?}").to_lowercase()>{stage.label(lang)}</span></h2>
            {may_publish.then(|| view! { <StepForms page=page.clone()/> }.into_any())}
            <p><a href="/results/notice" data-testid="printable-notice-link">{lang.pick("打印公示（A4）", "Printable notice (A4)")}</a></p>
        </section>
        {view! { <Ranking ranking=page.ranking.clone()/> }.into_any()}
        {may_publish.then(|| view! { <RuleForm page=page.clone()/> }.into_any())}
        {(may_publish && published).then(|| view! { <Corrections page=page.clone()/> }.into_any())}
        {view! { <Objections page=page.clone() may_answer/> }.into_any()}
        {may_publish.then(|| view! { <ExportLinks/> }.into_any())}
    }
    .into_any()
}

/// The step the stage allows next, as one form (or two).
#[component]
fn StepForms(page: ResultsConsoleData) -> impl IntoView {
    let lang = use_lang();
    let csrf = page.who.csrf.clone();
    let slug = page.slug.clone();
    let hidden = move || {
        view! {
            <input type="hidden" name="csrf" value=csrf.clone()/>
            <input type="hidden" name="slug" value=slug.clone()/>
        }
    };
    let r = &page.ranking;
    let unreported = r.stations_reported < r.stations_total;
    match page.publication.map(|p| p.stage) {
        None => view! {
            <form method="post" action="/console/results/step" data-testid="close-form">
                {hidden()}
                <input type="hidden" name="step" value="close"/>
                <p class="fine">{lang.pick("投票截止：", "Voting ends: ")}{date_time(lang, page.voting_end)}</p>
                <button type="submit" class="button">{lang.pick("结束计票", "Close the count")}</button>
            </form>
        }.into_any(),
        Some(Stage::Closed) => {
            let lot = (!r.lot_pending.is_empty()).then(|| {
                let tied = r.lot_pending.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("、");
                view! {
                    <form method="post" action="/console/results/lot" class="card warn" data-testid="lot-form">
                        {hidden()}
                        <p>{lang.pick("以下候选人在当选名额线上并列，无法用规则区分，须现场抽签：", "These nominees are tied across the winners' line and only a lot can separate them: ")}<strong>{tied}</strong></p>
                        <label>{lang.pick("现场见证人（姓名与身份）", "Witness present (name and capacity)")}
                            <input type="text" name="witness" required minlength="2" maxlength="60" placeholder=lang.pick("公证员 王某某", "Notary Wang")/>
                        </label>
                        <button type="submit" class="button">{lang.pick("抽签", "Draw the lot")}</button>
                    </form>
                }
            });
            view! {
                {lot}
                <form method="post" action="/console/results/step" data-testid="notice-form">
                    {hidden()}
                    <input type="hidden" name="step" value="notice"/>
                    <label>{lang.pick("公示结束时间（默认 5 个工作日）", "Notice ends (5 working days by default)")}
                        <input type="datetime-local" name="notice_end" value=page.suggested_notice_end.to_local_input() required/>
                    </label>
                    {unreported.then(|| view! {
                        <label data-testid="unreported-reason">
                            {match lang {
                                Lang::Zh => format!("尚有 {} 个投票点未报告（已报告 {} / {}）。如仍要发布，请写明原因，原因会显示在公示上：", r.stations_total - r.stations_reported, r.stations_reported, r.stations_total),
                                Lang::En => format!("{} polling stations have not reported ({} / {} did). To publish anyway, write why; the reason is shown on the notice:", r.stations_total - r.stations_reported, r.stations_reported, r.stations_total),
                            }}
                            <textarea name="unreported_reason" rows="3" minlength="4" maxlength="500" placeholder=lang.pick("例如：第五投票点的计票单被雨水浸湿，正在重新清点，预计 12月10日 前补报。", "E.g. station 5's sheet was soaked by rain and is being recounted; expected by 10 December.")></textarea>
                        </label>
                    })}
                    <button type="submit" class="button">{lang.pick("发布公示", "Publish for notice")}</button>
                </form>
            }.into_any()
        }
        Some(Stage::Notice) => view! {
            <form method="post" action="/console/results/step" data-testid="final-form">
                {hidden()}
                <input type="hidden" name="step" value="final"/>
                <button type="submit" class="button">{lang.pick("公示期满，确定最终结果", "Notice over: make the results final")}</button>
            </form>
            <p class="fine">{lang.pick("如异议成立需要更正结果，请使用下方的更正程序（须两位管理员）。", "If an objection is upheld and the ranking must change, use the correction procedure below (two administrators).")}</p>
        }.into_any(),
        Some(Stage::Final) => view! {
            <p data-testid="final-note">{lang.pick("结果已确定。", "The results are final.")}</p>
        }.into_any(),
    }
}

/// The ranking with counts, as organizers see it at any stage.
#[component]
pub(crate) fn Ranking(ranking: ResultsSnapshot) -> impl IntoView {
    let lang = use_lang();
    // The server sends the public's hidden ranking to whoever may not
    // read hidden counts.
    if ranking.total_votes.is_none() {
        return view! {
            <section class="card">
                <h2>{lang.pick("排名", "Ranking")}</h2>
                <p class="notice" data-testid="ranking-hidden">{lang.pick(
                    "结果不公开期间，只有管理员能看到票数。",
                    "While the results are hidden only administrators see the counts.",
                )}</p>
            </section>
        }
        .into_any();
    }
    let weighted = matches!(ranking.formula.rule.formula, Formula::Weighted { .. });
    let rows = ranking
        .entries
        .iter()
        .map(|e| {
            let tie = e.tie_break.map(|t| t.placed_below(lang).to_string()).unwrap_or_default();
            view! {
                <tr class:winner=e.winner data-testid="prelim-row" data-number=e.number.get()>
                    <td>{e.rank.map(|r| r.to_string()).unwrap_or_default()}</td>
                    <td>{e.number.to_string()}</td>
                    <td>{e.name.clone()}</td>
                    <td class="num">{e.online.unwrap_or(0)}</td>
                    <td class="num">{e.paper.unwrap_or(0)}</td>
                    <td class="num" data-testid="prelim-score">{e.score.clone().unwrap_or_default()}</td>
                    <td>{tie}</td>
                    <td>{e.winner.then(|| lang.pick("当选", "winner"))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card">
            <h2>{lang.pick("排名（含票数）", "Ranking with counts")}</h2>
            <p class="fine">{lang.pick(&ranking.formula.words_zh, &ranking.formula.words_en).to_string()}
                {match lang {
                    Lang::Zh => format!(" · 当选 {} 名 · 投票点报告 {} / {}", ranking.winners, ranking.stations_reported, ranking.stations_total),
                    Lang::En => format!(" · {} winners · stations reported {} / {}", ranking.winners, ranking.stations_reported, ranking.stations_total),
                }}
            </p>
            <div class="table-wrap">
                <table class="data">
                    <thead><tr>
                        <th>{lang.pick("名次", "Rank")}</th><th>{lang.pick("编号", "No.")}</th><th>{lang.pick("姓名", "Name")}</th>
                        <th>{lang.pick("网络", "Online")}</th><th>{lang.pick("纸质", "Paper")}</th>
                        <th>{if weighted { lang.pick("综合得分", "Score") } else { lang.pick("合计", "Total") }}</th>
                        <th>{lang.pick("并列时依据", "Tie decided by")}</th><th></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// The ranking rule: shown read-only once voting has opened.
#[component]
fn RuleForm(page: ResultsConsoleData) -> impl IntoView {
    let lang = use_lang();
    let rule = page.rule.clone();
    let (weighted, scaling, w) = match rule.formula {
        Formula::PlainSum => (false, Scaling::ToMaximum, (50, 50, 0)),
        Formula::Weighted { scaling, weights } => {
            (true, scaling, (weights.online, weights.paper, weights.jury))
        }
    };
    let rung = |i: usize| rule.ladder.get(i).copied().filter(|t| *t != TieBreak::Lot);
    // Each of the three selects has its own label (the rung it is).
    let select = move |name: &'static str, chosen: Option<TieBreak>| {
        let options = [TieBreak::MorePaper, TieBreak::MoreOnline, TieBreak::EarlierFinal]
            .into_iter()
            .map(|t| view! { <option value=t.as_str() selected={chosen == Some(t)}>{t.label(lang)}</option> })
            .collect_view();
        let rung = name.trim_start_matches("tie");
        let label = match lang {
            alleyvote_domain::Lang::Zh => format!("第 {rung} 步"),
            alleyvote_domain::Lang::En => format!("Step {rung}"),
        };
        view! {
            <label class="tie-step">{label}" "
                <select name=name>
                    <option value="" selected={chosen.is_none()}>{lang.pick("（不用）", "(none)")}</option>
                    {options}
                </select>
            </label>
        }
    };
    view! {
        <section class="card" data-testid="rule-section">
            <h2>{lang.pick("排名规则（投票开始前公布）", "Ranking rule (published before voting)")}</h2>
            {page.rule_locked.then(|| view! {
                <p class="notice" data-testid="rule-locked">{lang.pick("投票已开始，规则已锁定。", "Voting has opened: the rule is locked.")}</p>
            })}
            <form method="post" action="/console/results/rule" data-testid="rule-form">
                <input type="hidden" name="csrf" value=page.who.csrf.clone()/>
                <input type="hidden" name="slug" value=page.slug.clone()/>
                <fieldset disabled=page.rule_locked>
                    <label class="check"><input type="radio" name="formula" value="plain_sum" checked={!weighted}/>{lang.pick("网络投票 + 纸质选票 直接相加", "Plain sum of online and paper votes")}</label>
                    <label class="check"><input type="radio" name="formula" value="weighted" checked=weighted/>{lang.pick("各渠道按权重计分", "Weighted channels")}</label>
                    <label>{lang.pick("计分基准", "Each channel scaled to")}
                        <select name="scaling">
                            <option value="to_maximum" selected={scaling == Scaling::ToMaximum}>{lang.pick("该渠道最高票 = 满分", "its highest count")}</option>
                            <option value="to_total" selected={scaling == Scaling::ToTotal}>{lang.pick("该渠道总票数 = 满分", "its total")}</option>
                        </select>
                    </label>
                    <div class="row3">
                        <label>{lang.pick("网络 %", "Online %")}<input type="number" inputmode="numeric" name="online" min="0" max="100" value={w.0}/></label>
                        <label>{lang.pick("纸质 %", "Paper %")}<input type="number" inputmode="numeric" name="paper" min="0" max="100" value={w.1}/></label>
                        <label>{lang.pick("评委 %", "Jury %")}<input type="number" inputmode="numeric" name="jury" min="0" max="100" value={w.2}/></label>
                    </div>
                    <label>{lang.pick("当选人数", "Winners")}<input type="number" inputmode="numeric" name="winners" min="1" max="100" value={rule.winners}/></label>
                    <p>{lang.pick("得分相同时依次比较（最后现场抽签）：", "Equal scores are decided by, in order (a lot last):")}</p>
                    {select("tie1", rung(0))}{select("tie2", rung(1))}{select("tie3", rung(2))}
                    <button type="submit" class="button">{lang.pick("保存规则", "Save the rule")}</button>
                </fieldset>
            </form>
        </section>
    }
}

/// The objections, each with its answer or a form to answer it.
#[component]
fn Objections(page: ResultsConsoleData, may_answer: bool) -> impl IntoView {
    let lang = use_lang();
    let answered = page
        .objections
        .iter()
        .filter(|o| o.answer.is_some())
        .count();
    let list = page
        .objections
        .iter()
        .map(|o| {
            let about = o.nominee.map(|n| match lang {
                Lang::Zh => format!("（关于 {n} 号）"),
                Lang::En => format!(" (about no. {n})"),
            });
            let answer = match &o.answer {
                Some(a) => view! {
                    <p class="answer" data-testid="objection-answer">{a.clone()}
                        <span class="fine">{format!(" — {} · {}", o.answered_by.clone().unwrap_or_default(), o.answered_at.map(|t| date_time(lang, t)).unwrap_or_default())}</span>
                    </p>
                }.into_any(),
                None if may_answer => view! {
                    <form method="post" action=format!("/console/results/objections/{}/answer", o.id) data-testid="answer-form">
                        <input type="hidden" name="csrf" value=page.who.csrf.clone()/>
                        <input type="hidden" name="slug" value=page.slug.clone()/>
                        <label>{lang.pick("答复（提出人可见）", "Answer (the resident sees it)")}
                            <textarea name="answer" required minlength="4" maxlength="2000" rows="3"></textarea>
                        </label>
                        <button type="submit" class="button">{lang.pick("保存答复", "Save the answer")}</button>
                    </form>
                }.into_any(),
                None => view! { <p class="fine">{lang.pick("待答复", "Awaiting an answer")}</p> }.into_any(),
            };
            view! {
                <li class="card" data-testid="objection">
                    <p><strong>{format!("#{}", o.id)}</strong>" "{date_time(lang, o.filed_at)}{about}</p>
                    <p class="reason">{o.reason.clone()}</p>
                    {(!o.contact.is_empty()).then(|| view! { <p class="fine">{lang.pick("联系方式：", "Contact: ")}{o.contact.clone()}</p> })}
                    {o.reply_phone_masked.clone().map(|m| view! {
                        <p class="fine" data-testid="objection-reply-phone">{lang.pick("答复后短信通知：", "Texted when answered: ")}{m}</p>
                    })}
                    {answer}
                </li>
            }
        })
        .collect_view();
    view! {
        <section data-testid="objections-section">
            <h2>{match lang {
                Lang::Zh => format!("异议（{} 条，已答复 {} 条）", page.objections.len(), answered),
                Lang::En => format!("Objections ({}, {} answered)", page.objections.len(), answered),
            }}</h2>
            <ul class="plain">{list}</ul>
        </section>
    }
}

/// The exports (administrators only; every download is in the audit log).
#[component]
fn ExportLinks() -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card" data-testid="exports">
            <h2>{lang.pick("导出", "Exports")}</h2>
            <p>
                <a class="button" href="/console/results/export.xlsx?kind=all" data-testid="export-xlsx">{lang.pick("全部（Excel）", "Everything (Excel)")}</a>" "
                <a href="/console/results/export.csv?kind=results">{lang.pick("结果 CSV", "Results CSV")}</a>" · "
                <a href="/console/results/export.csv?kind=sheets">{lang.pick("各投票点计票单 CSV", "Sheets per station CSV")}</a>" · "
                <a href="/console/results/export.csv?kind=streets">{lang.pick("各街道 CSV", "Per street CSV")}</a>" · "
                <a href="/console/results/export.csv?kind=corrections">{lang.pick("更正记录 CSV", "Corrections CSV")}</a>
            </p>
            <p class="fine">{lang.pick("每次导出都会记入操作记录。", "Every export is recorded in the audit log.")}</p>
        </section>
    }
}
