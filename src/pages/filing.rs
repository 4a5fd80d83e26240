//! 备案 (the organization leader's tab): 我的组织, each application with its state from
//! the filings feed or, until the district has it, from this phone; the editor of a new
//! filing, of one sent back (退回修改), of a change filing (变更备案) or of a termination
//! (终止); and a filed organization's archive and certificate.

mod editor;

use std::rc::Rc;

use wenming_core::filing::ApplicationKind;
use wenming_core::{Level, RecordId};
use yew::prelude::*;

use crate::app::AppContext;
use crate::components::sync_status::{sync_panel, SyncPanelProps};
use crate::filing::{kind_zh, Draft, LeaderRow, StateTag};
use crate::hooks::use_app;
use crate::ids;
use crate::pages::archive::ArchiveView;
use editor::FilingEditor;

#[derive(Debug, Clone, PartialEq)]
enum View {
    List,
    Edit(Rc<Draft>),
    Archive(RecordId),
}

/// What the tab opens on: a draft left open, else a new filing if there is nothing yet.
fn first_view(app: &AppContext) -> View {
    let filings = &app.state.filings;
    if let Some(d) = filings.drafts.iter().rev().find(|d| d.open) {
        return View::Edit(Rc::new(d.clone()));
    }
    if filings.drafts.is_empty() && filings.apps.is_empty() {
        if let Some(draft) = new_draft(app) {
            return View::Edit(Rc::new(draft));
        }
    }
    View::List
}

/// A new first filing in the leader's village, with new organization and application ids.
fn new_draft(app: &AppContext) -> Option<Draft> {
    let device = app.state.device.as_ref()?;
    let village = (device.scope.level() == Level::Village).then_some(&device.scope)?;
    let (organization, _) = ids::next();
    let (application, _) = ids::next();
    Some(Draft::new(organization, application, village))
}

#[function_component(FilingPage)]
pub fn filing_page() -> Html {
    let app = use_app();
    let view = {
        let app = app.clone();
        use_state(move || app.as_ref().map_or(View::List, first_view))
    };
    let notice = use_state(|| None::<&'static str>);
    let Some(app) = app else { return html! {} };

    let open = {
        let (view, notice, app) = (view.clone(), notice.clone(), app.clone());
        Callback::from(move |draft: Option<Draft>| {
            notice.set(None);
            if let Some(draft) = draft.or_else(|| new_draft(&app)) {
                view.set(View::Edit(Rc::new(draft)));
            }
        })
    };
    match &*view {
        View::Edit(draft) => {
            let onclose = {
                let (view, notice) = (view.clone(), notice.clone());
                Callback::from(move |sent: bool| {
                    notice.set(sent.then_some("已提交。联网后会自动上传，审核进度见下方。"));
                    view.set(View::List);
                })
            };
            return html! { <FilingEditor key={draft.application.to_string()} draft={(**draft).clone()} {onclose} /> };
        }
        View::Archive(org) => {
            let onback = {
                let view = view.clone();
                Callback::from(move |_| view.set(View::List))
            };
            return html! { <ArchiveView organization={*org} {onback} /> };
        }
        View::List => {}
    }

    let state = &app.state;
    let rows = state.filings.leader_rows(&state.outbox, &state.in_flight);
    let onsync = {
        let sync = app.sync.clone();
        Callback::from(move |_| sync.now())
    };
    let onnew = {
        let open = open.clone();
        Callback::from(move |_| open.emit(None))
    };
    html! {
        <div class="filing">
            if let Some(text) = *notice {
                <p class="notice ok" role="status">{ text }</p>
            }
            { sync_panel(&SyncPanelProps {
                error: state.sync_error.clone().map(AttrValue::from),
                clock_offset_ms: state.clock_offset_ms,
                onsync,
            }) }
            <button type="button" class="primary" data-testid="filing-new" onclick={onnew}>{ "＋ 新的备案申请" }</button>
            <h2>{ "我的组织" }</h2>
            if rows.is_empty() {
                <p class="hint">{ "还没有备案申请。" }</p>
            }
            <ul class="cards">
                { for rows.iter().map(|r| row(&app, r, &open, &view)) }
            </ul>
        </div>
    }
}

fn row(
    app: &AppContext,
    r: &LeaderRow<'_>,
    open: &Callback<Option<Draft>>,
    view: &UseStateHandle<View>,
) -> Html {
    let filings = &app.state.filings;
    let state = r.state.state;
    let edit = r.editable.then(|| {
        let draft = filings
            .draft(&r.id)
            .cloned()
            .or_else(|| r.app.map(|a| Draft::of(a.kind, a.id, &a.submission)));
        let open = open.clone();
        let label = if state == StateTag::Draft && r.sync.is_none() { "继续填写" } else { "修改后重新提交" };
        let onclick = Callback::from(move |_| {
            if let Some(mut d) = draft.clone() {
                d.open = true;
                open.emit(Some(d));
            }
        });
        html! { <button type="button" class="secondary" data-testid="filing-edit" {onclick}>{ label }</button> }
    });
    // A filed organization: its archive, and a change or a termination when none is open.
    // Its latest facts on file, on that application's row only.
    let filed = r.app.filter(|a| {
        filings
            .on_file(&a.organization)
            .is_some_and(|f| f.id == a.id)
    });
    let actions = filed.map(|a| {
        let org = a.organization;
        let onarchive = {
            let view = view.clone();
            Callback::from(move |_| view.set(View::Archive(org)))
        };
        let start = |kind: ApplicationKind| {
            let (open, s) = (open.clone(), a.submission.clone());
            Callback::from(move |_| {
                let (application, _) = ids::next();
                open.emit(Some(Draft::of(kind, application, &s)))
            })
        };
        let free = !filings.busy(&org);
        html! {
            <div class="buttons">
                <button type="button" class="secondary" data-testid="filing-archive" onclick={onarchive}>{ "档案与证书" }</button>
                if free {
                    <button type="button" class="secondary" data-testid="filing-change"
                        onclick={start(ApplicationKind::Change)}>{ "变更备案" }</button>
                    <button type="button" class="secondary" data-testid="filing-terminate"
                        onclick={start(ApplicationKind::Termination)}>{ "申请终止" }</button>
                }
            </div>
        }
    });
    let certificate = r
        .app
        .and_then(|a| a.certificate.as_ref())
        .filter(|_| state == StateTag::Filed);
    let reason = r
        .state
        .reason
        .clone()
        .filter(|_| state == StateTag::Returned);
    html! {
        <li class="card application" data-testid="my-application" data-id={r.id.to_string()}
            data-state={state.as_str()}>
            <div class="card-main">
                <p class="name">{ r.name.clone() }</p>
                <p class="meta">{ kind_zh(r.kind) }{ "：" }
                    <strong data-testid="filing-state">{ r.state.state.name_zh() }</strong>
                    if let Some(until) = r.state.until.filter(|_| state == StateTag::PublicNotice) {
                        { format!("（至 {}）", crate::filing::wire::date_zh(until)) }
                    }
                    if state == StateTag::Refused {
                        { format!("（{}）", r.state.reason.clone().unwrap_or_default()) }
                    }
                </p>
                if let Some(reason) = reason {
                    <p class="reason">{ "退回原因：" }<span data-testid="return-reason">{ reason }</span></p>
                }
                if let Some(number) = certificate {
                    <p class="meta">{ "备案证书编号 " }<strong data-testid="filing-certificate">{ number.to_string() }</strong></p>
                }
                if let Some(sync) = &r.sync {
                    <p><span class={classes!("badge", sync.as_str())} data-testid="filing-sync">{ sync.label_zh() }</span></p>
                }
                { for edit }
                { for actions }
            </div>
        </li>
    }
}
