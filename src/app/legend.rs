//! The legend: one swatch per look the scene's picture draws (`view::page::legend` says which), the
//! same look as on the picture.

use yew::prelude::*;

use crate::view::phase::Look;

#[derive(Properties, PartialEq)]
pub struct LegendProps {
    pub looks: Vec<Look>,
}

#[component]
pub fn Legend(props: &LegendProps) -> Html {
    html! {
        <ul class="al-legend" aria-label="Legend">
            { for props.looks.iter().map(|look| html! {
                <li class="al-legend-item" title={look.meaning()} data-look={look.class()}>
                    <span class={classes!("al-swatch", look.class())} aria-hidden="true"></span>
                    { look.label() }
                </li>
            }) }
        </ul>
    }
}
