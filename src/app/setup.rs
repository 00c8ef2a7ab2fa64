//! "Change the setup": the scenario's keys that have a form field (`sim::scenario::KEYS`, the one
//! table of keys) as inputs and select boxes. Each change goes through `PageConfig::apply`, the
//! core's own validation (the same as the URL's and the CLI's); a bad value is named beside the
//! form and the run keeps its previous value. The fields are made when the form is first opened:
//! folded, it costs the page's first render nothing. A component, not a function: Yew skips it
//! while the clock moves, so a value being typed is not put back to the run's on every frame.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::markup::{el, list, when, Markup};
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
    // The message about the last value refused, empty when there is none (a `String` state, a
    // type the app holds anyway: each state type is Yew's state code again).
    let error = use_state(String::new);
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
                Err(bad) => error.set(format!("{bad}; kept {}", key.text(&config.scenario))),
                Ok(_) => {
                    error.set(String::new());
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
    let mut m = Markup::new();
    el!(m, "details", class = "al-setup"; {
        m.ontoggle(ontoggle);
        el!(m, "summary"; { m.text("Change the setup") });
        when!(m, *opened, {
            match props.students.clone() {
                Some(words) => el!(m, "p", class = "al-setup-note"; { m.say(words) }),
                None => m.node(Html::default()),
            }
            el!(m, "div", class = "al-fields"; {
                list!(m, {
                    for (key, form) in choices {
                        let current = key.text(s);
                        el!(m, "label", class = "al-field"; {
                            el!(m, "span"; { m.text(form.label) });
                            el!(m, "select"; {
                                m.onchange(change(key));
                                list!(m, {
                                    for &c in key.kind.choices().unwrap_or_default() {
                                        el!(m, "option", value = c, selected = (current == c).then_some("selected"); {
                                            m.text(c);
                                        });
                                    }
                                });
                            });
                        });
                    }
                });
                list!(m, {
                    for (key, form) in numbers {
                        el!(m, "label", class = "al-field"; {
                            el!(m, "span"; {
                                m.text(form.label);
                                match form.unit {
                                    Some(unit) => el!(m, "small", class = "al-muted"; { m.say(format!(" ({unit})")) }),
                                    None => m.node(Html::default()),
                                }
                            });
                            // A list of times is text; every other field is one number.
                            el!(m, "input", "type" = if key.kind == KeyKind::Times { "text" } else { "number" },
                                inputmode = "decimal"; {
                                m.value_prop(key.text(s));
                                m.onchange(change(key));
                            });
                        });
                    }
                });
            });
        });
        if error.is_empty() {
            m.node(Html::default());
        } else {
            el!(m, "p", class = "al-notice", role = "alert"; { m.say(format!("async-lanes: {}", *error)) });
        }
    });
    m.finish()
}
