//! The station picker: the pulled stations, grouped by street/town, available offline.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::store::RefData;

#[derive(Properties, PartialEq)]
pub struct StationPickerProps {
    pub refdata: Rc<RefData>,
    /// The chosen station's code, or empty.
    pub value: AttrValue,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    pub onchange: Callback<String>,
}

#[function_component(StationPicker)]
pub fn station_picker(props: &StationPickerProps) -> Html {
    let onchange = {
        let onchange = props.onchange.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            onchange.emit(select.value());
        })
    };
    let data = &props.refdata;
    let option = |code: &str, name: &str| {
        html! {
            <option value={code.to_owned()} selected={props.value == code}>{ name.to_owned() }</option>
        }
    };
    // Stations are sorted by code, so each town's stations come together.
    let mut groups: Vec<(String, Vec<Html>)> = Vec::new();
    let mut current = None;
    for station in &data.stations {
        if current != Some(&station.town) {
            current = Some(&station.town);
            let label = data.town_name(&station.town).unwrap_or("其他").to_owned();
            groups.push((label, Vec::new()));
        }
        if let Some((_, options)) = groups.last_mut() {
            options.push(option(station.code.as_str(), &station.name));
        }
    }
    let empty = data.stations.is_empty();
    html! {
        <div class={classes!("field", props.error.is_some().then_some("invalid"))}>
            <label for="field-station">{ "实践站" }</label>
            <select id="field-station" data-testid="station" {onchange}
                aria-invalid={props.error.is_some().then_some("true")}>
                <option value="" selected={props.value.is_empty()}>
                    { if empty { "（尚未下载实践站列表）" } else { "请选择实践站" } }
                </option>
                { for groups.into_iter().map(|(label, options)| html! {
                    <optgroup label={label}>{ for options }</optgroup>
                }) }
            </select>
            if empty {
                <p class="hint">{ "联网后会自动下载本区的实践站列表。" }</p>
            }
            if let Some(error) = &props.error {
                <p class="error">{ error.clone() }</p>
            }
        </div>
    }
}
