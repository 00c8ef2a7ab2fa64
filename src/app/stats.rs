//! The stats strip: the headline numbers at the current time (`view::page::stats`), each an
//! element with `data-stat` and `data-value` (the raw number in the unit its key names).

use yew::prelude::*;

use crate::view::page::Stat;

#[derive(Properties, PartialEq)]
pub struct StatsProps {
    pub stats: Vec<Stat>,
}

#[component]
pub fn Stats(props: &StatsProps) -> Html {
    html! {
        <dl class="al-stats" aria-label="The numbers at this moment">
            { for props.stats.iter().map(|s| html! {
                <div class="al-stat">
                    <dt>{ s.label }</dt>
                    <dd data-stat={s.key} data-value={s.value.clone()}>{ s.shown.clone() }</dd>
                </div>
            }) }
        </dl>
    }
}
