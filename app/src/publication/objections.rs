//! The objections box on `/results` during and after the public notice:
//! how many were filed and answered, and for a signed-in resident a form to
//! object (during the notice) and their own objections with the answers.

use alleyvote_domain::publication::ObjectionProblem;
use alleyvote_domain::{Lang, NomineeNumber, NoticeInfo};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::server_fns::load_my_objections;
use crate::i18n::{date, date_time, set_status, use_lang};

/// A nominee an objection may concern: number, name, and place if ranked.
pub type NomineeChoice = (NomineeNumber, String, Option<u32>);

/// `nominees`: who an objection may name, picked by name and number (a bare
/// number field was read as a rank: "3" for third place named No. 003).
#[component]
pub fn ObjectionsBox(notice: NoticeInfo, nominees: Vec<NomineeChoice>) -> impl IntoView {
    let lang = use_lang();
    let mut by_number = nominees;
    by_number.sort_by_key(|(n, _, _)| *n);
    let options = StoredValue::new(by_number);
    // The resident's copy names the nominee as the form offered them.
    let name_of = move |n: NomineeNumber| {
        options.with_value(|all| {
            all.iter()
                .find(|(k, _, _)| *k == n)
                .map(|(k, name, _)| format!("{k} {name}"))
                .unwrap_or_else(|| n.to_string())
        })
    };
    let query = use_query_map();
    let mine = Resource::new(|| (), |_| load_my_objections());
    let outcome = move || {
        query.with(|q| q.get("objection")).map(|code| {
            let (ok, text) = match code.as_str() {
                "filed" => (true, lang.pick("异议已提交，答复将显示在这里。", "Your objection is filed; the answer will show here.")),
                code => (
                    false,
                    ObjectionProblem::parse(code)
                        .map(|p| p.message(lang))
                        .unwrap_or(lang.pick("服务暂时不可用，请稍后再试。", "The service is briefly unavailable; try again later.")),
                ),
            };
            if !ok {
                set_status(400);
            }
            view! { <p class=if ok { "notice ok" } else { "notice error" } role="status" data-testid="objection-outcome">{text}</p> }
        })
    };
    let counts = match lang {
        Lang::Zh => format!(
            "公示期 {} 至 {} · 已收到异议 {} 条，已答复 {} 条",
            date(lang, notice.start),
            date(lang, notice.end.plus_ms(-1)),
            notice.objections_filed,
            notice.objections_answered
        ),
        Lang::En => format!(
            "Notice {} to {} · objections filed {}, answered {}",
            date(lang, notice.start),
            date(lang, notice.end.plus_ms(-1)),
            notice.objections_filed,
            notice.objections_answered
        ),
    };
    view! {
        <section id="objections" class="card" data-testid="objections-box">
            <h2>{lang.pick("异议", "Objections")}</h2>
            <p data-testid="objection-counts">{counts}</p>
            {outcome}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let Ok(m) = mine.await else { return ().into_any() };
                    let list = m.mine.iter().map(|o| view! {
                        <li data-testid="my-objection">
                            <p class="fine">{date_time(lang, o.filed_at)}</p>
                            {o.nominee.map(|n| view! {
                                <p data-testid="my-objection-nominee">{lang.pick("涉及：", "Concerns: ")}{name_of(n)}</p>
                            })}
                            <p>{o.reason.clone()}</p>
                            {o.reply_phone_masked.clone().filter(|_| o.answer.is_none()).map(|m| view! {
                                <p class="fine">{match lang {
                                    Lang::Zh => format!("答复后将短信通知 {m}"),
                                    Lang::En => format!("We will text {m} when it is answered"),
                                }}</p>
                            })}
                            {match &o.answer {
                                Some(a) => view! { <p class="answer" data-testid="my-objection-answer">{lang.pick("答复：", "Answer: ")}{a.clone()}</p> }.into_any(),
                                None => view! { <p class="fine">{lang.pick("等待答复", "Awaiting an answer")}</p> }.into_any(),
                            }}
                        </li>
                    }).collect_view();
                    let form = match (m.open, m.signed_in) {
                        (true, true) => view! {
                            <form method="post" action="/results/objections" data-testid="objection-form">
                                <label>{lang.pick("异议理由（至少 10 个字）", "Your reason (at least 10 characters)")}
                                    <textarea name="reason" required minlength="10" maxlength="1000" rows="4"></textarea>
                                </label>
                                <label>{lang.pick("涉及的候选人（可不选）", "The nominee it concerns (optional)")}
                                    <select name="nominee" data-testid="objection-nominee">
                                        <option value="">{lang.pick("（不涉及某一位候选人）", "(no one in particular)")}</option>
                                        {options.with_value(|all| all.iter().map(|(n, name, rank)| {
                                            let place = rank.map(|r| match lang {
                                                Lang::Zh => format!("（第 {r} 名）"),
                                                Lang::En => format!(" (place {r})"),
                                            }).unwrap_or_default();
                                            view! { <option value=n.get().to_string()>{format!("{n} {name}{place}")}</option> }
                                        }).collect_view())}
                                    </select>
                                </label>
                                <label>{lang.pick("联系方式（可不填）", "Contact (optional)")}
                                    <span class="fine">{lang.pick(
                                        "填您登录用的手机号，答复后我们发短信通知您（号码加密保存，公示结束后删除）；也可以填微信号或邮箱。",
                                        "The mobile number you signed in with, and we text you when it is answered (kept encrypted, deleted after the notice); or a WeChat ID or e-mail.",
                                    )}</span>
                                    <input type="text" name="contact" maxlength="100" inputmode="text" data-testid="objection-contact"/>
                                </label>
                                <button type="submit" class="button">{lang.pick("提交异议", "File the objection")}</button>
                            </form>
                        }.into_any(),
                        (true, false) => view! {
                            <p><a class="button" href="/login?next=%2Fresults%23objections">{lang.pick("登录后提出异议", "Sign in to object")}</a></p>
                        }.into_any(),
                        (false, _) => ().into_any(),
                    };
                    view! { {form}<ul class="plain">{list}</ul> }.into_any()
                })}
            </Suspense>
        </section>
    }
}
