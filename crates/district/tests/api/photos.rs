//! Photos over HTTP: chunked uploads that resume after a cut, one stored photo however
//! often it is sent, refusals of what is too big, not an image or not what its hash names,
//! and filings that refer to photos before they arrive.

use serde_json::Value;
use sqlx::Connection;
use tokio::io::AsyncWriteExt;
use wenming_core::photo::{
    PhotoHash, UploadStatus, CHUNK_BYTES, MAX_CHUNK_BYTES, MAX_PHOTOS_PER_RECORD, MAX_PHOTO_BYTES,
};
use wenming_core::protocol::Outcome;
use wenming_district::photos::hash_of;

use crate::filing_kit::*;
use crate::helpers::*;

/// A JPEG's header, then `len` bytes of noise that do not compress (as a JPEG's do not).
fn jpeg(len: usize, seed: u64) -> Vec<u8> {
    let mut bytes = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1,
    ];
    let mut x = seed | 1;
    while bytes.len() < len {
        // xorshift64: reproducible noise.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

impl TestApp {
    async fn put_chunk(
        &self,
        token: &str,
        hash: &PhotoHash,
        offset: usize,
        size: usize,
        bytes: &[u8],
    ) -> reqwest::Response {
        self.client
            .put(self.url(&format!(
                "/api/v1/photos/{hash}/upload?offset={offset}&size={size}"
            )))
            .bearer_auth(token)
            .header("content-type", "application/octet-stream")
            .body(bytes.to_vec())
            .send()
            .await
            .unwrap()
    }

    async fn upload_status(&self, token: &str, hash: &PhotoHash) -> UploadStatus {
        let response = self
            .get(token, &format!("/api/v1/photos/{hash}/upload"))
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// Uploads `photo` whole, chunk by chunk, as the phone does; returns the last answer.
    async fn upload(&self, token: &str, photo: &[u8]) -> UploadStatus {
        let hash = hash_of(photo);
        let mut status = self.upload_status(token, &hash).await;
        while !status.complete {
            let from = status.received as usize;
            let to = (from + CHUNK_BYTES as usize).min(photo.len());
            let response = self
                .put_chunk(token, &hash, from, photo.len(), &photo[from..to])
                .await;
            assert_eq!(response.status(), 200);
            status = response.json().await.unwrap();
        }
        status
    }

    /// Counts the rows of `table` in the server's database.
    async fn rows(&self, table: &str) -> i64 {
        let path = self.dir.path().join("data").join("district.db");
        let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&mut db)
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn a_cut_upload_resumes_from_what_the_district_holds() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let photo = jpeg(500_000, 1);
    let hash = hash_of(&photo);
    let chunk = CHUNK_BYTES as usize;

    let first = app
        .put_chunk(&token, &hash, 0, photo.len(), &photo[..chunk])
        .await;
    assert_eq!(first.status(), 200);
    let status: UploadStatus = first.json().await.unwrap();
    assert_eq!((status.received, status.complete), (chunk as u64, false));
    assert_eq!(status.size, Some(photo.len() as u64));

    // The second chunk is cut off half-way: the connection drops mid-body.
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut socket = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "PUT /api/v1/photos/{hash}/upload?offset={chunk}&size={} HTTP/1.1\r\nHost: {address}\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/octet-stream\r\n\
         Content-Length: {chunk}\r\n\r\n",
        photo.len()
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    socket
        .write_all(&photo[chunk..chunk + chunk / 2])
        .await
        .unwrap();
    socket.shutdown().await.unwrap();
    drop(socket);

    // A new request asks where the upload stands: the half chunk was not kept.
    let status = app.upload_status(&token, &hash).await;
    assert_eq!((status.received, status.complete), (chunk as u64, false));
    assert_eq!(
        app.rows("photos").await,
        0,
        "half an upload is never a photo"
    );

    let done = app.upload(&token, &photo).await;
    assert!(done.complete);
    assert_eq!(done.received, photo.len() as u64);
    let served = app.get(&token, &format!("/api/v1/photos/{hash}")).await;
    assert_eq!(served.status(), 200);
    assert_eq!(served.bytes().await.unwrap(), photo);
    assert_eq!(app.rows("photo_chunks").await, 0, "chunks are dropped");
    assert_eq!(app.rows("photo_uploads").await, 0);
}

#[tokio::test]
async fn a_chunk_at_the_wrong_offset_is_told_where_to_continue() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let photo = jpeg(300_000, 2);
    let hash = hash_of(&photo);
    let chunk = CHUNK_BYTES as usize;
    app.put_chunk(&token, &hash, 0, photo.len(), &photo[..chunk])
        .await;

    let response = app
        .put_chunk(&token, &hash, 1000, photo.len(), &photo[1000..2000])
        .await;
    assert_eq!(
        response.headers()["upload-offset"].to_str().unwrap(),
        chunk.to_string()
    );
    let message = assert_error(response, 409, "offset_mismatch").await;
    assert!(message.contains(&chunk.to_string()), "{message}");
    assert_eq!(
        app.upload_status(&token, &hash).await.received,
        chunk as u64
    );
}

#[tokio::test]
async fn the_same_photo_sent_twice_is_stored_once() {
    let app = spawn_app().await;
    let photo = jpeg(250_000, 3);
    let hash = hash_of(&photo);
    let first = app.volunteer().await;
    assert!(app.upload(&first, &photo).await.complete);

    // Another phone with the same photo: its first chunk is answered "complete".
    let second = app.volunteer().await;
    let response = app
        .put_chunk(&second, &hash, 0, photo.len(), &photo[..1000])
        .await;
    assert_eq!(response.status(), 200);
    let status: UploadStatus = response.json().await.unwrap();
    assert!(status.complete);
    assert_eq!(status.received, photo.len() as u64);
    assert_eq!(app.upload_status(&second, &hash).await, status);
    assert_eq!(app.rows("photos").await, 1);
    assert_eq!(app.rows("photo_chunks").await, 0);
}

#[tokio::test]
async fn a_photo_that_is_not_what_its_hash_names_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let photo = jpeg(100_000, 4);
    let claimed = hash_of(b"another photo");
    let response = app
        .put_chunk(&token, &claimed, 0, photo.len(), &photo)
        .await;
    let message = assert_error(response, 422, "hash_mismatch").await;
    assert!(message.contains("重新上传"), "{message}");

    let status = app.upload_status(&token, &claimed).await;
    assert_eq!((status.received, status.complete), (0, false));
    assert_eq!(app.rows("photos").await, 0);
    assert_eq!(app.rows("photo_chunks").await, 0);
    assert_eq!(app.rows("photo_uploads").await, 0);
}

#[tokio::test]
async fn a_file_that_is_not_an_image_is_refused() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    let response = app
        .put_chunk(&token, &hash_of(&pdf), 0, pdf.len(), &pdf)
        .await;
    let message = assert_error(response, 415, "not_an_image").await;
    assert!(message.contains("JPEG"), "{message}");
    assert_eq!(app.rows("photo_uploads").await, 0);
}

#[tokio::test]
async fn an_oversized_photo_or_chunk_is_refused() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let photo = jpeg(1000, 5);
    let hash = hash_of(&photo);
    let too_big = MAX_PHOTO_BYTES as usize + 1;
    let response = app.put_chunk(&token, &hash, 0, too_big, &photo).await;
    let message = assert_error(response, 413, "photo_too_large").await;
    assert!(message.contains("4 MB"), "{message}");

    let chunk = jpeg(MAX_CHUNK_BYTES as usize + 1, 6);
    let response = app
        .put_chunk(&token, &hash_of(&chunk), 0, chunk.len(), &chunk)
        .await;
    assert_error(response, 413, "photo_too_large").await;
    assert_eq!(app.rows("photo_uploads").await, 0);
}

#[tokio::test]
async fn photos_need_a_device_token() {
    let app = spawn_app().await;
    let photo = jpeg(1000, 7);
    let hash = hash_of(&photo);
    let put = app
        .client
        .put(app.url(&format!("/api/v1/photos/{hash}/upload?offset=0&size=1000")))
        .body(photo.clone())
        .send()
        .await
        .unwrap();
    assert_error(put, 401, "unauthorized").await;
    for path in [
        format!("/api/v1/photos/{hash}/upload"),
        format!("/api/v1/photos/{hash}"),
    ] {
        let response = app.client.get(app.url(&path)).send().await.unwrap();
        assert_error(response, 401, "unauthorized").await;
    }
    assert_eq!(app.rows("photo_uploads").await, 0);
}

#[tokio::test]
async fn a_photo_is_served_as_stored_and_cached_for_good_once_it_has_arrived() {
    let app = spawn_app().await;
    let token = app.volunteer().await;
    let photo = jpeg(10_000, 8);
    let hash = hash_of(&photo);

    let missing = app.get(&token, &format!("/api/v1/photos/{hash}")).await;
    assert_eq!(missing.headers()["cache-control"], "no-store");
    assert_error(missing, 404, "not_found").await;

    app.upload(&token, &photo).await;
    let served = app.get(&token, &format!("/api/v1/photos/{hash}")).await;
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    let cache = served.headers()["cache-control"].to_str().unwrap();
    assert!(cache.contains("immutable") && cache.contains("max-age=31536000"));
    assert_eq!(served.headers()["etag"], format!("\"{hash}\"").as_str());
    assert_eq!(served.bytes().await.unwrap(), photo);

    let bad = app.get(&token, "/api/v1/photos/not-a-hash/upload").await;
    assert_error(bad, 400, "bad_request").await;
}

#[tokio::test]
async fn a_filing_whose_photos_have_not_arrived_is_accepted_and_completed_later() {
    let app = spawn_app().await;
    let chain = app.chain(FUXING).await;
    let signed_page = jpeg(200_000, 9);
    let minutes = jpeg(50_000, 10);
    let mut s = submission(FUXING, 12);
    s.photos = vec![hash_of(&signed_page), hash_of(&minutes)];
    let v1 = submit(&s);
    assert_eq!(app.push_one(&chain.leader, &v1).await, Outcome::Accepted);

    let arrived = |photos: &[wenming_core::photo::AttachedPhoto]| -> Vec<(String, bool)> {
        photos
            .iter()
            .map(|p| (p.hash.to_string(), p.arrived))
            .collect()
    };
    let view = app.view(&chain.village, s.application).await;
    assert_eq!(view.submission.photos, s.photos);
    assert_eq!(
        arrived(&view.photos),
        vec![
            (s.photos[0].to_string(), false),
            (s.photos[1].to_string(), false)
        ]
    );

    // The leader's phone uploads one photo after the record; the reviewer sees it arrive.
    app.upload(&chain.leader, &minutes).await;
    let archive = app.archive(&chain.village, s.organization).await;
    let version = &archive.applications[0].versions[0];
    assert_eq!(
        arrived(&version.photos),
        vec![
            (s.photos[0].to_string(), false),
            (s.photos[1].to_string(), true)
        ]
    );
    app.upload(&chain.leader, &signed_page).await;
    let view = app.view(&chain.village, s.application).await;
    assert!(view.photos.iter().all(|p| p.arrived));
    let served = app
        .get(&chain.village, &format!("/api/v1/photos/{}", s.photos[0]))
        .await;
    assert_eq!(served.bytes().await.unwrap(), signed_page);
}

#[tokio::test]
async fn a_filing_without_photos_shows_none_and_one_with_too_many_is_rejected() {
    let app = spawn_app().await;
    let chain = app.chain(FUXING).await;
    let plain = submission(FUXING, 12);
    assert_eq!(
        app.push_one(&chain.leader, &submit(&plain)).await,
        Outcome::Accepted
    );
    let view: Value = app
        .get(&chain.leader, "/api/v1/filings")
        .await
        .json()
        .await
        .unwrap();
    let item = &view["applications"][0]["application"];
    assert!(item.get("photos").is_none(), "{item}");
    assert!(item["submission"].get("photos").is_none(), "{item}");

    let mut crowded = submission(YOUFANG, 12);
    crowded.photos = (0..=MAX_PHOTOS_PER_RECORD)
        .map(|n| hash_of(&[n as u8]))
        .collect();
    let leader = app
        .token_of(wenming_core::protocol::Role::OrgLeader, YOUFANG, "王桂兰")
        .await;
    let Outcome::Rejected { reason } = app.push_one(&leader, &submit(&crowded)).await else {
        panic!("ten photos were accepted")
    };
    assert!(reason.contains("照片最多 9 张"), "{reason}");
}
