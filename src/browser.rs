//! Small wrappers over the browser: randomness, the online flag, the enrollment link in
//! the address bar, and the few preferences kept in localStorage.

use wasm_bindgen::JsValue;

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
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get("enroll").filter(|c| !c.trim().is_empty())
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
