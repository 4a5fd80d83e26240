//! Conversions between serde types and the JavaScript values IndexedDB stores. Values are
//! written through JSON (serde_json, then the browser's `JSON.parse`) and read straight
//! from the JavaScript object with [`crate::decode`], as the HTTP answers are.

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
    Ok(crate::decode::from_value(value.clone())?)
}
