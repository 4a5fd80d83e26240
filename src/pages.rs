//! The screens: one module per page; pages read the app context, components do not.

pub mod activity;
pub mod archive;
pub mod checkin;
pub mod dashboard;
pub mod enroll;
pub mod filing;
pub mod pre_review;
pub mod records;
pub mod review;
