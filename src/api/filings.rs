//! The filing calls of the district endpoint: the filings feed and one organization's
//! archive (档案). The archive is read as the app's plain mirrors of core's types (see
//! `filing::wire`); the feed's applications are kept as the browser parsed them.

use js_sys::{Array, Reflect};
use serde::de::Error as _;
use wasm_bindgen::JsValue;
use wenming_core::RecordId;

use super::{decode, fetch_text, ApiError, Body};
use crate::decode::Error;
use crate::filing::wire::Archive;

/// A page of `GET /api/v1/filings` (core's `FilingFeed`). Each application stays the
/// JavaScript value `JSON.parse` made of it and is stored as it is: the app reads
/// applications only from IndexedDB, so it needs no code to write them.
#[derive(Debug, Clone)]
pub struct FeedPage {
    /// The feed's items (applications, or pre-reports: see `api::activity`).
    pub items: Vec<JsValue>,
    pub next_cursor: u64,
    pub more: bool,
}

impl FeedPage {
    pub fn parse(text: &str) -> Result<FeedPage, Error> {
        FeedPage::parse_items(text, "applications", "application")
    }

    /// A page whose items are `{list: [{item: {…}}, …]}`.
    pub fn parse_items(text: &str, list: &str, item: &str) -> Result<FeedPage, Error> {
        let page = js_sys::JSON::parse(text)?;
        let get = |v: &JsValue, key: &str| Reflect::get(v, &JsValue::from_str(key)).ok();
        let array = get(&page, list)
            .filter(Array::is_array)
            .ok_or_else(|| Error::custom(format!("{list}: expected an array")))?;
        let items = Array::from(&array)
            .iter()
            .map(|i| get(&i, item).filter(JsValue::is_object))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| Error::custom(format!("{item}: expected an object")))?;
        let next_cursor = get(&page, "next_cursor")
            .filter(js_sys::Number::is_safe_integer)
            .and_then(|n| n.as_f64())
            .filter(|n| *n >= 0.0)
            .ok_or_else(|| Error::custom("next_cursor: expected an integer"))?;
        let more = get(&page, "more")
            .and_then(|m| m.as_bool())
            .ok_or_else(|| Error::custom("more: expected a boolean"))?;
        Ok(FeedPage {
            items,
            next_cursor: next_cursor as u64,
            more,
        })
    }
}

/// The applications changed after `cursor`, one page (the server's default size: items
/// carry whole rosters).
pub async fn feed(token: &str, cursor: u64) -> Result<FeedPage, ApiError> {
    let path = format!("/filings?cursor={cursor}");
    FeedPage::parse(&fetch_text("GET", &path, Some(token), Body::Empty).await?)
        .map_err(ApiError::Decode)
}

/// One organization's archive: every application, version and step.
pub async fn archive(token: &str, id: RecordId) -> Result<Archive, ApiError> {
    let path = format!("/organizations/{id}");
    decode(&fetch_text("GET", &path, Some(token), Body::Empty).await?)
}
