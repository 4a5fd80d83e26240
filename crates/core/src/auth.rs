//! Enrollment codes and device tokens: how a phone comes to act for a person.
//!
//! The district server makes a one-time enrollment code (printed as a link and a QR code);
//! the phone trades it for a device token of 256 random bits. Randomness comes from the
//! caller, so this module stays pure.

use std::fmt;

/// Crockford's base-32 alphabet: no I, L, O or U, so a code read aloud or typed from
/// paper is hard to get wrong.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A one-time enrollment code: 80 random bits as 16 base-32 characters, shown in groups of
/// four ("7K2M-QX9P-…").
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct EnrollmentCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("注册码应为 16 位字母和数字")]
pub struct BadEnrollmentCode;

impl EnrollmentCode {
    pub const LEN: usize = 16;

    pub fn from_random(random: [u8; 10]) -> Self {
        let mut bits: u128 = 0;
        for b in random {
            bits = (bits << 8) | u128::from(b);
        }
        let code = (0..Self::LEN)
            .rev()
            .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
            .collect();
        EnrollmentCode(code)
    }

    /// Accepts what a person types: any case, with or without dashes and spaces, and the
    /// letters O, I and L read as the digits they look like.
    pub fn parse(s: &str) -> Result<Self, BadEnrollmentCode> {
        let mut code = String::with_capacity(Self::LEN);
        for c in s.chars().filter(|c| !c.is_whitespace() && *c != '-') {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
                return Err(BadEnrollmentCode);
            }
            code.push(c);
        }
        if code.len() == Self::LEN {
            Ok(EnrollmentCode(code))
        } else {
            Err(BadEnrollmentCode)
        }
    }

    /// The 16 characters without dashes: what is hashed and stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EnrollmentCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, chunk) in self.0.as_bytes().chunks(4).enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            // The code is ASCII by construction.
            f.write_str(std::str::from_utf8(chunk).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

impl fmt::Debug for EnrollmentCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EnrollmentCode(…)")
    }
}

/// A device token as the phone holds it: 256 random bits, hex-encoded.
pub fn token_from_random(random: [u8; 32]) -> String {
    random.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sixteen_characters_in_groups_of_four() {
        let code = EnrollmentCode::from_random([0xA5; 10]);
        assert_eq!(code.as_str().len(), 16);
        let shown = code.to_string();
        assert_eq!(shown.len(), 19);
        assert_eq!(shown.matches('-').count(), 3);
    }

    #[test]
    fn a_code_typed_loosely_parses_back_to_itself() {
        let code = EnrollmentCode::from_random([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        let typed = code.to_string().to_lowercase().replace('-', " ");
        assert_eq!(EnrollmentCode::parse(&typed), Ok(code));
    }

    #[test]
    fn look_alike_letters_are_read_as_digits() {
        assert_eq!(
            EnrollmentCode::parse("OIL0-0000-0000-0000")
                .unwrap()
                .as_str(),
            "0110000000000000"
        );
    }

    #[test]
    fn codes_of_the_wrong_length_or_alphabet_are_refused() {
        assert_eq!(EnrollmentCode::parse("ABCD"), Err(BadEnrollmentCode));
        assert_eq!(
            EnrollmentCode::parse("UUUU-0000-0000-0000"),
            Err(BadEnrollmentCode)
        );
        assert_eq!(
            EnrollmentCode::parse("签到00-0000-0000-0000"),
            Err(BadEnrollmentCode)
        );
    }

    #[test]
    fn tokens_carry_256_bits_as_hex() {
        let t = token_from_random([0xFF; 32]);
        assert_eq!(t.len(), 64);
        assert!(t.chars().all(|c| c == 'f'));
    }
}
