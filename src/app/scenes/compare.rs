//! The `compare` scene: the same students, the same arrivals, the same clock, once with the
//! scenario's mode (blocking unless changed) and once the other way, on one shared time axis.

use yew::prelude::*;

use crate::app::markup::{el, list, Markup};
use crate::app::scenes::PictureProps;
use crate::app::timeline::{timeline, TimelineProps};
use crate::app::SharedTrace;
use crate::view::format;
use crate::view::page::Side;

/// One side's heading and its numbers at the current time.
fn heading(m: &mut Markup, s: Side) {
    el!(m, "div", class = "al-compare-head", "data-side" = s.key; {
        el!(m, "h3", class = "al-compare-title"; { m.text(s.title) });
        el!(m, "span", class = "al-compare-num"; {
            m.text("done: ");
            el!(m, "strong", "data-side-stat" = "completed", "data-value" = s.completed.to_string(); {
                m.say(s.completed_text);
            });
        });
        el!(m, "span", class = "al-compare-num"; {
            m.text("longest wait: ");
            el!(m, "strong", "data-side-stat" = "last-wait-s", "data-value" = format::plain(s.last_wait); {
                m.say(s.last_wait_text);
            });
        });
        el!(m, "span", class = "al-compare-num al-muted"; { m.say(s.done_at) });
    });
}

/// The picture of `compare`.
pub fn compare(props: &PictureProps) -> Html {
    let mut m = Markup::new();
    let Some(second) = props.other.clone() else {
        el!(m, "p", class = "al-error"; { m.text("async-lanes: the other side of this setup cannot be simulated") });
        return m.finish();
    };
    let main = props.trace.clone();
    let axis_end = Some(main.end_with(&second));
    let part = |m: &mut Markup, trace: &SharedTrace, suffix: &str| {
        let s = trace.side(props.t);
        let title = s.title;
        list!(m, {
            heading(m, s);
            let mut shown = TimelineProps::of(
                trace,
                props.t,
                props.width,
                format!("{}-{suffix}", props.uid).into(),
                "",
                &props.config,
                &props.on_change,
            );
            (shown.axis_end, shown.rows_px) = (axis_end, 240.0);
            shown.label = format!("{title} timeline").into();
            m.node(timeline(shown));
        });
    };
    el!(m, "div", class = "al-compare"; {
        part(&mut m, &main, "a");
        part(&mut m, &second, "b");
    });
    m.finish()
}
