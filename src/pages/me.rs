//! 我的: the volunteers registered on this phone, each with points (积分), approved hours,
//! service records and their review, the time bank's lines, integrity records (诚信记载)
//! and sign-ups, as the district last told (kept for offline, with when); and 注册登记,
//! the registration form, saved offline with its outbox entry.

use wenming_core::volunteer::registration::{RegistrationForm, RegistrationFormErrors};
use wenming_core::volunteer::Registration;
use wenming_core::RecordId;
use yew::prelude::*;

use crate::app::{Action, AppContext};
use crate::components::field::{field, Field};
use crate::hooks::use_app;
use crate::store::{Saved, Sealed};
use crate::volunteer::{self as vol, Mine, Seen, J};
use crate::{ids, time};

async fn load(app: &AppContext) -> Seen {
    let store = &app.store;
    let mine: Vec<Mine> = store.vol_records().await.unwrap_or_default();
    let outcomes = match vol::read(store, vol::REGISTRATIONS).await {
        Ok(Some((j, _))) => j.list("items"),
        _ => Vec::new(),
    };
    let mut accounts = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for o in &outcomes {
        let v = o.s("volunteer");
        if seen.contains(&v) {
            continue;
        }
        if let Ok(Some((a, at))) = vol::read(store, &vol::account_key(&v)).await {
            accounts.push((a, time::format_local(at.0)));
        }
        seen.push(v);
    }
    Seen {
        mine: mine.into_iter().filter(|m| m.activity.is_empty()).collect(),
        outcomes,
        accounts,
        ..Seen::default()
    }
}

async fn register(app: &AppContext, id: RecordId, body: Registration) -> Result<Saved, String> {
    let envelope = Sealed::of(id, time::now(), &body).map_err(|e| e.message_zh())?;
    let mine = Mine {
        id: id.to_string(),
        what: body.name.to_string(),
        phone: body.phone.to_string(),
        activity: String::new(),
    };
    app.store
        .save_vol(id, &mine, envelope)
        .await
        .map_err(|e| e.message_zh())
}

#[function_component(MePage)]
pub fn me_page() -> Html {
    let app = use_app();
    let seen = use_state(Seen::default);
    // The form and its messages as one state (each state type costs the download).
    let reg = use_state(<(RegistrationForm, Box<RegistrationFormErrors>)>::default);
    let notice = use_state(String::new);
    // Minted when the form opens: a double tap saves one registration.
    let id = use_state(|| ids::next().0);
    let last_sync = app.as_ref().and_then(|a| a.state.last_sync);
    {
        let (app, seen) = (app.clone(), seen.clone());
        use_effect_with((last_sync, notice.len()), move |_| {
            if let Some(app) = app {
                wasm_bindgen_futures::spawn_local(async move { seen.set(load(&app).await) });
            }
        });
    }
    let Some(app) = app else { return html! {} };

    let onsubmit = {
        let (app, reg, notice, id) = (app.clone(), reg.clone(), notice.clone(), id.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let year = chrono::Datelike::year(&(time::now() + chrono::Duration::hours(8)));
            let body = match reg.0.parse(year) {
                Ok(body) => body,
                Err(errs) => return reg.set((reg.0.clone(), errs)),
            };
            reg.set((reg.0.clone(), Box::default()));
            let (app, reg, notice, id) = (app.clone(), reg.clone(), notice.clone(), id.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let name = body.name.to_string();
                match register(&app, *id, body).await {
                    Ok(_) => {
                        notice.set(format!("{name} 的注册登记已保存，联网后自动提交"));
                        reg.set(Default::default());
                        id.set(ids::next().0);
                        app.state.dispatch(Action::Queued(*id));
                        app.sync.trigger();
                    }
                    Err(message) => notice.set(message),
                }
            });
        })
    };
    let set = |f: fn(&mut RegistrationForm, String)| {
        let reg = reg.clone();
        Callback::from(move |v: String| {
            let mut next = (*reg).clone();
            f(&mut next.0, v);
            reg.set(next);
        })
    };
    let (form, errors) = &*reg;
    let gender = |value: &'static str, label: &'static str| {
        let onchange = set(|f, v| f.gender = v);
        html! {
            <label class="choice">
                <input type="radio" name="gender" value={value} data-testid={format!("gender-{value}")}
                    checked={form.gender == value}
                    onchange={Callback::from(move |_| onchange.emit(value.to_owned()))} />
                { label }
            </label>
        }
    };
    let s = &*seen;
    let pending: Vec<&Mine> = s
        .mine
        .iter()
        .filter(|m| !s.outcomes.iter().any(|o| o.s("registration") == m.id))
        .collect();

    html! {
        <div class="me">
            { for s.accounts.iter().map(|(a, at)| account(a, at)) }
            { for s.outcomes.iter().filter(|o| o.is("merged")).map(|o| html! {
                <p class="notice ok" data-testid="merged">{ format!(
                    "{} 的手机号 {} 在多部手机上登记过，已合并为同一名志愿者",
                    o.get("profile").s("name"), o.get("profile").s("phone")) }</p>
            }) }
            { for pending.iter().map(|m| html! {
                <p class="hint" data-testid="registration-pending">{ format!("{}（{}）：注册登记待提交", m.what, m.phone) }</p>
            }) }
            <form class="form" onsubmit={onsubmit} novalidate=true>
                <h2>{ "注册登记" }</h2>
                { field(Field { label: "姓名", testid: "reg-name", value: &form.name, autocomplete: Some("name"),
                    error: errors.name.as_deref(), ..Field::TEXT }, set(|f, v| f.name = v)) }
                { field(Field { label: "手机号码", testid: "reg-phone", value: &form.phone, input_type: "tel",
                    inputmode: Some("numeric"), error: errors.phone.as_deref(), ..Field::TEXT }, set(|f, v| f.phone = v)) }
                <fieldset class={classes!("field", errors.gender.is_some().then_some("invalid"))}>
                    <legend>{ "性别" }</legend>
                    { gender("male", "男") }
                    { gender("female", "女") }
                    if let Some(e) = &errors.gender { <p class="error">{ e.clone() }</p> }
                </fieldset>
                { field(Field { label: "出生年份", testid: "reg-birth-year", value: &form.birth_year,
                    inputmode: Some("numeric"), placeholder: Some("如 1965"), error: errors.birth_year.as_deref(),
                    ..Field::TEXT }, set(|f, v| f.birth_year = v)) }
                { field(Field { label: "技能（用逗号或空格分开）", testid: "reg-skills", value: &form.skills,
                    placeholder: Some("理发、测血压"), error: errors.skills.as_deref(), ..Field::TEXT },
                    set(|f, v| f.skills = v)) }
                { field(Field { label: "所属组织", testid: "reg-orgs", value: &form.organizations,
                    error: errors.organizations.as_deref(), ..Field::TEXT }, set(|f, v| f.organizations = v)) }
                <button type="submit" class="primary big" data-testid="register">{ "保存注册" }</button>
                if !notice.is_empty() { <p class="notice" role="status">{ (*notice).clone() }</p> }
            </form>
        </div>
    }
}

/// One volunteer's account (core's `VolunteerAccount`).
fn account(a: &J, at: &str) -> Html {
    let who = a.get("volunteer");
    let m = a.n("approved_minutes");
    let items = |key: &str, line: &dyn Fn(&J) -> String| -> Html {
        a.list(key)
            .iter()
            .map(|j| html! { <li class="card">{ line(j) }</li> })
            .collect()
    };
    html! {
        <section class="account" data-testid="account">
            <h2>{ format!("{} · {}", who.s("name"), who.s("phone")) }</h2>
            <p class="big" data-testid="balance">{ format!("积分 {} · 已核定 {}小时{:02}分", a.n("balance"), m / 60, m % 60) }</p>
            <p class="hint">{ format!("更新于 {at}") }</p>
            <h3>{ "服务记录" }</h3>
            <ul class="cards" data-testid="service-records">{ items("service_records", &|r| {
                let review = r.get("review");
                let review = match review.s("state").as_str() {
                    "approved" => format!("已核定 {} 分钟 +{} 分", review.n("minutes"), review.n("points")),
                    "revoked" => format!("已撤销：{}", review.s("reason")),
                    _ => "待审核".to_owned(),
                };
                let flags: Vec<String> = r.strings("flags").iter().map(|f| vol::flag_zh(f)).collect();
                format!("{} {} · {} 分钟 · {review}{}{}", vol::when(&r.s("checked_in_at")),
                    r.s("station_name"), r.n("minutes"), if flags.is_empty() { "" } else { " · " }, flags.join("、"))
            }) }</ul>
            <h3>{ "时间银行" }</h3>
            <ul class="cards">{ items("ledger", &|l| {
                let cause = l.get("cause");
                let why = match cause.s("type").as_str() {
                    "earn" => "服务时长".to_owned(),
                    "exchange" => "积分兑换".to_owned(),
                    _ => format!("冲正：{}", cause.s("reason")),
                };
                format!("{} {why} {:+} 分，余额 {}", vol::when(&l.s("at")), l.n("points"), l.n("balance"))
            }) }</ul>
            <h3>{ "诚信记载" }</h3>
            <ul class="cards">{ items("integrity", &|i| format!("{} {} {}：{}", vol::when(&i.s("at")),
                i.s("station_name"), vol::integrity_zh(&i.s("kind")), i.s("reason"))) }</ul>
            <h3>{ "报名" }</h3>
            <ul class="cards">{ items("signups", &|s| format!("{} {}：{}", vol::when(&s.s("starts_at")),
                s.s("title"), vol::outcome_zh(s))) }</ul>
        </section>
    }
}
