//! The district endpoint tested over HTTP, each test against its own server and database.

mod activities;
mod assets;
mod cli;
mod divisions;
mod enroll;
mod filing_kit;
mod filing_races;
mod filing_scope;
mod filings;
mod helpers;
mod ledger;
mod photos;
mod pull;
mod push;
mod volunteers;
