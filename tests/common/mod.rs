//! What the browser tests share: a fresh database per test and times from milliseconds.
// Each test file uses its own part of this module.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use wenming::store::Store;

/// 2025-11-22 00:00 UTC, the tests' epoch.
pub const T0: u64 = 1_763_779_200_000;

/// A database name no other test uses, after the test's.
pub fn name(test: &str) -> String {
    format!("test-{test}-{}", js_sys::Date::now())
}

/// A fresh database for one test, with its name, to reopen it.
pub async fn fresh(test: &str) -> (Store, String) {
    let name = name(test);
    let store = Store::open(&name).await.expect("open the test database");
    (store, name)
}

pub fn at(ms: u64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms as i64).expect("a valid time")
}
