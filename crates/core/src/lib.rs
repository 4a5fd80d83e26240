//! Domain types, validation and the sync protocol shared by the phone and the district server.
//!
//! This crate is pure: it knows nothing of yew, IndexedDB, HTTP servers or databases, and it
//! takes the current time and randomness as parameters, so it builds and tests natively and
//! for wasm alike. Every type that crosses the wire is defined here and frozen by the golden
//! files under `tests/golden/`.

mod newtype;

pub mod activity;
pub mod auth;
pub mod checkin;
pub mod division;
pub mod filing;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod person;
pub mod photo;
pub mod protocol;
pub mod sync;
pub mod volunteer;

pub use checkin::{CheckIn, CheckInForm, CheckOut};
pub use division::{DivisionCode, Level, StationCode};
pub use person::{PersonName, Phone};
pub use protocol::{Envelope, Kind, RecordId};
