//! 签到: the check-in form, and the open check-ins on this phone with their 签退 buttons.

use std::rc::Rc;

use wenming_core::checkin::{duration_zh, service_duration, CheckInFormErrors};
use wenming_core::protocol::DeviceInfo;
use wenming_core::{CheckIn, CheckInForm, CheckOut, Level, RecordId};
use yew::prelude::*;

use crate::app::{Action, AppContext};
use crate::browser::prefs;
use crate::components::field::Field;
use crate::components::open_check_in::{open_check_in, OpenCheckInProps};
use crate::components::station_picker::StationPicker;
use crate::hooks::{use_app, use_now};
use crate::store::{Record, RefData, Sealed};
use crate::{ids, time};

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
    Ok(record)
}

/// Saves a check-out; returns the record and the time served.
async fn check_out(app: &AppContext, record: &Record) -> Result<(Record, String), String> {
    if !record.is_open() {
        return Err(wenming_core::checkin::CheckOutError::AlreadyOut.to_string());
    }
    let (id, at) = ids::next();
    let body = CheckOut::of(record.id);
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
    // A guard that holds at once, unlike state, against a double tap saving twice.
    let busy = use_mut_ref(|| false);
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

    let onsubmit = {
        let (app, station, name, phone) =
            (app.clone(), station.clone(), name.clone(), phone.clone());
        let (errors, notice, busy) = (errors.clone(), notice.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let form = CheckInForm {
                station: (*station).clone(),
                volunteer_name: (*name).clone(),
                phone: (*phone).clone(),
            };
            let body = match form.parse() {
                Ok(body) => body,
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
                <StationPicker refdata={refdata} value={(*station).clone()}
                    error={error(&errors.station)} onchange={set(&station)} />
                <Field label="志愿者姓名" testid="volunteer-name" value={(*name).clone()}
                    autocomplete="name" error={error(&errors.volunteer_name)}
                    oninput={set(&name)} />
                <Field label="手机号码" testid="phone" value={(*phone).clone()}
                    input_type="tel" inputmode="numeric" autocomplete="tel"
                    error={error(&errors.phone)} oninput={set(&phone)} />
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
