//! Volunteer check-ins at a station (签到/签退): the record bodies and the form rules.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::division::StationCode;
use crate::person::{PersonName, Phone};
use crate::protocol::{Kind, RecordBody, RecordId};
use crate::volunteer::pass::Position;

/// A volunteer arrives at a station. The moment is the envelope's `device_time`.
///
/// The optional fields (#5) are left out of the JSON when absent, so a check-in of an older
/// app reads as before: typed, no position, no clock facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckIn {
    pub station: StationCode,
    pub volunteer_name: PersonName,
    pub phone: Phone,
    /// The station pass as scanned (`WM1.…`), which the phone verified; absent when the
    /// station code was typed. The server verifies it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass: Option<String>,
    /// Where the phone was, if the volunteer allowed it to tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// Server time minus phone time, in milliseconds, as learned at the last sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_offset_ms: Option<i64>,
}

impl RecordBody for CheckIn {
    const KIND: Kind = Kind::CheckIn;
    const SCHEMA_VERSION: u16 = 1;
}

/// The volunteer leaves. The moment is the envelope's `device_time`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckOut {
    pub check_in: RecordId,
    /// Milliseconds since the check-in by the phone's monotonic clock, when the phone still
    /// had it (the same page session); immune to the wall clock being changed meanwhile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<u64>,
    /// Server time minus phone time, in milliseconds, as learned at the last sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_offset_ms: Option<i64>,
}

impl CheckOut {
    /// A check-out with no clock facts, as older apps send it.
    pub fn of(check_in: RecordId) -> Self {
        CheckOut {
            check_in,
            elapsed_ms: None,
            clock_offset_ms: None,
        }
    }
}

impl RecordBody for CheckOut {
    const KIND: Kind = Kind::CheckOut;
    const SCHEMA_VERSION: u16 = 1;
}

/// What the user typed into the check-in form, before it is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckInForm {
    pub station: String,
    pub volunteer_name: String,
    pub phone: String,
}

/// The message for each field that needs fixing; `None` where the field is fine.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckInFormErrors {
    pub station: Option<String>,
    pub volunteer_name: Option<String>,
    pub phone: Option<String>,
}

impl CheckInForm {
    /// Checks every field at once, so the user sees all that needs fixing together.
    pub fn parse(&self) -> Result<CheckIn, CheckInFormErrors> {
        let station = if self.station.trim().is_empty() {
            Err("请选择实践站".to_owned())
        } else {
            StationCode::parse(&self.station).map_err(|e| e.to_string())
        };
        let name = PersonName::parse(&self.volunteer_name).map_err(|e| e.to_string());
        let phone = Phone::parse(&self.phone).map_err(|e| e.to_string());
        match (station, name, phone) {
            (Ok(station), Ok(volunteer_name), Ok(phone)) => Ok(CheckIn {
                station,
                volunteer_name,
                phone,
                pass: None,
                position: None,
                clock_offset_ms: None,
            }),
            (s, n, p) => Err(CheckInFormErrors {
                station: s.err(),
                volunteer_name: n.err(),
                phone: p.err(),
            }),
        }
    }
}

/// Why a check-out cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckOutError {
    #[error("签退时间早于签到时间，请检查手机时间")]
    BeforeCheckIn,
    #[error("这条签到已经签退")]
    AlreadyOut,
}

/// The time spent at the station, or why the check-out times do not fit.
pub fn service_duration(
    checked_in_at: DateTime<Utc>,
    checked_out_at: DateTime<Utc>,
) -> Result<chrono::Duration, CheckOutError> {
    let d = checked_out_at - checked_in_at;
    if d < chrono::Duration::zero() {
        Err(CheckOutError::BeforeCheckIn)
    } else {
        Ok(d)
    }
}

/// A duration as volunteers read it: "2小时05分", "12分钟", "不足1分钟".
pub fn duration_zh(d: chrono::Duration) -> String {
    let minutes = d.num_minutes().max(0);
    match (minutes / 60, minutes % 60) {
        (0, 0) => "不足1分钟".to_owned(),
        (0, m) => format!("{m}分钟"),
        (h, m) => format!("{h}小时{m:02}分"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn form(station: &str, name: &str, phone: &str) -> CheckInForm {
        CheckInForm {
            station: station.into(),
            volunteer_name: name.into(),
            phone: phone.into(),
        }
    }

    #[test]
    fn a_complete_form_becomes_a_check_in() {
        let c = form("500156001001", " 李四 ", "139 1234 5678")
            .parse()
            .unwrap();
        assert_eq!(c.station.as_str(), "500156001001");
        assert_eq!(c.volunteer_name.as_str(), "李四");
        assert_eq!(c.phone.as_str(), "13912345678");
    }

    #[test]
    fn every_missing_field_is_reported_at_once() {
        let errs = form("", "", "").parse().unwrap_err();
        assert_eq!(errs.station.as_deref(), Some("请选择实践站"));
        assert_eq!(errs.volunteer_name.as_deref(), Some("请填写姓名"));
        assert_eq!(errs.phone.as_deref(), Some("请填写手机号码"));
    }

    #[test]
    fn only_the_wrong_field_is_reported() {
        let errs = form("500156001001", "李四", "1391234567")
            .parse()
            .unwrap_err();
        assert_eq!(errs.station, None);
        assert_eq!(errs.volunteer_name, None);
        assert_eq!(errs.phone.as_deref(), Some("手机号码应为 11 位数字"));
    }

    #[test]
    fn a_body_with_a_bad_phone_does_not_deserialize() {
        let body = serde_json::json!({
            "station": "500156001001", "volunteer_name": "李四", "phone": "12345"
        });
        let err = serde_json::from_value::<CheckIn>(body).unwrap_err();
        assert_eq!(err.to_string(), "手机号码应为 11 位数字");
    }

    #[test]
    fn durations_read_naturally() {
        let m = chrono::Duration::minutes;
        assert_eq!(duration_zh(chrono::Duration::seconds(40)), "不足1分钟");
        assert_eq!(duration_zh(m(12)), "12分钟");
        assert_eq!(duration_zh(m(125)), "2小时05分");
    }

    #[test]
    fn a_check_out_before_the_check_in_is_refused() {
        let t0 = Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
        let t1 = t0 + chrono::Duration::minutes(90);
        assert_eq!(service_duration(t0, t1), Ok(chrono::Duration::minutes(90)));
        assert_eq!(service_duration(t1, t0), Err(CheckOutError::BeforeCheckIn));
    }
}
