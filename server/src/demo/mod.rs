//! Demo data: Yangpu's twelve streets and towns, a campaign in its voting
//! phase and thirty invented nominees (`paper`: polling stations and tally
//! sheets at every step). Loading it twice changes nothing.

pub mod ceremony;
pub mod nominations;
pub mod paper;

use alleyvote_domain::texts::Hotline;
use alleyvote_domain::{Millis, NomineeFilter, NomineeNumber, ResultsVisibility, VoteRules};
use sha2::{Digest, Sha256};

use crate::campaigns::storage::CampaignSettings;
use crate::keyed_hashes::{VoterIdentity, VoterKind};
use crate::nominees::storage::NomineeDetails;
use crate::storage::StoreResult;
use crate::store::Store;
use crate::voting::ballot::{Ballot, Channel};

pub const DEMO_SLUG: &str = "yangpu-2026";
/// The demo's console login (development only: production never loads the demo).
pub const DEMO_ADMIN: &str = "admin";
pub const DEMO_ADMIN_PASSWORD: &str = "alleyvote-demo";

/// Streets and towns of Yangpu, each with the community the district's own
/// reports name (长白新村街道's is not named there; ours is invented), and
/// invented second and third communities so each nominee leads their own.
const STREETS: [(&str, &str, &str, &str); 12] = [
    (
        "定海路街道",
        "Dinghai Road Subdistrict",
        "和润苑",
        "Herun Garden",
    ),
    (
        "平凉路街道",
        "Pingliang Road Subdistrict",
        "明园村",
        "Mingyuan Village",
    ),
    (
        "大桥街道",
        "Daqiao Subdistrict",
        "长阳新苑",
        "Changyang New Garden",
    ),
    (
        "江浦路街道",
        "Jiangpu Road Subdistrict",
        "金上海",
        "Jinshanghai",
    ),
    (
        "控江路街道",
        "Kongjiang Road Subdistrict",
        "凤联",
        "Fenglian",
    ),
    (
        "四平路街道",
        "Siping Road Subdistrict",
        "鞍山一村第三",
        "Anshan No. 1 Village (Third)",
    ),
    (
        "延吉新村街道",
        "Yanji Xincun Subdistrict",
        "延吉七村",
        "Yanji No. 7 Village",
    ),
    ("五角场街道", "Wujiaochang Subdistrict", "国顺", "Guoshun"),
    (
        "五角场镇",
        "Wujiaochang Town",
        "教师公寓",
        "Teachers' Apartments",
    ),
    (
        "新江湾城街道",
        "Xinjiangwan Subdistrict",
        "东森涵碧",
        "Dongsen Hanbi",
    ),
    (
        "殷行街道",
        "Yinhang Subdistrict",
        "北新村",
        "Beixin Village",
    ),
    (
        "长白新村街道",
        "Changbai Xincun Subdistrict",
        "长白第一",
        "Changbai No. 1",
    ),
];

/// Invented names: no real person is meant.
const NAMES: [&str; 30] = [
    "张秀英",
    "李建国",
    "王美华",
    "陈志强",
    "刘桂芳",
    "杨晓明",
    "赵丽娟",
    "黄卫东",
    "周玉兰",
    "吴国华",
    "徐静怡",
    "孙建华",
    "马晓红",
    "朱永刚",
    "胡春梅",
    "郭海燕",
    "林志明",
    "何淑珍",
    "高伟民",
    "罗慧琴",
    "郑小燕",
    "梁文斌",
    "谢红梅",
    "宋立新",
    "唐雪芳",
    "许振华",
    "韩桂英",
    "冯建平",
    "邓丽萍",
    "曹凤英",
];

const DEEDS: [&str; 10] = [
    "带领居民完成老旧小区加装电梯，二十多部电梯陆续开工，楼里的老人下楼不再发愁。",
    "组织“睦邻点”每周活动，独居老人有人陪聊天、有人送饭，邻里之间熟络了起来。",
    "推动垃圾分类从“要我分”到“我要分”，小区连续三年被评为分类示范小区。",
    "协调物业、业委会和居民，三个月解决了困扰多年的停车难问题。",
    "疫情期间连续五十多天驻守小区，为居民配送物资、联系就医。",
    "建起“楼组微信群”，大事小事群里说，居民的诉求当天就有回音。",
    "牵头把弄堂里的闲置空间改造成口袋花园和儿童游戏角。",
    "为小区里的困难家庭建立帮扶档案，逢年过节上门走访，从不落下一户。",
    "组织志愿者开展“老伙伴”计划，低龄老人结对照顾高龄老人。",
    "推动“美丽家园”改造，屋顶漏水、管道老化等老问题一一得到解决。",
];

/// Where a community's name is not in the district's reports, we number it.
fn extra_community(street_zh: &str, street_en: &str, k: usize) -> (String, String) {
    // A town keeps its 镇: 五角场街道 and 五角场镇 are two places, and their
    // communities two names.
    let short = street_zh.trim_end_matches("街道");
    let (zh, en) = if k == 1 {
        ("第二", "Second")
    } else {
        ("第三", "Third")
    };
    (
        format!("{short}{zh}居民区"),
        format!(
            "{}{} {en} Community",
            street_en.split(' ').next().unwrap_or(street_en),
            if street_zh.ends_with('镇') {
                " Town"
            } else {
                ""
            }
        ),
    )
}

/// The demo organisers' telephone.
pub const DEMO_HOTLINE: &str = "021-5555 0100";

pub fn demo_campaign(now: Millis) -> CampaignSettings {
    // Day boundaries fall on Shanghai midnight, as organizers would set them.
    let phases = crate::campaigns::parse::usual_phases(now);
    CampaignSettings {
        slug: DEMO_SLUG.into(),
        title_zh: "2026年杨浦区“十佳小巷总理”评选".into(),
        title_en: "Yangpu 2026: Top Ten Alley Premiers".into(),
        description_zh: "推选身边注重实绩、崇尚实干、社会公认的居民区书记。网上网下联动，每一票都算数。".into(),
        description_en: "Choose the community leaders whose real work your neighbourhood recognises. Online and paper votes count together.".into(),
        hosts_zh: "主办：中共杨浦区委组织部　杨浦区民政局　承办：杨浦区各街道（镇）".into(),
        hosts_en: "Hosted by the Yangpu District Party Committee's Organisation Department and Civil Affairs Bureau, with Yangpu's subdistricts".into(),
        // A made-up number in Shanghai's shape: the demo's texts show where it goes.
        hotline: Hotline::parse(DEMO_HOTLINE).expect("the demo's hotline is a number"),
        phases,
        rules: VoteRules::new(10, 1).expect("demo rules are valid"),
        results_visibility: ResultsVisibility::Live,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoVotes {
    /// Only the campaign and nominees.
    None,
    /// Also some votes from demo voters, so the results page has a shape.
    Some,
}

pub struct DemoSummary {
    pub campaign_slug: &'static str,
    pub nominees: usize,
    pub votes_cast: usize,
}

pub async fn load(store: &dyn Store, now: Millis, votes: DemoVotes) -> StoreResult<DemoSummary> {
    let campaign_id = store.ensure_campaign(&demo_campaign(now), now).await?;
    let mut number = 1u32;
    for (i, (street_zh, street_en, community_zh, community_en)) in STREETS.iter().enumerate() {
        let street = store.ensure_street(street_zh, street_en, i as i32).await?;
        let per_street = if i < 6 { 3 } else { 2 };
        for k in 0..per_street {
            let (czh, cen) = if k == 0 {
                (community_zh.to_string(), community_en.to_string())
            } else {
                extra_community(street_zh, street_en, k)
            };
            let community = store.ensure_community(street, &czh, &cen).await?;
            let idx = (number - 1) as usize;
            let story = format!(
                "{}同志扎根{}居民区多年。\n\n{}\n\n{}",
                NAMES[idx],
                czh,
                DEEDS[idx % DEEDS.len()],
                DEEDS[(idx * 7 + 3) % DEEDS.len()]
            );
            let nominee = NomineeDetails {
                number: NomineeNumber::new(number).expect("demo numbers are 1..=30"),
                name: NAMES[idx].into(),
                community,
                photo_url: None,
                story,
            };
            store.ensure_nominee(campaign_id, &nominee, now).await?;
            number += 1;
        }
    }
    let nominees = store
        .nominees(campaign_id, &NomineeFilter::default())
        .await?
        .len();
    let mut votes_cast = 0;
    let untouched = store
        .tally(campaign_id)
        .await?
        .rows
        .iter()
        .all(|r| r.online == 0);
    if votes == DemoVotes::Some && untouched {
        let rules = demo_campaign(now).rules;
        for voter_no in 0..120u32 {
            let identity = demo_voter(voter_no);
            let voter = store.voter(&identity, now).await?;
            // Uneven but deterministic preferences, so the ranking has a shape.
            for pick in 0..(1 + voter_no % 4) {
                let n = 1 + (voter_no * 7 + pick * 11 + (voter_no % 5) * (voter_no % 3)) % 30;
                let ballot = Ballot {
                    campaign: campaign_id,
                    rules,
                    voter,
                    nominee: NomineeNumber::new(n).expect("1..=30"),
                    at: now,
                    channel: Channel::Demo,
                    request_key: None,
                };
                if store.cast_vote(&ballot).await?.is_ok() {
                    votes_cast += 1;
                }
            }
        }
    }
    Ok(DemoSummary {
        campaign_slug: DEMO_SLUG,
        nominees,
        votes_cast,
    })
}

pub(crate) fn demo_voter(n: u32) -> VoterIdentity {
    let hash: [u8; 32] = Sha256::digest(format!("alleyvote-demo-voter-{n}")).into();
    VoterIdentity {
        hash,
        kind: VoterKind::Demo,
        masked: format!("demo-{n:03}"),
    }
}
