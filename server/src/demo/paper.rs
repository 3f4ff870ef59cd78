//! Demo paper ballots: two station operators, six polling stations with
//! their address, hours and ballot stock, and a tally sheet each at every
//! step of the double entry (counted, awaiting the second entry, entries
//! that differ for the coordinator, a draft, not started), so a newcomer
//! sees the whole flow at `/console/paper` and the paper count in the
//! results. Loading it twice changes nothing.

use std::collections::BTreeMap;

use alleyvote_domain::organizer::Role;
use alleyvote_domain::paper::SheetField;
use alleyvote_domain::{Millis, SheetId, StationId};

use super::DEMO_ADMIN_PASSWORD;
use crate::audit::Actor;
use crate::capabilities::Services;
use crate::organizers::storage::Organizer;
use crate::paper::{Keyed, Operator};
use crate::stations::{TypedDetails, TypedStock};

/// The demo's station operators (development only).
pub const DEMO_OPERATORS: [(&str, &str); 2] = [("luru1", "王录入"), ("luru2", "李录入")];

/// The numbers volunteers wrote on a station's sheet: `in_box` ballots of
/// 500 received, marks spread over the ballot's nominees.
fn sheet(in_box: u32, nominees: &[u32], seed: u32) -> BTreeMap<SheetField, String> {
    let spoiled = 3;
    let (invalid, blank) = (4, 2);
    let valid = in_box - invalid - blank;
    let mut fields: BTreeMap<SheetField, String> = [
        (SheetField::Received, 500),
        (SheetField::Unused, 500 - in_box - spoiled),
        (SheetField::Spoiled, spoiled),
        (SheetField::InBox, in_box),
        (SheetField::Valid, valid),
        (SheetField::Invalid, invalid),
        (SheetField::Blank, blank),
    ]
    .into_iter()
    .map(|(f, n)| (f, n.to_string()))
    .collect();
    for &n in nominees {
        // A quarter of the valid ballots on average: within ten per ballot.
        let share = (n * 37 + seed * 11) % 40 + 5;
        if let Ok(number) = alleyvote_domain::NomineeNumber::new(n) {
            fields.insert(SheetField::Marks(number), (valid * share / 100).to_string());
        }
    }
    fields
}

/// A picture standing in for the photo of a signed sheet: ruled lines.
fn sheet_picture() -> Vec<u8> {
    let img = image::RgbImage::from_fn(900, 1200, |x, y| {
        let ruled = y % 60 < 2 || (x > 80 && x < 84);
        if ruled {
            image::Rgb([40, 40, 90])
        } else {
            image::Rgb([250, 248, 240])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    let _ = image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Png);
    out.into_inner()
}

fn as_operator(o: &Organizer) -> Operator<'_> {
    Operator {
        actor: o.actor(),
        id: o.id,
        role: o.role,
    }
}

async fn key(
    services: &Services,
    who: &Organizer,
    sheet: SheetId,
    fields: BTreeMap<SheetField, String>,
    finish: bool,
) {
    let keyed = Keyed {
        fields,
        checked_against_paper: true,
        note: String::new(),
        finish,
    };
    if let Err(e) = services.paper.key(&as_operator(who), sheet, &keyed).await {
        tracing::warn!(error = %e, "demo sheet entry refused");
    }
}

/// The photo of the signed sheet, as the station's operator takes it.
async fn photograph(services: &Services, who: &Organizer, sheet: SheetId) {
    if let Err(e) = services
        .paper
        .add_photo(&as_operator(who), sheet, sheet_picture())
        .await
    {
        tracing::warn!(error = %e, "the demo could not photograph a sheet");
    }
}

/// Loads the demo stations and sheets into the current campaign, once.
pub async fn load(services: &Services) -> Result<(), String> {
    let now = Millis::now();
    for (username, name) in DEMO_OPERATORS {
        // Taken means an earlier start made it.
        let _ = services
            .organizers
            .create(
                None,
                username,
                name,
                Role::StationOperator,
                DEMO_ADMIN_PASSWORD,
                now,
            )
            .await;
    }
    let Some(campaign) = services
        .current_campaign()
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(());
    };
    let placed = services
        .stations
        .records(Some(campaign.id))
        .await
        .map_err(|e| e.to_string())?;
    if !placed.is_empty() {
        return Ok(());
    }
    let organizers = services
        .store
        .organizers()
        .await
        .map_err(|e| e.to_string())?;
    let operators: Vec<&Organizer> = DEMO_OPERATORS
        .iter()
        .filter_map(|(u, _)| organizers.iter().find(|o| o.username == *u))
        .collect();
    let &[first, second] = operators.as_slice() else {
        return Err("the demo operators could not be created".into());
    };
    let communities = services
        .store
        .communities()
        .await
        .map_err(|e| e.to_string())?;
    let nominees: Vec<u32> = services
        .store
        .nominee_records(campaign.id)
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .filter(|n| n.active)
        .map(|n| u32::from(n.nominee.summary.number.get()))
        .collect();
    let mut stations: Vec<StationId> = Vec::new();
    // The first community of six streets, one station each.
    let mut streets_seen = Vec::new();
    for c in communities.iter() {
        if streets_seen.contains(&c.community.street_id) || streets_seen.len() == 6 {
            continue;
        }
        streets_seen.push(c.community.street_id);
        let k = streets_seen.len();
        let station = match services
            .stations
            .add(Actor::SYSTEM, &format!("{}投票点", c.community.name_zh))
            .await
        {
            Ok(id) => id,
            Err(e) => return Err(e.to_string()),
        };
        let details = TypedDetails {
            campaign: &campaign.id.0.to_string(),
            community: &c.community.id.0.to_string(),
            address: &format!("{}居委会活动室（{}）", c.community.name_zh, c.street_zh),
            opening_hours: "投票期间每天 9:00–16:00",
            usual_turnout: "300",
        };
        services
            .stations
            .update(Actor::SYSTEM, station, &details)
            .await
            .map_err(|e| e.to_string())?;
        let stock = TypedStock {
            ballots: "500",
            serial_from: &format!("YP{k}-0001"),
            serial_to: &format!("YP{k}-0500"),
        };
        // Stock is recorded by someone: the demo admin, else an operator.
        let recorder = organizers
            .iter()
            .find(|o| o.role == Role::Admin)
            .unwrap_or(first);
        let actor = recorder.actor();
        services
            .stations
            .add_stock(actor, station, &stock)
            .await
            .map_err(|e| e.to_string())?;
        stations.push(station);
    }
    for op in [first.id, second.id] {
        services
            .stations
            .assign(Actor::SYSTEM, op, &stations)
            .await
            .map_err(|e| e.to_string())?;
    }
    for (k, station) in stations.iter().enumerate() {
        let sheet = services
            .paper
            .add_sheet(Actor::SYSTEM, *station, "第1天")
            .await
            .map_err(|e| e.to_string())?;
        let numbers = self::sheet(280 + 10 * k as u32, &nominees, k as u32);
        match k {
            // Counted: the photo first, then both entries agree.
            0 => {
                photograph(services, first, sheet).await;
                key(services, first, sheet, numbers.clone(), true).await;
                key(services, second, sheet, numbers, true).await;
            }
            // The first entry is in; the second waits for another operator.
            1 => key(services, first, sheet, numbers, true).await,
            // One typo in the second entry: the coordinator decides, with the photo.
            2 => {
                photograph(services, first, sheet).await;
                key(services, first, sheet, numbers.clone(), true).await;
                let mut typo = numbers;
                if let Some((_, v)) = typo
                    .iter_mut()
                    .find(|(f, _)| matches!(f, SheetField::Marks(_)))
                {
                    *v = (v.parse::<u32>().unwrap_or(0) + 1).to_string();
                }
                key(services, second, sheet, typo, true).await;
            }
            // A draft: the first operator stopped halfway.
            3 => {
                let half: BTreeMap<_, _> = numbers.into_iter().take(5).collect();
                key(services, first, sheet, half, false).await;
            }
            // No photo can be taken: the administrator waived it, with a
            // reason; the second entry may then be finished without one.
            4 => {
                key(services, first, sheet, numbers, true).await;
                if let Some(admin) = organizers.iter().find(|o| o.role == Role::Admin) {
                    let reason = "平板电脑相机损坏，签字计票单原件已封存于街道办事处，可申请查阅";
                    if let Err(e) = services
                        .paper
                        .waive_photo(&as_operator(admin), sheet, reason)
                        .await
                    {
                        tracing::warn!(error = %e, "the demo could not waive a photo");
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}
