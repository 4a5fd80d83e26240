//! Photos in a real browser: a large image in, a bounded JPEG out, named by the SHA-256 of
//! its bytes; a photo Blob kept in IndexedDB reads back byte for byte after the database
//! is closed and reopened; a submission queues its photos in its own transaction, and a
//! photo still to upload is not dropped with a draft.

use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use wenming::filing::Draft;
use wenming::photo;
use wenming::store::{Sealed, Store};
use wenming_core::photo::{ImageType, LONG_EDGE};
use wenming_core::{DivisionCode, RecordId};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export async function drawnImage(w, h, type) {
  const c = new OffscreenCanvas(w, h);
  const g = c.getContext('2d');
  const grad = g.createLinearGradient(0, 0, w, h);
  grad.addColorStop(0, '#b71c1c');
  grad.addColorStop(1, '#0d47a1');
  g.fillStyle = grad;
  g.fillRect(0, 0, w, h);
  g.fillStyle = '#fff';
  g.font = `${Math.floor(h / 8)}px sans-serif`;
  g.fillText('签字页 会议纪要', w / 10, h / 2);
  return await c.convertToBlob({ type });
}
export async function size(blob) {
  const b = await createImageBitmap(blob);
  const r = [b.width, b.height];
  b.close();
  return r;
}
export async function sha256hex(bytes) {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}
"#)]
extern "C" {
    #[wasm_bindgen(catch, js_name = drawnImage)]
    async fn drawn_image(w: u32, h: u32, kind: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn size(blob: &web_sys::Blob) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn sha256hex(bytes: &js_sys::Uint8Array) -> Result<JsValue, JsValue>;
}

async fn image(w: u32, h: u32, kind: &str) -> web_sys::Blob {
    drawn_image(w, h, kind)
        .await
        .expect("the browser draws an image")
        .unchecked_into()
}

async fn dimensions(blob: &web_sys::Blob) -> (u32, u32) {
    let pair = js_sys::Array::from(&size(blob).await.expect("the JPEG decodes"));
    let n = |i| pair.get(i).as_f64().expect("a number") as u32;
    (n(0), n(1))
}

#[wasm_bindgen_test]
async fn a_large_image_becomes_a_jpeg_with_a_long_edge_of_1600() {
    let original = image(4000, 3000, "image/png").await;
    let prepared = photo::prepare(&original).await.expect("a photo");

    assert_eq!((prepared.width, prepared.height), (1600, 1200));
    assert_eq!(dimensions(&prepared.blob).await, (1600, 1200));
    assert_eq!(prepared.blob.type_(), "image/jpeg");
    let bytes = photo::bytes(&prepared.blob).await.unwrap().to_vec();
    assert_eq!(&bytes[..3], &[0xFF, 0xD8, 0xFF], "JPEG magic bytes");
    assert_eq!(ImageType::sniff(&bytes), Some(ImageType::Jpeg));
    assert_eq!(prepared.size, bytes.len() as u64);
    assert!(
        bytes.len() < 1024 * 1024,
        "{} bytes: a downscaled photo is a few hundred kB",
        bytes.len()
    );
    // The name is the SHA-256 of exactly these bytes.
    let hex = sha256hex(&js_sys::Uint8Array::from(&bytes[..]))
        .await
        .unwrap();
    assert_eq!(hex.as_string().unwrap(), prepared.hash.as_str());
}

#[wasm_bindgen_test]
async fn a_portrait_keeps_its_proportions_and_a_small_image_is_not_enlarged() {
    let portrait = photo::prepare(&image(2000, 4000, "image/jpeg").await)
        .await
        .unwrap();
    assert_eq!((portrait.width, portrait.height), (800, LONG_EDGE));
    let small = photo::prepare(&image(640, 480, "image/png").await)
        .await
        .unwrap();
    assert_eq!(dimensions(&small.blob).await, (640, 480));
}

#[wasm_bindgen_test]
async fn a_file_that_is_not_an_image_is_refused_with_a_chinese_message() {
    let parts = js_sys::Array::of1(&JsValue::from_str("%PDF-1.7 not a photo"));
    let text = web_sys::Blob::new_with_str_sequence(&parts).unwrap();
    let error = photo::prepare(&text).await.expect_err("refused");
    assert!(
        error.message_zh().contains("照片"),
        "{}",
        error.message_zh()
    );
}

fn db_name(test: &str) -> String {
    format!("test-photos-{test}-{}", js_sys::Date::now())
}

#[wasm_bindgen_test]
async fn a_photo_blob_reads_back_byte_for_byte_after_reopening() {
    let name = db_name("reopen");
    let store = Store::open(&name).await.unwrap();
    let prepared = photo::prepare(&image(3000, 2000, "image/png").await)
        .await
        .unwrap();
    let sent = photo::bytes(&prepared.blob).await.unwrap().to_vec();
    store.save_photo(&prepared).await.unwrap();
    store.close();

    let store = Store::open(&name).await.unwrap();
    let stored = store
        .photo(&prepared.hash)
        .await
        .unwrap()
        .expect("the photo is kept");
    let back = photo::bytes(&stored.blob).await.unwrap().to_vec();
    assert_eq!(back, sent);
    assert_eq!(stored.hash, prepared.hash);
    assert_eq!((stored.width, stored.height), (1600, 1067));
    assert_eq!(
        (stored.mime.as_str(), stored.size),
        ("image/jpeg", sent.len() as u64)
    );
    assert!(stored.created > 0.0);
    store.close();
    Store::delete(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_submission_queues_its_photos_and_a_queued_photo_outlives_its_draft() {
    let name = db_name("queue");
    let store = Store::open(&name).await.unwrap();
    let kept = photo::prepare(&image(800, 600, "image/png").await)
        .await
        .unwrap();
    let dropped = photo::prepare(&image(600, 800, "image/png").await)
        .await
        .unwrap();
    store.save_photo(&kept).await.unwrap();
    store.save_photo(&dropped).await.unwrap();

    let village = DivisionCode::parse("500156001001").unwrap();
    let id = |n: u64| RecordId::new(1_763_779_200_000 + n, [n as u8; 10]);
    let mut draft = Draft::new(id(1), id(2), &village);
    draft.photos = vec![kept.hash.clone()];
    // The golden submission, read as the app reads it.
    let golden: wenming_core::Envelope = serde_json::from_str(include_str!(
        "../crates/core/tests/golden/filing_submit.json"
    ))
    .unwrap();
    let submission: wenming::filing::Submission =
        wenming::decode::from_json(&golden.body.to_string()).unwrap();
    let envelope = Sealed::filing_submit(
        id(3),
        chrono::DateTime::from_timestamp_millis(1_763_779_200_000).unwrap(),
        &submission,
    )
    .unwrap();
    store.save_submission(&draft, &envelope).await.unwrap();
    let queue = store.photo_queue().await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(
        (queue[0].hash.clone(), queue[0].refused.clone()),
        (kept.hash.clone(), None)
    );
    assert_eq!(store.outbox_batch(10).await.unwrap().len(), 1);

    // Taken off the draft: the queued photo stays, the other goes.
    store.forget_photo(&kept.hash).await.unwrap();
    store.forget_photo(&dropped.hash).await.unwrap();
    assert!(store.photo(&kept.hash).await.unwrap().is_some());
    assert!(store.photo(&dropped.hash).await.unwrap().is_none());

    store
        .photo_refused(&kept.hash, "上传的文件不是照片")
        .await
        .unwrap();
    let queue = store.photo_queue().await.unwrap();
    assert_eq!(queue[0].refused.as_deref(), Some("上传的文件不是照片"));
    store.photo_uploaded(&kept.hash).await.unwrap();
    assert!(store.photo_queue().await.unwrap().is_empty());
    assert!(
        store.photo(&kept.hash).await.unwrap().is_some(),
        "the Blob stays"
    );
    store.close();
    Store::delete(&name).await.unwrap();
}
