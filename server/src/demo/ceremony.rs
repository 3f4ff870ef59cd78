//! Demo results and ceremony: a screen operator (`dapin`), a reviewer
//! (`shenhe`) and a second administrator (`fuhe`), and on request (`ALLEYVOTE_DEMO_STAGE=notice`) the demo
//! campaign taken past voting into its public notice — the count closed, a
//! lot drawn if a tie straddles the line, the notice published, one
//! objection answered and one waiting — so a newcomer can see the notice,
//! answer an objection, print the A4 notice and rehearse the reveal.
//! Loading it twice changes nothing.

use alleyvote_domain::organizer::Role;
use alleyvote_domain::publication::working_days::{notice_end_after, USUAL_NOTICE_DAYS};
use alleyvote_domain::publication::{ObjectionText, PublicationStep, UnreportedReason};
use alleyvote_domain::{Millis, Phases};

use super::{demo_voter, DEMO_ADMIN, DEMO_ADMIN_PASSWORD, DEMO_SLUG};
use crate::audit::{Actor, NewAuditEntry};
use crate::capabilities::Services;

/// The demo's screen operator, reviewer and second administrator (the one
/// who confirms a correction `admin` proposes; development only).
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 3] = [
    ("dapin", "大屏操作员", Role::ScreenOperator),
    ("shenhe", "审核员", Role::Reviewer),
    ("fuhe", "复核管理员", Role::Admin),
];

/// How far the demo campaign is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoStage {
    /// As loaded: voting is open.
    Voting,
    /// Back in the nomination phase, nominations in review (`nominations.rs`).
    Nomination,
    /// Voting over, results on public notice with objections.
    Notice,
}

impl DemoStage {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "voting" => Some(DemoStage::Voting),
            "nomination" => Some(DemoStage::Nomination),
            "notice" => Some(DemoStage::Notice),
            _ => None,
        }
    }
}

pub async fn load(services: &Services, stage: DemoStage) -> Result<(), String> {
    let now = Millis::now();
    for (username, name, role) in DEMO_ACCOUNTS {
        // Taken means an earlier start made it.
        let _ = services
            .organizers
            .create(None, username, name, role, DEMO_ADMIN_PASSWORD, now)
            .await;
    }
    match stage {
        DemoStage::Voting => {}
        DemoStage::Nomination => super::nominations::load(services, now).await?,
        DemoStage::Notice => to_notice(services, now).await?,
    }
    Ok(())
}

/// Why the demo's notice is published before every station reported: what
/// an administrator would write, shown on the notice.
const DEMO_UNREPORTED_REASON: &str =
    "其余投票点的计票单仍在两人核对中，选票已封存；核对完成后按更正程序计入并重新公示。";

async fn to_notice(services: &Services, now: Millis) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let store = &services.store;
    let Some(campaign) = store.campaign(DEMO_SLUG).await.map_err(|e| err(&e))? else {
        return Ok(());
    };
    if store
        .publication(campaign.id)
        .await
        .map_err(|e| err(&e))?
        .is_some()
    {
        return Ok(());
    }
    let organizers = store.organizers().await.map_err(|e| err(&e))?;
    let named = |u: &str| organizers.iter().find(|o| o.username == u).cloned();
    let (Some(admin), Some(reviewer)) = (named(DEMO_ADMIN), named("shenhe")) else {
        return Err("the demo accounts are missing".into());
    };
    let admin_actor = Actor {
        id: Some(admin.id),
        name: &admin.display_name,
    };
    // Voting ended an hour ago; the ceremony is in a week.
    let p = campaign.phases;
    let phases = Phases::new(
        p.nomination_start.min(now.plus_days(-40)),
        p.review_start.min(now.plus_days(-20)),
        now.plus_days(-8),
        now.plus_ms(-3_600_000),
        now.plus_days(7),
        now.plus_days(9),
    )
    .map_err(|e| err(&e))?;
    let mut settings = crate::campaigns::parse::as_new(&campaign);
    settings.phases = phases;
    let audit = NewAuditEntry::new(
        admin_actor,
        crate::audit::AuditAction::CampaignUpdate,
        format!("campaign:{}", campaign.slug),
    );
    store
        .update_campaign(campaign.id, &settings, &audit, now)
        .await
        .map_err(|e| err(&e))?;
    let Some(campaign) = store.campaign(DEMO_SLUG).await.map_err(|e| err(&e))? else {
        return Ok(());
    };
    let publications = &services.publications;
    publications
        .step(admin_actor, &campaign, PublicationStep::Close)
        .await
        .map_err(|e| err(&e))?;
    // A tie at the line is drawn as the console would, before the notice.
    let _ = publications
        .draw_lot(admin_actor, &campaign, "演示见证人 张公证")
        .await;
    publications
        .step(
            admin_actor,
            &campaign,
            PublicationStep::OpenNotice {
                end: notice_end_after(now, USUAL_NOTICE_DAYS),
                unreported: UnreportedReason::parse(DEMO_UNREPORTED_REASON)
                    .map_err(|e| format!("the demo's reason: {e:?}"))?,
            },
        )
        .await
        .map_err(|e| err(&e))?;
    let objections = [
        (
            "第三投票点公布的纸质票数与计票单照片上的数字不一致，请核实。",
            "wx_minzhu",
            "3",
        ),
        ("希望公布各投票点的有效票和废票数，便于居民监督。", "", ""),
    ];
    for (i, (reason, contact, nominee)) in objections.into_iter().enumerate() {
        let voter = store
            .voter(&demo_voter(900 + i as u32), now)
            .await
            .map_err(|e| err(&e))?;
        let id = publications
            .object(
                &campaign,
                voter,
                ObjectionText::parse(reason, contact, nominee),
            )
            .await
            .map_err(|e| err(&e))?;
        if i == 0 {
            let reviewer_actor = Actor {
                id: Some(reviewer.id),
                name: &reviewer.display_name,
            };
            publications
                .answer(reviewer_actor, &campaign, id, "经复核计票单原件和照片，第三投票点的数字无误；现场公布时读错了一位，已当面向居民说明。")
                .await
                .map_err(|e| err(&e))?;
        }
    }
    Ok(())
}
