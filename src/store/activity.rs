//! Activities on the phone (#4, the workbench): this phone's own activity records — drafts
//! saved on every input and sent ones kept (key: record id) — and the pre-reports of the
//! device's scope from the pre-report feed (key: pre-report id), with the feed's cursor in
//! `meta`. A sent record is written with its outbox entry in one transaction, as check-ins
//! are.

use rexie::TransactionMode;
use wasm_bindgen::JsValue;

use super::js::{from_js, to_js};
use super::outbox::OutboxEntry;
use super::sealed::Sealed;
use super::{write_all, Store, StoreError, ACTS, META, PRE_REPORTS};
use crate::activity::wire::PreView;
use wenming_core::photo::PhotoHash;

use crate::activity::{Acts, Mine};
use crate::api::filings::FeedPage;

/// The pre-report feed's cursor, in `meta`.
const PRE_REPORT_CURSOR: &str = "pre_report_cursor";

impl Store {
    /// Saves a draft as it is now: one put.
    pub async fn save_mine(&self, mine: &Mine) -> Result<(), StoreError> {
        let value = to_js(mine)?;
        let tx = self.tx(&[ACTS], TransactionMode::ReadWrite)?;
        write_all(tx, async |tx| {
            tx.store(ACTS)?.put(&value, None).await?;
            Ok(())
        })
        .await
    }

    /// Saves a sent record (its `sent` set) and its envelope, and queues the upload of its
    /// photos, together or not at all.
    pub async fn save_mine_sent(&self, mine: &Mine, envelope: &Sealed) -> Result<(), StoreError> {
        let entry = OutboxEntry::new(mine.id, envelope.clone());
        // Hashes were checked when the report was parsed; anything else is not a photo.
        let photos: Vec<PhotoHash> = mine
            .photos
            .iter()
            .filter_map(|h| PhotoHash::parse(h).ok())
            .collect();
        self.put_with_outbox_and_photos(ACTS, &to_js(mine)?, &to_js(&entry)?, &photos)
            .await
    }

    /// Deletes a draft (never a sent record: its envelope refers to it).
    pub async fn delete_draft(&self, mine: &Mine) -> Result<(), StoreError> {
        if mine.sent.is_some() {
            return Ok(());
        }
        let key = JsValue::from_str(&mine.id.to_string());
        let tx = self.tx(&[ACTS], TransactionMode::ReadWrite)?;
        write_all(tx, async |tx| {
            tx.store(ACTS)?.delete(key).await?;
            Ok(())
        })
        .await
    }

    /// Stores one page of the pre-report feed and the cursor after it, in one
    /// transaction; each pre-report as the district sent it, replacing the one before.
    pub async fn apply_pre_report_page(&self, page: &FeedPage) -> Result<(), StoreError> {
        let items: Vec<(JsValue, Option<JsValue>)> =
            page.items.iter().map(|a| (a.clone(), None)).collect();
        let cursor = to_js(&page.next_cursor)?;
        let tx = self.tx(&[PRE_REPORTS, META], TransactionMode::ReadWrite)?;
        write_all(tx, async |tx| {
            if !items.is_empty() {
                tx.store(PRE_REPORTS)?.put_all(items.into_iter()).await?;
            }
            tx.store(META)?
                .put(&cursor, Some(&JsValue::from_str(PRE_REPORT_CURSOR)))
                .await?;
            Ok(())
        })
        .await
    }

    pub async fn pre_report_cursor(&self) -> Result<u64, StoreError> {
        let tx = self.tx(&[META], TransactionMode::ReadOnly)?;
        let value = tx
            .store(META)?
            .get(JsValue::from_str(PRE_REPORT_CURSOR))
            .await?
            .filter(|v| !v.is_undefined());
        Ok(value.map(|v| from_js(&v)).transpose()?.unwrap_or(0))
    }

    /// The pre-reports from the feed. One this build cannot read is left and not shown.
    pub async fn pre_reports(&self) -> Result<Vec<PreView>, StoreError> {
        let tx = self.tx(&[PRE_REPORTS], TransactionMode::ReadOnly)?;
        let values = tx.store(PRE_REPORTS)?.get_all(None, None).await?;
        Ok(values.iter().filter_map(|v| from_js(v).ok()).collect())
    }

    /// Everything about activities on the phone, read in one transaction.
    pub async fn acts(&self) -> Result<Acts, StoreError> {
        let tx = self.tx(&[ACTS, PRE_REPORTS], TransactionMode::ReadOnly)?;
        let mine = tx.store(ACTS)?.get_all(None, None).await?;
        let pre = tx.store(PRE_REPORTS)?.get_all(None, None).await?;
        Ok(Acts::new(
            mine.iter().filter_map(|v| from_js(v).ok()).collect(),
            pre.iter().filter_map(|v| from_js(v).ok()).collect(),
        ))
    }
}
