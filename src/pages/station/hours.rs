//! 待审核时长: the visits at the station waiting for review, oldest first, from the district
//! (kept, so the list works offline): who, when (Beijing time), how long, and why a visit
//! may be doubtful (its flags in words). 核定 approves it — the minutes may be corrected,
//! and must be set for a visit closed automatically — and 撤销 revokes it with a reason.
//! Both are records queued offline; a decided visit shows 待同步 until pushed, then leaves
//! the list, which is fetched again after each sync. What the district refused (another
//! admin decided first) is listed under 我的审核 with its reason.

use wenming_core::volunteer::service::check_reason;
use wenming_core::volunteer::{HoursApproval, HoursRevocation};
use wenming_core::RecordId;
use yew::prelude::*;

use super::{fetch_text_kept, kept_note, my_list, read_kept, text_field};
use crate::components::activity_view::sync_badge;
use crate::components::choice::Kind;
use crate::hooks::use_app;
use crate::ids;
use crate::station::wire::{PendingList, Visit};
use crate::station::{beijing, kind, minutes_zh, save, seal, Mine};
use crate::store::SyncState;

/// The decision being made: on which visit, approve or revoke, and the id minted when the
/// form opened.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Open {
    visit: RecordId,
    approve: bool,
    id: RecordId,
}

fn flags_line(v: &Visit) -> Html {
    let typed = v
        .flags
        .contains(&wenming_core::volunteer::ServiceFlag::Typed);
    let how = if typed { "手输" } else { "扫码" };
    html! {
        <ul class="flags" data-testid="visit-flags">
            <li class={classes!("flag", (!typed).then_some("ok"))}>{ how }</li>
            { for v.flags.iter().filter(|f| **f != wenming_core::volunteer::ServiceFlag::Typed).map(|f| html! {
                <li class="flag">{ f.name_zh() }</li>
            }) }
            if let Some(p) = &v.pass_problem { <li class="flag">{ p.clone() }</li> }
            if v.inside_geofence == Some(true) { <li class="flag ok">{ "在站点范围内" }</li> }
        </ul>
    }
}

#[function_component(Hours)]
pub fn hours() -> Html {
    let app = use_app();
    let list = use_state(|| None::<Result<(PendingList, bool), String>>);
    let mine = use_state(Vec::<Mine>::new);
    let open = use_state(|| None::<Open>);
    let minutes = use_state(String::new);
    let reason = use_state(String::new);
    let error = use_state(|| None::<String>);
    let busy = use_mut_ref(|| false);
    let last_sync = app.as_ref().and_then(|a| a.state.last_sync);
    let pending_count = app.as_ref().map_or(0, |a| a.state.outbox.pending.len());
    {
        let (app, list, mine) = (app.clone(), list.clone(), mine.clone());
        use_effect_with((last_sync, pending_count), move |_| {
            if let Some(app) = app {
                wasm_bindgen_futures::spawn_local(async move {
                    mine.set(crate::station::mine(&app).await);
                    list.set(Some(read_kept(
                        fetch_text_kept(&app, "pending_hours", "/hours/pending").await,
                    )));
                });
            }
        });
    }
    let Some(app) = app else { return html! {} };

    // My latest decision on a visit, and its state.
    let decided = |visit: &RecordId| -> Option<(SyncState, &Mine)> {
        let v = visit.to_string();
        mine.iter()
            .find(|m| {
                m.about == v
                    && (m.station_kind == kind::APPROVAL || m.station_kind == kind::REVOCATION)
            })
            .map(|m| (m.sync(&app), m))
    };

    let onconfirm = {
        let (app, open, minutes, reason, error, busy, mine, list) = (
            app.clone(),
            open.clone(),
            minutes.clone(),
            reason.clone(),
            error.clone(),
            busy.clone(),
            mine.clone(),
            list.clone(),
        );
        Callback::from(move |_| {
            let Some(o) = *open else { return };
            let visit = match &*list {
                Some(Ok((l, _))) => l.items.iter().find(|v| v.id == o.visit).cloned(),
                _ => None,
            };
            let Some(visit) = visit else { return };
            let typed = minutes.trim();
            // Only an approval has minutes; left as the visit's own, they are no correction.
            let corrected = if !o.approve
                || typed.is_empty()
                || (!visit.auto_closed() && typed == visit.minutes.to_string())
            {
                None
            } else {
                match typed.parse::<u32>() {
                    Ok(m) if (1..=24 * 60).contains(&m) => Some(m),
                    _ => return error.set(Some("核定时长应为 1 至 1440 之间的分钟数".to_owned())),
                }
            };
            if o.approve && visit.auto_closed() && corrected.is_none() {
                return error.set(Some(
                    "这次服务未签退、已自动结束，请填写核定的分钟数".to_owned(),
                ));
            }
            let why = if o.approve {
                String::new()
            } else {
                match check_reason(&reason) {
                    Ok(r) => r.to_owned(),
                    Err(m) => return error.set(Some(m)),
                }
            };
            if busy.replace(true) {
                return;
            }
            let (app, open, error, busy, mine) = (
                app.clone(),
                open.clone(),
                error.clone(),
                busy.clone(),
                mine.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let about = o.visit.to_string();
                let result = if o.approve {
                    let m = corrected.unwrap_or(visit.minutes);
                    let text = format!("核定 {} {}", visit.volunteer_name, minutes_zh(m));
                    let body = HoursApproval {
                        service_record: o.visit,
                        minutes: corrected,
                    };
                    save(&app, seal(o.id, &body), kind::APPROVAL, about, text).await
                } else {
                    let text = format!("撤销 {} 的服务时长：{why}", visit.volunteer_name);
                    let body = HoursRevocation {
                        service_record: o.visit,
                        reason: why,
                    };
                    save(&app, seal(o.id, &body), kind::REVOCATION, about, text).await
                };
                match result {
                    Ok(_) => {
                        open.set(None);
                        mine.set(crate::station::mine(&app).await);
                    }
                    Err(m) => error.set(Some(m)),
                }
                *busy.borrow_mut() = false;
            });
        })
    };

    let card = |v: &Visit| -> Html {
        let mine_state = decided(&v.id);
        if matches!(mine_state, Some((SyncState::Synced, _))) {
            // Decided and received: the next fetch no longer lists it.
            return html! {};
        }
        let waiting = matches!(
            mine_state,
            Some((SyncState::Pending | SyncState::Syncing, _))
        );
        let choose = |approve: bool| {
            let (open, minutes, reason, error, visit) = (
                open.clone(),
                minutes.clone(),
                reason.clone(),
                error.clone(),
                v.id,
            );
            let preset = if v.auto_closed() {
                String::new()
            } else {
                v.minutes.to_string()
            };
            Callback::from(move |_| {
                error.set(None);
                minutes.set(preset.clone());
                reason.set(String::new());
                // The record's id is made now, so a second tap saves nothing more.
                let (id, _) = ids::next();
                open.set(Some(Open { visit, approve, id }));
            })
        };
        let oncancel = {
            let open = open.clone();
            Callback::from(move |_| open.set(None))
        };
        let times = match (v.checked_out_at, v.auto_closed_at) {
            (Some(out), _) => format!("{} 至 {}", beijing(v.checked_in_at), beijing(out)),
            (None, Some(auto)) => format!(
                "{} 签到，未签退（{} 自动结束）",
                beijing(v.checked_in_at),
                beijing(auto)
            ),
            (None, None) => format!("{} 签到", beijing(v.checked_in_at)),
        };
        let form = open.filter(|o| o.visit == v.id).map(|o| {
            html! {
                <div class="confirm">
                    if o.approve {
                        { text_field(Kind::Numeric, if v.auto_closed() { "核定时长（分钟，必填）" } else { "核定时长（分钟，可更正）" }, "hours-minutes", &minutes, (*error).clone()) }
                    } else {
                        { text_field(Kind::Area, "撤销原因（志愿者会看到）", "hours-reason", &reason, (*error).clone()) }
                    }
                    <div class="buttons">
                        <button type="button" class="primary" data-testid="hours-confirm" onclick={onconfirm.clone()}>
                            { if o.approve { "确认核定" } else { "确认撤销" } }
                        </button>
                        <button type="button" class="secondary" onclick={oncancel}>{ "取消" }</button>
                    </div>
                </div>
            }
        });
        html! {
            <li class="card visit" data-testid="pending-visit" data-id={v.id.to_string()}>
                <div class="card-main">
                    <p class="name">{ v.volunteer_name.clone() }
                        if v.volunteer.is_none() { <span class="meta">{ "（未注册志愿者）" }</span> }
                    </p>
                    <p class="meta">{ format!("{} · {}", v.station_name, times) }</p>
                    <p class="meta">{ if v.auto_closed() { "时长：待核定".to_owned() } else { format!("时长：{}", minutes_zh(v.minutes)) } }</p>
                    { flags_line(v) }
                    if let Some(p) = v.position {
                        <p class="meta" data-testid="visit-position">{ format!("签到位置：{}", p.text()) }</p>
                    }
                    if let Some((SyncState::Rejected(why), _)) = &mine_state {
                        <p class="error" role="alert" data-testid="hours-rejected">{ format!("上次的审核被退回：{why}") }</p>
                    }
                    if let Some((s, _)) = mine_state.as_ref().filter(|_| waiting) {
                        <p>{ sync_badge(s, "hours-state") }</p>
                    } else if form.is_none() {
                        <div class="buttons decisions">
                            <button type="button" class="primary" data-testid="hours-approve" onclick={choose(true)}>{ "核定" }</button>
                            <button type="button" class="secondary" data-testid="hours-revoke" onclick={choose(false)}>{ "撤销" }</button>
                        </div>
                    }
                    { for form }
                </div>
            </li>
        }
    };

    let body = match &*list {
        None => html! { <p class="hint">{ "正在读取…" }</p> },
        Some(Err(m)) => html! { <p class="error" role="alert">{ m.clone() }</p> },
        Some(Ok((l, fresh))) => html! {
            <>
                { kept_note(*fresh) }
                if l.items.is_empty() {
                    <p class="hint" data-testid="hours-empty">{ "没有待审核的服务时长。" }</p>
                }
                <ul class="cards">{ for l.items.iter().map(card) }</ul>
            </>
        },
    };
    html! {
        <div class="hours">
            <h2>{ "待审核时长" }</h2>
            { body }
            <h2>{ "我的审核" }</h2>
            { my_list(&app, &mine, &[kind::APPROVAL, kind::REVOCATION], "my-decision") }
        </div>
    }
}
