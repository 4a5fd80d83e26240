//! Photos as the wire knows them: a photo is named by the SHA-256 of its bytes, so a record
//! refers to its photos before they are uploaded, and the same photo uploaded twice is one.

use serde::{Deserialize, Serialize};

/// The SHA-256 of a photo's bytes, as 64 lowercase hexadecimal digits.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhotoHash(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("照片编号应为 64 位十六进制小写数字（SHA-256）")]
pub struct BadPhotoHash;

impl PhotoHash {
    pub fn parse(s: &str) -> Result<Self, BadPhotoHash> {
        let ok = s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if ok {
            Ok(PhotoHash(s.to_owned()))
        } else {
            Err(BadPhotoHash)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::string_newtype!(PhotoHash, BadPhotoHash, debug);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sha256_in_lowercase_hex_is_a_photo_hash() {
        let h = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(PhotoHash::parse(h).unwrap().as_str(), h);
        let json = serde_json::to_string(&PhotoHash::parse(h).unwrap()).unwrap();
        assert_eq!(json, format!("\"{h}\""));
    }

    #[test]
    fn anything_else_is_refused_with_a_chinese_message() {
        for bad in [
            "",
            "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            "abc",
            &"g".repeat(64),
        ] {
            assert_eq!(PhotoHash::parse(bad), Err(BadPhotoHash), "{bad}");
        }
        assert!(serde_json::from_str::<PhotoHash>("\"xyz\"").is_err());
        assert!(BadPhotoHash.to_string().contains("SHA-256"));
    }
}
