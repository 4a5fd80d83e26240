//! 文明实践: the phone app, an offline-first PWA for volunteers at civilization-practice
//! stations. See ARCHITECTURE.md for the map.

pub mod activity;
pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod decode;
pub mod filing;
pub mod hooks;
pub mod ids;
pub mod pages;
pub mod pass;
pub mod photo;
#[cfg(feature = "work")]
pub mod station;
pub mod store;
pub mod sync;
pub mod time;
pub mod volunteer;

/// Talc instead of the standard library's dlmalloc: the same work in less code to
/// download (1.6 kB less brotli'd), and as fast. In the library, so the browser tests run
/// on it too.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };

/// Starts the app: replaces the boot message with the rendered app.
pub fn run() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(boot) = document.get_element_by_id("boot") {
        boot.remove();
    }
    yew::Renderer::<app::App>::new().render();
}
