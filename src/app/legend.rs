//! The legend: one swatch per look the scene's picture draws (`view::page::legend` says which), the
//! same look as on the picture.

use yew::prelude::*;

use crate::view::page::Entry;

/// The legend of `entries`. A function, not a component: a component of its own costs the wasm
/// more than redrawing a few list items with the scene does.
pub fn legend(entries: &[Entry]) -> Html {
    html! {
        <ul class="al-legend" aria-label="Legend">
            { for entries.iter().map(|e| html! {
                <li class="al-legend-item" title={e.meaning} data-look={e.look.class()}>
                    <span class={classes!("al-swatch", e.look.class())} aria-hidden="true"></span>
                    { e.label }
                </li>
            }) }
        </ul>
    }
}
