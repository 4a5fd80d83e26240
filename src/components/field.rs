//! A labelled text field with its error message underneath.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    pub label: AttrValue,
    pub testid: AttrValue,
    pub value: AttrValue,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    #[prop_or(AttrValue::Static("text"))]
    pub input_type: AttrValue,
    #[prop_or_default]
    pub inputmode: Option<AttrValue>,
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    pub oninput: Callback<String>,
}

#[function_component(Field)]
pub fn field(props: &FieldProps) -> Html {
    let id = format!("field-{}", props.testid);
    let error_id = format!("{id}-error");
    let oninput = {
        let oninput = props.oninput.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            oninput.emit(input.value());
        })
    };
    html! {
        <div class={classes!("field", props.error.is_some().then_some("invalid"))}>
            <label for={id.clone()}>{ props.label.clone() }</label>
            <input
                id={id}
                type={props.input_type.clone()}
                inputmode={props.inputmode.clone()}
                autocomplete={props.autocomplete.clone()}
                placeholder={props.placeholder.clone()}
                data-testid={props.testid.clone()}
                value={props.value.clone()}
                aria-invalid={props.error.is_some().then_some("true")}
                aria-describedby={props.error.is_some().then(|| error_id.clone())}
                {oninput}
            />
            if let Some(error) = &props.error {
                <p class="error" id={error_id} data-testid="field-error">{ error.clone() }</p>
            }
        </div>
    }
}
