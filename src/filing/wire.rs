//! Filing records as the app reads them from the district and keeps them in IndexedDB:
//! plain structs with the very JSON of core's types. Core's `FilingState`, `Decision` and
//! `Sponsor` are internally tagged enums, which serde decodes through a buffer of every
//! value, and its dates go through chrono's general parser; both cost the download several
//! kB. These decode the same JSON without either, and the tests hold them to core.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use wenming_core::filing::archive::OrganizationState;
use wenming_core::filing::charter::Charter;
use wenming_core::filing::form::{FilingForm, Sponsor, TerminationVote};
use wenming_core::filing::people::{Contact, Leader, Member};
use wenming_core::filing::{ApplicationKind, Category, CertificateNumber, Decision, FilingState};
use wenming_core::photo::{AttachedPhoto, PhotoHash};
use wenming_core::protocol::Role;
use wenming_core::{DivisionCode, Level, RecordId};

use crate::time::rfc3339;

/// Dates as core writes them ("2025-03-05"), read and written by hand.
pub mod date {
    use chrono::{Datelike, NaiveDate};
    use serde::{de, Deserialize, Deserializer, Serializer};

    /// A date `YYYY-MM-DD`, as an `<input type=date>` gives it too.
    pub fn parse(s: &str) -> Option<NaiveDate> {
        let b = s.trim().as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |from: usize, to: usize| {
            b[from..to].iter().try_fold(0u32, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        };
        NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?)
    }

    pub fn write(d: &NaiveDate) -> String {
        format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
    }

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&write(d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s = String::deserialize(d)?;
        parse(&s).ok_or_else(|| de::Error::custom("not a date"))
    }

    /// For `Option<NaiveDate>` fields.
    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => super::serialize(d, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
            Option::<String>::deserialize(d)?
                .map(|s| parse(&s).ok_or_else(|| de::Error::custom("not a date")))
                .transpose()
        }
    }
}

/// The tag of core's `FilingState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateTag {
    Draft,
    PendingPreliminary,
    Returned,
    PendingReview,
    Refused,
    PublicNotice,
    Filed,
    Terminated,
}

impl StateTag {
    pub const ALL: [StateTag; 8] = [
        StateTag::Draft,
        StateTag::PendingPreliminary,
        StateTag::Returned,
        StateTag::PendingReview,
        StateTag::Refused,
        StateTag::PublicNotice,
        StateTag::Filed,
        StateTag::Terminated,
    ];

    /// As core tags it on the wire; the `data-state` of application rows.
    pub fn as_str(self) -> &'static str {
        match self {
            StateTag::Draft => "draft",
            StateTag::PendingPreliminary => "pending_preliminary",
            StateTag::Returned => "returned",
            StateTag::PendingReview => "pending_review",
            StateTag::Refused => "refused",
            StateTag::PublicNotice => "public_notice",
            StateTag::Filed => "filed",
            StateTag::Terminated => "terminated",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            StateTag::Draft => "草稿",
            StateTag::PendingPreliminary => "待初审",
            StateTag::Returned => "退回修改",
            StateTag::PendingReview => "待审核",
            StateTag::Refused => "不予备案",
            StateTag::PublicNotice => "公示中",
            StateTag::Filed => "已备案",
            StateTag::Terminated => "已注销",
        }
    }
}

/// Core's `FilingState`: `{"state":"returned","by":"village","reason":"…"}`. Read only:
/// applications are stored as the district sent them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(Serialize))]
pub struct State {
    pub state: StateTag,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Level>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rfc3339::option"
    )]
    pub until: Option<DateTime<Utc>>,
}

impl State {
    pub fn of(state: StateTag) -> State {
        State {
            state,
            by: None,
            reason: None,
            until: None,
        }
    }

    /// Core's state, for core's state machine; `None` if a field core needs is missing.
    pub fn to_core(&self) -> Option<FilingState> {
        let reason = || self.reason.clone();
        Some(match self.state {
            StateTag::Draft => FilingState::Draft,
            StateTag::PendingPreliminary => FilingState::PendingPreliminary,
            StateTag::Returned => FilingState::Returned {
                by: self.by?,
                reason: reason()?,
            },
            StateTag::PendingReview => FilingState::PendingReview,
            StateTag::Refused => FilingState::Refused { reason: reason()? },
            StateTag::PublicNotice => FilingState::PublicNotice { until: self.until? },
            StateTag::Filed => FilingState::Filed,
            StateTag::Terminated => FilingState::Terminated,
        })
    }

    /// "退回修改（请写明门牌号）", "公示中（至 11月29日）", …
    pub fn label_zh(&self) -> String {
        let name = self.state.name_zh();
        match (&self.reason, self.until) {
            (Some(reason), _) => format!("{name}（{reason}）"),
            (None, Some(until)) => format!("{name}（至 {}）", date_zh(until)),
            _ => name.to_owned(),
        }
    }
}

/// "2026年11月29日", the phone's local date of `t`.
pub fn date_zh(t: DateTime<Utc>) -> String {
    day_zh(&super::local_date(t))
}

/// "2026年11月29日".
pub fn day_zh(d: &NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The tag of core's `Decision`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionTag {
    Submit,
    PassPreliminary,
    Return,
    Approve,
    Refuse,
    EndNotice,
}

/// Core's `Decision`: `{"type":"return","reason":"…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlainDecision {
    #[serde(rename = "type")]
    pub kind: DecisionTag,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl PlainDecision {
    pub fn to_core(&self) -> Decision {
        let reason = self.reason.clone().unwrap_or_default();
        match self.kind {
            DecisionTag::Submit => Decision::Submit,
            DecisionTag::PassPreliminary => Decision::PassPreliminary,
            DecisionTag::Return => Decision::Return { reason },
            DecisionTag::Approve => Decision::Approve,
            DecisionTag::Refuse => Decision::Refuse { reason },
            DecisionTag::EndNotice => Decision::EndNotice,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SponsorKind {
    Person,
    Unit,
}

/// Core's `Sponsor`: `{"type":"person","name":"…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlainSponsor {
    #[serde(rename = "type")]
    pub kind: SponsorKind,
    pub name: String,
}

/// Core's `FilingForm`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Form {
    pub name: String,
    pub category: Category,
    #[serde(with = "date")]
    pub founded_on: NaiveDate,
    pub town: DivisionCode,
    pub village: DivisionCode,
    pub venue: String,
    pub leader: Leader,
    pub contact: Contact,
    pub member_count: u32,
    pub activities: String,
    pub funding: String,
    pub sponsor: PlainSponsor,
}

impl Form {
    pub fn to_core(&self) -> FilingForm {
        let name = self.sponsor.name.clone();
        FilingForm {
            name: self.name.clone(),
            category: self.category,
            founded_on: self.founded_on,
            town: self.town.clone(),
            village: self.village.clone(),
            venue: self.venue.clone(),
            leader: self.leader.clone(),
            contact: self.contact.clone(),
            member_count: self.member_count,
            activities: self.activities.clone(),
            funding: self.funding.clone(),
            sponsor: match self.sponsor.kind {
                SponsorKind::Person => Sponsor::Person { name },
                SponsorKind::Unit => Sponsor::Unit { name },
            },
        }
    }
}

/// Core's `TerminationVote`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    #[serde(with = "date")]
    pub held_on: NaiveDate,
    pub present: u32,
    pub in_favour: u32,
    pub against: u32,
}

impl Vote {
    pub fn to_core(&self) -> TerminationVote {
        TerminationVote {
            held_on: self.held_on,
            present: self.present,
            in_favour: self.in_favour,
            against: self.against,
        }
    }
}

/// Core's `FilingSubmission`, the body of a `filing_submit` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub organization: RecordId,
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub application: RecordId,
    pub kind: ApplicationKind,
    pub form: Form,
    pub charter: Charter,
    pub roster: Vec<Member>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination: Option<Vote>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<PhotoHash>,
}

/// Core's `TrailEntry`: who did what, when, to which version.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(Serialize))]
pub struct Trail {
    #[serde(with = "rfc3339")]
    pub at: DateTime<Utc>,
    pub person: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub version: RecordId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<PlainDecision>,
    pub state: State,
}

/// Core's `ApplicationView`: one application as the district holds it now.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(Serialize))]
pub struct AppView {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub id: RecordId,
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub organization: RecordId,
    pub kind: ApplicationKind,
    pub state: State,
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub version: RecordId,
    pub submission: Submission,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateNumber>,
    pub trail: Vec<Trail>,
    #[serde(with = "rfc3339")]
    pub updated_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<AttachedPhoto>,
}

/// Core's `OrganizationSummary`, the fields shown: the archive's organization.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Summary {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub id: RecordId,
    pub name: String,
    pub category: Category,
    pub village: DivisionCode,
    pub village_name: String,
    pub town: DivisionCode,
    pub town_name: String,
    pub state: OrganizationState,
    #[serde(default)]
    pub certificate: Option<CertificateNumber>,
    #[serde(default, with = "date::option")]
    pub filed_on: Option<NaiveDate>,
}

/// Core's `ArchivedVersion`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Version {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub id: RecordId,
    #[serde(with = "rfc3339")]
    pub submitted_at: DateTime<Utc>,
    pub person: String,
    pub submission: Submission,
    #[serde(default)]
    pub photos: Vec<AttachedPhoto>,
}

/// Core's `ArchivedApplication`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ArchivedApp {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub id: RecordId,
    pub kind: ApplicationKind,
    pub state: State,
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub version: RecordId,
    pub versions: Vec<Version>,
    pub trail: Vec<Trail>,
}

/// An optional id, read as `crate::ids` reads ids.
fn option_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<RecordId>, D::Error> {
    Option::<String>::deserialize(d)?
        .map(|s| {
            crate::ids::parse(&s).ok_or_else(|| serde::de::Error::custom("记录编号应为 UUIDv7"))
        })
        .transpose()
}

/// `GET /api/v1/organizations/{id}`: core's `Archive` (档案).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Archive {
    pub organization: Summary,
    #[serde(default, deserialize_with = "option_id")]
    pub filed_version: Option<RecordId>,
    pub applications: Vec<ArchivedApp>,
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use serde::de::DeserializeOwned;
    use wasm_bindgen_test::*;
    use wenming_core::filing::archive::{
        ApplicationBrief, ArchivedApplication, ArchivedVersion, OrganizationSummary,
    };
    use wenming_core::filing::feed::{
        ApplicationView, FeedItem as CoreItem, FilingFeed, TrailEntry,
    };
    use wenming_core::filing::form::FilingSubmission;
    use wenming_core::{Envelope, Kind};

    use super::*;

    /// `core`'s JSON read as the app reads (`crate::decode`) and written again (as the
    /// tests write it) is `core`'s JSON.
    fn same<T: DeserializeOwned + Serialize>(core: &impl Serialize) -> T {
        let json = serde_json::to_string(core).unwrap();
        let plain: T = crate::decode::from_json(&json).unwrap();
        assert_eq!(
            serde_json::to_value(&plain).unwrap(),
            serde_json::from_str::<serde_json::Value>(&json).unwrap()
        );
        plain
    }

    fn golden_submission() -> FilingSubmission {
        let json = include_str!("../../crates/core/tests/golden/filing_submit.json");
        let envelope: Envelope = serde_json::from_str(json).unwrap();
        assert_eq!(envelope.kind, Kind::FilingSubmit);
        envelope.open().unwrap()
    }

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, h, 4, 5).unwrap()
    }

    fn states() -> Vec<FilingState> {
        vec![
            FilingState::Draft,
            FilingState::PendingPreliminary,
            FilingState::Returned {
                by: Level::Town,
                reason: "请写明门牌号".into(),
            },
            FilingState::PendingReview,
            FilingState::Refused {
                reason: "不属于社区社会组织".into(),
            },
            FilingState::PublicNotice {
                until: t(3) + Duration::milliseconds(250),
            },
            FilingState::Filed,
            FilingState::Terminated,
        ]
    }

    #[wasm_bindgen_test]
    fn the_golden_submission_reads_and_writes_as_core_does() {
        let core = golden_submission();
        let plain: Submission = same(&core);
        assert_eq!(plain.form.to_core(), core.form);
        let mut unit = core.clone();
        unit.form.sponsor = Sponsor::Unit {
            name: "复兴社区居委会".into(),
        };
        unit.termination = Some(TerminationVote {
            held_on: NaiveDate::from_ymd_opt(2026, 1, 9).unwrap(),
            present: 20,
            in_favour: 15,
            against: 2,
        });
        let plain: Submission = same(&unit);
        assert_eq!(plain.form.to_core(), unit.form);
        assert_eq!(plain.termination.map(|v| v.to_core()), unit.termination);
    }

    #[wasm_bindgen_test]
    fn states_and_decisions_read_as_core_writes_them() {
        for state in states() {
            let plain: State = same(&state);
            assert_eq!(plain.to_core(), Some(state));
        }
        for decision in [
            Decision::Submit,
            Decision::PassPreliminary,
            Decision::Return { reason: "x".into() },
            Decision::Approve,
            Decision::Refuse { reason: "y".into() },
            Decision::EndNotice,
        ] {
            let plain: PlainDecision = same(&decision);
            assert_eq!(plain.to_core(), decision);
        }
    }

    #[wasm_bindgen_test]
    fn a_feed_page_reads_as_core_writes_it() {
        let photo = |n: u8| PhotoHash::parse(&format!("{n:02x}").repeat(32)).unwrap();
        let submission = FilingSubmission {
            photos: vec![photo(1), photo(2)],
            ..golden_submission()
        };
        let photos = vec![
            AttachedPhoto {
                hash: photo(1),
                arrived: true,
            },
            AttachedPhoto {
                hash: photo(2),
                arrived: false,
            },
        ];
        let trail = states()
            .into_iter()
            .enumerate()
            .map(|(i, state)| TrailEntry {
                at: t(i as u32),
                person: "王芳".into(),
                role: (i % 2 == 0).then_some(Role::VillageReviewer),
                version: RecordId::new(1_763_779_200_000 + i as u64, [1; 10]),
                decision: (i > 0).then_some(Decision::Return { reason: "z".into() }),
                state,
            })
            .collect();
        let view = ApplicationView {
            id: submission.application,
            organization: submission.organization,
            kind: ApplicationKind::Initial,
            state: FilingState::Filed,
            version: RecordId::new(1_763_779_200_000, [2; 10]),
            submission,
            certificate: Some(CertificateNumber::parse("500156-2026-0007").unwrap()),
            trail,
            updated_at: t(9),
            photos: photos.clone(),
        };
        let plain: AppView = same(&view);
        assert_eq!(plain.submission.photos, [photo(1), photo(2)]);
        assert_eq!(plain.photos, photos);
        assert_eq!(
            plain.certificate.as_ref().unwrap().to_string(),
            "500156-2026-0007"
        );
        let feed = FilingFeed {
            applications: vec![CoreItem {
                seq: 4,
                application: view.clone(),
            }],
            next_cursor: 4,
            more: false,
            server_time: t(10),
        };
        let page =
            crate::api::filings::FeedPage::parse(&serde_json::to_string(&feed).unwrap()).unwrap();
        assert_eq!((page.next_cursor, page.more), (4, false));
        let stored: AppView = crate::decode::from_value(page.items[0].clone()).unwrap();
        assert_eq!(stored, plain);

        let summary = OrganizationSummary {
            id: view.organization,
            name: "夕阳红".into(),
            category: Category::Volunteer,
            village: DivisionCode::parse("500156001001").unwrap(),
            village_name: "复兴社区居民委员会".into(),
            town: DivisionCode::parse("500156001").unwrap(),
            town_name: "凤山街道".into(),
            state: OrganizationState::Filed,
            certificate: view.certificate.clone(),
            filed_on: NaiveDate::from_ymd_opt(2026, 11, 29),
            application: ApplicationBrief {
                id: view.id,
                kind: view.kind,
                state: view.state.clone(),
            },
            updated_at: t(9),
        };
        let archive = wenming_core::filing::archive::Archive {
            organization: summary,
            filed_version: Some(view.version),
            applications: vec![ArchivedApplication {
                id: view.id,
                kind: view.kind,
                state: view.state.clone(),
                version: view.version,
                created_at: t(1),
                updated_at: t(9),
                versions: vec![ArchivedVersion {
                    id: view.version,
                    submitted_at: t(1),
                    person: "张秀英".into(),
                    submission: view.submission.clone(),
                    photos: photos.clone(),
                }],
                trail: view.trail.clone(),
            }],
            server_time: t(10),
        };
        let json = serde_json::to_string(&archive).unwrap();
        let plain: Archive = crate::decode::from_json(&json).unwrap();
        assert_eq!(
            plain.organization.filed_on,
            NaiveDate::from_ymd_opt(2026, 11, 29)
        );
        assert_eq!(
            plain.applications[0].versions[0].submission,
            same::<Submission>(&view.submission)
        );
        assert_eq!(plain.applications[0].trail, same::<AppView>(&view).trail);
    }

    #[wasm_bindgen_test]
    fn dates_read_and_write_as_chrono_does() {
        for s in ["2025-03-05", "1999-12-31", "2024-02-29", "0001-01-01"] {
            let chrono: NaiveDate = serde_json::from_str(&format!("\"{s}\"")).unwrap();
            assert_eq!(date::parse(s), Some(chrono));
            assert_eq!(date::write(&chrono), s);
        }
        for s in [
            "",
            "2025-3-5",
            "2025-02-30",
            "2025/03/05",
            "２０２５-03-05",
            "+2025-03-05",
        ] {
            assert_eq!(date::parse(s), None, "{s}");
        }
    }
}
