//! Hooks shared by the pages.

use chrono::{DateTime, Utc};
use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::app::AppContext;
use crate::time;

/// The app's state, database and sync engine; `None` outside the app's provider.
#[hook]
pub fn use_app() -> Option<AppContext> {
    use_context::<AppContext>()
}

/// The current time, renewed every `period_ms` while the component is shown.
#[hook]
pub fn use_now(period_ms: u32) -> DateTime<Utc> {
    let now = use_state(time::now);
    {
        let now = now.setter();
        use_effect_with(period_ms, move |period| {
            let interval = Interval::new(*period, move || now.set(time::now()));
            move || drop(interval)
        });
    }
    *now
}
