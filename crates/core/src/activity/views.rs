//! What the district answers about activities, pre-reports and summaries: the list, detail
//! and chart figures of activity reports, the pre-report feed and list (the street/town's
//! answer reaches the phone through the feed), summary periods and who has reported.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::pre_report::{PreReport, PreReportState, Verdict};
use super::summary::{Period, ReportStatus, Reporter, SummaryFigures, SummaryReport};
use super::{ActivityReport, Campaign, ContentArea, MajorKind};
use crate::division::{DivisionCode, StationCode};
use crate::protocol::RecordId;

/// A photo a report names, and whether its bytes have reached the district yet: the
/// same shape as a filing's photos.
pub use crate::photo::AttachedPhoto;

/// What a reviewer should look at twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityFlag {
    /// A major-kind activity linked to no pre-report.
    NoPreReport,
    /// Its pre-report has had no answer yet.
    PreReportPending,
    /// Its pre-report was answered 不同意.
    PreReportRefused,
    /// Some photos have not been uploaded yet.
    PhotosMissing,
}

impl ActivityFlag {
    pub fn name_zh(self) -> &'static str {
        match self {
            ActivityFlag::NoPreReport => "重大活动未事先报告",
            ActivityFlag::PreReportPending => "事先报告尚未获同意",
            ActivityFlag::PreReportRefused => "事先报告未获同意",
            ActivityFlag::PhotosMissing => "照片尚未全部上传",
        }
    }

    /// The flags of an activity: `major` as reported, the state of the pre-report it links
    /// to (`None` when it links to none), and its photos.
    pub fn of(
        major: Option<MajorKind>,
        pre_report: Option<PreReportState>,
        photos: &[AttachedPhoto],
    ) -> Vec<ActivityFlag> {
        let mut flags = Vec::new();
        if major.is_some() {
            match pre_report {
                None => flags.push(ActivityFlag::NoPreReport),
                Some(PreReportState::Pending) => flags.push(ActivityFlag::PreReportPending),
                Some(PreReportState::Refused) => flags.push(ActivityFlag::PreReportRefused),
                Some(PreReportState::Approved) => {}
            }
        }
        if photos.iter().any(|p| !p.arrived) {
            flags.push(ActivityFlag::PhotosMissing);
        }
        flags
    }
}

/// Where a station lies, with the names a list shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub station: StationCode,
    pub station_name: String,
    pub village_name: String,
    pub town: DivisionCode,
    pub town_name: String,
}

/// One line of `GET /api/v1/activities`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityItem {
    pub id: RecordId,
    #[serde(flatten)]
    pub place: Place,
    pub title: String,
    pub area: ContentArea,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<Campaign>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub major: Option<MajorKind>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub participants: u32,
    pub photos: Vec<AttachedPhoto>,
    pub flags: Vec<ActivityFlag>,
    /// Who sent the report (the device's person).
    pub reported_by: String,
    pub received_at: DateTime<Utc>,
}

/// `GET /api/v1/activities?town=&village=&station=&area=&from=&to=&limit=&offset=`:
/// newest activity first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityList {
    /// All matching activities, not only this page's.
    pub total: u64,
    pub items: Vec<ActivityItem>,
}

/// `GET /api/v1/activities/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityDetail {
    pub id: RecordId,
    #[serde(flatten)]
    pub place: Place,
    pub report: ActivityReport,
    /// The report's photos in its order, each with whether it has arrived.
    pub photos: Vec<AttachedPhoto>,
    /// The pre-report the activity links to, with its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_report: Option<PreReportView>,
    pub flags: Vec<ActivityFlag>,
    pub reported_by: String,
    /// The phone's clock when the report was written.
    pub written_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
}

/// `GET /api/v1/activities/stats?…filters`: activities by content area and month, for a
/// chart. `months` are Beijing months ("2026-11"), contiguous; each series has one value
/// per month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityStats {
    pub months: Vec<String>,
    /// One per content area, in the order of `ContentArea::ALL`, zeros included.
    pub series: Vec<AreaSeries>,
    pub total_activities: u64,
    pub total_participants: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaSeries {
    pub area: ContentArea,
    pub activities: Vec<u64>,
    pub participants: Vec<u64>,
}

/// Activities of one content area in one Beijing month, as a store counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthCount {
    /// (year, month 1–12).
    pub month: (i32, u32),
    pub area: ContentArea,
    pub activities: u64,
    pub participants: u64,
}

impl ActivityStats {
    /// The most months a chart shows; a longer range keeps its latest months.
    pub const MAX_MONTHS: usize = 120;

    /// The chart's series from counts, over every month from `from` (or the first month
    /// with an activity) to `to` (or the last), zeros included, so that the x axis has no
    /// gaps.
    pub fn from_counts(
        counts: &[MonthCount],
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Self {
        let month_of = |d: NaiveDate| (d.year(), d.month());
        let first = from
            .map(month_of)
            .or_else(|| counts.iter().map(|c| c.month).min());
        let last = to
            .map(month_of)
            .or_else(|| counts.iter().map(|c| c.month).max());
        let mut months = Vec::new();
        if let (Some(mut m), Some(last)) = (first, last) {
            while m <= last {
                months.push(m);
                m = if m.1 == 12 {
                    (m.0 + 1, 1)
                } else {
                    (m.0, m.1 + 1)
                };
            }
        }
        if months.len() > Self::MAX_MONTHS {
            months.drain(..months.len() - Self::MAX_MONTHS);
        }
        let mut series: Vec<AreaSeries> = ContentArea::ALL
            .iter()
            .map(|&area| AreaSeries {
                area,
                activities: vec![0; months.len()],
                participants: vec![0; months.len()],
            })
            .collect();
        let (mut total_activities, mut total_participants) = (0, 0);
        for c in counts {
            let (Ok(i), Some(s)) = (
                months.binary_search(&c.month),
                series.iter_mut().find(|s| s.area == c.area),
            ) else {
                continue;
            };
            s.activities[i] += c.activities;
            s.participants[i] += c.participants;
            total_activities += c.activities;
            total_participants += c.participants;
        }
        ActivityStats {
            months: months
                .into_iter()
                .map(|(y, m)| format!("{y:04}-{m:02}"))
                .collect(),
            series,
            total_activities,
            total_participants,
        }
    }
}

/// The street/town's answer to a pre-report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    pub verdict: Verdict,
    pub person: String,
    pub at: DateTime<Utc>,
}

/// A pre-report as the server holds it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreReportView {
    pub id: RecordId,
    #[serde(flatten)]
    pub place: Place,
    pub pre_report: PreReport,
    pub state: PreReportState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionView>,
    pub submitted_by: String,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `GET /api/v1/pre-reports/feed?cursor=N&limit=M`: pre-reports of the device's scope
/// submitted or answered after the cursor, each once in its latest form. This is how an
/// answer reaches the phone that asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreReportFeed {
    pub pre_reports: Vec<PreReportFeedItem>,
    pub next_cursor: u64,
    pub more: bool,
    pub server_time: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreReportFeedItem {
    pub seq: u64,
    pub pre_report: PreReportView,
}

/// `GET /api/v1/pre-reports?state=&station=&limit=&offset=`: soonest activity first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreReportList {
    pub total: u64,
    pub items: Vec<PreReportView>,
}

/// `POST /api/v1/summary-periods` (district admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSummaryPeriod {
    pub name: String,
    #[serde(flatten)]
    pub period: Period,
}

impl NewSummaryPeriod {
    pub const MAX_NAME_CHARS: usize = 50;

    /// Why the period cannot be created, in Chinese; `None` when it is fine.
    pub fn check(&self) -> Option<String> {
        let len = self.name.trim().chars().count();
        if len == 0 {
            return Some("请填写统计期名称".into());
        }
        if len > Self::MAX_NAME_CHARS {
            return Some(format!("统计期名称不能超过 {} 个字", Self::MAX_NAME_CHARS));
        }
        self.period.check().map(str::to_owned)
    }
}

/// A summary period as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryPeriod {
    pub id: RecordId,
    pub name: String,
    #[serde(flatten)]
    pub period: Period,
    /// The first late moment (midnight after the deadline, Beijing time).
    pub due_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// `GET /api/v1/summary-periods`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryPeriodList {
    pub periods: Vec<SummaryPeriod>,
    pub server_time: DateTime<Utc>,
}

/// `GET /api/v1/summary-periods/{id}/status`: every station of the scope, and every
/// organization of the scope that reported, with where it stands by the server's clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodStatus {
    pub period: SummaryPeriod,
    pub counts: StatusCounts,
    pub reporters: Vec<ReporterStatus>,
    pub server_time: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub reported: u32,
    pub reported_late: u32,
    pub not_yet: u32,
    pub late: u32,
}

impl StatusCounts {
    pub fn add(&mut self, s: ReportStatus) {
        match s {
            ReportStatus::Reported => self.reported += 1,
            ReportStatus::ReportedLate => self.reported_late += 1,
            ReportStatus::NotYet => self.not_yet += 1,
            ReportStatus::Late => self.late += 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReporterStatus {
    pub reporter: Reporter,
    /// The station's or the organization's name.
    pub name: String,
    pub village: DivisionCode,
    pub village_name: String,
    pub town: DivisionCode,
    pub town_name: String,
    pub status: ReportStatus,
    /// The `summary_report` record, once reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<RecordId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_by: Option<String>,
}

/// `GET /api/v1/summary-reports/{id}`: a summary as reported, with the figures the
/// district's own records give for the same reporter and period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryDetail {
    pub id: RecordId,
    pub period: SummaryPeriod,
    pub name: String,
    pub report: SummaryReport,
    pub status: ReportStatus,
    /// Computed by the server from the activity reports it holds.
    pub recorded: SummaryFigures,
    pub reported_by: String,
    pub reported_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(arrived: bool) -> AttachedPhoto {
        AttachedPhoto {
            hash: crate::fixtures::photo(1),
            arrived,
        }
    }

    #[test]
    fn a_major_activity_is_flagged_unless_its_pre_report_was_approved() {
        let major = Some(MajorKind::Performance);
        let ok = [photo(true)];
        assert_eq!(
            ActivityFlag::of(major, None, &ok),
            [ActivityFlag::NoPreReport]
        );
        assert_eq!(
            ActivityFlag::of(major, Some(PreReportState::Pending), &ok),
            [ActivityFlag::PreReportPending]
        );
        assert_eq!(
            ActivityFlag::of(major, Some(PreReportState::Refused), &ok),
            [ActivityFlag::PreReportRefused]
        );
        assert_eq!(
            ActivityFlag::of(major, Some(PreReportState::Approved), &ok),
            []
        );
        assert_eq!(ActivityFlag::of(None, None, &ok), []);
    }

    #[test]
    fn photos_not_yet_arrived_are_flagged() {
        let flags = ActivityFlag::of(None, None, &[photo(true), photo(false)]);
        assert_eq!(flags, [ActivityFlag::PhotosMissing]);
        assert_eq!(flags[0].name_zh(), "照片尚未全部上传");
    }

    #[test]
    fn the_chart_has_every_month_of_the_range_and_a_series_per_area() {
        let count = |month, area, activities| MonthCount {
            month,
            area,
            activities,
            participants: activities * 10,
        };
        let counts = [
            count((2026, 11), ContentArea::Culture, 2),
            count((2027, 1), ContentArea::Services, 1),
            count((2026, 11), ContentArea::Services, 3),
        ];
        let stats = ActivityStats::from_counts(&counts, None, None);
        assert_eq!(stats.months, ["2026-11", "2026-12", "2027-01"]);
        assert_eq!(stats.series.len(), 6);
        assert_eq!(stats.series[2].activities, [2, 0, 0]);
        assert_eq!(stats.series[3].activities, [3, 0, 1]);
        assert_eq!(stats.series[3].participants, [30, 0, 10]);
        assert_eq!((stats.total_activities, stats.total_participants), (6, 60));
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        let narrowed = ActivityStats::from_counts(&counts, d(2026, 10, 5), d(2026, 12, 1));
        assert_eq!(narrowed.months, ["2026-10", "2026-11", "2026-12"]);
        assert_eq!(narrowed.total_activities, 5);
        let empty = ActivityStats::from_counts(&[], None, None);
        assert!(empty.months.is_empty() && empty.series.iter().all(|s| s.activities.is_empty()));
        let long = ActivityStats::from_counts(&counts, d(1900, 1, 1), d(2027, 1, 1));
        assert_eq!(long.months.len(), ActivityStats::MAX_MONTHS);
        assert_eq!(long.months.last().map(String::as_str), Some("2027-01"));
    }

    #[test]
    fn a_new_period_needs_a_name_and_sane_dates() {
        let d = |m, day| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let mut p = NewSummaryPeriod {
            name: "2026年第四季度".into(),
            period: Period {
                from: d(10, 1),
                to: d(12, 31),
                deadline: d(12, 31),
            },
        };
        assert_eq!(p.check(), None);
        p.name = " ".into();
        assert_eq!(p.check().as_deref(), Some("请填写统计期名称"));
    }
}
