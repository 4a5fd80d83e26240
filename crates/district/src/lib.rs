//! The district endpoint of 文明实践: the sync API the phones talk to, enrollment of
//! devices, the check-in ledger, the filing (备案) of community social organizations, activity
//! reports with their pre-reports and summaries, and the PWA's static files.
//!
//! `core` owns every type on the wire; this crate owns storage (`db`, behind the `Store`
//! trait), the decisions a push makes (`batch`, pure), and HTTP (`http`). The binary in
//! `main.rs` only parses the command line and calls the functions exposed here.

pub mod batch;
pub mod config;
pub mod db;
pub mod divisions;
pub mod enrollment;
pub mod filings;
pub mod http;
pub mod photos;
