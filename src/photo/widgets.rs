//! The photo widgets shared by filings and activity reports: the picker (camera or gallery,
//! thumbnails, remove, the storage left) and the strip that shows a record's photos.
//! Both read the phone's store, so they live here and not among the props-only components.
//! Thumbnails are object URLs, revoked when a photo is removed or the widget goes.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wenming_core::photo::{room_for, AttachedPhoto, PhotoHash, MAX_PHOTOS_PER_RECORD};
use yew::prelude::*;

use super::{estimate, megabytes, persist, prepare};
use crate::hooks::use_app;
use crate::store::Store;

/// A downscaled photo is a few hundred kB; the check keeps room for the largest.
const PHOTO_NEED_BYTES: u64 = 1024 * 1024;

/// Object URLs by photo (nine at most: a list), revoked when dropped.
#[derive(Default)]
struct Urls(RefCell<Vec<(PhotoHash, String)>>);

impl Urls {
    fn get(&self, hash: &PhotoHash) -> Option<String> {
        let urls = self.0.borrow();
        urls.iter().find(|(h, _)| h == hash).map(|(_, u)| u.clone())
    }

    fn insert(&self, hash: PhotoHash, blob: &web_sys::Blob) {
        self.remove(&hash);
        if let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) {
            self.0.borrow_mut().push((hash, url));
        }
    }

    fn remove(&self, hash: &PhotoHash) {
        self.0.borrow_mut().retain(|(h, url)| {
            if h == hash {
                let _ = web_sys::Url::revoke_object_url(url);
            }
            h != hash
        });
    }
}

impl Drop for Urls {
    fn drop(&mut self) {
        for (_, url) in self.0.get_mut().iter() {
            let _ = web_sys::Url::revoke_object_url(url);
        }
    }
}

/// Loads thumbnails of `photos` the phone holds, into `urls`, re-rendering as they come.
/// `fetch` also asks the district for those that have arrived there (with the token).
#[hook]
fn use_thumbnails(photos: Vec<(PhotoHash, bool)>, fetch: bool) -> Rc<Urls> {
    let urls = use_memo((), |_| Urls::default());
    let update = use_force_update();
    let app = use_app();
    let alive = use_memo((), |_| Rc::new(Cell::new(true)));
    {
        let alive = (*alive).clone();
        use_effect_with((), move |_| move || alive.set(false));
    }
    {
        let (urls, alive) = (urls.clone(), (*alive).clone());
        use_effect_with(photos, move |photos| {
            let Some(app) = app else { return };
            let missing: Vec<(PhotoHash, bool)> = photos
                .iter()
                .filter(|(h, _)| urls.get(h).is_none())
                .cloned()
                .collect();
            if missing.is_empty() {
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                let token = if fetch {
                    app.store.session().await.ok().flatten().map(|s| s.token)
                } else {
                    None
                };
                for (hash, arrived) in missing {
                    let blob = match app.store.photo(&hash).await {
                        Ok(Some(p)) => Some(p.blob),
                        _ => match &token {
                            Some(token) if arrived => {
                                crate::api::photos::photo(token, &hash).await.ok()
                            }
                            _ => None,
                        },
                    };
                    if !alive.get() {
                        return;
                    }
                    if let Some(blob) = blob {
                        urls.insert(hash, &blob);
                        update.force_update();
                    }
                }
            });
        });
    }
    urls
}

#[derive(Properties, PartialEq)]
pub struct PhotoPickerProps {
    pub photos: Vec<PhotoHash>,
    /// The whole list after an add or a removal.
    pub onchange: Callback<Vec<PhotoHash>>,
}

/// Adds `files` to `photos` one by one: refused when the phone is short of space, each
/// downscaled, stored, then handed on. Returns the list and what to tell the user.
async fn add_files(
    store: &Store,
    mut photos: Vec<PhotoHash>,
    files: Vec<web_sys::File>,
    urls: &Urls,
    onchange: &Callback<Vec<PhotoHash>>,
) -> Option<String> {
    if photos.is_empty() {
        // The first photo: ask the browser to keep the data under storage pressure.
        persist().await;
    }
    let room = MAX_PHOTOS_PER_RECORD.saturating_sub(photos.len());
    let mut message = (files.len() > room).then(|| {
        format!(
            "照片最多 {MAX_PHOTOS_PER_RECORD} 张，多出的 {} 张没有添加",
            files.len() - room
        )
    });
    for file in files.into_iter().take(room) {
        let estimate = estimate().await;
        if !room_for(estimate, PHOTO_NEED_BYTES) {
            let left = estimate.map_or(0, |(used, quota)| quota.saturating_sub(used));
            return Some(format!(
                "手机存储空间不足（仅剩 {}），这张照片没有保存。已填写的内容不受影响；请清理手机空间后再添加照片。",
                megabytes(left)
            ));
        }
        let prepared = match prepare(&file).await {
            Ok(p) => p,
            Err(e) => {
                message = Some(e.message_zh());
                continue;
            }
        };
        if photos.contains(&prepared.hash) {
            message = Some("这张照片已经添加过了".to_owned());
            continue;
        }
        if let Err(e) = store.save_photo(&prepared).await {
            return Some(e.message_zh());
        }
        urls.insert(prepared.hash.clone(), &prepared.blob);
        photos.push(prepared.hash);
        onchange.emit(photos.clone());
    }
    message
}

#[function_component(PhotoPicker)]
pub fn photo_picker(props: &PhotoPickerProps) -> Html {
    let app = use_app();
    let shown: Vec<(PhotoHash, bool)> = props.photos.iter().map(|h| (h.clone(), true)).collect();
    let urls = use_thumbnails(shown, false);
    let message = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let space = use_state(|| None::<(u64, u64)>);
    {
        let space = space.clone();
        use_effect_with(props.photos.len(), move |_| {
            wasm_bindgen_futures::spawn_local(async move { space.set(estimate().await) });
        });
    }
    let Some(app) = app else { return html! {} };

    let onpick = {
        let (store, urls, photos) = (app.store.clone(), urls.clone(), props.photos.clone());
        let (onchange, message, busy) = (props.onchange.clone(), message.clone(), busy.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let files: Vec<web_sys::File> = input
                .files()
                .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
                .unwrap_or_default();
            // The same photo may be picked again after a removal.
            input.set_value("");
            if files.is_empty() {
                return;
            }
            let (store, urls, photos) = (store.clone(), urls.clone(), photos.clone());
            let (onchange, message, busy) = (onchange.clone(), message.clone(), busy.clone());
            busy.set(true);
            message.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let said = add_files(&store, photos, files, &urls, &onchange).await;
                message.set(said);
                busy.set(false);
            });
        })
    };
    let remove = |hash: PhotoHash| {
        let (store, urls, photos) = (app.store.clone(), urls.clone(), props.photos.clone());
        let onchange = props.onchange.clone();
        Callback::from(move |_| {
            urls.remove(&hash);
            onchange.emit(photos.iter().filter(|h| **h != hash).cloned().collect());
            let (store, hash) = (store.clone(), hash.clone());
            // A photo still to upload for a record already queued stays (see forget_photo).
            wasm_bindgen_futures::spawn_local(async move {
                let _ = store.forget_photo(&hash).await;
            });
        })
    };
    let count = props.photos.len();
    html! {
        <div class="photos" data-testid="photo-picker">
            <ul class="photo-grid">
                { for props.photos.iter().enumerate().map(|(i, hash)| html! {
                    <li class="photo" data-testid="photo-thumb" data-hash={hash.to_string()}>
                        if let Some(url) = urls.get(hash) {
                            <img src={url} alt={format!("第 {} 张照片", i + 1)} />
                        } else {
                            <span class="photo-missing">{ "照片" }</span>
                        }
                        <button type="button" class="photo-remove" data-testid="photo-remove"
                            aria-label={format!("删除第 {} 张照片", i + 1)} onclick={remove(hash.clone())}>{ "删除" }</button>
                    </li>
                }) }
                if count < MAX_PHOTOS_PER_RECORD {
                    <li class="photo">
                        <label class="photo-add">
                            <input type="file" accept="image/*" multiple=true data-testid="photo-input"
                                disabled={*busy} onchange={onpick} />
                            <span>{ if *busy { "处理中…" } else { "＋ 拍照或选照片" } }</span>
                        </label>
                    </li>
                }
            </ul>
            <p class="hint" data-testid="photo-space">
                { format!("已选 {count}/{MAX_PHOTOS_PER_RECORD} 张。") }
                if let Some((used, quota)) = *space {
                    { format!("本应用已用 {}，还可用 {}。", megabytes(used), megabytes(quota.saturating_sub(used))) }
                }
            </p>
            if let Some(text) = (*message).clone() {
                <p class="notice error" role="alert" data-testid="photo-message">{ text }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct PhotoStripProps {
    pub photos: Vec<AttachedPhoto>,
}

/// A record's photos as the district knows them: from the phone when it holds them, else
/// from the district once arrived; one not arrived yet says so.
#[function_component(PhotoStrip)]
pub fn photo_strip(props: &PhotoStripProps) -> Html {
    let shown: Vec<(PhotoHash, bool)> = props
        .photos
        .iter()
        .map(|p| (p.hash.clone(), p.arrived))
        .collect();
    let urls = use_thumbnails(shown, true);
    if props.photos.is_empty() {
        return html! {};
    }
    html! {
        <div class="photos">
            <h4>{ "照片" }</h4>
            <ul class="photo-grid">
                { for props.photos.iter().enumerate().map(|(i, p)| html! {
                    <li class="photo" data-testid="archive-photo" data-hash={p.hash.to_string()}
                        data-arrived={p.arrived.to_string()}>
                        if let Some(url) = urls.get(&p.hash) {
                            <img src={url} alt={format!("第 {} 张照片", i + 1)} />
                        } else {
                            <span class="photo-missing">{ if p.arrived { "加载中…" } else { "照片尚未上传" } }</span>
                        }
                        if !p.arrived {
                            <span class="badge pending">{ "待上传" }</span>
                        }
                    </li>
                }) }
            </ul>
        </div>
    }
}
