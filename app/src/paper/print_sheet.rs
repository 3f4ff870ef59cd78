//! `/console/paper/sheets/{id}/print`: the blank tally sheet to fill in by
//! hand at the station, printed from the console so paper and screen match:
//! the same fields in the same order as the entry form (the totals, then
//! each nominee by number with the name), the two sums the form checks,
//! and lines for the counters' signatures. One A4 page; no JavaScript.

use alleyvote_domain::nominee::NomineeNumber;
use alleyvote_domain::paper::{SheetField, SheetInput};
use alleyvote_domain::Lang;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::model::SheetPageData;
use super::server_fns::load_sheet_page;
use crate::components::Loading;
use crate::console::if_allowed;
use crate::i18n::{set_status, use_lang};

#[component]
pub fn PrintSheetPage() -> impl IntoView {
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
        <Title text=lang.pick("打印计票单", "Print the tally sheet")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let here = format!("/console/paper/sheets/{}/print", id().unwrap_or(0));
                if_allowed(data.await, &here, |page| match page {
                    Some(page) => view! { <BlankSheet page/> }.into_any(),
                    None => {
                        set_status(404);
                        view! { <p class="notice error">{lang.pick("没有这张计票单。", "No such tally sheet.")}</p> }.into_any()
                    }
                })
            })}
        </Suspense>
    }
}

/// One row: the field's words and an empty box for the number.
fn row(lang: Lang, field: SheetField, names: &[(u16, String)]) -> impl IntoView {
    let words = match field {
        SheetField::Marks(n) => {
            let name = names
                .iter()
                .find(|(k, _)| *k == n.get())
                .map(|(_, name)| name.clone())
                .unwrap_or_default();
            view! { <td class="number">{format!("{:03}", n.get())}</td><td>{name}</td> }.into_any()
        }
        _ => view! { <td colspan="2">{field.label(lang)}</td> }.into_any(),
    };
    view! { <tr data-field=field.name()>{words}<td class="box"></td></tr> }
}

#[component]
fn BlankSheet(page: SheetPageData) -> impl IntoView {
    let lang = use_lang();
    // The entry form's order: the totals, then the nominees by number.
    let order = SheetInput::blank_for(
        page.ballot
            .iter()
            .filter_map(|(n, _)| NomineeNumber::new(u32::from(*n)).ok()),
    )
    .fields();
    let (totals, marks): (Vec<SheetField>, Vec<SheetField>) = order
        .into_iter()
        .partition(|f| !matches!(f, SheetField::Marks(_)));
    let totals = totals
        .into_iter()
        .map(|f| row(lang, f, &page.ballot))
        .collect_view();
    // Two columns, each read top to bottom, so thirty nominees fit one page.
    let half = marks.len().div_ceil(2);
    let column = |fields: &[SheetField]| {
        let rows = fields
            .iter()
            .map(|f| row(lang, *f, &page.ballot))
            .collect_view();
        view! {
            <table class="print-sheet-table">
                <thead><tr>
                    <th>{lang.pick("编号", "No.")}</th>
                    <th>{lang.pick("候选人", "Nominee")}</th>
                    <th>{lang.pick("得票", "Marks")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
    };
    let left = column(&marks[..half]);
    let right = column(&marks[half..]);
    let back = format!("/console/paper/sheets/{}", page.id);
    view! {
        <div class="print-sheet" data-testid="print-sheet">
            <p class="no-print">
                <a href=back>{lang.pick("← 返回计票单", "← Back to the sheet")}</a>
                " · "{lang.pick("用浏览器的“打印”（Ctrl+P）打印本页，A4 纸一页。", "Print this page with the browser's Print (Ctrl+P): one A4 page.")}
            </p>
            <h1>{lang.pick("纸质选票计票单", "Paper-ballot tally sheet")}</h1>
            <p class="print-sheet-where">
                {lang.pick("投票点：", "Station: ")}<strong>{page.station.clone()}</strong>
                "　"{lang.pick("计票单：", "Sheet: ")}<strong>{page.label.clone()}</strong>
                "　"{lang.pick("编号 #", "No. #")}{page.id}
            </p>
            <table class="print-sheet-table totals">
                <tbody>{totals}</tbody>
            </table>
            <p class="print-sheet-sums">
                {lang.pick(
                    "核对：有效票 + 废票 + 空白票 = 投票箱内选票数；领取选票数 = 投票箱内 + 退回空白 + 作废换领。",
                    "Checks: valid + invalid + blank = ballots in the box; received = in the box + unused returned + spoiled.",
                )}
            </p>
            <div class="print-sheet-marks">{left}{right}</div>
            <div class="print-sheet-signatures">
                <p>{lang.pick("计票人（签名）", "Counted by (signature)")}<span class="line"></span></p>
                <p>{lang.pick("监票人（签名）", "Witnessed by (signature)")}<span class="line"></span></p>
                <p>{lang.pick("日期与时间", "Date and time")}<span class="line"></span></p>
            </div>
            <p class="fine">
                {lang.pick(
                    "填写后由两位录入员分别录入系统，两次一致即计入总票数；签字的计票单请拍照上传并妥善保存。",
                    "Two operators each key this sheet; equal entries count. Photograph the signed sheet, upload the photo and keep the paper.",
                )}
            </p>
        </div>
    }
}
