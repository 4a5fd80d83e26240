//! Golden files freeze the wire format of sync protocol v1.
//!
//! Each sample value is serialized and compared with its file under `tests/golden/`, and
//! each file is parsed back and must equal the sample. A change to the wire format fails
//! here; if it is deliberate, rewrite the files with `UPDATE_GOLDEN=1 cargo test -p
//! wenming-core --test golden` and say so in the commit.

use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};
use serde::{de::DeserializeOwned, Serialize};
use wenming_core::filing::form::{FilingDecision, FilingSubmission};
use wenming_core::filing::{ApplicationKind, Decision};
use wenming_core::photo::{PhotoHash, UploadStatus};
use wenming_core::protocol::{
    Change, DeviceInfo, EnrollRequest, EnrollResponse, ErrorBody, Outcome, PullResponse,
    PushRequest, PushResponse, PushResult, RefItem, Role,
};
use wenming_core::{
    CheckIn, CheckOut, DivisionCode, Envelope, PersonName, Phone, RecordId, StationCode,
};

fn check<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(name: &str, sample: &T) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.json"));
    let actual = serde_json::to_string_pretty(sample).expect("samples serialize") + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).expect("golden file is writable");
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    assert_eq!(actual, expected, "the wire format of {name} changed");
    let parsed: T = serde_json::from_str(&expected).expect("golden file parses");
    assert_eq!(&parsed, sample, "{name} does not round-trip");
}

fn t(h: u32, m: u32, s: u32, ms: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, h, m, s).unwrap() + chrono::Duration::milliseconds(ms.into())
}

fn check_in_id() -> RecordId {
    RecordId::parse("019aa9a1-6c3b-7d2e-9f10-2b3c4d5e6f70").unwrap()
}

fn check_out_id() -> RecordId {
    RecordId::parse("019aaa0b-1f20-7a31-8c42-5d6e7f809152").unwrap()
}

fn check_in() -> CheckIn {
    CheckIn {
        station: StationCode::parse("500156001001").unwrap(),
        volunteer_name: PersonName::parse("张秀英").unwrap(),
        phone: Phone::parse("13812345678").unwrap(),
    }
}

fn push_request() -> PushRequest {
    PushRequest {
        records: vec![
            Envelope::wrap(check_in_id(), t(1, 2, 3, 456), &check_in()),
            Envelope::wrap(
                check_out_id(),
                t(3, 4, 5, 0),
                &CheckOut {
                    check_in: check_in_id(),
                },
            ),
        ],
    }
}

#[test]
fn push_request_is_frozen() {
    check("push_request", &push_request());
}

#[test]
fn push_response_is_frozen() {
    check(
        "push_response",
        &PushResponse {
            results: vec![
                PushResult {
                    id: check_in_id(),
                    outcome: Outcome::Accepted,
                },
                PushResult {
                    id: check_out_id(),
                    outcome: Outcome::Duplicate,
                },
                PushResult {
                    id: RecordId::parse("019aaa0b-1f20-7a31-8c42-5d6e7f809153").unwrap(),
                    outcome: Outcome::Rejected {
                        reason: "实践站不存在".into(),
                    },
                },
            ],
            server_time: t(3, 4, 6, 789),
        },
    );
}

#[test]
fn pull_response_is_frozen() {
    let town = DivisionCode::parse("500156001").unwrap();
    let village = DivisionCode::parse("500156001001").unwrap();
    check(
        "pull_response",
        &PullResponse {
            changes: vec![
                Change {
                    seq: 1,
                    item: RefItem::Town {
                        code: town.clone(),
                        name: "凤山街道".into(),
                    },
                },
                Change {
                    seq: 2,
                    item: RefItem::Village {
                        code: village.clone(),
                        name: "复兴社区居民委员会".into(),
                        town: town.clone(),
                    },
                },
                Change {
                    seq: 3,
                    item: RefItem::Station {
                        code: StationCode::parse("500156001001").unwrap(),
                        name: "复兴社区新时代文明实践站".into(),
                        village,
                        town,
                    },
                },
            ],
            next_cursor: 3,
            more: false,
            server_time: t(1, 0, 0, 0),
        },
    );
}

#[test]
fn enrollment_is_frozen() {
    check(
        "enroll_request",
        &EnrollRequest {
            code: "7K2M-QX9P-4D8R-T1VW".into(),
        },
    );
    check(
        "enroll_response",
        &EnrollResponse {
            token: "9f".repeat(32),
            device: DeviceInfo {
                person: "张秀英".into(),
                role: Role::Volunteer,
                scope: DivisionCode::parse("500156001001").unwrap(),
                scope_name: "复兴社区居民委员会".into(),
                district: DivisionCode::parse("500156").unwrap(),
                district_name: "武隆区".into(),
            },
        },
    );
}

#[test]
fn errors_are_frozen() {
    check(
        "error",
        &ErrorBody {
            error: "malformed_batch".into(),
            message: "同步数据格式有误".into(),
        },
    );
}

fn filing_submission() -> FilingSubmission {
    wenming_core::fixtures::filing_submission(
        RecordId::parse("019aa9a1-0000-7000-8000-000000000001").unwrap(),
        RecordId::parse("019aa9a1-0000-7000-8000-000000000002").unwrap(),
        ApplicationKind::Initial,
        &DivisionCode::parse("500156001001").unwrap(),
        2,
    )
}

#[test]
fn filing_records_are_frozen() {
    let version = RecordId::parse("019aa9a1-0000-7000-8000-000000000003").unwrap();
    check(
        "filing_submit",
        &Envelope::wrap(version, t(1, 2, 3, 0), &filing_submission()),
    );
    check(
        "filing_decision",
        &Envelope::wrap(
            RecordId::parse("019aa9a1-0000-7000-8000-000000000004").unwrap(),
            t(5, 6, 7, 0),
            &FilingDecision {
                application: filing_submission().application,
                version,
                decision: Decision::Return {
                    reason: "活动场所请写明门牌号".into(),
                },
            },
        ),
    );
}

#[test]
fn golden_envelopes_open_into_their_bodies() {
    let request: PushRequest =
        serde_json::from_str(include_str!("golden/push_request.json")).unwrap();
    assert_eq!(request.records[0].open::<CheckIn>(), Ok(check_in()));
    assert_eq!(
        request.records[1].open::<CheckOut>().unwrap().check_in,
        check_in_id()
    );
}

fn photo_hash(n: u8) -> PhotoHash {
    PhotoHash::parse(&format!("{:064x}", u64::from(n) * 0x0123_4567_89ab_cdef)).unwrap()
}

#[test]
fn photo_uploads_are_frozen() {
    check(
        "photo_upload_status",
        &UploadStatus {
            hash: photo_hash(1),
            size: Some(412_345),
            received: 196_608,
            complete: false,
        },
    );
    check(
        "photo_upload_status_unknown",
        &UploadStatus {
            hash: photo_hash(2),
            size: None,
            received: 0,
            complete: false,
        },
    );
}

#[test]
fn a_filing_with_photos_is_frozen() {
    let version = RecordId::parse("019aa9a1-0000-7000-8000-000000000005").unwrap();
    let submission = FilingSubmission {
        photos: vec![photo_hash(3), photo_hash(4)],
        ..filing_submission()
    };
    check(
        "filing_submit_photos",
        &Envelope::wrap(version, t(1, 2, 3, 0), &submission),
    );
}
