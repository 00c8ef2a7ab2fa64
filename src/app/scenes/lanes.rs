//! The timeline scenes (`blocking`, `async`): the worker lane, the accept queue and one row per
//! student, as time moves.

use yew::prelude::*;

use crate::app::markup::{el, Markup};
use crate::app::scenes::PictureProps;
use crate::app::timeline::{timeline_noted, TimelineProps};

/// The control that carries the scene's point (`view::scenes::SceneControl`), above its picture.
fn control(m: &mut Markup, props: &PictureProps) {
    // Below full chrome, the picture alone.
    if !props.config.chrome.parts().rest {
        return m.node(Html::default());
    }
    let Some(c) = props.config.scene.control(&props.config.scenario) else {
        return m.node(Html::default());
    };
    el!(m, "div", class = "al-scene-control", role = "group", "aria-label" = c.label; {
        if let Some(lead) = c.lead {
            el!(m, "span", class = "al-control-label"; { m.say(lead) });
        } else {
            m.node(Html::default());
        }
        super::choice_buttons(m, &["class", "aria-pressed", "data-choice"], "al-btn al-choice", c.choices,
            &props.on_change);
    });
}

/// The picture of `blocking` and `async`.
pub fn lanes(props: &PictureProps) -> Html {
    let mut m = Markup::new();
    control(&mut m, props);
    m.node(timeline_noted(TimelineProps::of(
        &props.trace,
        props.t,
        props.width,
        props.uid.clone(),
        "",
        &props.config,
        &props.on_change,
    )));
    m.finish()
}
