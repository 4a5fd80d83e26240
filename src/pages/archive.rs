//! 组织 and 档案: the organizations a device may see with a state filter (from the
//! filings feed on the phone, which brings every application the device may see), one
//! organization's archive — every application and version with its trail — and the print views of the
//! filing form (备案表) and of the filing certificate (备案证书).

use std::rc::Rc;

use wenming_core::filing::archive::OrganizationState;
use wenming_core::filing::ApplicationKind;
use wenming_core::{DivisionCode, RecordId};
use yew::prelude::*;

use crate::api;
use crate::app::AppContext;
use crate::components::choice::{field, Spec};
use crate::components::filing_view::{certificate, submission_view, trail_list, CertificateProps};
use crate::filing::draft::area_name;
use crate::filing::wire::{day_zh, Archive, ArchivedApp, DecisionTag, Summary, Version};
use crate::filing::{kind_zh, local_date, tag, AppView, StateTag};
use crate::hooks::use_app;
use crate::photo::widgets::PhotoStrip;
use crate::store::RefData;

/// "凤山街道复兴社区", from the pulled reference data.
pub fn area(refdata: &RefData, town: &DivisionCode, village: &DivisionCode) -> String {
    area_name(
        refdata.town_name(town).unwrap_or_default(),
        refdata
            .village(village.as_str())
            .map_or("", |v| v.name.as_str()),
    )
}

/// An organization's archive from the applications on the phone: each application's
/// latest version only, which is what the feed carries.
fn archive_from_feed(refdata: &RefData, apps: &[AppView], org: RecordId) -> Option<Archive> {
    let mut mine: Vec<&AppView> = apps.iter().filter(|a| a.organization == org).collect();
    mine.sort_unstable_by_key(|a| a.id);
    let filed = mine
        .iter()
        .rev()
        .find(|a| a.state.state == StateTag::Filed)
        .copied();
    let current = filed.or_else(|| mine.first().copied())?;
    let f = &current.submission.form;
    let state = if mine.iter().any(|a| a.state.state == StateTag::Terminated) {
        OrganizationState::Terminated
    } else if filed.is_some() {
        OrganizationState::Filed
    } else {
        current
            .state
            .to_core()
            .map_or(OrganizationState::PendingPreliminary, |s| {
                OrganizationState::of_initial(&s)
            })
    };
    let filed_on = mine
        .iter()
        .filter(|a| a.kind == ApplicationKind::Initial)
        .flat_map(|a| a.trail.iter())
        .find(|t| {
            t.decision
                .as_ref()
                .is_some_and(|d| d.kind == DecisionTag::EndNotice)
        })
        .map(|t| local_date(t.at));
    let applications = mine
        .iter()
        .map(|a| {
            let submitted = a
                .trail
                .iter()
                .rev()
                .find(|t| t.version == a.version && t.decision.is_none());
            ArchivedApp {
                id: a.id,
                kind: a.kind,
                state: a.state.clone(),
                version: a.version,
                versions: vec![Version {
                    id: a.version,
                    submitted_at: submitted.map_or(a.updated_at, |t| t.at),
                    person: submitted.map_or_else(String::new, |t| t.person.clone()),
                    submission: a.submission.clone(),
                    photos: a.photos.clone(),
                }],
                trail: a.trail.clone(),
            }
        })
        .collect();
    Some(Archive {
        organization: Summary {
            id: org,
            name: f.name.clone(),
            category: f.category,
            village: f.village.clone(),
            village_name: refdata
                .village(f.village.as_str())
                .map_or_else(String::new, |v| v.name.clone()),
            town: f.town.clone(),
            town_name: refdata.town_name(&f.town).unwrap_or_default().to_owned(),
            state,
            certificate: mine.iter().find_map(|a| a.certificate.clone()),
            filed_on,
        },
        filed_version: filed.map(|a| a.version),
        applications,
    })
}

/// The organizations on the phone (the feed brings every application the device may
/// see), most recently changed first.
fn summaries_from_feed(refdata: &RefData, apps: &[AppView]) -> Vec<Summary> {
    let mut orgs: Vec<RecordId> = Vec::new();
    for a in apps {
        if !orgs.contains(&a.organization) {
            orgs.push(a.organization);
        }
    }
    orgs.into_iter()
        .filter_map(|org| archive_from_feed(refdata, apps, org).map(|a| a.organization))
        .collect()
}

async fn token(app: &AppContext) -> Option<String> {
    app.store.session().await.ok().flatten().map(|s| s.token)
}

/// Who issues the certificate: "凤山街道办事处", "白马镇人民政府".
fn issuer(town_name: &str) -> String {
    if town_name.ends_with("街道") {
        format!("{town_name}办事处")
    } else if town_name.is_empty() {
        "街道办事处（乡镇人民政府）".to_owned()
    } else {
        format!("{town_name}人民政府")
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Mode {
    Archive,
    /// The filing form of one version, to print.
    Form(Rc<Version>),
    Certificate,
}

#[derive(Properties, PartialEq)]
pub struct ArchiveViewProps {
    pub organization: RecordId,
    pub onback: Callback<()>,
}

/// One organization's archive (档案), with its print views.
#[function_component(ArchiveView)]
pub fn archive_view(props: &ArchiveViewProps) -> Html {
    let app = use_app();
    // `None` while asking the district; then the archive and whether it is the phone's.
    let loaded = use_state(|| None::<Option<(Rc<Archive>, bool)>>);
    let mode = use_state(|| Mode::Archive);
    {
        let (app, loaded, org) = (app.clone(), loaded.clone(), props.organization);
        use_effect_with(org, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let Some(app) = app else { return };
                let online = match token(&app).await {
                    Some(token) if crate::browser::is_online() => {
                        api::filings::archive(&token, org).await.ok()
                    }
                    _ => None,
                };
                let found = match online {
                    Some(archive) => Some((Rc::new(archive), false)),
                    None => archive_from_feed(&app.state.refdata, &app.state.filings.apps, org)
                        .map(|a| (Rc::new(a), true)),
                };
                loaded.set(Some(found));
            });
        });
    }
    let back = {
        let onback = props.onback.clone();
        Callback::from(move |_| onback.emit(()))
    };
    let Some(found) = &*loaded else {
        return html! { <p class="info" role="status">{ "正在读取档案…" }</p> };
    };
    let Some((archive, offline)) = found.clone() else {
        return html! {
            <div>
                <p class="notice error">{ "找不到该组织的档案。" }</p>
                <button type="button" class="link" onclick={back}>{ "‹ 返回" }</button>
            </div>
        };
    };
    let o = &archive.organization;
    let place = area_name(&o.town_name, &o.village_name);
    let to = |m: Mode| {
        let mode = mode.clone();
        Callback::from(move |_| mode.set(m.clone()))
    };
    let print = Callback::from(|_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    let print_bar = |title: &str| {
        html! {
            <div class="print-bar noprint">
                <button type="button" class="link" onclick={to(Mode::Archive)}>{ "‹ 返回档案" }</button>
                <button type="button" class="primary" data-testid="print-now" onclick={print.clone()}>{ format!("打印{title}") }</button>
            </div>
        }
    };
    // The version on file: its form is printed with the certificate.
    let filed = archive
        .applications
        .iter()
        .flat_map(|a| a.versions.iter())
        .find(|v| Some(v.id) == archive.filed_version)
        .or_else(|| archive.applications.last().and_then(|a| a.versions.last()));

    match &*mode {
        Mode::Form(version) => {
            return html! {
                <div class="print-page">
                    { print_bar("备案表") }
                    <div class="print-sheet">
                        <h1>{ "社区社会组织备案表" }</h1>
                        { submission_view(&version.submission, &place) }
                        <p class="sign">{ "负责人（签字）：　　　　　　　村（居）委会初审意见（盖章）：　　　　　　　街道（乡镇）审核意见（盖章）：" }</p>
                    </div>
                </div>
            };
        }
        Mode::Certificate => {
            let leader =
                filed.map_or_else(String::new, |v| v.submission.form.leader.name.to_string());
            return html! {
                <div class="print-page">
                    { print_bar("证书") }
                    { certificate(&CertificateProps {
                        name: o.name.clone(),
                        category: o.category.name_zh(),
                        area: place,
                        leader,
                        number: o.certificate.as_ref().map_or_else(String::new, |c| c.to_string()),
                        issuer: issuer(&o.town_name),
                        date: o.filed_on.as_ref().map_or_else(String::new, day_zh),
                    }) }
                </div>
            };
        }
        Mode::Archive => {}
    }

    html! {
        <div class="archive" data-testid="archive" data-id={o.id.to_string()}>
            <button type="button" class="link" onclick={back}>{ "‹ 返回" }</button>
            <h2>{ o.name.clone() }</h2>
            <p class="meta">{ format!("{} · {place}", o.category.name_zh()) }</p>
            <p class="state-line" data-state={tag(&o.state)}>{ o.state.name_zh() }
                if let Some(c) = &o.certificate { { format!("　证书编号 {c}") } }
            </p>
            if offline {
                <p class="hint">{ "离线：显示本机已同步的数据，每份申请只有最新版本。" }</p>
            }
            <div class="buttons">
                if o.certificate.is_some() && o.filed_on.is_some() && o.state == OrganizationState::Filed {
                    <button type="button" class="primary" data-testid="print-certificate"
                        onclick={to(Mode::Certificate)}>{ "备案证书" }</button>
                }
                if let Some(v) = filed {
                    <button type="button" class="secondary" data-testid="print-form"
                        onclick={to(Mode::Form(Rc::new(v.clone())))}>{ "打印备案表" }</button>
                }
            </div>
            { for archive.applications.iter().rev().map(|a| html! {
                <section class="archived">
                    <h3>{ format!("{}申请：{}", kind_zh(a.kind), a.state.label_zh()) }</h3>
                    { for a.versions.iter().enumerate().map(|(i, v)| {
                        let shown = Rc::new(v.clone());
                        html! {
                            <details class="version" open={i + 1 == a.versions.len()}>
                                <summary>{ format!("第 {} 版 · {} {}", i + 1, crate::time::format_local(v.submitted_at), v.person) }</summary>
                                <button type="button" class="secondary small" onclick={to(Mode::Form(shown))}>{ "打印此版备案表" }</button>
                                { submission_view(&v.submission, &place) }
                                <PhotoStrip photos={v.photos.clone()} />
                            </details>
                        }
                    }) }
                    <h4>{ "办理记录" }</h4>
                    { trail_list(&a.trail) }
                </section>
            }) }
        </div>
    }
}

#[function_component(OrgsPage)]
pub fn orgs_page() -> Html {
    let app = use_app();
    let filter = use_state(String::new);
    let open = use_state(|| None::<RecordId>);
    let Some(app) = app else { return html! {} };
    if let Some(org) = *open {
        let onback = {
            let open = open.clone();
            Callback::from(move |_| open.set(None))
        };
        return html! { <ArchiveView organization={org} {onback} /> };
    }
    let wanted = OrganizationState::parse(&filter);
    let mut items = summaries_from_feed(&app.state.refdata, &app.state.filings.apps);
    items.retain(|s| wanted.is_none_or(|w| s.state == w));
    let options = OrganizationState::ALL
        .iter()
        .map(|s| (AttrValue::from(s.as_str()), AttrValue::from(s.name_zh())))
        .collect();
    let onfilter = {
        let filter = filter.clone();
        Callback::from(move |v: String| filter.set(v))
    };
    html! {
        <div class="orgs">
            { field(Spec::select("状态", "org-filter", (*filter).clone(), options, onfilter).placeholder("全部")) }
            if items.is_empty() {
                <p class="hint">{ "没有符合条件的组织。联网时会自动下载本辖区的组织。" }</p>
            }
            <ul class="cards">
                { for items.iter().map(|s| {
                    let onclick = {
                        let (open, id) = (open.clone(), s.id);
                        Callback::from(move |_| open.set(Some(id)))
                    };
                    html! {
                        <li class="card clickable" data-testid="organization" data-id={s.id.to_string()}
                            data-state={s.state.as_str()} {onclick} role="button" tabindex="0">
                            <div class="card-main">
                                <p class="name">{ s.name.clone() }</p>
                                <p class="meta">{ format!("{} · {}", s.category.name_zh(), area_name(&s.town_name, &s.village_name)) }</p>
                                <p class="meta">{ s.state.name_zh() }
                                    if let Some(c) = &s.certificate { { format!("　{c}") } }
                                </p>
                            </div>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}
