//! How long the browser keeps what it downloads. The wasm bundle, its
//! script and the stylesheet carry their content's hash in their names
//! (cargo-leptos `hash-files`): a phone keeps them for a year and asks again
//! only when a new build renames them. Pages stay `no-cache`: revalidated
//! every time, so they always name the current bundle.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use tower_http::services::ServeDir;

/// The file cargo-leptos writes beside the server binary, naming the hashes.
const HASH_FILE: &str = "hash.txt";

/// Whether this binary was built with hashed file names: the hash file
/// stands beside it (the test binaries, and `cargo run`, have none).
pub fn hashed_build() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(HASH_FILE)))
        .is_some_and(|file| file.is_file())
}

/// The bundle, its script and the stylesheet under `/pkg`. A release built
/// with `cargo leptos build --release --precompress` has a `.br` beside each
/// file (brotli at its best quality, once at build time): a browser that
/// accepts brotli gets it as it is, smaller than the on-the-fly compression
/// (fast, not small) makes. The build's `.gz` is not used: it is larger than
/// the compression layer's gzip (measured: 297 KB against 257 KB for the
/// wasm), so gzip-only browsers get that instead.
pub fn pkg_files(options: &leptos::config::LeptosOptions) -> ServeDir {
    let dir = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    ServeDir::new(dir).precompressed_br()
}

/// Whether a `/pkg` file's name carries a content hash:
/// `alleyvote.<hash>.js`, `alleyvote.<hash>.wasm`, `alleyvote.<hash>.css`.
pub fn is_hashed_name(path: &str) -> bool {
    let Some(name) = path.strip_prefix("/pkg/") else {
        return false;
    };
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() == 3
        && !name.contains('/')
        && parts[1].len() >= 8
        && parts[1]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Sets the answer's lifetime in the browser, unless its handler did. What
/// a signed-in person sees (`personal`) is theirs: `private, no-cache`; a
/// hashed file is the same for everyone, cookie or not.
pub fn set_lifetime(path: &str, status: StatusCode, personal: bool, headers: &mut HeaderMap) {
    if headers.contains_key(CACHE_CONTROL) {
        return;
    }
    if status == StatusCode::OK && is_hashed_name(path) {
        headers.insert(
            CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
        return;
    }
    if personal {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
        return;
    }
    let html = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if html {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_with_a_content_hash_are_kept_for_a_year() {
        for hashed in [
            "/pkg/alleyvote.Xq3rT0bd6sJjC0H2pYQx4A.js",
            "/pkg/alleyvote.Xq3rT0bd6sJjC0H2pYQx4A.wasm",
            "/pkg/alleyvote.q-3_T0bd6sJjC0H2.css",
        ] {
            assert!(is_hashed_name(hashed), "{hashed}");
        }
        for plain in [
            "/pkg/alleyvote.js",
            "/pkg/alleyvote_bg.wasm",
            "/pkg/alleyvote.css",
            "/pkg/a.b.c.d.js",
            "/pkg/alleyvote.v1.js",
            "/favicon.svg",
            "/pkg/../alleyvote.Xq3rT0bd6sJjC0H2pYQx4A.js",
        ] {
            assert!(!is_hashed_name(plain), "{plain}");
        }
    }

    #[test]
    fn pages_are_revalidated_and_hashed_files_kept() {
        let mut page = HeaderMap::new();
        page.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        set_lifetime("/nominees", StatusCode::OK, false, &mut page);
        assert_eq!(page[CACHE_CONTROL], "no-cache");

        let mut wasm = HeaderMap::new();
        set_lifetime(
            "/pkg/alleyvote.Xq3rT0bd6sJjC0H2pYQx4A.wasm",
            StatusCode::OK,
            true,
            &mut wasm,
        );
        assert_eq!(wasm[CACHE_CONTROL], "public, max-age=31536000, immutable");

        // A signed-in person's page is theirs alone.
        let mut theirs = HeaderMap::new();
        theirs.insert(CONTENT_TYPE, HeaderValue::from_static("text/html"));
        set_lifetime("/", StatusCode::OK, true, &mut theirs);
        assert_eq!(theirs[CACHE_CONTROL], "private, no-cache");

        // A handler's own choice stands (a photo's lifetime).
        let mut own = HeaderMap::new();
        own.insert(
            CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        );
        set_lifetime("/paper/sheets/1/photo.jpg", StatusCode::OK, true, &mut own);
        assert_eq!(own[CACHE_CONTROL], "public, max-age=300");

        let mut missing = HeaderMap::new();
        set_lifetime(
            "/pkg/alleyvote.Xq3rT0bd6sJjC0H2pYQx4A.js",
            StatusCode::NOT_FOUND,
            false,
            &mut missing,
        );
        assert!(!missing.contains_key(CACHE_CONTROL));
    }
}
