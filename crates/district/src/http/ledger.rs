//! `GET /api/v1/checkins`: the district-side ledger of check-ins, limited to the asking
//! device's scope.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use wenming_core::protocol::Role;
use wenming_core::{RecordId, StationCode};

use super::auth::Authenticated;
use super::{AppState, Error};
use crate::db::LedgerQuery;

pub const DEFAULT_LEDGER_PAGE: u32 = 100;
pub const MAX_LEDGER_PAGE: u32 = 1_000;

pub fn router() -> Router<AppState> {
    Router::new().route("/checkins", get(checkins))
}

/// One page of the ledger, with the count of all matching check-ins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerResponse {
    pub total: u64,
    pub items: Vec<LedgerEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub id: RecordId,
    pub station: StationCode,
    pub station_name: String,
    pub volunteer_name: String,
    /// In full only for roles that must call volunteers back; masked ("139****5678") else.
    pub phone: String,
    pub checked_in_at: DateTime<Utc>,
    pub checked_out_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
struct LedgerParams {
    station: Option<String>,
    limit: Option<u32>,
    #[serde(default)]
    offset: u32,
}

async fn checkins(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    params: Result<Query<LedgerParams>, QueryRejection>,
) -> Result<Json<LedgerResponse>, Error> {
    let Query(params) =
        params.map_err(|_| Error::BadRequest("limit 和 offset 应为非负整数".to_owned()))?;
    let station = params
        .station
        .as_deref()
        .map(StationCode::parse)
        .transpose()
        .map_err(|e| Error::BadRequest(e.to_string()))?;
    let limit = params
        .limit
        .unwrap_or(DEFAULT_LEDGER_PAGE)
        .min(MAX_LEDGER_PAGE);
    let page = state
        .store
        .checkins(&LedgerQuery {
            scope: device.scope.clone(),
            station,
            limit,
            offset: params.offset,
        })
        .await?;
    let full_phone = matches!(device.role, Role::DistrictAdmin | Role::StationAdmin);
    let items = page
        .rows
        .into_iter()
        .map(|r| LedgerEntry {
            id: r.id,
            station: r.station,
            station_name: r.station_name,
            volunteer_name: r.volunteer_name,
            phone: if full_phone {
                r.phone.as_str().to_owned()
            } else {
                r.phone.masked()
            },
            checked_in_at: r.checked_in_at,
            checked_out_at: r.checked_out_at,
        })
        .collect();
    Ok(Json(LedgerResponse {
        total: page.total,
        items,
    }))
}
