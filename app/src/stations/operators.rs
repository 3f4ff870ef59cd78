//! The polling stations' part of the accounts page (administrators): the
//! stations, a form for a new one, and which station operator enters whose
//! paper ballots.

use alleyvote_domain::organizer::{OrganizerId, Role};
use leptos::prelude::*;

use crate::i18n::use_lang;
use crate::organizers::model::OrganizersData;

/// Polling stations, and which station operator enters whose paper ballots.
#[component]
pub fn StationOperators(page: OrganizersData) -> impl IntoView {
    let lang = use_lang();
    let csrf = page.who.csrf.clone();
    let name_of = |id: OrganizerId| {
        page.accounts
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.username.clone())
            .unwrap_or_default()
    };
    let rows = page
        .stations
        .iter()
        .map(|s| {
            let who = s
                .operators
                .iter()
                .map(|o| name_of(*o))
                .collect::<Vec<_>>()
                .join("、");
            view! { <tr><td>{s.name.clone()}</td><td>{who}</td></tr> }
        })
        .collect_view();
    let assignments = page
        .accounts
        .iter()
        .filter(|a| a.role == Role::StationOperator)
        .map(|a| {
            let action = format!("/console/organizers/{}/stations", a.id);
            let testid = format!("stations-of-{}", a.username);
            let boxes = page
                .stations
                .iter()
                .map(|s| {
                    view! {
                        <label class="check">
                            <input type="checkbox" name="station" value=s.id.to_string() checked=s.operators.contains(&a.id)/>
                            {s.name.clone()}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <form method="post" action=action class="console-form" data-testid=testid>
                    <input type="hidden" name="csrf" value=csrf.clone()/>
                    <p><strong>{a.display_name.clone()}</strong>" "{lang.pick("负责的投票站：", "enters the ballots of:")}</p>
                    {boxes}
                    <button type="submit" class="button small">{lang.pick("保存", "Save")}</button>
                </form>
            }
        })
        .collect_view();
    view! {
        <h2>{lang.pick("投票站", "Polling stations")}</h2>
        <table class="console-table" data-testid="stations">
            <thead><tr><th>{lang.pick("投票站", "Station")}</th><th>{lang.pick("录入员", "Operators")}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <form method="post" action="/console/stations" class="console-form" data-testid="new-station">
            <input type="hidden" name="csrf" value=csrf.clone()/>
            <label><span>{lang.pick("新投票站名称", "New station's name")}</span>
                <input type="text" name="name" required maxlength="60"/></label>
            <button type="submit" class="button small">{lang.pick("添加投票站", "Add the station")}</button>
        </form>
        {assignments}
    }
}
