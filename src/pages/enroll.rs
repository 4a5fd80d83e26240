//! 设备注册: trades the one-time code of an enrollment link for a device token.

use wenming_core::auth::EnrollmentCode;
use yew::prelude::*;

use crate::app::{Action, AppContext};
use crate::components::field::{field, Field};
use crate::hooks::use_app;
use crate::store::Session;
use crate::{api, browser, sync};

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Idle,
    Working(&'static str),
    Failed(String),
}

/// Enrolls with `code`; on success the session is stored, the link leaves the address
/// bar, reference data is pulled, and the app goes home.
async fn enroll(
    app: &AppContext,
    code: &str,
    progress: &dyn Fn(&'static str),
) -> Result<(), String> {
    let code = EnrollmentCode::parse(code).map_err(|e| e.to_string())?;
    let answer = api::enroll(code.as_str()).await.map_err(|e| {
        if e.is_unauthorized() {
            "注册码无效或已使用，请向管理员索取新的注册链接".to_owned()
        } else {
            e.message_zh()
        }
    })?;
    let session = Session {
        token: answer.token.clone(),
        device: answer.device.clone(),
    };
    app.store
        .save_session(&session)
        .await
        .map_err(|e| e.message_zh())?;
    if let Some(key) = &answer.district_key {
        // Without it passes are still read, as typed codes; the sync cycle fetches it.
        let _ = app.store.save_district_key(key).await;
    }
    browser::clear_query();
    progress("注册成功，正在下载实践站列表…");
    let refdata = sync::pull_reference_data(&app.store, &session.token).await;
    app.state.dispatch(Action::Enrolled {
        device: session.device,
        refdata,
    });
    app.sync.resume();
    Ok(())
}

#[function_component(EnrollPage)]
pub fn enroll_page() -> Html {
    let app = use_app();
    let code = use_state(|| browser::enroll_code_in_url().unwrap_or_default());
    let status = use_state(|| Status::Idle);

    let submit = {
        let app = app.clone();
        let status = status.clone();
        Callback::from(move |code: String| {
            let Some(app) = app.clone() else { return };
            if matches!(*status, Status::Working(_)) {
                return;
            }
            status.set(Status::Working("正在注册…"));
            let status = status.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let progress = |text| status.set(Status::Working(text));
                match enroll(&app, &code, &progress).await {
                    Ok(()) => status.set(Status::Idle),
                    Err(message) => status.set(Status::Failed(message)),
                }
            });
        })
    };
    {
        // An enrollment link enrolls by itself.
        let submit = submit.clone();
        use_effect_with((), move |_| {
            if let Some(code) = browser::enroll_code_in_url() {
                submit.emit(code);
            }
        });
    }

    let oninput = {
        let code = code.clone();
        Callback::from(move |v: String| code.set(v))
    };
    let onsubmit = {
        let code = code.clone();
        let submit = submit.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            submit.emit((*code).clone());
        })
    };
    let oncancel = {
        let app = app.clone();
        Callback::from(move |_| {
            if let Some(app) = &app {
                app.state.dispatch(Action::CancelEnroll);
            }
        })
    };
    let enrolled = app.as_ref().is_some_and(|a| a.state.device.is_some());
    let working = matches!(*status, Status::Working(_));

    html! {
        <div class="enroll">
            <header class="topbar"><h1>{ "设备注册" }</h1></header>
            <main class="page">
                <p class="lead">
                    { "请打开管理员发给您的注册链接，或在下面输入注册码（16 位字母和数字）。" }
                </p>
                <form {onsubmit} novalidate=true>
                    { field(Field {
                        label: "注册码",
                        testid: "enroll-code",
                        value: &code,
                        autocomplete: Some("off"),
                        placeholder: Some("例如 7K2M-QX9P-…"),
                        ..Field::TEXT
                    }, oninput) }
                    <button type="submit" class="primary" data-testid="enroll-submit"
                        disabled={working}>
                        { "注册" }
                    </button>
                </form>
                {
                    match &*status {
                        Status::Idle => html! {},
                        Status::Working(text) => html! { <p class="info" role="status">{ *text }</p> },
                        Status::Failed(message) => html! {
                            <p class="error" role="alert">{ message.clone() }</p>
                        },
                    }
                }
                if enrolled {
                    <button type="button" class="link" onclick={oncancel}>{ "返回" }</button>
                }
            </main>
        </div>
    }
}
