//! The summary report (总结报告, seed 001 三、四): for a period the district sets, a station
//! or an organization reports its figures and four sections — 开展情况, 进展成效, 存在问题,
//! 意见建议 — by a deadline. The figures come from the activity reports of the period,
//! computed here, so the phone pre-fills them and the server compares them.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::{beijing_date, ActivityReport, ContentArea, Problems};
use crate::division::StationCode;
use crate::filing::form::FieldError;
use crate::protocol::{Kind, RecordBody, RecordId};

/// Who reports: a station, or a filed organization.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reporter {
    Station { code: StationCode },
    Organization { id: RecordId },
}

/// A reporting period and its deadline, as the district sets them. Dates are Beijing dates;
/// the period includes both ends, and the deadline day is still on time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub deadline: NaiveDate,
}

impl Period {
    /// Why a period cannot be set, in Chinese; `None` when it is fine.
    pub fn check(&self) -> Option<&'static str> {
        if self.to < self.from {
            Some("统计期的结束日期不能早于开始日期")
        } else if self.deadline < self.to {
            Some("报送截止日期不能早于统计期的结束日期")
        } else {
            None
        }
    }

    /// Whether an activity starting at `t` belongs to the period (by its Beijing date).
    pub fn covers(&self, t: DateTime<Utc>) -> bool {
        (self.from..=self.to).contains(&beijing_date(t))
    }

    /// The first moment that is late: midnight after the deadline day, Beijing time.
    pub fn due_at(&self) -> DateTime<Utc> {
        let next = self.deadline.succ_opt().unwrap_or(self.deadline);
        next.and_time(NaiveTime::MIN).and_utc() - Duration::hours(8)
    }

    /// Where a reporter stands at `now`, given when it reported, if it did.
    pub fn status(&self, reported_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> ReportStatus {
        let due = self.due_at();
        match reported_at {
            Some(at) if at < due => ReportStatus::Reported,
            Some(_) => ReportStatus::ReportedLate,
            None if now < due => ReportStatus::NotYet,
            None => ReportStatus::Late,
        }
    }
}

/// Where a reporter stands in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// 已报送.
    Reported,
    /// 逾期报送.
    ReportedLate,
    /// 未报送, the deadline not yet passed.
    NotYet,
    /// 逾期未报.
    Late,
}

impl ReportStatus {
    pub fn name_zh(self) -> &'static str {
        match self {
            ReportStatus::Reported => "已报送",
            ReportStatus::ReportedLate => "逾期报送",
            ReportStatus::NotYet => "未报送",
            ReportStatus::Late => "逾期未报",
        }
    }
}

/// The figures of a period: counts by content area, participants, volunteer time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryFigures {
    pub activities: u32,
    pub participants: u64,
    /// Minutes all volunteers served (the summary shows hours; minutes keep it exact).
    pub volunteer_minutes: u64,
    /// One entry per content area, in the order of [`ContentArea::ALL`], zeros included.
    pub by_area: Vec<AreaFigures>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaFigures {
    pub area: ContentArea,
    pub activities: u32,
    pub participants: u64,
}

impl SummaryFigures {
    pub fn zero() -> Self {
        SummaryFigures {
            activities: 0,
            participants: 0,
            volunteer_minutes: 0,
            by_area: ContentArea::ALL
                .iter()
                .map(|&area| AreaFigures {
                    area,
                    activities: 0,
                    participants: 0,
                })
                .collect(),
        }
    }

    /// The figures of `reporter` in `period` from a set of activity reports: those held at
    /// its station, or naming it among the organizers, that start within the period.
    pub fn compute<'a>(
        reporter: &Reporter,
        period: &Period,
        reports: impl IntoIterator<Item = &'a ActivityReport>,
    ) -> Self {
        let mut f = SummaryFigures::zero();
        let theirs = |r: &ActivityReport| match reporter {
            Reporter::Station { code } => r.station == *code,
            Reporter::Organization { id } => r.organizations().any(|o| o == *id),
        };
        for r in reports
            .into_iter()
            .filter(|r| theirs(r) && period.covers(r.starts_at))
        {
            f.activities += 1;
            f.participants += u64::from(r.participants);
            f.volunteer_minutes += r.volunteer_minutes();
            if let Some(a) = f.by_area.iter_mut().find(|a| a.area == r.area) {
                a.activities += 1;
                a.participants += u64::from(r.participants);
            }
        }
        f
    }

    /// Volunteer hours to one decimal, as the report prints them.
    pub fn volunteer_hours(&self) -> String {
        let tenths = (self.volunteer_minutes * 10 + 30) / 60;
        format!("{}.{}", tenths / 10, tenths % 10)
    }

    fn check(&self, p: &mut Problems) {
        let areas: Vec<_> = self.by_area.iter().map(|a| a.area).collect();
        if areas != ContentArea::ALL {
            p.fail("figures", "分领域统计应按六个领域各列一项");
            return;
        }
        let activities: u32 = self.by_area.iter().map(|a| a.activities).sum();
        let participants: u64 = self.by_area.iter().map(|a| a.participants).sum();
        if activities != self.activities || participants != self.participants {
            p.fail("figures", "分领域统计之和与活动总数或参与人次不符");
        }
    }
}

/// `summary_report`: a station's or an organization's report for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryReport {
    /// The summary period, as the district created it.
    pub period: RecordId,
    pub reporter: Reporter,
    pub figures: SummaryFigures,
    /// 开展情况.
    pub work: String,
    /// 进展成效.
    pub progress: String,
    /// 存在问题.
    pub problems: String,
    /// 意见建议.
    pub suggestions: String,
}

impl RecordBody for SummaryReport {
    const KIND: Kind = Kind::SummaryReport;
    const SCHEMA_VERSION: u16 = 1;
}

impl SummaryReport {
    pub const MAX_SECTION_CHARS: usize = 3_000;

    pub fn check(&self) -> Vec<FieldError> {
        let mut p = Problems::default();
        self.figures.check(&mut p);
        for (field, value, what) in [
            ("work", &self.work, "开展情况"),
            ("progress", &self.progress, "进展成效"),
            ("problems", &self.problems, "存在问题"),
            ("suggestions", &self.suggestions, "意见建议"),
        ] {
            p.text(field, value, what, Self::MAX_SECTION_CHARS);
        }
        p.done()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::joined;
    use crate::fixtures;
    use chrono::TimeZone;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn period() -> Period {
        Period {
            from: day(10, 1),
            to: day(11, 25),
            deadline: day(11, 30),
        }
    }

    fn station() -> StationCode {
        StationCode::parse(fixtures::FUXING).unwrap()
    }

    #[test]
    fn figures_count_the_reporters_activities_within_the_period_by_area() {
        let mut a = fixtures::activity_report(&station());
        a.participants = 30;
        let mut b = a.clone();
        b.area = ContentArea::Governance;
        b.participants = 12;
        b.volunteers.truncate(1);
        let mut elsewhere = a.clone();
        elsewhere.station = StationCode::parse("500156001002").unwrap();
        let mut too_late = a.clone();
        // 26 November 00:30 in Beijing: outside a period ending on the 25th.
        too_late.starts_at = Utc.with_ymd_and_hms(2026, 11, 25, 16, 30, 0).unwrap();
        let reports = [a.clone(), b, elsewhere, too_late];
        let f =
            SummaryFigures::compute(&Reporter::Station { code: station() }, &period(), &reports);
        assert_eq!((f.activities, f.participants), (2, 42));
        assert_eq!(f.volunteer_minutes, 270 + 150);
        let culture = &f.by_area[ContentArea::ALL.iter().position(|x| *x == a.area).unwrap()];
        assert_eq!((culture.activities, culture.participants), (1, 30));
        assert_eq!(f.by_area[4].area, ContentArea::Governance);
        assert_eq!(
            (f.by_area[4].activities, f.by_area[4].participants),
            (1, 12)
        );

        let org = a.organizations().next().unwrap();
        let by_org =
            SummaryFigures::compute(&Reporter::Organization { id: org }, &period(), &reports);
        assert_eq!(by_org.activities, 3, "the organization's, at any station");
    }

    #[test]
    fn volunteer_hours_read_to_one_decimal() {
        let mut f = SummaryFigures::zero();
        f.volunteer_minutes = 90;
        assert_eq!(f.volunteer_hours(), "1.5");
        f.volunteer_minutes = 100;
        assert_eq!(f.volunteer_hours(), "1.7");
    }

    #[test]
    fn the_deadline_day_is_on_time_and_the_next_is_late() {
        let p = period();
        let due = p.due_at();
        assert_eq!(due, Utc.with_ymd_and_hms(2026, 11, 30, 16, 0, 0).unwrap());
        let before = due - Duration::seconds(1);
        assert_eq!(p.status(Some(before), due), ReportStatus::Reported);
        assert_eq!(p.status(Some(due), due), ReportStatus::ReportedLate);
        assert_eq!(p.status(None, before), ReportStatus::NotYet);
        assert_eq!(p.status(None, due), ReportStatus::Late);
        assert_eq!(ReportStatus::Late.name_zh(), "逾期未报");
    }

    #[test]
    fn a_period_must_end_after_it_begins_and_be_due_after_it_ends() {
        assert_eq!(period().check(), None);
        let mut p = period();
        p.to = day(9, 1);
        assert!(p.check().is_some());
        let mut p = period();
        p.deadline = day(11, 1);
        assert_eq!(p.check(), Some("报送截止日期不能早于统计期的结束日期"));
    }

    #[test]
    fn a_summary_needs_its_four_sections_and_consistent_figures() {
        let mut s = fixtures::summary_report(
            RecordId::new(1, [1; 10]),
            Reporter::Station { code: station() },
            &[fixtures::activity_report(&station())],
        );
        assert_eq!(s.check(), vec![]);
        s.problems = " ".into();
        s.suggestions = "议".repeat(3_001);
        s.figures.activities += 1;
        assert_eq!(
            joined(&s.check()),
            "分领域统计之和与活动总数或参与人次不符；请填写存在问题；意见建议不能超过 3000 个字"
        );
        s.figures.by_area.pop();
        assert_eq!(s.check()[0].message, "分领域统计应按六个领域各列一项");
    }
}
