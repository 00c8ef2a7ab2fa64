//! The legend: one swatch per look the scene's picture draws (`view::page::legend` says which), the
//! same look as on the picture.

use yew::prelude::*;

use crate::app::markup::{el, list, Markup};
use crate::view::page::Entry;

/// The legend of `entries`. A function, not a component: a component of its own costs the wasm
/// more than redrawing a few list items with the scene does.
pub fn legend(entries: &[Entry]) -> Html {
    let mut m = Markup::new();
    el!(m, "ul", class = "al-legend", "aria-label" = "Legend"; {
        list!(m, {
            for e in entries {
                el!(m, "li", class = "al-legend-item", title = e.meaning, "data-look" = e.look.class(); {
                    el!(m, "span", class = format!("al-swatch {}", e.look.class()), "aria-hidden" = "true");
                    m.text(e.label);
                });
            }
        });
    });
    m.finish()
}
