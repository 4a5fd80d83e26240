//! The screens: one module per page; pages read the app context, components do not.

#[cfg(feature = "work")]
pub mod activity;
pub mod archive;
pub mod checkin;
#[cfg(feature = "work")]
pub mod dashboard;
pub mod enroll;
pub mod filing;
pub mod me;
#[cfg(feature = "work")]
pub mod pre_review;
pub mod records;
pub mod review;
pub mod signup;
#[cfg(feature = "work")]
pub mod station;
