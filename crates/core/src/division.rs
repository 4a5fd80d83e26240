//! Administrative division codes (the national statistical codes) and station codes.

use serde::{Deserialize, Serialize};

/// The levels of administration the product deals with, top down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 区/县: the district civil-affairs bureau runs the district endpoint.
    District,
    /// 街道/乡镇: approves filings, hosts a practice 所.
    Town,
    /// 社区/村: the committee does the preliminary review; hosts a practice 站.
    Village,
}

impl Level {
    /// How many digits a code of this level has.
    pub const fn digits(self) -> usize {
        match self {
            Level::District => 6,
            Level::Town => 9,
            Level::Village => 12,
        }
    }

    pub const fn name_zh(self) -> &'static str {
        match self {
            Level::District => "区县",
            Level::Town => "街道/乡镇",
            Level::Village => "社区/村",
        }
    }

    fn from_digits(n: usize) -> Option<Level> {
        match n {
            6 => Some(Level::District),
            9 => Some(Level::Town),
            12 => Some(Level::Village),
            _ => None,
        }
    }
}

/// Why a division or station code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("区划代码应为 6、9 或 12 位数字")]
    Malformed,
    #[error("应为{}代码（{} 位数字）", .0.name_zh(), .0.digits())]
    WrongLevel(Level),
}

/// A district, street/town or village code: 6, 9 or 12 ASCII digits, each level's code
/// beginning with its parent's.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DivisionCode(String);

impl DivisionCode {
    pub fn parse(s: &str) -> Result<Self, CodeError> {
        let s = s.trim();
        if Level::from_digits(s.len()).is_none() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeError::Malformed);
        }
        Ok(DivisionCode(s.to_owned()))
    }

    /// Parses a code that must be of the given level.
    pub fn parse_level(s: &str, level: Level) -> Result<Self, CodeError> {
        let code = Self::parse(s).map_err(|_| CodeError::WrongLevel(level))?;
        if code.level() == level {
            Ok(code)
        } else {
            Err(CodeError::WrongLevel(level))
        }
    }

    pub fn level(&self) -> Level {
        Level::from_digits(self.0.len()).unwrap_or(Level::Village)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code one level up, if there is one this product knows.
    pub fn parent(&self) -> Option<DivisionCode> {
        match self.level() {
            Level::District => None,
            Level::Town => Some(DivisionCode(self.0[..6].to_owned())),
            Level::Village => Some(DivisionCode(self.0[..9].to_owned())),
        }
    }

    /// The district this code lies in (itself for a district).
    pub fn district(&self) -> DivisionCode {
        DivisionCode(self.0[..6].to_owned())
    }

    /// Whether `other` is this division or lies inside it.
    pub fn contains(&self, other: &DivisionCode) -> bool {
        other.0.starts_with(&self.0)
    }
}

crate::string_newtype!(DivisionCode, CodeError, debug);

/// A New Era Civilization Practice station (新时代文明实践站). There is one per village or
/// community, and its code is that village's 12-digit code.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StationCode(DivisionCode);

impl StationCode {
    pub fn parse(s: &str) -> Result<Self, CodeError> {
        DivisionCode::parse_level(s, Level::Village)
            .map(StationCode)
            .map_err(|_| CodeError::WrongLevel(Level::Village))
    }

    pub fn village(&self) -> &DivisionCode {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

crate::string_newtype!(StationCode, CodeError, debug);

/// The name a station gets from its village: "复兴社区居民委员会" → "复兴社区新时代文明实践站".
pub fn station_name(village_name: &str) -> String {
    let base = ["居民委员会", "村民委员会", "居委会", "村委会"]
        .iter()
        .find_map(|suffix| village_name.strip_suffix(suffix))
        .unwrap_or(village_name);
    format!("{base}新时代文明实践站")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_of_the_three_levels_are_recognised() {
        assert_eq!(
            DivisionCode::parse("500156").unwrap().level(),
            Level::District
        );
        assert_eq!(
            DivisionCode::parse("500156001").unwrap().level(),
            Level::Town
        );
        assert_eq!(
            DivisionCode::parse("500156001001").unwrap().level(),
            Level::Village
        );
    }

    #[test]
    fn codes_of_other_lengths_or_with_letters_are_rejected() {
        for bad in ["", "5001", "50015600100", "50015600100a", "５００１５６"] {
            assert_eq!(DivisionCode::parse(bad), Err(CodeError::Malformed), "{bad}");
        }
    }

    #[test]
    fn a_village_lies_in_its_town_and_district() {
        let village = DivisionCode::parse("500156001001").unwrap();
        let town = village.parent().unwrap();
        assert_eq!(town.as_str(), "500156001");
        assert_eq!(town.parent().unwrap().as_str(), "500156");
        assert!(town.contains(&village));
        assert!(village.district().contains(&village));
        assert!(!DivisionCode::parse("500156002").unwrap().contains(&village));
    }

    #[test]
    fn a_station_code_must_be_a_village_code() {
        assert!(StationCode::parse("500156001001").is_ok());
        let err = StationCode::parse("500156001").unwrap_err();
        assert_eq!(err.to_string(), "应为社区/村代码（12 位数字）");
    }

    #[test]
    fn station_names_drop_the_committee_suffix() {
        assert_eq!(
            station_name("复兴社区居民委员会"),
            "复兴社区新时代文明实践站"
        );
        assert_eq!(station_name("双河村村民委员会"), "双河村新时代文明实践站");
        assert_eq!(station_name("某某村"), "某某村新时代文明实践站");
    }
}
