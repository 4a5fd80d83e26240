//! Sample records for tests, one set for every crate (enabled by the `fixtures` feature):
//! real division codes of 武隆区, plausible people, and a filing that passes every check.

use chrono::NaiveDate;

use crate::division::DivisionCode;
use crate::filing::charter::{Charter, TemplateFacts};
use crate::filing::form::{FilingForm, FilingSubmission, Sponsor, TerminationVote};
use crate::filing::people::{Contact, Gender, Leader, Member, PoliticalStatus};
use crate::filing::{ApplicationKind, Category};
use crate::person::{PersonName, Phone};
use crate::protocol::RecordId;

/// 复兴社区 of 凤山街道, 武隆区.
pub const FUXING: &str = "500156001001";

const ORG_NAME: &str = "复兴社区夕阳红志愿服务队";
const ACTIVITIES: &str = "探访空巢老人，代购药品，陪同就医";

fn name(s: &str) -> PersonName {
    PersonName::parse(s).expect("sample names are valid")
}

fn phone(s: &str) -> Phone {
    Phone::parse(s).expect("sample phones are valid")
}

/// Member `i` of a sample roster: names and genders alternate, every third has no mobile
/// (as many elderly members have none), the first is the leader.
pub fn member(i: usize) -> Member {
    Member {
        name: name(["张秀英", "李建国", "王桂兰", "刘德明"][i % 4]),
        gender: if i.is_multiple_of(2) {
            Gender::Female
        } else {
            Gender::Male
        },
        birth_year: 1940 + (i % 60) as u16,
        phone: (!i.is_multiple_of(3)).then(|| phone(&format!("139{i:08}"))),
        political_status: if i == 0 {
            PoliticalStatus::PartyMember
        } else {
            PoliticalStatus::Masses
        },
        role: if i == 0 { "负责人" } else { "成员" }.into(),
    }
}

/// A filing form for an organization of `village` with `members` members.
pub fn filing_form(village: &DivisionCode, members: usize) -> FilingForm {
    FilingForm {
        name: ORG_NAME.into(),
        category: Category::Volunteer,
        founded_on: NaiveDate::from_ymd_opt(2025, 3, 5).expect("a real date"),
        town: village.parent().unwrap_or_else(|| village.clone()),
        village: village.clone(),
        venue: "复兴社区党群服务中心二楼活动室".into(),
        leader: Leader {
            name: name("张秀英"),
            gender: Gender::Female,
            phone: phone("13812345678"),
            political_status: PoliticalStatus::PartyMember,
        },
        contact: Contact {
            name: name("李建国"),
            phone: phone("13923456789"),
        },
        member_count: members as u32,
        activities: ACTIVITIES.into(),
        funding: "成员自愿捐赠".into(),
        sponsor: Sponsor::Person {
            name: "张秀英".into(),
        },
    }
}

/// A complete submission that passes every check; a termination carries a vote that
/// carried.
pub fn filing_submission(
    organization: RecordId,
    application: RecordId,
    kind: ApplicationKind,
    village: &DivisionCode,
    members: usize,
) -> FilingSubmission {
    FilingSubmission {
        organization,
        application,
        kind,
        form: filing_form(village, members),
        charter: Charter::template(TemplateFacts {
            org_name: ORG_NAME,
            area_name: "凤山街道复兴社区",
            activities: ACTIVITIES,
        }),
        roster: (0..members).map(member).collect(),
        termination: (kind == ApplicationKind::Termination).then(|| TerminationVote {
            held_on: NaiveDate::from_ymd_opt(2026, 11, 1).expect("a real date"),
            present: members as u32,
            in_favour: members as u32,
            against: 0,
        }),
        photos: Vec::new(),
    }
}
