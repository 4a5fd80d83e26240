//! The station admin's volunteer calls (#5, the workbench): one `GET` that gives the
//! answer's text, which the screens keep in `vol_cache` to show offline and read as the
//! plain structs of `station::wire` with [`read`]. Neither is generic over the answer's
//! type but the reading itself, so the awaiting is in the download once.

use serde::de::DeserializeOwned;

use super::{decode, fetch_text, ApiError, Body};

/// `GET {path}`: the answer's text.
pub async fn get(token: &str, path: &str) -> Result<String, ApiError> {
    fetch_text("GET", path, Some(token), Body::Empty).await
}

/// Reads an answer's text.
pub fn read<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    decode(text)
}

/// `PUT` (with a JSON body) or `DELETE` `{path}`: the answer's text.
pub async fn send(
    token: &str,
    method: &str,
    path: &str,
    json: Option<String>,
) -> Result<String, ApiError> {
    let body = json.map_or(Body::Empty, Body::Json);
    fetch_text(method, path, Some(token), body).await
}
