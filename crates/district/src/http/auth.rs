//! Bearer-token authentication of devices, and `GET /api/v1/me`.

use axum::extract::{FromRequestParts, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::routing::get;
use axum::{Json, Router};
use wenming_core::protocol::DeviceInfo;

use super::{AppState, Error};
use crate::db::Device;
use crate::enrollment::hash_secret;

pub fn router() -> Router<AppState> {
    Router::new().route("/me", get(me))
}

/// The device that made the request; extracting it answers 401 when there is none.
pub struct Authenticated(pub Device);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .filter(|t| !t.is_empty())
            .ok_or(Error::Unauthorized)?;
        let device = state
            .store
            .device_by_token(&hash_secret(token))
            .await?
            .ok_or(Error::Unauthorized)?;
        Ok(Authenticated(device))
    }
}

/// Who this device acts for, with the names the phone shows.
pub async fn device_info(state: &AppState, device: &Device) -> Result<DeviceInfo, Error> {
    let name_of = |code| async move {
        state
            .store
            .division(code)
            .await?
            .map(|d| d.name)
            // A device's scope is a foreign key into divisions: missing means a broken store.
            .ok_or_else(|| {
                Error::Internal(
                    format!("division {code} of device {} is missing", device.id).into(),
                )
            })
    };
    let district = device.scope.district();
    Ok(DeviceInfo {
        person: device.person.clone(),
        role: device.role,
        scope: device.scope.clone(),
        scope_name: name_of(&device.scope).await?,
        district_name: name_of(&district).await?,
        district,
    })
}

async fn me(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
) -> Result<Json<DeviceInfo>, Error> {
    Ok(Json(device_info(&state, &device).await?))
}
