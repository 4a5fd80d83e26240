//! Photos on the phone: each downscaled photo as a Blob with its facts in `photos` (key:
//! its hash), and the uploads still to do in `photo_queue` (key: hash). A photo is queued
//! in the transaction that queues the record referring to it (see `filings.rs`), and
//! leaves the queue once the district holds all of it; the Blob stays.

use js_sys::{Object, Reflect};
use rexie::TransactionMode;
use wasm_bindgen::{JsCast, JsValue};
use wenming_core::photo::PhotoHash;

use super::{write_all, Store, StoreError, OUTBOX, PHOTOS, PHOTO_QUEUE};
use crate::photo::Prepared;

/// A photo as stored.
#[derive(Debug, Clone)]
pub struct StoredPhoto {
    pub hash: PhotoHash,
    pub blob: web_sys::Blob,
    pub mime: String,
    pub size: u64,
    pub width: u32,
    pub height: u32,
    /// Milliseconds since the Unix epoch.
    pub created: f64,
}

/// An upload still to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedPhoto {
    pub hash: PhotoHash,
    /// The district refused it for good (not an image, too large): kept, not retried.
    pub refused: Option<String>,
}

fn js_error(e: JsValue) -> StoreError {
    StoreError::Js(format!("{e:?}"))
}

fn set(o: &Object, key: &str, value: &JsValue) -> Result<(), StoreError> {
    Reflect::set(o, &JsValue::from_str(key), value)
        .map(drop)
        .map_err(js_error)
}

fn get(o: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(o, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn number(o: &JsValue, key: &str) -> Option<f64> {
    get(o, key).and_then(|v| v.as_f64())
}

/// The stored object: a Blob cannot go through JSON, so it is built field by field.
fn photo_value(p: &Prepared, created: f64) -> Result<JsValue, StoreError> {
    let o = Object::new();
    set(&o, "hash", &JsValue::from_str(p.hash.as_str()))?;
    set(&o, "blob", &p.blob)?;
    set(&o, "mime", &JsValue::from_str(&p.blob.type_()))?;
    set(&o, "size", &JsValue::from_f64(p.size as f64))?;
    set(&o, "width", &JsValue::from(p.width))?;
    set(&o, "height", &JsValue::from(p.height))?;
    set(&o, "created", &JsValue::from_f64(created))?;
    Ok(o.into())
}

fn read_photo(v: &JsValue) -> Option<StoredPhoto> {
    Some(StoredPhoto {
        hash: PhotoHash::parse(&get(v, "hash")?.as_string()?).ok()?,
        blob: get(v, "blob")?.dyn_into().ok()?,
        mime: get(v, "mime")?.as_string()?,
        size: number(v, "size")? as u64,
        width: number(v, "width")? as u32,
        height: number(v, "height")? as u32,
        created: number(v, "created")?,
    })
}

pub(crate) fn queue_value(hash: &PhotoHash) -> Result<JsValue, StoreError> {
    let o = Object::new();
    set(&o, "hash", &JsValue::from_str(hash.as_str()))?;
    Ok(o.into())
}

fn read_queued(v: &JsValue) -> Option<QueuedPhoto> {
    Some(QueuedPhoto {
        hash: PhotoHash::parse(&get(v, "hash")?.as_string()?).ok()?,
        refused: get(v, "refused").and_then(|r| r.as_string()),
    })
}

impl Store {
    /// Writes a record to `store` with its outbox entry and queues the upload of the
    /// photos it names: together or not at all (a record never waits for a photo that was
    /// not queued, and no photo is queued for a record that was not saved).
    pub async fn put_with_outbox_and_photos(
        &self,
        store: &str,
        value: &JsValue,
        outbox_entry: &JsValue,
        photos: &[PhotoHash],
    ) -> Result<(), StoreError> {
        if photos.is_empty() {
            return self.put_with_outbox(store, value, outbox_entry).await;
        }
        let queued = photos
            .iter()
            .map(queue_value)
            .collect::<Result<Vec<_>, _>>()?;
        let tx = self.tx(&[store, OUTBOX, PHOTO_QUEUE], TransactionMode::ReadWrite)?;
        write_all(tx, async |tx| {
            tx.store(store)?.put(value, None).await?;
            tx.store(OUTBOX)?.add(outbox_entry, None).await?;
            let queue = tx.store(PHOTO_QUEUE)?;
            for q in &queued {
                queue.put(q, None).await?;
            }
            Ok(())
        })
        .await
    }

    /// Keeps a prepared photo; the same photo twice is one entry.
    pub async fn save_photo(&self, p: &Prepared) -> Result<(), StoreError> {
        let value = photo_value(p, js_sys::Date::now())?;
        let tx = self.tx(&[PHOTOS], TransactionMode::ReadWrite)?;
        write_all(tx, async |tx| {
            tx.store(PHOTOS)?.put(&value, None).await?;
            Ok(())
        })
        .await
    }

    pub async fn photo(&self, hash: &PhotoHash) -> Result<Option<StoredPhoto>, StoreError> {
        let tx = self.tx(&[PHOTOS], TransactionMode::ReadOnly)?;
        let value = tx
            .store(PHOTOS)?
            .get(JsValue::from_str(hash.as_str()))
            .await?;
        Ok(value.as_ref().and_then(read_photo))
    }

    /// Drops a photo taken off a draft, unless an upload of it is still to do.
    pub async fn forget_photo(&self, hash: &PhotoHash) -> Result<(), StoreError> {
        let key = JsValue::from_str(hash.as_str());
        let tx = self.tx(&[PHOTOS, PHOTO_QUEUE], TransactionMode::ReadWrite)?;
        write_all(tx, async |tx| {
            if tx.store(PHOTO_QUEUE)?.get(key.clone()).await?.is_none() {
                tx.store(PHOTOS)?.delete(key).await?;
            }
            Ok(())
        })
        .await
    }

    /// The uploads still to do, in hash order.
    pub async fn photo_queue(&self) -> Result<Vec<QueuedPhoto>, StoreError> {
        let tx = self.tx(&[PHOTO_QUEUE], TransactionMode::ReadOnly)?;
        let values = tx.store(PHOTO_QUEUE)?.get_all(None, None).await?;
        Ok(values.iter().filter_map(read_queued).collect())
    }

    /// The district holds the whole photo: nothing more to send.
    pub async fn photo_uploaded(&self, hash: &PhotoHash) -> Result<(), StoreError> {
        let key = JsValue::from_str(hash.as_str());
        let tx = self.tx(&[PHOTO_QUEUE], TransactionMode::ReadWrite)?;
        write_all(tx, async |tx| {
            tx.store(PHOTO_QUEUE)?.delete(key).await?;
            Ok(())
        })
        .await
    }

    /// The district refused the photo for good, saying `reason`.
    pub async fn photo_refused(&self, hash: &PhotoHash, reason: &str) -> Result<(), StoreError> {
        let value = queue_value(hash)?;
        set(value.unchecked_ref(), "refused", &JsValue::from_str(reason))?;
        let tx = self.tx(&[PHOTO_QUEUE], TransactionMode::ReadWrite)?;
        write_all(tx, async |tx| {
            tx.store(PHOTO_QUEUE)?.put(&value, None).await?;
            Ok(())
        })
        .await
    }
}
