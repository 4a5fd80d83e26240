//! What the district answers about organizations themselves: the list a role sees
//! (`GET /api/v1/organizations`) and one organization's archive (档案,
//! `GET /api/v1/organizations/{id}`): every application with every version in full, and
//! the trail of who decided what, enough to print the filing form and the certificate.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::feed::TrailEntry;
use super::form::FilingSubmission;
use super::{ApplicationKind, Category, CertificateNumber, FilingState};
use crate::division::DivisionCode;
use crate::photo::AttachedPhoto;
use crate::protocol::RecordId;

/// Where an organization stands. Until it is filed, this is the state of its first
/// application; once filed it stays `Filed` while a change or a termination is under way
/// (see [`OrganizationSummary::application`]), and ends `Terminated`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganizationState {
    PendingPreliminary,
    Returned,
    PendingReview,
    PublicNotice,
    Refused,
    Filed,
    Terminated,
}

impl OrganizationState {
    pub const ALL: [OrganizationState; 7] = [
        OrganizationState::PendingPreliminary,
        OrganizationState::Returned,
        OrganizationState::PendingReview,
        OrganizationState::PublicNotice,
        OrganizationState::Refused,
        OrganizationState::Filed,
        OrganizationState::Terminated,
    ];

    /// The standing of an organization not yet filed, from its first application's state.
    pub fn of_initial(state: &FilingState) -> OrganizationState {
        match state {
            // A draft never reaches the district; it reads as what it becomes once sent.
            FilingState::Draft | FilingState::PendingPreliminary => {
                OrganizationState::PendingPreliminary
            }
            FilingState::Returned { .. } => OrganizationState::Returned,
            FilingState::PendingReview => OrganizationState::PendingReview,
            FilingState::PublicNotice { .. } => OrganizationState::PublicNotice,
            FilingState::Refused { .. } => OrganizationState::Refused,
            FilingState::Filed => OrganizationState::Filed,
            FilingState::Terminated => OrganizationState::Terminated,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OrganizationState::PendingPreliminary => "pending_preliminary",
            OrganizationState::Returned => "returned",
            OrganizationState::PendingReview => "pending_review",
            OrganizationState::PublicNotice => "public_notice",
            OrganizationState::Refused => "refused",
            OrganizationState::Filed => "filed",
            OrganizationState::Terminated => "terminated",
        }
    }

    pub fn parse(s: &str) -> Option<OrganizationState> {
        OrganizationState::ALL
            .into_iter()
            .find(|state| state.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            OrganizationState::PendingPreliminary => "待初审",
            OrganizationState::Returned => "退回修改",
            OrganizationState::PendingReview => "待审核",
            OrganizationState::PublicNotice => "公示中",
            OrganizationState::Refused => "不予备案",
            OrganizationState::Filed => "已备案",
            OrganizationState::Terminated => "已注销",
        }
    }
}

/// An application in a line of the list: what it asks for and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationBrief {
    pub id: RecordId,
    pub kind: ApplicationKind,
    pub state: FilingState,
}

/// One organization as the list shows it. Name and category are the filed ones once it is
/// filed (a change under review does not alter them until it is filed itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationSummary {
    pub id: RecordId,
    pub name: String,
    pub category: Category,
    pub village: DivisionCode,
    pub village_name: String,
    pub town: DivisionCode,
    pub town_name: String,
    pub state: OrganizationState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateNumber>,
    /// The day (Beijing time) the certificate was issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed_on: Option<NaiveDate>,
    /// The latest application, which may be a change or a termination under way.
    pub application: ApplicationBrief,
    pub updated_at: DateTime<Utc>,
}

/// `GET /api/v1/organizations?state=&village=&limit=&offset=`: one page, and how many
/// organizations match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationList {
    pub total: u64,
    pub items: Vec<OrganizationSummary>,
}

/// One submitted version of an application, in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedVersion {
    /// The `filing_submit` record.
    pub id: RecordId,
    /// When the district received it.
    pub submitted_at: DateTime<Utc>,
    pub person: String,
    pub submission: FilingSubmission,
    /// The submission's photos in its order, each with whether it has arrived.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<AttachedPhoto>,
}

/// One application with every version and every step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedApplication {
    pub id: RecordId,
    pub kind: ApplicationKind,
    pub state: FilingState,
    /// The version reviewers decide upon (the latest).
    pub version: RecordId,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Oldest first.
    pub versions: Vec<ArchivedVersion>,
    /// Oldest first.
    pub trail: Vec<TrailEntry>,
}

/// `GET /api/v1/organizations/{id}`: the archive (档案) of one organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Archive {
    pub organization: OrganizationSummary,
    /// The version whose facts are on file: the filing form and charter to print with the
    /// certificate. Set once filed; a change filing moves it to the change's version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed_version: Option<RecordId>,
    /// Oldest first.
    pub applications: Vec<ArchivedApplication>,
    pub server_time: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organization_states_round_trip_through_their_names() {
        for s in OrganizationState::ALL {
            assert_eq!(OrganizationState::parse(s.as_str()), Some(s));
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        assert_eq!(OrganizationState::parse("draft"), None);
    }

    #[test]
    fn an_unfiled_organization_stands_where_its_first_application_stands() {
        let returned = FilingState::Returned {
            by: crate::division::Level::Town,
            reason: "x".into(),
        };
        assert_eq!(
            OrganizationState::of_initial(&returned),
            OrganizationState::Returned
        );
        assert_eq!(
            OrganizationState::of_initial(&FilingState::PendingReview).name_zh(),
            "待审核"
        );
    }
}
