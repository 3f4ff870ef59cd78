//! `/console/nominations/{id}`: one nomination whole, its likely duplicates,
//! and the reviewer's decisions: eligible, not eligible (a reason from the
//! list and a note the nominator sees), a question for the nominator, a
//! merge into a duplicate, the committee's paper consent, and approval into
//! a numbered nominee with the name and story as the reviewer edits them.

use alleyvote_domain::nomination::{
    problem_message, IneligibleReason, NominationDone, NominationState,
};
use alleyvote_domain::organizer::Action;
use alleyvote_domain::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::model::NominationDetailData;
use super::server_fns::load_review_detail;
use crate::components::Loading;
use crate::console::{if_allowed, ConsoleNav};
use crate::i18n::{date_time, set_status, use_lang};

#[component]
pub fn NominationReviewPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id =
        params.with_untracked(|p| p.get("id").and_then(|i| i.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(move || id, load_review_detail);
    view! {
        <Title text=lang.pick("审核推荐", "Review a nomination")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if_allowed(data.await, &format!("/console/nominations/{id}"), |page| match page {
                    Some(page) => view! { <Detail page/> }.into_any(),
                    None => {
                        set_status(404);
                        view! { <p class="notice error">{lang.pick("没有这条推荐。", "There is no such nomination.")}</p> }.into_any()
                    }
                })
            })}
        </Suspense>
    }
}

#[component]
fn Detail(page: NominationDetailData) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let message = move || {
        let (done, problem) = query.with(|q| (q.get("done"), q.get("problem")));
        if let Some(code) = problem {
            set_status(400);
            return Some(view! { <p class="notice error" role="alert" data-testid="review-problem">{problem_message(lang, &code)}</p> }.into_any());
        }
        done.map(|code| view! { <p class="notice ok" role="status" data-testid="review-done">{NominationDone::parse(&code).map_or_else(|| NominationDone::unknown_message(lang), |d| d.message(lang))}</p> }.into_any())
    };
    let r = page.row.clone();
    let id = r.id;
    let csrf = page.who.csrf.clone();
    let may = page.who.may(Action::ReviewNominations) && page.open;
    let revision = r.revision.to_string();
    let open = r.state.is_open();
    let photo = r.has_photo.then(|| view! { <img class="profile-photo" src=format!("/console/nominations/{id}/photo.jpg") alt=""/> });
    let facts = view! {
        <dl class="facts">
            <div><dt>{lang.pick("居民区", "Community")}</dt><dd>{lang.pick(&r.street_zh, &r.street_en).to_string()}" · "{lang.pick(&r.community_zh, &r.community_en).to_string()}</dd></div>
            <div><dt>{lang.pick("职务", "Role")}</dt><dd>{r.role.label(lang)}</dd></div>
            <div><dt>{lang.pick("任职年限", "Years")}</dt><dd>{r.years}</dd></div>
            <div><dt>{lang.pick("推荐人", "Put forward by")}</dt><dd data-testid="review-nominators">{if r.committee { lang.pick("居委会", "the committee") } else { r.relation.label(lang) }}" · "{lang.pick("推荐人数 ", "nominators ")}{r.nominators}</dd></div>
            <div><dt>{lang.pick("本人确认", "Consent")}</dt><dd data-testid="review-consent">{r.consent.label(lang)}{r.phone_masked.clone().map(|p| format!(" · {p}"))}{(!r.consent_note.is_empty()).then(|| format!(" · {}", r.consent_note))}</dd></div>
            {r.merged_answers.iter().map(|(from, consent)| {
                let answer = match (consent.given(), lang) {
                    (true, Lang::Zh) => format!("经第 {from} 号推荐联系到的本人：同意"),
                    (false, Lang::Zh) => format!("经第 {from} 号推荐联系到的本人：婉拒"),
                    (true, Lang::En) => format!("The person reached through nomination {from} agreed"),
                    (false, Lang::En) => format!("The person reached through nomination {from} declined"),
                };
                view! { <div><dt>{lang.pick("合并来的答复", "Merged answer")}</dt><dd data-testid="review-merged-consent">{answer}</dd></div> }
            }).collect_view()}
            <div><dt>{lang.pick("状态", "State")}</dt><dd data-testid="review-state" data-state=r.state.as_str()>{r.state.label(lang)}</dd></div>
            <div><dt>{lang.pick("提交时间", "Sent")}</dt><dd>{date_time(lang, r.created_at)}</dd></div>
        </dl>
    };
    let earlier = view! {
        {r.reason.map(|x| view! { <p class="answer">{x.label(lang)}{(!r.reason_note.is_empty()).then(|| format!(" · {}", r.reason_note))}</p> })}
        {(!r.question.is_empty()).then(|| view! { <p class="answer">{lang.pick("问：", "Asked: ")}{r.question.clone()}</p> })}
        {(!r.answer.is_empty()).then(|| view! { <p class="answer" data-testid="review-answer">{lang.pick("答：", "Answer: ")}{r.answer.clone()}</p> })}
        {r.merged_into.map(|m| view! { <p><a href=format!("/console/nominations/{m}")>{lang.pick("已合并到的推荐", "Merged into")}</a></p> })}
        {r.nominee_number.map(|n| view! { <p><a href=format!("/nominees/{n}")>{match lang { Lang::Zh => format!("{n} 号候选人"), Lang::En => format!("Nominee no. {n}") }}</a></p> })}
    };
    let hidden = {
        let csrf = csrf.clone();
        let revision = revision.clone();
        move || {
            view! {
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <input type="hidden" name="revision" value=revision.clone()/>
            }
        }
    };
    let decisions = (may && open).then(|| {
        let reasons = IneligibleReason::ALL
            .into_iter()
            .map(|x| view! { <option value=x.as_str()>{x.label(lang)}</option> })
            .collect_view();
        let merge = (!r.similar.is_empty()).then(|| {
            let targets = r
                .similar
                .iter()
                .map(|s| view! { <option value=s.id.to_string()>{format!("{} ({})", s.name, s.likeness.label(lang))}</option> })
                .collect_view();
            view! {
                <form method="post" action=format!("/console/nominations/{id}/review") class="stack card" data-testid="merge-form">
                    {hidden()}
                    <input type="hidden" name="decision" value="merge"/>
                    <label>{lang.pick("可能是同一个人：并排比较两条推荐，再决定是否合并", "Maybe the same person: compare both side by side, then decide whether to merge")}
                        <select name="into">{targets}</select>
                    </label>
                    <button type="submit" class="button">{lang.pick("并排比较…", "Compare…")}</button>
                </form>
            }
        });
        view! {
            <section class="stack" data-testid="decisions">
                <h2>{lang.pick("审核决定", "Decide")}</h2>
                {(r.state != NominationState::Eligible).then(|| view! {
                    <form method="post" action=format!("/console/nominations/{id}/review") class="inline">
                        {hidden()}
                        <input type="hidden" name="decision" value="eligible"/>
                        <button type="submit" name="next" value="1" class="button primary" accesskey="n" data-testid="decide-eligible-next">{lang.pick("通过并下一条", "Eligible, next")}</button>
                        <button type="submit" class="button" data-testid="decide-eligible">{lang.pick("资格审核通过", "Eligible")}</button>
                    </form>
                })}
                <form method="post" action=format!("/console/nominations/{id}/review") class="stack card" data-testid="ineligible-form">
                    {hidden()}
                    <input type="hidden" name="decision" value="ineligible"/>
                    <label>{lang.pick("不通过的原因（推荐人可见）", "Why not eligible (the nominator sees it)")}
                        <select name="reason">{reasons}</select>
                    </label>
                    <label>{lang.pick("说明（选“其他原因”时必填）", "Note (required for “another reason”)")}
                        <textarea name="note" rows="2" maxlength="500"></textarea>
                    </label>
                    <button type="submit" class="button">{lang.pick("不通过", "Not eligible")}</button>
                </form>
                <form method="post" action=format!("/console/nominations/{id}/review") class="stack card" data-testid="ask-form">
                    {hidden()}
                    <input type="hidden" name="decision" value="ask"/>
                    <label>{lang.pick("请推荐人补充（推荐人可见）", "Ask the nominator (they see it)")}
                        <textarea name="question" rows="2" maxlength="500" required></textarea>
                    </label>
                    <button type="submit" class="button">{lang.pick("请求补充材料", "Ask for more")}</button>
                </form>
                {merge}
                <form method="post" action=format!("/console/nominations/{id}/photo") enctype="multipart/form-data" class="stack card" data-testid="photo-form">
                    <input type="hidden" name="csrf" value=csrf.clone()/>
                    <label>{lang.pick("更换照片（发布前）", "Replace the photo (before publishing)")}
                        <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" required/>
                    </label>
                    <button type="submit" class="button">{lang.pick("上传", "Upload")}</button>
                </form>
                <form method="post" action=format!("/console/nominations/{id}/consent") class="stack card" data-testid="paper-consent-form">
                    {hidden()}
                    <label>{lang.pick("居委会书面确认", "The committee's paper answer")}
                        <select name="agree">
                            <option value="yes">{lang.pick("本人同意", "Agreed")}</option>
                            <option value="no">{lang.pick("本人婉拒", "Declined")}</option>
                        </select>
                    </label>
                    <label>{lang.pick("确认人和日期", "Who confirmed, and when")}
                        <input type="text" name="note" maxlength="500" required/>
                    </label>
                    <button type="submit" class="button">{lang.pick("记录", "Record")}</button>
                </form>
                {(r.state == NominationState::Eligible).then(|| view! {
                    <form method="post" action=format!("/console/nominations/{id}/approve") class="stack card" data-testid="approve-form">
                        {hidden()}
                        <label>{lang.pick("候选人编号", "Nominee number")}
                            <input type="text" inputmode="numeric" name="number" required value=page.suggested_number.map(|n| n.to_string()).unwrap_or_default()/>
                        </label>
                        <label>{lang.pick("公开姓名", "Name as published")}
                            <input type="text" name="name" required maxlength="20" value=r.name.clone()/>
                        </label>
                        <label>{lang.pick("公开事迹（可修改后发布）", "Story as published (edit before publishing)")}
                            <textarea name="story" rows="6" required maxlength="5000">{r.story.clone()}</textarea>
                        </label>
                        <button type="submit" class="button primary" data-testid="approve">{lang.pick("列为候选人", "Approve as a nominee")}</button>
                    </form>
                })}
            </section>
        }
    });
    let merged = (!page.merged.is_empty()).then(|| {
        let stories = page
            .merged
            .iter()
            .map(|m| {
                let undo = (may && open).then(|| view! {
                    <form method="post" action=format!("/console/nominations/{}/review", m.id) class="inline">
                        <input type="hidden" name="csrf" value=csrf.clone()/>
                        <input type="hidden" name="revision" value=m.revision.to_string()/>
                        <input type="hidden" name="decision" value="unmerge"/>
                        <button type="submit" class="button" data-testid="review-unmerge">{lang.pick("撤销合并", "Undo the merge")}</button>
                    </form>
                });
                view! {
                    <li data-testid="review-merged-story">
                        <p><a href=format!("/console/nominations/{}", m.id)>{format!("#{} {}", m.id, m.name)}</a>
                            <span class="fine">" · "{if m.committee { lang.pick("居委会", "the committee") } else { m.relation.label(lang) }}" · "{date_time(lang, m.created_at)}</span></p>
                        <p class="story">{m.story.clone()}</p>
                        {undo}
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="card" data-testid="review-merged">
                <h2>{lang.pick("并入这一条的推荐", "Nominations merged into this one")}</h2>
                <ul class="plain">{stories}</ul>
            </section>
        }
    });
    let next = page.next_waiting.map(|n| view! {
        <a class="button" href=format!("/console/nominations/{n}") accesskey="j" data-testid="review-next">{lang.pick("下一条待处理 →", "Next waiting →")}</a>
    });
    let keys = may.then(|| {
        view! {
            <p class="fine keys">{lang.pick(
                "快捷键：Alt+N 通过并下一条，Alt+J 跳到下一条（苹果电脑为 Control+Option）。",
                "Keys: Alt+N eligible and next, Alt+J skip to the next (Control+Option on a Mac).",
            )}</p>
        }
    });
    view! {
        <ConsoleNav who=page.who.clone()/>
        <p class="row-between"><a href="/console/nominations">{lang.pick("← 推荐审核", "← Nominations")}</a>{next}</p>
        <h1 data-testid="review-name">{r.name.clone()}</h1>
        {message}
        {photo}
        {facts}
        <p class="story">{r.story.clone()}</p>
        {earlier}
        {merged}
        {decisions}
        {keys}
    }
}
