//! 志愿者查询: a volunteer found by mobile number (`GET /volunteers?phone=`, only one
//! registered inside the device's scope), their account — points, approved hours, service
//! records, the ledger, integrity records (诚信记载) — kept by number so it shows offline
//! and gives the exchange form its balance; and the service record certificate
//! (志愿服务记录证明) for a period, laid out to print on A4 with a place for the seal. Hours
//! already approved can be revoked here (撤销时长), with a reason the volunteer sees.

use chrono::Datelike;
use yew::prelude::*;

use super::pass::print_button;
use super::{fetch_text_kept, kept_note, read_kept, text_field};
use crate::components::choice::Kind;
use crate::filing::wire::date;
use crate::hooks::use_app;
use crate::ids;
use crate::station::wire::{Account, Cert, Found};
use crate::station::{beijing, kind, minutes_zh, save, seal, token};
use crate::{api, filing};
use wenming_core::volunteer::service::check_reason;
use wenming_core::volunteer::HoursRevocation;
use wenming_core::RecordId;

/// Where the account of a number is kept.
fn kept_as(phone: &str) -> String {
    format!("account:{phone}")
}

fn review_zh(state: &str) -> &'static str {
    match state {
        "approved" => "已核定",
        "revoked" => "已撤销",
        _ => "待审核",
    }
}

#[derive(Properties, PartialEq)]
struct RevokeProps {
    record: RecordId,
    name: String,
}

/// 撤销 of hours already approved (a mistake found later): the points go back by a
/// reversing entry on the district and the volunteer sees the reason in 诚信记载. The
/// record's id is made when the form opens, so a second tap saves nothing more.
#[function_component(RevokeApproved)]
fn revoke_approved(p: &RevokeProps) -> Html {
    let app = use_app();
    let open = use_state(|| None::<RecordId>);
    let reason = use_state(String::new);
    let error = use_state(|| None::<String>);
    let done = use_state(|| false);
    let busy = use_mut_ref(|| false);
    let Some(app) = app else { return html! {} };
    if *done {
        return html! { <p class="notice ok" data-testid="revoke-saved">{ "已撤销，联网后送达区里" }</p> };
    }
    let onopen = {
        let (open, error) = (open.clone(), error.clone());
        Callback::from(move |_| {
            error.set(None);
            open.set(Some(ids::next().0));
        })
    };
    let onconfirm = {
        let (open, reason, error, done, busy) = (
            open.clone(),
            reason.clone(),
            error.clone(),
            done.clone(),
            busy.clone(),
        );
        let (record, name) = (p.record, p.name.clone());
        Callback::from(move |_| {
            let Some(id) = *open else { return };
            let why = match check_reason(&reason) {
                Ok(r) => r.to_owned(),
                Err(m) => return error.set(Some(m)),
            };
            if busy.replace(true) {
                return;
            }
            let (app, error, done, busy) = (app.clone(), error.clone(), done.clone(), busy.clone());
            let text = format!("撤销 {name} 已核定的服务时长：{why}");
            wasm_bindgen_futures::spawn_local(async move {
                let body = HoursRevocation {
                    service_record: record,
                    reason: why,
                };
                match save(
                    &app,
                    seal(id, &body),
                    kind::REVOCATION,
                    record.to_string(),
                    text,
                )
                .await
                {
                    Ok(_) => done.set(true),
                    Err(m) => error.set(Some(m)),
                }
                *busy.borrow_mut() = false;
            });
        })
    };
    match *open {
        None => html! {
            <button type="button" class="secondary" data-testid="revoke-approved" onclick={onopen}>{ "撤销时长" }</button>
        },
        Some(_) => html! {
            <div class="decide">
                { text_field(Kind::Text, "撤销原因（志愿者可见）", "revoke-reason", &reason, (*error).clone()) }
                <button type="button" class="primary" data-testid="revoke-confirm" onclick={onconfirm}>{ "确认撤销" }</button>
            </div>
        },
    }
}

fn account_view(a: &Account, fresh: bool) -> Html {
    html! {
        <div class="account" data-testid="account">
            { kept_note(fresh) }
            <h3>{ format!("{}（{}，{} 年生）", a.volunteer.name, a.volunteer.gender.name_zh(), a.volunteer.birth_year) }</h3>
            <p class="meta">{ a.volunteer.phone.clone() }</p>
            <div class="figures">
                <p><span class="label">{ "当前积分" }</span><strong data-testid="account-balance">{ a.balance }</strong></p>
                <p><span class="label">{ "已核定时长" }</span><strong data-testid="account-hours">{ minutes_zh(a.approved_minutes) }</strong></p>
            </div>
            <h3>{ "服务记录" }</h3>
            if a.service_records.is_empty() { <p class="hint">{ "没有服务记录。" }</p> }
            <ul class="cards">
                { for a.service_records.iter().take(50).map(|r| html! {
                    <li class="card" data-testid="account-visit">
                        <div class="card-main">
                            <p class="name">{ format!("{} · {}", beijing(r.checked_in_at), r.station_name) }</p>
                            <p class="meta">{ format!("{} · {}", review_zh(&r.review.state), minutes_zh(r.review.minutes.unwrap_or(r.minutes))) }
                                if let Some(why) = &r.review.reason { { format!("（{why}）") } }
                            </p>
                            if r.review.state == "approved" {
                                <RevokeApproved record={r.id} name={r.volunteer_name.clone()} />
                            }
                        </div>
                    </li>
                }) }
            </ul>
            <h3>{ "诚信记载" }</h3>
            if a.integrity.is_empty() { <p class="hint">{ "没有诚信记载。" }</p> }
            <ul class="cards">
                { for a.integrity.iter().map(|i| html! {
                    <li class="card" data-testid="integrity">
                        <div class="card-main">
                            <p class="name">{ format!("{}：{}", i.kind.name_zh(), i.reason) }</p>
                            <p class="meta">{ format!("{} · {} · {}", beijing(i.at), i.station_name, i.by) }</p>
                        </div>
                    </li>
                }) }
            </ul>
            <h3>{ "积分明细" }</h3>
            <table class="ledger">
                <thead><tr><th>{ "时间" }</th><th>{ "事项" }</th><th>{ "积分" }</th><th>{ "余额" }</th></tr></thead>
                <tbody>
                    { for a.ledger.iter().rev().take(50).map(|l| html! {
                        <tr>
                            <td>{ beijing(l.at) }</td>
                            <td>{ match l.cause.kind.as_str() { "earn" => "服务", "spend" | "exchange" => "兑换", "reversal" => "冲正", _ => "其他" } }</td>
                            <td>{ format!("{:+}", l.points) }</td>
                            <td>{ l.balance }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

fn certificate(c: &Cert) -> Html {
    html! {
        <section class="print-sheet vol-cert" data-testid="certificate">
            <h1>{ "志愿服务记录证明" }</h1>
            <p class="cert-body">
                { format!(
                    "兹证明 {}（{}，{} 年生，手机 {}）于 {} 至 {} 期间在{}新时代文明实践站（所）参加志愿服务，经审核累计服务时长 {} 小时，具体如下：",
                    c.name, c.gender.name_zh(), c.birth_year, c.phone,
                    filing::wire::day_zh(&c.from), filing::wire::day_zh(&c.to),
                    c.district_name, c.total_hours
                ) }
            </p>
            <table class="cert-lines">
                <thead><tr><th>{ "日期" }</th><th>{ "服务站点" }</th><th>{ "时长（小时）" }</th></tr></thead>
                <tbody>
                    { for c.lines.iter().map(|l| html! {
                        <tr>
                            <td>{ filing::wire::day_zh(&l.date) }</td>
                            <td>{ l.station_name.clone() }</td>
                            <td>{ wenming_core::volunteer::service::hours_text(l.minutes) }</td>
                        </tr>
                    }) }
                    if c.lines.is_empty() {
                        <tr><td colspan="3">{ "本期间没有经审核的服务记录" }</td></tr>
                    }
                </tbody>
                <tfoot><tr><th colspan="2">{ "合计" }</th><th data-testid="cert-total">{ c.total_hours.clone() }</th></tr></tfoot>
            </table>
            <p class="cert-note">{ "特此证明。" }</p>
            <div class="cert-sign">
                <p>{ format!("{}新时代文明实践中心", c.district_name) }</p>
                <p>{ format!("开具日期：{}", beijing(c.issued_at).split(' ').next().unwrap_or_default()) }</p>
                <div class="seal" aria-label="盖章处">{ "（盖章）" }</div>
            </div>
        </section>
    }
}

#[function_component(Lookup)]
pub fn lookup() -> Html {
    let app = use_app();
    let phone = use_state(String::new);
    let account = use_state(|| None::<Result<(Account, bool), String>>);
    let year = chrono::Datelike::year(&crate::time::now());
    let from = use_state(move || format!("{year}-01-01"));
    let to = use_state(|| {
        let t = crate::time::now() + chrono::Duration::hours(8);
        format!("{:04}-{:02}-{:02}", t.year(), t.month(), t.day())
    });
    let cert = use_state(|| None::<Result<Cert, String>>);
    let busy = use_state(|| false);
    let Some(app) = app else { return html! {} };

    let onfind = {
        let (app, phone, account, cert, busy) = (
            app.clone(),
            phone.clone(),
            account.clone(),
            cert.clone(),
            busy.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let number = phone.trim().to_owned();
            if let Err(e) = wenming_core::Phone::parse(&number) {
                return account.set(Some(Err(e.to_string())));
            }
            let (app, account, busy) = (app.clone(), account.clone(), busy.clone());
            cert.set(None);
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let found = match token(&app).await {
                    Ok(t) => api::station::get(&t, &format!("/volunteers?phone={number}"))
                        .await
                        .and_then(|text| api::station::read::<Found>(&text)),
                    Err(m) => {
                        busy.set(false);
                        return account.set(Some(Err(m)));
                    }
                };
                let got = match found {
                    Ok(f) => read_kept::<Account>(
                        fetch_text_kept(&app, &kept_as(&number), &format!("/volunteers/{}", f.id))
                            .await,
                    ),
                    Err(api::ApiError::Status { status: 404, .. }) => {
                        Err("没有找到这个手机号的志愿者（仅能查询本辖区登记的志愿者）".to_owned())
                    }
                    Err(e) => {
                        // Offline: the account as it was last looked up, if it was.
                        let kept: Option<String> =
                            app.store.cache_get(&kept_as(&number)).await.ok().flatten();
                        kept.and_then(|t| api::station::read::<Account>(&t).ok())
                            .map(|a| (a, false))
                            .ok_or_else(|| e.message_zh())
                    }
                };
                account.set(Some(got));
                busy.set(false);
            });
        })
    };

    let oncert = {
        let (app, account, from, to, cert) = (
            app.clone(),
            account.clone(),
            from.clone(),
            to.clone(),
            cert.clone(),
        );
        Callback::from(move |_| {
            let Some(Ok((a, _))) = &*account else { return };
            let (Some(f), Some(t)) = (date::parse(&from), date::parse(&to)) else {
                return cert.set(Some(Err("请填写开始和结束日期".to_owned())));
            };
            if f > t {
                return cert.set(Some(Err("开始日期不能晚于结束日期".to_owned())));
            }
            let path = format!("/volunteers/{}/certificate?from={f}&to={t}", a.volunteer.id);
            let (app, cert) = (app.clone(), cert.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let got = match token(&app).await {
                    Ok(t) => api::station::get(&t, &path)
                        .await
                        .and_then(|text| api::station::read::<Cert>(&text))
                        .map_err(|e| e.message_zh()),
                    Err(m) => Err(m),
                };
                cert.set(Some(got));
            });
        })
    };
    let onclose = {
        let cert = cert.clone();
        Callback::from(move |_| cert.set(None))
    };

    if let Some(Ok(c)) = &*cert {
        return html! {
            <div class="cert-view">
                <div class="buttons noprint">
                    { print_button() }
                    <button type="button" class="secondary" data-testid="cert-close" onclick={onclose}>{ "返回" }</button>
                </div>
                { certificate(c) }
            </div>
        };
    }

    html! {
        <div class="lookup">
            <h2>{ "志愿者查询" }</h2>
            <form onsubmit={onfind}>
                { text_field(Kind::Tel, "志愿者手机号", "lookup-phone", &phone, None) }
                <div class="buttons">
                    <button type="submit" class="primary" data-testid="lookup-find" disabled={*busy}>{ "查询" }</button>
                </div>
            </form>
            {
                match &*account {
                    None => html! {},
                    Some(Err(m)) => html! { <p class="error" role="alert" data-testid="lookup-error">{ m.clone() }</p> },
                    Some(Ok((a, fresh))) => html! {
                        <>
                            { account_view(a, *fresh) }
                            <h3>{ "志愿服务记录证明" }</h3>
                            { text_field(Kind::Date, "开始日期", "cert-from", &from, None) }
                            { text_field(Kind::Date, "结束日期", "cert-to", &to, None) }
                            if let Some(Err(m)) = &*cert { <p class="error" role="alert">{ m.clone() }</p> }
                            <div class="buttons">
                                <button type="button" class="primary" data-testid="cert-open" onclick={oncert}>{ "生成证明" }</button>
                            </div>
                        </>
                    },
                }
            }
        </div>
    }
}
