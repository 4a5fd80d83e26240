//! The photo uploader, after the records: each queued photo is sent chunk by chunk from
//! where the district says it stands, so a cut costs at most one chunk. A photo the
//! district refuses for good is marked and kept; the records never wait for photos.

use wenming_core::photo::next_chunk;

use super::cycle::Failure;
use crate::api::{self, ApiError};
use crate::store::Store;

/// Statuses after which sending the same bytes again cannot succeed.
fn refused_for_good(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::Status {
            status: 400 | 413 | 415 | 422,
            ..
        }
    )
}

/// Uploads every queued photo not refused before; stops at the first failure that may
/// pass (the network), to be tried again with the next cycle.
pub(crate) async fn upload_all(store: &Store, token: &str) -> Result<(), Failure> {
    for queued in store.photo_queue().await? {
        if queued.refused.is_some() {
            continue;
        }
        let hash = &queued.hash;
        let Some(photo) = store.photo(hash).await? else {
            // Nothing left to send (the browser dropped it): the district says what arrived.
            store.photo_uploaded(hash).await?;
            continue;
        };
        let bytes = crate::photo::bytes(&photo.blob)
            .await
            .map_err(|e| Failure::Retry(e.message_zh()))?;
        let size = u64::from(bytes.length());
        let mut status = api::photos::status(token, hash).await?;
        while !status.complete {
            let Some(chunk) = next_chunk(size, status.received) else {
                return Err(Failure::Retry("照片上传的进度有误，稍后重试".to_owned()));
            };
            let part = bytes.subarray(chunk.offset as u32, (chunk.offset + chunk.len) as u32);
            match api::photos::put_chunk(token, hash, chunk.offset, size, part).await {
                Ok(next) => status = next,
                // Another tab or phone moved the upload on: ask where it stands.
                Err(ApiError::Status { status: 409, .. }) => {
                    status = api::photos::status(token, hash).await?;
                }
                Err(e) if refused_for_good(&e) => {
                    store.photo_refused(hash, &e.message_zh()).await?;
                    break;
                }
                Err(e) => return Err(e.into()),
            }
        }
        if status.complete {
            store.photo_uploaded(hash).await?;
        }
    }
    Ok(())
}
