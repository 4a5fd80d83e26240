//! 签到范围: the station's optional geofence (#5), a circle the district compares each
//! check-in's position with. The admin stands at the station and sets it from this
//! phone's position with a radius, or removes it. A setting made online only: the
//! district answers with the fence as it now is.

use serde::Deserialize;
use wenming_core::volunteer::pass::{Geofence, Position};
use yew::prelude::*;

use super::station_of;
use crate::api;
use crate::app::AppContext;
use crate::browser;
use crate::components::choice::{field, Spec};
use crate::hooks::use_app;
use crate::station::token;
use crate::station::wire::degrees;

const RADII: [(&str, &str); 4] = [
    ("100", "100 米"),
    ("200", "200 米"),
    ("500", "500 米"),
    ("1000", "1000 米"),
];

/// A fix less precise than this is refused: the fence would be off by as much.
const MAX_ACCURACY_M: u32 = 100;

/// `GET/PUT/DELETE /stations/{code}/geofence` answer this.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Answer {
    geofence: Option<Geofence>,
}

#[derive(Debug, Clone, PartialEq)]
enum Shown {
    Unknown,
    Fence(Option<Geofence>, Option<String>),
    Failed(String),
}

/// Calls the district and shows its answer, or why not.
fn call(
    app: &AppContext,
    shown: &UseStateHandle<Shown>,
    method: &'static str,
    json: Option<String>,
    done: &'static str,
) {
    let Some(station) = station_of(app) else {
        shown.set(Shown::Failed("请先填写站点编号".to_owned()));
        return;
    };
    let (app, shown) = (app.clone(), shown.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let path = format!("/stations/{station}/geofence");
        let answer = match token(&app).await {
            Ok(token) => api::station::send(&token, method, &path, json)
                .await
                .and_then(|text| api::station::read::<Answer>(&text))
                .map_err(|e| match e {
                    api::ApiError::Network(_) => "网络不通：签到范围需联网设定".to_owned(),
                    e => e.message_zh(),
                }),
            Err(m) => Err(m),
        };
        shown.set(match answer {
            Ok(a) => Shown::Fence(a.geofence, (!done.is_empty()).then(|| done.to_owned())),
            Err(m) => Shown::Failed(m),
        });
    });
}

#[function_component(Fence)]
pub fn fence() -> Html {
    let app = use_app();
    let radius = use_state(|| "200".to_owned());
    let shown = use_state(|| Shown::Unknown);
    {
        let (app, shown) = (app.clone(), shown.clone());
        use_effect_with((), move |_| {
            if let Some(app) = &app {
                call(app, &shown, "GET", None, "");
            }
        });
    }
    let Some(app) = app else { return html! {} };
    let onset = {
        let (app, shown, radius) = (app.clone(), shown.clone(), radius.clone());
        Callback::from(move |_| {
            let (app, shown, radius) = (app.clone(), shown.clone(), radius.clone());
            shown.set(Shown::Unknown);
            browser::locate(Callback::from(move |fix: Result<[f64; 3], String>| {
                let position = fix.and_then(|[lat, lon, acc]| {
                    Position::from_degrees(lat, lon, acc)
                        .ok_or_else(|| "定位结果无效，请重试".to_owned())
                });
                match position {
                    Ok(p) if p.accuracy_m > MAX_ACCURACY_M => shown.set(Shown::Failed(format!(
                        "定位误差约 {} 米，太大了：请到室外开阔处重试",
                        p.accuracy_m
                    ))),
                    Ok(p) => {
                        let json = format!(
                            "{{\"lat_e6\":{},\"lon_e6\":{},\"radius_m\":{}}}",
                            p.lat_e6, p.lon_e6, *radius
                        );
                        call(&app, &shown, "PUT", Some(json), "已按本机位置设定签到范围");
                    }
                    Err(m) => shown.set(Shown::Failed(m)),
                }
            }));
        })
    };
    let onclear = {
        let (app, shown) = (app.clone(), shown.clone());
        Callback::from(move |_| call(&app, &shown, "DELETE", None, "已取消签到范围"))
    };
    let setradius = {
        let radius = radius.clone();
        Callback::from(move |v: String| radius.set(v))
    };
    let options = RADII
        .iter()
        .map(|(v, l)| (AttrValue::from(*v), AttrValue::from(*l)))
        .collect();
    let current = match &*shown {
        Shown::Unknown => html! { <p class="hint">{ "正在读取…" }</p> },
        Shown::Failed(m) => {
            html! { <p class="error" role="alert" data-testid="fence-error">{ m.clone() }</p> }
        }
        Shown::Fence(f, done) => html! {
            <>
                if let Some(done) = done {
                    <p class="notice ok" role="status">{ done.clone() }</p>
                }
                <p class="meta" data-testid="fence-current">
                    { match f {
                        Some(g) => format!("当前签到范围：以 {}, {} 为中心，半径 {} 米", degrees(g.lat_e6), degrees(g.lon_e6), g.radius_m),
                        None => "未设定签到范围：签到不核对位置".to_owned(),
                    } }
                </p>
            </>
        },
    };
    let has_fence = matches!(&*shown, Shown::Fence(Some(_), _));
    html! {
        <section class="fence noprint">
            <h2>{ "签到范围" }</h2>
            <p class="hint">{ "可选。站在实践站里设定：志愿者签到时手机记下位置，区里据此核对是否在站点范围内。需要联网。" }</p>
            { current }
            { field(Spec::select("半径", "fence-radius", (*radius).clone(), options, setradius).placeholder("")) }
            <div class="buttons">
                <button type="button" class="primary" data-testid="fence-set" onclick={onset}>{ "以本机当前位置设定" }</button>
                if has_fence {
                    <button type="button" class="secondary" data-testid="fence-clear" onclick={onclear}>{ "取消签到范围" }</button>
                }
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::*;

    use super::*;

    #[wasm_bindgen_test]
    fn degrees_are_written_from_millionths_without_floats() {
        assert_eq!(degrees(29_325_201), "29.325201");
        assert_eq!(degrees(107_000_098), "107.000098");
        assert_eq!(degrees(-33_868_800), "-33.868800");
        assert_eq!(degrees(-500_000), "-0.500000");
        assert_eq!(degrees(0), "0.000000");
    }

    #[wasm_bindgen_test]
    fn the_districts_answer_reads_with_and_without_a_fence() {
        let golden = include_str!("../../../crates/core/tests/golden/station_geofence.json");
        let a: Answer = api::station::read(golden).unwrap();
        let fence = Geofence {
            lat_e6: 29_325_146,
            lon_e6: 107_760_331,
            radius_m: 150,
        };
        assert_eq!(a.geofence, Some(fence));
        let none: Answer =
            api::station::read(r#"{"station":"500156001001","geofence":null}"#).unwrap();
        assert_eq!(none.geofence, None);
    }
}
