//! Geometry of a timeline, apart from drawing it: the time axis' ticks, the student rows shown,
//! and the accept queue's length over time, all derived from a trace.

use crate::sim::time::SimTime;
use crate::sim::trace::Trace;

/// Tick marks for an axis over `[0, end]`: a 1-2-5 step giving at most `max_ticks` intervals.
pub fn ticks(end: SimTime, max_ticks: u32) -> Vec<SimTime> {
    let end_us = end.as_micros();
    if end_us == 0 {
        return vec![SimTime::ZERO];
    }
    let mut step: u64 = 1;
    'search: for _ in 0..20 {
        for m in [1, 2, 5] {
            let s = step * m;
            if end_us / s <= u64::from(max_ticks.max(1)) {
                step = s;
                break 'search;
            }
        }
        step *= 10;
    }
    (0..=end_us / step)
        .map(|i| SimTime::from_micros(i * step))
        .collect()
}

/// The number of students waiting in the accept queue over time, as steps `(from, count)`
/// sorted by time: the count holds from `from` until the next step.
pub fn queue_length(trace: &Trace) -> Vec<(SimTime, u32)> {
    let mut events: Vec<(SimTime, i64)> = Vec::with_capacity(trace.students.len() * 2);
    for s in &trace.students {
        events.push((s.arrival, 1));
        // A student never taken stays queued to the end.
        events.push((s.accepted.unwrap_or(SimTime(u64::MAX)), -1));
    }
    events.sort_unstable();
    let mut steps: Vec<(SimTime, u32)> = Vec::new();
    let mut count: i64 = 0;
    for (t, delta) in events {
        count += delta;
        let c = count.max(0) as u32;
        match steps.last_mut() {
            Some(last) if last.0 == t => last.1 = c,
            _ => steps.push((t, c)),
        }
    }
    steps
}

/// The queue length at `t` from the steps of [`queue_length`].
pub fn queue_at(steps: &[(SimTime, u32)], t: SimTime) -> u32 {
    let i = steps.partition_point(|(from, _)| *from <= t);
    if i == 0 {
        0
    } else {
        steps[i - 1].1
    }
}

/// A student's name on the page: `A`..`Z` for small runs (as in the article), `#1`.. otherwise.
pub fn student_name(id: u32, students: u32) -> String {
    if students <= 26 {
        char::from(b'A' + id as u8).to_string()
    } else {
        format!("#{}", id + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{simulate, Scenario};

    #[test]
    fn ticks_use_a_round_step() {
        let secs = |v: &[SimTime]| v.iter().map(|t| t.as_secs_f64()).collect::<Vec<_>>();
        assert_eq!(
            secs(&ticks(SimTime::from_secs(200), 8)),
            [0., 50., 100., 150., 200.]
        );
        assert_eq!(
            secs(&ticks(SimTime::from_secs(2), 8)),
            [0., 0.5, 1., 1.5, 2.]
        );
        assert_eq!(ticks(SimTime::ZERO, 8), [SimTime::ZERO]);
    }

    #[test]
    fn the_blocking_queue_drains_one_student_every_two_seconds() {
        let trace = simulate(&Scenario::default()).unwrap();
        let steps = queue_length(&trace);
        assert_eq!(queue_at(&steps, SimTime::ZERO), 99, "one is served at once");
        assert_eq!(queue_at(&steps, SimTime::from_secs(3)), 98);
        assert_eq!(queue_at(&steps, SimTime::from_secs(199)), 0);
    }

    #[test]
    fn names_follow_the_article() {
        assert_eq!(student_name(0, 4), "A");
        assert_eq!(student_name(3, 4), "D");
        assert_eq!(student_name(36, 100), "#37");
    }
}
