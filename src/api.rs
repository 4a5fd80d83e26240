//! The district endpoint over HTTP: one generic request function, and one function per
//! call of sync protocol v1. Errors keep their cause; the server's `ErrorBody` message is
//! what the user reads.

pub mod activity;
mod answers;
pub mod filings;
pub mod photos;
#[cfg(feature = "work")]
pub mod station;
pub mod volunteer;

use gloo_timers::callback::Timeout;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wenming_core::protocol::{
    EnrollRequest, EnrollResponse, ErrorBody, PullResponse, PushResponse, API_BASE,
    DEFAULT_PULL_PAGE,
};

/// Long enough for a slow rural link, short enough that a dead one does not hold sync.
const TIMEOUT_MS: u32 = 60_000;

/// What went wrong with a call.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No answer: offline, timed out, refused by the browser.
    #[error("network: {0}")]
    Network(String),
    /// An answer other than 2xx, with the server's explanation when it sent one.
    #[error("http {status}: {}", .body.as_ref().map_or("", |b| b.error.as_str()))]
    Status {
        status: u16,
        body: Option<ErrorBody>,
    },
    /// A 2xx answer that is not what the protocol says.
    #[error("unreadable answer: {0}")]
    Decode(#[source] crate::decode::Error),
}

impl ApiError {
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Status { status: 401, .. })
    }

    /// Whether trying the same call later may succeed without anyone changing anything.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network(_) | ApiError::Decode(_) => true,
            ApiError::Status { status, .. } => *status >= 500 || matches!(status, 408 | 425 | 429),
        }
    }

    /// What the user reads.
    pub fn message_zh(&self) -> String {
        match self {
            ApiError::Network(_) => "网络不通，数据已保存在手机上，联网后自动同步".to_owned(),
            ApiError::Status { status: 401, .. } => "设备授权已失效，请重新注册".to_owned(),
            ApiError::Status {
                body: Some(body), ..
            } if !body.message.is_empty() => body.message.clone(),
            ApiError::Status { status, .. } if *status >= 500 => {
                format!("服务器暂时无法处理（{status}），稍后自动重试")
            }
            ApiError::Status { status, .. } => format!("服务器拒绝了请求（{status}）"),
            ApiError::Decode(_) => "服务器的回答无法识别，稍后自动重试".to_owned(),
        }
    }
}

/// A request body.
pub enum Body {
    Empty,
    Json(String),
    /// JSON compressed with gzip.
    Gzip(js_sys::Uint8Array),
    /// Raw bytes (a chunk of a photo).
    Bytes(js_sys::Uint8Array),
}

/// Calls `path` (under [`API_BASE`]) and reads the JSON answer as `T`.
pub async fn request<T: DeserializeOwned>(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Body,
) -> Result<T, ApiError> {
    decode(&fetch_text(method, path, token, body).await?)
}

/// The JSON answer as `T`. Apart from the awaiting, which is then in the app once and not
/// once per answer type.
/// Parsed by the browser and read with [`crate::decode`], as stored values are.
fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    crate::decode::from_json(text).map_err(ApiError::Decode)
}

/// The text of a 2xx answer; any other status is an error with the server's `ErrorBody`.
/// Not generic, so that its code is in the app once.
async fn fetch_text(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Body,
) -> Result<String, ApiError> {
    let (response, _timer) = fetch_ok(method, path, token, body).await?;
    let text = JsFuture::from(response.text().map_err(network)?)
        .await
        .map_err(network)?
        .as_string()
        .unwrap_or_default();
    Ok(text)
}

fn network(e: JsValue) -> ApiError {
    let message = js_sys::Error::from(e).message();
    ApiError::Network(String::from(message))
}

/// A 2xx answer, whose body is still to be read before the returned timer is dropped; any
/// other status is an error with the server's `ErrorBody`.
pub(crate) async fn fetch_ok(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Body,
) -> Result<(web_sys::Response, Timeout), ApiError> {
    let window = web_sys::window().ok_or_else(|| ApiError::Network("no window".into()))?;
    let headers = web_sys::Headers::new().map_err(network)?;
    headers.set("Accept", "application/json").map_err(network)?;
    if let Some(token) = token {
        headers
            .set("Authorization", &format!("Bearer {token}"))
            .map_err(network)?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    match body {
        Body::Empty => {}
        Body::Json(json) => {
            headers
                .set("Content-Type", "application/json")
                .map_err(network)?;
            init.set_body(&JsValue::from_str(&json));
        }
        Body::Gzip(bytes) => {
            headers
                .set("Content-Type", "application/json")
                .map_err(network)?;
            headers.set("Content-Encoding", "gzip").map_err(network)?;
            init.set_body(&bytes);
        }
        Body::Bytes(bytes) => {
            headers
                .set("Content-Type", "application/octet-stream")
                .map_err(network)?;
            init.set_body(&bytes);
        }
    }
    init.set_headers(&headers);
    let controller = web_sys::AbortController::new().map_err(network)?;
    init.set_signal(Some(&controller.signal()));
    // Dropping the timer cancels it; the caller keeps it while it reads the body.
    let timer = Timeout::new(TIMEOUT_MS, move || controller.abort());
    let url = format!("{API_BASE}{path}");
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .map_err(network)?
        .unchecked_into();
    let status = response.status();
    if (200..300).contains(&status) {
        return Ok((response, timer));
    }
    let text = JsFuture::from(response.text().map_err(network)?)
        .await
        .map_err(network)?
        .as_string()
        .unwrap_or_default();
    Err(ApiError::Status {
        status,
        body: decode(&text).ok(),
    })
}

/// Trades a one-time enrollment code for a device token.
pub async fn enroll(code: &str) -> Result<EnrollResponse, ApiError> {
    let body = serde_json::to_string(&EnrollRequest {
        code: code.to_owned(),
    })
    .map_err(|e| ApiError::Decode(serde::de::Error::custom(e)))?;
    decode(&fetch_text("POST", "/enroll", None, Body::Json(body)).await?)
}

/// Pushes a batch; `body` is the `{"records":[…]}` JSON, gzipped when the browser can.
pub async fn push(token: &str, body: Body) -> Result<PushResponse, ApiError> {
    let text = fetch_text("POST", "/push", Some(token), body).await?;
    decode::<answers::PushAnswer>(&text)?
        .into_core()
        .map_err(ApiError::Decode)
}

/// One page of changes after `cursor`.
pub async fn pull(token: &str, cursor: u64) -> Result<PullResponse, ApiError> {
    let path = format!("/pull?cursor={cursor}&limit={DEFAULT_PULL_PAGE}");
    let text = fetch_text("GET", &path, Some(token), Body::Empty).await?;
    decode::<answers::PullAnswer>(&text)?
        .into_core()
        .map_err(ApiError::Decode)
}
