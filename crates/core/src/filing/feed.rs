//! What the district tells phones about filings: each application as it stands, with its
//! latest version and its trail, through a feed of its own (`GET /api/v1/filings`) that
//! follows the server's change cursor like the reference-data pull does.
//!
//! An applicant's device sees the applications it submitted; a reviewer's device sees the
//! applications of organizations inside its scope. The server decides, never the phone.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::form::FilingSubmission;
use super::{ApplicationKind, CertificateNumber, Decision, FilingState};
use crate::photo::AttachedPhoto;
use crate::protocol::{RecordId, Role};

/// One application as the server holds it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub id: RecordId,
    pub organization: RecordId,
    pub kind: ApplicationKind,
    pub state: FilingState,
    /// The latest `filing_submit` record, which reviewers decide upon.
    pub version: RecordId,
    pub submission: FilingSubmission,
    /// The latest version's photos in its order, each with whether it has arrived.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<AttachedPhoto>,
    /// Set once the organization is filed; a change filing keeps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateNumber>,
    /// Every step, oldest first: the archive's trail (档案).
    pub trail: Vec<TrailEntry>,
    pub updated_at: DateTime<Utc>,
}

/// Who did what, when, to which version (谁、何时、何决定、何意见).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailEntry {
    pub at: DateTime<Utc>,
    pub person: String,
    /// `None` for the server's own steps (the end of a notice period).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    pub version: RecordId,
    /// `None` for a submission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    /// The state the step led to.
    pub state: FilingState,
}

/// `GET /api/v1/filings?cursor=N&limit=M`: applications changed after the cursor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingFeed {
    pub applications: Vec<FeedItem>,
    pub next_cursor: u64,
    pub more: bool,
    pub server_time: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedItem {
    pub seq: u64,
    pub application: ApplicationView,
}
