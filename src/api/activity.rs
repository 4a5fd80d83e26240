//! The activity calls of the district endpoint (#4, the workbench): the pre-report feed,
//! the activities list, its chart figures and one activity, summary periods and who has
//! reported, and a photo's bytes. Answers are read as the plain structs of
//! `activity::wire`; the feed's pre-reports are kept as the browser parsed them.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wenming_core::RecordId;

use super::filings::FeedPage;
use super::{decode, fetch_text, ApiError, Body};
use crate::activity::wire::{
    NewPeriod, PlainDetail, PlainList, PlainPeriods, PlainStats, PlainStatus,
};

/// The pre-reports changed after `cursor`, one page.
pub async fn pre_report_feed(token: &str, cursor: u64) -> Result<FeedPage, ApiError> {
    let path = format!("/pre-reports/feed?cursor={cursor}");
    FeedPage::parse_items(
        &fetch_text("GET", &path, Some(token), Body::Empty).await?,
        "pre_reports",
        "pre_report",
    )
    .map_err(ApiError::Decode)
}

/// `GET /activities?{query}` (the query already encoded: `town=…&limit=…`).
pub async fn list(token: &str, query: &str) -> Result<PlainList, ApiError> {
    let path = format!("/activities?{query}");
    decode(&fetch_text("GET", &path, Some(token), Body::Empty).await?)
}

/// `GET /activities/stats?{query}`.
pub async fn stats(token: &str, query: &str) -> Result<PlainStats, ApiError> {
    let path = format!("/activities/stats?{query}");
    decode(&fetch_text("GET", &path, Some(token), Body::Empty).await?)
}

pub async fn detail(token: &str, id: RecordId) -> Result<PlainDetail, ApiError> {
    let path = format!("/activities/{id}");
    decode(&fetch_text("GET", &path, Some(token), Body::Empty).await?)
}

pub async fn periods(token: &str) -> Result<PlainPeriods, ApiError> {
    decode(&fetch_text("GET", "/summary-periods", Some(token), Body::Empty).await?)
}

/// Creates a summary period (district admin); the district's answer is not needed.
pub async fn create_period(token: &str, period: &NewPeriod) -> Result<(), ApiError> {
    let body =
        serde_json::to_string(period).map_err(|e| ApiError::Decode(serde::de::Error::custom(e)))?;
    fetch_text("POST", "/summary-periods", Some(token), Body::Json(body)).await?;
    Ok(())
}

pub async fn period_status(token: &str, id: RecordId) -> Result<PlainStatus, ApiError> {
    let path = format!("/summary-periods/{id}/status");
    decode(&fetch_text("GET", &path, Some(token), Body::Empty).await?)
}

/// A photo's bytes as an object URL for an `<img>`, fetched with the device's token
/// (`GET /photos/{hash}`). `Ok(None)` when the district does not have it (404).
pub async fn photo_url(token: &str, hash: &str) -> Result<Option<String>, ApiError> {
    let network = |e: JsValue| ApiError::Network(String::from(js_sys::Error::from(e).message()));
    let window = web_sys::window().ok_or_else(|| ApiError::Network("no window".into()))?;
    let headers = web_sys::Headers::new().map_err(network)?;
    headers
        .set("Authorization", &format!("Bearer {token}"))
        .map_err(network)?;
    let init = web_sys::RequestInit::new();
    init.set_headers(&headers);
    let url = format!("{}/photos/{hash}", wenming_core::protocol::API_BASE);
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .map_err(network)?
        .unchecked_into();
    match response.status() {
        200..=299 => {}
        404 => return Ok(None),
        status => return Err(ApiError::Status { status, body: None }),
    }
    let blob: web_sys::Blob = JsFuture::from(response.blob().map_err(network)?)
        .await
        .map_err(network)?
        .unchecked_into();
    web_sys::Url::create_object_url_with_blob(&blob)
        .map(Some)
        .map_err(network)
}
