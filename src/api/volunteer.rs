//! The volunteer reads of the district endpoint (#5): the district key, and the answers
//! the volunteers' app keeps as text (registrations, sign-ups, accounts, activities).

use wenming_core::volunteer::pass::DistrictKey;

use super::{decode, fetch_text, ApiError, Body};

pub async fn district_key(token: &str) -> Result<DistrictKey, ApiError> {
    decode(&fetch_text("GET", "/district-key", Some(token), Body::Empty).await?)
}

/// The text of a 2xx answer to `GET path`.
pub async fn text(token: &str, path: &str) -> Result<String, ApiError> {
    fetch_text("GET", path, Some(token), Body::Empty).await
}
