//! 站点码: a fresh signed pass of the station from the district (online only), laid out to
//! print on A4 — the station's name, the QR code, the validity in Beijing time and the
//! code's text for typing; and under it the station's 签到范围 ([`super::fence`]). The QR code is the district's SVG shown as an image (a
//! `data:` URL in an `<img>`), so nothing in it can run in the page.

use yew::prelude::*;

use super::station_of;
use crate::api;
use crate::components::choice::{field, Spec};
use crate::hooks::use_app;
use crate::station::wire::PassSheet;
use crate::station::{beijing, token};

const DAYS: [(&str, &str); 4] = [
    ("1", "1 天"),
    ("7", "7 天"),
    ("14", "14 天"),
    ("31", "31 天"),
];

/// Opens the browser's print dialog (the print stylesheet keeps only the sheet).
pub(crate) fn print_button() -> Html {
    let onclick = Callback::from(|_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    html! {
        <button type="button" class="primary noprint" data-testid="st-print" {onclick}>{ "打印" }</button>
    }
}

fn sheet(p: &PassSheet) -> Html {
    let src = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        js_sys::encode_uri_component(&p.qr_svg)
    );
    html! {
        <section class="print-sheet pass-sheet" data-testid="pass-sheet">
            <h1>{ p.station_name.clone() }</h1>
            <p class="sheet-sub">{ "志愿服务签到码 · 请用“文明实践”扫码签到、签退" }</p>
            <img class="qr" src={src} alt="签到二维码" data-testid="pass-qr" />
            <p class="validity" data-testid="pass-validity">
                { format!("有效期：{} 至 {}（北京时间）", beijing(p.not_before), beijing(p.not_after)) }
            </p>
            <p class="sheet-sub">{ "无法扫码时，可手动输入下面的签到码：" }</p>
            <p class="pass-text" data-testid="pass-text">{ p.pass.clone() }</p>
            <p class="sheet-sub">{ format!("站点编号 {}", p.station) }</p>
        </section>
    }
}

#[function_component(Pass)]
pub fn pass() -> Html {
    let app = use_app();
    let days = use_state(|| "7".to_owned());
    let got = use_state(|| None::<Result<PassSheet, String>>);
    let busy = use_state(|| false);
    let Some(app) = app else { return html! {} };
    let online = app.state.online;
    let onmake = {
        let (app, days, got, busy) = (app.clone(), days.clone(), got.clone(), busy.clone());
        Callback::from(move |_| {
            let Some(station) = station_of(&app) else {
                got.set(Some(Err("请先填写站点编号".to_owned())));
                return;
            };
            // The QR code then holds a link to this server's volunteers' app with the pass,
            // which any camera app or WeChat's scanner opens.
            let origin = web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default();
            let path = format!(
                "/stations/{station}/pass?days={}&base={}",
                *days,
                js_sys::encode_uri_component(&origin)
            );
            let (app, got, busy) = (app.clone(), got.clone(), busy.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result = match token(&app).await {
                    Ok(token) => api::station::get(&token, &path)
                        .await
                        .and_then(|text| api::station::read::<PassSheet>(&text))
                        .map_err(|e| match e {
                            api::ApiError::Network(_) => {
                                "网络不通：签到码由区里的服务器签发，请联网后再生成".to_owned()
                            }
                            e => e.message_zh(),
                        }),
                    Err(m) => Err(m),
                };
                got.set(Some(result));
                busy.set(false);
            });
        })
    };
    let setdays = {
        let days = days.clone();
        Callback::from(move |v: String| days.set(v))
    };
    let options = DAYS
        .iter()
        .map(|(v, l)| (AttrValue::from(*v), AttrValue::from(*l)))
        .collect();
    html! {
        <div class="pass">
            <div class="noprint">
                <h2>{ "站点签到码" }</h2>
                <p class="hint">{ "签到码由区里的服务器签名，志愿者的手机不联网也能验证。打印后张贴在实践站，过期前请重新打印。" }</p>
                { field(Spec::select("有效期", "pass-days", (*days).clone(), options, setdays).placeholder("")) }
                if !online {
                    <p class="banner error" role="alert" data-testid="pass-offline">
                        { "当前未联网：生成签到码需要联网。" }
                    </p>
                }
                <div class="buttons">
                    <button type="button" class="primary" data-testid="pass-make" disabled={*busy} onclick={onmake}>
                        { if *busy { "正在生成…" } else { "生成签到码" } }
                    </button>
                </div>
            </div>
            {
                match &*got {
                    Some(Ok(p)) => html! {
                        <>
                            <div class="buttons noprint">{ print_button() }</div>
                            { sheet(p) }
                        </>
                    },
                    Some(Err(m)) => html! { <p class="error" role="alert" data-testid="pass-error">{ m.clone() }</p> },
                    None => html! {},
                }
            }
            <super::fence::Fence />
        </div>
    }
}
