//! Registration (注册登记): what a volunteer tells about themselves on a phone, the form
//! that checks it, and the rule that merges registrations of one mobile number into one
//! volunteer, whatever phones they were made on and in whatever order they arrive.

use serde::{Deserialize, Serialize};

use crate::filing::people::Gender;
use crate::person::{PersonName, Phone};
use crate::protocol::{Kind, RecordBody, RecordId};

/// The most skills or organizations one registration lists, and the longest of each.
pub const MAX_TAGS: usize = 10;
pub const MAX_TAG_CHARS: usize = 20;

/// The youngest and oldest a volunteer may be, in years reached this year. Minors may
/// serve with their guardian's consent (志愿服务条例 第十五条), so the floor is low.
pub const MIN_AGE: i32 = 8;
pub const MAX_AGE: i32 = 100;

/// A volunteer registers. The mobile number is who they are: registrations of one number
/// are one volunteer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub name: PersonName,
    pub phone: Phone,
    pub gender: Gender,
    pub birth_year: u16,
    /// What they can do: 理发, 电工, 医疗护理, 法律咨询…
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<String>,
    /// The organizations they belong to (a volunteer team, a CSO of the village).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organizations: Vec<String>,
}

impl RecordBody for Registration {
    const KIND: Kind = Kind::Registration;
    const SCHEMA_VERSION: u16 = 1;
}

/// Why a registration was refused (the name and phone refuse themselves when parsed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationError {
    #[error("出生年份应在 {min} 至 {max} 年之间")]
    BirthYear { min: i32, max: i32 },
    #[error("技能或所属组织最多填写 {MAX_TAGS} 项")]
    TooManyTags,
    #[error("每项技能或组织名称不超过 {MAX_TAG_CHARS} 个字")]
    TagTooLong,
    #[error("技能或组织名称不能为空")]
    EmptyTag,
}

impl Registration {
    /// The rules serde cannot check: the birth year against `this_year`, and the lists.
    pub fn check(&self, this_year: i32) -> Result<(), RegistrationError> {
        let (min, max) = (this_year - MAX_AGE, this_year - MIN_AGE);
        if !(min..=max).contains(&i32::from(self.birth_year)) {
            return Err(RegistrationError::BirthYear { min, max });
        }
        for list in [&self.skills, &self.organizations] {
            check_tags(list)?;
        }
        Ok(())
    }
}

fn check_tags(tags: &[String]) -> Result<(), RegistrationError> {
    if tags.len() > MAX_TAGS {
        return Err(RegistrationError::TooManyTags);
    }
    for t in tags {
        if t.trim().is_empty() {
            return Err(RegistrationError::EmptyTag);
        }
        if t.chars().count() > MAX_TAG_CHARS {
            return Err(RegistrationError::TagTooLong);
        }
    }
    Ok(())
}

/// A list as people type it: separated by commas (either width), 、, ; or spaces; each
/// trimmed, empty ones and repeats dropped, order kept.
pub fn split_tags(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in s.split([',', '，', '、', ';', '；', ' ', '\u{3000}', '\n']) {
        let t = t.trim();
        if !t.is_empty() && !out.iter().any(|o| o == t) {
            out.push(t.to_owned());
        }
    }
    out
}

/// What the user typed into the registration form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistrationForm {
    pub name: String,
    pub phone: String,
    /// "male" or "female" (the radio buttons' values).
    pub gender: String,
    pub birth_year: String,
    pub skills: String,
    pub organizations: String,
}

/// The message for each field that needs fixing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistrationFormErrors {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub gender: Option<String>,
    pub birth_year: Option<String>,
    pub skills: Option<String>,
    pub organizations: Option<String>,
}

impl RegistrationForm {
    /// Checks every field at once; `this_year` is the phone's (Beijing) year.
    pub fn parse(&self, this_year: i32) -> Result<Registration, Box<RegistrationFormErrors>> {
        let name = PersonName::parse(&self.name).map_err(|e| e.to_string());
        let phone = Phone::parse(&self.phone).map_err(|e| e.to_string());
        let gender = match self.gender.as_str() {
            "male" | "男" => Ok(Gender::Male),
            "female" | "女" => Ok(Gender::Female),
            _ => Err("请选择性别".to_owned()),
        };
        let birth_year = self
            .birth_year
            .trim()
            .parse::<u16>()
            .map_err(|_| "请填写四位数的出生年份".to_owned())
            .and_then(|y| {
                let (min, max) = (this_year - MAX_AGE, this_year - MIN_AGE);
                if (min..=max).contains(&i32::from(y)) {
                    Ok(y)
                } else {
                    Err(RegistrationError::BirthYear { min, max }.to_string())
                }
            });
        let tags = |s: &str| {
            let list = split_tags(s);
            check_tags(&list).map(|()| list).map_err(|e| e.to_string())
        };
        let skills = tags(&self.skills);
        let organizations = tags(&self.organizations);
        match (name, phone, gender, birth_year, skills, organizations) {
            (Ok(name), Ok(phone), Ok(gender), Ok(birth_year), Ok(skills), Ok(organizations)) => {
                Ok(Registration {
                    name,
                    phone,
                    gender,
                    birth_year,
                    skills,
                    organizations,
                })
            }
            (n, p, g, b, s, o) => Err(Box::new(RegistrationFormErrors {
                name: n.err(),
                phone: p.err(),
                gender: g.err(),
                birth_year: b.err(),
                skills: s.err(),
                organizations: o.err(),
            })),
        }
    }
}

/// One volunteer: every registration of one mobile number, merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volunteer {
    /// The id of the first registration the server accepted for this number. It never
    /// changes, so the phones can keep it.
    pub id: RecordId,
    pub name: PersonName,
    pub phone: Phone,
    pub gender: Gender,
    pub birth_year: u16,
    pub skills: Vec<String>,
    pub organizations: Vec<String>,
    /// Every registration merged into this volunteer, in id (creation) order.
    pub registrations: Vec<RecordId>,
}

impl Volunteer {
    /// The volunteer of a first registration.
    pub fn new(id: RecordId, r: &Registration) -> Self {
        let sorted = |v: &[String]| {
            let mut v = v.to_vec();
            v.sort();
            v.dedup();
            v
        };
        Volunteer {
            id,
            name: r.name.clone(),
            phone: r.phone.clone(),
            gender: r.gender,
            birth_year: r.birth_year,
            skills: sorted(&r.skills),
            organizations: sorted(&r.organizations),
            registrations: vec![id],
        }
    }

    /// Merges another registration of the same number (the caller groups by number).
    ///
    /// The facts of the most recently *made* registration win (the newest record id: ids
    /// carry the phone's creation time), so the result does not depend on which phone
    /// synced first; skills and organizations are the union of all. Merging a registration
    /// already merged changes nothing.
    pub fn merge(&mut self, id: RecordId, r: &Registration) {
        if self.registrations.contains(&id) {
            return;
        }
        let newest = self.registrations.iter().all(|known| *known < id);
        if newest {
            self.name = r.name.clone();
            self.gender = r.gender;
            self.birth_year = r.birth_year;
        }
        for (mine, theirs) in [
            (&mut self.skills, &r.skills),
            (&mut self.organizations, &r.organizations),
        ] {
            for t in theirs {
                if !mine.contains(t) {
                    mine.push(t.clone());
                }
            }
            mine.sort();
        }
        let at = self.registrations.partition_point(|known| *known < id);
        self.registrations.insert(at, id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reg(name: &str, year: u16, skills: &[&str]) -> Registration {
        Registration {
            name: PersonName::parse(name).unwrap(),
            phone: Phone::parse("13912345678").unwrap(),
            gender: Gender::Female,
            birth_year: year,
            skills: skills.iter().map(|s| (*s).to_owned()).collect(),
            organizations: vec![],
        }
    }

    fn id(n: u64) -> RecordId {
        RecordId::new(1_763_802_000_000 + n, [n as u8; 10])
    }

    #[test]
    fn a_complete_form_becomes_a_registration() {
        let form = RegistrationForm {
            name: " 王桂兰 ".into(),
            phone: "139 1234 5678".into(),
            gender: "female".into(),
            birth_year: "1962".into(),
            skills: "理发、测血压，理发".into(),
            organizations: "复兴社区夕阳红志愿服务队".into(),
        };
        let r = form.parse(2026).unwrap();
        assert_eq!(r.name.as_str(), "王桂兰");
        assert_eq!(r.skills, vec!["理发", "测血压"]);
        assert_eq!(r.organizations.len(), 1);
        assert_eq!(r.check(2026), Ok(()));
    }

    #[test]
    fn every_wrong_field_of_the_form_is_reported_at_once() {
        let errors = RegistrationForm {
            birth_year: "1900".into(),
            skills: "很长很长很长很长很长很长很长很长很长很长很长".into(),
            ..RegistrationForm::default()
        }
        .parse(2026)
        .unwrap_err();
        assert_eq!(errors.name.as_deref(), Some("请填写姓名"));
        assert_eq!(errors.phone.as_deref(), Some("请填写手机号码"));
        assert_eq!(errors.gender.as_deref(), Some("请选择性别"));
        assert_eq!(
            errors.birth_year.as_deref(),
            Some("出生年份应在 1926 至 2018 年之间")
        );
        assert_eq!(
            errors.skills.as_deref(),
            Some("每项技能或组织名称不超过 20 个字")
        );
        assert_eq!(errors.organizations, None);
    }

    #[test]
    fn the_newest_registration_of_a_number_gives_the_facts_and_skills_add_up() {
        let older = reg("王桂兰", 1962, &["理发"]);
        let newer = reg("王桂兰", 1963, &["测血压"]);
        // The newer one reached the server first.
        let mut v = Volunteer::new(id(5), &newer);
        v.merge(id(2), &older);
        assert_eq!(v.id, id(5), "the first accepted keeps its id");
        assert_eq!(v.birth_year, 1963);
        assert_eq!(v.skills, vec!["测血压", "理发"]);
        assert_eq!(v.registrations, vec![id(2), id(5)]);
        let before = v.clone();
        v.merge(id(2), &older);
        assert_eq!(v, before, "merging twice changes nothing");
    }

    proptest! {
        /// Whatever order the registrations of one number arrive in, the volunteer has
        /// the same facts; only the id (the first arrival) differs.
        #[test]
        fn merging_does_not_depend_on_arrival_order(
            (regs, shuffled) in proptest::collection::btree_map(
                1u64..1_000, (1950u16..2010, 0usize..4), 1..8,
            )
            .prop_flat_map(|m| {
                let v: Vec<_> = m.into_iter().collect();
                (Just(v.clone()), Just(v).prop_shuffle())
            }),
        ) {
            let skills = ["理发", "电工", "护理", "法律"];
            let fold = |order: &[(u64, (u16, usize))]| {
                let mut regs = order.iter().map(|(n, (y, s))| (id(*n), reg("李四", *y, &skills[..*s])));
                let (first, r) = regs.next().expect("at least one");
                let mut v = Volunteer::new(first, &r);
                for (i, r) in regs {
                    v.merge(i, &r);
                }
                v
            };
            let (a, b) = (fold(&regs), fold(&shuffled));
            prop_assert_eq!(&a.registrations, &b.registrations);
            prop_assert_eq!(&a.skills, &b.skills);
            prop_assert_eq!(a.birth_year, b.birth_year);
            prop_assert_eq!(a.id, id(regs[0].0));
        }
    }
}
