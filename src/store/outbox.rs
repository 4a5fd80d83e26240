//! The outbox of envelopes waiting to be pushed, the server's rejections, and the sync
//! state of each record derived from both.

use rexie::{KeyRange, TransactionMode};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use wenming_core::{Kind, RecordId};

use super::js::{from_js, to_js};
use super::sealed::Sealed;
use super::{write_all, Store, StoreError, OUTBOX, REJECTS};

/// One envelope waiting to be pushed. `envelope` is its JSON text, ready to be spliced
/// into a push body as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// The phone record the envelope belongs to (a check-out's is its check-in's).
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub record_id: RecordId,
    /// The envelope's own id, which the server answers for.
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub envelope_id: RecordId,
    pub kind: Kind,
    pub envelope: String,
}

impl OutboxEntry {
    pub fn new(record_id: RecordId, envelope: Sealed) -> Self {
        OutboxEntry {
            record_id,
            envelope_id: envelope.id,
            kind: envelope.kind,
            envelope: envelope.json,
        }
    }
}

/// An outbox entry and its key, which orders the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Queued {
    pub key: f64,
    pub entry: OutboxEntry,
}

/// A record the server refused, and why; the record stays on the phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reject {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub record_id: RecordId,
    pub reason: String,
}

/// Where a record stands with the district server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncState {
    /// 待同步: an outbox entry refers to it.
    Pending,
    /// 同步中: it is in the batch being pushed.
    Syncing,
    /// 已同步: the server has all of it.
    Synced,
    /// 被退回: the server refused it, for this reason.
    Rejected(String),
}

impl SyncState {
    /// The value of the row's `data-state` attribute.
    pub fn as_str(&self) -> &'static str {
        match self {
            SyncState::Pending => "pending",
            SyncState::Syncing => "syncing",
            SyncState::Synced => "synced",
            SyncState::Rejected(_) => "rejected",
        }
    }

    pub fn label_zh(&self) -> String {
        match self {
            SyncState::Pending => "待同步".to_owned(),
            SyncState::Syncing => "同步中".to_owned(),
            SyncState::Synced => "已同步".to_owned(),
            SyncState::Rejected(reason) => format!("被退回（{reason}）"),
        }
    }
}

/// A set of record ids: a sorted vector, which is all a phone's few thousand ids need and
/// costs the download far less code than a hash set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdSet(Vec<RecordId>);

impl IdSet {
    pub fn contains(&self, id: &RecordId) -> bool {
        self.0.binary_search(id).is_ok()
    }

    pub fn insert(&mut self, id: RecordId) {
        if let Err(at) = self.0.binary_search(&id) {
            self.0.insert(at, id);
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<RecordId> for IdSet {
    fn from_iter<I: IntoIterator<Item = RecordId>>(iter: I) -> Self {
        let mut ids: Vec<RecordId> = iter.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        IdSet(ids)
    }
}

/// What the outbox and the rejects say about the records, read in one transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxView {
    /// Records with at least one envelope in the outbox.
    pub pending: IdSet,
    /// Refused records, in id order.
    pub rejects: Vec<Reject>,
}

impl OutboxView {
    /// The sync state of a record, given the records of the batch in flight.
    pub fn state_of(&self, id: &RecordId, in_flight: &IdSet) -> SyncState {
        if in_flight.contains(id) && self.pending.contains(id) {
            SyncState::Syncing
        } else if self.pending.contains(id) {
            SyncState::Pending
        } else if let Ok(at) = self.rejects.binary_search_by(|r| r.record_id.cmp(id)) {
            SyncState::Rejected(self.rejects[at].reason.clone())
        } else {
            SyncState::Synced
        }
    }
}

impl Store {
    /// The oldest `limit` outbox entries, in key order.
    pub async fn outbox_batch(&self, limit: u32) -> Result<Vec<Queued>, StoreError> {
        let tx = self.tx(&[OUTBOX], TransactionMode::ReadOnly)?;
        let outbox = tx.store(OUTBOX)?;
        // Keys and values from one transaction line up one to one.
        let keys = outbox.get_all_keys(None, Some(limit)).await?;
        let values = outbox.get_all(None, Some(limit)).await?;
        keys.iter()
            .zip(values.iter())
            .map(|(key, value)| {
                let key = key
                    .as_f64()
                    .ok_or_else(|| StoreError::Js("outbox key is not a number".to_owned()))?;
                Ok(Queued {
                    key,
                    entry: from_js(value)?,
                })
            })
            .collect()
    }

    /// Takes a pushed batch out of the outbox, keys `first..=last`, with one range delete,
    /// and keeps the records the server refused with their reasons, in one transaction.
    /// Entries added after the batch was read have larger keys and stay.
    pub async fn settle_batch(
        &self,
        first: f64,
        last: f64,
        rejects: &[Reject],
    ) -> Result<(), StoreError> {
        let range: JsValue = KeyRange::bound(
            &JsValue::from_f64(first),
            &JsValue::from_f64(last),
            None,
            None,
        )
        .map_err(rexie::Error::from)?
        .into();
        let values = rejects.iter().map(to_js).collect::<Result<Vec<_>, _>>()?;
        let tx = self.tx(&[OUTBOX, REJECTS], TransactionMode::ReadWrite)?;
        write_all(tx, async |tx| {
            tx.store(OUTBOX)?.delete(range).await?;
            if !values.is_empty() {
                tx.store(REJECTS)?
                    .put_all(values.into_iter().map(|v| (v, None)))
                    .await?;
            }
            Ok(())
        })
        .await
    }

    /// Which records wait in the outbox and which were refused.
    pub async fn outbox_view(&self) -> Result<OutboxView, StoreError> {
        let tx = self.tx(&[OUTBOX, REJECTS], TransactionMode::ReadOnly)?;
        let entries = tx.store(OUTBOX)?.get_all(None, None).await?;
        let rejects = tx.store(REJECTS)?.get_all(None, None).await?;
        // Only the record id is needed: reading it alone skips copying every envelope.
        let record_id = JsValue::from_str("record_id");
        let pending = entries
            .iter()
            .map(|entry| {
                js_sys::Reflect::get(entry, &record_id)
                    .ok()
                    .and_then(|v| v.as_string())
                    .and_then(|s| crate::ids::parse(&s))
                    .ok_or_else(|| StoreError::Js("outbox entry without a record id".to_owned()))
            })
            .collect::<Result<IdSet, _>>()?;
        // The store's key is the record id: the rejects come in id order.
        let rejects = rejects
            .iter()
            .map(from_js)
            .collect::<Result<Vec<Reject>, _>>()?;
        Ok(OutboxView { pending, rejects })
    }
}
