//! The one mapping from simulated time to a horizontal position, shared by every picture (the SVG
//! timelines, the race drawing, the workers canvas), and the tick marks along it.

use crate::sim::time::SimTime;
use crate::view::format::{fixed, plain, trim};

/// Time from 0 to `end` across `width` pixels starting at `left`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axis {
    /// Where time 0 is.
    pub left: f64,
    /// Pixels from time 0 to `end`.
    pub width: f64,
    /// The time at the right edge (never zero, so every time maps somewhere).
    pub end: SimTime,
}

/// How tick labels read: seconds (`0.5`) or, for runs that last a fraction of a second,
/// milliseconds (`250`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Seconds,
    Millis,
}

impl Unit {
    /// The unit's word, written once beside the axis.
    pub fn word(self) -> &'static str {
        match self {
            Unit::Seconds => "seconds",
            Unit::Millis => "ms",
        }
    }
}

/// A tick: where it goes and its label.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub x: f64,
    pub label: String,
}

impl Axis {
    /// An axis from `left`, `width` pixels wide, up to `end` (at least 1 ms).
    pub fn new(left: f64, width: f64, end: SimTime) -> Axis {
        Axis {
            left,
            width,
            end: end.max(SimTime::from_millis(1)),
        }
    }

    /// The position of `t`; times past the end stay at the right edge.
    pub fn x(&self, t: SimTime) -> f64 {
        self.left + self.width * t.ratio(self.end).clamp(0.0, 1.0)
    }

    /// The right edge.
    pub fn right(&self) -> f64 {
        self.left + self.width
    }

    /// Ticks on a round step, about one per `spacing` pixels (at least two intervals).
    pub fn ticks(&self, spacing: f64, unit: Unit) -> Vec<Tick> {
        ticks(self.end, (self.width / spacing).max(2.0) as u32)
            .into_iter()
            .map(|t| Tick {
                x: self.x(t),
                label: match unit {
                    Unit::Seconds => trim(fixed(t.as_secs_f64(), 3)),
                    Unit::Millis => plain((t.as_secs_f64() * 1000.0).round()),
                },
            })
            .collect()
    }
}

/// Tick marks for an axis over `[0, end]`: a 1-2-5 step giving at most `max_ticks` intervals.
pub fn ticks(end: SimTime, max_ticks: u32) -> Vec<SimTime> {
    if end == SimTime::ZERO {
        return vec![SimTime::ZERO];
    }
    let mut step = SimTime::from_micros(1);
    'search: for _ in 0..20 {
        for m in [1, 2, 5] {
            let s = step.times(m);
            if end.div_floor(s) <= u64::from(max_ticks.max(1)) {
                step = s;
                break 'search;
            }
        }
        step = step.times(10);
    }
    (0..=end.div_floor(step)).map(|i| step.times(i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn times_map_inside_the_axis() {
        let axis = Axis::new(100.0, 200.0, SimTime::from_secs(4));
        assert_eq!(axis.x(SimTime::ZERO), 100.0);
        assert_eq!(axis.x(SimTime::from_secs(1)), 150.0);
        assert_eq!(
            axis.x(SimTime::from_secs(9)),
            300.0,
            "past the end: the edge"
        );
        assert_eq!(
            Axis::new(0.0, 10.0, SimTime::ZERO).end,
            SimTime::from_millis(1)
        );
        let labels: Vec<String> = axis
            .ticks(100.0, Unit::Seconds)
            .into_iter()
            .map(|t| t.label)
            .collect();
        assert_eq!(labels, ["0", "2", "4"]);
        let short = Axis::new(0.0, 400.0, SimTime::from_millis(250));
        let labels: Vec<String> = short
            .ticks(80.0, Unit::Millis)
            .into_iter()
            .map(|t| t.label)
            .collect();
        assert_eq!(labels, ["0", "50", "100", "150", "200", "250"]);
    }
}
