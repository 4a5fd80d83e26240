//! Volunteers (#5) in the volunteers' app: the records this phone made (registrations and
//! sign-ups, kept in `vol` as [`Mine`]), the district's answers as the phone keeps them
//! ([`Kept`]: the JSON text and when it came, in `vol_cache`), and the plain structs the
//! screens read from that text — only the fields they show, times as text.

use serde::{Deserialize, Serialize};
use wenming_core::volunteer::ledger::IntegrityKind;
use wenming_core::volunteer::service::ServiceFlag;

use crate::store::{Store, StoreError};
use crate::time::rfc3339::Stamp;

/// Names in `vol_cache`.
pub const REGISTRATIONS: &str = "registrations";
pub const SIGNUPS: &str = "signups";
pub const ACTIVITIES: &str = "activities";

/// The cache name of a volunteer's account.
pub fn account_key(volunteer: &str) -> String {
    format!("volunteer:{volunteer}")
}

/// One of this phone's volunteer records: a registration (`activity` empty, `what` the
/// name) or a sign-up (`what` the activity's title).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mine {
    pub id: String,
    pub what: String,
    pub phone: String,
    #[serde(default)]
    pub activity: String,
}

/// An answer of the district as kept: its text, and when it came.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kept {
    pub at: Stamp,
    pub text: String,
}

/// The answer kept under `name`, read as `T`, with when it came.
pub async fn read<T: serde::de::DeserializeOwned>(
    store: &Store,
    name: &str,
) -> Result<Option<(T, Stamp)>, StoreError> {
    let Some(kept) = store.cache_get::<Kept>(name).await? else {
        return Ok(None);
    };
    Ok(crate::decode::from_json::<T>(&kept.text)
        .ok()
        .map(|t| (t, kept.at)))
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct List<T> {
    pub items: Vec<T>,
}

/// `GET /registrations`: what became of a registration.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Outcome {
    pub registration: String,
    pub volunteer: String,
    pub merged: bool,
    pub profile: Profile,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Profile {
    pub name: String,
    pub phone: String,
}

/// `GET /volunteers/{id}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Account {
    pub volunteer: Profile,
    pub balance: i64,
    pub approved_minutes: u32,
    pub service_records: Vec<Service>,
    pub ledger: Vec<Line>,
    pub integrity: Vec<Integrity>,
    pub signups: Vec<SignupView>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Service {
    pub station_name: String,
    pub checked_in_at: String,
    pub minutes: u32,
    pub flags: Vec<ServiceFlag>,
    pub review: Review,
}

/// A review as the phone shows it: `state` is pending, approved or revoked.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Review {
    pub state: String,
    pub minutes: Option<u32>,
    pub points: Option<i64>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Line {
    pub points: i64,
    pub cause: Cause,
    pub at: String,
    pub balance: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Cause {
    #[serde(rename = "type")]
    pub kind: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Integrity {
    pub kind: IntegrityKind,
    pub reason: String,
    pub station_name: String,
    pub at: String,
}

/// `GET /signups` and an account's sign-ups.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SignupView {
    pub id: String,
    pub activity: String,
    pub title: String,
    pub starts_at: String,
    pub status: String,
    pub position: Option<u32>,
    pub no_show: bool,
}

impl SignupView {
    pub fn outcome_zh(&self) -> String {
        if self.no_show {
            return "爽约".to_owned();
        }
        match self.position {
            Some(p) if self.status == "waitlisted" => format!("候补第 {p} 位"),
            _ => "报名成功".to_owned(),
        }
    }
}

/// `GET /volunteer-activities`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ActivityView {
    pub id: String,
    pub title: String,
    pub starts_at: String,
    pub volunteers_needed: u32,
    pub skills_wanted: Vec<String>,
    pub description: String,
    pub station_name: String,
    pub accepted: u32,
    pub waitlisted: u32,
}

/// A time of the district's answers as 11月22日 09:00 (Beijing), or as it came.
pub fn when(rfc3339: &str) -> String {
    crate::time::rfc3339::parse(rfc3339)
        .map_or_else(|| rfc3339.to_owned(), crate::time::format_local)
}
