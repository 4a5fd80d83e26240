//! Volunteers (#5) on the phone: the volunteer records this phone made — registrations,
//! sign-ups, and on a station admin's workbench approvals, revocations, published
//! activities, exchange items, exchanges and no-shows — each kept in `vol` (key: its record
//! id) with its outbox entry written in the same transaction; and the district's answers
//! (a volunteer's account, published activities, items, pending hours…) kept in
//! `vol_cache` under a name of the caller's choosing, so the screens show the last answer
//! when the network is gone.
//!
//! Invariant: a record id is saved once. Saving an id that `vol` already holds writes
//! nothing and says so, which is what makes a double tap one record: the screen mints the
//! id when the form opens, not when the button is pressed.

use rexie::TransactionMode;
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::JsValue;
use wenming_core::RecordId;

use super::js::{from_js, to_js};
use super::outbox::OutboxEntry;
use super::sealed::Sealed;
use super::{write_all, Store, StoreError, OUTBOX, VOL, VOL_CACHE};

/// What a save did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// The record and its outbox entry were written.
    New,
    /// This id was already saved (a second tap): nothing was written.
    Already,
}

impl Store {
    /// Saves one of this phone's volunteer records with its envelope, together or not at
    /// all; an id already saved writes nothing. `value` must carry the record id in its
    /// `id` field (the store's key path).
    pub async fn save_vol<T: Serialize>(
        &self,
        id: RecordId,
        value: &T,
        envelope: Sealed,
    ) -> Result<Saved, StoreError> {
        let value = to_js(value)?;
        let entry = to_js(&OutboxEntry::new(id, envelope))?;
        let key = JsValue::from_str(&id.to_string());
        let tx = self.tx(&[VOL, OUTBOX], TransactionMode::ReadWrite)?;
        let mut saved = Saved::New;
        write_all(tx, async |tx| {
            let vol = tx.store(VOL)?;
            if vol.get(key).await?.is_some_and(|v| !v.is_undefined()) {
                saved = Saved::Already;
                return Ok(());
            }
            vol.put(&value, None).await?;
            tx.store(OUTBOX)?.add(&entry, None).await?;
            Ok(())
        })
        .await?;
        Ok(saved)
    }

    /// This phone's volunteer records that read as `T` (the caller tells the kinds apart,
    /// e.g. by a `kind` field); the others are left.
    pub async fn vol_records<T: DeserializeOwned>(&self) -> Result<Vec<T>, StoreError> {
        let tx = self.tx(&[VOL], TransactionMode::ReadOnly)?;
        let values = tx.store(VOL)?.get_all(None, None).await?;
        Ok(values.iter().filter_map(|v| from_js(v).ok()).collect())
    }

    /// Keeps an answer of the district under `name`, replacing the one before.
    pub async fn cache_put<T: Serialize + ?Sized>(
        &self,
        name: &str,
        value: &T,
    ) -> Result<(), StoreError> {
        let value = to_js(value)?;
        let tx = self.tx(&[VOL_CACHE], TransactionMode::ReadWrite)?;
        write_all(tx, async |tx| {
            tx.store(VOL_CACHE)?
                .put(&value, Some(&JsValue::from_str(name)))
                .await?;
            Ok(())
        })
        .await
    }

    /// The answer kept under `name`, if there is one this build can read.
    pub async fn cache_get<T: DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<T>, StoreError> {
        let tx = self.tx(&[VOL_CACHE], TransactionMode::ReadOnly)?;
        let value = tx
            .store(VOL_CACHE)?
            .get(JsValue::from_str(name))
            .await?
            .filter(|v| !v.is_undefined());
        Ok(value.and_then(|v| from_js(&v).ok()))
    }
}
