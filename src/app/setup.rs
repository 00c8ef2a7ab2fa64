//! "Change the setup": the scenario's parameters as form fields. Each change is checked by the
//! core's own validation (the same as the URL's and the CLI's); a bad value is named beside the
//! field and the run keeps its previous value.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::sim::scenario::Scenario;
use crate::view::config::{Change, PageConfig};

#[derive(Properties, PartialEq)]
pub struct SetupProps {
    pub config: PageConfig,
    pub on_change: Callback<Change>,
}

/// `(key, label, input type, unit)` of each field.
const FIELDS: [(&str, &str, &str, &str); 9] = [
    ("students", "Students", "number", ""),
    ("workers", "Workers", "number", ""),
    (
        "concurrency",
        "Requests in flight per worker",
        "number",
        "async",
    ),
    ("validate_ms", "validate (CPU)", "number", "ms"),
    ("db_ms", "save_to_database", "number", "ms"),
    ("email_ms", "send_email", "number", "ms"),
    ("rate", "Arrival rate", "number", "per s"),
    ("seed", "Seed", "number", ""),
    ("threads", "Threads per worker", "number", "def"),
];

/// `(key, label, choices)` of each choice.
const CHOICES: [(&str, &str, &[&str]); 5] = [
    ("mode", "Mode", &["blocking", "async", "threadpool"]),
    ("arrival", "Arrivals", &["burst", "uniform", "poisson"]),
    ("io_dist", "I/O times", &["fixed", "exp"]),
    ("await_db", "await the database", &["true", "false"]),
    ("await_email", "await the email", &["true", "false"]),
];

/// The current value of `key` as the URL would write it.
fn value_of(scenario: &Scenario, key: &str) -> String {
    scenario.value_text(key).unwrap_or_default()
}

#[component]
pub fn Setup(props: &SetupProps) -> Html {
    let error = use_state(|| None::<String>);
    let change = |key: &'static str| {
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
                key: key.to_string(),
                value,
            };
            // Checked here too, so a refusal is named beside the form.
            match config.apply(change.clone()) {
                Err(bad) => error.set(Some(format!(
                    "{bad}; kept {}",
                    value_of(&config.scenario, key)
                ))),
                Ok(_) => {
                    error.set(None);
                    on_change.emit(change);
                }
            }
        })
    };
    let s = &props.config.scenario;
    html! {
        <details class="al-setup">
            <summary>{ "Change the setup" }</summary>
            <div class="al-fields">
                { for CHOICES.iter().map(|(key, label, choices)| {
                    let current = value_of(s, key);
                    html! {
                        <label class="al-field">
                            <span>{ *label }</span>
                            <select onchange={change(key)}>
                                { for choices.iter().map(|c| html! { <option value={*c} selected={current == *c}>{ *c }</option> }) }
                            </select>
                        </label>
                    }
                }) }
                { for FIELDS.iter().map(|(key, label, kind, unit)| html! {
                    <label class="al-field">
                        <span>{ *label }{ (!unit.is_empty()).then(|| html! { <small class="al-muted">{ format!(" ({unit})") }</small> }) }</span>
                        <input type={*kind} inputmode="decimal" value={value_of(s, key)} onchange={change(key)} />
                    </label>
                }) }
            </div>
            if let Some(msg) = (*error).clone() {
                <p class="al-notice" role="alert">{ format!("async-lanes: {msg}") }</p>
            }
        </details>
    }
}
