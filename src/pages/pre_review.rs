//! 报备 (the street/town reviewer's tab): the major-activity pre-reports of the town from the
//! pre-report feed (offline too), those waiting for an answer first, soonest activity first;
//! one pre-report's facts; and 同意 / 不同意（须填写理由）, queued offline as a
//! `pre_report_decision` record with its sync state shown. When another reviewer answered
//! first, the district refuses this one and the phone shows why (被退回).

use wenming_core::activity::{PreReportDecision, PreReportState, Verdict};
use wenming_core::RecordId;
use yew::prelude::*;

use crate::activity::wire::PreView;
use crate::activity::{Mine, What};
use crate::app::{Action, AppContext};
use crate::components::activity_view::{pre_report_facts, pre_state_line, sync_badge};
use crate::components::choice::{field, Kind, Spec};
use crate::components::sync_status::{sync_panel, SyncPanelProps};
use crate::hooks::use_app;
use crate::store::{Sealed, SyncState};
use crate::{ids, time};

/// Whether the pre-report still waits for this phone's answer: pending at the district, and
/// no answer of this phone that the district has not refused.
fn waiting(app: &AppContext, p: &PreView) -> bool {
    p.state == PreReportState::Pending
        && app.state.acts.my_decision(&p.id).is_none_or(|d| {
            matches!(
                d.sync(&app.state.outbox, &app.state.in_flight),
                Some(SyncState::Rejected(_))
            )
        })
}

/// Queues an answer: the record and its outbox entry in one transaction.
async fn decide(app: &AppContext, pre_report: RecordId, verdict: Verdict) -> Result<Mine, String> {
    let body = PreReportDecision {
        pre_report,
        verdict: verdict.clone(),
    };
    if let Some(p) = body.check().first() {
        return Err(p.message.clone());
    }
    let (id, at) = ids::next();
    let envelope = Sealed::pre_report_decision(id, at, &body).map_err(|e| e.message_zh())?;
    let mut mine = Mine::new(id, What::Decision);
    mine.input.set("pre_report", pre_report.to_string());
    match &verdict {
        Verdict::Approve => mine.input.set("verdict", "approve".to_owned()),
        Verdict::Refuse { reason } => {
            mine.input.set("verdict", "refuse".to_owned());
            mine.input.set("reason", reason.clone());
        }
    }
    mine.sent = Some(envelope.device_time);
    app.store
        .save_mine_sent(&mine, &envelope)
        .await
        .map_err(|e| e.message_zh())?;
    Ok(mine)
}

#[function_component(PreReviewPage)]
pub fn pre_review_page() -> Html {
    let app = use_app();
    let open = use_state(|| None::<RecordId>);
    // The answer being confirmed: Some(true) 同意, Some(false) 不同意.
    let chosen = use_state(|| None::<bool>);
    let reason = use_state(String::new);
    let error = use_state(|| None::<String>);
    let busy = use_mut_ref(|| false);
    let Some(app) = app else { return html! {} };
    let state = &app.state;

    if let Some(p) = open.and_then(|id| state.acts.pre_report(&id).cloned()) {
        let onback = {
            let (open, chosen) = (open.clone(), chosen.clone());
            Callback::from(move |_| {
                chosen.set(None);
                open.set(None);
            })
        };
        let choose = |approve: bool| {
            let (chosen, error) = (chosen.clone(), error.clone());
            Callback::from(move |_| {
                error.set(None);
                chosen.set(Some(approve));
            })
        };
        let onconfirm = {
            let (chosen, reason, error, busy, app) = (
                chosen.clone(),
                reason.clone(),
                error.clone(),
                busy.clone(),
                app.clone(),
            );
            let id = p.id;
            Callback::from(move |_| {
                let Some(approve) = *chosen else { return };
                let verdict = if approve {
                    Verdict::Approve
                } else {
                    Verdict::Refuse {
                        reason: reason.trim().to_owned(),
                    }
                };
                if busy.replace(true) {
                    return;
                }
                let (chosen, error, busy, app) =
                    (chosen.clone(), error.clone(), busy.clone(), app.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match decide(&app, id, verdict).await {
                        Ok(mine) => {
                            app.state.dispatch(Action::Mine(Box::new(mine)));
                            app.sync.trigger();
                            chosen.set(None);
                        }
                        Err(message) => error.set(Some(message)),
                    }
                    *busy.borrow_mut() = false;
                });
            })
        };
        let oncancel = {
            let chosen = chosen.clone();
            Callback::from(move |_| chosen.set(None))
        };
        let setreason = {
            let reason = reason.clone();
            Callback::from(move |v: String| reason.set(v))
        };
        let mine = state.acts.my_decision(&p.id).map(|d| {
            let sync = d.sync(&state.outbox, &state.in_flight);
            let verdict = if d.input.get("verdict") == "approve" { "同意" } else { "不同意" };
            let reason = d.input.get("reason");
            html! {
                <div class="my-decision">
                    <p>{ format!("我的决定（{}）：{verdict}", d.sent.map(time::format_local).unwrap_or_default()) }
                        if !reason.is_empty() { { format!("，理由：{reason}") } }
                    </p>
                    if let Some(s) = sync { <p>{ sync_badge(&s, "decision-state") }</p> }
                </div>
            }
        });
        return html! {
            <div class="review-detail">
                <div class="editor-head">
                    <button type="button" class="link" onclick={onback}>{ "‹ 返回列表" }</button>
                </div>
                <h2>{ p.pre_report.title.clone() }</h2>
                { pre_state_line(&p) }
                { for mine }
                if let Some(approve) = *chosen {
                    <div class="confirm">
                        <p><strong>{ if approve { "确认“同意”？" } else { "确认“不同意”？" } }</strong></p>
                        if !approve {
                            { field(Spec::new(Kind::Area, "理由（报告人会看到）", "pre-decision-reason", (*reason).clone(), setreason)
                                .error((*error).clone().map(AttrValue::from))) }
                        } else if let Some(e) = &*error {
                            <p class="error" data-testid="field-error">{ e.clone() }</p>
                        }
                        <div class="buttons">
                            <button type="button" class="primary" data-testid="pre-decision-confirm" onclick={onconfirm}>{ "确认" }</button>
                            <button type="button" class="secondary" onclick={oncancel}>{ "取消" }</button>
                        </div>
                    </div>
                } else if waiting(&app, &p) {
                    <div class="buttons decisions">
                        <button type="button" class="primary" data-testid="pre-approve" onclick={choose(true)}>{ "同意" }</button>
                        <button type="button" class="secondary" data-testid="pre-refuse" onclick={choose(false)}>{ "不同意" }</button>
                    </div>
                }
                { pre_report_facts(&p) }
            </div>
        };
    }

    let onsync = {
        let sync = app.sync.clone();
        Callback::from(move |_| sync.now())
    };
    // Waiting first, each group soonest activity first (the feed's order on the phone).
    let (todo, done): (Vec<&PreView>, Vec<&PreView>) = state
        .acts
        .pre_reports
        .iter()
        .partition(|p| waiting(&app, p));
    let card = |p: &PreView, todo: bool| {
        let onclick = {
            let (open, id) = (open.clone(), p.id);
            Callback::from(move |_| open.set(Some(id)))
        };
        html! {
            <li class="card clickable" data-testid="pre-report" data-id={p.id.to_string()} {onclick} role="button" tabindex="0">
                <div class="card-main">
                    <p class="name">{ p.pre_report.title.clone() }</p>
                    <p class="meta">{ format!("{} · {} · {}", p.pre_report.kind.name_zh(), p.village_name, time::format_local(p.pre_report.starts_at)) }</p>
                    { pre_state_line(p) }
                </div>
                if todo { <span class="badge pending">{ "待处理" }</span> }
            </li>
        }
    };
    html! {
        <div class="pre-review">
            { sync_panel(&SyncPanelProps {
                error: state.sync_error.clone().map(AttrValue::from),
                clock_offset_ms: state.clock_offset_ms,
                onsync,
            }) }
            <h2>{ "待审核的重大活动报告" }</h2>
            if todo.is_empty() {
                <p class="hint">{ "没有待审核的报告。联网时会自动下载本街道的重大活动报告。" }</p>
            }
            <ul class="cards">{ for todo.iter().map(|p| card(p, true)) }</ul>
            if !done.is_empty() {
                <h2>{ "已处理" }</h2>
                <ul class="cards">{ for done.iter().map(|p| card(p, false)) }</ul>
            }
        </div>
    }
}
