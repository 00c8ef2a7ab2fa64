//! The legend: one swatch per look the scene's picture draws (`view::page::legend` says which), the
//! same look as on the picture.

use yew::prelude::*;

use crate::view::page::Entry;

#[derive(Properties, PartialEq)]
pub struct LegendProps {
    pub entries: Vec<Entry>,
}

#[component]
pub fn Legend(props: &LegendProps) -> Html {
    html! {
        <ul class="al-legend" aria-label="Legend">
            { for props.entries.iter().map(|e| html! {
                <li class="al-legend-item" title={e.meaning} data-look={e.look.class()}>
                    <span class={classes!("al-swatch", e.look.class())} aria-hidden="true"></span>
                    { e.label }
                </li>
            }) }
        </ul>
    }
}
