//! Sync status: a strip shown on every screen (online or not, how many records wait, when
//! sync last worked), and the panel of 我的记录 with the last error and 立即同步.

use chrono::{DateTime, Utc};
use yew::prelude::*;

use crate::time;

#[derive(PartialEq)]
pub struct SyncStripProps {
    pub online: bool,
    pub pending: usize,
    pub syncing: bool,
    pub last_sync: Option<DateTime<Utc>>,
}

/// A plain function, not a component, like the tab bar: a few spans re-rendered with the
/// home screen cost less than a component's machinery in the download.
pub fn sync_strip(props: &SyncStripProps) -> Html {
    let last = if props.syncing {
        "正在同步…".to_owned()
    } else {
        props.last_sync.map_or_else(
            || "尚未同步".to_owned(),
            |t| format!("上次同步 {}", time::format_local(t)),
        )
    };
    html! {
        <p class="strip" aria-live="polite">
            <span data-testid="net-status"
                class={classes!("net", if props.online { "online" } else { "offline" })}>
                { if props.online { "在线" } else { "离线" } }
            </span>
            <span>
                { "待同步 " }<strong data-testid="pending-count">{ props.pending }</strong>{ " 条" }
            </span>
            <span class="last">{ last }</span>
        </p>
    }
}

#[derive(PartialEq)]
pub struct SyncPanelProps {
    pub error: Option<AttrValue>,
    /// The server's clock minus the phone's, when known.
    pub clock_offset_ms: Option<i64>,
    pub onsync: Callback<()>,
}

/// Beyond this, the phone's clock is worth a warning: check-in times come from it.
const CLOCK_WARNING_MS: i64 = 10 * 60 * 1000;

/// A plain function too.
pub fn sync_panel(props: &SyncPanelProps) -> Html {
    let onclick = {
        let onsync = props.onsync.clone();
        Callback::from(move |_| onsync.emit(()))
    };
    let clock_warning = props
        .clock_offset_ms
        .filter(|o| o.abs() > CLOCK_WARNING_MS)
        .map(|o| {
            html! {
                <p class="warning">
                    { format!("手机时间与服务器相差约 {} 分钟，请校准手机时间。", o.abs() / 60_000) }
                </p>
            }
        });
    html! {
        <section class="status">
            if let Some(error) = &props.error {
                <p class="error" role="alert">{ error.clone() }</p>
            }
            { for clock_warning }
            <button type="button" class="primary" data-testid="sync-now" {onclick}>
                { "立即同步" }
            </button>
        </section>
    }
}
