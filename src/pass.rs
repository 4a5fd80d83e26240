//! The station pass on the phone (#5): read with core's `StationPass::parse`, its Ed25519
//! signature checked by the browser's WebCrypto (`crypto.subtle.verify`) with the district
//! key kept at enrollment, then judged by core's `ParsedPass::conclude`. No curve
//! arithmetic is in the download (ed25519-dalek would be 18 kB brotli'd); core's `verify`
//! stays the reference, and the tests hold this to passes core signed. The base64url of
//! the pass and the key is decoded by `b64url` below, not by the `base64` crate that core's
//! `parse` uses (1.4 kB brotli of the download); tests hold the two to
//! the same answers.

use chrono::{DateTime, Utc};
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wenming_core::volunteer::pass::{DistrictKey, ParsedPass, PassError, StationPass};

/// What checking a pass found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// Signed by the district, unchanged, valid now.
    Valid(StationPass),
    /// This browser has no Ed25519 in WebCrypto: the pass is read but not checked here;
    /// the district checks it when the check-in arrives.
    Unchecked(StationPass),
}

/// Checks `text` against the district's `key` at `now` (the phone's best guess of server
/// time: its clock plus the offset learned at the last sync).
pub async fn check(
    text: &str,
    key: &DistrictKey,
    now: DateTime<Utc>,
) -> Result<Checked, PassError> {
    let parsed = parse(text)?;
    let public: [u8; 32] = b64url(&key.public_key)
        .and_then(|b| b.try_into().ok())
        .ok_or(PassError::WrongKey)?;
    match ed25519_verify(&public, &parsed.signature, parsed.signed).await {
        Some(verified) => parsed.conclude(verified, key, now).map(Checked::Valid),
        None => Ok(Checked::Unchecked(parsed.pass)),
    }
}

/// Core's `StationPass::parse`, with the app's own base64url decoding.
pub fn parse(text: &str) -> Result<ParsedPass<'_>, PassError> {
    StationPass::parse_with(text, b64url)
}

/// Base64url without padding, strictly as core's `base64` engine decodes it: only the
/// alphabet `A-Z a-z 0-9 - _`, no `=`, no length of 4n+1, and the unused bits of the last
/// character zero (one text per byte string).
pub fn b64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    (bits < 6 && acc & ((1 << bits) - 1) == 0).then_some(out)
}

/// `Some(whether the signature holds)`, or `None` when WebCrypto cannot do Ed25519.
async fn ed25519_verify(public: &[u8; 32], signature: &[u8; 64], data: &[u8]) -> Option<bool> {
    let subtle = web_sys::window()?.crypto().ok()?.subtle();
    let algorithm = Object::new();
    Reflect::set(&algorithm, &"name".into(), &"Ed25519".into()).ok()?;
    let usages = js_sys::Array::of1(&JsValue::from_str("verify"));
    let raw = Uint8Array::from(&public[..]);
    let imported = subtle
        .import_key_with_object("raw", &raw, &algorithm, false, &usages)
        .ok()?;
    let key: web_sys::CryptoKey = JsFuture::from(imported).await.ok()?.unchecked_into();
    // A key that imports verifies: from here on a failure is a bad signature.
    let verified = match subtle
        .verify_with_object_and_u8_array_and_u8_array(&algorithm, &key, signature, data)
    {
        Ok(promise) => JsFuture::from(promise).await.ok(),
        Err(_) => None,
    };
    Some(verified.and_then(|v| v.as_bool()).unwrap_or(false))
}
