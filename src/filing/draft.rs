//! The leader's draft of an application, kept as typed (valid or not) so that nothing is
//! lost, and how it becomes a submission: parsed into core's types, then checked with
//! core's rules, every problem reported beside its field.

use std::rc::Rc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use wenming_core::filing::charter::{Charter, Clause, Section, TemplateFacts};
use wenming_core::filing::people::{
    check_roster, Contact, Gender, Leader, Member, PoliticalStatus,
};
use wenming_core::filing::{ApplicationKind, Category};
use wenming_core::photo::PhotoHash;
use wenming_core::{DivisionCode, Level, PersonName, Phone, RecordId};

use super::wire::{date, Form, PlainDecision, PlainSponsor, SponsorKind, Submission, Vote};
use super::{from_tag, tag};
use crate::time::rfc3339;

macro_rules! inputs {
    ($(#[$meta:meta])* $name:ident { $($field:ident),* $(,)? }) => {
        $(#[$meta])*
        ///
        /// Kept as a plain list of strings, one per field in order: stored and read back as
        /// such, which costs the download far less decoding code than a struct of fields.
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Vec<String>);

        impl $name {
            const KEYS: &'static [&'static str] = &[$(stringify!($field)),*];

            /// The field named `key` (empty for an unknown name).
            pub fn get(&self, key: &str) -> &str {
                Self::KEYS
                    .iter()
                    .position(|k| *k == key)
                    .and_then(|i| self.0.get(i))
                    .map_or("", String::as_str)
            }

            /// Sets the field named `key`; an unknown name changes nothing.
            pub fn set(&mut self, key: &str, value: String) {
                if let Some(i) = Self::KEYS.iter().position(|k| *k == key) {
                    if self.0.len() < Self::KEYS.len() {
                        self.0.resize(Self::KEYS.len(), String::new());
                    }
                    self.0[i] = value;
                }
            }
        }
    };
}

inputs!(
    /// The filing form as typed. Field names are core's error keys where core has one.
    FormInput {
        name, category, founded_on, town, village, venue,
        leader_name, leader_gender, leader_phone, leader_political,
        contact_name, contact_phone, activities, funding, sponsor_kind, sponsor_name,
    }
);

inputs!(
    /// The members' meeting vote of a termination, as typed.
    VoteInput { held_on, present, in_favour, against }
);

impl FormInput {
    /// The form of a submission, to edit again.
    pub fn of(f: &Form) -> FormInput {
        let mut input = FormInput::default();
        for (key, value) in [
            ("name", f.name.clone()),
            ("category", tag(&f.category)),
            ("founded_on", date::write(&f.founded_on)),
            ("town", f.town.to_string()),
            ("village", f.village.to_string()),
            ("venue", f.venue.clone()),
            ("leader_name", f.leader.name.to_string()),
            ("leader_gender", tag(&f.leader.gender)),
            ("leader_phone", f.leader.phone.to_string()),
            ("leader_political", tag(&f.leader.political_status)),
            ("contact_name", f.contact.name.to_string()),
            ("contact_phone", f.contact.phone.to_string()),
            ("activities", f.activities.clone()),
            ("funding", f.funding.clone()),
            ("sponsor_kind", tag(&f.sponsor.kind)),
            ("sponsor_name", f.sponsor.name.clone()),
        ] {
            input.set(key, value);
        }
        input
    }
}

/// The version of a draft last queued for the district.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sent {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub version: RecordId,
    #[serde(with = "rfc3339")]
    pub at: DateTime<Utc>,
}

/// An application as its leader writes it; kept in IndexedDB under its application id and
/// saved on every input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub application: RecordId,
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub organization: RecordId,
    pub kind: ApplicationKind,
    pub form: FormInput,
    /// One text per section of `Section::ALL`; `None` is the template, filled in with the
    /// form as it is now.
    #[serde(default)]
    pub charter: Vec<Option<String>>,
    /// Stored as lines of the import format (see `roster`), which reuses its parser
    /// instead of a decoder of members.
    #[serde(default, with = "lines")]
    pub roster: Rc<Vec<Member>>,
    #[serde(default)]
    pub vote: VoteInput,
    /// The version last queued, if any.
    #[serde(default)]
    pub sent: Option<Sent>,
    /// Whether the leader was editing it: the filing tab opens it again.
    #[serde(default)]
    pub open: bool,
    /// Photos of signed pages or meeting minutes, kept in the `photos` store by hash.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<PhotoHash>,
}

/// Problems keyed by field (`"name"`, `"leader_phone"`, `"charter"`, `"roster"`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, m)| m.as_str())
    }

    pub(crate) fn add(&mut self, key: &'static str, message: String) {
        if self.get(key).is_none() {
            self.0.push((key, message));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// What the charter template is filled in with, besides the form.
pub fn area_name(town: &str, village: &str) -> String {
    let village = ["居民委员会", "村民委员会", "居委会", "村委会"]
        .iter()
        .find_map(|s| village.strip_suffix(s))
        .unwrap_or(village);
    format!("{town}{village}")
}

impl Draft {
    /// A new first filing in `village` (the leader's own), with fresh ids.
    pub fn new(organization: RecordId, application: RecordId, village: &DivisionCode) -> Draft {
        let mut form = FormInput::default();
        form.set(
            "town",
            village.parent().map(|t| t.to_string()).unwrap_or_default(),
        );
        form.set("village", village.to_string());
        form.set("sponsor_kind", "person".to_owned());
        Draft {
            application,
            organization,
            kind: ApplicationKind::Initial,
            form,
            charter: vec![None; Section::ALL.len()],
            roster: Rc::default(),
            vote: VoteInput::default(),
            sent: None,
            open: true,
            photos: Vec::new(),
        }
    }

    /// A draft from a submission: a change or termination of a filed organization (with
    /// a new application id), or an application sent back, edited on another phone.
    pub fn of(kind: ApplicationKind, application: RecordId, s: &Submission) -> Draft {
        Draft {
            application,
            organization: s.organization,
            kind,
            form: FormInput::of(&s.form),
            charter: Section::ALL
                .iter()
                .map(|section| s.charter.clause(*section).map(str::to_owned))
                .collect(),
            roster: Rc::new(s.roster.clone()),
            vote: VoteInput::default(),
            sent: None,
            open: true,
            photos: s.photos.clone(),
        }
    }

    /// The text of a charter section: as edited, or the template's.
    pub fn clause(&self, i: usize, area: &str) -> String {
        if let Some(Some(text)) = self.charter.get(i) {
            return text.clone();
        }
        let Some(section) = Section::ALL.get(i) else {
            return String::new();
        };
        let template = Charter::template(TemplateFacts {
            org_name: self.form.get("name").trim(),
            area_name: area,
            activities: self.form.get("activities").trim(),
        });
        template.clause(*section).unwrap_or_default().to_owned()
    }

    pub fn set_clause(&mut self, i: usize, text: String) {
        if self.charter.len() < Section::ALL.len() {
            self.charter.resize(Section::ALL.len(), None);
        }
        if let Some(slot) = self.charter.get_mut(i) {
            *slot = Some(text);
        }
    }

    /// The submission this draft makes today, or every problem with it. `area` is the
    /// charter template's area name.
    pub fn build(&self, today: NaiveDate, area: &str) -> Result<Submission, FieldErrors> {
        let f = &self.form;
        let mut errors = FieldErrors::default();
        let mut need = |key: &'static str, ok: Option<()>, message: &str| {
            if ok.is_none() {
                errors.add(key, message.to_owned());
            }
        };
        let category = from_tag(&Category::ALL, f.get("category"));
        need("category", category.map(drop), "请选择组织类别");
        let founded_on = date::parse(f.get("founded_on"));
        need("founded_on", founded_on.map(drop), "请填写成立日期");
        let town = DivisionCode::parse_level(f.get("town"), Level::Town).ok();
        need("town", town.as_ref().map(drop), "请选择所在街道/乡镇");
        let village = DivisionCode::parse_level(f.get("village"), Level::Village).ok();
        need("village", village.as_ref().map(drop), "请选择所在社区/村");
        let gender = from_tag(&[Gender::Male, Gender::Female], f.get("leader_gender"));
        need("leader_gender", gender.map(drop), "请选择性别");
        let political = from_tag(&PoliticalStatus::ALL, f.get("leader_political"));
        need("leader_political", political.map(drop), "请选择政治面貌");
        let mut name = |key: &'static str, s: &str| {
            PersonName::parse(s)
                .map_err(|e| errors.add(key, e.to_string()))
                .ok()
        };
        let leader_name = name("leader_name", f.get("leader_name"));
        let contact_name = name("contact_name", f.get("contact_name"));
        let mut phone = |key: &'static str, s: &str| {
            Phone::parse(s)
                .map_err(|e| errors.add(key, e.to_string()))
                .ok()
        };
        let leader_phone = phone("leader_phone", f.get("leader_phone"));
        let contact_phone = phone("contact_phone", f.get("contact_phone"));

        // Core checks what parsed, all at once: a field that did not parse stands in with
        // a placeholder, and what core says of the placeholder is not shown.
        let placeholder_name = || PersonName::parse("某").ok();
        let placeholder_phone = || Phone::parse("13900000000").ok();
        let (
            Some(town_code),
            Some(village_code),
            Some(leader_name),
            Some(contact_name),
            Some(leader_phone),
            Some(contact_phone),
        ) = (
            town.clone()
                .or_else(|| DivisionCode::parse("000000000").ok()),
            village
                .clone()
                .or_else(|| DivisionCode::parse("000000000000").ok()),
            leader_name.or_else(placeholder_name),
            contact_name.or_else(placeholder_name),
            leader_phone.or_else(placeholder_phone),
            contact_phone.or_else(placeholder_phone),
        )
        else {
            return Err(errors);
        };
        let form = Form {
            name: f.get("name").trim().to_owned(),
            category: category.unwrap_or(Category::Volunteer),
            founded_on: founded_on.unwrap_or(today),
            town: town_code,
            village: village_code,
            venue: f.get("venue").trim().to_owned(),
            leader: Leader {
                name: leader_name,
                gender: gender.unwrap_or(Gender::Female),
                phone: leader_phone,
                political_status: political.unwrap_or(PoliticalStatus::Masses),
            },
            contact: Contact {
                name: contact_name,
                phone: contact_phone,
            },
            member_count: self.roster.len() as u32,
            activities: f.get("activities").trim().to_owned(),
            funding: f.get("funding").trim().to_owned(),
            sponsor: PlainSponsor {
                kind: if f.get("sponsor_kind") == "unit" {
                    SponsorKind::Unit
                } else {
                    SponsorKind::Person
                },
                name: f.get("sponsor_name").trim().to_owned(),
            },
        };
        let town_bad = town.is_none();
        for e in form.to_core().check(today, self.roster.len()) {
            let placeholder = (e.field == "village" && (town_bad || village.is_none()))
                || (e.field == "founded_on" && founded_on.is_none())
                || (e.field == "town" && town_bad);
            // The roster is the member count: its problems are the roster's.
            let key = if e.field == "member_count" {
                "roster"
            } else {
                e.field
            };
            if !placeholder {
                errors.add(key, e.message);
            }
        }

        let charter = Charter {
            clauses: Section::ALL
                .iter()
                .enumerate()
                .map(|(i, section)| Clause {
                    section: *section,
                    text: self.clause(i, area).trim().to_owned(),
                })
                .collect(),
        };
        if let Err(e) = charter.check() {
            errors.add("charter", e.to_string());
        }
        if let Err(e) = check_roster(&self.roster, u16::try_from(today.year()).unwrap_or(0)) {
            errors.add("roster", e.to_string());
        }
        if let Err(e) = wenming_core::photo::check_photos(&self.photos) {
            errors.add("photos", e.to_string());
        }
        let termination = if self.kind == ApplicationKind::Termination {
            self.vote(today, &mut errors)
        } else {
            None
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Submission {
            organization: self.organization,
            application: self.application,
            kind: self.kind,
            form,
            charter,
            roster: (*self.roster).clone(),
            termination,
            photos: self.photos.clone(),
        })
    }

    fn vote(&self, today: NaiveDate, errors: &mut FieldErrors) -> Option<Vote> {
        let v = &self.vote;
        let count = |s: &str| s.trim().parse::<u32>().ok();
        let Some(held_on) = date::parse(v.get("held_on")) else {
            errors.add("vote", "请填写全体成员会议的日期".to_owned());
            return None;
        };
        let (Some(present), Some(in_favour), Some(against)) = (
            count(v.get("present")),
            count(v.get("in_favour")),
            count(v.get("against")),
        ) else {
            errors.add("vote", "请填写出席人数、赞成票数和反对票数".to_owned());
            return None;
        };
        let vote = Vote {
            held_on,
            present,
            in_favour,
            against,
        };
        match vote.to_core().check(today) {
            Ok(()) => Some(vote),
            Err(e) => {
                errors.add("vote", e.to_string());
                None
            }
        }
    }
}

/// A roster as lines of the import format, one per member.
mod lines {
    use std::rc::Rc;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use wenming_core::filing::people::Member;

    use crate::filing::roster::{line_of, member};

    pub fn serialize<S: Serializer>(roster: &Rc<Vec<Member>>, s: S) -> Result<S::Ok, S::Error> {
        let lines: Vec<String> = roster.iter().map(|m| line_of(m).join("\t")).collect();
        lines.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Rc<Vec<Member>>, D::Error> {
        let lines = Vec::<String>::deserialize(d)?;
        // A stored member was valid when stored: its birth year is not bounded again.
        Ok(Rc::new(
            lines
                .iter()
                .filter_map(|l| member(&l.split('\t').collect::<Vec<_>>(), None).ok())
                .collect(),
        ))
    }
}

/// A reviewer's decision made on this phone, kept beside its outbox entry so that its sync
/// state and a rejection can be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyDecision {
    /// The `filing_decision` record's id.
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub id: RecordId,
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub application: RecordId,
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub version: RecordId,
    pub decision: PlainDecision,
    #[serde(with = "rfc3339")]
    pub at: DateTime<Utc>,
}
