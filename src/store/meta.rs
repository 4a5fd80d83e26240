//! Settings kept in the `meta` store: the device's token and identity, and the sync
//! bookkeeping (pull cursor, last success, server clock offset).

use chrono::{DateTime, Utc};
use rexie::TransactionMode;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use wenming_core::protocol::DeviceInfo;
use wenming_core::volunteer::pass::DistrictKey;

use super::js::{from_js, to_js};
use super::{write_all, Store, StoreError, META};
use crate::time::rfc3339::Stamp;

const TOKEN: &str = "token";
const DEVICE: &str = "device";
pub(crate) const CURSOR: &str = "cursor";
const LAST_SYNC: &str = "last_sync";
const CLOCK_OFFSET: &str = "clock_offset_ms";
/// The district's public key (#5), with which station passes are verified offline.
const DISTRICT_KEY: &str = "district_key";

/// Who this device acts for, and the bearer token that proves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token: String,
    pub device: DeviceInfo,
}

/// Sync bookkeeping.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncMeta {
    /// The server's pull cursor: changes after it are still to fetch.
    pub cursor: u64,
    pub last_sync: Option<DateTime<Utc>>,
    /// The server's clock minus the phone's, in milliseconds, at the last answer.
    pub clock_offset_ms: Option<i64>,
}

/// The value under `key`, if any. Not generic, so that the awaiting is in the app once;
/// [`decode`] reads it after.
async fn get(store: &rexie::Store, key: &str) -> Result<Option<JsValue>, StoreError> {
    Ok(store
        .get(JsValue::from_str(key))
        .await?
        .filter(|v| !v.is_undefined()))
}

fn decode<T: DeserializeOwned>(value: Option<JsValue>) -> Result<Option<T>, StoreError> {
    value.as_ref().map(from_js).transpose()
}

impl Store {
    /// The enrolled session, if the device is enrolled.
    pub async fn session(&self) -> Result<Option<Session>, StoreError> {
        let tx = self.tx(&[META], TransactionMode::ReadOnly)?;
        let meta = tx.store(META)?;
        let token = get(&meta, TOKEN).await?;
        let device = get(&meta, DEVICE).await?;
        let token: Option<String> = decode(token)?;
        let device: Option<DeviceInfo> = decode(device)?;
        Ok(token
            .zip(device)
            .map(|(token, device)| Session { token, device }))
    }

    /// Stores a new enrollment; token and identity change together.
    pub async fn save_session(&self, session: &Session) -> Result<(), StoreError> {
        let token = to_js(&session.token)?;
        let device = to_js(&session.device)?;
        let tx = self.tx(&[META], TransactionMode::ReadWrite)?;
        write_all(tx, async |tx| {
            let meta = tx.store(META)?;
            meta.put(&token, Some(&JsValue::from_str(TOKEN))).await?;
            meta.put(&device, Some(&JsValue::from_str(DEVICE))).await?;
            Ok(())
        })
        .await
    }

    pub async fn sync_meta(&self) -> Result<SyncMeta, StoreError> {
        let tx = self.tx(&[META], TransactionMode::ReadOnly)?;
        let meta = tx.store(META)?;
        let cursor = get(&meta, CURSOR).await?;
        let last_sync = get(&meta, LAST_SYNC).await?;
        let clock_offset_ms = get(&meta, CLOCK_OFFSET).await?;
        Ok(SyncMeta {
            cursor: decode(cursor)?.unwrap_or(0),
            last_sync: decode::<Stamp>(last_sync)?.map(|s| s.0),
            clock_offset_ms: decode(clock_offset_ms)?,
        })
    }

    /// Notes a successful sync and how far the phone's clock is from the server's.
    pub async fn save_sync_success(
        &self,
        at: DateTime<Utc>,
        clock_offset_ms: Option<i64>,
    ) -> Result<(), StoreError> {
        let at = to_js(&Stamp(at))?;
        let offset = clock_offset_ms.map(|o| to_js(&o)).transpose()?;
        let tx = self.tx(&[META], TransactionMode::ReadWrite)?;
        write_all(tx, async |tx| {
            let meta = tx.store(META)?;
            meta.put(&at, Some(&JsValue::from_str(LAST_SYNC))).await?;
            if let Some(offset) = &offset {
                meta.put(offset, Some(&JsValue::from_str(CLOCK_OFFSET)))
                    .await?;
            }
            Ok(())
        })
        .await
    }

    /// The district's public key, as the enrollment answer or `/district-key` gave it.
    pub async fn district_key(&self) -> Result<Option<DistrictKey>, StoreError> {
        let tx = self.tx(&[META], TransactionMode::ReadOnly)?;
        decode(get(&tx.store(META)?, DISTRICT_KEY).await?)
    }

    pub async fn save_district_key(&self, key: &DistrictKey) -> Result<(), StoreError> {
        let key = to_js(key)?;
        let tx = self.tx(&[META], TransactionMode::ReadWrite)?;
        write_all(tx, async |tx| {
            tx.store(META)?
                .put(&key, Some(&JsValue::from_str(DISTRICT_KEY)))
                .await?;
            Ok(())
        })
        .await
    }
}
