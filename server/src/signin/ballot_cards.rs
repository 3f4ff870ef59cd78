//! Printable ballot cards: one A4 page holds eight cards, each with its code
//! in large type and a QR code that opens the sign-in page with the code
//! filled in. The page is written once, when the codes are made: only their
//! hashes are stored, so nobody can print them again later.

use qrcode::render::svg;
use qrcode::QrCode;

use alleyvote_domain::signin::ballot_code;

use crate::places::storage::CommunityOf;

/// Text safe inside HTML elements and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Where a card's QR code leads: the sign-in page with the code filled in.
pub fn card_url(base_url: &str, code: &str) -> String {
    format!("{}/login?card={code}", base_url.trim_end_matches('/'))
}

fn qr_svg(url: &str) -> String {
    match QrCode::new(url.as_bytes()) {
        Ok(code) => code
            .render::<svg::Color>()
            .min_dimensions(150, 150)
            .quiet_zone(true)
            .build(),
        // Codes and URLs are short; this cannot happen for them.
        Err(_) => String::new(),
    }
}

const STYLE: &str = "
@page { size: A4; margin: 10mm; }
body { font-family: 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif; margin: 0; }
.sheet { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; }
.card { border: 1.5px dashed #555; border-radius: 4mm; padding: 5mm; height: 60mm;
        display: grid; grid-template-columns: 1fr 36mm; gap: 3mm; break-inside: avoid; }
.card h2 { font-size: 15pt; margin: 0 0 2mm; }
.card .where { font-size: 11pt; margin: 0 0 3mm; }
.card .code { font-size: 22pt; font-weight: bold; letter-spacing: 1.5pt; font-family: monospace; margin: 0 0 3mm; }
.card .how { font-size: 10pt; margin: 0; line-height: 1.5; }
.card svg { width: 36mm; height: 36mm; align-self: center; }
.note { font-size: 10pt; color: #555; }
@media print { .note { display: none; } }
";

/// The whole printable page for a community's new codes.
pub fn printable_page(codes: &[String], community: &CommunityOf, base_url: &str) -> String {
    let place = escape(&format!(
        "{} · {}",
        community.street_zh, community.community.name_zh
    ));
    let mut cards = String::new();
    for code in codes {
        let printed = escape(&ballot_code::printed(code));
        let qr = qr_svg(&card_url(base_url, code));
        cards.push_str(&format!(
            "<section class=\"card\"><div>\
             <h2>十佳小巷总理 · 投票卡</h2>\
             <p class=\"where\">{place}</p>\
             <p class=\"code\">{printed}</p>\
             <p class=\"how\">用手机扫右侧二维码，或打开投票网站、点“用投票卡登录”，输入上面的号码。\
             每张卡只能登录一次，请妥善保管。</p>\
             </div>{qr}</section>"
        ));
    }
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <title>投票卡 · {place}</title><style>{STYLE}</style></head><body>\
         <p class=\"note\">{count} 张投票卡。打印后沿虚线剪开。These are {count} ballot cards: print, then cut along the dashed lines.</p>\
         <main class=\"sheet\">{cards}</main></body></html>",
        count = codes.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use alleyvote_domain::{Community, CommunityId, StreetId};

    fn community(name: &str) -> CommunityOf {
        CommunityOf {
            community: Community {
                id: CommunityId(1),
                street_id: StreetId(1),
                name_zh: name.into(),
                name_en: "x".into(),
            },
            street_zh: "控江路街道".into(),
            street_en: "Kongjiang Road".into(),
        }
    }

    #[test]
    fn each_code_gets_a_card_with_its_qr_code() {
        let codes = vec!["ABCDEFGHJK".to_string(), "MNPQRSTUVW".to_string()];
        let page = printable_page(&codes, &community("凤城一村"), "https://vote.example.cn/");
        assert_eq!(page.matches("<section class=\"card\">").count(), 2);
        assert_eq!(page.matches("<svg").count(), 2);
        assert!(page.contains("ABCDE-FGHJK") && page.contains("MNPQR-STUVW"));
        assert!(page.contains("控江路街道 · 凤城一村"));
        assert_eq!(
            card_url("https://vote.example.cn/", "ABCDEFGHJK"),
            "https://vote.example.cn/login?card=ABCDEFGHJK"
        );
    }

    #[test]
    fn names_cannot_inject_markup() {
        let page = printable_page(&[], &community("<script>alert(1)</script>"), "http://x");
        assert!(!page.contains("<script>"));
        assert!(page.contains("&lt;script&gt;"));
    }
}
