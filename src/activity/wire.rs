//! Activity records as the app reads them from the district and writes them into
//! envelopes: plain structs with the very JSON of core's types. Core's `Organizer` and
//! `Verdict` are internally tagged enums and its views flatten a `Place`, which serde
//! decodes through a buffer of every value, and its times go through chrono's general
//! parser and formatter; both cost the download several kB. These read and write the same
//! JSON without either, and the tests hold them to core.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use wenming_core::activity::{
    ActivityReport, Campaign, ContentArea, GroupServed, MajorKind, Organizer, PreReport,
    PreReportState, ServedVolunteer,
};
use wenming_core::photo::PhotoHash;
use wenming_core::{RecordId, StationCode};

use crate::filing::wire::date;
use crate::time::rfc3339;

/// An organizer as core writes it: `{"type":"organization","id":…,"name":…}` or
/// `{"type":"group","name":…}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainOrganizer {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainContact {
    pub name: String,
    pub phone: String,
}

/// Core's `PreReport`, read.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainPreReport {
    pub station: String,
    pub kind: MajorKind,
    pub title: String,
    pub organizers: Vec<PlainOrganizer>,
    #[serde(with = "rfc3339")]
    pub starts_at: DateTime<Utc>,
    #[serde(with = "rfc3339")]
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub expected_attendance: u32,
    pub safety_measures: String,
    pub contact: PlainContact,
}

/// Core's `Verdict`: `{"type":"approve"}` or `{"type":"refuse","reason":…}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainVerdict {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub reason: Option<String>,
}

impl PlainVerdict {
    pub fn approved(&self) -> bool {
        self.kind == "approve"
    }

    pub fn name_zh(&self) -> &'static str {
        if self.approved() {
            "同意"
        } else {
            "不同意"
        }
    }
}

/// Core's `DecisionView`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainDecisionView {
    pub verdict: PlainVerdict,
    pub person: String,
    #[serde(with = "rfc3339")]
    pub at: DateTime<Utc>,
}

/// Core's `PreReportView`, with its `Place` flattened as on the wire. Kept in IndexedDB as
/// the district sent it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PreView {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub id: RecordId,
    pub station: String,
    pub station_name: String,
    pub village_name: String,
    pub town_name: String,
    pub pre_report: PlainPreReport,
    pub state: PreReportState,
    #[serde(default)]
    pub decision: Option<PlainDecisionView>,
    pub submitted_by: String,
    #[serde(with = "rfc3339")]
    pub submitted_at: DateTime<Utc>,
}

/// Core's `PhotoRef`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainPhoto {
    pub hash: String,
    pub arrived: bool,
}

/// One line of `GET /activities` (core's `ActivityItem`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainItem {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub id: RecordId,
    pub station_name: String,
    pub village_name: String,
    pub town_name: String,
    pub title: String,
    pub area: ContentArea,
    #[serde(default)]
    pub campaign: Option<Campaign>,
    #[serde(default)]
    pub major: Option<MajorKind>,
    #[serde(with = "rfc3339")]
    pub starts_at: DateTime<Utc>,
    pub participants: u32,
    pub photos: Vec<PlainPhoto>,
    pub flags: Vec<Flag>,
    pub reported_by: String,
}

/// Core's `ActivityFlag`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    NoPreReport,
    PreReportPending,
    PreReportRefused,
    PhotosMissing,
}

impl Flag {
    /// As core's `ActivityFlag::name_zh`.
    pub fn name_zh(self) -> &'static str {
        match self {
            Flag::NoPreReport => "重大活动未事先报告",
            Flag::PreReportPending => "事先报告尚未获同意",
            Flag::PreReportRefused => "事先报告未获同意",
            Flag::PhotosMissing => "照片尚未全部上传",
        }
    }
}

/// `GET /activities` (core's `ActivityList`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainList {
    pub total: u64,
    pub items: Vec<PlainItem>,
}

/// A served volunteer as core writes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainVolunteer {
    pub name: String,
    pub minutes: u32,
}

/// Core's `ActivityReport`, read for the detail view.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainReport {
    pub organizers: Vec<PlainOrganizer>,
    pub title: String,
    pub area: ContentArea,
    #[serde(with = "rfc3339")]
    pub starts_at: DateTime<Utc>,
    #[serde(with = "rfc3339")]
    pub ends_at: DateTime<Utc>,
    pub place: String,
    #[serde(default)]
    pub groups: Vec<GroupServed>,
    #[serde(default)]
    pub volunteers: Vec<PlainVolunteer>,
    pub summary: String,
    pub results: String,
}

/// `GET /activities/{id}` (core's `ActivityDetail`), what the detail view shows.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainDetail {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub id: RecordId,
    pub station_name: String,
    pub village_name: String,
    pub town_name: String,
    pub report: PlainReport,
    pub photos: Vec<PlainPhoto>,
    #[serde(default)]
    pub pre_report: Option<PreView>,
    pub flags: Vec<Flag>,
    pub reported_by: String,
    #[serde(with = "rfc3339")]
    pub received_at: DateTime<Utc>,
}

/// `GET /activities/stats` (core's `ActivityStats`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainStats {
    pub months: Vec<String>,
    pub series: Vec<PlainSeries>,
    pub total_activities: u64,
    pub total_participants: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainSeries {
    pub area: ContentArea,
    pub activities: Vec<u64>,
    pub participants: Vec<u64>,
}

/// Core's `SummaryPeriod`, its `Period` flattened.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainPeriod {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub id: RecordId,
    pub name: String,
    #[serde(with = "date")]
    pub from: NaiveDate,
    #[serde(with = "date")]
    pub to: NaiveDate,
    #[serde(with = "date")]
    pub deadline: NaiveDate,
    #[serde(with = "rfc3339")]
    pub due_at: DateTime<Utc>,
}

impl PlainPeriod {
    pub fn period(&self) -> wenming_core::activity::summary::Period {
        wenming_core::activity::summary::Period {
            from: self.from,
            to: self.to,
            deadline: self.deadline,
        }
    }
}

/// `GET /summary-periods`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainPeriods {
    pub periods: Vec<PlainPeriod>,
    #[serde(with = "rfc3339")]
    pub server_time: DateTime<Utc>,
}

/// `POST /summary-periods` (core's `NewSummaryPeriod`, its `Period` flattened).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewPeriod {
    pub name: String,
    #[serde(with = "date")]
    pub from: NaiveDate,
    #[serde(with = "date")]
    pub to: NaiveDate,
    #[serde(with = "date")]
    pub deadline: NaiveDate,
}

/// Core's `ReportStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Reported,
    ReportedLate,
    NotYet,
    Late,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Reported => "reported",
            Status::ReportedLate => "reported_late",
            Status::NotYet => "not_yet",
            Status::Late => "late",
        }
    }

    /// As core's `ReportStatus::name_zh`.
    pub fn name_zh(self) -> &'static str {
        match self {
            Status::Reported => "已报送",
            Status::ReportedLate => "逾期报送",
            Status::NotYet => "未报送",
            Status::Late => "逾期未报",
        }
    }
}

/// Core's `StatusCounts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct PlainCounts {
    pub reported: u32,
    pub reported_late: u32,
    pub not_yet: u32,
    pub late: u32,
}

/// Core's `ReporterStatus`, what the status table shows.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainReporter {
    pub name: String,
    pub village_name: String,
    pub town_name: String,
    pub status: Status,
    #[serde(default, with = "rfc3339::option")]
    pub reported_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub reported_by: Option<String>,
}

/// `GET /summary-periods/{id}/status` (core's `PeriodStatus`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlainStatus {
    pub counts: PlainCounts,
    pub reporters: Vec<PlainReporter>,
}

/// Core's `ActivityReport` field by field, its times written by `time::rfc3339`.
#[derive(Serialize)]
pub(crate) struct ReportWire<'a> {
    station: &'a StationCode,
    organizers: &'a [Organizer],
    title: &'a str,
    area: ContentArea,
    #[serde(skip_serializing_if = "Option::is_none")]
    campaign: Option<Campaign>,
    #[serde(skip_serializing_if = "Option::is_none")]
    major: Option<MajorKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pre_report: Option<RecordId>,
    #[serde(with = "rfc3339")]
    starts_at: DateTime<Utc>,
    #[serde(with = "rfc3339")]
    ends_at: DateTime<Utc>,
    place: &'a str,
    participants: u32,
    groups: &'a [GroupServed],
    volunteers: &'a [ServedVolunteer],
    summary: &'a str,
    results: &'a str,
    photos: &'a [PhotoHash],
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<wenming_core::activity::GeoPoint>,
}

impl<'a> ReportWire<'a> {
    pub(crate) fn of(r: &'a ActivityReport) -> Self {
        ReportWire {
            station: &r.station,
            organizers: &r.organizers,
            title: &r.title,
            area: r.area,
            campaign: r.campaign,
            major: r.major,
            pre_report: r.pre_report,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            place: &r.place,
            participants: r.participants,
            groups: &r.groups,
            volunteers: &r.volunteers,
            summary: &r.summary,
            results: &r.results,
            photos: &r.photos,
            position: r.position,
        }
    }
}

/// Core's `PreReport` field by field, its times written by `time::rfc3339`.
#[derive(Serialize)]
pub(crate) struct PreReportWire<'a> {
    station: &'a StationCode,
    kind: MajorKind,
    title: &'a str,
    organizers: &'a [Organizer],
    #[serde(with = "rfc3339")]
    starts_at: DateTime<Utc>,
    #[serde(with = "rfc3339")]
    ends_at: DateTime<Utc>,
    place: &'a str,
    expected_attendance: u32,
    safety_measures: &'a str,
    contact: &'a wenming_core::activity::Contact,
}

impl<'a> PreReportWire<'a> {
    pub(crate) fn of(p: &'a PreReport) -> Self {
        PreReportWire {
            station: &p.station,
            kind: p.kind,
            title: &p.title,
            organizers: &p.organizers,
            starts_at: p.starts_at,
            ends_at: p.ends_at,
            place: &p.place,
            expected_attendance: p.expected_attendance,
            safety_measures: &p.safety_measures,
            contact: &p.contact,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use wasm_bindgen_test::*;
    use wenming_core::activity::views::{PreReportView, SummaryPeriodList};
    use wenming_core::activity::{Contact, GeoPoint, PreReport};
    use wenming_core::{PersonName, Phone};

    use super::*;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, h, 30, 0).unwrap()
    }

    fn station() -> StationCode {
        StationCode::parse("500156001001").unwrap()
    }

    fn pre_report() -> PreReport {
        PreReport {
            station: station(),
            kind: MajorKind::Performance,
            title: "重阳文艺汇演".into(),
            organizers: vec![
                Organizer::Group {
                    name: "复兴社区居委会".into(),
                },
                Organizer::Organization {
                    id: RecordId::new(7, [3; 10]),
                    name: "夕阳红舞蹈队".into(),
                },
            ],
            starts_at: t(1),
            ends_at: t(4),
            place: "复兴社区广场".into(),
            expected_attendance: 300,
            safety_measures: "设安全员 6 名".into(),
            contact: Contact {
                name: PersonName::parse("李建国").unwrap(),
                phone: Phone::parse("13812345678").unwrap(),
            },
        }
    }

    #[wasm_bindgen_test]
    fn envelopes_are_written_byte_for_byte_as_core_writes_them() {
        let p = pre_report();
        assert_eq!(
            serde_json::to_string(&PreReportWire::of(&p)).unwrap(),
            serde_json::to_string(&p).unwrap()
        );
        let mut r = ActivityReport {
            station: station(),
            organizers: p.organizers.clone(),
            title: "重阳文艺汇演".into(),
            area: ContentArea::Culture,
            campaign: Some(Campaign::Culture),
            major: Some(MajorKind::Performance),
            pre_report: Some(RecordId::new(9, [4; 10])),
            starts_at: t(1),
            ends_at: t(4),
            place: "广场".into(),
            participants: 280,
            groups: vec![GroupServed::Elderly, GroupServed::LeftBehind],
            volunteers: vec![ServedVolunteer {
                name: PersonName::parse("王桂兰").unwrap(),
                check_in: Some(RecordId::new(5, [2; 10])),
                minutes: 180,
            }],
            summary: "演出 12 个节目".into(),
            results: "群众满意".into(),
            photos: vec![PhotoHash::parse(&"a".repeat(64)).unwrap()],
            position: Some(GeoPoint {
                lat: 29.325,
                lon: 107.76,
                accuracy_m: 15.5,
            }),
        };
        for _ in 0..2 {
            assert_eq!(
                serde_json::to_string(&ReportWire::of(&r)).unwrap(),
                serde_json::to_string(&r).unwrap()
            );
            r.campaign = None;
            r.major = None;
            r.pre_report = None;
            r.position = None;
            r.ends_at += chrono::Duration::milliseconds(250);
        }
    }

    #[wasm_bindgen_test]
    fn a_pre_report_view_reads_as_core_writes_it() {
        let view = PreReportView {
            id: RecordId::new(11, [6; 10]),
            place: wenming_core::activity::views::Place {
                station: station(),
                station_name: "复兴社区新时代文明实践站".into(),
                village_name: "复兴社区".into(),
                town: wenming_core::DivisionCode::parse("500156001").unwrap(),
                town_name: "凤山街道".into(),
            },
            pre_report: pre_report(),
            state: PreReportState::Refused,
            decision: Some(wenming_core::activity::views::DecisionView {
                verdict: wenming_core::activity::Verdict::Refuse {
                    reason: "场地太小".into(),
                },
                person: "赵立新".into(),
                at: t(2),
            }),
            submitted_by: "李建国".into(),
            submitted_at: t(0),
            updated_at: t(2),
        };
        let json = serde_json::to_string(&view).unwrap();
        let plain: PreView = crate::decode::from_json(&json).unwrap();
        assert_eq!(plain.id, view.id);
        assert_eq!(plain.town_name, "凤山街道");
        assert_eq!(plain.state, PreReportState::Refused);
        assert_eq!(plain.pre_report.starts_at, t(1));
        assert_eq!(plain.pre_report.organizers[1].name, "夕阳红舞蹈队");
        assert_eq!(plain.pre_report.organizers[1].kind, "organization");
        let d = plain.decision.unwrap();
        assert_eq!(d.verdict.reason.as_deref(), Some("场地太小"));
        assert_eq!(d.verdict.name_zh(), "不同意");
        assert_eq!(d.at, t(2));
    }

    #[wasm_bindgen_test]
    fn periods_read_as_core_writes_them() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let period = wenming_core::activity::summary::Period {
            from: d(10, 1),
            to: d(12, 31),
            deadline: d(12, 31),
        };
        let list = SummaryPeriodList {
            periods: vec![wenming_core::activity::views::SummaryPeriod {
                id: RecordId::new(3, [1; 10]),
                name: "第四季度".into(),
                period,
                due_at: period.due_at(),
                created_at: t(0),
            }],
            server_time: t(1),
        };
        let json = serde_json::to_string(&list).unwrap();
        let plain: PlainPeriods = crate::decode::from_json(&json).unwrap();
        assert_eq!(plain.periods[0].period(), period);
        assert_eq!(plain.periods[0].due_at, period.due_at());
        let new = NewPeriod {
            name: "第四季度".into(),
            from: d(10, 1),
            to: d(12, 31),
            deadline: d(12, 31),
        };
        let core = wenming_core::activity::views::NewSummaryPeriod {
            name: "第四季度".into(),
            period,
        };
        assert_eq!(
            serde_json::to_string(&new).unwrap(),
            serde_json::to_string(&core).unwrap()
        );
    }
}
