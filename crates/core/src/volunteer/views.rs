//! What the district answers about volunteers: the wire types of the reads the phone and
//! the station admin's screens are built on. Each is frozen by a golden file.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::division::StationCode;
use crate::filing::people::Gender;
use crate::protocol::RecordId;
use crate::volunteer::ledger::{Entry, ExchangeItem, IntegrityKind};
use crate::volunteer::pass::{Geofence, Position};
use crate::volunteer::registration::Volunteer;
use crate::volunteer::service::{ServiceFlag, VisitState};
use crate::volunteer::signup::{SignupStatus, VolunteerActivity};

/// `GET /api/v1/stations/{code}/pass`: a fresh pass and its QR code, for printing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationPassSheet {
    pub station: StationCode,
    pub station_name: String,
    /// The text the QR code holds (`WM1.…`).
    pub pass: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    pub key_id: String,
    /// What the QR code holds: the link that opens the volunteers' app with the pass
    /// (`{origin}/?pass=WM1.…`, see `pass::pass_link`) when the admin's app said where it
    /// is served, else the pass itself.
    pub qr_text: String,
    /// The QR code as an SVG document, ready to print.
    pub qr_svg: String,
}

/// `PUT /api/v1/stations/{code}/geofence` answers the station's fence as it now is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationGeofence {
    pub station: StationCode,
    pub geofence: Option<Geofence>,
}

/// `GET /api/v1/registrations`: what became of each registration this phone sent. Two
/// registrations of one mobile number name the same `volunteer`, whichever phone sent
/// them; `merged` says that more than one registration makes up the volunteer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationOutcome {
    pub registration: RecordId,
    pub volunteer: RecordId,
    pub merged: bool,
    pub profile: Volunteer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationList {
    pub items: Vec<RegistrationOutcome>,
}

/// Where a service record stands with the station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Review {
    Pending,
    Approved {
        by: String,
        at: DateTime<Utc>,
        minutes: u32,
        points: i64,
    },
    Revoked {
        by: String,
        at: DateTime<Utc>,
        reason: String,
    },
}

/// A service record (服务记录): one visit, its hours, its flags and its review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRecordView {
    /// The check-in's id.
    pub id: RecordId,
    /// The registered volunteer of this mobile number, if any.
    pub volunteer: Option<RecordId>,
    pub volunteer_name: String,
    pub station: StationCode,
    pub station_name: String,
    /// Corrected by the phone's clock offset.
    pub checked_in_at: DateTime<Utc>,
    pub checked_out_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub state: VisitState,
    /// Counted so far: by the monotonic clock where the phone had it; 0 while open or
    /// when closed automatically.
    pub minutes: u32,
    pub flags: Vec<ServiceFlag>,
    /// Why the scanned pass was refused, when it was.
    pub pass_problem: Option<String>,
    pub position: Option<Position>,
    pub inside_geofence: Option<bool>,
    pub review: Review,
}

/// `GET /api/v1/hours/pending`: the visits a station admin may approve, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingHours {
    pub items: Vec<ServiceRecordView>,
}

/// One line of a volunteer's ledger, with the balance after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerLine {
    #[serde(flatten)]
    pub entry: Entry,
    pub at: DateTime<Utc>,
    pub balance: i64,
}

/// An integrity record (诚信记载), visible to the volunteer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrityRecord {
    /// The record that made it (the no-show or the revocation).
    pub id: RecordId,
    pub kind: IntegrityKind,
    pub reason: String,
    /// The sign-up or service record it is about.
    pub about: RecordId,
    pub station: StationCode,
    pub station_name: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A sign-up and its outcome, as the phone shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupView {
    pub id: RecordId,
    pub activity: RecordId,
    pub title: String,
    pub station_name: String,
    pub starts_at: DateTime<Utc>,
    pub volunteer: RecordId,
    #[serde(flatten)]
    pub status: SignupStatus,
    pub no_show: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupList {
    pub items: Vec<SignupView>,
}

/// `GET /api/v1/volunteers/{id}`: everything a volunteer's phone shows about them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerAccount {
    pub volunteer: Volunteer,
    pub balance: i64,
    /// Approved service, in minutes.
    pub approved_minutes: u32,
    /// Newest first.
    pub service_records: Vec<ServiceRecordView>,
    /// Oldest first, with the balance after each line.
    pub ledger: Vec<LedgerLine>,
    pub integrity: Vec<IntegrityRecord>,
    pub signups: Vec<SignupView>,
}

/// A published activity with how full it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerActivityView {
    pub id: RecordId,
    #[serde(flatten)]
    pub activity: VolunteerActivity,
    pub station_name: String,
    pub accepted: u32,
    pub waitlisted: u32,
}

/// `GET /api/v1/volunteer-activities`: activities not yet over, soonest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerActivityList {
    pub items: Vec<VolunteerActivityView>,
}

/// An item on offer; `stock` is what is left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeItemView {
    pub id: RecordId,
    #[serde(flatten)]
    pub item: ExchangeItem,
    pub station_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeItemList {
    pub items: Vec<ExchangeItemView>,
}

/// One approved visit on the certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateLine {
    /// The day of the visit, Beijing time.
    pub date: NaiveDate,
    pub station_name: String,
    pub minutes: u32,
}

/// `GET /api/v1/volunteers/{id}/certificate?from=…&to=…`: the facts of a service record
/// certificate (志愿服务记录证明) over a period of Beijing dates, both ends included.
/// Only approved hours count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    pub volunteer: RecordId,
    pub name: String,
    pub gender: Gender,
    pub birth_year: u16,
    /// The mobile number with its middle digits hidden.
    pub phone: String,
    pub district_name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lines: Vec<CertificateLine>,
    pub total_minutes: u32,
    /// "12.5": the total as hours, as the certificate prints it.
    pub total_hours: String,
    pub issued_at: DateTime<Utc>,
}

/// One sign-up of an activity as its station admin sees it: who, and the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivitySignup {
    pub id: RecordId,
    pub volunteer: RecordId,
    pub volunteer_name: String,
    /// The mobile number with its middle digits hidden.
    pub phone: String,
    #[serde(flatten)]
    pub status: SignupStatus,
    pub no_show: bool,
}

/// `GET /api/v1/volunteer-activities/{id}/signups`: the sign-ups of one activity in order
/// of receipt, for the admin of its station and the district.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivitySignupList {
    pub activity: RecordId,
    pub title: String,
    pub items: Vec<ActivitySignup>,
}

/// `GET /api/v1/volunteers?phone=…`: the volunteer of a mobile number, found by a station
/// admin (or a reviewer, or the district) above the village they registered in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerMatch {
    pub id: RecordId,
    pub name: String,
}
