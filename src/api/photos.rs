//! The photo calls of the district endpoint: where an upload stands, one chunk more, and
//! a whole photo as a Blob (with the device token, so not through an `<img src>`).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wenming_core::photo::{PhotoHash, UploadStatus};

use super::{decode, fetch_ok, fetch_text, network, ApiError, Body};

/// `GET /api/v1/photos/{hash}/upload`.
pub async fn status(token: &str, hash: &PhotoHash) -> Result<UploadStatus, ApiError> {
    let path = format!("/photos/{hash}/upload");
    decode(&fetch_text("GET", &path, Some(token), Body::Empty).await?)
}

/// `PUT /api/v1/photos/{hash}/upload?offset=N&size=T` with `bytes`.
pub async fn put_chunk(
    token: &str,
    hash: &PhotoHash,
    offset: u64,
    size: u64,
    bytes: js_sys::Uint8Array,
) -> Result<UploadStatus, ApiError> {
    let path = format!("/photos/{hash}/upload?offset={offset}&size={size}");
    decode(&fetch_text("PUT", &path, Some(token), Body::Bytes(bytes)).await?)
}

/// `GET /api/v1/photos/{hash}`: the photo's bytes, as a Blob of its type.
pub async fn photo(token: &str, hash: &PhotoHash) -> Result<web_sys::Blob, ApiError> {
    let path = format!("/photos/{hash}");
    let (response, _timer) = fetch_ok("GET", &path, Some(token), Body::Empty).await?;
    let blob = JsFuture::from(response.blob().map_err(network)?)
        .await
        .map_err(network)?;
    blob.dyn_into()
        .map_err(|_| ApiError::Network("answer is not a blob".into()))
}
