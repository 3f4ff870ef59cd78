//! `/console/paper/sheets/{id}`: one tally sheet. What it shows depends on
//! the sheet and the viewer: the keyboard-first entry form (a first entry,
//! or a second that shows nothing of the first), the two entries side by
//! side for a coordinator, the reopen form for an administrator, and the
//! sheet's photo and history. Every form posts and works without
//! JavaScript; with it, totals and checks follow the typing and Enter moves
//! to the next field.

use std::collections::BTreeMap;

use alleyvote_domain::paper::{
    Resolution, SheetError, SheetField, SheetInput, SheetNotice, SheetReference,
};
use alleyvote_domain::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::board::StateBadge;
use super::model::{EntryView, SheetMode, SheetPageData};
use super::server_fns::load_sheet_page;
use crate::components::Loading;
use crate::console::{if_allowed, ConsoleNav};
use crate::i18n::{set_status, use_lang};

#[component]
pub fn SheetPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_sheet_page(id).await,
            None => Ok(alleyvote_domain::organizer::Console::Open(None)),
        }
    });
    view! {
        <Title text=lang.pick("计票单", "Tally sheet")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let here = format!("/console/paper/sheets/{}", id().unwrap_or(0));
                if_allowed(data.await, &here, |page| match page {
                    Some(page) => view! { <Sheet page/> }.into_any(),
                    None => {
                        set_status(404);
                        view! { <p class="notice error">{lang.pick("没有这张计票单。", "No such tally sheet.")}</p> }.into_any()
                    }
                })
            })}
        </Suspense>
    }
}

/// The outcome of the last form, from `?notice=`.
#[component]
fn SheetOutcome() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    move || {
        query.with(|q| q.get("notice")).and_then(|code| {
            let notice = SheetNotice::parse(&code)?;
            if !notice.ok() {
                set_status(400);
            }
            Some(view! {
                <p class=if notice.ok() { "notice ok" } else { "notice error" } role="status" data-testid="sheet-notice" data-notice=code>
                    {notice.message(lang)}
                </p>
            })
        })
    }
}

/// A field's label: the sheet's own words, or a nominee's number and name.
fn label_of(lang: Lang, field: SheetField, names: &BTreeMap<u16, String>) -> String {
    match field {
        SheetField::Marks(n) => match names.get(&n.get()) {
            Some(name) => format!("{} {name}", n.get()),
            None => field.label(lang),
        },
        _ => field.label(lang),
    }
}

#[component]
fn Sheet(page: SheetPageData) -> impl IntoView {
    let lang = use_lang();
    let names: BTreeMap<u16, String> = page.ballot.iter().cloned().collect();
    let csrf = page.who.csrf.clone();
    let id = page.id;
    let photo = page.has_photo.then(|| {
        let src = format!("/console/paper/sheets/{id}/photo.jpg");
        let href = src.clone();
        view! {
            <figure class="sheet-photo" data-testid="sheet-photo">
                <a href=href target="_blank"><img src=src alt=lang.pick("签字的纸质计票单", "The signed paper sheet")/></a>
                <figcaption class="fine">{lang.pick("点击查看大图", "Open full size")}</figcaption>
            </figure>
        }
    });
    let upload = page.may_photograph.then(|| {
        view! {
            <form method="post" action=format!("/console/paper/sheets/{id}/photo") enctype="multipart/form-data" class="inline-form" data-testid="sheet-photo-form">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <label>{lang.pick("上传签字计票单的照片", "Upload a photo of the signed sheet")}" "
                    <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" capture="environment" required/>
                </label>
                <button type="submit" class="button small">{lang.pick("上传", "Upload")}</button>
            </form>
        }
    });
    // The sheet counts on its photo, or on an administrator's written waiver.
    let evidence = match (&page.photo_waiver, page.has_photo) {
        (_, true) => None,
        (Some(w), false) => Some(
            view! {
                <p class="notice" data-testid="photo-waived">
                    {lang.pick("照片已免除：", "Photo waived: ")}{w.reason.clone()}
                    <span class="fine">" （"{w.by.clone()}" · "{w.at.clone()}"）"</span>
                </p>
            }
            .into_any(),
        ),
        (None, false) => Some(
            view! {
                <p class="notice" data-testid="photo-missing">
                    {lang.pick(
                        "还没有签字计票单的照片。第二次录入提交之前，请先拍照上传。",
                        "No photo of the signed sheet yet. Upload one before the second entry is finished.",
                    )}
                </p>
            }
            .into_any(),
        ),
    };
    let waiver = page.may_waive.then(|| {
        view! {
            <details class="waiver">
                <summary>{lang.pick("无法拍照？由管理员免除", "No photo possible? Waive it (administrators)")}</summary>
                <form method="post" action=format!("/console/paper/sheets/{id}/photo-waiver") class="stack" data-testid="photo-waiver-form">
                    <input type="hidden" name="csrf" value=csrf.clone()/>
                    <label>{lang.pick("免除的原因（必填，记入操作记录，公示时显示在计票单旁）", "Why (required; it goes into the audit log and is shown beside the sheet once published)")}
                        <textarea name="reason" rows="3" maxlength="500" required></textarea>
                    </label>
                    <button type="submit" class="button">{lang.pick("免除照片", "Waive the photo")}</button>
                </form>
            </details>
        }
    });
    // A second entry is finished only after the photo: said before the typing starts.
    let photo_first = (matches!(page.mode, SheetMode::Key { round: 2, .. })
        && !page.has_photo
        && page.photo_waiver.is_none())
    .then(|| {
        view! {
            <p class="notice" data-testid="photo-first">
                {lang.pick("提交第二次录入之前，需要先上传签字计票单的", "Before the second entry is finished, upload the ")}
                <a href="#sheet-photo">{lang.pick("照片", "photo of the signed sheet")}</a>
                {lang.pick("。", ".")}
            </p>
        }
    });
    let mode = match page.mode.clone() {
        SheetMode::Key { round, input, checked_against_paper, note, context } => view! {
            <EntryForm id csrf=csrf.clone() round input=*input checked=checked_against_paper note context names=names.clone()/>
            <crate::LoadIslands/>
        }
        .into_any(),
        SheetMode::Resolve { first, second, differing } => view! {
            <ResolveView id csrf=csrf.clone() first=*first second=*second differing names=names.clone()/>
        }
        .into_any(),
        SheetMode::Reopen => view! {
            <form method="post" action=format!("/console/paper/sheets/{id}/reopen") class="stack" data-testid="reopen-form">
                <input type="hidden" name="csrf" value=csrf.clone()/>
                <label>{lang.pick("重新开放的原因（必填，将记入操作记录）", "Why reopen it (required; it goes into the audit log)")}
                    <textarea name="reason" rows="3" maxlength="500" required></textarea>
                </label>
                <button type="submit" class="button danger">{lang.pick("重新开放这张计票单", "Reopen this sheet")}</button>
            </form>
        }
        .into_any(),
        SheetMode::Look { why_zh, why_en } => view! {
            <p class="notice" data-testid="sheet-look">{lang.pick(&why_zh, &why_en).to_string()}</p>
        }
        .into_any(),
    };
    let entries = (!page.entries.is_empty()).then(|| {
        let list = page
            .entries
            .iter()
            .map(|e| view! { <EntryCard entry=e.clone() names=names.clone()/> })
            .collect_view();
        view! {
            <section class="sheet-history">
                <h2>{lang.pick("录入记录", "Entries")}</h2>
                {list}
            </section>
        }
    });
    let reopenings = (!page.reopenings.is_empty()).then(|| {
        let list = page
            .reopenings
            .iter()
            .map(|r| {
                view! {
                    <li>{r.at.clone()}" · "{r.by.clone()}" · "{lang.pick("原因：", "Reason: ")}{r.reason.clone()}</li>
                }
            })
            .collect_view();
        view! {
            <section class="sheet-history" data-testid="sheet-reopenings">
                <h2>{lang.pick("重新开放记录", "Reopenings")}</h2>
                <ul>{list}</ul>
            </section>
        }
    });
    view! {
        <ConsoleNav who=page.who.clone()/>
        <p><a href="/console/paper">{lang.pick("← 返回投票点进度", "← Back to the stations")}</a></p>
        <h1>{page.station.clone()}" · "{page.label.clone()}</h1>
        <p><StateBadge state=page.state/>" "<span class="fine">{page.state.waits_for(lang)}</span></p>
        <SheetOutcome/>
        {photo_first}
        <div class="sheet-layout">
            <div class="sheet-main">{mode}</div>
            <aside class="sheet-side" id="sheet-photo">
                {photo}{evidence}{upload}{waiver}
                <p><a href=format!("/console/paper/sheets/{id}/print") data-testid="print-sheet-link">{lang.pick("打印空白计票单（与录入顺序一致）", "Print the blank sheet (in the entry order)")}</a></p>
            </aside>
        </div>
        {entries}
        {reopenings}
    }
}

/// Where the entry's typing stands with the server (JavaScript only).
// Set only by the browser's code.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keeping {
    /// Nothing typed since the page came.
    Idle,
    /// Typed, kept on the tablet, not yet on the server.
    Unsent,
    Sending,
    /// The server keeps it as a draft, since this time of day.
    Saved(String),
    /// The server cannot be reached: kept on the tablet, sent later.
    Offline,
    /// The tablet put back numbers it kept from before.
    Restored,
    /// The server refused the draft, in its words.
    Refused(String),
}

impl Keeping {
    fn code(&self) -> &'static str {
        match self {
            Keeping::Idle => "idle",
            Keeping::Unsent => "unsent",
            Keeping::Sending => "sending",
            Keeping::Saved(_) => "saved",
            Keeping::Offline => "offline",
            Keeping::Restored => "restored",
            Keeping::Refused(_) => "refused",
        }
    }

    fn words(&self, lang: Lang) -> String {
        match self {
            Keeping::Idle => lang
                .pick("输入的数字会自动保存为草稿。", "What you type is saved as a draft automatically.")
                .into(),
            Keeping::Unsent | Keeping::Sending => lang.pick("正在保存…", "Saving…").into(),
            Keeping::Saved(at) => match lang {
                Lang::Zh => format!("草稿已自动保存（{at}）"),
                Lang::En => format!("Draft saved automatically ({at})"),
            },
            Keeping::Offline => lang
                .pick(
                    "网络中断：数字已暂存在本机，联网后自动保存。请不要关闭此页。",
                    "Offline: the numbers are kept on this tablet and saved when the network is back. Keep this page open.",
                )
                .into(),
            Keeping::Restored => lang
                .pick("已恢复本机暂存的数字，正在保存…", "Numbers kept on this tablet were put back; saving…")
                .into(),
            Keeping::Refused(why) => why.clone(),
        }
    }
}

/// The keyboard-first entry form, one field under the other in the order of
/// the printed tally sheet. An island: it checks the numbers as they are
/// typed, with the same rules the server applies, and keeps them (see
/// `draft_keeper.rs`). Without JavaScript, Enter saves a draft (the first
/// button) and the page comes back at the next empty field.
#[island]
fn EntryForm(
    id: i64,
    csrf: String,
    round: u8,
    input: SheetInput,
    checked: bool,
    note: String,
    context: SheetReference,
    names: BTreeMap<u16, String>,
) -> impl IntoView {
    let lang = use_lang();
    let fields = input.fields();
    let typed = RwSignal::new(input.clone());
    let note_text = RwSignal::new(note.clone());
    let ticked = RwSignal::new(checked);
    let keeping = RwSignal::new(Keeping::Idle);
    let context = StoredValue::new(context);
    let checks = Memo::new(move |_| typed.with(|i| context.with_value(|c| c.check(i))));
    let count = fields.len();
    // Where the operator goes on: the first empty field, else the tick.
    let next_empty = fields.iter().position(|f| input.field(*f).is_empty());
    let index_of = {
        let fields = fields.clone();
        StoredValue::new(move |f: SheetField| fields.iter().position(|x| *x == f).unwrap_or(0))
    };
    let labels = StoredValue::new(
        fields
            .iter()
            .map(|f| (*f, label_of(lang, *f, &names)))
            .collect::<BTreeMap<SheetField, String>>(),
    );

    // The whole form as it stands, for the draft.
    let pairs = {
        let fields = fields.clone();
        let csrf = csrf.clone();
        move || {
            let mut pairs = vec![("csrf".to_string(), csrf.clone())];
            typed.with_untracked(|t| {
                pairs.extend(fields.iter().map(|f| (f.name(), t.field(*f).to_string())));
            });
            pairs.push(("note".into(), note_text.get_untracked()));
            if ticked.get_untracked() {
                pairs.push(("checked".into(), "on".into()));
            }
            pairs
        }
    };
    #[cfg(feature = "hydrate")]
    let keeper = {
        let keeper = super::draft_keeper::DraftKeeper::new(id, round, keeping);
        // Numbers the tablet kept but the server does not have go back in.
        if let Some(kept) = keeper.kept() {
            let now = pairs();
            let differs = kept.iter().any(|(k, v)| {
                k != "csrf" && now.iter().find(|(n, _)| n == k).map(|(_, x)| x) != Some(v)
            });
            if differs {
                for (name, value) in &kept {
                    if let Some(field) = SheetField::from_name(name) {
                        typed.update(|t| t.set(field, value));
                        let i = index_of.with_value(|at| at(field));
                        super::draft_keeper::show_in_field(&format!("f-{i}"), value);
                    }
                }
                if let Some((_, v)) = kept.iter().find(|(k, _)| k == "note") {
                    note_text.set(v.clone());
                    super::draft_keeper::show_in_field("entry-note", v);
                }
                let tick = kept.iter().any(|(k, v)| k == "checked" && v == "on");
                ticked.set(tick);
                super::draft_keeper::show_in_field("entry-checked", if tick { "on" } else { "" });
                keeper.changed(pairs());
                keeping.set(Keeping::Restored);
            }
        }
        StoredValue::new_local(keeper)
    };
    let changed = {
        let pairs = pairs.clone();
        move || {
            #[cfg(feature = "hydrate")]
            keeper.with_value(|k| k.changed(pairs()));
            #[cfg(not(feature = "hydrate"))]
            let _ = &pairs;
        }
    };
    let submitting = move |_: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        keeper.with_value(|k| k.submitting());
    };

    let field_row = {
        let changed = changed.clone();
        move |(i, field): (usize, SheetField)| {
            let next = if i + 1 < count {
                format!("f-{}", i + 1)
            } else {
                "entry-checked".to_string()
            };
            let typing_problem = move || {
                checks.with(|(problems, _)| {
                    problems
                        .iter()
                        .find(|(f, _)| *f == field)
                        .map(|(_, p)| p.message(lang))
                })
            };
            // Named by an error (a sum that does not add up) or a warning.
            let in_error = move || {
                checks.with(|(problems, check)| {
                    problems.iter().any(|(f, _)| *f == field)
                        || check.errors.iter().any(|e| {
                            !matches!(e, SheetError::Missing(_)) && e.fields().contains(&field)
                        })
                })
            };
            let warned = move || {
                checks.with(|(_, check)| check.warnings.iter().any(|w| w.fields().contains(&field)))
            };
            let changed = changed.clone();
            let here = next_empty == Some(i);
            view! {
                <label class="entry-field" class:concerned=in_error class:warned=warned for=format!("f-{i}") id=here.then_some("next")>
                    <span class="entry-label">{labels.with_value(|l| l.get(&field).cloned().unwrap_or_default())}</span>
                    <input
                        id=format!("f-{i}")
                        name=field.name()
                        value=input.field(field).to_string()
                        inputmode="numeric"
                        autocomplete="off"
                        maxlength="16"
                        autofocus=here
                        data-next=next
                        aria-invalid=move || in_error().to_string()
                        aria-describedby=format!("p-{i}")
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            typed.update(|t| t.set(field, &text));
                            changed();
                        }
                    />
                    <span class="field-problem" id=format!("p-{i}") role="alert">{typing_problem}</span>
                </label>
            }
        }
    };
    let rows: Vec<_> = fields.iter().copied().enumerate().map(field_row).collect();
    let sums = move || {
        typed.with(|t| {
            let c = t.read().counts;
            let get = |v: Option<alleyvote_domain::paper::Count>| v.map_or(0u64, |c| u64::from(c.get()));
            let split = get(c.valid) + get(c.invalid) + get(c.blank);
            let marks: u64 = c.marks.values().map(|m| get(*m)).sum();
            let cap = get(c.valid) * u64::from(context.with_value(|x| x.rule.max_marks_per_ballot));
            match lang {
                Lang::Zh => format!(
                    "有效 + 废票 + 空白 = {split}（投票箱内 {}）· 得票合计 {marks}（上限 {cap}）",
                    get(c.in_box)
                ),
                Lang::En => format!(
                    "valid + invalid + blank = {split} (in the box: {}) · marks in all {marks} (at most {cap})",
                    get(c.in_box)
                ),
            }
        })
    };
    // The summary at the top: each problem once, linking to its field.
    let findings = move || {
        checks.with(|(problems, check)| {
            let link = |f: SheetField| format!("#f-{}", index_of.with_value(|at| at(f)));
            let typing = problems
                .iter()
                .map(|(f, p)| {
                    let label = labels.with_value(|l| l.get(f).cloned().unwrap_or_default());
                    view! { <li class="error"><a href=link(*f)>{label}{lang.pick("：", ": ")}{p.message(lang)}</a></li> }
                })
                .collect_view();
            // Empty fields are one line, not one each.
            let missing: Vec<SheetField> = check
                .errors
                .iter()
                .filter_map(|e| match e {
                    SheetError::Missing(f) => Some(*f),
                    _ => None,
                })
                .collect();
            let missing_line = missing.first().map(|first| {
                let text = match (missing.len(), lang) {
                    (1, _) => SheetError::Missing(*first).message(lang),
                    (n, Lang::Zh) => format!("还有 {n} 项未填写（第一项：{}）", labels.with_value(|l| l.get(first).cloned().unwrap_or_default())),
                    (n, Lang::En) => format!("{n} fields are still empty (the first: {})", labels.with_value(|l| l.get(first).cloned().unwrap_or_default())),
                };
                view! { <li class="missing"><a href=link(*first)>{text}</a></li> }
            });
            let errors = check
                .errors
                .iter()
                .filter(|e| !matches!(e, SheetError::Missing(_)))
                .map(|e| {
                    let to = e.fields().first().map(|f| link(*f)).unwrap_or_else(|| "#f-0".into());
                    view! { <li class="error"><a href=to>{e.message(lang)}</a></li> }
                })
                .collect_view();
            let warnings = check
                .warnings
                .iter()
                .map(|w| {
                    let to = w.fields().first().map(|f| link(*f)).unwrap_or_else(|| "#f-0".into());
                    view! { <li class="warning"><a href=to>{w.message(lang)}</a></li> }
                })
                .collect_view();
            let clean = problems.is_empty() && check.errors.is_empty() && check.warnings.is_empty();
            view! {
                <ul class="findings" id="sheet-findings" data-testid="sheet-findings"
                    data-errors=(check.errors.len() + problems.len()).to_string()
                    data-warnings=check.warnings.len().to_string()>
                    {typing}{errors}{missing_line}{warnings}
                    {clean.then(|| view! { <li class="ok">{lang.pick("各项数字相符。", "Everything adds up.")}</li> })}
                </ul>
            }
        })
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        // Enter moves to the next field instead of sending the form; the
        // last field leads to the tick, where Enter saves a draft.
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if ev.key() != "Enter" {
                return;
            }
            let Some(next) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.get_attribute("data-next"))
            else {
                return;
            };
            ev.prevent_default();
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&next))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let heading = match (round, lang) {
        (1, Lang::Zh) => "第一次录入",
        (_, Lang::Zh) => "第二次录入（请对照纸质计票单独立录入）",
        (1, Lang::En) => "First entry",
        (_, Lang::En) => "Second entry (key it from the paper, on your own)",
    };
    let changed_note = changed.clone();
    let changed_tick = changed;
    view! {
        <form method="post" action=format!("/console/paper/sheets/{id}/entry") class="entry-form" data-testid="entry-form" data-round=round.to_string() on:keydown=on_key on:submit=submitting>
            <h2>{heading}</h2>
            <input type="hidden" name="csrf" value=csrf/>
            <p class="autosave" data-testid="entry-autosave" data-state=move || keeping.with(|k| k.code()) role="status">
                {move || keeping.with(|k| k.words(lang))}
            </p>
            {findings}
            <fieldset>
                <legend>{lang.pick("请按纸质计票单的顺序逐项填写", "Key the fields in the paper sheet's order")}</legend>
                <div class="entry-column">{rows}</div>
            </fieldset>
            <p class="sums" data-testid="sheet-sums">{sums}</p>
            <label class="check entry-tick" id=next_empty.is_none().then_some("next")>
                <input type="checkbox" id="entry-checked" name="checked" value="on" checked=checked autofocus=next_empty.is_none()
                    on:change=move |ev| { ticked.set(event_target_checked(&ev)); changed_tick(); }/>
                <span>{lang.pick("已与纸质计票单核对（有提示时必须勾选）", "Checked against the paper sheet (required when there are warnings)")}</span>
            </label>
            <label class="entry-note">{lang.pick("备注（可选）", "Note (optional)")}
                <textarea id="entry-note" name="note" rows="2" maxlength="500"
                    on:input=move |ev| { note_text.set(event_target_value(&ev)); changed_note(); }>{note}</textarea>
            </label>
            // Save comes first: Enter before the page is interactive saves a draft.
            <div class="actions">
                <button type="submit" name="action" value="save" class="button" data-testid="entry-save">{lang.pick("保存草稿", "Save draft")}</button>
                <button type="submit" name="action" value="finish" class="button primary" data-testid="entry-finish">{lang.pick("提交本次录入", "Finish this entry")}</button>
            </div>
        </form>
    }
}

/// Two differing entries side by side, the differences marked, and the
/// coordinator's three choices.
#[component]
fn ResolveView(
    id: i64,
    csrf: String,
    first: EntryView,
    second: EntryView,
    differing: Vec<SheetField>,
    names: BTreeMap<u16, String>,
) -> impl IntoView {
    let lang = use_lang();
    let rows = first
        .input
        .fields()
        .into_iter()
        .map(|field| {
            let differs = differing.contains(&field);
            view! {
                <tr class:differs=differs data-differs=differs.to_string()>
                    <td>{label_of(lang, field, &names)}</td>
                    <td class="num">{first.input.field(field).to_string()}</td>
                    <td class="num">{second.input.field(field).to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section data-testid="resolve-view">
            <h2>{lang.pick("两次录入不一致", "The entries differ")}</h2>
            <p class="fine">{lang.pick("标红的是不一致的项目。请对照照片或纸质计票单，决定采用哪一次录入；都不对时请作废两次录入，重新录入。", "Differing fields are marked. Check them against the photo or the paper, then keep one entry; if neither is right, discard both and have the sheet keyed again.")}</p>
            <table class="console-table compare">
                <thead><tr>
                    <th>{lang.pick("项目", "Field")}</th>
                    <th class="num">{format!("{} · {}", lang.pick("第一次", "First"), first.operator)}</th>
                    <th class="num">{format!("{} · {}", lang.pick("第二次", "Second"), second.operator)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <form method="post" action=format!("/console/paper/sheets/{id}/resolve") class="actions">
                <input type="hidden" name="csrf" value=csrf/>
                <button type="submit" name="decision" value=Resolution::KeepFirst.as_str() class="button" data-testid="keep-first">{lang.pick("采用第一次", "Keep the first")}</button>
                <button type="submit" name="decision" value=Resolution::KeepSecond.as_str() class="button" data-testid="keep-second">{lang.pick("采用第二次", "Keep the second")}</button>
                <button type="submit" name="decision" value=Resolution::DiscardBoth.as_str() class="button danger" data-testid="discard-both">{lang.pick("两次都作废，重新录入", "Discard both; key again")}</button>
            </form>
        </section>
    }
}

#[component]
fn EntryCard(entry: EntryView, names: BTreeMap<u16, String>) -> impl IntoView {
    let lang = use_lang();
    let status = match (entry.counted, entry.closed.as_deref(), &entry.finished_at) {
        (true, _, _) => lang.pick("已计入", "Counted"),
        (_, Some("discarded"), _) => lang.pick("已作废", "Discarded"),
        (_, Some("not_kept"), _) => lang.pick("未采用", "Not kept"),
        (_, Some(_), _) => lang.pick("已重新开放（旧版本）", "Reopened (old version)"),
        (_, None, Some(_)) => lang.pick("已提交", "Finished"),
        (_, None, None) => lang.pick("草稿", "Draft"),
    };
    let values = entry
        .input
        .fields()
        .into_iter()
        .map(|f| {
            view! { <tr><td>{label_of(lang, f, &names)}</td><td class="num">{entry.input.field(f).to_string()}</td></tr> }
        })
        .collect_view();
    let round = match lang {
        Lang::Zh => format!("第{}次录入", if entry.round == 1 { "一" } else { "二" }),
        Lang::En => format!("Entry {}", entry.round),
    };
    view! {
        <details class="entry-card" data-testid="entry-card" data-counted=entry.counted.to_string()>
            <summary>{round}" · "{entry.operator.clone()}" · "{entry.finished_at.clone().unwrap_or(entry.saved_at.clone())}" · "{status}</summary>
            <table class="console-table">{values}</table>
            {(!entry.note.is_empty()).then(|| view! { <p class="fine">{lang.pick("备注：", "Note: ")}{entry.note.clone()}</p> })}
        </details>
    }
}
