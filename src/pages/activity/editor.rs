//! The editor of one of the station's activity records: an activity report (活动报告), a
//! major-activity pre-report (重大活动报告) or a summary report (总结报告). Every input is
//! saved at once (one IndexedDB put), so a draft survives a closed browser; 提交 checks with
//! core and queues the envelope with the record in one transaction.

use wenming_core::activity::{Campaign, ContentArea, GroupServed, MajorKind};
use wenming_core::filing::ApplicationKind;
use wenming_core::RecordId;
use yew::prelude::*;

use crate::activity::{local_input, parse_local, Mine, VolunteerInput, What};
use crate::app::{Action, AppContext};
use crate::components::activity_view::{geo_text, photo_section};
use crate::components::choice::{error, field, Kind, Spec};
use crate::filing::{tag, FieldErrors, StateTag};
use crate::hooks::use_app;
use crate::store::{Record, Sealed};
use crate::{ids, time};

/// An edit of the draft, applied by the editor (saved, rendered, checked again).
type Change = Callback<Box<dyn FnOnce(&mut Mine)>>;

#[derive(Properties)]
pub struct EditorProps {
    /// The record as it was when the editor opened; the editor owns it from then on.
    pub mine: Mine,
    /// Back to the list: after a submission (`true`) or without one.
    pub onclose: Callback<bool>,
}

impl PartialEq for EditorProps {
    fn eq(&self, other: &Self) -> bool {
        self.mine.id == other.mine.id && self.onclose == other.onclose
    }
}

/// The envelope a draft makes now, or every problem with it.
fn seal(app: &AppContext, m: &Mine) -> Result<Sealed, FieldErrors> {
    let (id, at) = (m.id, time::now());
    let fail = |e: crate::store::StoreError| FieldErrors(vec![("submit", e.message_zh())]);
    match m.what {
        What::Report => Sealed::activity_report(id, at, &m.report(at)?).map_err(fail),
        What::PreReport => Sealed::pre_report(id, at, &m.pre_report(at)?).map_err(fail),
        What::Summary => {
            let period = period_of(m)
                .ok_or_else(|| FieldErrors(vec![("submit", "统计期信息缺失".to_owned())]))?;
            let reports = app.state.acts.sent_reports(&app.state.outbox);
            let summary = m.summary(period.0, &period.1, &reports)?;
            Sealed::summary_report(id, at, &summary).map_err(fail)
        }
        What::Decision => Err(FieldErrors(vec![("submit", "无法提交".to_owned())])),
    }
}

/// The summary's period, as the draft keeps it (so it is written offline too).
pub fn period_of(m: &Mine) -> Option<(RecordId, wenming_core::activity::summary::Period)> {
    let date = crate::filing::wire::date::parse;
    Some((
        ids::parse(m.input.get("period"))?,
        wenming_core::activity::summary::Period {
            from: date(m.input.get("from"))?,
            to: date(m.input.get("to"))?,
            deadline: date(m.input.get("deadline"))?,
        },
    ))
}

/// The record with `sent` set and its envelope, saved together.
async fn submit(app: &AppContext, m: &Mine) -> Result<Mine, FieldErrors> {
    let envelope = seal(app, m)?;
    let mut sent = m.clone();
    sent.sent = Some(envelope.device_time);
    app.store
        .save_mine_sent(&sent, &envelope)
        .await
        .map_err(|e| FieldErrors(vec![("submit", e.message_zh())]))?;
    Ok(sent)
}

/// The check-ins of the day an activity started, at its station, on this phone.
fn check_ins_of<'a>(records: &'a [Record], m: &Mine) -> Vec<&'a Record> {
    let Some(day) = parse_local(m.input.get("starts_at")).map(crate::filing::local_date) else {
        return Vec::new();
    };
    let station = m.input.get("station");
    records
        .iter()
        .filter(|r| {
            r.station.as_str() == station && crate::filing::local_date(r.checked_in_at) == day
        })
        .collect()
}

#[function_component(ActEditor)]
pub fn act_editor(props: &EditorProps) -> Html {
    let app = use_app();
    let mine = use_mut_ref(|| props.mine.clone());
    let errors = use_state(|| None::<FieldErrors>);
    let tried = use_mut_ref(|| false);
    let busy = use_mut_ref(|| false);
    let locating = use_state(|| None::<String>);
    let update = use_force_update();
    {
        // Leaving the screen hands the latest draft to the app's state.
        let (mine, app) = (mine.clone(), app.clone());
        use_effect_with((), move |_| {
            move || {
                if let Some(app) = app {
                    app.state
                        .dispatch(Action::Mine(Box::new(mine.borrow().clone())));
                }
            }
        });
    }
    let Some(app) = app else { return html! {} };

    let check = {
        let app = app.clone();
        move |m: &Mine| seal(&app, m).err().unwrap_or_default()
    };
    // Every change: the draft in memory, one put, a new render; errors shown are renewed.
    let change = {
        let (mine, app, errors, update, tried) = (
            mine.clone(),
            app.clone(),
            errors.clone(),
            update.clone(),
            tried.clone(),
        );
        let check = check.clone();
        Callback::from(move |edit: Box<dyn FnOnce(&mut Mine)>| {
            let saved = {
                let mut m = mine.borrow_mut();
                edit(&mut m);
                m.clone()
            };
            if *tried.borrow() {
                errors.set(Some(check(&saved)));
            }
            let store = app.store.clone();
            wasm_bindgen_futures::spawn_local(async move {
                // A failed put leaves the draft in memory; the next input tries again.
                let _ = store.save_mine(&saved).await;
            });
            update.force_update();
        })
    };
    let set = |key: &'static str| {
        let change = change.clone();
        Callback::from(move |v: String| {
            change.emit(Box::new(move |m: &mut Mine| m.input.set(key, v)))
        })
    };
    let onsubmit = {
        let (mine, app, errors, busy, tried) = (
            mine.clone(),
            app.clone(),
            errors.clone(),
            busy.clone(),
            tried.clone(),
        );
        let onclose = props.onclose.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            *tried.borrow_mut() = true;
            if busy.replace(true) {
                return;
            }
            let (mine, app, errors, busy, onclose) = (
                mine.clone(),
                app.clone(),
                errors.clone(),
                busy.clone(),
                onclose.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let m = mine.borrow().clone();
                match submit(&app, &m).await {
                    Ok(sent) => {
                        *mine.borrow_mut() = sent.clone();
                        app.state.dispatch(Action::Mine(Box::new(sent)));
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
        let onclose = props.onclose.clone();
        Callback::from(move |_| onclose.emit(false))
    };

    let m = mine.borrow().clone();
    let errs = (*errors).clone().unwrap_or_default();
    let err = |key: &str| errs.get(key).map(|s| AttrValue::from(s.to_owned()));
    let i = &m.input;
    let state = &app.state;
    let opt = |v: String, label: &str| (AttrValue::from(v), AttrValue::from(label.to_owned()));
    let stations: Vec<_> = state
        .refdata
        .stations
        .iter()
        .filter(|s| {
            state
                .device
                .as_ref()
                .is_some_and(|d| d.scope.contains(s.code.village()))
        })
        .map(|s| opt(s.code.to_string(), &s.name))
        .collect();
    let station = field(
        Spec::select(
            "实践站",
            "act-station",
            i.get("station").to_owned(),
            stations,
            set("station"),
        )
        .error(err("station")),
    );
    let text = |kind: Kind, label: &str, testid: &'static str, key: &'static str| {
        field(
            Spec::new(
                kind,
                label.to_owned(),
                testid,
                i.get(key).to_owned(),
                set(key),
            )
            .error(err(key)),
        )
    };
    // Filed organizations of the station's village the device can see, and groups typed.
    let filed: Vec<(RecordId, String)> = state
        .filings
        .apps
        .iter()
        .filter(|a| {
            a.kind != ApplicationKind::Termination
                && a.state.state == StateTag::Filed
                && a.submission.form.village.as_str() == i.get("station")
                && state
                    .filings
                    .on_file(&a.organization)
                    .is_some_and(|f| f.id == a.id)
        })
        .map(|a| (a.organization, a.submission.form.name.clone()))
        .collect();
    let organizers = html! {
        <div class={classes!("field", errs.get("organizers").is_some().then_some("invalid"))}>
            <label>{ "组织单位" }</label>
            <div class="checks">
                { for filed.iter().map(|(id, name)| {
                    let picked = m.organizers.iter().any(|o| o.id.as_deref() == Some(&id.to_string()));
                    let label = name.clone();
                    let (change, id, name) = (change.clone(), id.to_string(), name.clone());
                    let onchange = Callback::from(move |_: Event| {
                        let (id, name) = (id.clone(), name.clone());
                        change.emit(Box::new(move |m: &mut Mine| {
                            if let Some(at) = m.organizers.iter().position(|o| o.id.as_deref() == Some(&id)) {
                                m.organizers.remove(at);
                            } else {
                                m.organizers.push(crate::activity::OrganizerInput { id: Some(id), name });
                            }
                        }))
                    });
                    html! {
                        <label class="check"><input type="checkbox" checked={picked} {onchange} />{ label }</label>
                    }
                }) }
            </div>
            { field(Spec::new(Kind::Area, "其他组织单位（未备案的团队、村委会等，每行一个）", "act-organizers",
                i.get("other_organizers").to_owned(), set("other_organizers"))) }
            { error(&err("organizers")) }
        </div>
    };

    let body = match m.what {
        What::Report => {
            let areas = ContentArea::ALL
                .iter()
                .map(|a| opt(a.as_str().to_owned(), a.name_zh()))
                .collect();
            let campaigns = Campaign::ALL
                .iter()
                .map(|c| opt(tag(c), c.name_zh()))
                .collect();
            let majors = MajorKind::ALL
                .iter()
                .map(|k| opt(tag(k), k.name_zh()))
                .collect();
            let approved: Vec<_> = state
                .acts
                .approved(i.get("station"))
                .into_iter()
                .map(|p| {
                    opt(
                        p.id.to_string(),
                        &format!(
                            "{}（{}）",
                            p.pre_report.title,
                            time::format_local(p.pre_report.starts_at)
                        ),
                    )
                })
                .collect();
            let groups = html! {
                <div class={classes!("field", errs.get("groups").is_some().then_some("invalid"))}>
                    <label>{ "服务对象（可多选；面向全体居民的不选）" }</label>
                    <div class="checks big">
                        { for GroupServed::ALL.iter().map(|g| {
                            let t = tag(g);
                            let picked = m.groups.contains(&t);
                            let change = change.clone();
                            let onchange = Callback::from(move |_: Event| {
                                let t = t.clone();
                                change.emit(Box::new(move |m: &mut Mine| {
                                    match m.groups.iter().position(|x| *x == t) {
                                        Some(at) => { m.groups.remove(at); }
                                        None => m.groups.push(t),
                                    }
                                }))
                            });
                            html! { <label class="check" data-testid="act-group"><input type="checkbox" checked={picked} {onchange} />{ g.name_zh() }</label> }
                        }) }
                    </div>
                    { error(&err("groups")) }
                </div>
            };
            html! {
                <>
                    { station }
                    { organizers }
                    { text(Kind::Text, "活动名称", "act-title", "title") }
                    { field(Spec::select("活动领域", "act-area", i.get("area").to_owned(), areas, set("area")).error(err("area"))) }
                    { field(Spec::select("主题活动（可不选）", "act-campaign", i.get("campaign").to_owned(), campaigns, set("campaign")).placeholder("无")) }
                    { field(Spec::select("是否重大活动", "act-major", i.get("major").to_owned(), majors, set("major")).placeholder("不是重大活动").error(err("major"))) }
                    if !i.get("major").is_empty() {
                        { field(Spec::select("关联已同意的重大活动报告", "act-pre-report", i.get("pre_report").to_owned(), approved, set("pre_report")).placeholder("未报告（将被标注）")) }
                    }
                    { text(Kind::DateTime, "开始时间", "act-starts", "starts_at") }
                    { text(Kind::DateTime, "结束时间", "act-ends", "ends_at") }
                    { text(Kind::Text, "活动地点", "act-place", "place") }
                    { text(Kind::Numeric, "参与人数", "act-participants", "participants") }
                    { groups }
                    { volunteers(&m, &state.records, &change, err("volunteers")) }
                    { field(Spec { rows: 5, ..Spec::new(Kind::Area, "开展情况", "act-summary", i.get("summary").to_owned(), set("summary")) }.error(err("summary"))) }
                    { text(Kind::Area, "成效", "act-results", "results") }
                    { photo_section(&m.photos, change.reform(|photos: Vec<String>| -> Box<dyn FnOnce(&mut Mine)> { Box::new(move |m: &mut Mine| m.photos = photos) }), err("photos")) }
                    { position(&m, &change, &locating, err("position")) }
                </>
            }
        }
        What::PreReport => {
            let kinds = MajorKind::ALL
                .iter()
                .map(|k| opt(tag(k), k.name_zh()))
                .collect();
            html! {
                <>
                    <p class="hint">{ "节庆活动、文化演出、体育竞赛、人员集会等重大活动，须在开展前向街道（乡镇）报告。" }</p>
                    { station }
                    { field(Spec::select("活动类别", "pre-kind", i.get("kind").to_owned(), kinds, set("kind")).error(err("kind"))) }
                    { text(Kind::Text, "活动名称", "pre-title", "title") }
                    { organizers }
                    { text(Kind::DateTime, "开始时间", "pre-starts", "starts_at") }
                    { text(Kind::DateTime, "结束时间", "pre-ends", "ends_at") }
                    { text(Kind::Text, "活动地点", "pre-place", "place") }
                    { text(Kind::Numeric, "预计参加人数", "pre-attendance", "expected_attendance") }
                    { text(Kind::Area, "安全措施（人员疏导、急救、消防、天气预案等）", "pre-safety", "safety_measures") }
                    <h3>{ "联系人" }</h3>
                    { text(Kind::Text, "姓名", "pre-contact-name", "contact_name") }
                    { text(Kind::Tel, "手机号码", "pre-contact-phone", "contact_phone") }
                </>
            }
        }
        _ => {
            let reports = state.acts.sent_reports(&state.outbox);
            let figures = period_of(&m).map(|(_, period)| {
                let reporter = wenming_core::activity::Reporter::Station {
                    code: match wenming_core::StationCode::parse(i.get("station")) {
                        Ok(c) => c,
                        Err(_) => return None,
                    },
                };
                Some(wenming_core::activity::SummaryFigures::compute(
                    &reporter,
                    &period,
                    reports.iter(),
                ))
            });
            html! {
                <>
                    <p class="meta">{ format!("统计期：{}（{} 至 {}），{} 前报送", i.get("period_name"), i.get("from"), i.get("to"), i.get("deadline")) }</p>
                    { station }
                    if let Some(Some(f)) = figures {
                        { figures_table(&f) }
                    }
                    { error(&err("figures")) }
                    { field(Spec { rows: 5, ..Spec::new(Kind::Area, "开展情况", "sum-work", i.get("work").to_owned(), set("work")) }.error(err("work"))) }
                    { field(Spec { rows: 4, ..Spec::new(Kind::Area, "进展成效", "sum-progress", i.get("progress").to_owned(), set("progress")) }.error(err("progress"))) }
                    { field(Spec { rows: 4, ..Spec::new(Kind::Area, "存在问题", "sum-problems", i.get("problems").to_owned(), set("problems")) }.error(err("problems"))) }
                    { field(Spec { rows: 4, ..Spec::new(Kind::Area, "意见建议", "sum-suggestions", i.get("suggestions").to_owned(), set("suggestions")) }.error(err("suggestions"))) }
                </>
            }
        }
    };
    let title = match m.what {
        What::Report => "活动报告",
        What::PreReport => "重大活动报告",
        _ => "总结报告",
    };
    html! {
        <form class="form act-editor" onsubmit={onsubmit} novalidate=true>
            <div class="editor-head">
                <h2>{ title }</h2>
                <button type="button" class="link" data-testid="act-back" onclick={onback}>{ "返回（草稿已自动保存）" }</button>
            </div>
            { body }
            if !errs.is_empty() {
                <p class="notice error" role="alert">
                    { errs.get("submit").map_or_else(|| format!("还有 {} 处需要修改，见标红的栏目。", errs.len()), str::to_owned) }
                </p>
            }
            <button type="submit" class="primary big" data-testid="act-submit">{ "提交" }</button>
        </form>
    }
}

/// The summary's figures: totals and a line per content area.
pub fn figures_table(f: &wenming_core::activity::SummaryFigures) -> Html {
    html! {
        <div class="figures" data-testid="sum-figures">
            <p>{ format!("本期活动 {} 场，参与 {} 人次，志愿服务 {} 小时（由本机已提交的活动报告统计）",
                f.activities, f.participants, f.volunteer_hours()) }</p>
            <table class="form-table">
                <tr><th>{ "领域" }</th><th>{ "场次" }</th><th>{ "人次" }</th></tr>
                { for f.by_area.iter().map(|a| html! {
                    <tr><td>{ a.area.name_zh() }</td><td>{ a.activities }</td><td>{ a.participants }</td></tr>
                }) }
            </table>
        </div>
    }
}

/// The volunteers who served: the check-ins of the day on this phone to tick, and names
/// typed, each with minutes.
fn volunteers(m: &Mine, records: &[Record], change: &Change, err: Option<AttrValue>) -> Html {
    let day = check_ins_of(records, m);
    let row = |n: usize, v: &VolunteerInput| {
        let set = |what: &'static str| {
            let change = change.clone();
            Callback::from(move |e: InputEvent| {
                let value = e
                    .target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value();
                change.emit(Box::new(move |m: &mut Mine| {
                    if let Some(v) = m.volunteers.get_mut(n) {
                        if what == "name" {
                            v.name = value;
                        } else {
                            v.minutes = value;
                        }
                    }
                }))
            })
        };
        let remove = {
            let change = change.clone();
            Callback::from(move |_| {
                change.emit(Box::new(move |m: &mut Mine| {
                    if n < m.volunteers.len() {
                        m.volunteers.remove(n);
                    }
                }))
            })
        };
        html! {
            <li class="volunteer" data-testid="act-volunteer">
                <input type="text" placeholder="姓名" value={v.name.clone()} readonly={v.check_in.is_some()} oninput={set("name")} />
                <input type="text" inputmode="numeric" class="minutes" placeholder="分钟" value={v.minutes.clone()} oninput={set("minutes")} />
                <span>{ "分钟" }</span>
                <button type="button" class="small secondary" onclick={remove}>{ "删除" }</button>
            </li>
        }
    };
    let add = {
        let change = change.clone();
        Callback::from(move |_| {
            change.emit(Box::new(|m: &mut Mine| {
                m.volunteers.push(VolunteerInput::default())
            }))
        })
    };
    html! {
        <div class={classes!("field", err.is_some().then_some("invalid"))}>
            <label>{ "服务志愿者" }</label>
            if !day.is_empty() {
                <p class="hint">{ "当天在本站签到的志愿者（本机记录），勾选即可：" }</p>
                <div class="checks">
                    { for day.iter().map(|r| {
                        let id = r.id.to_string();
                        let picked = m.volunteers.iter().any(|v| v.check_in.as_deref() == Some(&id));
                        let minutes = r.checked_out_at.map(|o| ((o - r.checked_in_at).num_minutes().max(1)).to_string()).unwrap_or_default();
                        let (change, name) = (change.clone(), r.volunteer_name.to_string());
                        let label = format!("{}（{}签到）", name, time::format_clock(r.checked_in_at));
                        let onchange = Callback::from(move |_: Event| {
                            let (id, name, minutes) = (id.clone(), name.clone(), minutes.clone());
                            change.emit(Box::new(move |m: &mut Mine| {
                                match m.volunteers.iter().position(|v| v.check_in.as_deref() == Some(&id)) {
                                    Some(at) => { m.volunteers.remove(at); }
                                    None => m.volunteers.push(VolunteerInput { name, check_in: Some(id), minutes }),
                                }
                            }))
                        });
                        html! { <label class="check"><input type="checkbox" checked={picked} {onchange} />{ label }</label> }
                    }) }
                </div>
            }
            <ul class="volunteers">
                { for m.volunteers.iter().enumerate().map(|(n, v)| row(n, v)) }
            </ul>
            <button type="button" class="secondary" data-testid="act-add-volunteer" onclick={add}>{ "＋ 添加志愿者" }</button>
            { error(&err) }
        </div>
    }
}

/// The optional GPS position, with its accuracy.
fn position(
    m: &Mine,
    change: &Change,
    locating: &UseStateHandle<Option<String>>,
    err: Option<AttrValue>,
) -> Html {
    let onlocate = {
        let (change, locating) = (change.clone(), locating.clone());
        Callback::from(move |_| {
            locating.set(Some("正在定位…".to_owned()));
            let (change, locating) = (change.clone(), locating.clone());
            crate::browser::locate(Callback::from(
                move |got: Result<[f64; 3], String>| match got {
                    Ok(p) => {
                        locating.set(None);
                        change.emit(Box::new(move |m: &mut Mine| m.position = Some(p)));
                    }
                    Err(message) => locating.set(Some(message)),
                },
            ));
        })
    };
    let onclear = {
        let change = change.clone();
        Callback::from(move |_| change.emit(Box::new(|m: &mut Mine| m.position = None)))
    };
    html! {
        <div class={classes!("field", err.is_some().then_some("invalid"))}>
            <label>{ "活动位置（可不附）" }</label>
            if let Some(p) = m.position {
                <p data-testid="act-position">{ geo_text(p) }</p>
                <button type="button" class="secondary" onclick={onclear}>{ "不附位置" }</button>
            } else {
                <button type="button" class="secondary" data-testid="act-locate" onclick={onlocate}>{ "附上当前位置" }</button>
            }
            if let Some(note) = &**locating {
                <p class="hint">{ note.clone() }</p>
            }
            { error(&err) }
        </div>
    }
}

/// A new activity report at the station, its times filled with the last hour.
pub fn new_report(station: &str) -> Mine {
    let (id, at) = ids::next();
    let mut m = Mine::new(id, What::Report);
    m.input.set("station", station.to_owned());
    m.input
        .set("starts_at", local_input(at - chrono::Duration::hours(1)));
    m.input.set("ends_at", local_input(at));
    m
}

/// A new pre-report, its contact the device's person.
pub fn new_pre_report(station: &str, person: &str) -> Mine {
    let (id, _) = ids::next();
    let mut m = Mine::new(id, What::PreReport);
    m.input.set("station", station.to_owned());
    m.input.set("contact_name", person.to_owned());
    m
}

/// A new summary of a period.
pub fn new_summary(station: &str, p: &crate::activity::wire::PlainPeriod) -> Mine {
    let (id, _) = ids::next();
    let mut m = Mine::new(id, What::Summary);
    let date = crate::filing::wire::date::write;
    for (k, v) in [
        ("station", station.to_owned()),
        ("period", p.id.to_string()),
        ("period_name", p.name.clone()),
        ("from", date(&p.from)),
        ("to", date(&p.to)),
        ("deadline", date(&p.deadline)),
    ] {
        m.input.set(k, v);
    }
    m
}
