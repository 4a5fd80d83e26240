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
        pass: None,
        position: None,
        clock_offset_ms: None,
    }
}

fn push_request() -> PushRequest {
    PushRequest {
        records: vec![
            Envelope::wrap(check_in_id(), t(1, 2, 3, 456), &check_in()),
            Envelope::wrap(check_out_id(), t(3, 4, 5, 0), &CheckOut::of(check_in_id())),
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
            district_key: Some(wenming_core::volunteer::DistrictKey::from_secret(&[7; 32])),
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

mod activities {
    use super::*;
    use chrono::NaiveDate;
    use wenming_core::activity::summary::{AreaFigures, Period, ReportStatus};
    use wenming_core::activity::views::{
        ActivityDetail, ActivityFlag, ActivityItem, ActivityList, ActivityStats, AreaSeries,
        AttachedPhoto, DecisionView, NewSummaryPeriod, PeriodStatus, Place, PreReportFeed,
        PreReportFeedItem, PreReportList, PreReportView, ReporterStatus, StatusCounts,
        SummaryDetail, SummaryPeriod, SummaryPeriodList,
    };
    use wenming_core::activity::{
        ActivityReport, ContentArea, MajorKind, PreReport, PreReportDecision, PreReportState,
        Reporter, SummaryReport, Verdict,
    };
    use wenming_core::fixtures;

    fn id(n: u8) -> RecordId {
        RecordId::parse(&format!("019aa9a1-0000-7000-8000-0000000001{n:02x}")).unwrap()
    }

    fn station() -> StationCode {
        StationCode::parse("500156001001").unwrap()
    }

    fn place() -> Place {
        Place {
            station: station(),
            station_name: "复兴社区新时代文明实践站".into(),
            village_name: "复兴社区居民委员会".into(),
            town: DivisionCode::parse("500156001").unwrap(),
            town_name: "凤山街道".into(),
        }
    }

    fn report() -> ActivityReport {
        let mut r = fixtures::activity_report(&station());
        r.major = Some(MajorKind::Performance);
        r.pre_report = Some(id(2));
        r
    }

    fn pre_report() -> PreReport {
        fixtures::pre_report(&station())
    }

    fn refuse() -> Verdict {
        Verdict::Refuse {
            reason: "与镇上元旦活动冲突，请改期".into(),
        }
    }

    fn period() -> SummaryPeriod {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let period = Period {
            from: d(10, 1),
            to: d(12, 31),
            deadline: d(12, 31),
        };
        SummaryPeriod {
            id: id(7),
            name: "2026年第四季度".into(),
            period,
            due_at: period.due_at(),
            created_at: t(1, 0, 0, 0),
        }
    }

    fn photos() -> Vec<AttachedPhoto> {
        report()
            .photos
            .into_iter()
            .enumerate()
            .map(|(i, hash)| AttachedPhoto {
                hash,
                arrived: i == 0,
            })
            .collect()
    }

    fn pre_report_view() -> PreReportView {
        PreReportView {
            id: id(2),
            place: place(),
            pre_report: pre_report(),
            state: PreReportState::Refused,
            decision: Some(DecisionView {
                verdict: refuse(),
                person: "赵立新".into(),
                at: t(5, 0, 0, 0),
            }),
            submitted_by: "李建国".into(),
            submitted_at: t(2, 0, 0, 0),
            updated_at: t(5, 0, 0, 0),
        }
    }

    fn summary() -> SummaryReport {
        fixtures::summary_report(id(7), Reporter::Station { code: station() }, &[report()])
    }

    #[test]
    fn activity_records_are_frozen() {
        check(
            "activity_report",
            &Envelope::wrap(id(1), t(10, 0, 0, 0), &report()),
        );
        check(
            "pre_report",
            &Envelope::wrap(id(2), t(2, 0, 0, 0), &pre_report()),
        );
        check(
            "pre_report_decision",
            &Envelope::wrap(
                id(3),
                t(5, 0, 0, 0),
                &PreReportDecision {
                    pre_report: id(2),
                    verdict: refuse(),
                },
            ),
        );
        check(
            "summary_report",
            &Envelope::wrap(id(4), t(11, 0, 0, 0), &summary()),
        );
    }

    #[test]
    fn golden_activity_records_open_and_pass_their_checks() {
        let e: Envelope =
            serde_json::from_str(include_str!("golden/activity_report.json")).unwrap();
        let r = e.open::<ActivityReport>().unwrap();
        assert_eq!(r, report());
        assert_eq!(r.check(r.ends_at), vec![]);
        let e: Envelope = serde_json::from_str(include_str!("golden/summary_report.json")).unwrap();
        assert_eq!(e.open::<SummaryReport>().unwrap().check(), vec![]);
    }

    #[test]
    fn activity_reads_are_frozen() {
        let item = ActivityItem {
            id: id(1),
            place: place(),
            title: report().title,
            area: report().area,
            campaign: report().campaign,
            major: report().major,
            starts_at: report().starts_at,
            ends_at: report().ends_at,
            participants: report().participants,
            photos: photos(),
            flags: vec![ActivityFlag::PreReportRefused, ActivityFlag::PhotosMissing],
            reported_by: "张秀英".into(),
            received_at: t(10, 0, 1, 0),
        };
        check(
            "activity_list",
            &ActivityList {
                total: 31,
                items: vec![item],
            },
        );
        check(
            "activity_detail",
            &ActivityDetail {
                id: id(1),
                place: place(),
                report: report(),
                photos: photos(),
                pre_report: Some(pre_report_view()),
                flags: vec![ActivityFlag::PreReportRefused, ActivityFlag::PhotosMissing],
                reported_by: "张秀英".into(),
                written_at: t(10, 0, 0, 0),
                received_at: t(10, 0, 1, 0),
            },
        );
        check(
            "activity_stats",
            &ActivityStats {
                months: vec!["2026-10".into(), "2026-11".into()],
                series: ContentArea::ALL
                    .iter()
                    .map(|&area| AreaSeries {
                        area,
                        activities: if area == ContentArea::Culture {
                            vec![2, 1]
                        } else {
                            vec![0, 0]
                        },
                        participants: if area == ContentArea::Culture {
                            vec![120, 85]
                        } else {
                            vec![0, 0]
                        },
                    })
                    .collect(),
                total_activities: 3,
                total_participants: 205,
            },
        );
    }

    #[test]
    fn pre_report_reads_are_frozen() {
        check(
            "pre_report_feed",
            &PreReportFeed {
                pre_reports: vec![PreReportFeedItem {
                    seq: 42,
                    pre_report: pre_report_view(),
                }],
                next_cursor: 42,
                more: false,
                server_time: t(5, 0, 1, 0),
            },
        );
        let mut pending = pre_report_view();
        pending.state = PreReportState::Pending;
        pending.decision = None;
        pending.updated_at = pending.submitted_at;
        check(
            "pre_report_list",
            &PreReportList {
                total: 1,
                items: vec![pending],
            },
        );
    }

    #[test]
    fn summary_reads_are_frozen() {
        let p = period();
        check(
            "new_summary_period",
            &NewSummaryPeriod {
                name: p.name.clone(),
                period: p.period,
            },
        );
        check(
            "summary_periods",
            &SummaryPeriodList {
                periods: vec![p.clone()],
                server_time: t(3, 0, 0, 0),
            },
        );
        let reported = ReporterStatus {
            reporter: Reporter::Station { code: station() },
            name: "复兴社区新时代文明实践站".into(),
            village: DivisionCode::parse("500156001001").unwrap(),
            village_name: "复兴社区居民委员会".into(),
            town: DivisionCode::parse("500156001").unwrap(),
            town_name: "凤山街道".into(),
            status: ReportStatus::Reported,
            report: Some(id(4)),
            reported_at: Some(t(11, 0, 0, 0)),
            reported_by: Some("李建国".into()),
        };
        let late = ReporterStatus {
            reporter: Reporter::Station {
                code: StationCode::parse("500156001002").unwrap(),
            },
            name: "油坊社区新时代文明实践站".into(),
            village: DivisionCode::parse("500156001002").unwrap(),
            village_name: "油坊社区居民委员会".into(),
            status: ReportStatus::Late,
            report: None,
            reported_at: None,
            reported_by: None,
            ..reported.clone()
        };
        let mut counts = StatusCounts::default();
        counts.add(ReportStatus::Reported);
        counts.add(ReportStatus::Late);
        check(
            "summary_status",
            &PeriodStatus {
                period: p.clone(),
                counts,
                reporters: vec![reported, late],
                server_time: t(12, 0, 0, 0),
            },
        );
        let mut recorded = summary().figures;
        recorded.activities += 1;
        recorded.participants += 20;
        recorded.by_area[0] = AreaFigures {
            area: ContentArea::Theory,
            activities: 1,
            participants: 20,
        };
        check(
            "summary_detail",
            &SummaryDetail {
                id: id(4),
                period: p,
                name: "复兴社区新时代文明实践站".into(),
                report: summary(),
                status: ReportStatus::Reported,
                recorded,
                reported_by: "李建国".into(),
                reported_at: t(11, 0, 0, 0),
            },
        );
    }
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

mod volunteers {
    //! The wire of #5: every volunteer record as the phones and station admins push it,
    //! and the reads built on them.

    use super::*;
    use chrono::NaiveDate;
    use wenming_core::filing::people::Gender;
    use wenming_core::volunteer::ledger::{Cause, Entry, IntegrityKind};
    use wenming_core::volunteer::service::{ServiceFlag, VisitState};
    use wenming_core::volunteer::views::*;
    use wenming_core::volunteer::*;

    fn id(n: u32) -> RecordId {
        RecordId::parse(&format!("019aa9a1-0000-7000-8000-{n:012}")).unwrap()
    }

    fn station() -> StationCode {
        StationCode::parse("500156001001").unwrap()
    }

    fn phone() -> Phone {
        Phone::parse("13812345678").unwrap()
    }

    fn registration() -> Registration {
        Registration {
            name: PersonName::parse("王桂兰").unwrap(),
            phone: phone(),
            gender: Gender::Female,
            birth_year: 1962,
            skills: vec!["理发".into(), "测血压".into()],
            organizations: vec!["复兴社区夕阳红志愿服务队".into()],
        }
    }

    fn activity() -> VolunteerActivity {
        VolunteerActivity {
            title: "重阳节探访空巢老人".into(),
            station: station(),
            starts_at: t(1, 0, 0, 0) + chrono::Duration::days(6),
            ends_at: t(4, 0, 0, 0) + chrono::Duration::days(6),
            volunteers_needed: 8,
            skills_wanted: vec!["理发".into()],
            description: "为独居老人理发、测血压".into(),
        }
    }

    fn item() -> ExchangeItem {
        ExchangeItem {
            station: station(),
            name: "洗衣液（2 kg）".into(),
            points: 50,
            stock: 20,
        }
    }

    fn volunteer() -> Volunteer {
        let mut v = Volunteer::new(id(1), &registration());
        v.merge(id(2), &registration());
        v
    }

    #[test]
    fn volunteer_records_are_frozen() {
        let pass = StationPass {
            station: station(),
            not_before: t(0, 0, 0, 0),
            not_after: t(0, 0, 0, 0) + chrono::Duration::days(1),
            key_id: String::new(),
            geofence: Some(Geofence {
                lat_e6: 29_325_146,
                lon_e6: 107_760_331,
                radius_m: 150,
            }),
        }
        .sign(&[7; 32]);
        let check_in = CheckIn {
            pass: Some(pass),
            position: Some(Position {
                lat_e6: 29_325_201,
                lon_e6: 107_760_298,
                accuracy_m: 18,
            }),
            clock_offset_ms: Some(-95_000),
            ..super::check_in()
        };
        let check_out = CheckOut {
            elapsed_ms: Some(5_400_123),
            clock_offset_ms: Some(-95_000),
            ..CheckOut::of(id(3))
        };
        check(
            "volunteer_records",
            &PushRequest {
                records: vec![
                    Envelope::wrap(id(1), t(1, 0, 0, 0), &registration()),
                    Envelope::wrap(id(3), t(1, 2, 3, 0), &check_in),
                    Envelope::wrap(id(4), t(2, 32, 3, 0), &check_out),
                    Envelope::wrap(id(5), t(3, 0, 0, 0), &activity()),
                    Envelope::wrap(
                        id(6),
                        t(3, 1, 0, 0),
                        &Signup {
                            activity: id(5),
                            phone: phone(),
                        },
                    ),
                    Envelope::wrap(
                        id(7),
                        t(3, 2, 0, 0),
                        &NoShow {
                            signup: id(6),
                            reason: "未请假未到岗".into(),
                        },
                    ),
                    Envelope::wrap(
                        id(8),
                        t(3, 3, 0, 0),
                        &HoursApproval {
                            service_record: id(3),
                            minutes: Some(90),
                        },
                    ),
                    Envelope::wrap(
                        id(9),
                        t(3, 4, 0, 0),
                        &HoursRevocation {
                            service_record: id(3),
                            reason: "核实当天未到岗".into(),
                        },
                    ),
                    Envelope::wrap(id(10), t(3, 5, 0, 0), &item()),
                    Envelope::wrap(
                        id(11),
                        t(3, 6, 0, 0),
                        &Exchange {
                            item: id(10),
                            phone: phone(),
                            quantity: 1,
                        },
                    ),
                ],
            },
        );
    }

    #[test]
    fn volunteer_reads_are_frozen() {
        check(
            "registration_list",
            &RegistrationList {
                items: vec![RegistrationOutcome {
                    registration: id(2),
                    volunteer: id(1),
                    merged: true,
                    profile: volunteer(),
                }],
            },
        );
        let record = ServiceRecordView {
            id: id(3),
            volunteer: Some(id(1)),
            volunteer_name: "王桂兰".into(),
            station: station(),
            station_name: "复兴社区新时代文明实践站".into(),
            checked_in_at: t(1, 0, 28, 0),
            checked_out_at: Some(t(2, 30, 28, 0)),
            state: VisitState::Closed,
            minutes: 90,
            flags: vec![ServiceFlag::ClocksDisagree],
            pass_problem: None,
            position: None,
            inside_geofence: Some(true),
            review: Review::Approved {
                by: "刘站长".into(),
                at: t(3, 3, 1, 0),
                minutes: 90,
                points: 15,
            },
        };
        check(
            "pending_hours",
            &PendingHours {
                items: vec![ServiceRecordView {
                    id: id(12),
                    checked_out_at: None,
                    state: VisitState::AutoClosed {
                        auto_closed_at: t(13, 0, 28, 0),
                    },
                    minutes: 0,
                    flags: vec![ServiceFlag::Typed, ServiceFlag::AutoClosed],
                    pass_problem: Some("签到码已过期，请向实践站管理员索取新码".into()),
                    position: Some(Position {
                        lat_e6: 29_325_201,
                        lon_e6: 107_760_298,
                        accuracy_m: 18,
                    }),
                    inside_geofence: None,
                    review: Review::Pending,
                    ..record.clone()
                }],
            },
        );
        let signup = SignupView {
            id: id(6),
            activity: id(5),
            title: activity().title,
            station_name: "复兴社区新时代文明实践站".into(),
            starts_at: activity().starts_at,
            volunteer: id(1),
            status: SignupStatus::Waitlisted { position: 2 },
            no_show: false,
        };
        check(
            "volunteer_account",
            &VolunteerAccount {
                volunteer: volunteer(),
                balance: 0,
                approved_minutes: 90,
                service_records: vec![record],
                ledger: vec![
                    LedgerLine {
                        entry: Entry {
                            id: id(8),
                            points: 15,
                            cause: Cause::Earn {
                                service_record: id(3),
                                minutes: 90,
                            },
                        },
                        at: t(3, 3, 1, 0),
                        balance: 15,
                    },
                    LedgerLine {
                        entry: Entry {
                            id: id(9),
                            points: -15,
                            cause: Cause::Reversal {
                                of: id(8),
                                reason: "核实当天未到岗".into(),
                            },
                        },
                        at: t(3, 4, 1, 0),
                        balance: 0,
                    },
                ],
                integrity: vec![IntegrityRecord {
                    id: id(7),
                    kind: IntegrityKind::NoShow,
                    reason: "未请假未到岗".into(),
                    about: id(6),
                    station: station(),
                    station_name: "复兴社区新时代文明实践站".into(),
                    by: "刘站长".into(),
                    at: t(3, 2, 1, 0),
                }],
                signups: vec![signup.clone()],
            },
        );
        check(
            "signup_list",
            &SignupList {
                items: vec![signup],
            },
        );
        check(
            "activity_signups",
            &ActivitySignupList {
                activity: id(5),
                title: activity().title,
                items: vec![ActivitySignup {
                    id: id(6),
                    volunteer: id(1),
                    volunteer_name: "王桂兰".into(),
                    phone: "138****5678".into(),
                    status: SignupStatus::Accepted,
                    no_show: true,
                }],
            },
        );
        check(
            "volunteer_match",
            &VolunteerMatch {
                id: id(1),
                name: "王桂兰".into(),
            },
        );
        check(
            "volunteer_activity_list",
            &VolunteerActivityList {
                items: vec![VolunteerActivityView {
                    id: id(5),
                    activity: activity(),
                    station_name: "复兴社区新时代文明实践站".into(),
                    accepted: 8,
                    waitlisted: 2,
                }],
            },
        );
        check(
            "exchange_items",
            &ExchangeItemList {
                items: vec![ExchangeItemView {
                    id: id(10),
                    item: item(),
                    station_name: "复兴社区新时代文明实践站".into(),
                }],
            },
        );
        check(
            "certificate",
            &Certificate {
                volunteer: id(1),
                name: "王桂兰".into(),
                gender: Gender::Female,
                birth_year: 1962,
                phone: "138****5678".into(),
                district_name: "武隆区".into(),
                from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
                lines: vec![CertificateLine {
                    date: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
                    station_name: "复兴社区新时代文明实践站".into(),
                    minutes: 90,
                }],
                total_minutes: 90,
                total_hours: "1.5".into(),
                issued_at: t(5, 0, 0, 0),
            },
        );
        check(
            "station_pass",
            &StationPassSheet {
                station: station(),
                station_name: "复兴社区新时代文明实践站".into(),
                pass: "WM1.NTAwMTU2MDAxMDAxfDE3OTU3NDU2MDB8MTc5NTgzMjAwMHxrZWE0YTYxNTA.c2ln".into(),
                not_before: t(0, 0, 0, 0),
                not_after: t(0, 0, 0, 0) + chrono::Duration::days(1),
                key_id: "kea4a6150".into(),
                qr_text: "http://127.0.0.1:8080/?pass=WM1.NTAwMTU2MDAxMDAxfDE3OTU3NDU2MDB8MTc5NTgzMjAwMHxrZWE0YTYxNTA.c2ln".into(),
                qr_svg: "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".into(),
            },
        );
        check(
            "station_geofence",
            &StationGeofence {
                station: station(),
                geofence: Some(Geofence {
                    lat_e6: 29_325_146,
                    lon_e6: 107_760_331,
                    radius_m: 150,
                }),
            },
        );
    }

    #[test]
    fn golden_volunteer_records_open_into_their_bodies() {
        let request: PushRequest =
            serde_json::from_str(include_str!("golden/volunteer_records.json")).unwrap();
        assert_eq!(
            request.records[0].open::<Registration>(),
            Ok(registration())
        );
        let check_in = request.records[1].open::<CheckIn>().unwrap();
        let pass = check_in.pass.unwrap();
        let key = DistrictKey::from_secret(&[7; 32]);
        let verified = StationPass::verify(&pass, &key, t(9, 0, 0, 0)).unwrap();
        assert_eq!(verified.station, station());
        assert_eq!(
            request.records[3].open::<VolunteerActivity>(),
            Ok(activity())
        );
    }

    #[test]
    fn every_kind_has_its_snake_case_wire_name() {
        use wenming_core::protocol::Kind;
        for k in [
            Kind::Registration,
            Kind::VolunteerActivity,
            Kind::Signup,
            Kind::NoShow,
            Kind::HoursApproval,
            Kind::HoursRevocation,
            Kind::ExchangeItem,
            Kind::Exchange,
        ] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }
}
