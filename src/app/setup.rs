//! "Change the setup": the scenario's keys that have a form field (`sim::scenario::KEYS`, the one
//! table of keys) as inputs and select boxes. Each change goes through `PageConfig::apply`, the
//! core's own validation (the same as the URL's and the CLI's); a bad value is named beside the
//! form and the run keeps its previous value. The fields are made when the form is first opened:
//! folded, it costs the page's first render nothing. A component, not a function: Yew skips it
//! while the clock moves, so a value being typed is not put back to the run's on every frame.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::sim::scenario::{Key, KeyKind, KEYS};
use crate::view::change::Change;
use crate::view::config::PageConfig;

#[derive(Properties, PartialEq)]
pub struct SetupProps {
    pub config: PageConfig,
    /// The run's students in words, when the fields alone do not say who runs.
    pub students: Option<String>,
    pub on_change: Callback<Change>,
}

#[component]
pub fn Setup(props: &SetupProps) -> Html {
    let error = use_state(|| None::<String>);
    let opened = use_state(|| false);
    let ontoggle = {
        let opened = opened.clone();
        Callback::from(move |e: Event| {
            if e.target_dyn_into::<web_sys::HtmlDetailsElement>()
                .is_some_and(|d| d.open())
            {
                opened.set(true);
            }
        })
    };
    let change = |key: &'static Key| {
        let config = props.config.clone();
        let on_change = props.on_change.clone();
        let error = error.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| {
                    e.target_dyn_into::<web_sys::HtmlSelectElement>()
                        .map(|s| s.value())
                })
                .unwrap_or_default();
            let change = Change::Field {
                key: key.name.to_string(),
                value,
            };
            // Checked here too, so a refusal is named beside the form.
            match config.apply(change.clone()) {
                Err(bad) => error.set(Some(format!("{bad}; kept {}", key.text(&config.scenario)))),
                Ok(_) => {
                    error.set(None);
                    on_change.emit(change);
                }
            }
        })
    };
    let s = &props.config.scenario;
    // Select boxes first, then the number fields, each in the table's order.
    let fields = KEYS.iter().filter_map(|key| Some((key, key.form?)));
    let (choices, numbers): (Vec<_>, Vec<_>) =
        fields.partition(|(key, _)| key.kind.choices().is_some());
    html! {
        <details class="al-setup" {ontoggle}>
            <summary>{ "Change the setup" }</summary>
            if *opened {
            if let Some(words) = props.students.clone() {
                <p class="al-setup-note">{ words }</p>
            }
            <div class="al-fields">
                { for choices.into_iter().map(|(key, form)| {
                    let current = key.text(s);
                    html! {
                        <label class="al-field">
                            <span>{ form.label }</span>
                            <select onchange={change(key)}>
                                { for key.kind.choices().unwrap_or_default().iter().map(|c| html! {
                                    <option value={*c} selected={current == *c}>{ *c }</option>
                                }) }
                            </select>
                        </label>
                    }
                }) }
                { for numbers.into_iter().map(|(key, form)| html! {
                    <label class="al-field">
                        <span>{ form.label }{ form.unit.map(|unit| html! { <small class="al-muted">{ format!(" ({unit})") }</small> }) }</span>
                        // A list of times is text; every other field is one number.
                        <input type={if key.kind == KeyKind::Times { "text" } else { "number" }}
                            inputmode="decimal" value={key.text(s)} onchange={change(key)} />
                    </label>
                }) }
            </div>
            }
            if let Some(msg) = (*error).clone() {
                <p class="al-notice" role="alert">{ format!("async-lanes: {msg}") }</p>
            }
        </details>
    }
}
