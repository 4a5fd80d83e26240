//! 签到: the check-in form — with the station pass (签到码) scanned or pasted, checked offline
//! with the district key — and the open check-ins on this phone with their 签退 buttons.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use wenming_core::checkin::{duration_zh, service_duration, CheckInFormErrors};
use wenming_core::protocol::DeviceInfo;
use wenming_core::{CheckIn, CheckInForm, CheckOut, Level, RecordId};
use yew::prelude::*;

use crate::app::{Action, AppContext};
use crate::browser::prefs;
use crate::components::field::{field, Field};
use crate::components::open_check_in::{open_check_in, OpenCheckInProps};
use crate::components::station_picker::StationPicker;
use crate::hooks::{use_app, use_now};
use crate::pass::Checked;
use crate::store::{Record, RefData, Sealed};
use crate::{browser, ids, time};
use wenming_core::volunteer::pass::{pass_in, Position};

thread_local! {
    /// The monotonic clock at each check-in of this page session, for the check-out's
    /// `elapsed_ms`: immune to the wall clock being changed in between.
    static STARTED: RefCell<HashMap<RecordId, f64>> = RefCell::default();
}

/// A pass as the page holds it: its text, and what checking it found.
#[derive(Debug, Clone, PartialEq)]
enum PassState {
    None,
    Ok(String, Checked),
    Refused(String),
}

/// Checks a pass with the kept district key, at the phone's best guess of server time.
async fn check_pass(app: &AppContext, text: &str) -> PassState {
    let now = time::now() + chrono::Duration::milliseconds(app.state.clock_offset_ms.unwrap_or(0));
    let checked = match app.store.district_key().await {
        Ok(Some(key)) => crate::pass::check(text, &key, now).await,
        // No key yet (not synced since enrolling): read it, and let the district check it.
        _ => crate::pass::parse(text).map(|p| Checked::Unchecked(p.pass)),
    };
    match checked {
        Ok(c) => PassState::Ok(text.trim().to_owned(), c),
        Err(e) => PassState::Refused(e.to_string()),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Notice {
    Done(String),
    Failed(String),
}

/// The station to offer first: the last one used, else the device's own.
fn default_station(refdata: &RefData, device: Option<&DeviceInfo>) -> String {
    let last = prefs::get(prefs::STATION);
    if refdata.station(&last).is_some() {
        return last;
    }
    device
        .filter(|d| d.scope.level() == Level::Village)
        .map(|d| d.scope.as_str().to_owned())
        .filter(|code| refdata.station(code).is_some())
        .unwrap_or_default()
}

/// Saves a check-in: one transaction for the record and its envelope, then sync.
async fn check_in(app: &AppContext, body: CheckIn) -> Result<Record, String> {
    let station_name = app
        .state
        .refdata
        .station(body.station.as_str())
        .map(|s| s.name.clone())
        .unwrap_or_else(|| body.station.to_string());
    let (id, at) = ids::next();
    let envelope = Sealed::check_in(id, at, &body).map_err(|e| e.message_zh())?;
    // The record's time is the envelope's, as the server will have it.
    let at = envelope.device_time;
    let record = Record {
        id,
        station: body.station,
        station_name,
        volunteer_name: body.volunteer_name,
        phone: body.phone,
        checked_in_at: at,
        checked_out_at: None,
    };
    app.store
        .save_check_in(&record, &envelope)
        .await
        .map_err(|e| e.message_zh())?;
    if let Some(t) = browser::monotonic_ms() {
        STARTED.with(|s| s.borrow_mut().insert(id, t));
    }
    Ok(record)
}

/// Saves a check-out; returns the record and the time served.
async fn check_out(app: &AppContext, record: &Record) -> Result<(Record, String), String> {
    if !record.is_open() {
        return Err(wenming_core::checkin::CheckOutError::AlreadyOut.to_string());
    }
    let (id, at) = ids::next();
    let elapsed_ms = STARTED
        .with(|s| s.borrow().get(&record.id).copied())
        .zip(browser::monotonic_ms())
        .map(|(t0, t1)| (t1 - t0).max(0.0) as u64);
    let body = CheckOut {
        check_in: record.id,
        elapsed_ms,
        clock_offset_ms: app.state.clock_offset_ms,
    };
    let envelope = Sealed::check_out(id, at, &body).map_err(|e| e.message_zh())?;
    let at = envelope.device_time;
    let served = service_duration(record.checked_in_at, at).map_err(|e| e.to_string())?;
    let mut out = record.clone();
    out.checked_out_at = Some(at);
    app.store
        .save_check_out(&out, &envelope)
        .await
        .map_err(|e| e.message_zh())?;
    Ok((out, duration_zh(served)))
}

#[function_component(CheckInPage)]
pub fn check_in_page() -> Html {
    let app = use_app();
    let refdata = app
        .as_ref()
        .map(|a| a.state.refdata.clone())
        .unwrap_or_default();
    let device = app.as_ref().and_then(|a| a.state.device.clone());
    let station = {
        let refdata = refdata.clone();
        use_state(move || default_station(&refdata, device.as_ref()))
    };
    let name = use_state(|| prefs::get(prefs::NAME));
    let phone = use_state(|| prefs::get(prefs::PHONE));
    let errors = use_state(CheckInFormErrors::default);
    let notice = use_state(|| None::<Notice>);
    let pass = use_state(|| PassState::None);
    let pass_input = use_state(String::new);
    // Not shown, only sent: a ref, not state (no render when it comes).
    let position = use_mut_ref(|| None::<Position>);
    // A guard that holds at once, unlike state, against a double tap saving twice.
    let busy = use_mut_ref(|| false);
    // The pass of the link that opened the app (the station's QR code read by WeChat or a
    // camera app), taken once.
    let linked_pass = use_mut_ref(|| browser::query_param("pass"));
    let now = use_now(30_000);

    {
        // Reference data may arrive after the page: offer the default station then.
        let station = station.clone();
        let device = app.as_ref().and_then(|a| a.state.device.clone());
        use_effect_with(refdata.clone(), move |refdata: &Rc<RefData>| {
            if refdata.station(&station).is_none() {
                station.set(default_station(refdata, device.as_ref()));
            }
        });
    }

    let Some(app) = app else { return html! {} };

    let onpass = {
        let (app, pass, position) = (app.clone(), pass.clone(), position.clone());
        let pass_input = pass_input.clone();
        Callback::from(move |text: String| {
            pass_input.set(text.clone());
            if text.trim().is_empty() {
                pass.set(PassState::None);
                return;
            }
            let (app, pass, position) = (app.clone(), pass.clone(), position.clone());
            wasm_bindgen_futures::spawn_local(async move {
                // A scanned or pasted link holds the pass in its `pass=`.
                let text = pass_in(&text).unwrap_or(&text);
                let state = check_pass(&app, text).await;
                if matches!(state, PassState::Ok(..)) && position.borrow().is_none() {
                    // Only if the volunteer allows it; the check-in never waits for it.
                    browser::locate(Callback::from(move |r: Result<[f64; 3], String>| {
                        if let Ok([lat, lon, acc]) = r {
                            *position.borrow_mut() = Position::from_degrees(lat, lon, acc);
                        }
                    }));
                }
                pass.set(state);
            });
        })
    };
    if let Some(text) = linked_pass.borrow_mut().take() {
        browser::clear_query();
        onpass.emit(text);
    }
    let onscan = {
        let onpass = onpass.clone();
        Callback::from(move |_| {
            let onpass = onpass.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(text) = browser::scan_qr().await {
                    onpass.emit(text);
                }
            });
        })
    };

    let onsubmit = {
        let (app, station, name, phone) =
            (app.clone(), station.clone(), name.clone(), phone.clone());
        let (errors, notice, busy) = (errors.clone(), notice.clone(), busy.clone());
        let (pass, position) = (pass.clone(), position.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (station, pass_text) = match &*pass {
                PassState::Ok(text, Checked::Valid(p) | Checked::Unchecked(p)) => {
                    (p.station.to_string(), Some(text.clone()))
                }
                _ => ((*station).clone(), None),
            };
            let form = CheckInForm {
                station,
                volunteer_name: (*name).clone(),
                phone: (*phone).clone(),
            };
            let body = match form.parse() {
                Ok(body) => CheckIn {
                    pass: pass_text,
                    position: *position.borrow(),
                    clock_offset_ms: app.state.clock_offset_ms,
                    ..body
                },
                Err(errs) => {
                    errors.set(errs);
                    notice.set(None);
                    return;
                }
            };
            errors.set(CheckInFormErrors::default());
            let already = app.state.records.iter().any(|r| {
                r.is_open()
                    && r.station == body.station
                    && r.phone == body.phone
                    && r.volunteer_name == body.volunteer_name
            });
            if already {
                notice.set(Some(Notice::Failed(format!(
                    "{} 已在本站签到，尚未签退",
                    body.volunteer_name
                ))));
                return;
            }
            if busy.replace(true) {
                return;
            }
            prefs::set(prefs::NAME, body.volunteer_name.as_str());
            prefs::set(prefs::PHONE, body.phone.as_str());
            prefs::set(prefs::STATION, body.station.as_str());
            let (app, notice, busy) = (app.clone(), notice.clone(), busy.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match check_in(&app, body).await {
                    Ok(record) => {
                        notice.set(Some(Notice::Done(format!(
                            "{} 已于 {} 签到",
                            record.volunteer_name,
                            time::format_clock(record.checked_in_at)
                        ))));
                        app.state.dispatch(Action::Saved(record));
                        app.sync.trigger();
                    }
                    Err(message) => notice.set(Some(Notice::Failed(message))),
                }
                *busy.borrow_mut() = false;
            });
        })
    };

    let oncheckout = {
        let (app, notice, busy) = (app.clone(), notice.clone(), busy.clone());
        Callback::from(move |id: RecordId| {
            let Some(record) = app.state.records.iter().find(|r| r.id == id).cloned() else {
                return;
            };
            if busy.replace(true) {
                return;
            }
            let (app, notice, busy) = (app.clone(), notice.clone(), busy.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match check_out(&app, &record).await {
                    Ok((out, served)) => {
                        notice.set(Some(Notice::Done(format!(
                            "{} 已签退，服务时长 {served}",
                            out.volunteer_name
                        ))));
                        app.state.dispatch(Action::Saved(out));
                        app.sync.trigger();
                    }
                    Err(message) => notice.set(Some(Notice::Failed(message))),
                }
                *busy.borrow_mut() = false;
            });
        })
    };

    let set = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |v: String| handle.set(v))
    };
    let error = |e: &Option<String>| e.clone().map(AttrValue::from);
    let open: Vec<&Record> = app.state.records.iter().filter(|r| r.is_open()).collect();

    html! {
        <div class="checkin">
            <form class="form" onsubmit={onsubmit} novalidate=true>
                { field(Field { label: "签到码（扫描或粘贴站点二维码）", testid: "pass", value: &pass_input,
                    placeholder: Some("WM1.…"), ..Field::TEXT }, onpass) }
                if browser::can_scan() {
                    <button type="button" class="secondary" data-testid="scan" onclick={onscan}>{ "扫码" }</button>
                }
                {
                    match &*pass {
                        PassState::Ok(_, c) => {
                            let (Checked::Valid(p) | Checked::Unchecked(p)) = c;
                            let name = refdata.station(p.station.as_str())
                                .map_or_else(|| p.station.to_string(), |s| s.name.clone());
                            let how = if matches!(c, Checked::Valid(_)) { "签到码有效" } else { "本机无法验证签到码，将由服务器验证" };
                            html! { <p class="notice ok" data-testid="pass-ok">{ format!("{how}：{name}") }</p> }
                        }
                        PassState::Refused(why) => html! {
                            <p class="notice error" role="alert" data-testid="pass-refused">{ why.clone() }</p>
                        },
                        PassState::None => html! {},
                    }
                }
                if !matches!(*pass, PassState::Ok(..)) {
                    <StationPicker refdata={refdata.clone()} value={(*station).clone()}
                        error={error(&errors.station)} onchange={set(&station)} />
                }
                { field(Field { label: "志愿者姓名", testid: "volunteer-name", value: &name,
                    autocomplete: Some("name"), error: errors.volunteer_name.as_deref(), ..Field::TEXT },
                    set(&name)) }
                { field(Field { label: "手机号码", testid: "phone", value: &phone,
                    input_type: "tel", inputmode: Some("numeric"), autocomplete: Some("tel"),
                    error: errors.phone.as_deref(), ..Field::TEXT }, set(&phone)) }
                <button type="submit" class="primary big" data-testid="check-in">{ "签到" }</button>
            </form>
            {
                match &*notice {
                    None => html! {},
                    Some(Notice::Done(text)) => html! { <p class="notice ok" role="status">{ text.clone() }</p> },
                    Some(Notice::Failed(text)) => html! { <p class="notice error" role="alert">{ text.clone() }</p> },
                }
            }
            <section class="open-list">
                <h2>{ format!("在站人员（{}）", open.len()) }</h2>
                if open.is_empty() {
                    <p class="hint">{ "目前没有未签退的签到。" }</p>
                } else {
                    <ul class="cards">
                        { for open.into_iter().map(|record| open_check_in(&OpenCheckInProps {
                            record,
                            now,
                            busy: false,
                            oncheckout: oncheckout.clone(),
                        })) }
                    </ul>
                }
            </section>
        </div>
    }
}
