//! Filing on the phone: the leader's drafts (key: application id), the district's
//! applications from the filings feed (key: application id) with the feed's cursor in
//! `meta`, and the reviewer's own decisions (key: record id). A submission or a decision is
//! written with its outbox entry in one transaction, as check-ins are; a submission's
//! photos are queued for upload in that transaction too.

use rexie::TransactionMode;
use wasm_bindgen::JsValue;

use super::js::{from_js, to_js};
use super::outbox::OutboxEntry;
use super::sealed::Sealed;
use super::{write_all, Store, StoreError, APPLICATIONS, DECISIONS, DRAFTS, META, OUTBOX};
use crate::api::filings::FeedPage;
use crate::filing::wire::AppView;
use crate::filing::{Draft, Filings, MyDecision};

/// The filings feed's cursor, in `meta`.
const FILING_CURSOR: &str = "filing_cursor";

impl Store {
    /// Saves a draft as it is now: one put.
    pub async fn save_draft(&self, draft: &Draft) -> Result<(), StoreError> {
        let value = to_js(draft)?;
        let tx = self.tx(&[DRAFTS], TransactionMode::ReadWrite)?;
        write_all(tx, async |tx| {
            tx.store(DRAFTS)?.put(&value, None).await?;
            Ok(())
        })
        .await
    }

    /// Saves a submitted draft and its `filing_submit` envelope, and queues the upload of
    /// its photos: together or not at all.
    pub async fn save_submission(
        &self,
        draft: &Draft,
        envelope: &Sealed,
    ) -> Result<(), StoreError> {
        let entry = OutboxEntry::new(envelope.id, envelope.clone());
        self.put_with_outbox_and_photos(DRAFTS, &to_js(draft)?, &to_js(&entry)?, &draft.photos)
            .await
    }

    /// Saves a reviewer's decision and its `filing_decision` envelope, together or not at
    /// all.
    pub async fn save_decision(
        &self,
        decision: &MyDecision,
        envelope: &Sealed,
    ) -> Result<(), StoreError> {
        let entry = OutboxEntry::new(decision.id, envelope.clone());
        self.put_with_outbox(DECISIONS, &to_js(decision)?, &to_js(&entry)?)
            .await
    }

    /// The write under both saves, on raw values: one readwrite transaction, no reads.
    #[doc(hidden)]
    pub async fn put_with_outbox(
        &self,
        store: &str,
        value: &JsValue,
        outbox_entry: &JsValue,
    ) -> Result<(), StoreError> {
        let tx = self.tx(&[store, OUTBOX], TransactionMode::ReadWrite)?;
        write_all(tx, async |tx| {
            tx.store(store)?.put(value, None).await?;
            tx.store(OUTBOX)?.add(outbox_entry, None).await?;
            Ok(())
        })
        .await
    }

    /// Stores one page of the filings feed and the cursor after it, in one transaction;
    /// each application as the district sent it, replacing the one before.
    pub async fn apply_filing_page(&self, page: &FeedPage) -> Result<(), StoreError> {
        let apps: Vec<(JsValue, Option<JsValue>)> =
            page.items.iter().map(|a| (a.clone(), None)).collect();
        let cursor = to_js(&page.next_cursor)?;
        let tx = self.tx(&[APPLICATIONS, META], TransactionMode::ReadWrite)?;
        write_all(tx, async |tx| {
            if !apps.is_empty() {
                tx.store(APPLICATIONS)?.put_all(apps.into_iter()).await?;
            }
            tx.store(META)?
                .put(&cursor, Some(&JsValue::from_str(FILING_CURSOR)))
                .await?;
            Ok(())
        })
        .await
    }

    pub async fn filing_cursor(&self) -> Result<u64, StoreError> {
        let tx = self.tx(&[META], TransactionMode::ReadOnly)?;
        let value = tx
            .store(META)?
            .get(JsValue::from_str(FILING_CURSOR))
            .await?
            .filter(|v| !v.is_undefined());
        Ok(value.map(|v| from_js(&v)).transpose()?.unwrap_or(0))
    }

    /// The applications from the feed. One this build cannot read is left and not shown.
    pub async fn applications(&self) -> Result<Vec<AppView>, StoreError> {
        let tx = self.tx(&[APPLICATIONS], TransactionMode::ReadOnly)?;
        let values = tx.store(APPLICATIONS)?.get_all(None, None).await?;
        Ok(values.iter().filter_map(|v| from_js(v).ok()).collect())
    }

    /// Everything about filings on the phone, read in one transaction.
    pub async fn filings(&self) -> Result<Filings, StoreError> {
        let tx = self.tx(
            &[APPLICATIONS, DRAFTS, DECISIONS],
            TransactionMode::ReadOnly,
        )?;
        let apps = tx.store(APPLICATIONS)?.get_all(None, None).await?;
        let drafts = tx.store(DRAFTS)?.get_all(None, None).await?;
        let decisions = tx.store(DECISIONS)?.get_all(None, None).await?;
        Ok(Filings::new(
            apps.iter().filter_map(|v| from_js(v).ok()).collect(),
            drafts.iter().filter_map(|v| from_js(v).ok()).collect(),
            decisions.iter().filter_map(|v| from_js(v).ok()).collect(),
        ))
    }
}
