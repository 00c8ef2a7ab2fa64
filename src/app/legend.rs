//! The legend: one swatch per state, the same look as on every picture, always visible.

use yew::prelude::*;

/// `(class, label, what it means)` for each state a picture can show.
const ENTRIES: [(&str, &str, &str); 8] = [
    (
        "al-s-queued",
        "queued",
        "in the accept queue, no worker yet",
    ),
    ("al-s-running", "running", "the worker's CPU is on it"),
    (
        "al-s-await-db",
        "awaiting DB",
        "waits for the database; the worker is free",
    ),
    (
        "al-s-await-email",
        "awaiting email",
        "waits for the email service; the worker is free",
    ),
    (
        "al-s-blocked-email",
        "blocked",
        "waits for I/O and holds the worker",
    ),
    (
        "al-s-conn",
        "waiting for a connection",
        "no free database connection",
    ),
    (
        "al-s-ready",
        "ready",
        "runnable: waits its turn in the loop's ready queue",
    ),
    ("al-s-done", "done", "finished"),
];

#[component]
pub fn Legend() -> Html {
    html! {
        <ul class="al-legend" aria-label="Legend">
            { for ENTRIES.iter().map(|(class, label, meaning)| html! {
                <li class="al-legend-item" title={*meaning}>
                    <span class={classes!("al-swatch", *class)} aria-hidden="true"></span>
                    { *label }
                </li>
            }) }
        </ul>
    }
}
