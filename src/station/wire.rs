//! The district's volunteer answers as the station admin's screens read them: plain
//! structs holding only the fields shown, read with [`crate::decode`] from the JSON of
//! core's views (`views::StationPassSheet`, `PendingHours`, `ExchangeItemList`,
//! `VolunteerAccount`, `Certificate`, `VolunteerActivityList`, `ActivitySignupList`,
//! `VolunteerMatch`). Core's views flatten internally tagged enums, which serde decodes
//! through a buffer of every value; these read the tags as plain fields. The tests hold
//! them to core's golden files.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use wenming_core::filing::people::Gender;
use wenming_core::volunteer::ledger::IntegrityKind;
use wenming_core::volunteer::ServiceFlag;
use wenming_core::RecordId;

use crate::filing::wire::date;
use crate::time::rfc3339;

/// `GET /stations/{code}/pass`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PassSheet {
    pub station: String,
    pub station_name: String,
    pub pass: String,
    #[serde(with = "rfc3339")]
    pub not_before: DateTime<Utc>,
    #[serde(with = "rfc3339")]
    pub not_after: DateTime<Utc>,
    pub qr_svg: String,
}

/// Core's `Review`: `{"state":"pending"}`, `approved` with minutes and points, `revoked`
/// with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainReview {
    pub state: String,
    #[serde(default)]
    pub by: Option<String>,
    #[serde(default)]
    pub minutes: Option<u32>,
    #[serde(default)]
    pub points: Option<i64>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// A service record (core's `ServiceRecordView`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Visit {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub id: RecordId,
    #[serde(default)]
    pub volunteer: Option<String>,
    pub volunteer_name: String,
    pub station_name: String,
    #[serde(with = "rfc3339")]
    pub checked_in_at: DateTime<Utc>,
    #[serde(default, with = "rfc3339::option")]
    pub checked_out_at: Option<DateTime<Utc>>,
    /// `open`, `closed` or `auto_closed`.
    pub state: String,
    #[serde(default, with = "rfc3339::option")]
    pub auto_closed_at: Option<DateTime<Utc>>,
    pub minutes: u32,
    pub flags: Vec<ServiceFlag>,
    #[serde(default)]
    pub pass_problem: Option<String>,
    #[serde(default)]
    pub position: Option<PlainPosition>,
    #[serde(default)]
    pub inside_geofence: Option<bool>,
    pub review: PlainReview,
}

/// Where the phone was at the check-in (core's `Position`), in millionths of a degree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct PlainPosition {
    pub lat_e6: i32,
    pub lon_e6: i32,
    pub accuracy_m: u32,
}

/// Millionths of a degree as degrees, "29.325201", written with integers: float formatting
/// would cost the download more than the screens that show positions.
pub fn degrees(e6: i32) -> String {
    let sign = if e6 < 0 { "-" } else { "" };
    let a = e6.unsigned_abs();
    format!("{sign}{}.{:06}", a / 1_000_000, a % 1_000_000)
}

impl PlainPosition {
    /// "29.325201, 107.760298（±18 米）".
    pub fn text(&self) -> String {
        format!(
            "{}, {}（±{} 米）",
            degrees(self.lat_e6),
            degrees(self.lon_e6),
            self.accuracy_m
        )
    }
}

impl Visit {
    /// Closed automatically: an admin must set the minutes to approve it.
    pub fn auto_closed(&self) -> bool {
        self.state == "auto_closed"
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PendingList {
    pub items: Vec<Visit>,
}

/// An item on offer (core's `ExchangeItemView`): `stock` is what is left.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Item {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub id: RecordId,
    pub station: String,
    pub name: String,
    pub points: u32,
    pub stock: u32,
    pub station_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ItemList {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Person {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub id: RecordId,
    pub name: String,
    pub phone: String,
    pub gender: Gender,
    pub birth_year: u16,
}

/// A ledger line's cause: only its kind is shown.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainCause {
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Line {
    pub points: i64,
    pub cause: PlainCause,
    #[serde(with = "rfc3339")]
    pub at: DateTime<Utc>,
    pub balance: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Integrity {
    pub kind: IntegrityKind,
    pub reason: String,
    pub station_name: String,
    pub by: String,
    #[serde(with = "rfc3339")]
    pub at: DateTime<Utc>,
}

/// `GET /volunteers/{id}` (core's `VolunteerAccount`, without the sign-ups).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Account {
    pub volunteer: Person,
    pub balance: i64,
    pub approved_minutes: u32,
    pub service_records: Vec<Visit>,
    pub ledger: Vec<Line>,
    pub integrity: Vec<Integrity>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CertLine {
    #[serde(with = "date")]
    pub date: NaiveDate,
    pub station_name: String,
    pub minutes: u32,
}

/// `GET /volunteers/{id}/certificate`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Cert {
    pub name: String,
    pub gender: Gender,
    pub birth_year: u16,
    pub phone: String,
    pub district_name: String,
    #[serde(with = "date")]
    pub from: NaiveDate,
    #[serde(with = "date")]
    pub to: NaiveDate,
    pub lines: Vec<CertLine>,
    pub total_hours: String,
    #[serde(with = "rfc3339")]
    pub issued_at: DateTime<Utc>,
}

/// A published activity (core's `VolunteerActivityView`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Published {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub id: RecordId,
    pub title: String,
    pub station: String,
    #[serde(with = "rfc3339")]
    pub starts_at: DateTime<Utc>,
    #[serde(with = "rfc3339")]
    pub ends_at: DateTime<Utc>,
    pub volunteers_needed: u32,
    #[serde(default)]
    pub skills_wanted: Vec<String>,
    pub station_name: String,
    pub accepted: u32,
    pub waitlisted: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PublishedList {
    pub items: Vec<Published>,
}

/// One sign-up of an activity (core's `ActivitySignup`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Signed {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub id: RecordId,
    pub volunteer_name: String,
    pub phone: String,
    /// `accepted` or `waitlisted`.
    pub status: String,
    #[serde(default)]
    pub position: Option<u32>,
    pub no_show: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SignedList {
    pub title: String,
    pub items: Vec<Signed>,
}

/// `GET /volunteers?phone=…`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Found {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub id: RecordId,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::*;
    use wenming_core::volunteer::views::{
        ActivitySignupList, Certificate, ExchangeItemList, PendingHours, StationPassSheet,
        VolunteerAccount, VolunteerActivityList, VolunteerMatch,
    };

    use super::*;
    use crate::decode::from_json;

    const PASS: &str = include_str!("../../crates/core/tests/golden/station_pass.json");
    const PENDING: &str = include_str!("../../crates/core/tests/golden/pending_hours.json");
    const ITEMS: &str = include_str!("../../crates/core/tests/golden/exchange_items.json");
    const ACCOUNT: &str = include_str!("../../crates/core/tests/golden/volunteer_account.json");
    const CERT: &str = include_str!("../../crates/core/tests/golden/certificate.json");
    const ACTIVITIES: &str =
        include_str!("../../crates/core/tests/golden/volunteer_activity_list.json");
    const SIGNUPS: &str = include_str!("../../crates/core/tests/golden/activity_signups.json");
    const MATCH: &str = include_str!("../../crates/core/tests/golden/volunteer_match.json");

    #[wasm_bindgen_test]
    fn the_pass_sheet_reads_as_core_writes_it() {
        let core: StationPassSheet = serde_json::from_str(PASS).unwrap();
        let plain: PassSheet = from_json(PASS).unwrap();
        assert_eq!(plain.station, core.station.to_string());
        assert_eq!(plain.pass, core.pass);
        assert_eq!(
            (plain.not_before, plain.not_after),
            (core.not_before, core.not_after)
        );
        assert_eq!(plain.qr_svg, core.qr_svg);
    }

    #[wasm_bindgen_test]
    fn pending_hours_read_with_their_state_flags_and_review() {
        let core: PendingHours = serde_json::from_str(PENDING).unwrap();
        let plain: PendingList = from_json(PENDING).unwrap();
        let (c, p) = (&core.items[0], &plain.items[0]);
        assert_eq!(p.id, c.id);
        assert_eq!(
            p.volunteer.as_deref(),
            Some(&*c.volunteer.unwrap().to_string())
        );
        assert_eq!(p.volunteer_name, c.volunteer_name);
        assert_eq!(p.checked_in_at, c.checked_in_at);
        assert_eq!(p.checked_out_at, None);
        assert!(p.auto_closed());
        let wenming_core::volunteer::service::VisitState::AutoClosed { auto_closed_at } = c.state
        else {
            panic!("the golden visit was closed automatically")
        };
        assert_eq!(p.auto_closed_at, Some(auto_closed_at));
        assert_eq!(p.flags, c.flags);
        assert_eq!(p.pass_problem, c.pass_problem);
        let at = c.position.unwrap();
        assert_eq!(
            p.position,
            Some(PlainPosition {
                lat_e6: at.lat_e6,
                lon_e6: at.lon_e6,
                accuracy_m: at.accuracy_m
            })
        );
        assert_eq!(
            p.position.unwrap().text(),
            "29.325201, 107.760298（±18 米）"
        );
        assert_eq!(
            PlainPosition {
                lat_e6: -5,
                lon_e6: -107_000_001,
                accuracy_m: 0
            }
            .text(),
            "-0.000005, -107.000001（±0 米）"
        );
        assert_eq!(p.inside_geofence, c.inside_geofence);
        assert_eq!(p.review.state, "pending");
    }

    #[wasm_bindgen_test]
    fn exchange_items_read_with_their_stock() {
        let core: ExchangeItemList = serde_json::from_str(ITEMS).unwrap();
        let plain: ItemList = from_json(ITEMS).unwrap();
        let (c, p) = (&core.items[0], &plain.items[0]);
        assert_eq!(
            (p.id, &p.name, p.points, p.stock),
            (c.id, &c.item.name, c.item.points, c.item.stock)
        );
        assert_eq!(p.station, c.item.station.to_string());
    }

    #[wasm_bindgen_test]
    fn an_account_reads_with_its_balance_ledger_and_integrity_records() {
        let core: VolunteerAccount = serde_json::from_str(ACCOUNT).unwrap();
        let plain: Account = from_json(ACCOUNT).unwrap();
        assert_eq!(plain.volunteer.id, core.volunteer.id);
        assert_eq!(plain.volunteer.phone, core.volunteer.phone.as_str());
        assert_eq!(
            (plain.balance, plain.approved_minutes),
            (core.balance, core.approved_minutes)
        );
        let review = &plain.service_records[0].review;
        assert_eq!(
            (review.state.as_str(), review.minutes, review.points),
            ("approved", Some(90), Some(15))
        );
        let kinds: Vec<&str> = plain.ledger.iter().map(|l| l.cause.kind.as_str()).collect();
        assert_eq!(kinds, ["earn", "reversal"]);
        assert_eq!(plain.ledger[1].balance, core.ledger[1].balance);
        assert_eq!(plain.integrity[0].kind, core.integrity[0].kind);
        assert_eq!(plain.integrity[0].reason, core.integrity[0].reason);
    }

    #[wasm_bindgen_test]
    fn a_certificate_reads_with_its_lines_and_total() {
        let core: Certificate = serde_json::from_str(CERT).unwrap();
        let plain: Cert = from_json(CERT).unwrap();
        assert_eq!((plain.from, plain.to), (core.from, core.to));
        assert_eq!(plain.lines[0].date, core.lines[0].date);
        assert_eq!(plain.lines[0].minutes, core.lines[0].minutes);
        assert_eq!(plain.total_hours, core.total_hours);
        assert_eq!(plain.issued_at, core.issued_at);
        assert_eq!(plain.gender, core.gender);
    }

    #[wasm_bindgen_test]
    fn activities_their_signups_and_a_found_volunteer_read_as_core_writes_them() {
        let core: VolunteerActivityList = serde_json::from_str(ACTIVITIES).unwrap();
        let plain: PublishedList = from_json(ACTIVITIES).unwrap();
        let (c, p) = (&core.items[0], &plain.items[0]);
        assert_eq!((p.id, &p.title), (c.id, &c.activity.title));
        assert_eq!(
            (p.starts_at, p.ends_at),
            (c.activity.starts_at, c.activity.ends_at)
        );
        assert_eq!((p.accepted, p.waitlisted), (c.accepted, c.waitlisted));
        assert_eq!(p.skills_wanted, c.activity.skills_wanted);

        let core: ActivitySignupList = serde_json::from_str(SIGNUPS).unwrap();
        let plain: SignedList = from_json(SIGNUPS).unwrap();
        assert_eq!(plain.title, core.title);
        let (c, p) = (&core.items[0], &plain.items[0]);
        assert_eq!((p.id, &p.phone, p.no_show), (c.id, &c.phone, c.no_show));
        assert_eq!((p.status.as_str(), p.position), ("accepted", None));

        let core: VolunteerMatch = serde_json::from_str(MATCH).unwrap();
        let plain: Found = from_json(MATCH).unwrap();
        assert_eq!((plain.id, plain.name), (core.id, core.name));
    }
}
