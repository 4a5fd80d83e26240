//! 我的记录: every record on this phone with its sync state, and the sync status.

use yew::prelude::*;

use crate::components::record_row::RecordRow;
use crate::components::sync_status::{sync_panel, SyncPanelProps};
use crate::hooks::use_app;

/// Enough for months of a station's check-ins without slowing an old phone.
const SHOWN: usize = 300;

#[function_component(RecordsPage)]
pub fn records_page() -> Html {
    let Some(app) = use_app() else {
        return html! {};
    };
    let state = &app.state;
    let onsync = {
        let sync = app.sync.clone();
        Callback::from(move |_| sync.now())
    };
    let total = state.records.len();
    html! {
        <div class="records">
            { sync_panel(&SyncPanelProps {
                error: state.sync_error.clone().map(AttrValue::from),
                clock_offset_ms: state.clock_offset_ms,
                onsync,
            }) }
            if total == 0 {
                <p class="hint">{ "还没有记录。签到后会显示在这里。" }</p>
            } else {
                <ul class="cards">
                    { for state.records.iter().take(SHOWN).map(|r| html! {
                        <RecordRow key={r.id.to_string()} record={r.clone()}
                            state={state.outbox.state_of(&r.id, &state.in_flight)} />
                    }) }
                </ul>
                if total > SHOWN {
                    <p class="hint">{ format!("共 {total} 条，仅显示最近 {SHOWN} 条。") }</p>
                }
            }
        </div>
    }
}
