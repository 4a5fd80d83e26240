//! One record in 我的记录, with its sync state.

use wenming_core::checkin::duration_zh;
use yew::prelude::*;

use crate::store::{Record, SyncState};
use crate::time;

#[derive(Properties, PartialEq)]
pub struct RecordRowProps {
    pub record: Record,
    pub state: SyncState,
}

#[function_component(RecordRow)]
pub fn record_row(props: &RecordRowProps) -> Html {
    let r = &props.record;
    let state = &props.state;
    let out = r.checked_out_at.map(|out| {
        html! {
            <>
                <p class="meta">{ format!("签退 {}", time::format_local(out)) }</p>
                <p class="meta">
                    { "服务时长 " }
                    <span data-testid="duration">{ duration_zh(out - r.checked_in_at) }</span>
                </p>
            </>
        }
    });
    html! {
        <li class="card record" data-testid="record" data-id={r.id.to_string()}
            data-state={state.as_str()}>
            <div class="card-main">
                <p class="name">
                    { r.volunteer_name.as_str().to_owned() }
                    <span class="phone">{ r.phone.masked() }</span>
                </p>
                <p class="meta">{ r.station_name.clone() }</p>
                <p class="meta">{ format!("签到 {}", time::format_local(r.checked_in_at)) }</p>
                { for out }
                if r.is_open() {
                    <p class="meta">{ "尚未签退" }</p>
                }
            </div>
            <span class={classes!("badge", state.as_str())}>{ state.label_zh() }</span>
        </li>
    }
}
