//! The filing form (社区社会组织备案表) and the records a filing travels in: a submitted
//! version of an application, and a reviewer's decision on it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::charter::Charter;
use super::people::{Contact, Leader, Member};
use super::{ApplicationKind, Category, Decision};
use crate::division::{DivisionCode, Level};
use crate::photo::PhotoHash;
use crate::protocol::{Kind, RecordBody, RecordId};

/// Who started the organization: a person (发起人) or a unit (发起单位).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Sponsor {
    Person { name: String },
    Unit { name: String },
}

impl Sponsor {
    pub fn name(&self) -> &str {
        match self {
            Sponsor::Person { name } | Sponsor::Unit { name } => name,
        }
    }
}

/// The filing form, as the street/town keeps it on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingForm {
    pub name: String,
    pub category: Category,
    pub founded_on: NaiveDate,
    /// The street/town (9 digits) and the village/community (12 digits) it works in.
    pub town: DivisionCode,
    pub village: DivisionCode,
    pub venue: String,
    pub leader: Leader,
    pub contact: Contact,
    pub member_count: u32,
    pub activities: String,
    pub funding: String,
    pub sponsor: Sponsor,
}

/// What is wrong with one field, for the form to show beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name as in [`FilingForm`] (`"name"`, `"village"`, …).
    pub field: &'static str,
    pub message: String,
}

impl FilingForm {
    pub const MAX_NAME_CHARS: usize = 50;
    pub const MAX_TEXT_CHARS: usize = 500;

    /// Every rule the phone and the server both apply, all reported at once. `today` comes
    /// from the caller's clock; `roster_len` is the number of members on the roster.
    pub fn check(&self, today: NaiveDate, roster_len: usize) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut fail =
            |field: &'static str, message: String| errors.push(FieldError { field, message });
        let name_len = self.name.trim().chars().count();
        if name_len < 2 {
            fail("name", "请填写组织名称（至少 2 个字）".into());
        } else if name_len > Self::MAX_NAME_CHARS {
            fail(
                "name",
                format!("组织名称不能超过 {} 个字", Self::MAX_NAME_CHARS),
            );
        }
        if self.founded_on > today {
            fail("founded_on", "成立日期不能晚于今天".into());
        }
        if self.town.level() != Level::Town {
            fail("town", "请选择所在街道/乡镇".into());
        }
        if self.village.level() != Level::Village {
            fail("village", "请选择所在社区/村".into());
        } else if !self.town.contains(&self.village) {
            fail("village", "所选社区/村不在所选街道/乡镇内".into());
        }
        for (field, value, what) in [
            ("venue", &self.venue, "活动场所"),
            ("activities", &self.activities, "活动内容"),
            ("funding", &self.funding, "经费来源"),
        ] {
            let len = value.trim().chars().count();
            if len == 0 {
                fail(field, format!("请填写{what}"));
            } else if len > Self::MAX_TEXT_CHARS {
                fail(
                    field,
                    format!("{what}不能超过 {} 个字", Self::MAX_TEXT_CHARS),
                );
            }
        }
        if self.sponsor.name().trim().is_empty() {
            fail("sponsor", "请填写发起人或发起单位".into());
        }
        if self.member_count == 0 {
            fail("member_count", "请填写成员人数".into());
        } else if self.member_count as usize != roster_len {
            fail(
                "member_count",
                format!(
                    "成员人数 {} 与花名册的 {roster_len} 人不符",
                    self.member_count
                ),
            );
        }
        errors
    }
}

/// The vote of the full members' meeting that a termination needs (seed 004 第三条).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminationVote {
    pub held_on: NaiveDate,
    pub present: u32,
    pub in_favour: u32,
    pub against: u32,
}

/// Why a termination vote does not carry; shown to the user as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VoteError {
    #[error("赞成与反对票数之和不能超过出席人数")]
    MoreVotesThanPresent,
    #[error("赞成票未过出席人数的半数，表决未通过")]
    NotCarried,
    #[error("表决日期不能晚于今天")]
    InTheFuture,
}

impl TerminationVote {
    /// A resolution of the members' meeting needs more than half of those present.
    pub fn check(&self, today: NaiveDate) -> Result<(), VoteError> {
        if self.held_on > today {
            return Err(VoteError::InTheFuture);
        }
        if u64::from(self.in_favour) + u64::from(self.against) > u64::from(self.present) {
            return Err(VoteError::MoreVotesThanPresent);
        }
        if u64::from(self.in_favour) * 2 <= u64::from(self.present) {
            return Err(VoteError::NotCarried);
        }
        Ok(())
    }
}

/// `filing_submit`: one version of an application, sent for review. Every resubmission
/// after 退回修改 is a new record, so the archive keeps each version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingSubmission {
    /// The organization, made with its first draft and kept for its whole life.
    pub organization: RecordId,
    /// The application: one per filing, change filing or termination.
    pub application: RecordId,
    pub kind: ApplicationKind,
    pub form: FilingForm,
    pub charter: Charter,
    pub roster: Vec<Member>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination: Option<TerminationVote>,
    /// Photos of signed pages or meeting minutes (签字页、会议纪要), by hash: at most
    /// [`MAX_PHOTOS_PER_RECORD`](crate::photo::MAX_PHOTOS_PER_RECORD), uploaded apart from
    /// the record and possibly after it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<PhotoHash>,
}

impl RecordBody for FilingSubmission {
    const KIND: Kind = Kind::FilingSubmit;
    const SCHEMA_VERSION: u16 = 1;
}

/// `filing_decision`: a reviewer decides on a version. The server keeps the first decision
/// it receives; a later one on the same version is rejected with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingDecision {
    pub application: RecordId,
    /// The `filing_submit` record decided upon.
    pub version: RecordId,
    pub decision: Decision,
}

impl RecordBody for FilingDecision {
    const KIND: Kind = Kind::FilingDecision;
    const SCHEMA_VERSION: u16 = 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn form() -> FilingForm {
        crate::fixtures::filing_form(&DivisionCode::parse("500156001001").unwrap(), 24)
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_form_passes() {
        assert_eq!(form().check(day(2026, 11, 22), 24), vec![]);
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let mut f = form();
        f.name = "队".into();
        f.founded_on = day(2027, 1, 1);
        f.venue = " ".into();
        f.sponsor = Sponsor::Unit { name: "".into() };
        let errors = f.check(day(2026, 11, 22), 24);
        assert_eq!(fields(&errors), ["name", "founded_on", "venue", "sponsor"]);
        assert_eq!(errors[2].message, "请填写活动场所");
    }

    #[test]
    fn the_village_must_lie_in_the_town() {
        let mut f = form();
        f.village = DivisionCode::parse("500156002001").unwrap();
        let errors = f.check(day(2026, 11, 22), 24);
        assert_eq!(errors[0].message, "所选社区/村不在所选街道/乡镇内");
    }

    #[test]
    fn the_member_count_must_match_the_roster() {
        let errors = form().check(day(2026, 11, 22), 23);
        assert_eq!(errors[0].message, "成员人数 24 与花名册的 23 人不符");
    }

    #[test]
    fn a_termination_needs_more_than_half_of_those_present() {
        let vote = |present, in_favour, against| TerminationVote {
            held_on: day(2026, 11, 1),
            present,
            in_favour,
            against,
        };
        let today = day(2026, 11, 22);
        assert_eq!(vote(20, 11, 9).check(today), Ok(()));
        assert_eq!(vote(20, 10, 2).check(today), Err(VoteError::NotCarried));
        assert_eq!(
            vote(20, 15, 9).check(today),
            Err(VoteError::MoreVotesThanPresent)
        );
        assert_eq!(vote(0, 0, 0).check(today), Err(VoteError::NotCarried));
    }
}
