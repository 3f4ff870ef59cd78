//! `/stations`: where to vote on paper, street by street, for a phone
//! without JavaScript. After the results are published each station also
//! shows its counted sheets with the photo of the signed paper.

use leptos::prelude::*;
use leptos_meta::Title;

use super::model::{PublicStation, PublicStationsData};
use super::server_fns::load_public_stations;
use crate::components::{Loading, NoCampaign, ServiceTrouble};
use crate::i18n::use_lang;

#[component]
pub fn StationsPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_public_stations());
    view! {
        <Title text=lang.pick("纸质投票点", "Where to vote on paper")/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(stations)) => view! { <Stations stations/> }.into_any(),
                    Ok(None) => view! { <NoCampaign/> }.into_any(),
                    Err(_) => view! { <ServiceTrouble/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Stations(stations: PublicStationsData) -> impl IntoView {
    let lang = use_lang();
    let count: usize = stations.streets.iter().map(|s| s.stations.len()).sum();
    let streets = stations
        .streets
        .into_iter()
        .map(|street| {
            let list = street
                .stations
                .into_iter()
                .map(|s| view! { <StationCard station=s/> })
                .collect_view();
            view! {
                <section class="street-stations">
                    <h2>{lang.pick(&street.street_zh, &street.street_en).to_string()}</h2>
                    <ul class="stations">{list}</ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <h1>{lang.pick("纸质投票点", "Where to vote on paper")}</h1>
        <p class="lead">
            {lang.pick(&stations.title_zh, &stations.title_en).to_string()}" · "
            {match lang {
                alleyvote_domain::Lang::Zh => format!("共 {count} 个投票点。不方便用手机的居民，可以在开放时间到就近的投票点填写纸质选票，与网络投票一起计票。"),
                alleyvote_domain::Lang::En => format!("{count} polling stations. Residents who would rather not vote by phone can fill in a paper ballot at the nearest station during its hours; paper and online votes count together."),
            }}
        </p>
        {streets}
    }
}

#[component]
fn StationCard(station: PublicStation) -> impl IntoView {
    let lang = use_lang();
    let sheets = (!station.sheets.is_empty()).then(|| {
        let items = station
            .sheets
            .into_iter()
            .map(|sheet| {
                let photo = sheet.has_photo.then(|| {
                    view! {
                        " · "<a href=format!("/paper/sheets/{}/photo.jpg", sheet.id)>
                            {lang.pick("计票单照片", "photo of the signed sheet")}
                        </a>
                    }
                });
                // Counted without a photo: the administrator's reason, in public.
                let waived = (!sheet.has_photo)
                    .then_some(sheet.photo_waiver.clone())
                    .flatten()
                    .map(|reason| {
                        view! {
                            " · "<span data-testid="photo-waived">
                                {lang.pick("无照片，管理员说明：", "no photo; the administrator's reason: ")}{reason}
                            </span>
                        }
                    });
                // A replaced photo stays listed: a replacement is never silent.
                let replaced = sheet
                    .replaced_photos
                    .iter()
                    .map(|p| {
                        view! {
                            " · "<a data-testid="replaced-photo" href=format!("/paper/sheets/{}/photos/{p}.jpg", sheet.id)>
                                {lang.pick("被替换的照片", "replaced photo")}
                            </a>
                        }
                    })
                    .collect_view();
                view! { <li>{sheet.label}{photo}{waived}{replaced}</li> }
            })
            .collect_view();
        view! {
            <p class="fine">{lang.pick("已确认的计票单：", "Counted tally sheets:")}</p>
            <ul class="sheets">{items}</ul>
        }
    });
    view! {
        <li class="station" data-testid="public-station">
            <h3>{station.name}</h3>
            <p class="fine">{lang.pick(&station.community_zh, &station.community_en).to_string()}</p>
            <dl class="facts">
                <div><dt>{lang.pick("地址", "Address")}</dt><dd>{station.address}</dd></div>
                <div><dt>{lang.pick("开放时间", "Open")}</dt><dd>{station.opening_hours}</dd></div>
            </dl>
            {sheets}
        </li>
    }
}
