//! The screens: one module per page; pages read the app context, components do not.

pub mod checkin;
pub mod enroll;
pub mod records;
