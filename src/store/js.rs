//! Conversions between serde types and the JavaScript values IndexedDB stores. Values are
//! written through JSON (serde_json, then the browser's `JSON.parse`) and read straight
//! from the JavaScript object with serde-wasm-bindgen: one decoder for everything the app
//! reads, the HTTP answers included (see `api`), instead of serde_json's parser.

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
    Ok(serde_wasm_bindgen::from_value(value.clone())?)
}
