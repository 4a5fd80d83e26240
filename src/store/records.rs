//! Check-in records and their one-transaction saves: the record and its outbox entry.

use chrono::{DateTime, Utc};
use rexie::TransactionMode;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use wenming_core::{PersonName, Phone, RecordId, StationCode};

use super::js::{from_js, to_js};
use super::outbox::OutboxEntry;
use super::sealed::Seal;
use super::{write_all, Store, StoreError, OUTBOX, RECORDS};

/// A volunteer's check-in at a station as this phone keeps it; its id is the id of the
/// check-in envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    #[serde(deserialize_with = "crate::ids::deserialize")]
    pub id: RecordId,
    pub station: StationCode,
    pub station_name: String,
    pub volunteer_name: PersonName,
    pub phone: Phone,
    #[serde(with = "crate::time::rfc3339")]
    pub checked_in_at: DateTime<Utc>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::rfc3339::option"
    )]
    pub checked_out_at: Option<DateTime<Utc>>,
}

impl Record {
    pub fn is_open(&self) -> bool {
        self.checked_out_at.is_none()
    }
}

/// How the record is written next to its outbox entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordWrite {
    /// A new record: if one with its id exists, the save fails and nothing is written.
    Insert,
    /// A record changed in place.
    Update,
}

impl Store {
    /// Saves a new check-in and its `check_in` envelope, together or not at all.
    pub async fn save_check_in<E: Seal + ?Sized>(
        &self,
        record: &Record,
        envelope: &E,
    ) -> Result<(), StoreError> {
        let entry = OutboxEntry::new(record.id, envelope.seal()?);
        self.write_record_and_outbox(&to_js(record)?, &to_js(&entry)?, RecordWrite::Insert)
            .await
    }

    /// Saves the checked-out record and its `check_out` envelope, together or not at all.
    pub async fn save_check_out<E: Seal + ?Sized>(
        &self,
        record: &Record,
        envelope: &E,
    ) -> Result<(), StoreError> {
        let entry = OutboxEntry::new(record.id, envelope.seal()?);
        self.write_record_and_outbox(&to_js(record)?, &to_js(&entry)?, RecordWrite::Update)
            .await
    }

    /// The write under both saves, on raw values: one readwrite transaction, no reads.
    #[doc(hidden)]
    pub async fn write_record_and_outbox(
        &self,
        record: &JsValue,
        outbox_entry: &JsValue,
        how: RecordWrite,
    ) -> Result<(), StoreError> {
        let tx = self.tx(&[RECORDS, OUTBOX], TransactionMode::ReadWrite)?;
        write_all(tx, async |tx| {
            let (records, outbox) = (tx.store(RECORDS)?, tx.store(OUTBOX)?);
            let record_write = async {
                match how {
                    RecordWrite::Insert => records.add(record, None).await,
                    RecordWrite::Update => records.put(record, None).await,
                }
            };
            // Both requests go to the database at once, not the second after the first's
            // answer: one round trip to the browser's database instead of two.
            let (written, queued) =
                futures::future::join(record_write, outbox.add(outbox_entry, None)).await;
            written?;
            queued?;
            Ok(())
        })
        .await
    }

    /// Every record on the phone, newest first. A record this build cannot read (written
    /// by a newer one) is left in the database and not shown.
    pub async fn records(&self) -> Result<Vec<Record>, StoreError> {
        let tx = self.tx(&[RECORDS], TransactionMode::ReadOnly)?;
        let values = tx.store(RECORDS)?.get_all(None, None).await?;
        // Keys are the ids' text, whose order is the ids' order: reversed, newest first.
        Ok(values
            .iter()
            .rev()
            .filter_map(|v| from_js(v).ok())
            .collect())
    }
}
