//! Volunteers (#5) in the volunteers' app: the records this phone made (registrations and
//! sign-ups, kept in `vol` as [`Mine`]), the district's answers as the phone keeps them
//! ([`Kept`]: the JSON text and when it came, in `vol_cache`), and the plain structs the
//! screens read from that text as the browser parses it ([`J`]), field by field.

use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wenming_core::volunteer::ledger::IntegrityKind;
use wenming_core::volunteer::service::ServiceFlag;

use crate::store::{Store, StoreError};
use crate::time::rfc3339::Stamp;

/// Names in `vol_cache`.
pub const REGISTRATIONS: &str = "registrations";
pub const SIGNUPS: &str = "signups";
pub const ACTIVITIES: &str = "activities";

/// The cache name of a volunteer's account.
pub fn account_key(volunteer: &str) -> String {
    format!("volunteer:{volunteer}")
}

/// One of this phone's volunteer records: a registration (`activity` empty, `what` the
/// name) or a sign-up (`what` the activity's title).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mine {
    pub id: String,
    pub what: String,
    pub phone: String,
    #[serde(default)]
    pub activity: String,
}

/// What 报名 and 我的 show, read from the store: one type for both screens' state (each
/// state type costs the download its own copy of yew's hook code).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Seen {
    /// This phone's records of the screen: registrations (我的) or sign-ups (报名).
    pub mine: Vec<Mine>,
    /// Core's `RegistrationOutcome`s (我的) or `SignupView`s (报名).
    pub outcomes: Vec<J>,
    /// 我的: each volunteer's account, and when it came.
    pub accounts: Vec<(J, String)>,
    /// 报名: core's `VolunteerActivityView`s, and when they came.
    pub activities: Vec<J>,
    pub at: String,
}

/// An answer of the district as kept: its text, and when it came.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kept {
    pub at: Stamp,
    pub text: String,
}

/// The answer kept under `name` as the browser parses it, with when it came.
pub async fn read(store: &Store, name: &str) -> Result<Option<(J, Stamp)>, StoreError> {
    let Some(kept) = store.cache_get::<Kept>(name).await? else {
        return Ok(None);
    };
    Ok(js_sys::JSON::parse(&kept.text)
        .ok()
        .map(|v| (J(v), kept.at)))
}

/// A JSON value of the district's answers, read field by field where it is shown: serde
/// decoders for each answer type cost the download 10 kB brotli'd; these few functions,
/// shared by every field, almost nothing. The wire types stay core's (golden files), and
/// the tests read core's golden answers through these.
#[derive(Debug, Clone, PartialEq)]
pub struct J(pub JsValue);

impl J {
    pub fn get(&self, key: &str) -> J {
        J(js_sys::Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or_default())
    }

    /// A string field, or "" when absent.
    pub fn s(&self, key: &str) -> String {
        self.get(key).0.as_string().unwrap_or_default()
    }

    /// A number field, or 0.
    pub fn n(&self, key: &str) -> i64 {
        self.get(key).0.as_f64().unwrap_or(0.0) as i64
    }

    pub fn is(&self, key: &str) -> bool {
        self.get(key).0.is_truthy()
    }

    /// An array field's items, or none.
    pub fn list(&self, key: &str) -> Vec<J> {
        match self.get(key).0.dyn_into::<js_sys::Array>() {
            Ok(a) => a.iter().map(J).collect(),
            Err(_) => Vec::new(),
        }
    }

    /// An array of strings.
    pub fn strings(&self, key: &str) -> Vec<String> {
        self.list(key)
            .into_iter()
            .filter_map(|j| j.0.as_string())
            .collect()
    }
}

/// A sign-up's outcome (`SignupView` or an account's sign-up) in words.
pub fn outcome_zh(s: &J) -> String {
    if s.is("no_show") {
        "爽约".to_owned()
    } else if s.s("status") == "waitlisted" {
        format!("候补第 {} 位", s.n("position"))
    } else {
        "报名成功".to_owned()
    }
}

/// A service record's flag (core's `ServiceFlag`, snake_case on the wire) in words.
pub fn flag_zh(flag: &str) -> String {
    use ServiceFlag::*;
    let f = match flag {
        "typed" => Typed,
        "pass_refused" => PassRefused,
        "outside_geofence" => OutsideGeofence,
        "auto_closed" => AutoClosed,
        "in_future" => InFuture,
        "too_long" => TooLong,
        "before_enrollment" => BeforeEnrollment,
        "clocks_disagree" => ClocksDisagree,
        other => return other.to_owned(),
    };
    f.name_zh().to_owned()
}

/// An integrity record's kind in words.
pub fn integrity_zh(kind: &str) -> &'static str {
    if kind == "no_show" {
        IntegrityKind::NoShow.name_zh()
    } else {
        IntegrityKind::RevokedHours.name_zh()
    }
}

/// A time of the district's answers as 11月22日 09:00 (Beijing), or as it came.
pub fn when(rfc3339: &str) -> String {
    crate::time::rfc3339::parse(rfc3339)
        .map_or_else(|| rfc3339.to_owned(), crate::time::format_local)
}
