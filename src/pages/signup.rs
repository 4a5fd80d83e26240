//! 报名: the activities the district published (kept for offline), how full each is and the
//! skills wanted; a volunteer signs up by mobile number offline, and sees the district's
//! decision (报名成功 / 候补第 N 位) after a sync.

use wenming_core::volunteer::Signup;
use wenming_core::{Phone, RecordId};
use yew::prelude::*;

use crate::app::{Action, AppContext};
use crate::browser::prefs;
use crate::components::field::{field, Field};
use crate::hooks::use_app;
use crate::store::Sealed;
use crate::volunteer::{self as vol, Mine, Seen, J};
use crate::{ids, time};

async fn load(app: &AppContext) -> Seen {
    let store = &app.store;
    let (activities, at) = match vol::read(store, vol::ACTIVITIES).await {
        Ok(Some((j, at))) => (j.list("items"), time::format_local(at.0)),
        _ => (Vec::new(), String::new()),
    };
    let outcomes = match vol::read(store, vol::SIGNUPS).await {
        Ok(Some((j, _))) => j.list("items"),
        _ => Vec::new(),
    };
    let mine: Vec<Mine> = store.vol_records().await.unwrap_or_default();
    Seen {
        activities,
        at,
        outcomes,
        mine: mine
            .into_iter()
            .filter(|m| !m.activity.is_empty())
            .collect(),
        ..Seen::default()
    }
}

async fn sign_up(app: &AppContext, id: RecordId, a: &J, phone: Phone) -> Result<(), String> {
    let activity_id = a.s("id");
    let activity = ids::parse(&activity_id).ok_or("活动编号有误")?;
    let body = Signup {
        activity,
        phone: phone.clone(),
    };
    let envelope = Sealed::of(id, time::now(), &body).map_err(|e| e.message_zh())?;
    let mine = Mine {
        id: id.to_string(),
        what: a.s("title"),
        phone: phone.to_string(),
        activity: activity_id,
    };
    app.store
        .save_vol(id, &mine, envelope)
        .await
        .map(|_| ())
        .map_err(|e| e.message_zh())
}

#[function_component(SignupPage)]
pub fn signup_page() -> Html {
    let app = use_app();
    let seen = use_state(Seen::default);
    let phone = use_state(|| prefs::get(prefs::PHONE));
    let error = use_state(|| None::<AttrValue>);
    // Minted when the screen opens, and anew after each sign-up: a double tap is one.
    let id = use_state(|| ids::next().0);
    let last_sync = app.as_ref().and_then(|a| a.state.last_sync);
    {
        let (app, seen) = (app.clone(), seen.clone());
        use_effect_with((last_sync, *id), move |_| {
            if let Some(app) = app {
                wasm_bindgen_futures::spawn_local(async move { seen.set(load(&app).await) });
            }
        });
    }
    let Some(app) = app else { return html! {} };
    let onsignup = {
        let (app, phone, error, id, seen) = (
            app.clone(),
            phone.clone(),
            error.clone(),
            id.clone(),
            seen.clone(),
        );
        Callback::from(move |n: usize| {
            let Some(a) = seen.activities.get(n).cloned() else {
                return;
            };
            let p = match Phone::parse(&phone) {
                Ok(p) => p,
                Err(e) => return error.set(Some(e.to_string().into())),
            };
            error.set(None);
            let (app, error, id) = (app.clone(), error.clone(), id.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match sign_up(&app, *id, &a, p).await {
                    Ok(()) => {
                        app.state.dispatch(Action::Queued(*id));
                        id.set(ids::next().0);
                        app.sync.trigger();
                    }
                    Err(m) => error.set(Some(m.into())),
                }
            });
        })
    };
    let onphone = {
        let phone = phone.clone();
        Callback::from(move |v: String| phone.set(v))
    };
    let s = &*seen;
    let status = |a: &J| -> Option<String> {
        let id = a.s("id");
        let mine = s
            .mine
            .iter()
            .filter(|m| m.activity == id && m.phone == *phone);
        let mut shown = None;
        for m in mine {
            shown = Some(
                s.outcomes
                    .iter()
                    .find(|o| o.s("id") == m.id)
                    .map_or_else(|| "已报名，等待联网提交".to_owned(), vol::outcome_zh),
            );
        }
        shown
    };
    html! {
        <div class="signup">
            { field(Field { label: "报名手机号码", testid: "signup-phone", value: &phone, input_type: "tel",
                inputmode: Some("numeric"), error: error.as_deref(), ..Field::TEXT }, onphone) }
            if s.activities.is_empty() {
                <p class="hint">{ "暂无可报名的活动。联网同步后会显示实践站发布的活动。" }</p>
            } else {
                <p class="hint">{ format!("活动列表更新于 {}", s.at) }</p>
            }
            <ul class="cards">{ for s.activities.iter().enumerate().map(|(n, a)| {
                let onclick = { let f = onsignup.clone(); Callback::from(move |_| f.emit(n)) };
                let status = status(a);
                let skills = a.strings("skills_wanted");
                html! { <li class="card" data-testid="activity">
                    <h3>{ a.s("title") }</h3>
                    <p>{ format!("{} · {}", vol::when(&a.s("starts_at")), a.s("station_name")) }</p>
                    <p>{ format!("需 {} 人，已报名 {} 人，候补 {} 人", a.n("volunteers_needed"), a.n("accepted"), a.n("waitlisted")) }</p>
                    if !skills.is_empty() { <p>{ format!("需要技能：{}", skills.join("、")) }</p> }
                    <p class="hint">{ a.s("description") }</p>
                    if let Some(st) = status {
                        <p class="notice ok" data-testid="signup-status">{ st }</p>
                    } else {
                        <button type="button" class="primary" data-testid="signup" onclick={onclick}>{ "报名" }</button>
                    }
                </li> }
            }) }</ul>
        </div>
    }
}
