//! Gzip through the browser's own `CompressionStream`: no compressor in the wasm.

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function gzip_supported() {
  return typeof CompressionStream === 'function';
}
export async function gzip_bytes(input) {
  // The Blob copies the bytes out of wasm memory before anything else runs.
  const stream = new Blob([input]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
"#)]
extern "C" {
    fn gzip_supported() -> bool;
    #[wasm_bindgen(catch)]
    async fn gzip_bytes(input: &[u8]) -> Result<JsValue, JsValue>;
}

/// Whether this browser can gzip (Chrome 80 and later).
pub fn supported() -> bool {
    gzip_supported()
}

/// `input` compressed with gzip.
pub async fn gzip(input: &[u8]) -> Result<Uint8Array, JsValue> {
    Ok(gzip_bytes(input).await?.into())
}
