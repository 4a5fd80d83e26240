//! `POST /api/v1/push` and `GET /api/v1/pull`: the phone's outbox in, reference data out.

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use http_body_util::BodyExt;
use serde::Deserialize;
use wenming_core::protocol::{
    PullResponse, PushRequest, PushResponse, PushResult, DEFAULT_PULL_PAGE, MAX_BATCH_BYTES,
    MAX_BATCH_RECORDS, MAX_PULL_PAGE,
};

use super::auth::Authenticated;
use super::{AppState, Error};
use crate::db::PushContext;
use crate::filings;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/push", post(push))
        .route("/pull", get(pull))
}

/// Reads a body of at most `limit` bytes once decompressed, counting as it reads so that a
/// small gzip bomb is cut off early instead of filling memory.
async fn read_limited(body: Body, limit: usize) -> Result<Vec<u8>, Error> {
    let mut body = body;
    let mut bytes = Vec::new();
    while let Some(frame) = body.frame().await {
        // The stream fails when the client goes away or the gzip is broken: its fault.
        let frame = frame.map_err(|e| Error::MalformedBatch(e.to_string()))?;
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > limit {
                return Err(Error::BatchTooBig);
            }
            bytes.extend_from_slice(&data);
        }
    }
    Ok(bytes)
}

async fn push(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    body: Body,
) -> Result<Json<PushResponse>, Error> {
    let bytes = read_limited(body, MAX_BATCH_BYTES).await?;
    let request: PushRequest =
        serde_json::from_slice(&bytes).map_err(|e| Error::MalformedBatch(e.to_string()))?;
    if request.records.len() > MAX_BATCH_RECORDS {
        return Err(Error::TooManyRecords);
    }
    let received_at = Utc::now();
    let context = PushContext {
        received_at,
        filing_now: filings::clock(received_at, state.store.clock_offset().await?),
        notice_days: state.notice_days,
        volunteer_rules: state.volunteer_rules,
    };
    let outcomes = state.store.push(&device, &request.records, context).await?;
    let results = request
        .records
        .iter()
        .zip(outcomes)
        .map(|(e, outcome)| PushResult { id: e.id, outcome })
        .collect();
    // Real time, not the filing clock: the phone compares it with its own clock to warn
    // about wrong check-in times.
    Ok(Json(PushResponse {
        results,
        server_time: Utc::now(),
    }))
}

#[derive(Debug, Deserialize)]
struct PullParams {
    #[serde(default)]
    cursor: u64,
    limit: Option<u32>,
}

async fn pull(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    params: Result<Query<PullParams>, QueryRejection>,
) -> Result<Json<PullResponse>, Error> {
    let Query(params) = params
        .map_err(|_| Error::BadRequest("cursor 应为非负整数，limit 应为正整数".to_owned()))?;
    let limit = match params.limit {
        None => DEFAULT_PULL_PAGE,
        Some(0) => return Err(Error::BadRequest("limit 应为正整数".to_owned())),
        Some(n) => n.min(MAX_PULL_PAGE),
    };
    let page = state
        .store
        .pull(&device.scope, params.cursor, limit)
        .await?;
    let next_cursor = page.changes.last().map_or(params.cursor, |c| c.seq);
    Ok(Json(PullResponse {
        changes: page.changes,
        next_cursor,
        more: page.more,
        server_time: Utc::now(),
    }))
}
