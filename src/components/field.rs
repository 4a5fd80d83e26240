//! A labelled text field with its error message underneath: a plain function, not a
//! component (a component type and the props builder at each use cost the download more
//! than the few lines it renders).

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What a field shows; `..Field::TEXT` for what a use leaves as it is.
#[derive(Clone, Copy)]
pub struct Field<'a> {
    pub label: &'static str,
    pub testid: &'static str,
    pub value: &'a str,
    pub error: Option<&'a str>,
    pub input_type: &'static str,
    pub inputmode: Option<&'static str>,
    pub autocomplete: Option<&'static str>,
    pub placeholder: Option<&'static str>,
}

impl Field<'static> {
    /// A plain text field without a label, value or error yet.
    pub const TEXT: Self = Field {
        label: "",
        testid: "",
        value: "",
        error: None,
        input_type: "text",
        inputmode: None,
        autocomplete: None,
        placeholder: None,
    };
}

/// The field, calling `oninput` with the input's value at each change.
pub fn field(f: Field, oninput: Callback<String>) -> Html {
    let id = format!("field-{}", f.testid);
    let error_id = f.error.map(|_| format!("{id}-error"));
    let oninput = Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        oninput.emit(input.value());
    });
    html! {
        <div class={classes!("field", f.error.is_some().then_some("invalid"))}>
            <label for={id.clone()}>{ f.label }</label>
            <input
                id={id}
                type={f.input_type}
                inputmode={f.inputmode}
                autocomplete={f.autocomplete}
                placeholder={f.placeholder}
                data-testid={f.testid}
                value={f.value.to_owned()}
                aria-invalid={f.error.is_some().then_some("true")}
                aria-describedby={error_id.clone()}
                {oninput}
            />
            if let Some(error) = f.error {
                <p class="error" id={error_id} data-testid="field-error">{ error.to_owned() }</p>
            }
        </div>
    }
}
