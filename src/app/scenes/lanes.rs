//! The timeline scenes (`blocking`, `async`): the worker lane, the accept queue and one row per
//! student, as time moves.

use yew::prelude::*;

use crate::app::scenes::PictureProps;
use crate::app::timeline::{timeline_noted, TimelineProps};
use crate::view::scenes::Choice;

/// The control that carries the scene's point (`view::scenes::SceneControl`), above its picture.
fn control(props: &PictureProps) -> Html {
    let button = |c: Choice| {
        let change = c.change;
        let onclick = props.on_change.reform(move |_: MouseEvent| change.clone());
        html! {
            <button class="al-btn al-choice" aria-pressed={c.pressed.to_string()} {onclick} data-choice={c.data}>{ c.text }</button>
        }
    };
    // Below full chrome, the picture alone.
    if !props.config.chrome.parts().rest {
        return html! {};
    }
    let Some(c) = props.config.scene.control(&props.config.scenario) else {
        return html! {};
    };
    html! {
        <div class="al-scene-control" role="group" aria-label={c.label}>
            if let Some(lead) = c.lead {
                <span class="al-control-label">{ lead }</span>
            }
            { for c.choices.into_iter().map(button) }
        </div>
    }
}

/// The picture of `blocking` and `async`.
pub fn lanes(props: &PictureProps) -> Html {
    html! {
        <>
            { control(props) }
            { timeline_noted(TimelineProps::of(&props.trace, props.t, props.width, props.uid.clone(),
                "", &props.config, &props.on_change)) }
        </>
    }
}
