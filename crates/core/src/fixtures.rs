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

/// A sample photo hash, distinct for each `n`.
pub fn photo(n: u8) -> crate::photo::PhotoHash {
    crate::photo::PhotoHash::parse(&format!("{n:02x}").repeat(32)).expect("64 hex digits")
}

fn at(day: u32, hour: u32, minute: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono::Utc
        .with_ymd_and_hms(2026, 11, day, hour, minute, 0)
        .single()
        .expect("a real moment")
}

/// A filed volunteer team, as an activity names it among its organizers.
pub fn organizer() -> crate::activity::Organizer {
    crate::activity::Organizer::Organization {
        id: RecordId::parse("019aa9a1-0000-7000-8000-0000000000a1").expect("a UUIDv7"),
        name: ORG_NAME.into(),
    }
}

/// An activity report of `station` that passes every check: a film screening on the
/// afternoon of 21 November 2026 (Beijing time), two volunteers, three photos.
pub fn activity_report(station: &crate::StationCode) -> crate::activity::ActivityReport {
    use crate::activity::{
        ActivityReport, Campaign, ContentArea, GeoPoint, GroupServed, Organizer, ServedVolunteer,
    };
    ActivityReport {
        station: station.clone(),
        organizers: vec![
            organizer(),
            Organizer::Group {
                name: "复兴社区广场舞队".into(),
            },
        ],
        title: "“光影照初心”露天电影放映".into(),
        area: ContentArea::Culture,
        campaign: Some(Campaign::Culture),
        major: None,
        pre_report: None,
        starts_at: at(21, 6, 30),
        ends_at: at(21, 9, 0),
        place: "复兴社区文化广场".into(),
        participants: 85,
        groups: vec![GroupServed::Elderly, GroupServed::LeftBehind],
        volunteers: vec![
            ServedVolunteer {
                name: name("张秀英"),
                check_in: Some(
                    RecordId::parse("019aa9a1-0000-7000-8000-0000000000c1").expect("a UUIDv7"),
                ),
                minutes: 150,
            },
            ServedVolunteer {
                name: name("李建国"),
                check_in: None,
                minutes: 120,
            },
        ],
        summary: "放映红色影片《长津湖》，放映前开展防诈骗宣传 15 分钟".into(),
        results: "群众反响热烈，现场发放宣传资料 120 份".into(),
        photos: vec![photo(1), photo(2), photo(3)],
        position: Some(GeoPoint {
            lat: 29.325_61,
            lon: 107.760_23,
            accuracy_m: 12.5,
        }),
    }
}

/// A pre-report of a New Year performance at `station`, to be held on the afternoon of
/// 18 December 2026 (Beijing time).
pub fn pre_report(station: &crate::StationCode) -> crate::activity::PreReport {
    use crate::activity::{Contact, MajorKind, PreReport};
    PreReport {
        station: station.clone(),
        kind: MajorKind::Performance,
        title: "迎新年文艺汇演".into(),
        organizers: vec![organizer()],
        starts_at: at(21, 6, 0) + chrono::Duration::days(27),
        ends_at: at(21, 9, 0) + chrono::Duration::days(27),
        place: "复兴社区文化广场".into(),
        expected_attendance: 300,
        safety_measures: "设置进出通道两处，安排志愿者 10 名维持秩序，卫生室医生现场值守".into(),
        contact: Contact {
            name: name("李建国"),
            phone: phone("13923456789"),
        },
    }
}

/// A summary report for `period` whose figures are those of `reports`, and four sections.
pub fn summary_report(
    period: RecordId,
    reporter: crate::activity::Reporter,
    reports: &[crate::activity::ActivityReport],
) -> crate::activity::SummaryReport {
    use crate::activity::summary::{Period, SummaryFigures, SummaryReport};
    let whole_year = Period {
        from: NaiveDate::from_ymd_opt(2026, 1, 1).expect("a real date"),
        to: NaiveDate::from_ymd_opt(2026, 12, 31).expect("a real date"),
        deadline: NaiveDate::from_ymd_opt(2026, 12, 31).expect("a real date"),
    };
    SummaryReport {
        period,
        figures: SummaryFigures::compute(&reporter, &whole_year, reports),
        reporter,
        work: "本季度开展理论宣讲、文化放映、便民服务等活动".into(),
        progress: "群众参与积极，志愿服务常态化".into(),
        problems: "活动经费不足，部分活动场地偏小".into(),
        suggestions: "建议增加经费支持，协调更大的活动场所".into(),
    }
}
