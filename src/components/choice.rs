//! Labelled form fields with their error message underneath — a line of text, a select,
//! several lines — for the filing forms: one plain function for all of them, not a
//! component per field, since a component's machinery and each call site's props code
//! cost the download more than re-rendering a field with its form.

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A mobile number: the phone keyboard.
    Tel,
    /// Digits only.
    Numeric,
    Date,
    /// A date and a time of day (`datetime-local`).
    DateTime,
    /// Several lines.
    Area,
    Select,
}

/// What a field shows.
pub struct Spec {
    pub kind: Kind,
    pub label: AttrValue,
    pub testid: &'static str,
    pub value: AttrValue,
    /// A select's `(value, label)` pairs.
    pub options: Vec<(AttrValue, AttrValue)>,
    /// A select's first, empty option (请选择, 全部; none if empty), or an input's hint.
    pub placeholder: &'static str,
    /// A `data-section` attribute (the charter's sections).
    pub section: Option<AttrValue>,
    pub rows: u32,
    pub error: Option<AttrValue>,
    pub oninput: Callback<String>,
}

impl Spec {
    pub fn new(
        kind: Kind,
        label: impl Into<AttrValue>,
        testid: &'static str,
        value: impl Into<AttrValue>,
        oninput: Callback<String>,
    ) -> Self {
        Spec {
            kind,
            label: label.into(),
            testid,
            value: value.into(),
            options: Vec::new(),
            placeholder: if kind == Kind::Select {
                "请选择"
            } else {
                ""
            },
            section: None,
            rows: 3,
            error: None,
            oninput,
        }
    }

    pub fn select(
        label: impl Into<AttrValue>,
        testid: &'static str,
        value: impl Into<AttrValue>,
        options: Vec<(AttrValue, AttrValue)>,
        onchange: Callback<String>,
    ) -> Self {
        Spec {
            options,
            ..Spec::new(Kind::Select, label, testid, value, onchange)
        }
    }

    pub fn error(mut self, error: Option<AttrValue>) -> Self {
        self.error = error;
        self
    }

    pub fn placeholder(mut self, placeholder: &'static str) -> Self {
        self.placeholder = placeholder;
        self
    }
}

/// The value of the element an event came from.
fn value_of(e: &Event) -> String {
    if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
        select.value()
    } else if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
        area.value()
    } else {
        e.target_unchecked_into::<HtmlInputElement>().value()
    }
}

pub fn field(spec: Spec) -> Html {
    let id = format!(
        "field-{}{}",
        spec.testid,
        spec.section.as_deref().unwrap_or("")
    );
    let notify = {
        let oninput = spec.oninput;
        Callback::from(move |e: Event| oninput.emit(value_of(&e)))
    };
    let invalid = spec.error.is_some().then_some("true");
    let hint = (!spec.placeholder.is_empty()).then_some(spec.placeholder);
    let control = match spec.kind {
        Kind::Select => html! {
            <select id={id.clone()} data-testid={spec.testid} onchange={notify} aria-invalid={invalid}>
                if let Some(hint) = hint {
                    <option value="" selected={spec.value.is_empty()}>{ hint }</option>
                }
                { for spec.options.iter().map(|(value, label)| html! {
                    <option value={value.clone()} selected={spec.value == *value}>{ label.clone() }</option>
                }) }
            </select>
        },
        Kind::Area => {
            let oninput = Callback::from(move |e: InputEvent| notify.emit(e.into()));
            html! {
                <textarea id={id.clone()} data-testid={spec.testid} data-section={spec.section}
                    rows={spec.rows.to_string()} placeholder={hint} value={spec.value}
                    aria-invalid={invalid} {oninput} />
            }
        }
        kind => {
            let (kind, mode) = match kind {
                Kind::Tel => ("tel", Some("numeric")),
                Kind::Numeric => ("text", Some("numeric")),
                Kind::Date => ("date", None),
                Kind::DateTime => ("datetime-local", None),
                _ => ("text", None),
            };
            let oninput = Callback::from(move |e: InputEvent| notify.emit(e.into()));
            html! {
                <input id={id.clone()} type={kind} inputmode={mode} placeholder={hint}
                    data-testid={spec.testid} value={spec.value} aria-invalid={invalid} {oninput} />
            }
        }
    };
    html! {
        <div class={classes!("field", spec.error.is_some().then_some("invalid"))}>
            <label for={id}>{ spec.label }</label>
            { control }
            { error(&spec.error) }
        </div>
    }
}

/// The message under a field, which the tests find by `field-error`.
pub fn error(error: &Option<AttrValue>) -> Html {
    match error {
        Some(e) => html! { <p class="error" data-testid="field-error">{ e.clone() }</p> },
        None => html! {},
    }
}
