//! A labelled select and a labelled multi-line text field, each with its error message
//! underneath, as `Field` is for one line of text. Plain functions, not components: a
//! component's machinery costs the download more than re-rendering a field with its form.

use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

pub struct SelectProps {
    pub label: AttrValue,
    pub testid: AttrValue,
    pub value: AttrValue,
    /// `(value, label)` pairs.
    pub options: Vec<(AttrValue, AttrValue)>,
    /// The first, empty option's label (请选择, 全部); none if empty.
    pub placeholder: &'static str,
    pub error: Option<AttrValue>,
    pub onchange: Callback<String>,
}

impl SelectProps {
    pub fn new(
        label: impl Into<AttrValue>,
        testid: &'static str,
        value: impl Into<AttrValue>,
        options: Vec<(AttrValue, AttrValue)>,
        onchange: Callback<String>,
    ) -> Self {
        SelectProps {
            label: label.into(),
            testid: AttrValue::Static(testid),
            value: value.into(),
            options,
            placeholder: "请选择",
            error: None,
            onchange,
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

pub fn select(props: SelectProps) -> Html {
    let id = format!("field-{}", props.testid);
    let onchange = {
        let onchange = props.onchange.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            onchange.emit(select.value());
        })
    };
    html! {
        <div class={classes!("field", props.error.is_some().then_some("invalid"))}>
            <label for={id.clone()}>{ props.label.clone() }</label>
            <select {id} data-testid={props.testid.clone()} {onchange}
                aria-invalid={props.error.is_some().then_some("true")}>
                if !props.placeholder.is_empty() {
                    <option value="" selected={props.value.is_empty()}>{ props.placeholder }</option>
                }
                { for props.options.iter().map(|(value, label)| html! {
                    <option value={value.clone()} selected={props.value == *value}>{ label.clone() }</option>
                }) }
            </select>
            { error(&props.error) }
        </div>
    }
}

pub struct TextAreaProps {
    pub label: AttrValue,
    pub testid: AttrValue,
    pub value: AttrValue,
    pub rows: u32,
    /// A `data-section` attribute (the charter's sections).
    pub section: Option<AttrValue>,
    pub placeholder: Option<AttrValue>,
    pub error: Option<AttrValue>,
    pub oninput: Callback<String>,
}

impl TextAreaProps {
    pub fn new(
        label: impl Into<AttrValue>,
        testid: &'static str,
        value: impl Into<AttrValue>,
        oninput: Callback<String>,
    ) -> Self {
        TextAreaProps {
            label: label.into(),
            testid: AttrValue::Static(testid),
            value: value.into(),
            rows: 3,
            section: None,
            placeholder: None,
            error: None,
            oninput,
        }
    }

    pub fn error(mut self, error: Option<AttrValue>) -> Self {
        self.error = error;
        self
    }
}

pub fn text_area(props: TextAreaProps) -> Html {
    let id = format!(
        "field-{}{}",
        props.testid,
        props.section.as_deref().unwrap_or("")
    );
    let oninput = {
        let oninput = props.oninput.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            oninput.emit(area.value());
        })
    };
    html! {
        <div class={classes!("field", props.error.is_some().then_some("invalid"))}>
            <label for={id.clone()}>{ props.label.clone() }</label>
            <textarea {id} data-testid={props.testid.clone()} data-section={props.section.clone()}
                rows={props.rows.to_string()} placeholder={props.placeholder.clone()}
                value={props.value.clone()} {oninput}
                aria-invalid={props.error.is_some().then_some("true")} />
            { error(&props.error) }
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
