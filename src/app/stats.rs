//! The stats strip: the numbers that carry the scene's point at the current time, the others
//! behind "More numbers" (`view::page::split_stats`), each an element with `data-stat` and
//! `data-value` (the raw number in the unit its key names).

use yew::prelude::*;

use crate::view::page::Stat;

#[derive(Properties, PartialEq)]
pub struct StatsProps {
    /// The numbers that carry the point.
    pub primary: Vec<Stat>,
    /// The rest.
    pub more: Vec<Stat>,
}

fn strip(stats: &[Stat], class: &'static str, label: &'static str) -> Html {
    html! {
        <dl class={class} aria-label={label}>
            { for stats.iter().map(|s| html! {
                <div class="al-stat">
                    <dt>{ s.label }</dt>
                    <dd data-stat={s.key} data-value={s.value.clone()}>{ s.shown.clone() }</dd>
                </div>
            }) }
        </dl>
    }
}

#[component]
pub fn Stats(props: &StatsProps) -> Html {
    html! {
        <div class="al-stats">
            if !props.primary.is_empty() {
                { strip(&props.primary, "al-stats-main", "The numbers at this moment") }
            }
            if !props.more.is_empty() {
                <details class="al-more">
                    <summary>{ "More numbers" }</summary>
                    { strip(&props.more, "al-stats-more", "More numbers at this moment") }
                </details>
            }
        </div>
    }
}
