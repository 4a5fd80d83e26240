//! Photo uploads, resumable: `GET /api/v1/photos/{hash}/upload` says how far an upload
//! got, `PUT /api/v1/photos/{hash}/upload?offset=N&size=T` adds the chunk in the body at N,
//! and `GET /api/v1/photos/{hash}` serves a whole photo, cached for good: its name is its
//! content.
//!
//! Any enrolled device may read a photo whose hash it knows: a hash is only learned from a
//! record the device may see (or from the photo itself), and 256 bits are not guessed.

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG};
use axum::http::{HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::Utc;
use http_body_util::BodyExt;
use serde::Deserialize;
use wenming_core::photo::{PhotoHash, UploadStatus, MAX_CHUNK_BYTES};

use super::auth::Authenticated;
use super::{AppState, Error};
use crate::photos::{Chunk, Refusal};

/// Tells a client whose chunk landed elsewhere where to continue, as tus does.
const UPLOAD_OFFSET: HeaderName = HeaderName::from_static("upload-offset");

/// The upload endpoints, under the API's `no-store` layer.
pub fn router() -> Router<AppState> {
    Router::new().route("/photos/{hash}/upload", get(status).put(put_chunk))
}

/// The photo itself; routed apart from [`router`] so that the API's `no-store` does not
/// override its long caching.
pub fn serving_router() -> Router<AppState> {
    Router::new().route("/photos/{hash}", get(photo))
}

fn parse_hash(s: &str) -> Result<PhotoHash, Error> {
    PhotoHash::parse(s).map_err(|e| Error::BadRequest(e.to_string()))
}

async fn status(
    State(state): State<AppState>,
    Authenticated(_): Authenticated,
    Path(hash): Path<String>,
) -> Result<Json<UploadStatus>, Error> {
    let hash = parse_hash(&hash)?;
    Ok(Json(state.store.photo_upload(&hash).await?))
}

#[derive(Debug, Deserialize)]
struct ChunkParams {
    offset: u64,
    size: u64,
}

/// Reads at most `limit` bytes of `body`, cutting off a larger one early.
async fn read_chunk(body: Body, limit: usize) -> Result<Vec<u8>, Error> {
    let mut body = body;
    let mut bytes = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| Error::BadRequest(format!("照片数据读取失败（{e}）")))?;
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > limit {
                return Err(Error::PhotoTooBig);
            }
            bytes.extend_from_slice(&data);
        }
    }
    Ok(bytes)
}

async fn put_chunk(
    State(state): State<AppState>,
    Authenticated(device): Authenticated,
    Path(hash): Path<String>,
    params: Result<Query<ChunkParams>, QueryRejection>,
    body: Body,
) -> Result<Json<UploadStatus>, Response> {
    let hash = parse_hash(&hash).map_err(IntoResponse::into_response)?;
    let Query(params) = params
        .map_err(|_| Error::BadRequest("offset 与 size 应为非负整数".to_owned()).into_response())?;
    let bytes = read_chunk(body, MAX_CHUNK_BYTES as usize)
        .await
        .map_err(IntoResponse::into_response)?;
    let chunk = Chunk {
        hash: &hash,
        offset: params.offset,
        size: params.size,
        bytes: &bytes,
    };
    let outcome = state
        .store
        .put_photo_chunk(&device, &chunk, Utc::now())
        .await
        .map_err(|e| Error::from(e).into_response())?;
    match outcome {
        Ok(status) => Ok(Json(status)),
        Err(Refusal::Offset { received }) => Err((
            [(UPLOAD_OFFSET, HeaderValue::from(received))],
            Error::UploadOffset(received),
        )
            .into_response()),
        Err(Refusal::TooBig) => Err(Error::PhotoTooBig.into_response()),
        Err(Refusal::NotImage) => Err(Error::NotAnImage.into_response()),
        Err(Refusal::HashMismatch) => Err(Error::PhotoHashMismatch.into_response()),
        Err(Refusal::Malformed(why)) => Err(Error::BadRequest(why.to_owned()).into_response()),
    }
}

async fn photo(
    State(state): State<AppState>,
    Authenticated(_): Authenticated,
    Path(hash): Path<String>,
) -> Result<Response, Error> {
    let hash = parse_hash(&hash)?;
    let photo = state.store.photo(&hash).await?.ok_or(Error::NoSuchPhoto)?;
    let etag = HeaderValue::from_str(&format!("\"{}\"", hash.as_str()))
        .map_err(|e| Error::Internal(e.into()))?;
    Ok((
        [
            (CONTENT_TYPE, HeaderValue::from_static(photo.mime.mime())),
            // Private: it is fetched with a device token, and no shared cache should keep it.
            (
                CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=31536000, immutable"),
            ),
            (ETAG, etag),
        ],
        photo.bytes,
    )
        .into_response())
}
