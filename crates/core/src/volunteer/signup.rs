//! Activity publishing and sign-up (活动发布/报名, 供需对接): an activity a station or the
//! district publishes with the volunteers it needs and the skills it wants, a volunteer's
//! sign-up, the decision in order of receipt (accepted, or on the waiting list past
//! capacity), and the no-show a station admin records afterwards.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::division::StationCode;
use crate::person::Phone;
use crate::protocol::{Kind, RecordBody, RecordId};
use crate::volunteer::registration::MAX_TAGS;

pub const MAX_TITLE_CHARS: usize = 50;
pub const MAX_DESCRIPTION_CHARS: usize = 1_000;
pub const MAX_VOLUNTEERS_NEEDED: u32 = 1_000;

/// An activity published for volunteers; its id is the record's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerActivity {
    pub title: String,
    pub station: StationCode,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub volunteers_needed: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills_wanted: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl RecordBody for VolunteerActivity {
    const KIND: Kind = Kind::VolunteerActivity;
    const SCHEMA_VERSION: u16 = 1;
}

impl VolunteerActivity {
    /// Every problem at once, joined with "；".
    pub fn check(&self) -> Result<(), String> {
        let mut problems = Vec::new();
        let title = self.title.trim();
        if title.is_empty() {
            problems.push("请填写活动名称".to_owned());
        } else if title.chars().count() > MAX_TITLE_CHARS {
            problems.push(format!("活动名称不超过 {MAX_TITLE_CHARS} 个字"));
        }
        if self.ends_at <= self.starts_at {
            problems.push("活动结束时间应晚于开始时间".to_owned());
        }
        if !(1..=MAX_VOLUNTEERS_NEEDED).contains(&self.volunteers_needed) {
            problems.push(format!(
                "所需志愿者人数应在 1 至 {MAX_VOLUNTEERS_NEEDED} 之间"
            ));
        }
        if self.skills_wanted.len() > MAX_TAGS
            || self.skills_wanted.iter().any(|s| s.trim().is_empty())
        {
            problems.push(format!("所需技能最多 {MAX_TAGS} 项，且不能为空"));
        }
        if self.description.chars().count() > MAX_DESCRIPTION_CHARS {
            problems.push(format!("活动介绍不超过 {MAX_DESCRIPTION_CHARS} 个字"));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("；"))
        }
    }
}

/// The skills an activity wants that a volunteer has, in the activity's order: what the
/// phone shows as "matches your skills" (供需对接).
pub fn matching_skills<'a>(wanted: &'a [String], has: &[String]) -> Vec<&'a str> {
    wanted
        .iter()
        .filter(|w| has.iter().any(|h| h == *w))
        .map(String::as_str)
        .collect()
}

/// A volunteer, known by their mobile number, signs up for an activity (on their own
/// phone, or on the station's shared phone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signup {
    pub activity: RecordId,
    pub phone: Phone,
}

impl RecordBody for Signup {
    const KIND: Kind = Kind::Signup;
    const SCHEMA_VERSION: u16 = 1;
}

/// What the server decided about a sign-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SignupStatus {
    Accepted,
    /// Past capacity: `position` on the waiting list (1 is next).
    Waitlisted {
        position: u32,
    },
}

impl SignupStatus {
    pub fn name_zh(&self) -> String {
        match self {
            SignupStatus::Accepted => "报名成功".to_owned(),
            SignupStatus::Waitlisted { position } => format!("候补第 {position} 位"),
        }
    }
}

/// The decision in order of receipt: the sign-ups accepted so far fill the activity up to
/// `capacity`; after that each one joins the end of the waiting list.
pub fn decide_signup(accepted: u32, waitlisted: u32, capacity: u32) -> SignupStatus {
    if accepted < capacity {
        SignupStatus::Accepted
    } else {
        SignupStatus::Waitlisted {
            position: waitlisted + 1,
        }
    }
}

/// A station admin records that a signed-up volunteer did not come (爽约): an integrity
/// record the volunteer sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoShow {
    pub signup: RecordId,
    pub reason: String,
}

impl RecordBody for NoShow {
    const KIND: Kind = Kind::NoShow;
    const SCHEMA_VERSION: u16 = 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn activity() -> VolunteerActivity {
        let start = Utc.with_ymd_and_hms(2026, 11, 28, 1, 0, 0).unwrap();
        VolunteerActivity {
            title: "重阳节探访空巢老人".into(),
            station: StationCode::parse("500156001001").unwrap(),
            starts_at: start,
            ends_at: start + Duration::hours(3),
            volunteers_needed: 2,
            skills_wanted: vec!["理发".into(), "测血压".into()],
            description: String::new(),
        }
    }

    #[test]
    fn sign_ups_fill_the_activity_then_wait_in_order() {
        let decisions: Vec<_> = (0..5)
            .scan((0, 0), |(a, w), _| {
                let d = decide_signup(*a, *w, 2);
                match d {
                    SignupStatus::Accepted => *a += 1,
                    SignupStatus::Waitlisted { .. } => *w += 1,
                }
                Some(d)
            })
            .collect();
        assert_eq!(
            decisions,
            vec![
                SignupStatus::Accepted,
                SignupStatus::Accepted,
                SignupStatus::Waitlisted { position: 1 },
                SignupStatus::Waitlisted { position: 2 },
                SignupStatus::Waitlisted { position: 3 },
            ]
        );
        assert_eq!(decisions[3].name_zh(), "候补第 2 位");
    }

    #[test]
    fn an_activity_is_checked_all_at_once() {
        assert_eq!(activity().check(), Ok(()));
        let bad = VolunteerActivity {
            title: " ".into(),
            ends_at: activity().starts_at,
            volunteers_needed: 0,
            ..activity()
        };
        assert_eq!(
            bad.check(),
            Err(
                "请填写活动名称；活动结束时间应晚于开始时间；所需志愿者人数应在 1 至 1000 之间"
                    .into()
            )
        );
    }

    #[test]
    fn skills_are_matched_in_the_activitys_order() {
        let has = vec!["测血压".to_owned(), "电工".to_owned()];
        assert_eq!(
            matching_skills(&activity().skills_wanted, &has),
            vec!["测血压"]
        );
    }
}
