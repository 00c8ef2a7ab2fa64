//! The timeline scenes (`blocking`, `async`): the worker lane, the accept queue and one row per
//! student, as time moves.

use yew::prelude::*;

use crate::app::scenes::PictureProps;
use crate::app::timeline::{timeline_noted, TimelineProps};
use crate::view::change::Change;
use crate::view::format;
use crate::view::handler_code::Variant;
use crate::view::scenes::SceneControl;

/// The control that carries the scene's point, above its picture.
fn control(props: &PictureProps) -> Html {
    let scenario = &props.config.scenario;
    let button = |pressed: bool, text: String, change: Change, data: String| {
        let onclick = props.on_change.reform(move |_: MouseEvent| change.clone());
        html! {
            <button class="al-btn al-choice" aria-pressed={pressed.to_string()} {onclick} data-choice={data}>{ text }</button>
        }
    };
    // Below full chrome, the picture alone.
    if !props.config.chrome.parts().rest {
        return html! {};
    }
    match props.config.scene.control(scenario) {
        Some(SceneControl::Students(counts, how)) => html! {
            <div class="al-scene-control" role="group" aria-label={how.clone()}>
                <span class="al-control-label">{ format!("{how}:") }</span>
                { for counts.into_iter().map(|n| button(
                    n == scenario.students && scenario.extra_arrivals.is_empty(),
                    format::count(n.into()),
                    Change::Students(n),
                    n.to_string(),
                )) }
            </div>
        },
        Some(SceneControl::Await) => {
            let current = Variant::of(scenario);
            html! {
                <div class="al-scene-control" role="group" aria-label="The handler's calls">
                    { button(current == Some(Variant::Awaited), "with await".to_string(),
                        Change::Variant(Variant::Awaited), "await".to_string()) }
                    { button(current == Some(Variant::BlockingCall), "without await (blocking calls)".to_string(),
                        Change::Variant(Variant::BlockingCall), "blocking".to_string()) }
                </div>
            }
        }
        None => html! {},
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
