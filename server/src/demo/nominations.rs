//! The demo's nomination stage (`ALLEYVOTE_DEMO_STAGE=nomination`): the
//! demo campaign moved back into its nomination phase, with nominations
//! in every state for a reviewer (`shenhe`) to work through — two that
//! sound alike in one community (张伟 / 张玮) waiting to be merged, one
//! with its consent recorded on paper and found eligible (ready to
//! approve), a committee's nomination with a question to answer, one found
//! not eligible with its reason. Loading it twice changes nothing.

use alleyvote_domain::nomination::{IneligibleReason, NominationFields};
use alleyvote_domain::{Millis, Phases};

use super::{demo_voter, DEMO_SLUG};
use crate::audit::{Actor, AuditAction, NewAuditEntry};
use crate::capabilities::Services;
use crate::nominations::Review;

fn fields(
    name: &str,
    community: i64,
    role: &str,
    years: u8,
    story: &str,
    relation: &str,
) -> NominationFields {
    NominationFields {
        name: name.into(),
        community: community.to_string(),
        role: role.into(),
        years: years.to_string(),
        story: story.into(),
        relation: relation.into(),
        nominee_phone: String::new(),
        my_phone: String::new(),
    }
}

async fn revision_of(
    nominations: &crate::nominations::Nominations,
    campaign: &alleyvote_domain::Campaign,
    id: alleyvote_domain::nomination::NominationId,
) -> Result<i64, String> {
    nominations
        .record(campaign, id)
        .await
        .map_err(|e| e.to_string())?
        .map(|r| r.revision)
        .ok_or_else(|| "a demo nomination went missing".to_string())
}

pub async fn load(services: &Services, now: Millis) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let store = &services.store;
    let Some(campaign) = store.campaign(DEMO_SLUG).await.map_err(|e| err(&e))? else {
        return Ok(());
    };
    let nominations = &services.nominations;
    let already: u32 = nominations
        .per_street(&campaign)
        .await
        .map_err(|e| err(&e))?
        .iter()
        .map(|(_, n)| n)
        .sum();
    if already > 0 {
        return Ok(());
    }
    // Nominations opened ten days ago and close in five.
    let phases = Phases::new(
        now.plus_days(-10),
        now.plus_days(5),
        now.plus_days(15),
        now.plus_days(30),
        now.plus_days(37),
        now.plus_days(40),
    )
    .map_err(|e| err(&e))?;
    let mut settings = crate::campaigns::parse::as_new(&campaign);
    settings.phases = phases;
    let audit = NewAuditEntry::new(
        Actor::SYSTEM,
        AuditAction::CampaignUpdate,
        format!("campaign:{}", campaign.slug),
    );
    store
        .update_campaign(campaign.id, &settings, &audit, now)
        .await
        .map_err(|e| err(&e))?;
    let Some(campaign) = store.campaign(DEMO_SLUG).await.map_err(|e| err(&e))? else {
        return Ok(());
    };
    let communities = store.communities().await.map_err(|e| err(&e))?;
    let (Some(first), Some(second)) = (communities.first(), communities.get(1)) else {
        return Ok(());
    };
    let (c1, c2) = (first.community.id.0, second.community.id.0);
    let organizers = store.organizers().await.map_err(|e| err(&e))?;
    let Some(reviewer) = organizers.iter().find(|o| o.username == "shenhe") else {
        return Err("the demo reviewer is missing".into());
    };
    let actor = Actor {
        id: Some(reviewer.id),
        name: &reviewer.display_name,
    };
    let resident = |n: u32| async move {
        store
            .voter(&demo_voter(n), now)
            .await
            .map_err(|e| e.to_string())
    };
    let story = "二十年如一日守护弄堂：组织志愿者为独居老人送餐，调解邻里纠纷，疫情期间带头守楼，居民都叫她“老娘舅”。";
    let mut ids = Vec::new();
    for (n, f) in [
        (800, fields("张伟", c1, "director", 12, story, "neighbour")),
        (801, fields("张玮", c1, "director", 12, "张主任每天早上七点就在居委会，谁家有事都找他，加装电梯的事跑了两年终于办成。", "resident")),
        (802, fields("李秀英", c2, "building_leader", 9, "李阿姨是我们楼的楼组长，九年来每周上门看望楼里的独居老人，垃圾分类也是她带头做起来的。", "resident")),
        (803, fields("周小红", c2, "other", 1, "周小红是小区门口超市的老板，经常给居民便宜卖菜，大家都很喜欢她，希望她能当选。", "other")),
        // Two with no look-alike: what a reviewer finds eligible in one go.
        (806, fields("王美华", c2, "volunteer", 6, "王阿姨六年来每天下午在睦邻点教老人用智能手机，挂号、付款、视频通话，手把手教会了上百位老人。", "neighbour")),
        (807, fields("刘德明", c1, "building_leader", 10, "刘师傅当了十年楼组长，楼道里的灯坏了、水管漏了，他总是第一个到，还自掏腰包给楼道装了扶手。", "resident")),
    ] {
        let voter = resident(n).await?;
        let id = nominations
            .nominate(&campaign, voter, &f, true, None)
            .await
            .map_err(|e| err(&e))?;
        ids.push(id);
    }
    // Two neighbours support 李秀英's nomination instead of writing again.
    for n in [804, 805] {
        let voter = resident(n).await?;
        nominations
            .support(&campaign, voter, ids[2], ("李秀英", second.community.id))
            .await
            .map_err(|e| err(&e))?;
    }
    let committee = fields(
        "陈建华",
        c1,
        "secretary",
        15,
        "陈书记十五年扎根社区，牵头完成了老旧小区综合改造，建起了社区食堂和睦邻点。",
        "",
    );
    let entered = nominations
        .enter_for_committee(&campaign, actor, &committee, None)
        .await
        .map_err(|e| err(&e))?;
    let revision = |id| revision_of(nominations, &campaign, id);
    nominations
        .consent_on_paper(
            &campaign,
            actor,
            ids[2],
            revision(ids[2]).await?,
            true,
            "居委会 11 月 20 日书面确认",
        )
        .await
        .map_err(|e| err(&e))?;
    nominations
        .review(
            &campaign,
            actor,
            ids[2],
            revision(ids[2]).await?,
            &Review::Eligible,
        )
        .await
        .map_err(|e| err(&e))?;
    nominations
        .review(
            &campaign,
            actor,
            entered,
            revision(entered).await?,
            &Review::AskForInfo {
                question: "请补充陈书记牵头改造的小区名称和完成年份。".into(),
            },
        )
        .await
        .map_err(|e| err(&e))?;
    nominations
        .review(
            &campaign,
            actor,
            ids[3],
            revision(ids[3]).await?,
            &Review::Ineligible {
                reason: IneligibleReason::NotCommunityWorker,
                note: "被推荐人是超市经营者，不属于社区工作者或志愿者。".into(),
            },
        )
        .await
        .map_err(|e| err(&e))?;
    Ok(())
}
