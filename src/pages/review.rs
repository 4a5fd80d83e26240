//! 审核 (the village and street/town reviewers' tab): the applications in the device's
//! scope from the filings feed (offline too), filtered by state; one application's form,
//! charter, roster and trail; and the decisions core allows this level, each a
//! `filing_decision` record queued offline with its sync state shown.

use std::rc::Rc;

use wenming_core::filing::form::FilingDecision;
use wenming_core::filing::{transition, Actor, DEFAULT_NOTICE_DAYS};
use wenming_core::protocol::Role;
use wenming_core::{Level, RecordId};
use yew::prelude::*;

use crate::app::{Action, AppContext};
use crate::components::choice::{field, Kind, Spec};
use crate::components::filing_view::{submission_view, trail_list};
use crate::components::sync_status::{sync_panel, SyncPanelProps};
use crate::filing::wire::DecisionTag;
use crate::filing::{kind_zh, AppView, MyDecision, PlainDecision, StateTag};
use crate::hooks::use_app;
use crate::pages::archive::{area, ArchiveView};
use crate::photo::widgets::PhotoStrip;
use crate::store::Sealed;
use crate::{ids, time};

/// The level a role reviews at.
pub fn review_level(role: Role) -> Option<Level> {
    match role {
        Role::VillageReviewer => Some(Level::Village),
        Role::TownReviewer => Some(Level::Town),
        _ => None,
    }
}

/// The decisions core's state machine allows this level on the application now, unless a
/// decision at this level (this phone's or anyone's) is already on its current version.
fn allowed(app: &AppContext, level: Level, a: &AppView) -> Vec<DecisionTag> {
    let role = match level {
        Level::Village => Role::VillageReviewer,
        _ => Role::TownReviewer,
    };
    let decided = a
        .trail
        .iter()
        .any(|t| t.version == a.version && t.decision.is_some() && t.role == Some(role))
        || app.state.filings.my_decision(&a.version).is_some_and(|d| {
            !matches!(
                app.state.outbox.state_of(&d.id, &app.state.in_flight),
                crate::store::SyncState::Rejected(_)
            )
        });
    let Some(state) = a.state.to_core().filter(|_| !decided) else {
        return Vec::new();
    };
    let candidates: &[DecisionTag] = match level {
        Level::Village => &[DecisionTag::PassPreliminary, DecisionTag::Return],
        _ => &[
            DecisionTag::Approve,
            DecisionTag::Return,
            DecisionTag::Refuse,
        ],
    };
    candidates
        .iter()
        .copied()
        .filter(|kind| {
            let d = PlainDecision {
                kind: *kind,
                reason: Some("理由".to_owned()),
            };
            let next = transition(
                a.kind,
                &state,
                &d.to_core(),
                Actor::Reviewer(level),
                time::now(),
                DEFAULT_NOTICE_DAYS,
            );
            next.is_ok()
        })
        .collect()
}

/// Queues a decision on the application's current version: the record and its outbox
/// entry in one transaction.
async fn decide(
    app: &AppContext,
    a: &AppView,
    decision: PlainDecision,
) -> Result<MyDecision, String> {
    let (id, at) = ids::next();
    let body = FilingDecision {
        application: a.id,
        version: a.version,
        decision: decision.to_core(),
    };
    let envelope = Sealed::filing_decision(id, at, &body).map_err(|e| e.message_zh())?;
    let mine = MyDecision {
        id,
        application: a.id,
        version: a.version,
        decision,
        at: envelope.device_time,
    };
    app.store
        .save_decision(&mine, &envelope)
        .await
        .map_err(|e| e.message_zh())?;
    Ok(mine)
}

fn action_testid(kind: DecisionTag) -> &'static str {
    match kind {
        DecisionTag::PassPreliminary => "decision-pass",
        DecisionTag::Approve => "decision-approve",
        DecisionTag::Return => "decision-return",
        _ => "decision-refuse",
    }
}

#[derive(Debug, Clone, PartialEq)]
enum View {
    List,
    Detail(RecordId),
    Archive(RecordId, RecordId),
}

#[function_component(ReviewPage)]
pub fn review_page() -> Html {
    let app = use_app();
    let view = use_state(|| View::List);
    let filter = use_state(String::new);
    let choice = Choice {
        chosen: use_state(|| None),
        reason: use_state(String::new),
        error: use_state(|| None),
        busy: use_mut_ref(|| false),
    };
    let Some(app) = app else { return html! {} };
    let Some(level) = app.state.device.as_ref().and_then(|d| review_level(d.role)) else {
        return html! {};
    };
    match &*view {
        View::Detail(id) => {
            let Some(a) = app.state.filings.app(id).cloned() else {
                view.set(View::List);
                return html! {};
            };
            let onback = {
                let (view, chosen) = (view.clone(), choice.chosen.clone());
                Callback::from(move |_| {
                    chosen.set(None);
                    view.set(View::List)
                })
            };
            let onarchive = {
                let (view, id, org) = (view.clone(), a.id, a.organization);
                Callback::from(move |_| view.set(View::Archive(org, id)))
            };
            return detail(&app, &Rc::new(a), level, &choice, onback, onarchive);
        }
        View::Archive(org, id) => {
            let onback = {
                let (view, id) = (view.clone(), *id);
                Callback::from(move |_| view.set(View::Detail(id)))
            };
            return html! { <ArchiveView organization={*org} {onback} /> };
        }
        View::List => {}
    }

    let state = &app.state;
    let shown: Vec<(bool, &AppView)> = state
        .filings
        .apps
        .iter()
        .map(|a| (!allowed(&app, level, a).is_empty(), a))
        .filter(|(todo, a)| match filter.as_str() {
            "" => true,
            "todo" => *todo,
            f => a.state.state.as_str() == f,
        })
        .collect();
    // What waits for this reviewer first; the rest newest first as the feed keeps them.
    let rows: Vec<&(bool, &AppView)> = shown
        .iter()
        .filter(|(todo, _)| *todo)
        .chain(shown.iter().filter(|(todo, _)| !*todo))
        .collect();
    let mut options = vec![(AttrValue::from("todo"), AttrValue::from("待我处理"))];
    options.extend(
        StateTag::ALL[1..]
            .iter()
            .map(|s| (AttrValue::from(s.as_str()), AttrValue::from(s.name_zh()))),
    );
    let onfilter = {
        let filter = filter.clone();
        Callback::from(move |v: String| filter.set(v))
    };
    let onsync = {
        let sync = app.sync.clone();
        Callback::from(move |_| sync.now())
    };
    html! {
        <div class="review">
            { sync_panel(&SyncPanelProps {
                error: state.sync_error.clone().map(AttrValue::from),
                clock_offset_ms: state.clock_offset_ms,
                onsync,
            }) }
            { field(Spec::select("筛选", "review-filter", (*filter).clone(), options, onfilter).placeholder("全部")) }
            if rows.is_empty() {
                <p class="hint">{ "没有符合条件的申请。联网时会自动下载本辖区的备案申请。" }</p>
            }
            <ul class="cards">
                { for rows.iter().map(|(todo, a)| {
                    let onclick = {
                        let (view, id) = (view.clone(), a.id);
                        Callback::from(move |_| view.set(View::Detail(id)))
                    };
                    let place = area(&state.refdata, &a.submission.form.town, &a.submission.form.village);
                    html! {
                        <li class="card application clickable" data-testid="application" data-id={a.id.to_string()}
                            data-state={a.state.state.as_str()} {onclick} role="button" tabindex="0">
                            <div class="card-main">
                                <p class="name">{ a.submission.form.name.clone() }</p>
                                <p class="meta">{ format!("{} · {place}", kind_zh(a.kind)) }</p>
                                <p class="meta">{ a.state.label_zh() }</p>
                            </div>
                            if *todo {
                                <span class="badge pending">{ "待处理" }</span>
                            }
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

/// The detail view's state, kept by the page (one component less in the download).
struct Choice {
    /// The decision being confirmed.
    chosen: UseStateHandle<Option<DecisionTag>>,
    reason: UseStateHandle<String>,
    error: UseStateHandle<Option<String>>,
    /// Against a double tap saving twice.
    busy: Rc<std::cell::RefCell<bool>>,
}

fn detail(
    ctx: &AppContext,
    a: &Rc<AppView>,
    level: Level,
    c: &Choice,
    onback: Callback<()>,
    onarchive: Callback<()>,
) -> Html {
    let (chosen, reason, error, busy) = (
        c.chosen.clone(),
        c.reason.clone(),
        c.error.clone(),
        c.busy.clone(),
    );
    let actions = allowed(ctx, level, a);
    let mine = ctx.state.filings.my_decision(&a.version).cloned();

    let choose = |kind: DecisionTag| {
        let (chosen, error) = (chosen.clone(), error.clone());
        Callback::from(move |_| {
            error.set(None);
            chosen.set(Some(kind));
        })
    };
    let onconfirm = {
        let (chosen, reason, error, busy) =
            (chosen.clone(), reason.clone(), error.clone(), busy.clone());
        let (ctx, a) = (ctx.clone(), a.clone());
        Callback::from(move |_| {
            let Some(kind) = *chosen else { return };
            let needs_reason = matches!(kind, DecisionTag::Return | DecisionTag::Refuse);
            let decision = PlainDecision {
                kind,
                reason: needs_reason.then(|| reason.trim().to_owned()),
            };
            let check = a.state.to_core().map(|state| {
                transition(
                    a.kind,
                    &state,
                    &decision.to_core(),
                    Actor::Reviewer(level),
                    time::now(),
                    DEFAULT_NOTICE_DAYS,
                )
            });
            if let Some(Err(e)) = check {
                error.set(Some(e.to_string()));
                return;
            }
            if busy.replace(true) {
                return;
            }
            let (chosen, error, busy, ctx, a) = (
                chosen.clone(),
                error.clone(),
                busy.clone(),
                ctx.clone(),
                a.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match decide(&ctx, &a, decision).await {
                    Ok(mine) => {
                        ctx.state.dispatch(Action::Decided(mine));
                        ctx.sync.trigger();
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
    let back = Callback::from(move |_| onback.emit(()));
    let archive = Callback::from(move |_| onarchive.emit(()));
    let label = |kind: DecisionTag| PlainDecision { kind, reason: None }.to_core().action_zh();
    let place = area(
        &ctx.state.refdata,
        &a.submission.form.town,
        &a.submission.form.village,
    );
    let mine_html = mine.map(|d| {
        let sync = ctx.state.outbox.state_of(&d.id, &ctx.state.in_flight);
        html! {
            <div class="my-decision">
                <p>{ format!("我的决定（{}）：{}", time::format_local(d.at), d.decision.to_core().action_zh()) }
                    if let Some(r) = &d.decision.reason { { format!("，理由：{r}") } }
                </p>
                <p><span class={classes!("badge", sync.as_str())} data-testid="decision-state"
                    data-state={sync.as_str()}>{ sync.label_zh() }</span></p>
            </div>
        }
    });
    html! {
        <div class="review-detail">
            <div class="editor-head">
                <button type="button" class="link" onclick={back}>{ "‹ 返回列表" }</button>
                <button type="button" class="link" data-testid="open-archive" onclick={archive}>{ "档案" }</button>
            </div>
            <h2>{ a.submission.form.name.clone() }</h2>
            <p class="meta">{ format!("{}申请 · {place}", kind_zh(a.kind)) }</p>
            <p class="state-line" data-testid="application-state" data-state={a.state.state.as_str()}>
                { a.state.label_zh() }
            </p>
            { for mine_html }
            if let Some(kind) = *chosen {
                <div class="confirm">
                    <p><strong>{ format!("确认“{}”？", label(kind)) }</strong></p>
                    if matches!(kind, DecisionTag::Return | DecisionTag::Refuse) {
                        { field(Spec::new(Kind::Area, "理由（申请人会看到）", "decision-reason", (*reason).clone(), setreason)
                            .error((*error).clone().map(AttrValue::from))) }
                    } else if let Some(e) = &*error {
                        <p class="error" data-testid="field-error">{ e.clone() }</p>
                    }
                    <div class="buttons">
                        <button type="button" class="primary" data-testid="decision-confirm" onclick={onconfirm}>{ "确认" }</button>
                        <button type="button" class="secondary" onclick={oncancel}>{ "取消" }</button>
                    </div>
                </div>
            } else if !actions.is_empty() {
                <div class="buttons decisions">
                    { for actions.iter().map(|k| html! {
                        <button type="button" class={if *k == DecisionTag::Return || *k == DecisionTag::Refuse { "secondary" } else { "primary" }}
                            data-testid={action_testid(*k)} onclick={choose(*k)}>{ label(*k) }</button>
                    }) }
                </div>
            }
            { submission_view(&a.submission, &place) }
            // The signed pages and minutes the applicant attached: what a reviewer checks.
            <PhotoStrip photos={a.photos.clone()} />
            <h3>{ "办理记录" }</h3>
            { trail_list(&a.trail) }
        </div>
    }
}
