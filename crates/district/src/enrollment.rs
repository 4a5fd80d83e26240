//! Issuing one-time enrollment codes (`district enroll`), and the secrets around them:
//! randomness, device tokens, and the hashes that are all the database ever holds.

use chrono::{DateTime, Duration, Utc};
use qrcode::render::unicode::Dense1x2;
use qrcode::QrCode;
use sha2::{Digest, Sha256};
use wenming_core::auth::{token_from_random, EnrollmentCode};
use wenming_core::protocol::Role;
use wenming_core::{DivisionCode, Level, PersonName};

use crate::db::{self, NewEnrollment, Store};

/// How long a code may wait to be used: long enough to hand out at a village meeting.
pub const CODE_LIFETIME: Duration = Duration::days(7);

#[derive(Debug, thiserror::Error)]
#[error("the system's random number generator failed: {0}")]
pub struct RandomError(getrandom::Error);

/// `N` bytes from the operating system's generator.
pub fn random<const N: usize>() -> Result<[u8; N], RandomError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(RandomError)?;
    Ok(bytes)
}

/// A fresh device token: 256 random bits as hex.
pub fn new_token() -> Result<String, RandomError> {
    Ok(token_from_random(random()?))
}

/// SHA-256 as hex. Codes and tokens carry 80 and 256 random bits, so a plain fast hash is
/// enough: there is nothing to brute-force that a salt or a slow hash would protect.
pub fn hash_secret(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The hash under which a code is stored: of its 16 characters, without dashes.
pub fn hash_code(code: &EnrollmentCode) -> String {
    hash_secret(code.as_str())
}

#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("scope {0} is not an imported division (run `district import-divisions` first)")]
    UnknownScope(DivisionCode),
    #[error("role {role} acts for a {expected} (a {digits}-digit code), but {scope} is a {got}", role = .role.as_str(), expected = level_en(*.expected), digits = .expected.digits(), got = level_en(*.got))]
    WrongLevel {
        role: Role,
        scope: DivisionCode,
        expected: Level,
        got: Level,
    },
    #[error(transparent)]
    Random(#[from] RandomError),
    #[error("cannot store the enrollment code")]
    Store(#[from] db::Error),
}

fn level_en(level: Level) -> &'static str {
    match level {
        Level::District => "district",
        Level::Town => "town",
        Level::Village => "village",
    }
}

/// A code just issued: the only moment the code itself exists outside the phone.
#[derive(Debug, Clone)]
pub struct Issued {
    pub code: EnrollmentCode,
    pub expires_at: DateTime<Utc>,
}

/// Creates a one-time code for `person` to act as `role` within `scope`.
pub async fn issue(
    store: &dyn Store,
    role: Role,
    scope: &DivisionCode,
    person: &PersonName,
    now: DateTime<Utc>,
) -> Result<Issued, IssueError> {
    let Some(division) = store.division(scope).await? else {
        return Err(IssueError::UnknownScope(scope.clone()));
    };
    if division.level != role.scope_level() {
        return Err(IssueError::WrongLevel {
            role,
            scope: scope.clone(),
            expected: role.scope_level(),
            got: division.level,
        });
    }
    let code = EnrollmentCode::from_random(random()?);
    let expires_at = now + CODE_LIFETIME;
    store
        .create_enrollment(&NewEnrollment {
            code_hash: hash_code(&code),
            person: person.clone(),
            role,
            scope: scope.clone(),
            created_at: now,
            expires_at,
        })
        .await?;
    Ok(Issued { code, expires_at })
}

/// The link the phone opens: the app reads `enroll` from the query and trades it in.
/// Volunteers get the volunteers' app; every other role the workbench (工作台), so each
/// phone downloads only the build it uses.
pub fn link(base_url: &str, role: Role, code: &EnrollmentCode) -> String {
    let app = if role == Role::Volunteer {
        "/"
    } else {
        crate::http::WORKBENCH
    };
    format!("{}{app}?enroll={code}", base_url.trim_end_matches('/'))
}

/// The link as a QR code of Unicode half blocks, two modules per character cell, so that it
/// fits a terminal. Colours are swapped because a server console is light text on dark:
/// the glyphs draw the light modules and the quiet zone, the background shows the dark ones.
pub fn qr(text: &str) -> Result<String, qrcode::types::QrError> {
    let code = QrCode::new(text.as_bytes())?;
    Ok(code
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_code_with_dashes_and_no_double_slash() {
        let code = EnrollmentCode::from_random([0xA5; 10]);
        let l = link("http://127.0.0.1:8080/", Role::Volunteer, &code);
        assert_eq!(l, format!("http://127.0.0.1:8080/?enroll={code}"));
        assert_eq!(l.matches('-').count(), 3);
    }

    #[test]
    fn every_role_but_volunteers_is_sent_to_the_workbench() {
        let code = EnrollmentCode::from_random([0xA5; 10]);
        for role in Role::ALL {
            let l = link("http://127.0.0.1:8080", role, &code);
            let expected = if role == Role::Volunteer {
                "/?"
            } else {
                "/work/?"
            };
            assert!(
                l.starts_with(&format!("http://127.0.0.1:8080{expected}")),
                "{l}"
            );
        }
    }

    #[test]
    fn hashes_are_sha256_hex() {
        assert_eq!(
            hash_secret("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_qr_code_is_drawn_with_half_blocks() {
        let art = qr("http://127.0.0.1:8080/?enroll=0000-0000-0000-0000").unwrap();
        assert!(art.lines().count() > 10);
        assert!(art.contains('▀') || art.contains('▄'));
    }
}
