//! `POST /api/v1/enroll`: a phone trades a one-time code for its device token.

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use chrono::Utc;
use wenming_core::auth::EnrollmentCode;
use wenming_core::protocol::{EnrollRequest, EnrollResponse};

use super::auth::device_info;
use super::{AppState, Error};
use crate::db::Redemption;
use crate::enrollment::{hash_code, hash_secret, new_token};

pub fn router() -> Router<AppState> {
    Router::new().route("/enroll", post(enroll))
}

async fn enroll(
    State(state): State<AppState>,
    request: Result<Json<EnrollRequest>, JsonRejection>,
) -> Result<Json<EnrollResponse>, Error> {
    let Json(request) = request
        .map_err(|_| Error::BadRequest("请求格式有误，应为 {\"code\": \"注册码\"}".into()))?;
    let code = EnrollmentCode::parse(&request.code).map_err(|e| Error::BadCode(e.to_string()))?;
    let token = new_token().map_err(|e| Error::Internal(e.into()))?;
    let redemption = state
        .store
        .redeem_enrollment(&hash_code(&code), &hash_secret(&token), Utc::now())
        .await?;
    let device = match redemption {
        Redemption::Enrolled(device) => device,
        Redemption::Unknown => return Err(Error::UnknownCode),
        Redemption::AlreadyUsed => return Err(Error::CodeUsed),
        Redemption::Expired => return Err(Error::CodeExpired),
    };
    tracing::info!(device = device.id, role = device.role.as_str(), scope = %device.scope, "device enrolled");
    let device = device_info(&state, &device).await?;
    let district_key = Some(super::volunteers::district_key(&state).await?);
    Ok(Json(EnrollResponse {
        token,
        device,
        district_key,
    }))
}
