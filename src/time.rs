//! Time on the phone: the clock comes from `Date.now()` (chrono's clock does not run in
//! wasm32-unknown-unknown), local time from the browser's time-zone offset.

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};

pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(now_ms() as i64).unwrap_or_default()
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The local wall-clock time of `t`, as a UTC-labelled value to format.
fn local(t: DateTime<Utc>) -> DateTime<Utc> {
    let date = js_sys::Date::new(&(t.timestamp_millis() as f64).into());
    // getTimezoneOffset is UTC minus local, in minutes, for that moment.
    t - Duration::minutes(date.get_timezone_offset() as i64)
}

/// "11月22日 09:05", with the year when it is not this year's.
pub fn format_local(t: DateTime<Utc>) -> String {
    let l = local(t);
    let this_year = local(now()).year();
    let date = if l.year() == this_year {
        format!("{}月{}日", l.month(), l.day())
    } else {
        format!("{}年{}月{}日", l.year(), l.month(), l.day())
    };
    format!("{date} {:02}:{:02}", l.hour(), l.minute())
}

/// "09:05", for times of today.
pub fn format_clock(t: DateTime<Utc>) -> String {
    let l = local(t);
    format!("{:02}:{:02}", l.hour(), l.minute())
}
