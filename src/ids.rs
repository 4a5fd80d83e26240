//! Record ids of this device: core's `IdGenerator` (strictly increasing UUIDv7), fed with
//! the browser's clock and `crypto.getRandomValues`.

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use wenming_core::protocol::IdGenerator;
use wenming_core::RecordId;

use crate::{browser, time};

thread_local! {
    static IDS: RefCell<IdGenerator> = RefCell::new(IdGenerator::default());
}

/// A new id and the moment it was made.
pub fn next() -> (RecordId, DateTime<Utc>) {
    let ms = time::now_ms();
    let at = DateTime::from_timestamp_millis(ms as i64).unwrap_or_default();
    let id = IDS.with(|ids| ids.borrow_mut().next(ms as u64, browser::random_bytes()));
    (id, at)
}

/// Makes later ids sort after `newest`, the newest id already stored, even if the clock
/// has stepped back since it was made.
pub fn follow(newest: RecordId) {
    IDS.with(|ids| {
        ids.borrow_mut()
            .next(newest.unix_ms(), browser::random_bytes());
    });
}
