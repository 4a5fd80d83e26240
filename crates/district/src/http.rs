//! The HTTP face of the district endpoint: the JSON API under `/api/v1` and the PWA's
//! static files, one `router()` per module merged here.

mod assets;
mod auth;
mod enroll;
mod error;
mod ledger;
mod sync;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use axum::http::header::CACHE_CONTROL;
use axum::http::HeaderValue;
use axum::routing::any;
use axum::Router;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use wenming_core::protocol::API_BASE;

use crate::db::Store;
pub use error::Error;
pub use ledger::{LedgerEntry, LedgerResponse};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
}

/// The whole application: API, static files and their layers, ready to serve or to test
/// with `oneshot`.
pub fn app(store: Arc<dyn Store>, static_dir: PathBuf) -> Router {
    let state = AppState { store };
    let api = Router::new()
        .merge(auth::router())
        .merge(enroll::router())
        .merge(sync::router())
        .merge(ledger::router());
    let api = Router::new()
        .nest(API_BASE, api)
        // Anything else under /api is a mistake of the client, answered in JSON; it must not
        // fall through to the app's index.html.
        .route("/api", any(error::not_found))
        .route("/api/{*rest}", any(error::not_found))
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(CompressionLayer::new())
        // Phones gzip their pushes with CompressionStream.
        .layer(RequestDecompressionLayer::new())
        .with_state(state);
    Router::new()
        .merge(api)
        .merge(assets::router(static_dir))
        .layer(TraceLayer::new_for_http())
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    store: Arc<dyn Store>,
    static_dir: PathBuf,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(store, static_dir))
        .with_graceful_shutdown(shutdown)
        .await
}
