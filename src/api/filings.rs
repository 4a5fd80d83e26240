//! The filing calls of the district endpoint: the filings feed, the list of organizations
//! and one organization's archive (档案). Answers are read as the app's plain mirrors of
//! core's types (see `filing::wire`).

use wenming_core::filing::archive::OrganizationState;
use wenming_core::RecordId;

use super::{decode, fetch_text, ApiError, Body};
use crate::filing::wire::{Archive, Feed, OrgList};

/// The applications changed after `cursor`, one page (the server's default size: items
/// carry whole rosters).
pub async fn feed(token: &str, cursor: u64) -> Result<Feed, ApiError> {
    let path = format!("/filings?cursor={cursor}");
    decode(&fetch_text("GET", &path, Some(token), Body::Empty).await?)
}

/// The organizations this device may see, optionally only those in one state.
pub async fn organizations(
    token: &str,
    state: Option<OrganizationState>,
) -> Result<OrgList, ApiError> {
    let state = state.map_or("", OrganizationState::as_str);
    let path = format!("/organizations?state={state}&limit=500");
    decode(&fetch_text("GET", &path, Some(token), Body::Empty).await?)
}

/// One organization's archive: every application, version and step.
pub async fn archive(token: &str, id: RecordId) -> Result<Archive, ApiError> {
    let path = format!("/organizations/{id}");
    decode(&fetch_text("GET", &path, Some(token), Body::Empty).await?)
}
