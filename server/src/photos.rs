//! Photos: JPEG, PNG or WebP up to a size limit, decoded and re-encoded as
//! JPEG (a nominee's at the two sizes the pages show, a signed tally sheet's
//! large enough to read). Only the re-encoded pixels are kept, so EXIF (a
//! phone's location, its owner) never survives; anything else is refused
//! with a sentence.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, ImageReader, Limits};

/// The largest upload taken.
pub const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;
/// The most pixels decoded (a 48-megapixel phone photo is 8000 × 6000): a
/// small file may claim enormous dimensions, and decoding costs 3–4 bytes
/// a pixel.
pub const MAX_PIXELS: u64 = 40_000_000;
/// The profile page's photo fits in this square.
const FULL: u32 = 800;
/// The list's square thumbnail.
const CARD: u32 = 240;
/// A photographed document (a signed tally sheet) fits in this square:
/// every handwritten digit stays readable.
const DOCUMENT: u32 = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhotoProblem {
    #[error("照片不能超过 8 MB。")]
    TooLarge,
    #[error("照片不能超过 4000 万像素。")]
    TooManyPixels,
    #[error("只能上传 JPEG、PNG 或 WebP 格式的照片。")]
    Unsupported,
    #[error("这个文件无法作为照片打开，请换一张再试。")]
    Unreadable,
}

/// [`process`] off the async threads, in turn (see [`in_turn`]). `Err` only
/// when the server could not run it.
pub async fn process_in_turn(
    upload: Vec<u8>,
) -> Result<Result<Processed, PhotoProblem>, crate::storage::StoreError> {
    in_turn(move || process(&upload)).await
}

/// [`process_document`] off the async threads, in turn.
pub async fn process_document_in_turn(
    upload: Vec<u8>,
) -> Result<Result<Vec<u8>, PhotoProblem>, crate::storage::StoreError> {
    in_turn(move || process_document(&upload)).await
}

/// Runs a decoding on the blocking pool, two at a time for the whole server
/// (nominee photos, nominations' photos and tally sheets alike): a decoding
/// takes up to a few hundred megabytes.
async fn in_turn<T: Send + 'static>(
    decode: impl FnOnce() -> T + Send + 'static,
) -> Result<T, crate::storage::StoreError> {
    use crate::storage::StoreError;
    static DECODING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
    let _turn = DECODING.acquire().await.map_err(|_| StoreError::Busy)?;
    tokio::task::spawn_blocking(decode)
        .await
        .map_err(|e| StoreError::Corrupt(format!("photo task: {e}")))
}

/// The two sizes, as JPEG bytes.
#[derive(Debug, Clone)]
pub struct Processed {
    pub full: Vec<u8>,
    pub card: Vec<u8>,
}

fn jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, PhotoProblem> {
    let mut out = Vec::new();
    let rgb = image.to_rgb8();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&rgb)
        .map_err(|_| PhotoProblem::Unreadable)?;
    Ok(out)
}

/// The quick check before anything is stored: size and format by the
/// file's first bytes. `process` still decodes it fully.
pub fn check_format(upload: &[u8]) -> Result<(), PhotoProblem> {
    if upload.len() > MAX_UPLOAD_BYTES {
        return Err(PhotoProblem::TooLarge);
    }
    match image::guess_format(upload) {
        Ok(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) => Ok(()),
        _ => Err(PhotoProblem::Unsupported),
    }
}

/// Checks and decodes an upload within the limits.
fn decode(upload: &[u8]) -> Result<DynamicImage, PhotoProblem> {
    check_format(upload)?;
    let format = image::guess_format(upload).map_err(|_| PhotoProblem::Unsupported)?;
    // The header says how big the picture is, before anything is decoded.
    let (width, height) = ImageReader::with_format(Cursor::new(upload), format)
        .into_dimensions()
        .map_err(|_| PhotoProblem::Unreadable)?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PhotoProblem::TooManyPixels);
    }
    let mut reader = ImageReader::with_format(Cursor::new(upload), format);
    // And a cap on what decoding may take, whatever the header claimed.
    let mut limits = Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    reader.decode().map_err(|_| PhotoProblem::Unreadable)
}

/// Shrunk to fit a square, never enlarged.
fn fit(image: &DynamicImage, side: u32) -> DynamicImage {
    if image.width() > side || image.height() > side {
        image.resize(side, side, FilterType::Lanczos3)
    } else {
        image.clone()
    }
}

/// A photographed document, re-encoded to fit 2,000 px. CPU-heavy: call
/// it on the blocking pool.
pub fn process_document(upload: &[u8]) -> Result<Vec<u8>, PhotoProblem> {
    jpeg(&fit(&decode(upload)?, DOCUMENT), 85)
}

/// Checks and re-encodes a nominee's photo. CPU-heavy: call it on the
/// blocking pool.
pub fn process(upload: &[u8]) -> Result<Processed, PhotoProblem> {
    let image = decode(upload)?;
    let full = fit(&image, FULL);
    let card = image.resize_to_fill(CARD, CARD, FilterType::Lanczos3);
    Ok(Processed {
        full: jpeg(&full, 85)?,
        card: jpeg(&card, 80)?,
    })
}

/// Room for a photo at the upload limit and the form around it: the body
/// limit of every route that takes a photo.
pub fn upload_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    /// A PNG whose header claims the size; no pixels follow.
    fn png_header_only(width: u32, height: u32) -> Vec<u8> {
        let mut out = png(1, 1);
        // The IHDR chunk: type at 12..16, width 16..20, height 20..24, the
        // rest of its data to 29, then its CRC over type and data (29..33),
        // recomputed so the header reads as valid.
        out[16..20].copy_from_slice(&width.to_be_bytes());
        out[20..24].copy_from_slice(&height.to_be_bytes());
        let crc = crc32(&out[12..29]);
        out[29..33].copy_from_slice(&crc.to_be_bytes());
        out
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn photos_come_out_as_jpeg_at_display_sizes() {
        let small = process(&png(300, 200)).unwrap();
        let kept = image::load_from_memory(&small.full).unwrap();
        assert_eq!((kept.width(), kept.height()), (300, 200), "never enlarged");
        let p = process(&png(1600, 1000)).unwrap();
        let full = image::load_from_memory(&p.full).unwrap();
        assert_eq!((full.width(), full.height()), (800, 500));
        let card = image::load_from_memory(&p.card).unwrap();
        assert_eq!((card.width(), card.height()), (240, 240));
        assert_eq!(image::guess_format(&p.full).unwrap(), ImageFormat::Jpeg);
    }

    #[test]
    fn metadata_does_not_survive() {
        // A JPEG carrying an EXIF block with a GPS tag name in it.
        let mut with_exif = Vec::new();
        let img = DynamicImage::ImageRgb8(image::RgbImage::new(64, 64));
        img.write_to(&mut Cursor::new(&mut with_exif), ImageFormat::Jpeg)
            .unwrap();
        let exif = b"Exif\0\0GPSLatitude 31.2304 N";
        let mut segment = vec![0xFF, 0xE1];
        segment.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
        segment.extend_from_slice(exif);
        with_exif.splice(2..2, segment);
        assert!(with_exif.windows(11).any(|w| w == b"GPSLatitude"));
        let p = process(&with_exif).unwrap();
        assert!(!p.full.windows(4).any(|w| w == b"Exif"));
        assert!(!p.full.windows(11).any(|w| w == b"GPSLatitude"));
    }

    #[test]
    fn anything_else_is_refused_with_a_reason() {
        assert_eq!(
            process(b"<svg onload=alert(1)>").unwrap_err(),
            PhotoProblem::Unsupported
        );
        assert_eq!(
            process(b"GIF89a....").unwrap_err(),
            PhotoProblem::Unsupported
        );
        let mut truncated = png(50, 50);
        truncated.truncate(60);
        assert_eq!(process(&truncated).unwrap_err(), PhotoProblem::Unreadable);
        assert_eq!(
            process(&vec![0u8; MAX_UPLOAD_BYTES + 1]).unwrap_err(),
            PhotoProblem::TooLarge
        );
        // 12,000 × 12,000 claimed by a file of a few hundred bytes: refused
        // from its header, before half a gigabyte is decoded.
        let huge = png_header_only(12_000, 12_000);
        assert!(huge.len() < 1024);
        assert_eq!(process(&huge).unwrap_err(), PhotoProblem::TooManyPixels);
    }
}
