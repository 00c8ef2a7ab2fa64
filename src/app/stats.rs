//! The stats strip: the numbers that carry the scene's point at the current time, the others
//! behind "More numbers" (`view::page::split_stats`), each an element with `data-stat` and
//! `data-value` (the raw number in the unit its key names).

use yew::prelude::*;

use crate::view::page::{SideStats, Stat};

#[derive(Properties, PartialEq)]
pub struct StatsProps {
    /// The numbers that carry the point (the clock alone, when there are sides).
    pub primary: Vec<Stat>,
    /// The rest.
    pub more: Vec<Stat>,
    /// The `compare` scene's runs, each with its own strip.
    #[prop_or_default]
    pub sides: Vec<SideStats>,
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

fn more(stats: &[Stat]) -> Html {
    html! {
        <details class="al-more">
            <summary>{ "More numbers" }</summary>
            { strip(stats, "al-stats-more", "More numbers at this moment") }
        </details>
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
                { more(&props.more) }
            }
            if !props.sides.is_empty() {
                <div class="al-stats-sides">
                    { for props.sides.iter().map(|side| html! {
                        <div class="al-stats-side" data-side={side.key}>
                            <h3 class="al-stats-title">{ side.title }</h3>
                            { strip(&side.primary, "al-stats-main", side.title) }
                            { more(&side.more) }
                        </div>
                    }) }
                </div>
            }
        </div>
    }
}
