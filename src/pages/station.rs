//! 站务 (the station admin's volunteer tab; the district admin's too, for a station it
//! names): the station pass to print (站点码), the hours waiting for review (待审核时长),
//! point exchange (积分兑换), published activities and their sign-ups (发布活动), and a
//! volunteer's account and certificate (志愿者查询). Each part is a screen of its own in
//! `station/`; what they share is here.

mod exchange;
mod fence;
mod hours;
mod lookup;
mod pass;
mod publish;

use wenming_core::protocol::Role;
use wenming_core::StationCode;
use yew::prelude::*;

use crate::app::AppContext;
use crate::browser::prefs;
use crate::components::activity_view::sync_badge;
use crate::components::choice::{field, Kind, Spec};
use crate::hooks::use_app;
use crate::station::{token, Mine};
use crate::{api, station};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Hours,
    Pass,
    Exchange,
    Publish,
    Lookup,
}

const SECTIONS: [(Section, &str, &str); 5] = [
    (Section::Hours, "待审核时长", "st-hours"),
    (Section::Pass, "站点码", "st-pass"),
    (Section::Exchange, "积分兑换", "st-exchange"),
    (Section::Publish, "发布活动", "st-publish"),
    (Section::Lookup, "志愿者查询", "st-lookup"),
];

/// The station the tab works for: a station admin's own (its scope is the village, whose
/// code the station shares); the district admin's is typed and remembered.
pub(crate) fn station_of(app: &AppContext) -> Option<StationCode> {
    let device = app.state.device.as_ref()?;
    let code = match device.role {
        Role::StationAdmin => device.scope.to_string(),
        _ => prefs::get(prefs::STATION),
    };
    StationCode::parse(&code).ok()
}

/// A district answer: fresh when online (and kept under `name`), else the kept one; with
/// whether it is fresh. `Err` only when there is neither. Not generic: the caller reads the
/// text with [`read_kept`], so this await is in the download once.
pub(crate) async fn fetch_text_kept(
    app: &AppContext,
    name: &str,
    path: &str,
) -> Result<(String, bool), String> {
    let token = token(app).await?;
    match api::station::get(&token, path).await {
        Ok(text) => {
            let _ = app.store.cache_put(name, &text).await;
            Ok((text, true))
        }
        Err(e) => {
            let kept: Option<String> = app.store.cache_get(name).await.ok().flatten();
            kept.map(|t| (t, false)).ok_or_else(|| e.message_zh())
        }
    }
}

/// What [`fetch_text_kept`] gave, read as `T`.
pub(crate) fn read_kept<T: serde::de::DeserializeOwned>(
    got: Result<(String, bool), String>,
) -> Result<(T, bool), String> {
    let (text, fresh) = got?;
    api::station::read(&text)
        .map(|v| (v, fresh))
        .map_err(|e| e.message_zh())
}

/// A line under a list that came from the phone's copy.
pub(crate) fn kept_note(fresh: bool) -> Html {
    if fresh {
        html! {}
    } else {
        html! { <p class="hint" data-testid="st-kept">{ "未联网：显示的是上次同步时的数据" }</p> }
    }
}

/// This phone's records of some kinds, with their sync state; rejected ones say why.
pub(crate) fn my_list(
    app: &AppContext,
    mine: &[Mine],
    kinds: &[&str],
    testid: &'static str,
) -> Html {
    let rows: Vec<Html> = mine
        .iter()
        .filter(|m| kinds.contains(&m.station_kind.as_str()))
        .take(30)
        .map(|m| {
            let sync = m.sync(app);
            html! {
                <li class="card" data-testid={testid} data-id={m.id.to_string()} data-about={m.about.clone()}>
                    <div class="card-main">
                        <p class="name">{ m.text.clone() }</p>
                        <p class="meta">{ station::beijing(m.at) }</p>
                    </div>
                    { sync_badge(&sync, "st-sync") }
                </li>
            }
        })
        .collect();
    if rows.is_empty() {
        return html! {};
    }
    html! { <ul class="cards">{ for rows }</ul> }
}

/// A text field bound to a `UseStateHandle<String>`.
pub(crate) fn text_field(
    kind: Kind,
    label: &'static str,
    testid: &'static str,
    value: &UseStateHandle<String>,
    error: Option<String>,
) -> Html {
    let set = {
        let value = value.clone();
        Callback::from(move |v: String| value.set(v))
    };
    field(Spec::new(kind, label, testid, (**value).clone(), set).error(error.map(AttrValue::from)))
}

#[function_component(StationPage)]
pub fn station_page() -> Html {
    let app = use_app();
    let section = use_state(|| Section::Hours);
    let station_text = use_state(|| prefs::get(prefs::STATION));
    let Some(app) = app else { return html! {} };
    let district = app
        .state
        .device
        .as_ref()
        .is_some_and(|d| d.role != Role::StationAdmin);
    let nav = SECTIONS.iter().map(|&(s, label, testid)| {
        let onclick = {
            let section = section.clone();
            Callback::from(move |_| section.set(s))
        };
        let active = *section == s;
        html! {
            <button type="button" class={classes!("seg", active.then_some("active"))}
                aria-pressed={if active { "true" } else { "false" }} data-testid={testid} {onclick}>
                { label }
            </button>
        }
    });
    let choose_station = district.then(|| {
        let set = {
            let station_text = station_text.clone();
            Callback::from(move |v: String| {
                prefs::set(prefs::STATION, v.trim());
                station_text.set(v);
            })
        };
        let error = (!station_text.is_empty() && StationCode::parse(station_text.trim()).is_err())
            .then(|| AttrValue::from("站点编号为 12 位数字（村、社区代码）"));
        field(
            Spec::new(
                Kind::Numeric,
                "站点编号",
                "st-station",
                (*station_text).clone(),
                set,
            )
            .error(error),
        )
    });
    let body = match *section {
        Section::Hours => html! { <hours::Hours /> },
        Section::Pass => html! { <pass::Pass /> },
        Section::Exchange => html! { <exchange::Exchange /> },
        Section::Publish => html! { <publish::Publish /> },
        Section::Lookup => html! { <lookup::Lookup /> },
    };
    html! {
        <div class="station">
            <nav class="segments" aria-label="站务">{ for nav }</nav>
            { for choose_station }
            { body }
        </div>
    }
}
