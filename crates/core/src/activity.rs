//! Activities at practice stations (#4): the vocabularies of DOMAIN §2 with their Chinese
//! labels, and the pieces the activity records share (organizers, volunteers, a position).
//!
//! The records themselves live in the submodules: `report` (活动报告), `pre_report`
//! (重大活动报告 and the street/town's answer), `summary` (总结报告 and its figures), and
//! `views` (what the district answers about them). Every `check()` here is pure, written for
//! the user in Chinese, and the same on the phone and on the server.

pub mod pre_report;
pub mod report;
pub mod summary;
pub mod views;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::filing::form::FieldError;
use crate::person::{PersonName, Phone};
use crate::protocol::RecordId;

pub use pre_report::{PreReport, PreReportDecision, PreReportState, Verdict};
pub use report::ActivityReport;
pub use summary::{Reporter, SummaryFigures, SummaryReport};

/// The six content areas of Guangdong's opinion (seed 000 三、一 to 六).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentArea {
    /// 落实凝心铸魂: study and publicity of the Party's theory (宣讲).
    Theory,
    /// 弘扬新风正气: village rules, civilized families, reform of customs, thrift, greening.
    Civility,
    /// 丰富精神文化: films, performances, square dance, sports, training, legal publicity.
    Culture,
    /// 聚焦便民服务: family, health, elderly-care and child-care services, mutual aid.
    Services,
    /// 创新社区治理: mediation, patrols, correction, disaster prevention, rescue.
    Governance,
    /// 优化服务阵地: upgrading hub organizations into practice platforms.
    Platforms,
}

impl ContentArea {
    pub const ALL: [ContentArea; 6] = [
        ContentArea::Theory,
        ContentArea::Civility,
        ContentArea::Culture,
        ContentArea::Services,
        ContentArea::Governance,
        ContentArea::Platforms,
    ];

    pub fn name_zh(self) -> &'static str {
        match self {
            ContentArea::Theory => "落实凝心铸魂",
            ContentArea::Civility => "弘扬新风正气",
            ContentArea::Culture => "丰富精神文化",
            ContentArea::Services => "聚焦便民服务",
            ContentArea::Governance => "创新社区治理",
            ContentArea::Platforms => "优化服务阵地",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ContentArea::Theory => "theory",
            ContentArea::Civility => "civility",
            ContentArea::Culture => "culture",
            ContentArea::Services => "services",
            ContentArea::Governance => "governance",
            ContentArea::Platforms => "platforms",
        }
    }

    pub fn parse(s: &str) -> Option<ContentArea> {
        ContentArea::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Guangzhou's five themed campaigns (seed 002 二、三、1 to 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Campaign {
    /// “邻里守望”主题志愿服务活动.
    NeighbourlyCare,
    /// “共建共治共享”主题社区协商活动.
    CoGovernance,
    /// “平安建设”主题社区治理活动.
    Safety,
    /// “文化铸魂”主题精神文明创建活动.
    Culture,
    /// “助力乡村振兴”主题公益互助活动.
    RuralRevitalization,
}

impl Campaign {
    pub const ALL: [Campaign; 5] = [
        Campaign::NeighbourlyCare,
        Campaign::CoGovernance,
        Campaign::Safety,
        Campaign::Culture,
        Campaign::RuralRevitalization,
    ];

    pub fn name_zh(self) -> &'static str {
        match self {
            Campaign::NeighbourlyCare => "邻里守望",
            Campaign::CoGovernance => "共建共治共享",
            Campaign::Safety => "平安建设",
            Campaign::Culture => "文化铸魂",
            Campaign::RuralRevitalization => "助力乡村振兴",
        }
    }
}

/// The groups an activity may serve (seed 002 二、一、1 and 二、三、1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupServed {
    Elderly,
    Women,
    Children,
    Disabled,
    Unemployed,
    MigrantWorkers,
    FamiliesInDifficulty,
    SubsistenceAllowance,
    ExtremePoverty,
    EmptyNestElderly,
    LeftBehind,
    ChildrenInDifficulty,
    SevereMentalIllness,
    YouthAtRisk,
    CommunityCorrection,
}

impl GroupServed {
    pub const ALL: [GroupServed; 15] = [
        GroupServed::Elderly,
        GroupServed::Women,
        GroupServed::Children,
        GroupServed::Disabled,
        GroupServed::Unemployed,
        GroupServed::MigrantWorkers,
        GroupServed::FamiliesInDifficulty,
        GroupServed::SubsistenceAllowance,
        GroupServed::ExtremePoverty,
        GroupServed::EmptyNestElderly,
        GroupServed::LeftBehind,
        GroupServed::ChildrenInDifficulty,
        GroupServed::SevereMentalIllness,
        GroupServed::YouthAtRisk,
        GroupServed::CommunityCorrection,
    ];

    pub fn name_zh(self) -> &'static str {
        match self {
            GroupServed::Elderly => "老年人",
            GroupServed::Women => "妇女",
            GroupServed::Children => "儿童",
            GroupServed::Disabled => "残疾人",
            GroupServed::Unemployed => "失业人员",
            GroupServed::MigrantWorkers => "农民工",
            GroupServed::FamiliesInDifficulty => "困难家庭",
            GroupServed::SubsistenceAllowance => "低保对象",
            GroupServed::ExtremePoverty => "特困人员",
            GroupServed::EmptyNestElderly => "空巢老人",
            GroupServed::LeftBehind => "农村留守人员",
            GroupServed::ChildrenInDifficulty => "困境儿童",
            GroupServed::SevereMentalIllness => "严重精神障碍患者",
            GroupServed::YouthAtRisk => "有不良行为青少年",
            GroupServed::CommunityCorrection => "社区矫正人员",
        }
    }
}

/// The activities that must be reported to the street/town before they happen (seed 002
/// 二、四、2: 节庆活动、文化演出、体育竞赛、人员集会等重大活动报告制度).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MajorKind {
    Festival,
    Performance,
    Sports,
    Gathering,
}

impl MajorKind {
    pub const ALL: [MajorKind; 4] = [
        MajorKind::Festival,
        MajorKind::Performance,
        MajorKind::Sports,
        MajorKind::Gathering,
    ];

    pub fn name_zh(self) -> &'static str {
        match self {
            MajorKind::Festival => "节庆活动",
            MajorKind::Performance => "文化演出",
            MajorKind::Sports => "体育竞赛",
            MajorKind::Gathering => "人员集会",
        }
    }
}

/// Who organized an activity: a filed organization of the area, or a group that is not
/// filed (a loose square-dance team), by its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Organizer {
    /// A filed organization; `name` is how it was named when the report was written, so
    /// the report reads the same offline.
    Organization { id: RecordId, name: String },
    /// An unfiled group or a unit (村委会, 学校, …), as free text.
    Group { name: String },
}

impl Organizer {
    pub fn name(&self) -> &str {
        match self {
            Organizer::Organization { name, .. } | Organizer::Group { name } => name,
        }
    }

    pub fn organization(&self) -> Option<RecordId> {
        match self {
            Organizer::Organization { id, .. } => Some(*id),
            Organizer::Group { .. } => None,
        }
    }
}

/// A volunteer who served at an activity, usually picked from the station's check-ins of
/// that day, with the time they served there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServedVolunteer {
    pub name: PersonName,
    /// The check-in picked, when the volunteer was picked from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_in: Option<RecordId>,
    /// Minutes served at this activity: what the summary's volunteer hours add up.
    pub minutes: u32,
}

/// The contact person of a pre-report (联系人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: PersonName,
    pub phone: Phone,
}

/// Where the phone was when the report was written, as its GPS gave it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
    /// The radius of 68 % confidence, in metres, as the browser reports it.
    pub accuracy_m: f64,
}

// JSON has no NaN, so a deserialized position always equals itself; records that hold one
// stay comparable with `Eq` like every other record body.
impl Eq for GeoPoint {}

impl GeoPoint {
    /// A fix coarser than this says nothing about the village, and is refused.
    pub const MAX_ACCURACY_M: f64 = 10_000.0;

    pub fn check(&self) -> Result<(), &'static str> {
        let finite = self.lat.is_finite() && self.lon.is_finite() && self.accuracy_m.is_finite();
        if !finite || !(-90.0..=90.0).contains(&self.lat) || !(-180.0..=180.0).contains(&self.lon) {
            return Err("定位坐标无效，请重新定位或不附位置");
        }
        if self.accuracy_m <= 0.0 || self.accuracy_m > Self::MAX_ACCURACY_M {
            return Err("定位精度无效（应在 0–10 公里之间），请重新定位或不附位置");
        }
        Ok(())
    }
}

/// The longest an activity (or a pre-reported one) may last.
pub const MAX_ACTIVITY_DAYS: i64 = 7;
/// The most organizers one activity may name.
pub const MAX_ORGANIZERS: usize = 5;
pub const MAX_TITLE_CHARS: usize = 50;
pub const MAX_PLACE_CHARS: usize = 100;
pub const MAX_NAME_CHARS: usize = 50;

/// Villages and towns keep Beijing time (UTC+8, no daylight saving): activities are
/// dated, counted by month and compared with periods by their Beijing date.
pub fn beijing_date(t: DateTime<Utc>) -> NaiveDate {
    (t + Duration::hours(8)).date_naive()
}

/// Collects the problems of a record, each with its field, all reported at once.
#[derive(Debug, Default)]
pub(crate) struct Problems(Vec<FieldError>);

impl Problems {
    pub(crate) fn fail(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            message: message.into(),
        });
    }

    /// A required text of at most `max` characters (after trimming).
    pub(crate) fn text(&mut self, field: &'static str, value: &str, what: &str, max: usize) {
        let len = value.trim().chars().count();
        if len == 0 {
            self.fail(field, format!("请填写{what}"));
        } else if len > max {
            self.fail(field, format!("{what}不能超过 {max} 个字"));
        }
    }

    /// Start before end, and not longer than [`MAX_ACTIVITY_DAYS`].
    pub(crate) fn times(&mut self, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) {
        if ends_at <= starts_at {
            self.fail("ends_at", "结束时间应晚于开始时间");
        } else if ends_at - starts_at > Duration::days(MAX_ACTIVITY_DAYS) {
            self.fail(
                "ends_at",
                format!("活动时长不能超过 {MAX_ACTIVITY_DAYS} 天，请分次填报"),
            );
        }
    }

    pub(crate) fn organizers(&mut self, organizers: &[Organizer]) {
        if organizers.is_empty() {
            self.fail("organizers", "请填写组织单位（已备案组织或其他团体）");
            return;
        }
        if organizers.len() > MAX_ORGANIZERS {
            self.fail(
                "organizers",
                format!("组织单位最多填写 {MAX_ORGANIZERS} 个"),
            );
        }
        for o in organizers {
            let len = o.name().trim().chars().count();
            if len == 0 {
                self.fail("organizers", "组织单位名称不能为空");
                return;
            }
            if len > MAX_NAME_CHARS {
                self.fail(
                    "organizers",
                    format!("组织单位名称不能超过 {MAX_NAME_CHARS} 个字"),
                );
                return;
            }
        }
        let mut seen = std::collections::HashSet::new();
        if !organizers
            .iter()
            .all(|o| seen.insert((o.organization(), o.name().trim())))
        {
            self.fail("organizers", "组织单位有重复，请删去重复的一项");
        }
    }

    pub(crate) fn done(self) -> Vec<FieldError> {
        self.0
    }
}

/// The problems of a record as one line, for a rejected push ("；" between them).
pub fn joined(problems: &[FieldError]) -> String {
    problems
        .iter()
        .map(|p| p.message.as_str())
        .collect::<Vec<_>>()
        .join("；")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_has_a_chinese_label_for_each_value() {
        let areas: Vec<_> = ContentArea::ALL.iter().map(|a| a.name_zh()).collect();
        assert_eq!(
            areas,
            [
                "落实凝心铸魂",
                "弘扬新风正气",
                "丰富精神文化",
                "聚焦便民服务",
                "创新社区治理",
                "优化服务阵地"
            ]
        );
        for a in ContentArea::ALL {
            assert_eq!(ContentArea::parse(a.as_str()), Some(a));
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(json, format!("\"{}\"", a.as_str()));
        }
        assert_eq!(Campaign::RuralRevitalization.name_zh(), "助力乡村振兴");
        assert_eq!(GroupServed::LeftBehind.name_zh(), "农村留守人员");
        assert_eq!(MajorKind::Gathering.name_zh(), "人员集会");
        let groups: std::collections::HashSet<_> =
            GroupServed::ALL.iter().map(|g| g.name_zh()).collect();
        assert_eq!(groups.len(), GroupServed::ALL.len());
    }

    #[test]
    fn a_position_must_be_on_earth_and_reasonably_precise() {
        let p = |lat, lon, accuracy_m| GeoPoint {
            lat,
            lon,
            accuracy_m,
        };
        assert_eq!(p(29.32, 107.76, 15.0).check(), Ok(()));
        assert!(p(91.0, 107.76, 15.0).check().is_err());
        assert!(p(29.32, f64::INFINITY, 15.0).check().is_err());
        assert!(p(29.32, 107.76, 0.0).check().unwrap_err().contains("精度"));
        assert!(p(29.32, 107.76, 20_000.0).check().is_err());
    }

    #[test]
    fn beijing_dates_turn_at_sixteen_utc() {
        use chrono::TimeZone;
        let t = Utc.with_ymd_and_hms(2026, 11, 30, 16, 0, 0).unwrap();
        assert_eq!(
            beijing_date(t),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );
        let t = t - Duration::seconds(1);
        assert_eq!(
            beijing_date(t),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
    }
}
