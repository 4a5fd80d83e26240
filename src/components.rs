//! Widgets that know only their props: no context, no storage, no network.

#[cfg(feature = "work")]
pub mod activity_view;
pub mod choice;
pub mod field;
pub mod filing_view;
pub mod open_check_in;
pub mod record_row;
pub mod roster;
pub mod station_picker;
pub mod sync_status;
pub mod tab_bar;
