//! The screens: one module per page; pages read the app context, components do not.

pub mod archive;
pub mod checkin;
pub mod enroll;
pub mod filing;
pub mod records;
pub mod review;
