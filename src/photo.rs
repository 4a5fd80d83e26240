//! Photos in the browser: a picked image downscaled to a bounded JPEG (`createImageBitmap`,
//! an `OffscreenCanvas`, `convertToBlob`), its SHA-256 by `crypto.subtle` — no image or
//! hashing code in the download — and the storage facts a new photo is weighed against.
//! The picker and the strip that shows a record's photos are in `widgets`.

pub mod widgets;

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wenming_core::photo::{fit, PhotoHash, JPEG_QUALITY, LONG_EDGE};

/// A photo made ready on the phone: downscaled, encoded, named by its hash.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub hash: PhotoHash,
    pub blob: web_sys::Blob,
    pub size: u64,
    pub width: u32,
    pub height: u32,
}

/// Why a picked file did not become a photo. Nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// The browser could not decode it as an image.
    #[error("not an image: {0}")]
    NotImage(String),
    #[error("browser: {0}")]
    Browser(String),
}

impl PhotoError {
    pub fn message_zh(&self) -> String {
        match self {
            PhotoError::NotImage(_) => {
                "这个文件无法作为照片打开，请选择 JPG 或 PNG 照片".to_owned()
            }
            PhotoError::Browser(detail) => format!("照片处理失败，请重试（{detail}）"),
        }
    }
}

fn browser(e: JsValue) -> PhotoError {
    let message = js_sys::Error::from(e.clone())
        .message()
        .as_string()
        .or_else(|| e.as_string())
        .unwrap_or_default();
    PhotoError::Browser(message)
}

async fn promise(p: Result<js_sys::Promise, JsValue>) -> Result<JsValue, PhotoError> {
    JsFuture::from(p.map_err(browser)?).await.map_err(browser)
}

fn window() -> Result<web_sys::Window, PhotoError> {
    web_sys::window().ok_or_else(|| PhotoError::Browser("no window".into()))
}

/// Decodes `file` upright (EXIF orientation applied where the browser can), draws it with
/// its long edge at most [`LONG_EDGE`] and encodes a JPEG. Re-encoding also drops the
/// camera's metadata, the place where it was taken among them.
pub async fn downscale(file: &web_sys::Blob) -> Result<(web_sys::Blob, u32, u32), PhotoError> {
    let options = web_sys::ImageBitmapOptions::new();
    options.set_image_orientation(web_sys::ImageOrientation::FromImage);
    let bitmap: web_sys::ImageBitmap = JsFuture::from(
        window()?
            .create_image_bitmap_with_blob_and_image_bitmap_options(file, &options)
            .map_err(|e| PhotoError::NotImage(format!("{e:?}")))?,
    )
    .await
    .map_err(|e| PhotoError::NotImage(format!("{e:?}")))?
    .unchecked_into();
    let (width, height) = fit(bitmap.width(), bitmap.height(), LONG_EDGE);
    let drawn = draw(&bitmap, width, height).await;
    bitmap.close();
    Ok((drawn?, width, height))
}

async fn draw(
    bitmap: &web_sys::ImageBitmap,
    width: u32,
    height: u32,
) -> Result<web_sys::Blob, PhotoError> {
    let canvas = web_sys::OffscreenCanvas::new(width, height).map_err(browser)?;
    let context: web_sys::OffscreenCanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(browser)?
        .ok_or_else(|| PhotoError::Browser("no 2d context".into()))?
        .unchecked_into();
    // Not in web-sys for OffscreenCanvas; a browser without it draws at its default.
    let _ = Reflect::set(
        &context,
        &JsValue::from_str("imageSmoothingQuality"),
        &JsValue::from_str("high"),
    );
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(
            bitmap,
            0.0,
            0.0,
            f64::from(width),
            f64::from(height),
        )
        .map_err(browser)?;
    let encode = web_sys::ImageEncodeOptions::new();
    encode.set_type("image/jpeg");
    encode.set_quality(JPEG_QUALITY);
    Ok(promise(canvas.convert_to_blob_with_options(&encode))
        .await?
        .unchecked_into())
}

/// The bytes of a Blob.
pub async fn bytes(blob: &web_sys::Blob) -> Result<Uint8Array, PhotoError> {
    let buffer = promise(Ok(blob.array_buffer())).await?;
    Ok(Uint8Array::new(&buffer))
}

/// The SHA-256 of `bytes`, by the browser.
pub async fn sha256(bytes: &Uint8Array) -> Result<PhotoHash, PhotoError> {
    let subtle = window()?.crypto().map_err(browser)?.subtle();
    let digest = promise(subtle.digest_with_str_and_buffer_source("SHA-256", bytes)).await?;
    let mut out = [0u8; 32];
    let digest = Uint8Array::new(&digest);
    if digest.length() != 32 {
        return Err(PhotoError::Browser("digest is not 32 bytes".into()));
    }
    digest.copy_to(&mut out);
    Ok(PhotoHash::from_digest(out))
}

/// A picked file made into a photo: downscaled, encoded and hashed.
pub async fn prepare(file: &web_sys::Blob) -> Result<Prepared, PhotoError> {
    let (blob, width, height) = downscale(file).await?;
    let hash = sha256(&bytes(&blob).await?).await?;
    Ok(Prepared {
        hash,
        size: blob.size() as u64,
        blob,
        width,
        height,
    })
}

/// `navigator.storage`, where the browser has it.
fn storage() -> Option<web_sys::StorageManager> {
    let navigator = web_sys::window()?.navigator();
    // Missing on insecure origins and old browsers: check before calling.
    Reflect::has(&navigator, &JsValue::from_str("storage"))
        .ok()
        .filter(|has| *has)?;
    Some(navigator.storage())
}

/// Asks the browser not to evict the app's data under pressure; whether it agreed.
pub async fn persist() -> bool {
    let Some(storage) = storage() else {
        return false;
    };
    promise(storage.persist())
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// The browser's estimate of the bytes used and the quota, when it gives one.
pub async fn estimate() -> Option<(u64, u64)> {
    let estimate: web_sys::StorageEstimate =
        promise(storage()?.estimate()).await.ok()?.unchecked_into();
    Some((estimate.get_usage()? as u64, estimate.get_quota()? as u64))
}

/// Megabytes, as a person reads them: "12.3 MB". In integers: Rust's float formatting
/// would cost the download several kB.
pub fn megabytes(bytes: u64) -> String {
    let tenths = bytes.saturating_mul(10) / (1024 * 1024);
    format!("{}.{} MB", tenths / 10, tenths % 10)
}
