//! People's names and mainland mobile numbers, parsed once at the boundary.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a name was refused; the text is shown to the user as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("请填写姓名")]
    Empty,
    #[error("姓名不能超过 {max} 个字", max = PersonName::MAX_CHARS)]
    TooLong,
    #[error("姓名只能包含文字和间隔号“·”")]
    BadCharacter,
}

/// A person's name as written on an ID card: letters of any script, with the middle dot of
/// minority names ("阿卜杜·热合曼") and inner spaces allowed.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 30;

    pub fn parse(s: &str) -> Result<Self, NameError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(NameError::Empty);
        }
        if s.chars().count() > Self::MAX_CHARS {
            return Err(NameError::TooLong);
        }
        if !s
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '·' | '•' | '.' | ' ' | '-'))
        {
            return Err(NameError::BadCharacter);
        }
        Ok(PersonName(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::string_newtype!(PersonName, NameError, debug);

/// Why a mobile number was refused; the text is shown to the user as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("请填写手机号码")]
    Empty,
    #[error("手机号码应为 11 位数字")]
    WrongLength,
    #[error("手机号码只能包含数字")]
    NotDigits,
    #[error("手机号码应以 13–19 开头")]
    BadPrefix,
}

/// A mainland China mobile number, kept as its 11 digits: `1[3-9]xxxxxxxxx`.
///
/// Input may carry spaces or dashes between groups ("138 0013 8000") and a `+86` or `86`
/// country prefix; both are dropped.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    pub fn parse(s: &str) -> Result<Self, PhoneError> {
        let compact: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if compact.is_empty() {
            return Err(PhoneError::Empty);
        }
        let digits = compact
            .strip_prefix("+86")
            .or_else(|| compact.strip_prefix("86").filter(|rest| rest.len() == 11))
            .unwrap_or(&compact);
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(PhoneError::NotDigits);
        }
        if digits.len() != 11 {
            return Err(PhoneError::WrongLength);
        }
        let b = digits.as_bytes();
        if b[0] != b'1' || !(b'3'..=b'9').contains(&b[1]) {
            return Err(PhoneError::BadPrefix);
        }
        Ok(Phone(digits.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with its middle four digits hidden, for lists that others may see.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

crate::string_newtype!(Phone, PhoneError);

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_phone(input: &str, expected: Result<&str, PhoneError>) {
        assert_eq!(
            Phone::parse(input).as_ref().map(Phone::as_str),
            expected.as_ref().map(|s| *s),
            "{input:?}"
        );
    }

    #[test]
    fn mainland_mobile_numbers_are_accepted_in_common_spellings() {
        check_phone("13800138000", Ok("13800138000"));
        check_phone(" 138 0013 8000 ", Ok("13800138000"));
        check_phone("138-0013-8000", Ok("13800138000"));
        check_phone("+8619912345678", Ok("19912345678"));
        check_phone("8615012345678", Ok("15012345678"));
    }

    #[test]
    fn numbers_of_the_wrong_shape_are_rejected_with_a_reason() {
        check_phone("", Err(PhoneError::Empty));
        check_phone("   ", Err(PhoneError::Empty));
        check_phone("1380013800", Err(PhoneError::WrongLength));
        check_phone("138001380001", Err(PhoneError::WrongLength));
        check_phone("1380013800a", Err(PhoneError::NotDigits));
        check_phone("12800138000", Err(PhoneError::BadPrefix));
        check_phone("23800138000", Err(PhoneError::BadPrefix));
        check_phone("023-64551234", Err(PhoneError::BadPrefix));
    }

    #[test]
    fn phone_numbers_are_masked_in_debug_output() {
        let p = Phone::parse("13800138000").unwrap();
        assert_eq!(p.masked(), "138****8000");
        assert_eq!(format!("{p:?}"), "Phone(138****8000)");
    }

    #[test]
    fn names_are_trimmed_and_may_hold_a_middle_dot() {
        assert_eq!(PersonName::parse("  张三 ").unwrap().as_str(), "张三");
        assert!(PersonName::parse("阿卜杜·热合曼").is_ok());
    }

    #[test]
    fn whitespace_only_names_are_rejected() {
        assert_eq!(PersonName::parse(" \t"), Err(NameError::Empty));
    }

    #[test]
    fn names_with_digits_or_too_many_characters_are_rejected() {
        assert_eq!(PersonName::parse("张三3"), Err(NameError::BadCharacter));
        assert_eq!(PersonName::parse(&"张".repeat(31)), Err(NameError::TooLong));
        assert!(PersonName::parse(&"张".repeat(30)).is_ok());
    }
}
