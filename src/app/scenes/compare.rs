//! The `compare` scene: the same students, the same arrivals, the same clock, once with the
//! scenario's mode (blocking unless changed) and once async, on one shared time axis.

use yew::prelude::*;

use crate::app::SharedTrace;

use crate::app::scenes::PictureProps;
use crate::app::timeline::Timeline;
use crate::sim::scenario::{Mode, Scenario};
use crate::sim::simulate;
use crate::sim::trace::Trace;
use crate::view::format;

/// The other side of the comparison: async, or blocking when the scenario is already async.
fn other(s: &Scenario) -> Scenario {
    let mode = if s.mode == Mode::Async {
        Mode::Blocking
    } else {
        Mode::Async
    };
    Scenario { mode, ..s.clone() }
}

/// One side's heading and its numbers at the current time.
fn side(trace: &Trace, t: crate::sim::SimTime, label: &str, key: &str) -> Html {
    let m = trace.metrics_at(t);
    let finished = trace.metrics.makespan.as_secs_f64();
    html! {
        <div class="al-compare-head" data-side={key.to_string()}>
            <h3 class="al-compare-title">{ label.to_string() }</h3>
            <span class="al-compare-num">{ "done: " }
                <strong data-side-stat="completed" data-value={m.completed.to_string()}>{ format!("{} of {}", m.completed, trace.students.len()) }</strong></span>
            <span class="al-compare-num">{ "longest wait: " }
                <strong data-side-stat="last-wait-s" data-value={m.latency.max.as_secs_f64().to_string()}>{ format::secs(m.latency.max.as_secs_f64()) }</strong></span>
            <span class="al-compare-num al-muted">{ format!("all done at {}", format::secs(finished)) }</span>
        </div>
    }
}

#[component]
pub fn Compare(props: &PictureProps) -> Html {
    let main = props.trace.clone();
    let other_run = use_memo(main.scenario.clone(), |s| {
        simulate(&other(s)).map(SharedTrace::from)
    });
    let Ok(second) = other_run.as_ref() else {
        return html! { <p class="al-error">{ "async-lanes: the async side of this setup cannot be simulated" }</p> };
    };
    let axis_end = Some(main.end.max(second.end));
    let name = |m: Mode| match m {
        Mode::Blocking => "Blocking",
        Mode::Async => "Async (await)",
        Mode::Threadpool => "Thread pool (def)",
    };
    html! {
        <div class="al-compare">
            { side(&main, props.t, name(main.scenario.mode), main.scenario.mode.as_str()) }
            <Timeline trace={main.clone()} t={props.t} width={props.width} uid={format!("{}-a", props.uid)}
                label={format!("{} timeline", name(main.scenario.mode))} axis_end={axis_end} rows_px={240.0} />
            { side(second, props.t, name(second.scenario.mode), second.scenario.mode.as_str()) }
            <Timeline trace={second.clone()} t={props.t.min(second.end)} width={props.width} uid={format!("{}-b", props.uid)}
                label={format!("{} timeline", name(second.scenario.mode))} axis_end={axis_end} rows_px={240.0} />
        </div>
    }
}
