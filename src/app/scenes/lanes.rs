//! The timeline scenes (`blocking`, `async`): the worker lane, the accept queue and one row per
//! student, as time moves.

use yew::prelude::*;

use crate::app::scenes::PictureProps;
use crate::app::timeline::{Timeline, MAX_ROWS};
use crate::view::format;

#[component]
pub fn Lanes(props: &PictureProps) -> Html {
    let students = props.trace.students.len() as u32;
    let more = (students > MAX_ROWS).then(|| {
        html! {
            <p class="al-note">{ format!("Showing the first {MAX_ROWS} of {} students; the numbers count them all.", format::count(students.into())) }</p>
        }
    });
    html! {
        <>
            <Timeline trace={props.trace.clone()} t={props.t} width={props.width} uid={props.uid.clone()}
                label={format!("Timeline of {students} students")} />
            { more }
        </>
    }
}
