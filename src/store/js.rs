//! Conversions between serde types and the JavaScript values IndexedDB stores, through
//! JSON: serde_json is linked anyway, and the browser's JSON is fast.

use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::JsValue;

use super::StoreError;

fn js_error(e: JsValue) -> StoreError {
    StoreError::Js(String::from(js_sys::Error::from(e).message()))
}

pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, StoreError> {
    let json = serde_json::to_string(value)?;
    js_sys::JSON::parse(&json).map_err(js_error)
}

pub(crate) fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, StoreError> {
    let json = js_sys::JSON::stringify(value).map_err(js_error)?;
    let json = json.as_string().unwrap_or_default();
    Ok(serde_json::from_str(&json)?)
}
