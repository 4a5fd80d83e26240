//! The people on a filing: gender and political status as the forms ask them, and the
//! member roster (成员花名册).

use serde::{Deserialize, Serialize};

use crate::person::{PersonName, Phone};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn name_zh(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
}

/// 政治面貌, as Chinese forms list it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoliticalStatus {
    PartyMember,
    ProbationaryPartyMember,
    LeagueMember,
    DemocraticParty,
    Masses,
}

impl PoliticalStatus {
    pub const ALL: [PoliticalStatus; 5] = [
        PoliticalStatus::PartyMember,
        PoliticalStatus::ProbationaryPartyMember,
        PoliticalStatus::LeagueMember,
        PoliticalStatus::DemocraticParty,
        PoliticalStatus::Masses,
    ];

    pub fn name_zh(self) -> &'static str {
        match self {
            PoliticalStatus::PartyMember => "中共党员",
            PoliticalStatus::ProbationaryPartyMember => "中共预备党员",
            PoliticalStatus::LeagueMember => "共青团员",
            PoliticalStatus::DemocraticParty => "民主党派",
            PoliticalStatus::Masses => "群众",
        }
    }

    /// Whether the person is a member of the Communist Party (the form's 是否党员).
    pub fn is_party_member(self) -> bool {
        matches!(
            self,
            PoliticalStatus::PartyMember | PoliticalStatus::ProbationaryPartyMember
        )
    }
}

/// The organization's leader (负责人) as the filing form records them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leader {
    pub name: PersonName,
    pub gender: Gender,
    pub phone: Phone,
    pub political_status: PoliticalStatus,
}

/// The contact person (联系人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: PersonName,
    pub phone: Phone,
}

/// One line of the member roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub name: PersonName,
    pub gender: Gender,
    pub birth_year: u16,
    /// Members without a mobile phone are common among the elderly; the number is optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
    pub political_status: PoliticalStatus,
    /// 职务: 负责人, 副负责人, 成员, … as the organization names them.
    pub role: String,
}

/// Why a roster line was refused; shown to the user with its line number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RosterError {
    #[error("成员花名册为空")]
    Empty,
    #[error("第 {line} 行：出生年份 {year} 不在 {min}–{max} 之间")]
    BirthYear {
        line: usize,
        year: u16,
        min: u16,
        max: u16,
    },
    #[error("第 {line} 行：职务不能超过 20 个字")]
    RoleTooLong { line: usize },
    #[error("第 {line} 行与第 {first} 行的手机号码相同")]
    DuplicatePhone { line: usize, first: usize },
}

/// Checks the whole roster in one pass; `this_year` comes from the caller's clock.
/// Fast enough for rosters of several hundred members on a cheap phone: one sort, no
/// quadratic scans.
pub fn check_roster(members: &[Member], this_year: u16) -> Result<(), RosterError> {
    if members.is_empty() {
        return Err(RosterError::Empty);
    }
    let (min, max) = (this_year.saturating_sub(110), this_year);
    for (i, m) in members.iter().enumerate() {
        let line = i + 1;
        if !(min..=max).contains(&m.birth_year) {
            return Err(RosterError::BirthYear {
                line,
                year: m.birth_year,
                min,
                max,
            });
        }
        if m.role.chars().count() > 20 {
            return Err(RosterError::RoleTooLong { line });
        }
    }
    let mut phones: Vec<(&str, usize)> = members
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.phone.as_ref().map(|p| (p.as_str(), i + 1)))
        .collect();
    phones.sort_unstable();
    if let Some(w) = phones.windows(2).find(|w| w[0].0 == w[1].0) {
        let (first, line) = (w[0].1.min(w[1].1), w[0].1.max(w[1].1));
        return Err(RosterError::DuplicatePhone { line, first });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &str, year: u16, phone: Option<&str>) -> Member {
        Member {
            name: PersonName::parse(name).unwrap(),
            gender: Gender::Female,
            birth_year: year,
            phone: phone.map(|p| Phone::parse(p).unwrap()),
            political_status: PoliticalStatus::Masses,
            role: "成员".into(),
        }
    }

    #[test]
    fn a_roster_of_several_hundred_checks_fine() {
        let roster: Vec<Member> = (0..300)
            .map(|i| {
                member(
                    "张秀英",
                    1940 + (i % 60) as u16,
                    Some(&format!("139{:08}", i)),
                )
            })
            .collect();
        assert_eq!(check_roster(&roster, 2026), Ok(()));
    }

    #[test]
    fn members_without_a_phone_are_allowed() {
        let roster = vec![member("王大爷", 1941, None), member("李大娘", 1943, None)];
        assert_eq!(check_roster(&roster, 2026), Ok(()));
    }

    #[test]
    fn an_empty_roster_is_refused() {
        assert_eq!(check_roster(&[], 2026), Err(RosterError::Empty));
    }

    #[test]
    fn the_line_of_an_impossible_birth_year_is_named() {
        let roster = vec![member("甲", 1960, None), member("乙", 2031, None)];
        let err = check_roster(&roster, 2026).unwrap_err();
        assert_eq!(
            err.to_string(),
            "第 2 行：出生年份 2031 不在 1916–2026 之间"
        );
    }

    #[test]
    fn the_same_phone_twice_names_both_lines() {
        let roster = vec![
            member("甲", 1960, Some("13900000001")),
            member("乙", 1961, Some("13900000002")),
            member("丙", 1962, Some("13900000001")),
        ];
        let err = check_roster(&roster, 2026).unwrap_err();
        assert_eq!(err.to_string(), "第 3 行与第 1 行的手机号码相同");
    }

    #[test]
    fn party_membership_follows_political_status() {
        assert!(PoliticalStatus::ProbationaryPartyMember.is_party_member());
        assert!(!PoliticalStatus::LeagueMember.is_party_member());
    }
}
