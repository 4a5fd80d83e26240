//! The built PWA's files, served from the static folder with the `.br`/`.gz` twins the
//! build wrote, and cache headers that let phones keep hashed files forever.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The phone must ask every time (a cheap 304 when unchanged), so a new `index.html` or
/// `sw.js` reaches it as soon as it is online.
const NO_CACHE: &str = "no-cache";

/// Where the workbench build lives (the volunteers' app is at the root); see xtask's dist.
pub const WORKBENCH: &str = "/work/";

#[derive(Clone)]
struct Files {
    dir: ServeDir,
    index: ServeFile,
    workbench_index: ServeFile,
}

pub fn router(static_dir: PathBuf) -> Router {
    let files = Files {
        dir: ServeDir::new(&static_dir)
            .precompressed_br()
            .precompressed_gzip()
            .append_index_html_on_directories(true),
        index: ServeFile::new(static_dir.join("index.html"))
            .precompressed_br()
            .precompressed_gzip(),
        workbench_index: ServeFile::new(static_dir.join(&WORKBENCH[1..]).join("index.html"))
            .precompressed_br()
            .precompressed_gzip(),
    };
    Router::new().fallback(serve).with_state(Arc::new(files))
}

async fn serve(State(files): State<Arc<Files>>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let (parts, _) = request.into_parts();
    let for_file = || {
        let mut r = Request::new(Body::empty());
        *r.method_mut() = parts.method.clone();
        *r.uri_mut() = parts.uri.clone();
        *r.headers_mut() = parts.headers.clone();
        r
    };
    let mut response = match files.dir.clone().oneshot(for_file()).await {
        Ok(r) => r.map(Body::new),
        Err(never) => match never {},
    };
    // A path without an extension is one of the app's own routes (opened from a bookmark or
    // a link): the app answers it. A missing file with an extension stays a 404, so that a
    // stale hashed asset is never answered with HTML that would then be cached for a year.
    if response.status() == StatusCode::NOT_FOUND && is_app_route(&path) {
        let index = if path.starts_with(WORKBENCH) {
            &files.workbench_index
        } else {
            &files.index
        };
        response = match index.clone().oneshot(for_file()).await {
            Ok(r) => r.map(Body::new),
            Err(never) => match never {},
        };
    }
    let cache = if response.status().is_success() && is_hashed(&path) {
        IMMUTABLE
    } else {
        NO_CACHE
    };
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    response.into_response()
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn is_app_route(path: &str) -> bool {
    !file_name(path).contains('.')
}

/// Whether the file's name carries a content hash the way trunk writes it: a `-` and at
/// least 16 hex digits, then the extension or a suffix such as `_bg`
/// (`wenming-3f2a…_bg.wasm`, `style-9c1d….css`).
fn is_hashed(path: &str) -> bool {
    let name = file_name(path);
    name.match_indices('-').any(|(i, _)| {
        let rest = &name[i + 1..];
        let hex = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
        hex >= 16 && matches!(rest.as_bytes().get(hex), Some(b'.' | b'_'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_asset_names_count_as_hashed() {
        assert!(is_hashed("/wenming-3f2a9c0d1e2b4a5f_bg.wasm"));
        assert!(is_hashed("/style-9c1d2e3f4a5b6c7d.css"));
        assert!(is_hashed("/assets/wenming-3f2a9c0d1e2b4a5f.js"));
    }

    #[test]
    fn plain_names_are_not_hashed() {
        for p in [
            "/",
            "/index.html",
            "/sw.js",
            "/manifest.webmanifest",
            "/icon-192.png",
            "/x-3f2a9c0d1e2b4a5.css",
            "/x-3f2a9c0d1e2b4a5fzz.css",
        ] {
            assert!(!is_hashed(p), "{p}");
        }
    }

    #[test]
    fn only_extensionless_paths_are_app_routes() {
        assert!(is_app_route("/"));
        assert!(is_app_route("/checkin"));
        assert!(!is_app_route("/wenming-3f2a9c0d1e2b4a5f_bg.wasm"));
    }
}
