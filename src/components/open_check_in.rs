//! One open check-in (checked in, not yet out): who, where, since when, and 签退.

use chrono::{DateTime, Utc};
use wenming_core::checkin::duration_zh;
use wenming_core::RecordId;
use yew::prelude::*;

use crate::store::Record;
use crate::time;

#[derive(PartialEq)]
pub struct OpenCheckInProps<'a> {
    pub record: &'a Record,
    pub now: DateTime<Utc>,
    pub busy: bool,
    pub oncheckout: Callback<RecordId>,
}

/// A plain function, not a component: the few open check-ins re-render with the page (and
/// every half minute anyway), which costs less than a component's machinery in the
/// download. The row is keyed by the record's id.
pub fn open_check_in(props: &OpenCheckInProps) -> Html {
    let r = props.record;
    let onclick = {
        let id = r.id;
        let oncheckout = props.oncheckout.clone();
        Callback::from(move |_| oncheckout.emit(id))
    };
    let elapsed = duration_zh(props.now - r.checked_in_at);
    html! {
        <li key={r.id.to_string()} class="card open" data-testid="open-checkin"
            data-id={r.id.to_string()}>
            <div class="card-main">
                <p class="name">{ r.volunteer_name.as_str().to_owned() }</p>
                <p class="meta">{ r.station_name.clone() }</p>
                <p class="meta">
                    { format!("{} 签到，已在站 {}", time::format_local(r.checked_in_at), elapsed) }
                </p>
            </div>
            <button type="button" class="secondary" data-testid="check-out"
                disabled={props.busy} {onclick}>
                { "签退" }
            </button>
        </li>
    }
}
