//! The `compare` scene: the same students, the same arrivals, the same clock, once with the
//! scenario's mode (blocking unless changed) and once the other way, on one shared time axis.

use yew::prelude::*;

use crate::app::scenes::PictureProps;
use crate::app::timeline::{timeline, TimelineProps};
use crate::app::SharedTrace;
use crate::view::format;
use crate::view::page::Side;

/// One side's heading and its numbers at the current time.
fn heading(s: &Side) -> Html {
    html! {
        <div class="al-compare-head" data-side={s.key}>
            <h3 class="al-compare-title">{ s.title }</h3>
            <span class="al-compare-num">{ "done: " }
                <strong data-side-stat="completed" data-value={s.completed.to_string()}>{ s.completed_text.clone() }</strong></span>
            <span class="al-compare-num">{ "longest wait: " }
                <strong data-side-stat="last-wait-s" data-value={format::plain(s.last_wait)}>{ s.last_wait_text.clone() }</strong></span>
            <span class="al-compare-num al-muted">{ s.done_at.clone() }</span>
        </div>
    }
}

/// The picture of `compare`.
pub fn compare(props: &PictureProps) -> Html {
    let Some(second) = props.other.clone() else {
        return html! { <p class="al-error">{ "async-lanes: the other side of this setup cannot be simulated" }</p> };
    };
    let main = props.trace.clone();
    let axis_end = Some(main.end_with(&second));
    let part = |trace: &SharedTrace, suffix: &str| {
        let s = trace.side(props.t);
        html! {
            <>
                { heading(&s) }
                { timeline(TimelineProps {
                    axis_end,
                    rows_px: 240.0,
                    label: format!("{} timeline", s.title).into(),
                    ..TimelineProps::of(trace, props.t, props.width, format!("{}-{suffix}", props.uid).into(),
                        "", &props.config, &props.on_change)
                }) }
            </>
        }
    };
    html! {
        <div class="al-compare">
            { part(&main, "a") }
            { part(&second, "b") }
        </div>
    }
}
