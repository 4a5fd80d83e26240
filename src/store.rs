//! The phone's IndexedDB database, through rexie: check-in records, the outbox of envelopes
//! waiting to be pushed, the server's rejections, reference data, a few settings, filing
//! drafts and applications, and photos with their uploads still to do.
//!
//! Invariants: a record and its outbox entry are written in one transaction or not at all;
//! nothing here stores a per-record sync state, it is derived from the outbox and the
//! rejects (see [`OutboxView`]); a failed write aborts its transaction, so the data stays as
//! it was before.

mod activity;
mod filings;
mod js;
mod meta;
mod outbox;
mod photos;
mod records;
mod refdata;
mod sealed;
mod volunteer;

use std::fmt;
use std::rc::Rc;

use rexie::{ObjectStore, Rexie, Transaction, TransactionMode};

pub use meta::{Session, SyncMeta};
pub use outbox::{IdSet, OutboxEntry, OutboxView, Queued, Reject, SyncState};
pub use photos::{QueuedPhoto, StoredPhoto};
pub use records::{Record, RecordWrite};
pub(crate) use refdata::PlainItem;
pub use refdata::{RefData, Station, Town, Village};
pub use sealed::{Seal, Sealed};
pub use volunteer::Saved;

/// The database the app uses; tests open others by name.
pub const DB_NAME: &str = "wenming";
/// 2 added `drafts`, `applications` and `decisions` (filing); 3 added `photos` and
/// `photo_queue`; 4 added `acts` and `pre_reports` (activities); 5 added `vol` and
/// `vol_cache` (volunteers). An upgrade only adds
/// stores: the builder deletes a store it is not given, so every store ever made stays
/// listed here.
const DB_VERSION: u32 = 5;

pub(crate) const RECORDS: &str = "records";
pub(crate) const OUTBOX: &str = "outbox";
pub(crate) const REJECTS: &str = "rejects";
pub(crate) const REFDATA: &str = "refdata";
pub(crate) const META: &str = "meta";
pub(crate) const DRAFTS: &str = "drafts";
pub(crate) const APPLICATIONS: &str = "applications";
pub(crate) const DECISIONS: &str = "decisions";
pub(crate) const PHOTOS: &str = "photos";
pub(crate) const PHOTO_QUEUE: &str = "photo_queue";
pub(crate) const ACTS: &str = "acts";
pub(crate) const PRE_REPORTS: &str = "pre_reports";
pub(crate) const VOL: &str = "vol";
pub(crate) const VOL_CACHE: &str = "vol_cache";

/// Why the database could not be read or written. The data is as it was before.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("indexeddb: {}", idb_detail(.0))]
    Idb(#[from] rexie::Error),
    #[error("transaction aborted")]
    Aborted,
    #[error("value not storable: {0}")]
    Json(#[from] serde_json::Error),
    #[error("stored value unreadable: {0}")]
    Unreadable(#[from] crate::decode::Error),
    #[error("value not convertible: {0}")]
    Js(String),
}

fn idb_detail(e: &rexie::Error) -> String {
    match e {
        rexie::Error::IdbError(inner) => inner.to_string(),
        other => other.to_string(),
    }
}

impl StoreError {
    /// What the user reads: what happened to their data, and what to do.
    pub fn message_zh(&self) -> String {
        let detail = self.to_string();
        if detail.contains("Quota") {
            "手机存储空间不足，本次操作没有保存。请清理手机空间后重试".to_owned()
        } else {
            format!("手机存储出错，本次操作没有保存，请重试（{detail}）")
        }
    }
}

/// The open database. Cloning shares it.
#[derive(Clone)]
pub struct Store {
    db: Rc<Rexie>,
}

impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.db, &other.db)
    }
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Store({})", self.db.name())
    }
}

impl Store {
    /// Opens (and on first use creates) the database `name`.
    pub async fn open(name: &str) -> Result<Store, StoreError> {
        let db = Rexie::builder(name)
            .version(DB_VERSION)
            .add_object_store(ObjectStore::new(RECORDS).key_path("id"))
            .add_object_store(ObjectStore::new(OUTBOX).auto_increment(true))
            .add_object_store(ObjectStore::new(REJECTS).key_path("record_id"))
            .add_object_store(ObjectStore::new(REFDATA))
            .add_object_store(ObjectStore::new(META))
            .add_object_store(ObjectStore::new(DRAFTS).key_path("application"))
            .add_object_store(ObjectStore::new(APPLICATIONS).key_path("id"))
            .add_object_store(ObjectStore::new(DECISIONS).key_path("id"))
            .add_object_store(ObjectStore::new(PHOTOS).key_path("hash"))
            .add_object_store(ObjectStore::new(PHOTO_QUEUE).key_path("hash"))
            .add_object_store(ObjectStore::new(ACTS).key_path("id"))
            .add_object_store(ObjectStore::new(PRE_REPORTS).key_path("id"))
            .add_object_store(ObjectStore::new(VOL).key_path("id"))
            .add_object_store(ObjectStore::new(VOL_CACHE))
            .build()
            .await?;
        Ok(Store { db: Rc::new(db) })
    }

    /// Closes the connection, if this is its last handle; for tests that reopen.
    pub fn close(self) {
        if let Ok(db) = Rc::try_unwrap(self.db) {
            db.close();
        }
    }

    /// Deletes a database; for tests.
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        Rexie::delete(name).await.map_err(Into::into)
    }

    pub(crate) fn tx(
        &self,
        stores: &[&str],
        mode: TransactionMode,
    ) -> Result<Transaction, StoreError> {
        Ok(self.db.transaction(stores, mode)?)
    }
}

/// Runs the writes of `body` in `tx` and commits, or aborts the whole transaction if any of
/// them fails, also when the failure was thrown synchronously (which IndexedDB would not
/// treat as a reason to abort on its own).
pub(crate) async fn write_all<F>(tx: Transaction, body: F) -> Result<(), StoreError>
where
    F: AsyncFnOnce(&Transaction) -> Result<(), StoreError>,
{
    let written = body(&tx).await;
    finish(tx, written).await
}

/// The end of [`write_all`], apart so that its code is in the app once, not once per
/// kind of write.
async fn finish(tx: Transaction, written: Result<(), StoreError>) -> Result<(), StoreError> {
    match written {
        Ok(()) => {
            if tx.done().await?.is_committed() {
                Ok(())
            } else {
                Err(StoreError::Aborted)
            }
        }
        Err(e) => {
            // The transaction may already have aborted on its own; either way nothing stays.
            let _ = tx.abort().await;
            Err(e)
        }
    }
}
