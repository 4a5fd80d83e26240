//! 发布活动: a new volunteer activity of the station (名称, 时间, 人数, 所需技能, 介绍;
//! core's `check()` says what to fix), queued offline; the station's published activities
//! (kept, so they show offline) and, per activity and online, its sign-ups in order of
//! receipt, with 记爽约 and a reason for an accepted volunteer who did not come.

use wenming_core::volunteer::service::check_reason;
use wenming_core::volunteer::{NoShow, VolunteerActivity};
use wenming_core::RecordId;
use yew::prelude::*;

use super::{fetch_text_kept, kept_note, my_list, read_kept, station_of, text_field};
use crate::activity::parse_local;
use crate::components::choice::Kind;
use crate::hooks::use_app;
use crate::ids;
use crate::station::wire::{Published, PublishedList, SignedList};
use crate::station::{beijing, kind, save, seal, seal_activity, Mine};

/// The activity whose sign-ups are shown, what the district said of them, and the no-show
/// being recorded (the sign-up and the id minted when its form opened).
#[derive(Debug, Clone, PartialEq)]
struct Signups {
    activity: RecordId,
    got: Option<Result<(SignedList, bool), String>>,
    no_show: Option<(RecordId, RecordId)>,
}

#[function_component(Publish)]
pub fn publish() -> Html {
    let app = use_app();
    let list = use_state(|| None::<Result<(PublishedList, bool), String>>);
    let mine = use_state(Vec::<Mine>::new);
    let form = use_state(|| None::<RecordId>);
    let title = use_state(String::new);
    let starts = use_state(String::new);
    let ends = use_state(String::new);
    let needed = use_state(String::new);
    let skills = use_state(String::new);
    let description = use_state(String::new);
    let reason = use_state(String::new);
    let error = use_state(|| None::<String>);
    let signups = use_state(|| None::<Signups>);
    let busy = use_mut_ref(|| false);
    let last_sync = app.as_ref().and_then(|a| a.state.last_sync);
    let pending_count = app.as_ref().map_or(0, |a| a.state.outbox.pending.len());
    {
        let (app, list, mine) = (app.clone(), list.clone(), mine.clone());
        use_effect_with((last_sync, pending_count), move |_| {
            if let Some(app) = app {
                wasm_bindgen_futures::spawn_local(async move {
                    mine.set(crate::station::mine(&app).await);
                    let Some(station) = station_of(&app) else {
                        return list.set(Some(Err("请先填写站点编号".to_owned())));
                    };
                    let path = format!("/volunteer-activities?station={station}");
                    list.set(Some(read_kept(
                        fetch_text_kept(&app, &format!("activities:{station}"), &path).await,
                    )));
                });
            }
        });
    }
    let Some(app) = app else { return html! {} };

    let onopen = {
        let (form, error) = (form.clone(), error.clone());
        Callback::from(move |_| {
            error.set(None);
            form.set(Some(ids::next().0));
        })
    };
    let onclose = {
        let form = form.clone();
        Callback::from(move |_| form.set(None))
    };
    let onpublish = {
        let (app, form, title, starts, ends, needed, skills, description, error, busy, mine) = (
            app.clone(),
            form.clone(),
            title.clone(),
            starts.clone(),
            ends.clone(),
            needed.clone(),
            skills.clone(),
            description.clone(),
            error.clone(),
            busy.clone(),
            mine.clone(),
        );
        Callback::from(move |_| {
            let Some(id) = *form else { return };
            let Some(station) = station_of(&app) else {
                return error.set(Some("请先填写站点编号".to_owned()));
            };
            let (Some(s), Some(e)) = (parse_local(&starts), parse_local(&ends)) else {
                return error.set(Some("请填写活动的开始和结束时间".to_owned()));
            };
            let Ok(n) = needed.trim().parse::<u32>() else {
                return error.set(Some("所需志愿者人数请填写整数".to_owned()));
            };
            let body = VolunteerActivity {
                title: title.trim().to_owned(),
                station,
                starts_at: s,
                ends_at: e,
                volunteers_needed: n,
                skills_wanted: skills
                    .split([',', '，', '、', ' '])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
                description: description.trim().to_owned(),
            };
            if let Err(m) = body.check() {
                return error.set(Some(m));
            }
            if busy.replace(true) {
                return;
            }
            let (app, form, error, busy, mine, title) = (
                app.clone(),
                form.clone(),
                error.clone(),
                busy.clone(),
                mine.clone(),
                title.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let text = format!(
                    "发布活动：{}（{}，需 {} 人）",
                    body.title,
                    beijing(body.starts_at),
                    body.volunteers_needed
                );
                match save(
                    &app,
                    seal_activity(id, &body),
                    kind::ACTIVITY,
                    String::new(),
                    text,
                )
                .await
                {
                    Ok(_) => {
                        form.set(None);
                        title.set(String::new());
                        mine.set(crate::station::mine(&app).await);
                    }
                    Err(m) => error.set(Some(m)),
                }
                *busy.borrow_mut() = false;
            });
        })
    };

    let show_signups = |p: &Published| {
        let (app, signups, id) = (app.clone(), signups.clone(), p.id);
        Callback::from(move |_| {
            signups.set(Some(Signups {
                activity: id,
                got: None,
                no_show: None,
            }));
            let (app, signups) = (app.clone(), signups.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/volunteer-activities/{id}/signups");
                let got = read_kept(fetch_text_kept(&app, &format!("signups:{id}"), &path).await);
                signups.set(Some(Signups {
                    activity: id,
                    got: Some(got),
                    no_show: None,
                }));
            });
        })
    };

    let onno_show = {
        let (app, signups, reason, error, busy, mine) = (
            app.clone(),
            signups.clone(),
            reason.clone(),
            error.clone(),
            busy.clone(),
            mine.clone(),
        );
        Callback::from(move |_| {
            let Some(Signups {
                no_show: Some((signup, id)),
                ..
            }) = &*signups
            else {
                return;
            };
            let (signup, id) = (*signup, *id);
            let why = match check_reason(&reason) {
                Ok(r) => r.to_owned(),
                Err(m) => return error.set(Some(m)),
            };
            if busy.replace(true) {
                return;
            }
            let (app, signups, error, busy, mine) = (
                app.clone(),
                signups.clone(),
                error.clone(),
                busy.clone(),
                mine.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let text = format!("记爽约：{why}");
                let body = NoShow {
                    signup,
                    reason: why,
                };
                match save(
                    &app,
                    seal(id, &body),
                    kind::NO_SHOW,
                    signup.to_string(),
                    text,
                )
                .await
                {
                    Ok(_) => {
                        if let Some(mut s) = (*signups).clone() {
                            s.no_show = None;
                            signups.set(Some(s));
                        }
                        mine.set(crate::station::mine(&app).await);
                    }
                    Err(m) => error.set(Some(m)),
                }
                *busy.borrow_mut() = false;
            });
        })
    };

    let signup_rows = |s: &Signups| -> Html {
        match &s.got {
            None => html! { <p class="hint">{ "正在读取报名情况…" }</p> },
            Some(Err(m)) => html! { <p class="error" role="alert">{ m.clone() }</p> },
            Some(Ok((l, fresh))) => html! {
                <>
                    { kept_note(*fresh) }
                    if l.items.is_empty() { <p class="hint">{ "还没有人报名。" }</p> }
                    <ul class="cards">
                        { for l.items.iter().map(|x| {
                            let id = x.id.to_string();
                            let marked = x.no_show || mine.iter().any(|m| m.station_kind == kind::NO_SHOW && m.about == id);
                            let status = match (x.status.as_str(), x.position) {
                                ("accepted", _) => "报名成功".to_owned(),
                                (_, Some(p)) => format!("候补第 {p} 位"),
                                _ => "候补".to_owned(),
                            };
                            let onmark = {
                                let (signups, reason, error, signup) = (signups.clone(), reason.clone(), error.clone(), x.id);
                                Callback::from(move |_| {
                                    error.set(None);
                                    reason.set(String::new());
                                    if let Some(mut s) = (*signups).clone() {
                                        s.no_show = Some((signup, ids::next().0));
                                        signups.set(Some(s));
                                    }
                                })
                            };
                            let recording = s.no_show.is_some_and(|(signup, _)| signup == x.id);
                            html! {
                                <li class="card" data-testid="signup" data-id={id}>
                                    <div class="card-main">
                                        <p class="name">{ format!("{} {}", x.volunteer_name, x.phone) }</p>
                                        <p class="meta">{ status }
                                            if marked { <strong class="flag">{ " · 已记爽约" }</strong> }
                                        </p>
                                        if recording {
                                            <div class="confirm">
                                                { text_field(Kind::Area, "爽约原因（志愿者会看到）", "noshow-reason", &reason, (*error).clone()) }
                                                <div class="buttons">
                                                    <button type="button" class="primary" data-testid="noshow-confirm" onclick={onno_show.clone()}>{ "确认记爽约" }</button>
                                                </div>
                                            </div>
                                        } else if x.status == "accepted" && !marked {
                                            <button type="button" class="secondary" data-testid="noshow-open" onclick={onmark}>{ "记爽约" }</button>
                                        }
                                    </div>
                                </li>
                            }
                        }) }
                    </ul>
                </>
            },
        }
    };

    let body = match &*list {
        None => html! { <p class="hint">{ "正在读取…" }</p> },
        Some(Err(m)) => html! { <p class="error" role="alert">{ m.clone() }</p> },
        Some(Ok((l, fresh))) => html! {
            <>
                { kept_note(*fresh) }
                if l.items.is_empty() { <p class="hint">{ "本站没有尚未结束的活动。" }</p> }
                <ul class="cards">
                    { for l.items.iter().map(|p| {
                        let open_here = (*signups).as_ref().filter(|s| s.activity == p.id);
                        html! {
                            <li class="card" data-testid="published" data-id={p.id.to_string()}>
                                <div class="card-main">
                                    <p class="name">{ p.title.clone() }</p>
                                    <p class="meta">{ format!("{} 至 {}", beijing(p.starts_at), beijing(p.ends_at)) }</p>
                                    <p class="meta">{ format!("需 {} 人 · 已报名 {} · 候补 {}", p.volunteers_needed, p.accepted, p.waitlisted) }</p>
                                    if !p.skills_wanted.is_empty() {
                                        <p class="meta">{ format!("所需技能：{}", p.skills_wanted.join("、")) }</p>
                                    }
                                    if let Some(s) = open_here {
                                        { signup_rows(s) }
                                    } else {
                                        <button type="button" class="secondary" data-testid="signups-open" onclick={show_signups(p)}>{ "报名情况" }</button>
                                    }
                                </div>
                            </li>
                        }
                    }) }
                </ul>
            </>
        },
    };

    let form_html = if form.is_some() {
        html! {
            <div class="confirm" data-testid="publish-form">
                { text_field(Kind::Text, "活动名称", "va-title", &title, None) }
                { text_field(Kind::DateTime, "开始时间", "va-starts", &starts, None) }
                { text_field(Kind::DateTime, "结束时间", "va-ends", &ends, None) }
                { text_field(Kind::Numeric, "所需志愿者人数", "va-needed", &needed, None) }
                { text_field(Kind::Text, "所需技能（用顿号或逗号分隔，可不填）", "va-skills", &skills, None) }
                { text_field(Kind::Area, "活动介绍", "va-description", &description, None) }
                if let Some(e) = &*error { <p class="error" role="alert" data-testid="field-error">{ e.clone() }</p> }
                <div class="buttons">
                    <button type="button" class="primary" data-testid="va-submit" onclick={onpublish}>{ "发布" }</button>
                    <button type="button" class="secondary" onclick={onclose}>{ "取消" }</button>
                </div>
            </div>
        }
    } else {
        html! {
            <div class="buttons">
                <button type="button" class="primary" data-testid="va-open" onclick={onopen}>{ "发布新活动" }</button>
            </div>
        }
    };

    html! {
        <div class="publish">
            <h2>{ "发布志愿活动" }</h2>
            { form_html }
            <h2>{ "本站活动与报名" }</h2>
            { body }
            <h2>{ "我的发布与爽约记录" }</h2>
            { my_list(&app, &mine, &[kind::ACTIVITY, kind::NO_SHOW], "my-publish") }
        </div>
    }
}
