//! One sync cycle: push the outbox in batches until it is empty, then pull reference data
//! (and, for the roles that file or review, the filings feed; for those that send or answer
//! pre-reports, the pre-report feed) until the server has no more, then upload the photos
//! still queued. Every step leaves the database consistent, so a cycle
//! cut short anywhere is simply run again.

use std::rc::Rc;

use wenming_core::protocol::{MAX_BATCH_BYTES, PUSH_BATCH_RECORDS};
use wenming_core::sync::settle;
use wenming_core::RecordId;

use super::{gzip, SyncEvent};
use crate::api::{self, ApiError, Body};
use crate::store::{IdSet, Queued, Reject, Store, StoreError};
use crate::time;

/// Why a cycle stopped before the end.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Try again later, after a backoff.
    Retry(String),
    /// The device token is no longer valid: stop until the device is enrolled again.
    Unauthorized,
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Retry(e.message_zh())
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        if e.is_unauthorized() {
            Failure::Unauthorized
        } else {
            // A 4xx on a push (malformed, too large) is retried too, more and more slowly:
            // the records stay, and the user sees the server's words.
            Failure::Retry(e.message_zh())
        }
    }
}

/// How a finished cycle went.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Done {
    Synced,
    /// The device is not enrolled: nothing to do.
    NotEnrolled,
}

pub(crate) async fn run(store: &Store, notify: &dyn Fn(SyncEvent)) -> Result<Done, Failure> {
    let Some(session) = store.session().await? else {
        return Ok(Done::NotEnrolled);
    };
    notify(SyncEvent::Started);
    let mut clock_offset_ms = None;
    loop {
        let batch = store.outbox_batch(PUSH_BATCH_RECORDS as u32).await?;
        if batch.is_empty() {
            break;
        }
        let result = push_batch(store, &session.token, &batch, notify).await;
        notify(SyncEvent::InFlight(Rc::default()));
        if let Ok(view) = store.outbox_view().await {
            notify(SyncEvent::Outbox(Rc::new(view)));
        }
        clock_offset_ms = Some(result?);
    }
    let pulled = pull_all(store, &session.token, notify).await?;
    clock_offset_ms = pulled.or(clock_offset_ms);
    // Only the workbench pulls the filings feed (a `cfg`: see `app::load`).
    #[cfg(feature = "work")]
    if super::filings::concerns(session.device.role) {
        super::filings::pull(store, &session.token, notify).await?;
    }
    // Likewise the pre-report feed, for the roles that send or answer pre-reports.
    #[cfg(feature = "work")]
    if super::pre_reports::concerns(session.device.role) {
        super::pre_reports::pull(store, &session.token, notify).await?;
    }
    // The volunteers' app keeps the district's answers about its volunteers (#5).
    #[cfg(not(feature = "work"))]
    super::volunteers::refresh(store, &session.token).await?;
    let at = time::now();
    store.save_sync_success(at, clock_offset_ms).await?;
    // Photos last, after every record is pushed and settled: a slow or failed upload
    // delays and loses nothing else, and is tried again with the next cycle. Only the
    // workbench takes photos (filings, activity reports).
    #[cfg(feature = "work")]
    let photos = super::photos::upload_all(store, &session.token).await;
    #[cfg(not(feature = "work"))]
    let photos: Result<(), Failure> = Ok(());
    notify(SyncEvent::Finished {
        at,
        clock_offset_ms,
    });
    match photos {
        Ok(()) => Ok(Done::Synced),
        Err(Failure::Retry(why)) => Err(Failure::Retry(format!("记录已同步；照片尚未传完：{why}"))),
        Err(e) => Err(e),
    }
}

/// Pushes the longest prefix of `batch` that fits a request, and settles it. Returns the
/// server's clock offset.
async fn push_batch(
    store: &Store,
    token: &str,
    batch: &[Queued],
    notify: &dyn Fn(SyncEvent),
) -> Result<i64, Failure> {
    let (body, sent) = request_body(batch);
    let sent_batch = &batch[..sent];
    let ids: Vec<RecordId> = sent_batch.iter().map(|q| q.entry.envelope_id).collect();
    let in_flight: IdSet = sent_batch.iter().map(|q| q.entry.record_id).collect();
    notify(SyncEvent::InFlight(Rc::new(in_flight)));

    let body = if gzip::supported() {
        match gzip::gzip(body.as_bytes()).await {
            Ok(bytes) => Body::Gzip(bytes),
            Err(_) => Body::Json(body),
        }
    } else {
        Body::Json(body)
    };
    let response = api::push(token, body).await?;
    let offset = response.server_time.timestamp_millis() - time::now_ms() as i64;
    let settlement = settle(&ids, &response)
        .map_err(|e| Failure::Retry(format!("服务器的回答与所发记录不符，稍后重试（{e}）")))?;

    let rejects: Vec<Reject> = settlement
        .rejected
        .into_iter()
        .map(|(envelope_id, reason)| Reject {
            record_id: sent_batch
                .iter()
                .find(|q| q.entry.envelope_id == envelope_id)
                .map_or(envelope_id, |q| q.entry.record_id),
            reason,
        })
        .collect::<Vec<_>>();
    let (Some(first), Some(last)) = (sent_batch.first(), sent_batch.last()) else {
        return Ok(offset);
    };
    store.settle_batch(first.key, last.key, &rejects).await?;
    Ok(offset)
}

/// The push body for the longest prefix of `batch` within the server's size limit (at
/// least one record), spliced from the stored envelope texts; and that prefix's length.
fn request_body(batch: &[Queued]) -> (String, usize) {
    const HEAD: &str = "{\"records\":[";
    const TAIL: &str = "]}";
    let mut body = String::from(HEAD);
    let mut sent = 0;
    for queued in batch {
        let envelope = &queued.entry.envelope;
        if sent > 0 && body.len() + 1 + envelope.len() + TAIL.len() > MAX_BATCH_BYTES {
            break;
        }
        if sent > 0 {
            body.push(',');
        }
        body.push_str(envelope);
        sent += 1;
    }
    body.push_str(TAIL);
    (body, sent)
}

/// Pulls pages until the server has no more; each page and its cursor are stored in one
/// transaction. Returns the clock offset of the last answer.
pub(crate) async fn pull_all(
    store: &Store,
    token: &str,
    notify: &dyn Fn(SyncEvent),
) -> Result<Option<i64>, Failure> {
    let mut cursor = store.sync_meta().await?.cursor;
    let mut changed = false;
    loop {
        let page = api::pull(token, cursor).await?;
        let offset = Some(page.server_time.timestamp_millis() - time::now_ms() as i64);
        store.apply_pull_page(&page).await?;
        changed |= !page.changes.is_empty();
        if !page.more {
            if changed {
                notify(SyncEvent::RefData(Rc::new(store.refdata().await?)));
            }
            return Ok(offset);
        }
        if page.next_cursor <= cursor {
            return Err(Failure::Retry("服务器的数据页码有误，稍后重试".to_owned()));
        }
        cursor = page.next_cursor;
    }
}
