//! The station admin's volunteer calls (#5, the workbench): each answer comes back as its
//! text (which the screens keep in `vol_cache` to show offline) beside the plain struct of
//! `station::wire` it reads as.

use serde::de::DeserializeOwned;

use super::{decode, fetch_text, ApiError, Body};

/// `GET {path}`: the answer's text and what it reads as.
pub async fn get<T: DeserializeOwned>(token: &str, path: &str) -> Result<(String, T), ApiError> {
    let text = fetch_text("GET", path, Some(token), Body::Empty).await?;
    let value = decode(&text)?;
    Ok((text, value))
}

/// Reads a kept answer's text again.
pub fn read<T: DeserializeOwned>(text: &str) -> Option<T> {
    decode(text).ok()
}
