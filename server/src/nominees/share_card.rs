//! The picture a profile's link shows in a chat when the nominee has no
//! photo (`og:image`): the award's words and the nominee's number, large.
//! Composed from two pictures drawn once with a CJK font
//! (`scripts/share-card-assets.py`), so the server needs no font; the name
//! travels beside it in the link's title.

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use image::{Rgba, RgbaImage};

use alleyvote_domain::NomineeNumber;

use crate::ttl_cache::Memo;
use crate::web::client::request_lang;
use crate::web::error::ApiError;

/// The card's size: what chat apps show best (1.91 : 1).
pub const SIZE: (u32, u32) = (1200, 630);
/// One glyph's cell in the digits sheet (0–9, then 号).
const CELL: (u32, u32) = (150, 250);

static WORDS: LazyLock<Option<RgbaImage>> =
    LazyLock::new(|| decode(include_bytes!("../../assets/share-card/words.png")));
static DIGITS: LazyLock<Option<RgbaImage>> =
    LazyLock::new(|| decode(include_bytes!("../../assets/share-card/digits.png")));
/// Cards drawn lately: a shared link is asked for by every chat that shows it.
static DRAWN: LazyLock<Memo<u16, Arc<Vec<u8>>>> =
    LazyLock::new(|| Memo::new(Duration::from_secs(3600), 64));

fn decode(png: &[u8]) -> Option<RgbaImage> {
    image::load_from_memory(png).ok().map(|i| i.to_rgba8())
}

/// The card for `number`, as PNG.
pub fn draw(number: NomineeNumber) -> Option<Vec<u8>> {
    let (words, digits) = (WORDS.as_ref()?, DIGITS.as_ref()?);
    let (w, h) = SIZE;
    // The award's red, lighter at the top left.
    let mut card = RgbaImage::from_fn(w, h, |x, y| {
        let t = (x as f32 / w as f32) * 0.4 + (y as f32 / h as f32) * 0.6;
        let mix = |a: f32, b: f32| (a + (b - a) * t) as u8;
        Rgba([mix(198.0, 74.0), mix(40.0, 7.0), mix(40.0, 7.0), 255])
    });
    // A gold rule under the title.
    for x in 74..520 {
        for y in 172..178 {
            card.put_pixel(x, y, Rgba([255, 227, 163, 255]));
        }
    }
    image::imageops::overlay(&mut card, words, 0, 0);
    // "007号", right-aligned, the number's cells from the digits sheet.
    let glyphs: Vec<u32> = format!("{:03}", number.get())
        .chars()
        .filter_map(|c| c.to_digit(10))
        .chain(std::iter::once(10))
        .collect();
    let width = CELL.0 * glyphs.len() as u32;
    let left = w.saturating_sub(width + 60);
    for (k, glyph) in glyphs.iter().enumerate() {
        let cell = image::imageops::crop_imm(digits, glyph * CELL.0, 0, CELL.0, CELL.1).to_image();
        image::imageops::overlay(&mut card, &cell, i64::from(left + CELL.0 * k as u32), 250);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgba8(card)
        .write_to(&mut out, image::ImageFormat::Png)
        .ok()?;
    Some(out.into_inner())
}

/// `GET /nominees/{number}/card.png`. The card names only the number, so it
/// is drawn for any well-formed one; drawing runs on the blocking pool and
/// recent cards are kept.
pub async fn nominee_card(Path(number): Path<String>, headers: HeaderMap) -> Response {
    let lang = request_lang(&headers);
    let Ok(number) = NomineeNumber::parse(&number) else {
        return ApiError::not_found(lang, "没有这位候选人。", "There is no such nominee.")
            .into_response();
    };
    let png = match DRAWN.get(&number.get()) {
        Some(png) => Some(png),
        None => tokio::task::spawn_blocking(move || draw(number))
            .await
            .ok()
            .flatten()
            .map(|png| {
                let png = Arc::new(png);
                DRAWN.put(number.get(), png.clone());
                png
            }),
    };
    match png {
        Some(png) => (
            [
                (CONTENT_TYPE, "image/png"),
                (CACHE_CONTROL, "public, max-age=86400"),
            ],
            png.as_ref().clone(),
        )
            .into_response(),
        None => ApiError::not_found(lang, "无法生成图片。", "Could not draw the picture.")
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_is_drawn_for_a_number_at_the_size_chats_show() {
        let png = draw(NomineeNumber::new(7).unwrap()).expect("drawn");
        let card = image::load_from_memory(&png).unwrap();
        assert_eq!((card.width(), card.height()), SIZE);
        // The number's gold lies where the digits go; the corner stays red.
        let rgba = card.to_rgba8();
        let gold = (250..500)
            .flat_map(|y| (600..1140).map(move |x| (x, y)))
            .filter(|&(x, y)| rgba.get_pixel(x, y)[1] > 200)
            .count();
        assert!(gold > 5_000, "gold pixels: {gold}");
        assert!(rgba.get_pixel(1190, 620)[1] < 60);
        assert_ne!(draw(NomineeNumber::new(8).unwrap()), Some(png));
    }
}
