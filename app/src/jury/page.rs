//! `/console/jury`: for administrators, the campaign's judges with how far
//! each has scored, and a form to appoint one; for a judge, the score sheet
//! (0–100 per nominee, empty for not scored), locked once voting closes.

use alleyvote_domain::organizer::Action;
use alleyvote_domain::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::model::JuryPageData;
use super::server_fns::load_jury_page;
use crate::components::Loading;
use crate::console::{if_allowed, ConsoleNav};
use crate::i18n::{set_status, use_lang};

#[component]
pub fn JuryPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_jury_page());
    view! {
        <Title text=lang.pick("评委评分", "Jury")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if_allowed(data.await, "/console/jury", |page| match page {
                    Some(page) => view! { <Jury page/> }.into_any(),
                    None => view! { <p class="notice">{lang.pick("还没有评选。", "No campaign yet.")}</p> }.into_any(),
                })
            })}
        </Suspense>
    }
}

fn outcome(
    lang: Lang,
    done: Option<String>,
    problem: Option<String>,
    nominee: Option<String>,
) -> Option<(bool, String)> {
    if let Some(d) = done {
        let text = match d.as_str() {
            "appointed" => lang.pick("已任命评委。", "The judge is appointed."),
            _ => lang.pick("评分已保存。", "The scores are saved."),
        };
        return Some((true, text.to_string()));
    }
    problem.map(|p| {
        let text = match (p.as_str(), lang) {
            ("locked", _) => lang
                .pick(
                    "投票已结束，评委不能再任命，评分也不能再修改。",
                    "Voting has closed: judges can no longer be appointed, nor scores changed.",
                )
                .to_string(),
            ("not_a_score", Lang::Zh) => format!(
                "{} 号的评分须为 0 到 100 的整数，本次未保存。",
                nominee.unwrap_or_default()
            ),
            ("not_a_score", Lang::En) => format!(
                "The score for no. {} must be a whole number 0–100; nothing was saved.",
                nominee.unwrap_or_default()
            ),
            _ => lang.pick("没有这个账号。", "No such account.").to_string(),
        };
        (false, text)
    })
}

#[component]
fn Jury(page: JuryPageData) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let note = move || {
        let (done, problem, nominee) =
            query.with(|q| (q.get("done"), q.get("problem"), q.get("nominee")));
        outcome(lang, done, problem, nominee).map(|(ok, text)| {
            if !ok {
                set_status(400);
            }
            view! { <p class=if ok { "notice ok" } else { "notice error" } role="status" data-testid="jury-outcome">{text}</p> }
        })
    };
    let admin = page.who.may(Action::PublishResults);
    let csrf = page.who.csrf.clone();
    let sheet = page.sheet.clone().map(|rows| {
        let locked = page.locked;
        let rows = rows
            .into_iter()
            .map(|r| {
                view! {
                    <tr>
                        <td>{format!("{:03}", r.number)}</td>
                        <td>{r.name}" "<span class="fine">{r.community}</span></td>
                        <td><input type="text" inputmode="numeric" maxlength="3" class="score" name=format!("score_{}", r.number) value=r.score.map(|s| s.to_string()).unwrap_or_default() disabled=locked/></td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <form method="post" action="/console/jury/scores" class="card" data-testid="jury-sheet">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <h2>{lang.pick("我的评分（0–100，不评可留空）", "My scores (0–100; leave empty to not score)")}</h2>
                <table class="data"><tbody>{rows}</tbody></table>
                {(!locked).then(|| view! { <button type="submit" class="button">{lang.pick("保存评分", "Save the scores")}</button> })}
            </form>
        }
    });
    let manage = admin.then(|| {
        let judges = page
            .judges
            .iter()
            .map(|j| view! { <li data-testid="judge">{format!("{} · {} / {}", j.name, j.scored, page.nominees)}</li> })
            .collect_view();
        let options = page
            .candidates
            .iter()
            .map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> })
            .collect_view();
        view! {
            <section class="card">
                <h2>{lang.pick("评委（已评 / 候选人数）", "Judges (scored / nominees)")}</h2>
                <ul class="plain">{judges}</ul>
                <form method="post" action="/console/jury/judges" data-testid="appoint-form">
                    <input type="hidden" name="csrf" value=csrf.clone()/>
                    <label>{lang.pick("任命评委（任一后台账号）", "Appoint a judge (any console account)")}
                        <select name="organizer">{options}</select>
                    </label>
                    <button type="submit" class="button">{lang.pick("任命", "Appoint")}</button>
                </form>
                <p class="fine">{lang.pick("评委评分只有在排名规则中给评委渠道设了权重时才计入得分。", "Jury scores count only where the ranking rule gives the jury a weight.")}</p>
            </section>
        }
    });
    view! {
        <ConsoleNav who=page.who.clone()/>
        <h1>{lang.pick("评委评分", "Jury")}</h1>
        {note}
        {sheet}
        {manage}
    }
    .into_any()
}
