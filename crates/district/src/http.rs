//! The HTTP face of the district endpoint: the JSON API under `/api/v1` and the PWA's
//! static files, one `router()` per module merged here.

mod activities;
mod assets;
mod auth;
mod enroll;
mod error;
mod filings;
mod ledger;
mod photos;
mod sync;
mod volunteers;

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
use wenming_core::filing::DEFAULT_NOTICE_DAYS;
use wenming_core::protocol::API_BASE;

use crate::batch::VolunteerRules;
use crate::db::Store;
pub use assets::WORKBENCH;
pub use error::Error;
pub use filings::{DEFAULT_FEED_PAGE, MAX_FEED_PAGE};
pub use ledger::{LedgerEntry, LedgerResponse};

/// How the endpoint behaves, besides its storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The built app.
    pub static_dir: PathBuf,
    /// How long a filing's public notice (公示) lasts.
    pub notice_days: i64,
    /// Visits, points and station passes (#5).
    pub volunteer_rules: VolunteerRules,
}

impl Settings {
    pub fn new(static_dir: PathBuf) -> Self {
        Settings {
            static_dir,
            notice_days: DEFAULT_NOTICE_DAYS,
            volunteer_rules: VolunteerRules::default(),
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub notice_days: i64,
    pub volunteer_rules: VolunteerRules,
}

/// The whole application: API, static files and their layers, ready to serve or to test
/// with `oneshot`.
pub fn app(store: Arc<dyn Store>, settings: Settings) -> Router {
    let state = AppState {
        store,
        notice_days: settings.notice_days,
        volunteer_rules: settings.volunteer_rules,
    };
    let api = Router::new()
        .merge(auth::router())
        .merge(enroll::router())
        .merge(sync::router())
        .merge(ledger::router())
        .merge(filings::router())
        .merge(activities::router())
        .merge(photos::router())
        .merge(volunteers::router());
    // A photo is named by its content: cached for good, so outside the `no-store` below;
    // its errors still are not cached. Photo chunks read their body with a limit of their
    // own (`MAX_CHUNK_BYTES`).
    let photo_files = Router::new()
        .nest(API_BASE, photos::serving_router())
        .layer(SetResponseHeaderLayer::if_not_present(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
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
        .merge(photo_files)
        .with_state(state);
    Router::new()
        .merge(api)
        .merge(assets::router(settings.static_dir))
        .layer(TraceLayer::new_for_http())
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    store: Arc<dyn Store>,
    settings: Settings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(store, settings))
        .with_graceful_shutdown(shutdown)
        .await
}
