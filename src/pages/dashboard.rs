//! 活动 for the reviewers and the district (online): the activity reports of the device's
//! scope with filters (street/town, village, content area, date range) and paging, the
//! chart of activities by content area and month with its table, one report with its flags
//! in plain Chinese and its photos; and for the district admin, the summary periods — a new
//! period, and who has reported in each (已报送 / 逾期报送 / 未报送 / 逾期未报).

use std::rc::Rc;

use wenming_core::activity::ContentArea;
use wenming_core::protocol::Role;
use wenming_core::RecordId;
use yew::prelude::*;

use crate::activity::wire::{
    NewPeriod, PlainDetail, PlainList, PlainPeriod, PlainStats, PlainStatus,
};
use crate::app::AppContext;
use crate::components::activity_view::{chart, flags_list};
use crate::components::choice::{field, Kind, Spec};
use crate::filing::wire::date;
use crate::hooks::use_app;
use crate::{api, time};

const PAGE: u32 = 20;

/// What a fetch gave.
#[derive(Debug, Clone, PartialEq)]
enum Got<T> {
    Loading,
    Ok(Rc<T>),
    Failed(String),
}

/// The device's token, or the message to show.
async fn token(app: &AppContext) -> Result<String, String> {
    match app.store.session().await {
        Ok(Some(s)) => Ok(s.token),
        Ok(None) => Err("设备未注册".to_owned()),
        Err(e) => Err(e.message_zh()),
    }
}

/// The filters as a query string.
fn query(f: &[String; 5], offset: u32) -> String {
    let mut q = format!("limit={PAGE}&offset={offset}");
    for (key, value) in ["town", "village", "area", "from", "to"]
        .iter()
        .zip(f.iter())
    {
        if !value.is_empty() {
            q.push_str(&format!("&{key}={value}"));
        }
    }
    q
}

#[function_component(DashboardPage)]
pub fn dashboard_page() -> Html {
    let app = use_app();
    let filters = use_state(<[String; 5]>::default);
    let offset = use_state(|| 0u32);
    let list = use_state(|| Got::<PlainList>::Loading);
    let stats = use_state(|| Got::<PlainStats>::Loading);
    let open = use_state(|| None::<RecordId>);
    let show_summaries = use_state(|| false);
    {
        let (app, list, stats) = (app.clone(), list.clone(), stats.clone());
        use_effect_with(((*filters).clone(), *offset), move |(f, offset)| {
            let (q, sq) = (query(f, *offset), query(f, 0));
            if let Some(app) = app {
                list.set(Got::Loading);
                wasm_bindgen_futures::spawn_local(async move {
                    let token = match token(&app).await {
                        Ok(t) => t,
                        Err(m) => return list.set(Got::Failed(m)),
                    };
                    list.set(match api::activity::list(&token, &q).await {
                        Ok(l) => Got::Ok(Rc::new(l)),
                        Err(e) => Got::Failed(e.message_zh()),
                    });
                    stats.set(match api::activity::stats(&token, &sq).await {
                        Ok(s) => Got::Ok(Rc::new(s)),
                        Err(e) => Got::Failed(e.message_zh()),
                    });
                });
            }
        });
    }
    let Some(app) = app else { return html! {} };
    if let Some(id) = *open {
        let onback = {
            let open = open.clone();
            Callback::from(move |_| open.set(None))
        };
        return html! { <ActivityDetail {id} {onback} /> };
    }
    let district = app
        .state
        .device
        .as_ref()
        .is_some_and(|d| d.role == Role::DistrictAdmin);
    if *show_summaries {
        let onback = {
            let show = show_summaries.clone();
            Callback::from(move |_| show.set(false))
        };
        return html! { <SummaryPeriods {onback} /> };
    }

    let refdata = &app.state.refdata;
    let f = (*filters).clone();
    let set = |n: usize| {
        let (filters, offset) = (filters.clone(), offset.clone());
        Callback::from(move |v: String| {
            let mut f = (*filters).clone();
            f[n] = v;
            if n == 0 {
                f[1].clear();
            }
            offset.set(0);
            filters.set(f);
        })
    };
    let opt = |v: String, l: &str| (AttrValue::from(v), AttrValue::from(l.to_owned()));
    let towns = refdata
        .towns
        .iter()
        .map(|t| opt(t.code.to_string(), &t.name))
        .collect();
    let villages = refdata
        .villages
        .iter()
        .filter(|v| f[0].is_empty() || v.town.as_str() == f[0])
        .map(|v| opt(v.code.to_string(), &v.name))
        .collect();
    let areas = ContentArea::ALL
        .iter()
        .map(|a| opt(a.as_str().to_owned(), a.name_zh()))
        .collect();
    let body = match &*list {
        Got::Loading => html! { <p class="hint">{ "正在读取…" }</p> },
        Got::Failed(m) => {
            html! { <p class="notice error">{ format!("无法读取活动（{m}）。本页需要联网。") }</p> }
        }
        Got::Ok(l) => {
            let page = |to: u32| {
                let offset = offset.clone();
                Callback::from(move |_| offset.set(to))
            };
            let (at, total) = (*offset, l.total);
            html! {
                <>
                    <p class="meta" data-testid="act-total">{ format!("共 {total} 场活动") }</p>
                    <ul class="cards">
                        { for l.items.iter().map(|a| {
                            let onclick = {
                                let (open, id) = (open.clone(), a.id);
                                Callback::from(move |_| open.set(Some(id)))
                            };
                            let arrived = a.photos.iter().filter(|p| p.arrived).count();
                            html! {
                                <li class="card clickable" data-testid="activity" data-id={a.id.to_string()} {onclick} role="button" tabindex="0">
                                    <div class="card-main">
                                        <p class="name">{ a.title.clone() }</p>
                                        <p class="meta">{ format!("{} · {}{} · {}", a.area.name_zh(), a.town_name, a.village_name, time::format_local(a.starts_at)) }</p>
                                        <p class="meta">{ format!("{} 人参与 · 照片 {}/{} · {}", a.participants, arrived, a.photos.len(), a.reported_by) }</p>
                                        { flags_list(&a.flags) }
                                    </div>
                                </li>
                            }
                        }) }
                    </ul>
                    <div class="buttons pager">
                        if at > 0 {
                            <button type="button" class="secondary" onclick={page(at.saturating_sub(PAGE))}>{ "上一页" }</button>
                        }
                        if u64::from(at + PAGE) < total {
                            <button type="button" class="secondary" data-testid="act-next-page" onclick={page(at + PAGE)}>{ "下一页" }</button>
                        }
                    </div>
                </>
            }
        }
    };
    let chart_html = match &*stats {
        Got::Ok(s) => chart(s),
        Got::Failed(m) => html! { <p class="hint">{ format!("无法读取统计（{m}）") }</p> },
        Got::Loading => html! {},
    };
    let onsummaries = {
        let show = show_summaries.clone();
        Callback::from(move |_| show.set(true))
    };
    html! {
        <div class="dashboard">
            if district {
                <button type="button" class="secondary" data-testid="summary-periods" onclick={onsummaries}>{ "总结报告：统计期与报送情况" }</button>
            }
            <details class="filters" open=true>
                <summary>{ "筛选" }</summary>
                { field(Spec::select("街道/乡镇", "act-filter-town", f[0].clone(), towns, set(0)).placeholder("全部")) }
                { field(Spec::select("社区/村（实践站）", "act-filter-village", f[1].clone(), villages, set(1)).placeholder("全部")) }
                { field(Spec::select("活动领域", "act-filter-area", f[2].clone(), areas, set(2)).placeholder("全部")) }
                { field(Spec::new(Kind::Date, "开始日期", "act-filter-from", f[3].clone(), set(3))) }
                { field(Spec::new(Kind::Date, "结束日期", "act-filter-to", f[4].clone(), set(4))) }
            </details>
            <h2>{ "按领域和月份统计" }</h2>
            { chart_html }
            <h2>{ "活动报告" }</h2>
            { body }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct DetailProps {
    id: RecordId,
    onback: Callback<()>,
}

#[function_component(ActivityDetail)]
fn activity_detail(props: &DetailProps) -> Html {
    let app = use_app();
    let got = use_state(|| Got::<PlainDetail>::Loading);
    let token_state = use_state(|| None::<String>);
    {
        let (app, got, token_state) = (app.clone(), got.clone(), token_state.clone());
        use_effect_with(props.id, move |id| {
            let id = *id;
            if let Some(app) = app {
                wasm_bindgen_futures::spawn_local(async move {
                    let token = match token(&app).await {
                        Ok(t) => t,
                        Err(m) => return got.set(Got::Failed(m)),
                    };
                    got.set(match api::activity::detail(&token, id).await {
                        Ok(d) => Got::Ok(Rc::new(d)),
                        Err(e) => Got::Failed(e.message_zh()),
                    });
                    token_state.set(Some(token));
                });
            }
        });
    }
    let onback = {
        let onback = props.onback.clone();
        Callback::from(move |_| onback.emit(()))
    };
    let body = match &*got {
        Got::Loading => html! { <p class="hint">{ "正在读取…" }</p> },
        Got::Failed(m) => {
            html! { <p class="notice error">{ format!("无法读取该活动（{m}）") }</p> }
        }
        Got::Ok(d) => {
            let r = &d.report;
            let organizers: Vec<&str> = r.organizers.iter().map(|o| o.name.as_str()).collect();
            let groups: Vec<&str> = r.groups.iter().map(|g| g.name_zh()).collect();
            let volunteers: Vec<String> = r
                .volunteers
                .iter()
                .map(|v| format!("{}（{} 分钟）", v.name, v.minutes))
                .collect();
            let rows = [
                (
                    "实践站",
                    format!("{}（{}{}）", d.station_name, d.town_name, d.village_name),
                ),
                ("结束时间", time::format_local(r.ends_at)),
                ("地点", r.place.clone()),
                ("组织单位", organizers.join("、")),
                (
                    "服务对象",
                    if groups.is_empty() {
                        "全体居民".to_owned()
                    } else {
                        groups.join("、")
                    },
                ),
                ("服务志愿者", volunteers.join("、")),
                ("开展情况", r.summary.clone()),
                ("成效", r.results.clone()),
                (
                    "报告人",
                    format!(
                        "{}（{} 收到）",
                        d.reported_by,
                        time::format_local(d.received_at)
                    ),
                ),
            ];
            let token = (*token_state).clone().unwrap_or_default();
            html! {
                <>
                    <h2>{ r.title.clone() }</h2>
                    <p class="meta">{ format!("{} · {}", r.area.name_zh(), time::format_local(r.starts_at)) }</p>
                    { flags_list(&d.flags) }
                    if let Some(p) = &d.pre_report {
                        <p class="meta">{ format!("事先报告：{}（{}）", p.pre_report.title, p.state.name_zh()) }</p>
                    }
                    <div class="thumbs">
                        { for d.photos.iter().map(|p| html! {
                            <Thumb hash={AttrValue::from(p.hash.clone())} arrived={p.arrived} token={AttrValue::from(token.clone())} />
                        }) }
                    </div>
                    <table class="form-table facts">
                        { for rows.into_iter().map(|(k, v)| html! { <tr><th>{ k }</th><td>{ v }</td></tr> }) }
                    </table>
                </>
            }
        }
    };
    html! {
        <div class="activity-detail" data-testid="activity-detail">
            <div class="editor-head">
                <button type="button" class="link" onclick={onback}>{ "‹ 返回列表" }</button>
            </div>
            { body }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ThumbProps {
    hash: AttrValue,
    arrived: bool,
    token: AttrValue,
}

/// One photo, fetched with the device's token; 照片未上传 while the district lacks it.
#[function_component(Thumb)]
fn thumb(props: &ThumbProps) -> Html {
    let url = use_state(|| None::<Result<String, &'static str>>);
    {
        let url = url.clone();
        let (hash, arrived, token) = (props.hash.clone(), props.arrived, props.token.clone());
        use_effect_with(hash.clone(), move |_| {
            let shown = url.clone();
            if arrived && !token.is_empty() {
                wasm_bindgen_futures::spawn_local(async move {
                    url.set(Some(match api::activity::photo_url(&token, &hash).await {
                        Ok(Some(u)) => Ok(u),
                        Ok(None) => Err("照片未上传"),
                        Err(_) => Err("照片暂时无法显示"),
                    }));
                });
            }
            move || {
                if let Some(Ok(u)) = &*shown {
                    let _ = web_sys::Url::revoke_object_url(u);
                }
            }
        });
    }
    match (&*url, props.arrived) {
        (Some(Ok(u)), _) => html! { <img class="thumb" src={u.clone()} alt="活动照片" /> },
        (Some(Err(m)), _) => {
            html! { <span class="thumb missing" data-testid="photo-missing">{ *m }</span> }
        }
        (None, false) => {
            html! { <span class="thumb missing" data-testid="photo-missing">{ "照片未上传" }</span> }
        }
        (None, true) => html! { <span class="thumb missing">{ "…" }</span> },
    }
}

#[derive(Properties, PartialEq)]
struct PeriodsProps {
    onback: Callback<()>,
}

/// The district admin's summary periods: a new one, and who has reported in each.
#[function_component(SummaryPeriods)]
fn summary_periods(props: &PeriodsProps) -> Html {
    let app = use_app();
    let periods = use_state(|| Got::<Vec<PlainPeriod>>::Loading);
    let reload = use_state(|| 0u32);
    let form = use_state(<[String; 4]>::default);
    let message = use_state(|| None::<(bool, String)>);
    let status = use_state(|| None::<(RecordId, Got<PlainStatus>)>);
    {
        let (app, periods) = (app.clone(), periods.clone());
        use_effect_with(*reload, move |_| {
            if let Some(app) = app {
                wasm_bindgen_futures::spawn_local(async move {
                    let got = match token(&app).await {
                        Ok(t) => match api::activity::periods(&t).await {
                            Ok(p) => Got::Ok(Rc::new(p.periods)),
                            Err(e) => Got::Failed(e.message_zh()),
                        },
                        Err(m) => Got::Failed(m),
                    };
                    periods.set(got);
                });
            }
        });
    }
    let Some(app) = app else { return html! {} };
    let set = |n: usize| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut f = (*form).clone();
            f[n] = v;
            form.set(f);
        })
    };
    let oncreate = {
        let (form, message, reload, app) =
            (form.clone(), message.clone(), reload.clone(), app.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = (*form).clone();
            let (Some(from), Some(to), Some(deadline)) =
                (date::parse(&f[1]), date::parse(&f[2]), date::parse(&f[3]))
            else {
                message.set(Some((
                    false,
                    "请填写统计期的开始、结束日期和报送截止日期".to_owned(),
                )));
                return;
            };
            let new = NewPeriod {
                name: f[0].trim().to_owned(),
                from,
                to,
                deadline,
            };
            let core = wenming_core::activity::views::NewSummaryPeriod {
                name: new.name.clone(),
                period: wenming_core::activity::summary::Period { from, to, deadline },
            };
            if let Some(problem) = core.check() {
                message.set(Some((false, problem)));
                return;
            }
            let (form, message, reload, app) =
                (form.clone(), message.clone(), reload.clone(), app.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let done = match token(&app).await {
                    Ok(t) => api::activity::create_period(&t, &new)
                        .await
                        .map_err(|e| e.message_zh()),
                    Err(m) => Err(m),
                };
                match done {
                    Ok(()) => {
                        message.set(Some((true, format!("已创建统计期“{}”", new.name))));
                        form.set(Default::default());
                        reload.set(*reload + 1);
                    }
                    Err(m) => message.set(Some((false, m))),
                }
            });
        })
    };
    let show_status = |id: RecordId| {
        let (status, app) = (status.clone(), app.clone());
        Callback::from(move |_| {
            status.set(Some((id, Got::Loading)));
            let (status, app) = (status.clone(), app.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let got = match token(&app).await {
                    Ok(t) => match api::activity::period_status(&t, id).await {
                        Ok(s) => Got::Ok(Rc::new(s)),
                        Err(e) => Got::Failed(e.message_zh()),
                    },
                    Err(m) => Got::Failed(m),
                };
                status.set(Some((id, got)));
            });
        })
    };
    let onback = {
        let onback = props.onback.clone();
        Callback::from(move |_| onback.emit(()))
    };
    let f = (*form).clone();
    let status_html = |id: RecordId| match &*status {
        Some((shown, got)) if *shown == id => match got {
            Got::Loading => html! { <p class="hint">{ "正在读取…" }</p> },
            Got::Failed(m) => html! { <p class="notice error">{ m.clone() }</p> },
            Got::Ok(s) => html! {
                <div class="period-status" data-testid="period-status">
                    <p class="meta">{ format!("已报送 {}，逾期报送 {}，未报送 {}，逾期未报 {}",
                        s.counts.reported, s.counts.reported_late, s.counts.not_yet, s.counts.late) }</p>
                    <div class="table-scroll">
                        <table class="form-table">
                            <tr><th>{ "报送单位" }</th><th>{ "情况" }</th></tr>
                            { for s.reporters.iter().map(|r| html! {
                                <tr data-state={r.status.as_str()}>
                                    <td>{ format!("{}（{}）", r.name, r.town_name) }</td>
                                    <td>
                                        <strong>{ r.status.name_zh() }</strong>
                                        if let (Some(at), Some(by)) = (r.reported_at, &r.reported_by) {
                                            { format!(" {by} {}", time::format_local(at)) }
                                        }
                                    </td>
                                </tr>
                            }) }
                        </table>
                    </div>
                </div>
            },
        },
        _ => html! {},
    };
    html! {
        <div class="summary-periods">
            <div class="editor-head">
                <h2>{ "总结报告" }</h2>
                <button type="button" class="link" onclick={onback}>{ "‹ 返回活动" }</button>
            </div>
            <form class="form" onsubmit={oncreate} novalidate=true>
                <h3>{ "新建统计期" }</h3>
                { field(Spec::new(Kind::Text, "名称（如：2026年第四季度）", "period-name", f[0].clone(), set(0))) }
                { field(Spec::new(Kind::Date, "统计开始日期", "period-from", f[1].clone(), set(1))) }
                { field(Spec::new(Kind::Date, "统计结束日期", "period-to", f[2].clone(), set(2))) }
                { field(Spec::new(Kind::Date, "报送截止日期", "period-deadline", f[3].clone(), set(3))) }
                if let Some((ok, m)) = &*message {
                    <p class={classes!("notice", if *ok { "ok" } else { "error" })} role="status">{ m.clone() }</p>
                }
                <button type="submit" class="primary" data-testid="period-create">{ "创建" }</button>
            </form>
            <h3>{ "统计期" }</h3>
            {
                match &*periods {
                    Got::Loading => html! { <p class="hint">{ "正在读取…" }</p> },
                    Got::Failed(m) => html! { <p class="notice error">{ format!("无法读取（{m}）。本页需要联网。") }</p> },
                    Got::Ok(list) => html! {
                        <ul class="cards">
                            { for list.iter().map(|p| html! {
                                <li class="card" data-testid="period">
                                    <div class="card-main">
                                        <p class="name">{ p.name.clone() }</p>
                                        <p class="meta">{ format!("{} 至 {}，{} 前报送", date::write(&p.from), date::write(&p.to), date::write(&p.deadline)) }</p>
                                        <button type="button" class="secondary" data-testid="period-show" onclick={show_status(p.id)}>{ "报送情况" }</button>
                                        { status_html(p.id) }
                                    </div>
                                </li>
                            }) }
                        </ul>
                    },
                }
            }
        </div>
    }
}
