//! The audit log in words: what each kind of entry says to an organizer
//! reading the log ("luru1 提交了录入：凤联投票点 · 第1天"), and the kinds the
//! log page filters by. The entries keep their action names (`sheet.finish`);
//! these are their readings.

use crate::lang::Lang;

/// Every action name the log holds, with what it says (Chinese, English).
pub const ACTIONS: &[(&str, &str, &str)] = &[
    ("campaign.create", "创建了评选", "created the campaign"),
    (
        "campaign.update",
        "修改了评选设置",
        "changed the campaign's settings",
    ),
    ("nominee.create", "添加了候选人", "added the nominee"),
    ("nominee.update", "修改了候选人资料", "edited the nominee"),
    (
        "nominee.photo",
        "更换了候选人照片",
        "replaced the nominee's photo",
    ),
    ("nominee.withdraw", "撤下了候选人", "withdrew the nominee"),
    ("nominee.restore", "恢复了候选人", "restored the nominee"),
    (
        "organizer.create",
        "创建了工作人员账号",
        "created the account",
    ),
    (
        "organizer.update",
        "修改了账号或角色",
        "changed the account or role",
    ),
    (
        "organizer.login",
        "登录了管理后台",
        "signed in to the console",
    ),
    ("organizer.logout", "退出了管理后台", "signed out"),
    (
        "organizer.logout_everywhere",
        "在所有设备上退出",
        "signed out everywhere",
    ),
    (
        "organizer.stations",
        "调整了负责的投票点",
        "changed the stations of",
    ),
    (
        "station.create",
        "新建了投票点",
        "added the polling station",
    ),
    (
        "station.update",
        "修改了投票点信息",
        "edited the polling station",
    ),
    (
        "station.operators",
        "调整了投票点的录入员",
        "changed the operators of",
    ),
    (
        "station.remove",
        "删除了投票点",
        "removed the polling station",
    ),
    (
        "station.ballot_stock",
        "登记了发放的选票",
        "recorded the ballots handed to",
    ),
    (
        "street.import",
        "导入了街道和社区",
        "imported streets and communities",
    ),
    ("street.rename", "修改了街道名称", "renamed the street"),
    (
        "street.rename_community",
        "修改了社区名称",
        "renamed the community",
    ),
    (
        "street.remove_community",
        "删除了社区",
        "removed the community",
    ),
    ("ballot_codes.mint", "生成了投票卡", "made ballot cards for"),
    (
        "paper.rule",
        "设置了纸质选票规则",
        "set the paper-ballot rule",
    ),
    ("sheet.create", "新建了计票单", "added the tally sheet"),
    ("sheet.draft", "保存了录入草稿", "saved a draft entry of"),
    ("sheet.finish", "提交了录入", "finished an entry of"),
    (
        "sheet.resolve",
        "处理了两次录入的差异",
        "decided between the entries of",
    ),
    (
        "sheet.reopen",
        "重新开放了计票单",
        "reopened the tally sheet",
    ),
    ("sheet.photo", "上传了计票单照片", "uploaded the photo of"),
    (
        "sheet.photo_waive",
        "免除了计票单照片",
        "waived the photo of the tally sheet",
    ),
    ("results.rule", "设置了排名规则", "set the ranking rule"),
    (
        "results.rule_refused",
        "修改排名规则被拒绝",
        "was refused a ranking-rule change",
    ),
    ("results.lot", "登记了抽签结果", "recorded the lot"),
    (
        "results.publication",
        "推进了结果发布",
        "moved the publication on",
    ),
    (
        "results.locked_refused",
        "修改已锁定的结果被拒绝",
        "was refused a change to locked results",
    ),
    (
        "results.objection_answer",
        "答复了异议",
        "answered the objection",
    ),
    (
        "results.correction_proposed",
        "提出了结果更正",
        "proposed a correction",
    ),
    (
        "results.correction_confirmed",
        "确认了结果更正",
        "confirmed the correction",
    ),
    (
        "results.correction_cancelled",
        "撤回了结果更正",
        "withdrew the correction",
    ),
    (
        "results.correction_published",
        "发布了更正后的结果",
        "published the corrected results",
    ),
    ("results.export", "导出了结果", "exported the results"),
    ("screen.control", "操作了大屏", "pressed a screen control"),
    ("jury.appoint", "任命了评委", "appointed the judges"),
    ("jury.score", "提交了评分", "scored"),
    (
        "nomination.enter",
        "代为录入了推荐",
        "entered a nomination for the committee",
    ),
    (
        "nomination.decide",
        "审核了推荐",
        "decided on the nomination",
    ),
    (
        "nomination.merge",
        "合并了重复推荐",
        "merged the nomination",
    ),
    (
        "nomination.approve",
        "批准推荐成为候选人",
        "approved the nomination as a nominee",
    ),
    (
        "nomination.consent",
        "登记了被推荐人同意",
        "recorded the nominee's consent",
    ),
    (
        "nomination.photo",
        "更换了推荐照片",
        "replaced the nomination's photo",
    ),
    (
        "nomination.submit",
        "提交了推荐",
        "submitted the nomination",
    ),
    (
        "nomination.support",
        "附议了推荐",
        "supported the nomination",
    ),
    (
        "nomination.answer",
        "回复了审核提问",
        "answered the reviewer",
    ),
    ("nomination.unmerge", "撤销了合并", "undid the merge"),
    (
        "nomination.keep",
        "确认不是同一人，保留了自己的推荐",
        "said the likely duplicate is someone else and kept theirs",
    ),
    ("audit.keyed", "为操作记录加了密钥", "keyed the audit chain"),
];

/// What an action name says, if the log knows it.
pub fn action_words(action: &str, lang: Lang) -> Option<&'static str> {
    ACTIONS
        .iter()
        .find(|(name, _, _)| *name == action)
        .map(|(_, zh, en)| lang.pick(zh, en))
}

/// The kinds the log page filters by: the prefix of their action names.
pub const KINDS: &[(&str, &str, &str)] = &[
    ("", "全部", "All"),
    ("organizer.", "账号与登录", "Accounts and sign-ins"),
    ("campaign.", "评选设置", "Campaign settings"),
    ("nominee.", "候选人", "Nominees"),
    ("nomination.", "推荐与审核", "Nominations"),
    ("street.", "街道与社区", "Streets and communities"),
    ("station.", "投票点", "Polling stations"),
    ("sheet.", "计票单录入", "Tally sheets"),
    ("paper.", "纸质选票规则", "Paper-ballot rule"),
    ("ballot_codes.", "投票卡", "Ballot cards"),
    ("results.", "结果与公示", "Results and notice"),
    ("screen.", "大屏", "The big screen"),
    ("jury.", "评委", "Jury"),
    ("audit.", "操作记录本身", "The log itself"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_words_and_a_kind_to_filter_by() {
        for (name, zh, en) in ACTIONS {
            assert!(!zh.is_empty() && !en.is_empty(), "{name}");
            assert!(
                KINDS
                    .iter()
                    .any(|(p, _, _)| !p.is_empty() && name.starts_with(p)),
                "{name} has no kind"
            );
        }
        assert_eq!(action_words("sheet.finish", Lang::Zh), Some("提交了录入"));
        assert_eq!(action_words("no.such", Lang::En), None);
    }

    #[test]
    fn no_action_is_named_twice() {
        let mut names: Vec<&str> = ACTIONS.iter().map(|(n, _, _)| *n).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before);
    }
}
