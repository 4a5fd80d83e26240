//! The major-activity pre-report (重大活动报告, seed 002 二、四、2): festival events,
//! performances, sports competitions and gatherings are reported to the street/town before
//! they happen, and the street/town answers 同意 or 不同意 with a reason.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Contact, MajorKind, Organizer, Problems, MAX_PLACE_CHARS, MAX_TITLE_CHARS};
use crate::division::StationCode;
use crate::filing::form::FieldError;
use crate::protocol::{Kind, RecordBody, RecordId};

/// `pre_report`: a major activity announced to the street/town.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreReport {
    pub station: StationCode,
    pub kind: MajorKind,
    pub title: String,
    /// 主办方.
    pub organizers: Vec<Organizer>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    /// 预计参加人数.
    pub expected_attendance: u32,
    /// 安全措施: crowd control, first aid, fire safety, the weather plan.
    pub safety_measures: String,
    pub contact: Contact,
}

impl RecordBody for PreReport {
    const KIND: Kind = Kind::PreReport;
    const SCHEMA_VERSION: u16 = 1;
}

impl PreReport {
    pub const MAX_ATTENDANCE: u32 = 1_000_000;
    pub const MAX_SAFETY_CHARS: usize = 1_000;

    /// Every rule, all reported at once. `written_at` is when the pre-report was made: it
    /// must be before the activity begins.
    pub fn check(&self, written_at: DateTime<Utc>) -> Vec<FieldError> {
        let mut p = Problems::default();
        let title = self.title.trim().chars().count();
        if title < 2 {
            p.fail("title", "请填写活动名称（至少 2 个字）");
        } else if title > MAX_TITLE_CHARS {
            p.fail("title", format!("活动名称不能超过 {MAX_TITLE_CHARS} 个字"));
        }
        p.organizers(&self.organizers);
        p.times(self.starts_at, self.ends_at);
        if self.starts_at <= written_at {
            p.fail(
                "starts_at",
                "重大活动须在开展前报告；活动已开始的，请在活动报告中说明",
            );
        }
        p.text("place", &self.place, "活动地点", MAX_PLACE_CHARS);
        if self.expected_attendance == 0 {
            p.fail("expected_attendance", "请填写预计参加人数");
        } else if self.expected_attendance > Self::MAX_ATTENDANCE {
            p.fail(
                "expected_attendance",
                format!("预计参加人数不能超过 {}", Self::MAX_ATTENDANCE),
            );
        }
        p.text(
            "safety_measures",
            &self.safety_measures,
            "安全措施",
            Self::MAX_SAFETY_CHARS,
        );
        p.done()
    }
}

/// The street/town's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Verdict {
    /// 同意.
    Approve,
    /// 不同意, with the reason the organizers read.
    Refuse { reason: String },
}

impl Verdict {
    pub const MAX_REASON_CHARS: usize = 500;

    pub fn name_zh(&self) -> &'static str {
        match self {
            Verdict::Approve => "同意",
            Verdict::Refuse { .. } => "不同意",
        }
    }

    pub fn state(&self) -> PreReportState {
        match self {
            Verdict::Approve => PreReportState::Approved,
            Verdict::Refuse { .. } => PreReportState::Refused,
        }
    }
}

/// `pre_report_decision`: a town reviewer answers a pre-report. The first answer the server
/// receives stands; a later one is rejected saying who answered what, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreReportDecision {
    pub pre_report: RecordId,
    pub verdict: Verdict,
}

impl RecordBody for PreReportDecision {
    const KIND: Kind = Kind::PreReportDecision;
    const SCHEMA_VERSION: u16 = 1;
}

impl PreReportDecision {
    pub fn check(&self) -> Vec<FieldError> {
        let mut p = Problems::default();
        if let Verdict::Refuse { reason } = &self.verdict {
            let len = reason.trim().chars().count();
            if len == 0 {
                p.fail("reason", "不同意时请写明理由");
            } else if len > Verdict::MAX_REASON_CHARS {
                p.fail(
                    "reason",
                    format!("理由不能超过 {} 个字", Verdict::MAX_REASON_CHARS),
                );
            }
        }
        p.done()
    }
}

/// Where a pre-report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PreReportState {
    /// 待审核.
    Pending,
    /// 已同意.
    Approved,
    /// 不同意.
    Refused,
}

impl PreReportState {
    pub const ALL: [PreReportState; 3] = [
        PreReportState::Pending,
        PreReportState::Approved,
        PreReportState::Refused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PreReportState::Pending => "pending",
            PreReportState::Approved => "approved",
            PreReportState::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<PreReportState> {
        PreReportState::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            PreReportState::Pending => "待审核",
            PreReportState::Approved => "已同意",
            PreReportState::Refused => "不同意",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::joined;
    use crate::fixtures;
    use chrono::Duration;

    fn pre_report() -> PreReport {
        fixtures::pre_report(&StationCode::parse(fixtures::FUXING).unwrap())
    }

    #[test]
    fn a_complete_pre_report_made_beforehand_passes() {
        let p = pre_report();
        assert_eq!(p.check(p.starts_at - Duration::days(3)), vec![]);
    }

    #[test]
    fn a_pre_report_after_the_start_is_refused_with_what_to_do() {
        let p = pre_report();
        assert_eq!(
            joined(&p.check(p.starts_at + Duration::minutes(1))),
            "重大活动须在开展前报告；活动已开始的，请在活动报告中说明"
        );
    }

    #[test]
    fn attendance_safety_and_place_are_required() {
        let mut p = pre_report();
        p.expected_attendance = 0;
        p.safety_measures = " ".into();
        p.place = String::new();
        let errors = p.check(p.starts_at - Duration::days(1));
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["place", "expected_attendance", "safety_measures"]);
        assert_eq!(errors[2].message, "请填写安全措施");
    }

    #[test]
    fn refusing_needs_a_reason_and_approving_does_not() {
        let d = |verdict| PreReportDecision {
            pre_report: RecordId::new(1, [1; 10]),
            verdict,
        };
        assert_eq!(d(Verdict::Approve).check(), vec![]);
        let refused = d(Verdict::Refuse {
            reason: "  ".into(),
        });
        assert_eq!(joined(&refused.check()), "不同意时请写明理由");
        assert_eq!(Verdict::Approve.name_zh(), "同意");
        assert_eq!(
            Verdict::Refuse { reason: "x".into() }.state(),
            PreReportState::Refused
        );
    }
}
