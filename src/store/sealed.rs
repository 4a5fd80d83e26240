//! Envelopes as the outbox keeps them: id, kind, device time and the JSON text, written
//! straight from the typed body. Core's `Envelope::wrap` goes through a `serde_json::Value`
//! (whose map sorts the body's keys), which costs the download a second serializer; this
//! writes the very same bytes without it, and the tests hold it to core's output.

use chrono::{DateTime, Timelike, Utc};
use serde::Serialize;
use wenming_core::protocol::RecordBody;
use wenming_core::{CheckIn, CheckOut, Envelope, Kind, PersonName, Phone, RecordId, StationCode};

use super::StoreError;

/// An envelope ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub id: RecordId,
    pub kind: Kind,
    /// The moment it records, to the whole second as on the wire.
    pub device_time: DateTime<Utc>,
    /// The envelope's JSON, as `serde_json::to_string` writes core's `Envelope`.
    pub json: String,
}

/// Core's `Envelope` field by field, with the body in place of its JSON value.
#[derive(Serialize)]
struct Wire<'a, B> {
    id: RecordId,
    kind: Kind,
    schema_version: u16,
    #[serde(with = "crate::time::rfc3339")]
    device_time: DateTime<Utc>,
    body: &'a B,
}

/// A check-in's fields in the order a `serde_json::Value` map keeps them: sorted; the
/// optional ones left out when absent, as core's.
#[derive(Serialize)]
struct CheckInBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    clock_offset_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pass: Option<&'a str>,
    phone: &'a Phone,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<PositionBody>,
    station: &'a StationCode,
    volunteer_name: &'a PersonName,
}

/// A position's fields, sorted.
#[derive(Serialize)]
struct PositionBody {
    accuracy_m: u32,
    lat_e6: i32,
    lon_e6: i32,
}

/// A check-out's fields, sorted.
#[derive(Serialize)]
struct CheckOutBody {
    check_in: RecordId,
    #[serde(skip_serializing_if = "Option::is_none")]
    clock_offset_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    elapsed_ms: Option<u64>,
}

impl Sealed {
    pub(crate) fn new<R: RecordBody, B: Serialize>(
        id: RecordId,
        device_time: DateTime<Utc>,
        body: &B,
    ) -> Result<Sealed, StoreError> {
        // As `Envelope::wrap`: the id already carries the millisecond.
        let device_time = device_time.with_nanosecond(0).unwrap_or(device_time);
        let json = serde_json::to_string(&Wire {
            id,
            kind: R::KIND,
            schema_version: R::SCHEMA_VERSION,
            device_time,
            body,
        })?;
        Ok(Sealed {
            id,
            kind: R::KIND,
            device_time,
            json,
        })
    }

    pub fn check_in(
        id: RecordId,
        device_time: DateTime<Utc>,
        body: &CheckIn,
    ) -> Result<Sealed, StoreError> {
        let body = CheckInBody {
            clock_offset_ms: body.clock_offset_ms,
            pass: body.pass.as_deref(),
            phone: &body.phone,
            position: body.position.map(|p| PositionBody {
                accuracy_m: p.accuracy_m,
                lat_e6: p.lat_e6,
                lon_e6: p.lon_e6,
            }),
            station: &body.station,
            volunteer_name: &body.volunteer_name,
        };
        Sealed::new::<CheckIn, _>(id, device_time, &body)
    }

    /// A `filing_submit` envelope; the body's keys in its own order (the server reads
    /// JSON, and keeps a canonical form of its own).
    pub fn filing_submit(
        id: RecordId,
        device_time: DateTime<Utc>,
        body: &crate::filing::Submission,
    ) -> Result<Sealed, StoreError> {
        Sealed::new::<wenming_core::filing::form::FilingSubmission, _>(id, device_time, body)
    }

    pub fn filing_decision(
        id: RecordId,
        device_time: DateTime<Utc>,
        body: &wenming_core::filing::form::FilingDecision,
    ) -> Result<Sealed, StoreError> {
        Sealed::new::<wenming_core::filing::form::FilingDecision, _>(id, device_time, body)
    }

    /// An `activity_report` envelope, written as core writes the body.
    pub fn activity_report(
        id: RecordId,
        device_time: DateTime<Utc>,
        body: &wenming_core::activity::ActivityReport,
    ) -> Result<Sealed, StoreError> {
        let wire = crate::activity::wire::ReportWire::of(body);
        Sealed::new::<wenming_core::activity::ActivityReport, _>(id, device_time, &wire)
    }

    /// A `pre_report` envelope, written as core writes the body.
    pub fn pre_report(
        id: RecordId,
        device_time: DateTime<Utc>,
        body: &wenming_core::activity::PreReport,
    ) -> Result<Sealed, StoreError> {
        let wire = crate::activity::wire::PreReportWire::of(body);
        Sealed::new::<wenming_core::activity::PreReport, _>(id, device_time, &wire)
    }

    pub fn pre_report_decision(
        id: RecordId,
        device_time: DateTime<Utc>,
        body: &wenming_core::activity::PreReportDecision,
    ) -> Result<Sealed, StoreError> {
        Sealed::new::<wenming_core::activity::PreReportDecision, _>(id, device_time, body)
    }

    pub fn summary_report(
        id: RecordId,
        device_time: DateTime<Utc>,
        body: &wenming_core::activity::SummaryReport,
    ) -> Result<Sealed, StoreError> {
        Sealed::new::<wenming_core::activity::SummaryReport, _>(id, device_time, body)
    }

    /// The envelope of any record whose body serializes as core's does (the volunteer
    /// records of #5 are core's own types).
    pub fn of<B: RecordBody + Serialize>(
        id: RecordId,
        device_time: DateTime<Utc>,
        body: &B,
    ) -> Result<Sealed, StoreError> {
        Sealed::new::<B, B>(id, device_time, body)
    }

    pub fn check_out(
        id: RecordId,
        device_time: DateTime<Utc>,
        body: &CheckOut,
    ) -> Result<Sealed, StoreError> {
        let body = CheckOutBody {
            check_in: body.check_in,
            clock_offset_ms: body.clock_offset_ms,
            elapsed_ms: body.elapsed_ms,
        };
        Sealed::new::<CheckOut, _>(id, device_time, &body)
    }
}

/// What the saves accept: a [`Sealed`] envelope, or core's [`Envelope`] (sealed through
/// serde_json; the tests build those).
pub trait Seal {
    fn seal(&self) -> Result<Sealed, StoreError>;
}

impl Seal for Sealed {
    fn seal(&self) -> Result<Sealed, StoreError> {
        Ok(self.clone())
    }
}

impl Seal for Envelope {
    fn seal(&self) -> Result<Sealed, StoreError> {
        Ok(Sealed {
            id: self.id,
            kind: self.kind,
            device_time: self.device_time,
            json: serde_json::to_string(self)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use wasm_bindgen_test::*;

    use super::*;

    fn id(s: &str) -> RecordId {
        RecordId::parse(s).unwrap()
    }

    fn check(sealed: Sealed, envelope: Envelope) {
        assert_eq!(sealed, envelope.seal().unwrap());
        let back: Envelope = serde_json::from_str(&sealed.json).unwrap();
        assert_eq!(back, envelope);
    }

    #[wasm_bindgen_test]
    fn sealed_envelopes_are_byte_for_byte_cores() {
        let t = Utc.with_ymd_and_hms(2026, 11, 22, 1, 2, 3).unwrap();
        let in_id = id("019aa9a1-6c3b-7d2e-9f10-2b3c4d5e6f70");
        let out_id = id("019aaa0b-1f20-7a31-8c42-5d6e7f809152");
        let body = CheckIn {
            station: StationCode::parse("500156001001").unwrap(),
            volunteer_name: PersonName::parse("张秀英").unwrap(),
            phone: Phone::parse("13812345678").unwrap(),
            pass: None,
            position: None,
            clock_offset_ms: None,
        };
        let out = CheckOut::of(in_id);
        for at in [t, t + chrono::Duration::milliseconds(987)] {
            check(
                Sealed::check_in(in_id, at, &body).unwrap(),
                Envelope::wrap(in_id, at, &body),
            );
            check(
                Sealed::check_out(out_id, at, &out).unwrap(),
                Envelope::wrap(out_id, at, &out),
            );
        }
        // With everything #5 adds: a pass, a position, the clocks.
        let full = CheckIn {
            pass: Some(
                "WM1.NTAwMTU2MDAxMDAxfDE3NjM3NzkyMDB8MTc2Mzg2NTYwMHxrMDEwMjAzMDQ.c2ln".into(),
            ),
            position: Some(wenming_core::volunteer::pass::Position {
                lat_e6: 29_325_001,
                lon_e6: -107_760_002,
                accuracy_m: 12,
            }),
            clock_offset_ms: Some(-1_234),
            ..body.clone()
        };
        let timed = CheckOut {
            elapsed_ms: Some(5_400_321),
            clock_offset_ms: Some(987),
            ..out.clone()
        };
        let only_offset = CheckIn {
            clock_offset_ms: Some(0),
            ..body.clone()
        };
        for at in [t, t + chrono::Duration::milliseconds(5)] {
            check(
                Sealed::check_in(in_id, at, &full).unwrap(),
                Envelope::wrap(in_id, at, &full),
            );
            check(
                Sealed::check_in(in_id, at, &only_offset).unwrap(),
                Envelope::wrap(in_id, at, &only_offset),
            );
            check(
                Sealed::check_out(out_id, at, &timed).unwrap(),
                Envelope::wrap(out_id, at, &timed),
            );
        }
        let odd = CheckIn {
            volunteer_name: PersonName::parse("Abdu Rehman·阿卜杜-热合曼").unwrap(),
            ..body
        };
        check(
            Sealed::check_in(in_id, t, &odd).unwrap(),
            Envelope::wrap(in_id, t, &odd),
        );
    }

    #[wasm_bindgen_test]
    fn the_golden_push_request_is_made_of_sealed_envelopes() {
        let json = include_str!("../../crates/core/tests/golden/push_request.json");
        let golden: wenming_core::protocol::PushRequest = serde_json::from_str(json).unwrap();
        for envelope in golden.records {
            let sealed = match envelope.kind {
                Kind::CheckIn => {
                    Sealed::check_in(envelope.id, envelope.device_time, &envelope.open().unwrap())
                }
                _ => {
                    Sealed::check_out(envelope.id, envelope.device_time, &envelope.open().unwrap())
                }
            };
            check(sealed.unwrap(), envelope);
        }
    }
}
