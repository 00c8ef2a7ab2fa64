//! The stats strip: the headline numbers at the current time, each an element with
//! `data-stat` and `data-value` (the raw number in the unit its key names) for tests and authors.

use yew::prelude::*;

use crate::sim::metrics::Metrics;
use crate::view::format;

#[derive(Properties, PartialEq)]
pub struct StatsProps {
    /// The core's metrics at the current time.
    pub metrics: Metrics,
    /// Students in the run, for "completed of N".
    pub students: u32,
}

#[component]
pub fn Stats(props: &StatsProps) -> Html {
    let m = &props.metrics;
    let time_s = m.time.as_secs_f64();
    let stat = |key: &'static str, label: &'static str, value: String, shown: String| {
        html! {
            <div class="al-stat">
                <dt>{ label }</dt>
                <dd data-stat={key} data-value={value}>{ shown }</dd>
            </div>
        }
    };
    html! {
        <dl class="al-stats" aria-label="The numbers at this moment">
            { stat("time-s", "Time", time_s.to_string(), format::clock(time_s)) }
            { stat("completed", "Completed", m.completed.to_string(),
                format!("{} of {}", format::count(m.completed.into()), format::count(props.students.into()))) }
            { stat("in-flight", "In flight", m.in_flight.to_string(), format::count(m.in_flight.into())) }
            { stat("max-in-flight", "Most in flight", m.max_in_flight.to_string(), format::count(m.max_in_flight.into())) }
            { stat("last-wait-s", "Longest wait", m.latency.max.as_secs_f64().to_string(), format::secs(m.latency.max.as_secs_f64())) }
            { stat("mean-wait-s", "Mean wait", m.latency.mean_s.to_string(), format::secs(m.latency.mean_s)) }
            { stat("p95-wait-s", "95 % waited at most", m.latency.p95.as_secs_f64().to_string(), format::secs(m.latency.p95.as_secs_f64())) }
            { stat("throughput-per-s", "Throughput", m.throughput_per_s.to_string(), format::per_sec(m.throughput_per_s)) }
            { stat("utilization", "Workers busy", m.utilization.to_string(), format::percent(m.utilization)) }
        </dl>
    }
}
