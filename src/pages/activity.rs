//! 活动 (the station staff's tab, and the organization leader's): my activity reports and
//! major-activity pre-reports with their sync state and the street/town's answer, drafts to
//! continue, the editors of each (offline, saved as typed), and the summary periods open
//! for a summary report (总结报告).

mod editor;

use std::rc::Rc;

use yew::prelude::*;

use crate::activity::wire::PlainPeriod;
use crate::activity::{Mine, What};
use crate::app::{Action, AppContext};
use crate::components::activity_view::{pre_state_line, sync_badge};
use crate::components::sync_status::{sync_panel, SyncPanelProps};
use crate::hooks::use_app;
use crate::store::SyncState;
use crate::{api, time};
pub use editor::figures_table;
use editor::{new_pre_report, new_report, new_summary, ActEditor};

/// The station the device reports for: its village's.
fn my_station(app: &AppContext) -> String {
    let Some(device) = app.state.device.as_ref() else {
        return String::new();
    };
    app.state
        .refdata
        .stations
        .iter()
        .find(|s| device.scope.contains(s.code.village()))
        .map(|s| s.code.to_string())
        .unwrap_or_else(|| device.scope.to_string())
}

/// The summary periods as the district lists them, fetched when the tab opens.
#[derive(Debug, Clone, PartialEq)]
enum Periods {
    Loading,
    Got(Rc<Vec<PlainPeriod>>),
    Failed(String),
}

#[function_component(ActivityPage)]
pub fn activity_page() -> Html {
    let app = use_app();
    let editing = use_state(|| None::<Rc<Mine>>);
    let notice = use_state(|| None::<&'static str>);
    let periods = use_state(|| Periods::Loading);
    {
        let (app, periods) = (app.clone(), periods.clone());
        use_effect_with((), move |_| {
            if let Some(app) = app {
                wasm_bindgen_futures::spawn_local(async move {
                    let token = match app.store.session().await {
                        Ok(Some(s)) => s.token,
                        _ => return,
                    };
                    periods.set(match api::activity::periods(&token).await {
                        Ok(p) => {
                            let open: Vec<_> = p
                                .periods
                                .into_iter()
                                .filter(|x| x.due_at > p.server_time)
                                .collect();
                            Periods::Got(Rc::new(open))
                        }
                        Err(e) => Periods::Failed(e.message_zh()),
                    });
                });
            }
        });
    }
    let Some(app) = app else { return html! {} };

    let open = {
        let (editing, notice) = (editing.clone(), notice.clone());
        Callback::from(move |m: Mine| {
            notice.set(None);
            editing.set(Some(Rc::new(m)));
        })
    };
    if let Some(m) = &*editing {
        let onclose = {
            let (editing, notice) = (editing.clone(), notice.clone());
            Callback::from(move |sent: bool| {
                notice.set(sent.then_some("已提交。联网后会自动上传。"));
                editing.set(None);
            })
        };
        return html! { <ActEditor key={m.id.to_string()} mine={(**m).clone()} {onclose} /> };
    }

    let state = &app.state;
    let station = my_station(&app);
    // Only a station admin reports a station's summary (an organization's is its own).
    let summarizes = state
        .device
        .as_ref()
        .is_some_and(|d| d.role == wenming_core::protocol::Role::StationAdmin);
    let person = state
        .device
        .as_ref()
        .map(|d| d.person.clone())
        .unwrap_or_default();
    let onsync = {
        let sync = app.sync.clone();
        Callback::from(move |_| sync.now())
    };
    let start = |make: Rc<dyn Fn() -> Mine>| {
        let open = open.clone();
        Callback::from(move |_| open.emit(make()))
    };
    let new_report_cb = {
        let s = station.clone();
        start(Rc::new(move || new_report(&s)))
    };
    let new_pre_cb = {
        let (s, p) = (station.clone(), person.clone());
        start(Rc::new(move || new_pre_report(&s, &p)))
    };
    let mine_of = |what: What| -> Vec<&Mine> {
        state
            .acts
            .mine
            .iter()
            .rev()
            .filter(|m| m.what == what)
            .collect()
    };
    let row = |m: &Mine| {
        let sync = m.sync(&state.outbox, &state.in_flight);
        let feed = (m.what == What::PreReport)
            .then(|| state.acts.pre_report(&m.id))
            .flatten();
        let when = crate::activity::parse_local(m.input.get("starts_at"))
            .map(time::format_local)
            .unwrap_or_default();
        let title = if m.what == What::Summary {
            format!("总结报告：{}", m.input.get("period_name"))
        } else {
            m.title()
        };
        let edit = sync.is_none().then(|| {
            let (open, m) = (open.clone(), m.clone());
            let onclick = Callback::from(move |_| open.emit(m.clone()));
            html! { <button type="button" class="secondary" data-testid="act-continue" {onclick}>{ "继续填写" }</button> }
        });
        // A record the district refused may be written again, as a new record.
        let again = matches!(sync, Some(SyncState::Rejected(_))).then(|| {
            let (open, m) = (open.clone(), m.clone());
            let onclick = Callback::from(move |_| {
                let mut copy = m.clone();
                copy.id = crate::ids::next().0;
                copy.sent = None;
                open.emit(copy);
            });
            html! { <button type="button" class="secondary" {onclick}>{ "修改后重新提交" }</button> }
        });
        let discard = sync.is_none().then(|| {
            let (app, m) = (app.clone(), m.clone());
            let onclick = Callback::from(move |_| {
                let (app, m) = (app.clone(), m.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    if app.store.delete_draft(&m).await.is_ok() {
                        if let Ok(acts) = app.store.acts().await {
                            app.state.dispatch(Action::ActsReloaded(Box::new(acts)));
                        }
                    }
                });
            });
            html! { <button type="button" class="link" {onclick}>{ "删除草稿" }</button> }
        });
        html! {
            <li class="card act" data-testid={match m.what { What::PreReport => "my-pre-report", What::Summary => "my-summary", _ => "my-report" }}
                data-id={m.id.to_string()}>
                <div class="card-main">
                    <p class="name">{ title }</p>
                    if !when.is_empty() { <p class="meta">{ when }</p> }
                    if let Some(p) = feed {
                        { pre_state_line(p) }
                    } else if m.what == What::PreReport && m.sent.is_some() && !matches!(sync, Some(SyncState::Rejected(_))) {
                        <p class="meta"><strong data-testid="pre-report-state" data-state="sent">{ "已报告，等待街道审核" }</strong></p>
                    }
                    {
                        match &sync {
                            Some(s) => sync_badge(s, "act-sync"),
                            None => html! { <span class="badge draft" data-testid="act-sync" data-state="draft">{ "草稿" }</span> },
                        }
                    }
                    <div class="buttons">{ for edit }{ for again }{ for discard }</div>
                </div>
            </li>
        }
    };
    let summaries = match &*periods {
        Periods::Loading => html! { <p class="hint">{ "正在读取统计期…" }</p> },
        Periods::Failed(message) => {
            html! { <p class="hint">{ format!("暂时无法读取统计期（{message}）。联网后再打开本页。") }</p> }
        }
        Periods::Got(list) if list.is_empty() => {
            html! { <p class="hint">{ "目前没有需要报送的总结报告。" }</p> }
        }
        Periods::Got(list) => html! {
            <ul class="cards">
                { for list.iter().map(|p| {
                    let done = state.acts.mine.iter().any(|m| m.what == What::Summary && m.input.get("period") == p.id.to_string()
                        && !matches!(m.sync(&state.outbox, &state.in_flight), Some(SyncState::Rejected(_))));
                    let onclick = {
                        let (open, s, p) = (open.clone(), station.clone(), p.clone());
                        Callback::from(move |_| open.emit(new_summary(&s, &p)))
                    };
                    html! {
                        <li class="card" data-testid="summary-period">
                            <div class="card-main">
                                <p class="name">{ p.name.clone() }</p>
                                <p class="meta">{ format!("{} 至 {}，{} 前报送", date(&p.from), date(&p.to), date(&p.deadline)) }</p>
                                if !done {
                                    <button type="button" class="primary" data-testid="summary-write" {onclick}>{ "填写总结报告" }</button>
                                }
                            </div>
                        </li>
                    }
                }) }
            </ul>
        },
    };
    html! {
        <div class="activity">
            if let Some(text) = *notice {
                <p class="notice ok" role="status">{ text }</p>
            }
            { sync_panel(&SyncPanelProps {
                error: state.sync_error.clone().map(AttrValue::from),
                clock_offset_ms: state.clock_offset_ms,
                onsync,
            }) }
            <div class="buttons stack">
                <button type="button" class="primary big" data-testid="act-new-report" onclick={new_report_cb}>{ "＋ 新建活动报告" }</button>
                <button type="button" class="secondary" data-testid="act-new-pre-report" onclick={new_pre_cb}>{ "＋ 重大活动报告（事先报告）" }</button>
            </div>
            <h2>{ "重大活动报告" }</h2>
            <ul class="cards">{ for mine_of(What::PreReport).into_iter().map(row) }</ul>
            <h2>{ "我的活动报告" }</h2>
            if mine_of(What::Report).is_empty() {
                <p class="hint">{ "还没有活动报告。" }</p>
            }
            <ul class="cards">{ for mine_of(What::Report).into_iter().map(row) }</ul>
            if summarizes {
                <h2>{ "总结报告" }</h2>
                { summaries }
                <ul class="cards">{ for mine_of(What::Summary).into_iter().map(row) }</ul>
            }
        </div>
    }
}

fn date(d: &chrono::NaiveDate) -> String {
    crate::filing::wire::date::write(d)
}
