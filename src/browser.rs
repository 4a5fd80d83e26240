//! Small wrappers over the browser: randomness, the online flag, the enrollment link in
//! the address bar, the few preferences kept in localStorage, where the phone is, and the
//! monotonic clock.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::Callback;

/// Random bytes from `crypto.getRandomValues`. Should the browser refuse, the bytes fall
/// back to `Math.random`: ids also carry the millisecond, so they stay unique in practice.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok())
        .unwrap_or(false);
    if !filled {
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}

/// A random number in `[0, 1)`, for backoff jitter.
pub fn random_unit() -> f64 {
    let b = random_bytes::<4>();
    f64::from(u32::from_le_bytes(b)) / (f64::from(u32::MAX) + 1.0)
}

/// Whether the browser believes it has a network. `false` is reliable; `true` only means
/// "try".
pub fn is_online() -> bool {
    web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true)
}

/// The code of an enrollment link (`?enroll=CODE`), if the page was opened with one.
pub fn enroll_code_in_url() -> Option<String> {
    query_param("enroll")
}

/// A non-empty parameter of the page's address: `?enroll=` of an enrollment link, `?pass=`
/// of the link a station's QR code holds.
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get(name).filter(|c| !c.trim().is_empty())
}

/// Drops the query from the address bar, so a reload does not enroll again.
pub fn clear_query() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(path) = window.location().pathname() else {
        return;
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path));
    }
}

/// Preferences that save typing: the last name, phone and station used.
pub mod prefs {
    pub const NAME: &str = "wenming.last_name";
    pub const PHONE: &str = "wenming.last_phone";
    pub const STATION: &str = "wenming.last_station";

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn get(key: &str) -> String {
        storage()
            .and_then(|s| s.get_item(key).ok().flatten())
            .unwrap_or_default()
    }

    /// Best effort: a convenience that fails (private mode, full storage) is no loss.
    pub fn set(key: &str, value: &str) {
        if let Some(s) = storage() {
            let _ = s.set_item(key, value);
        }
    }
}

/// Asks the browser where the phone is (an activity report's GPS, a check-in's position); `done` gets `[lat, lon, accuracy]` or a message.
pub fn locate(done: Callback<Result<[f64; 3], String>>) {
    let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        done.emit(Err("此手机不支持定位".to_owned()));
        return;
    };
    let get = |v: &wasm_bindgen::JsValue, k: &str| {
        js_sys::Reflect::get(v, &k.into())
            .ok()
            .and_then(|x| x.as_f64())
    };
    let ok = {
        let done = done.clone();
        Closure::once_into_js(move |pos: wasm_bindgen::JsValue| {
            let coords = js_sys::Reflect::get(&pos, &"coords".into()).unwrap_or_default();
            match (
                get(&coords, "latitude"),
                get(&coords, "longitude"),
                get(&coords, "accuracy"),
            ) {
                (Some(lat), Some(lon), Some(acc)) => done.emit(Ok([lat, lon, acc])),
                _ => done.emit(Err("定位失败，请重试或不附位置".to_owned())),
            }
        })
    };
    let failed = {
        let done = done.clone();
        Closure::once_into_js(move |_e: wasm_bindgen::JsValue| {
            done.emit(Err(
                "定位失败（未允许定位或没有信号），可以不附位置".to_owned()
            ))
        })
    };
    let options = web_sys::PositionOptions::new();
    options.set_enable_high_accuracy(true);
    options.set_timeout(30_000);
    if geo
        .get_current_position_with_error_callback_and_options(
            ok.unchecked_ref(),
            Some(failed.unchecked_ref()),
            &options,
        )
        .is_err()
    {
        done.emit(Err("此手机不支持定位".to_owned()));
    }
}

/// Milliseconds of the monotonic clock (`performance.now()`): untouched when the user or
/// the network changes the wall clock, and reset with the page.
pub fn monotonic_ms() -> Option<f64> {
    Some(web_sys::window()?.performance()?.now())
}

/// Whether the camera can read a QR code here: the browser's `BarcodeDetector` (Chrome on
/// Android has it) and the page's `wmScan` (index.html).
pub fn can_scan() -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    ["BarcodeDetector", "wmScan"]
        .iter()
        .all(|k| js_sys::Reflect::has(&w, &JsValue::from_str(k)).unwrap_or(false))
}

/// Scans a QR code with the camera (index.html's `wmScan`: getUserMedia, a full-screen
/// video and `BarcodeDetector`, in a few lines of JavaScript rather than their bindings
/// in the download); `None` when cancelled or the camera is refused.
pub async fn scan_qr() -> Option<String> {
    let w = web_sys::window()?;
    let scan: js_sys::Function = js_sys::Reflect::get(&w, &JsValue::from_str("wmScan"))
        .ok()?
        .dyn_into()
        .ok()?;
    let promise: js_sys::Promise = scan.call0(&w).ok()?.dyn_into().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .as_string()
}
