//! The gzip helper: what it compresses, the browser's DecompressionStream gives back.

use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use wenming::sync::gzip;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export async function gunzip(input) {
  const stream = new Blob([input]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn gunzip(input: &[u8]) -> Result<JsValue, JsValue>;
}

async fn round_trip(input: &[u8]) -> (usize, Vec<u8>) {
    let compressed = gzip::gzip(input).await.expect("gzip").to_vec();
    assert_eq!(&compressed[..2], &[0x1f, 0x8b], "a gzip header");
    let back = gunzip(&compressed).await.expect("gunzip");
    (compressed.len(), js_sys::Uint8Array::new(&back).to_vec())
}

#[wasm_bindgen_test]
async fn a_push_body_decompresses_back_to_itself() {
    assert!(gzip::supported());
    let record = r#"{"id":"019aa4d3-7c00-7000-8000-000000000001","kind":"check_in","schema_version":1,"device_time":"2026-11-22T09:00:00Z","body":{"station":"500156001001","volunteer_name":"李四","phone":"13912345678"}}"#;
    let body = format!("{{\"records\":[{}]}}", vec![record; 2_000].join(","));

    let (size, back) = round_trip(body.as_bytes()).await;

    assert_eq!(back, body.as_bytes());
    assert!(size * 10 < body.len(), "{size} bytes from {}", body.len());
}

#[wasm_bindgen_test]
async fn empty_and_binary_inputs_survive_too() {
    assert_eq!(round_trip(b"").await.1, b"");
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    assert_eq!(round_trip(&bytes).await.1, bytes);
}
