//! The timeline scenes (`blocking`, `async`): the worker lane, the accept queue and one row per
//! student, as time moves.

use yew::prelude::*;

use crate::app::scenes::PictureProps;
use crate::app::timeline::Timeline;
use crate::view::timeline::rows_note;

#[component]
pub fn Lanes(props: &PictureProps) -> Html {
    let students = props.trace.students.len();
    html! {
        <>
            <Timeline trace={props.trace.clone()} t={props.t} width={props.width} uid={props.uid.clone()}
                label={format!("Timeline of {students} students")} follow={props.config.follow} on_follow={props.on_follow()} guess={props.config.guess} />
            { note(rows_note(students as u32)) }
        </>
    }
}

/// A note under a picture, if there is one.
pub(crate) fn note(text: Option<String>) -> Html {
    text.map(|text| html! { <p class="al-note">{ text }</p> })
        .unwrap_or_default()
}
