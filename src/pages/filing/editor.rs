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
use crate::components::choice::{error, field, Kind, Spec};
use crate::components::roster::RosterEditor;
use crate::filing::draft::{area_name, Sent};
use crate::filing::{kind_zh, tag, today, Draft, FieldErrors};
use crate::hooks::use_app;
use crate::ids;
use crate::photo::widgets::PhotoPicker;
use crate::store::{RefData, Sealed};
use wenming_core::photo::PhotoHash;

/// The filing form, in order: (heading before it, field, test id, label, kind).
const FORM: [(&str, &str, &str, &str, Kind); 16] = [
    ("基本信息", "name", "org-name", "组织名称", Kind::Text),
    ("", "category", "org-category", "组织类别", Kind::Select),
    ("", "founded_on", "org-founded", "成立日期", Kind::Date),
    ("", "town", "org-town", "所在街道/乡镇", Kind::Select),
    ("", "village", "org-village", "所在社区/村", Kind::Select),
    ("", "venue", "org-venue", "活动场所", Kind::Text),
    ("负责人", "leader_name", "leader-name", "姓名", Kind::Text),
    ("", "leader_gender", "leader-gender", "性别", Kind::Select),
    ("", "leader_phone", "leader-phone", "手机号码", Kind::Tel),
    (
        "",
        "leader_political",
        "leader-political",
        "政治面貌",
        Kind::Select,
    ),
    ("联系人", "contact_name", "contact-name", "姓名", Kind::Text),
    ("", "contact_phone", "contact-phone", "手机号码", Kind::Tel),
    (
        "活动与经费",
        "activities",
        "org-activities",
        "活动内容",
        Kind::Area,
    ),
    ("", "funding", "org-funding", "经费来源", Kind::Area),
    (
        "发起人",
        "sponsor_kind",
        "sponsor-kind",
        "发起人或发起单位",
        Kind::Select,
    ),
    (
        "",
        "sponsor_name",
        "sponsor-name",
        "发起人姓名或发起单位名称",
        Kind::Text,
    ),
];

/// A termination's vote: (field, test id, label, kind).
const VOTE: [(&str, &str, &str, Kind); 4] = [
    ("held_on", "vote-date", "会议日期", Kind::Date),
    ("present", "vote-present", "出席人数", Kind::Numeric),
    ("in_favour", "vote-for", "赞成票", Kind::Numeric),
    ("against", "vote-against", "反对票", Kind::Numeric),
];

#[derive(Properties)]
pub struct EditorProps {
    /// The draft as it was when the editor opened; the editor owns it from then on.
    pub draft: Draft,
    /// Back to the list: after a submission (`true`) or without one.
    pub onclose: Callback<bool>,
}

/// The editor owns its draft once open: only another application is another editor.
impl PartialEq for EditorProps {
    fn eq(&self, other: &Self) -> bool {
        self.draft.application == other.draft.application && self.onclose == other.onclose
    }
}

/// The area the charter template names: "凤山街道复兴社区".
fn area_of(refdata: &RefData, draft: &Draft) -> String {
    let town = DivisionCode::parse(draft.form.get("town"))
        .ok()
        .and_then(|t| refdata.town_name(&t).map(str::to_owned))
        .unwrap_or_default();
    let village = refdata
        .village(draft.form.get("village"))
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
    // Whether 提交 was tried: from then on every change renews the errors shown. A cell,
    // not the state, as the roster editor may hold a callback from an earlier render.
    let tried = use_mut_ref(|| false);
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
        let tried = tried.clone();
        let refdata = refdata.clone();
        Callback::from(move |edit: Box<dyn FnOnce(&mut Draft)>| {
            let saved = {
                let mut d = draft.borrow_mut();
                d.open = true;
                edit(&mut d);
                d.clone()
            };
            if *tried.borrow() {
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
                if key == "town" && d.form.get("town") != v {
                    d.form.set("village", String::new());
                }
                d.form.set(key, v);
            }))
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
        let tried = tried.clone();
        let (refdata, onclose) = (refdata.clone(), props.onclose.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            *tried.borrow_mut() = true;
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
    let area = area_of(&refdata, &d);
    let this_year = u16::try_from(today().year()).unwrap_or(2026);
    let options = |key: &str| -> Vec<(AttrValue, AttrValue)> {
        let opt = |value: String, label: &str| (value.into(), label.to_owned().into());
        match key {
            "category" => Category::ALL
                .iter()
                .map(|c| opt(tag(c), c.name_zh()))
                .collect(),
            "town" => refdata
                .towns
                .iter()
                .map(|t| opt(t.code.to_string(), &t.name))
                .collect(),
            "village" => refdata
                .villages
                .iter()
                .filter(|v| v.town.as_str() == f.get("town"))
                .map(|v| opt(v.code.to_string(), &v.name))
                .collect(),
            "leader_gender" => [Gender::Male, Gender::Female]
                .iter()
                .map(|g| opt(tag(g), g.name_zh()))
                .collect(),
            "leader_political" => PoliticalStatus::ALL
                .iter()
                .map(|s| opt(tag(s), s.name_zh()))
                .collect(),
            _ => vec![
                opt("person".into(), "发起人"),
                opt("unit".into(), "发起单位"),
            ],
        }
    };
    let party =
        crate::filing::from_tag(&PoliticalStatus::ALL, f.get("leader_political")).map(|s| {
            if s.is_party_member() {
                "是否党员：是"
            } else {
                "是否党员：否"
            }
        });

    let photos = {
        let change = change.clone();
        let onchange = Callback::from(move |list: Vec<PhotoHash>| {
            change.emit(Box::new(move |d: &mut Draft| d.photos = list))
        });
        html! {
            <>
                <h2>{ "照片" }</h2>
                <p class="hint">{ "签字页、会议纪要（可选）。照片在手机上压缩后保存，联网后与申请分开上传。" }</p>
                <PhotoPicker photos={d.photos.clone()} {onchange} />
                { error(&err("photos")) }
            </>
        }
    };
    let body = if d.kind == ApplicationKind::Termination {
        html! {
            <>
                <h2>{ "全体成员会议表决" }</h2>
                <p class="hint">{ format!("申请终止“{}”：须经全体成员会议表决通过（赞成票过出席人数半数）。", f.get("name")) }</p>
                { for VOTE.iter().map(|(key, testid, label, kind)| {
                    let change = change.clone();
                    let oninput = Callback::from(move |v: String| {
                        change.emit(Box::new(move |d: &mut Draft| d.vote.set(key, v)))
                    });
                    field(Spec::new(*kind, *label, testid, d.vote.get(key).to_owned(), oninput))
                }) }
                { error(&err("vote")) }
                { photos }
            </>
        }
    } else {
        html! {
            <>
                { for FORM.iter().map(|(heading, key, testid, label, kind)| {
                    let spec = Spec {
                        options: if *kind == Kind::Select { options(key) } else { Vec::new() },
                        // The sponsor is a person or a unit: its name is never empty.
                        placeholder: if *key == "sponsor_kind" { "" } else if *kind == Kind::Select { "请选择" } else { "" },
                        ..Spec::new(*kind, *label, testid, f.get(key).to_owned(), set(key))
                    };
                    let error_key = if *key == "sponsor_name" { "sponsor" } else { key };
                    html! {
                        <>
                            if !heading.is_empty() { <h2>{ *heading }</h2> }
                            { field(spec.error(err(error_key))) }
                            if *key == "leader_political" {
                                if let Some(party) = party { <p class="hint">{ party }</p> }
                            }
                        </>
                    }
                }) }
                <h2>{ "章程" }</h2>
                <p class="hint">{ "以下按民政部示范文本预先填好，请逐节核对修改；“党的建设”一节必须保留。" }</p>
                { error(&err("charter")) }
                { for Section::ALL.iter().enumerate().map(|(i, section)| {
                    let change = change.clone();
                    let oninput = Callback::from(move |text: String| {
                        change.emit(Box::new(move |d: &mut Draft| d.set_clause(i, text)))
                    });
                    field(Spec {
                        rows: 5,
                        section: Some(tag(section).into()),
                        ..Spec::new(Kind::Area, format!("第{}节 {}", i + 1, section.title_zh()),
                            "charter-section", d.clause(i, &area), oninput)
                    })
                }) }
                <RosterEditor members={d.roster.clone()} error={err("roster")} {this_year} onchange={onroster} />
                { photos }
            </>
        }
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
            { body }
            if !errs.is_empty() {
                <p class="notice error" role="alert">
                    { errs.get("submit").map_or_else(|| format!("还有 {} 处需要修改，见标红的栏目。", errs.len()), str::to_owned) }
                </p>
            }
            <button type="submit" class="primary big" data-testid="filing-submit">{ "提交" }</button>
        </form>
    }
}
