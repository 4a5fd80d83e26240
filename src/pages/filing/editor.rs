//! The leader's editor of one application: the filing form, the charter offered as core's
//! template with every section editable, the member roster, and for a termination the
//! members' meeting vote. Every input is saved at once (one IndexedDB put); 提交 checks
//! with core and queues a `filing_submit` envelope with the draft in one transaction.

use std::rc::Rc;

use chrono::Datelike;
use wenming_core::filing::charter::Section;
use wenming_core::filing::people::{Gender, Member, PoliticalStatus};
use wenming_core::filing::{ApplicationKind, Category};
use wenming_core::DivisionCode;
use yew::prelude::*;

use crate::app::{Action, AppContext};
use crate::components::choice::{error, select, text_area, SelectProps, TextAreaProps};
use crate::components::field::Field;
use crate::components::roster::RosterEditor;
use crate::filing::draft::{area_name, Sent};
use crate::filing::{kind_zh, tag, today, Draft, FieldErrors};
use crate::hooks::use_app;
use crate::ids;
use crate::store::{RefData, Sealed};

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The draft as it was when the editor opened; the editor owns it from then on.
    pub draft: Draft,
    /// Back to the list: after a submission (`true`) or without one.
    pub onclose: Callback<bool>,
}

/// The area the charter template names: "凤山街道复兴社区".
fn area_of(refdata: &RefData, draft: &Draft) -> String {
    let town = DivisionCode::parse(&draft.form.town)
        .ok()
        .and_then(|t| refdata.town_name(&t).map(str::to_owned))
        .unwrap_or_default();
    let village = refdata
        .village(&draft.form.village)
        .map(|v| v.name.clone())
        .unwrap_or_default();
    area_name(&town, &village)
}

/// Saves a submission: a new version id, the envelope and the draft in one transaction.
async fn submit(app: &AppContext, draft: &mut Draft, area: &str) -> Result<(), FieldErrors> {
    let submission = draft.build(today(), area)?;
    let (id, at) = ids::next();
    let fail = |message: String| FieldErrors(vec![("submit", message)]);
    let envelope = Sealed::filing_submit(id, at, &submission).map_err(|e| fail(e.message_zh()))?;
    let mut sent = draft.clone();
    sent.sent = Some(Sent {
        version: id,
        at: envelope.device_time,
    });
    sent.open = false;
    app.store
        .save_submission(&sent, &envelope)
        .await
        .map_err(|e| fail(e.message_zh()))?;
    *draft = sent;
    Ok(())
}

#[function_component(FilingEditor)]
pub fn filing_editor(props: &EditorProps) -> Html {
    let app = use_app();
    let draft = use_mut_ref(|| props.draft.clone());
    let errors = use_state(|| None::<FieldErrors>);
    let busy = use_mut_ref(|| false);
    let update = use_force_update();
    {
        // Leaving the screen (another tab) hands the latest draft to the app's state.
        let (draft, app) = (draft.clone(), app.clone());
        use_effect_with((), move |_| {
            move || {
                if let Some(app) = app {
                    app.state
                        .dispatch(Action::Draft(Box::new(draft.borrow().clone())));
                }
            }
        });
    }
    let Some(app) = app else { return html! {} };
    let refdata = app.state.refdata.clone();

    // Every change: the draft in memory, one put, a new render; errors shown are renewed.
    let change = {
        let (draft, app, errors, update) =
            (draft.clone(), app.clone(), errors.clone(), update.clone());
        let refdata = refdata.clone();
        Callback::from(move |edit: Box<dyn FnOnce(&mut Draft)>| {
            let saved = {
                let mut d = draft.borrow_mut();
                d.open = true;
                edit(&mut d);
                d.clone()
            };
            if errors.is_some() {
                let area = area_of(&refdata, &saved);
                errors.set(Some(saved.build(today(), &area).err().unwrap_or_default()));
            }
            let store = app.store.clone();
            wasm_bindgen_futures::spawn_local(async move {
                // A failed put leaves the draft in memory; the next input tries again.
                let _ = store.save_draft(&saved).await;
            });
            update.force_update();
        })
    };
    let set = |key: &'static str| {
        let change = change.clone();
        Callback::from(move |v: String| {
            change.emit(Box::new(move |d: &mut Draft| {
                if key == "town" && d.form.town != v {
                    d.form.village.clear();
                }
                d.form.set(key, v);
            }))
        })
    };
    let set_vote = |key: &'static str| {
        let change = change.clone();
        Callback::from(move |v: String| {
            change.emit(Box::new(move |d: &mut Draft| d.vote.set(key, v)))
        })
    };
    let onroster = {
        let change = change.clone();
        Callback::from(move |members: Rc<Vec<Member>>| {
            change.emit(Box::new(move |d: &mut Draft| d.roster = members))
        })
    };
    let onsubmit = {
        let (draft, app, errors, busy) = (draft.clone(), app.clone(), errors.clone(), busy.clone());
        let (refdata, onclose) = (refdata.clone(), props.onclose.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if busy.replace(true) {
                return;
            }
            let (draft, app, errors, busy) =
                (draft.clone(), app.clone(), errors.clone(), busy.clone());
            let (refdata, onclose) = (refdata.clone(), onclose.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let mut d = draft.borrow().clone();
                let area = area_of(&refdata, &d);
                match submit(&app, &mut d, &area).await {
                    Ok(()) => {
                        let version = d.sent.as_ref().map(|s| s.version);
                        *draft.borrow_mut() = d.clone();
                        app.state.dispatch(Action::Draft(Box::new(d)));
                        if let Some(version) = version {
                            app.state.dispatch(Action::Queued(version));
                        }
                        app.sync.trigger();
                        onclose.emit(true);
                    }
                    Err(e) => errors.set(Some(e)),
                }
                *busy.borrow_mut() = false;
            });
        })
    };
    let onback = {
        let (change, onclose) = (change.clone(), props.onclose.clone());
        Callback::from(move |_| {
            // Back to the list on purpose: the draft waits there, not in the editor.
            change.emit(Box::new(|d: &mut Draft| d.open = false));
            onclose.emit(false);
        })
    };

    let d = draft.borrow();
    let f = &d.form;
    let errs = (*errors).clone().unwrap_or_default();
    let err = |key: &str| errs.get(key).map(|m| AttrValue::from(m.to_owned()));
    let v = |s: &String| AttrValue::from(s.clone());
    let opt =
        |value: String, label: &str| (AttrValue::from(value), AttrValue::from(label.to_owned()));
    let categories: Vec<_> = Category::ALL
        .iter()
        .map(|c| opt(tag(c), c.name_zh()))
        .collect();
    let towns: Vec<_> = refdata
        .towns
        .iter()
        .map(|t| opt(t.code.to_string(), &t.name))
        .collect();
    let villages: Vec<_> = refdata
        .villages
        .iter()
        .filter(|v| v.town.as_str() == f.town)
        .map(|v| opt(v.code.to_string(), &v.name))
        .collect();
    let genders: Vec<_> = [Gender::Male, Gender::Female]
        .iter()
        .map(|g| opt(tag(g), g.name_zh()))
        .collect();
    let statuses: Vec<_> = PoliticalStatus::ALL
        .iter()
        .map(|s| opt(tag(s), s.name_zh()))
        .collect();
    let party = crate::filing::from_tag(&PoliticalStatus::ALL, &f.leader_political).map(|s| {
        if s.is_party_member() {
            "是"
        } else {
            "否"
        }
    });
    let sponsor_kinds = vec![
        opt("person".into(), "发起人"),
        opt("unit".into(), "发起单位"),
    ];
    let area = area_of(&refdata, &d);
    let termination = d.kind == ApplicationKind::Termination;
    let this_year = u16::try_from(today().year()).unwrap_or(2026);

    let form = html! {
        <>
            <h2>{ "基本信息" }</h2>
            <Field label="组织名称" testid="org-name" value={v(&f.name)} error={err("name")} oninput={set("name")} />
            { select(SelectProps::new("组织类别", "org-category", v(&f.category), categories, set("category")).error(err("category"))) }
            <Field label="成立日期" testid="org-founded" input_type="date" value={v(&f.founded_on)}
                error={err("founded_on")} oninput={set("founded_on")} />
            { select(SelectProps::new("所在街道/乡镇", "org-town", v(&f.town), towns, set("town")).error(err("town"))) }
            { select(SelectProps::new("所在社区/村", "org-village", v(&f.village), villages, set("village")).error(err("village"))) }
            <Field label="活动场所" testid="org-venue" value={v(&f.venue)} error={err("venue")} oninput={set("venue")} />
            <h2>{ "负责人" }</h2>
            <Field label="姓名" testid="leader-name" value={v(&f.leader_name)} error={err("leader_name")}
                oninput={set("leader_name")} />
            { select(SelectProps::new("性别", "leader-gender", v(&f.leader_gender), genders, set("leader_gender")).error(err("leader_gender"))) }
            <Field label="手机号码" testid="leader-phone" input_type="tel" inputmode="numeric"
                value={v(&f.leader_phone)} error={err("leader_phone")} oninput={set("leader_phone")} />
            { select(SelectProps::new("政治面貌", "leader-political", v(&f.leader_political), statuses, set("leader_political")).error(err("leader_political"))) }
            if let Some(party) = party {
                <p class="hint" data-testid="leader-party">{ format!("是否党员：{party}") }</p>
            }
            <h2>{ "联系人" }</h2>
            <Field label="姓名" testid="contact-name" value={v(&f.contact_name)} error={err("contact_name")}
                oninput={set("contact_name")} />
            <Field label="手机号码" testid="contact-phone" input_type="tel" inputmode="numeric"
                value={v(&f.contact_phone)} error={err("contact_phone")} oninput={set("contact_phone")} />
            <h2>{ "活动与经费" }</h2>
            { text_area(TextAreaProps::new("活动内容", "org-activities", v(&f.activities), set("activities")).error(err("activities"))) }
            { text_area(TextAreaProps::new("经费来源", "org-funding", v(&f.funding), set("funding")).error(err("funding"))) }
            { select(SelectProps::new("发起方式", "sponsor-kind", v(&f.sponsor_kind), sponsor_kinds, set("sponsor_kind")).placeholder("")) }
            <Field label={if f.sponsor_kind == "unit" { "发起单位名称" } else { "发起人姓名" }} testid="sponsor-name"
                value={v(&f.sponsor_name)} error={err("sponsor")} oninput={set("sponsor_name")} />
            <h2>{ "章程" }</h2>
            <p class="hint">{ "以下按民政部示范文本预先填好，请逐节核对修改；“党的建设”一节必须保留。" }</p>
            { error(&err("charter")) }
            { for Section::ALL.iter().enumerate().map(|(i, section)| {
                let change = change.clone();
                let oninput = Callback::from(move |text: String| {
                    change.emit(Box::new(move |d: &mut Draft| d.set_clause(i, text)))
                });
                text_area(TextAreaProps {
                    rows: 5,
                    section: Some(tag(section).into()),
                    ..TextAreaProps::new(format!("第{}节 {}", i + 1, section.title_zh()), "charter-section",
                        d.clause(i, &area), oninput)
                })
            }) }
            <RosterEditor members={d.roster.clone()} error={err("roster")} {this_year} onchange={onroster} />
        </>
    };
    let vote = html! {
        <>
            <h2>{ "全体成员会议表决" }</h2>
            <p class="hint">{ format!("申请终止“{}”：须经全体成员会议表决通过（赞成票过出席人数半数）。", f.name) }</p>
            <Field label="会议日期" testid="vote-date" input_type="date" value={v(&d.vote.held_on)} oninput={set_vote("held_on")} />
            <Field label="出席人数" testid="vote-present" inputmode="numeric" value={v(&d.vote.present)} oninput={set_vote("present")} />
            <Field label="赞成票" testid="vote-for" inputmode="numeric" value={v(&d.vote.in_favour)} oninput={set_vote("in_favour")} />
            <Field label="反对票" testid="vote-against" inputmode="numeric" value={v(&d.vote.against)} oninput={set_vote("against")} />
            { error(&err("vote")) }
        </>
    };
    let title = match d.kind {
        ApplicationKind::Initial if d.sent.is_some() => "修改后重新提交".to_owned(),
        kind => format!("{}申请", kind_zh(kind)),
    };
    html! {
        <form class="form filing-editor" onsubmit={onsubmit} novalidate=true>
            <div class="editor-head">
                <h2>{ title }</h2>
                <button type="button" class="link" onclick={onback}>{ "返回列表（草稿已自动保存）" }</button>
            </div>
            if termination { { vote } } else { { form } }
            if !errs.is_empty() {
                <p class="notice error" role="alert">
                    { errs.get("submit").map_or_else(|| format!("还有 {} 处需要修改，见标红的栏目。", errs.len()), str::to_owned) }
                </p>
            }
            <button type="submit" class="primary big" data-testid="filing-submit">{ "提交" }</button>
        </form>
    }
}
