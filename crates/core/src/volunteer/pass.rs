//! The station pass (签到码): a short text for a QR code, made and signed by the district
//! server with its Ed25519 key, verified by the phone offline with the district's public
//! key it received at enrollment, so that a check-in is "verified at the station" without
//! a network.
//!
//! The text is `WM1.<payload>.<signature>`, both parts base64url without padding. The
//! payload is `station|not_before|not_after|key_id` (times as Unix seconds), optionally
//! followed by `|lat_e6|lon_e6|radius_m`, the station's geofence. The signature covers the
//! bytes `WM1.<payload>`, so the version prefix is signed too. 140 to 190 characters: a
//! QR code of version 7 or so, easy to scan from paper.

use std::fmt::Write as _;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::division::StationCode;

/// The version prefix of every pass this build makes and reads.
pub const PASS_PREFIX: &str = "WM1";

/// Why a pass was refused; the text is shown to the volunteer as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PassError {
    #[error("这不是实践站的签到码，请扫描站点张贴的二维码或手动输入站点编号")]
    BadFormat,
    #[error("签到码不是本区签发的，请向实践站管理员确认")]
    WrongKey,
    #[error("签到码已被改动，验证失败")]
    Tampered,
    #[error("签到码尚未生效，请检查手机时间或向管理员索取新码")]
    NotYetValid,
    #[error("签到码已过期，请向实践站管理员索取新码")]
    Expired,
    #[error("签到码属于另一个实践站")]
    WrongStation,
}

/// The district's public key as phones keep it: 32 bytes in base64url, and a short id that
/// passes name so that a key change is told apart from tampering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictKey {
    pub key_id: String,
    pub public_key: String,
}

impl DistrictKey {
    /// The public half of a district's secret key.
    pub fn from_secret(secret: &[u8; 32]) -> Self {
        Self::from_public(&SigningKey::from_bytes(secret).verifying_key().to_bytes())
    }

    pub fn from_public(public: &[u8; 32]) -> Self {
        DistrictKey {
            key_id: key_id(public),
            public_key: URL_SAFE_NO_PAD.encode(public),
        }
    }

    /// The public key's 32 bytes (what WebCrypto imports as a raw Ed25519 key).
    pub fn public_bytes(&self) -> Result<[u8; 32], PassError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(&self.public_key)
            .map_err(|_| PassError::WrongKey)?;
        bytes.try_into().map_err(|_| PassError::WrongKey)
    }

    fn verifying_key(&self) -> Result<VerifyingKey, PassError> {
        VerifyingKey::from_bytes(&self.public_bytes()?).map_err(|_| PassError::WrongKey)
    }
}

/// "k" and the first four bytes of the public key in hex: enough to tell a district's
/// keys apart, and no hash to compile into the app.
pub fn key_id(public: &[u8; 32]) -> String {
    let mut id = String::from("k");
    for b in &public[..4] {
        let _ = write!(id, "{b:02x}");
    }
    id
}

/// A position as the phone's geolocation gives it, in millionths of a degree (about 0.1 m)
/// so that records compare exactly and stay short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Position {
    pub lat_e6: i32,
    pub lon_e6: i32,
    /// The radius of the phone's uncertainty, in metres.
    pub accuracy_m: u32,
}

impl Position {
    /// From the degrees and metres the browser reports; `None` for impossible values.
    pub fn from_degrees(lat: f64, lon: f64, accuracy_m: f64) -> Option<Self> {
        let ok = lat.is_finite()
            && lon.is_finite()
            && accuracy_m.is_finite()
            && (-90.0..=90.0).contains(&lat)
            && (-180.0..=180.0).contains(&lon)
            && accuracy_m >= 0.0;
        ok.then(|| Position {
            lat_e6: (lat * 1e6).round() as i32,
            lon_e6: (lon * 1e6).round() as i32,
            accuracy_m: accuracy_m.round().min(f64::from(u32::MAX)) as u32,
        })
    }
}

/// A station's optional geofence: a circle around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Geofence {
    pub lat_e6: i32,
    pub lon_e6: i32,
    pub radius_m: u32,
}

impl Geofence {
    /// The most of a phone's uncertainty that counts in its favour: a fix of ±2 km is not
    /// "inside" a 100 m fence just because the circles touch.
    pub const MAX_ACCURACY_CREDIT_M: f64 = 100.0;

    /// Metres between the fence's centre and `p` (haversine on a sphere of the earth's
    /// mean radius: a few metres off at most, at these distances).
    pub fn distance_m(&self, p: &Position) -> f64 {
        const R: f64 = 6_371_000.0;
        let rad = |e6: i32| (f64::from(e6) / 1e6).to_radians();
        let (la1, lo1, la2, lo2) = (
            rad(self.lat_e6),
            rad(self.lon_e6),
            rad(p.lat_e6),
            rad(p.lon_e6),
        );
        let h = ((la2 - la1) / 2.0).sin().powi(2)
            + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
        2.0 * R * h.sqrt().min(1.0).asin()
    }

    /// Whether the phone was inside, giving it the benefit of its accuracy up to a limit.
    pub fn contains(&self, p: &Position) -> bool {
        let credit = f64::from(p.accuracy_m).min(Self::MAX_ACCURACY_CREDIT_M);
        self.distance_m(p) <= f64::from(self.radius_m) + credit
    }
}

/// What a pass says, once its signature has been checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationPass {
    pub station: StationCode,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    pub key_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geofence: Option<Geofence>,
}

impl StationPass {
    fn payload(&self) -> String {
        let mut p = format!(
            "{}|{}|{}|{}",
            self.station,
            self.not_before.timestamp(),
            self.not_after.timestamp(),
            self.key_id
        );
        if let Some(g) = &self.geofence {
            let _ = write!(p, "|{}|{}|{}", g.lat_e6, g.lon_e6, g.radius_m);
        }
        p
    }

    fn parse_payload(bytes: &[u8]) -> Result<Self, PassError> {
        let text = std::str::from_utf8(bytes).map_err(|_| PassError::BadFormat)?;
        let parts: Vec<&str> = text.split('|').collect();
        let time = |s: &str| {
            s.parse::<i64>()
                .ok()
                .and_then(|t| DateTime::from_timestamp(t, 0))
                .ok_or(PassError::BadFormat)
        };
        let (station, nb, na, key_id, rest) = match parts.as_slice() {
            [s, nb, na, k, rest @ ..] => (s, nb, na, k, rest),
            _ => return Err(PassError::BadFormat),
        };
        let geofence = match rest {
            [] => None,
            [lat, lon, r] => Some(Geofence {
                lat_e6: lat.parse().map_err(|_| PassError::BadFormat)?,
                lon_e6: lon.parse().map_err(|_| PassError::BadFormat)?,
                radius_m: r.parse().map_err(|_| PassError::BadFormat)?,
            }),
            _ => return Err(PassError::BadFormat),
        };
        Ok(StationPass {
            station: StationCode::parse(station).map_err(|_| PassError::BadFormat)?,
            not_before: time(nb)?,
            not_after: time(na)?,
            key_id: (*key_id).to_owned(),
            geofence,
        })
    }

    /// The pass as text, signed with the district's secret key (on the server). The key id
    /// written is the one of `secret`, whatever `key_id` says.
    pub fn sign(&self, secret: &[u8; 32]) -> String {
        let key = SigningKey::from_bytes(secret);
        let pass = StationPass {
            key_id: key_id(&key.verifying_key().to_bytes()),
            ..self.clone()
        };
        let signed = format!(
            "{PASS_PREFIX}.{}",
            URL_SAFE_NO_PAD.encode(pass.payload().as_bytes())
        );
        let signature = key.sign(signed.as_bytes());
        format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }

    /// Reads a scanned pass without checking its signature: what it says, the bytes the
    /// signature covers and the signature. The phone checks the signature with the
    /// browser's WebCrypto (no curve arithmetic in its download) and then calls
    /// [`ParsedPass::conclude`], as [`verify`](Self::verify) does after ed25519-dalek.
    pub fn parse(text: &str) -> Result<ParsedPass<'_>, PassError> {
        Self::parse_with(text, |part| URL_SAFE_NO_PAD.decode(part).ok())
    }

    /// [`parse`](Self::parse) with the base64url decoding (no padding, strict) given by the
    /// caller: the app brings its own few lines rather than the `base64` crate, and its
    /// tests hold them to `parse` on passes core signed.
    pub fn parse_with(
        text: &str,
        decode: impl Fn(&str) -> Option<Vec<u8>>,
    ) -> Result<ParsedPass<'_>, PassError> {
        let text = text.trim();
        let mut parts = text.split('.');
        let (Some(PASS_PREFIX), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(PassError::BadFormat);
        };
        let payload_bytes = decode(payload).ok_or(PassError::BadFormat)?;
        let signature: [u8; 64] = decode(signature)
            .and_then(|s| s.try_into().ok())
            .ok_or(PassError::BadFormat)?;
        let pass = Self::parse_payload(&payload_bytes)?;
        let signed_len = PASS_PREFIX.len() + 1 + payload.len();
        Ok(ParsedPass {
            pass,
            signed: &text.as_bytes()[..signed_len],
            signature,
        })
    }

    /// Checks a scanned pass: its form, that the district signed it and nobody changed it,
    /// and that `now` (the phone's best guess of server time) lies in its window.
    pub fn verify(text: &str, key: &DistrictKey, now: DateTime<Utc>) -> Result<Self, PassError> {
        let parsed = Self::parse(text)?;
        let verified = key
            .verifying_key()?
            .verify(parsed.signed, &Signature::from_bytes(&parsed.signature))
            .is_ok();
        parsed.conclude(verified, key, now)
    }

    /// [`verify`](Self::verify), and the pass must be of `station`.
    pub fn verify_for(
        text: &str,
        key: &DistrictKey,
        station: &StationCode,
        now: DateTime<Utc>,
    ) -> Result<Self, PassError> {
        let pass = Self::verify(text, key, now)?;
        if &pass.station == station {
            Ok(pass)
        } else {
            Err(PassError::WrongStation)
        }
    }
}

/// A pass as read, its signature not yet checked (see [`StationPass::parse`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedPass<'a> {
    pub pass: StationPass,
    /// The bytes the signature covers: `WM1.<payload>` as scanned.
    pub signed: &'a [u8],
    pub signature: [u8; 64],
}

impl ParsedPass<'_> {
    /// The verdict once the signature has been checked (`verified`) with `key`: a bad
    /// signature is tampering when the pass names this key, else another key's pass; then
    /// the validity window, against `now` (the phone's best guess of server time).
    pub fn conclude(
        self,
        verified: bool,
        key: &DistrictKey,
        now: DateTime<Utc>,
    ) -> Result<StationPass, PassError> {
        let pass = self.pass;
        if !verified {
            return Err(if pass.key_id == key.key_id {
                PassError::Tampered
            } else {
                PassError::WrongKey
            });
        }
        if now < pass.not_before {
            return Err(PassError::NotYetValid);
        }
        if now > pass.not_after {
            return Err(PassError::Expired);
        }
        Ok(pass)
    }
}

/// The link a printed pass's QR code holds: `{base}/?pass={pass}`, so that any camera app
/// or WeChat's scanner opens the volunteers' app with the pass filled in, which the phone
/// then checks offline like a scanned one. `None` when `base` is not a plain `http(s)://`
/// origin (no query, fragment, spaces or quotes; at most 200 characters).
pub fn pass_link(base: &str, pass: &str) -> Option<String> {
    let base = base.trim_end_matches('/');
    let rest = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"))?;
    let plain = !rest.is_empty()
        && base.len() <= 200
        && rest.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '/' | '_')
        });
    plain.then(|| format!("{base}/?pass={pass}"))
}

/// The pass in what a phone scanned or was opened with: a pass itself (`WM1.…`), or a link
/// made by [`pass_link`] (or any URL with a `pass=` parameter). Whether it is a valid pass
/// is for the checks that follow.
pub fn pass_in(text: &str) -> Option<&str> {
    let text = text.trim();
    if text.starts_with(PASS_PREFIX) {
        return Some(text);
    }
    let query = text.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("pass="))
        .filter(|p| p.starts_with(PASS_PREFIX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    const SECRET: [u8; 32] = [7; 32];

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap()
    }

    fn station(s: &str) -> StationCode {
        StationCode::parse(s).unwrap()
    }

    fn pass(geofence: Option<Geofence>) -> StationPass {
        StationPass {
            station: station("500156001001"),
            not_before: t0(),
            not_after: t0() + Duration::days(1),
            key_id: String::new(),
            geofence,
        }
    }

    fn key() -> DistrictKey {
        DistrictKey::from_secret(&SECRET)
    }

    #[test]
    fn a_signed_pass_verifies_inside_its_window_and_says_what_it_was_signed_with() {
        let fence = Geofence {
            lat_e6: 29_325_000,
            lon_e6: 107_760_000,
            radius_m: 150,
        };
        for g in [None, Some(fence)] {
            let text = pass(g).sign(&SECRET);
            assert!(text.starts_with("WM1."), "{text}");
            assert!(text.len() < 200, "{} characters", text.len());
            let read = StationPass::verify(&text, &key(), t0() + Duration::hours(3)).unwrap();
            assert_eq!(read.station, station("500156001001"));
            assert_eq!(read.key_id, key().key_id);
            assert_eq!(read.geofence, g);
            assert_eq!(read.not_after, t0() + Duration::days(1));
        }
    }

    #[test]
    fn a_pass_is_refused_before_and_after_its_window() {
        let text = pass(None).sign(&SECRET);
        let early = t0() - Duration::seconds(1);
        let late = t0() + Duration::days(1) + Duration::seconds(1);
        assert_eq!(
            StationPass::verify(&text, &key(), early),
            Err(PassError::NotYetValid)
        );
        assert_eq!(
            StationPass::verify(&text, &key(), late),
            Err(PassError::Expired)
        );
        assert!(StationPass::verify(&text, &key(), t0()).is_ok());
    }

    #[test]
    fn a_tampered_payload_or_signature_is_refused() {
        let text = pass(None).sign(&SECRET);
        let parts: Vec<&str> = text.split('.').collect();
        // Another station's code in a payload that still reads well.
        let forged = pass(None);
        let forged = StationPass {
            station: station("500156001002"),
            key_id: key().key_id,
            ..forged
        };
        let forged_payload = URL_SAFE_NO_PAD.encode(forged.payload());
        let swapped = format!("WM1.{forged_payload}.{}", parts[2]);
        assert_eq!(
            StationPass::verify(&swapped, &key(), t0()),
            Err(PassError::Tampered)
        );
        let mut sig = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
        sig[10] ^= 1;
        let flipped = format!("WM1.{}.{}", parts[1], URL_SAFE_NO_PAD.encode(sig));
        assert_eq!(
            StationPass::verify(&flipped, &key(), t0()),
            Err(PassError::Tampered)
        );
    }

    #[test]
    fn a_pass_of_another_key_or_shape_is_refused() {
        let other = pass(None).sign(&[9; 32]);
        assert_eq!(
            StationPass::verify(&other, &key(), t0()),
            Err(PassError::WrongKey)
        );
        for bad in [
            "",
            "500156001001",
            "WM2.abc.def",
            "WM1.abc",
            "WM1.!!!.abc",
            "WM1.YWJj.YWJj",
        ] {
            assert_eq!(
                StationPass::verify(bad, &key(), t0()),
                Err(PassError::BadFormat),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_pass_of_another_station_is_refused_for_this_one() {
        let text = pass(None).sign(&SECRET);
        assert_eq!(
            StationPass::verify_for(&text, &key(), &station("500156001002"), t0()),
            Err(PassError::WrongStation)
        );
        assert!(StationPass::verify_for(&text, &key(), &station("500156001001"), t0()).is_ok());
    }

    #[test]
    fn refusals_speak_chinese() {
        assert_eq!(
            PassError::Expired.to_string(),
            "签到码已过期，请向实践站管理员索取新码"
        );
        assert_eq!(PassError::Tampered.to_string(), "签到码已被改动，验证失败");
    }

    #[test]
    fn a_geofence_counts_the_phones_accuracy_up_to_a_limit() {
        let fence = Geofence {
            lat_e6: 29_325_000,
            lon_e6: 107_760_000,
            radius_m: 100,
        };
        // 0.001° of latitude is about 111 m.
        let at = |dlat_e6: i32, accuracy_m: u32| Position {
            lat_e6: 29_325_000 + dlat_e6,
            lon_e6: 107_760_000,
            accuracy_m,
        };
        assert!((fence.distance_m(&at(1_000, 0)) - 111.2).abs() < 0.5);
        assert!(fence.contains(&at(0, 5)));
        assert!(!fence.contains(&at(1_000, 5)));
        assert!(fence.contains(&at(1_000, 20)));
        assert!(!fence.contains(&at(3_000, 5_000)));
        assert_eq!(
            Position::from_degrees(29.325, 107.76, 12.4),
            Some(at(0, 12))
        );
        assert_eq!(Position::from_degrees(91.0, 0.0, 1.0), None);
        assert_eq!(Position::from_degrees(f64::NAN, 0.0, 1.0), None);
    }

    #[test]
    fn parsing_then_concluding_agrees_with_verify() {
        let good = pass(None).sign(&SECRET);
        let other = pass(None).sign(&[9; 32]);
        let parts: Vec<&str> = good.split('.').collect();
        let mut sig = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
        sig[3] ^= 4;
        let flipped = format!("WM1.{}.{}", parts[1], URL_SAFE_NO_PAD.encode(sig));
        let key = key();
        let dalek = key.verifying_key().unwrap();
        for text in [good.as_str(), &other, &flipped, "WM1.abc", " \n"] {
            for now in [t0() - Duration::hours(1), t0(), t0() + Duration::days(2)] {
                let split = StationPass::parse(text).and_then(|p| {
                    let ok = dalek
                        .verify(p.signed, &Signature::from_bytes(&p.signature))
                        .is_ok();
                    p.conclude(ok, &key, now)
                });
                assert_eq!(
                    split,
                    StationPass::verify(text, &key, now),
                    "{text} at {now}"
                );
            }
        }
        let padded = format!("  {good}\n");
        let parsed = StationPass::parse(&padded).unwrap();
        assert_eq!(parsed.signed, &good.as_bytes()[..good.rfind('.').unwrap()]);
        assert_eq!(parsed.pass.station, station("500156001001"));
    }

    #[test]
    fn a_pass_link_opens_the_app_with_the_pass_and_the_pass_is_found_again() {
        let pass = "WM1.NTAwMTU2MDAxMDAxfDE3OTU3NDU2MDB8MTc5NTgzMjAwMHxrZWE0YTYxNTA.c2ln";
        let link = pass_link("https://wl.example.cn/", pass).unwrap();
        assert_eq!(link, format!("https://wl.example.cn/?pass={pass}"));
        assert_eq!(pass_in(&link), Some(pass));
        assert_eq!(
            pass_link("http://127.0.0.1:8080", pass).as_deref(),
            Some(format!("http://127.0.0.1:8080/?pass={pass}").as_str())
        );
        assert_eq!(pass_in(pass), Some(pass));
        assert_eq!(pass_in(&format!("  {pass}\n")), Some(pass));
        assert_eq!(
            pass_in(&format!("http://x.cn/?a=1&pass={pass}#top")),
            Some(pass)
        );
        // Not a pass, not a link with one.
        assert_eq!(pass_in("http://x.cn/?pass=abc"), None);
        assert_eq!(pass_in("hello"), None);
        // Only a plain origin makes a link.
        for bad in [
            "ftp://x.cn",
            "https://",
            "https://x.cn/?a=1",
            "https://x.cn/\"><script>",
            "x.cn",
            "https://x.cn y",
        ] {
            assert_eq!(pass_link(bad, pass), None, "{bad}");
        }
    }
}
