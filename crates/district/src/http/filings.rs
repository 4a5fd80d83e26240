//! `GET /api/v1/filings` (the filings feed), `GET /api/v1/organizations` (the list) and
//! `GET /api/v1/organizations/{id}` (the archive, 档案). Each read first ends the notice
//! periods that have passed, and shows only what the asking device may see: an
//! organization it may not see reads exactly like one that does not exist.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use wenming_core::filing::archive::{Archive, OrganizationList, OrganizationState};
use wenming_core::filing::feed::FilingFeed;
use wenming_core::{DivisionCode, Level, RecordId};

use super::auth::Authenticated;
use super::{AppState, Error};
use crate::db::OrganizationQuery;
use crate::filings::{sight, sweep};

/// Feed items carry whole submissions (a roster of a few hundred lines is tens of kB), so
/// pages are smaller than the reference-data pull's.
pub const DEFAULT_FEED_PAGE: u32 = 50;
pub const MAX_FEED_PAGE: u32 = 200;
pub const DEFAULT_LIST_PAGE: u32 = 100;
pub const MAX_LIST_PAGE: u32 = 1_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/filings", get(feed))
        .route("/organizations", get(list))
        .route("/organizations/{id}", get(archive))
}

#[derive(Debug, Deserialize)]
struct FeedParams {
    #[serde(default)]
    cursor: u64,
    limit: Option<u32>,
}

async fn feed(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    params: Result<Query<FeedParams>, QueryRejection>,
) -> Result<Json<FilingFeed>, Error> {
    let Query(params) = params
        .map_err(|_| Error::BadRequest("cursor 应为非负整数，limit 应为正整数".to_owned()))?;
    let limit = match params.limit {
        None => DEFAULT_FEED_PAGE,
        Some(0) => return Err(Error::BadRequest("limit 应为正整数".to_owned())),
        Some(n) => n.min(MAX_FEED_PAGE),
    };
    let now = sweep(&*state.store).await?;
    let page = state
        .store
        .filing_feed(&sight(&device), params.cursor, limit)
        .await?;
    let next_cursor = page.items.last().map_or(params.cursor, |i| i.seq);
    Ok(Json(FilingFeed {
        applications: page.items,
        next_cursor,
        more: page.more,
        server_time: now,
    }))
}

#[derive(Debug, Deserialize)]
struct ListParams {
    state: Option<String>,
    village: Option<String>,
    limit: Option<u32>,
    #[serde(default)]
    offset: u32,
}

async fn list(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<OrganizationList>, Error> {
    let Query(params) =
        params.map_err(|_| Error::BadRequest("limit 和 offset 应为非负整数".to_owned()))?;
    let wanted = params
        .state
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| {
            OrganizationState::parse(s).ok_or_else(|| {
                let names: Vec<_> = OrganizationState::ALL.iter().map(|s| s.as_str()).collect();
                Error::BadRequest(format!("state 应为 {} 之一", names.join("、")))
            })
        })
        .transpose()?;
    let village = params
        .village
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|v| DivisionCode::parse_level(v, Level::Village))
        .transpose()
        .map_err(|e| Error::BadRequest(e.to_string()))?;
    sweep(&*state.store).await?;
    let list = state
        .store
        .organizations(&OrganizationQuery {
            sight: sight(&device),
            state: wanted,
            village,
            limit: params.limit.unwrap_or(DEFAULT_LIST_PAGE).min(MAX_LIST_PAGE),
            offset: params.offset,
        })
        .await?;
    Ok(Json(list))
}

async fn archive(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Archive>, Error> {
    let id = RecordId::parse(&id).map_err(|_| Error::NoSuchOrganization)?;
    let now = sweep(&*state.store).await?;
    state
        .store
        .archive(&sight(&device), &id, now)
        .await?
        .map(Json)
        .ok_or(Error::NoSuchOrganization)
}
