//! The distribution of waits so far: a histogram of every wait at `t` (the ones the stats strip
//! summarises), with p50, p95 and p99 marked where the strip's own numbers put them. Its axes are
//! those of the whole run, so the bars grow as the clock moves rather than rescale. Two runs
//! (`compare`) share one axis, each bin split between them. Shapes in pixels; draws nothing.

use crate::sim::time::SimTime;
use crate::sim::trace::Trace;
use crate::view::axis::{Axis, Tick, Unit};
use crate::view::format;

/// Bins across the axis.
pub const BINS: usize = 24;
/// The drawing's height, and the room its axis labels take below the bars.
pub const HEIGHT: f64 = 150.0;
const AXIS_H: f64 = 22.0;
const LEFT: f64 = 8.0;
const RIGHT: f64 = 12.0;
/// Room a centred label needs on each side of its mark (pixels).
const LABEL_ROOM: f64 = 40.0;
/// Marks closer than this (pixels) share a label.
const MARK_GAP: f64 = 24.0;

/// One run's bar in one bin.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// Which run (0, or 1 for the second of `compare`).
    pub run: usize,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// Waits in the bin, and the bin's range in words (`3 waits of 2 s to 2.5 s`).
    pub count: u32,
    pub words: String,
}

/// A percentile marked on the axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub run: usize,
    /// `p50`, `p95`, `p99`.
    pub name: &'static str,
    /// The text drawn by the mark: its name, or the names of the marks close enough to share it
    /// (`p95/p99`, on the first of them; empty on the others).
    pub label: String,
    pub x: f64,
    /// Where the label is written and how it is anchored: beside the line near an edge, so it
    /// stays inside the drawing, centred on it elsewhere.
    pub label_x: f64,
    pub anchor: &'static str,
    /// The wait, in seconds (the strip's own number).
    pub value_s: f64,
}

/// The histogram at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    pub width: f64,
    pub height: f64,
    /// Where the bars stand.
    pub base: f64,
    pub columns: Vec<Column>,
    pub marks: Vec<Mark>,
    pub ticks: Vec<Tick>,
    /// Waits counted now, per run.
    pub counted: Vec<u32>,
}

/// What a histogram keeps while the clock moves, found once per set of runs: the longest wait
/// of the whole runs (the x axis) and the tallest bin at their end (the y scale).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    max: SimTime,
    peak: u32,
}

impl Scale {
    pub fn of(traces: &[&Trace]) -> Scale {
        let max = traces
            .iter()
            .map(|tr| tr.metrics.latency.max)
            .max()
            .unwrap_or(SimTime::ZERO)
            // Every wait maps somewhere, even when all are zero.
            .max(SimTime::from_millis(1));
        let peak = traces
            .iter()
            .flat_map(|tr| bins(tr, tr.end, max))
            .max()
            .unwrap_or(0)
            .max(1);
        Scale { max, peak }
    }
}

/// The waits of `trace` at `t`, counted in [`BINS`] bins over `[0, max]`.
fn bins(trace: &Trace, t: SimTime, max: SimTime) -> Vec<u32> {
    let mut bins = vec![0u32; BINS];
    for w in trace.waits_at(t) {
        bins[bin_of(w, max)] += 1;
    }
    bins
}

/// Which of the [`BINS`] bins over `[0, max]` a wait falls in.
fn bin_of(wait: SimTime, max: SimTime) -> usize {
    // The longest wait lands in the last bin, not past it.
    ((wait.ratio(max) * BINS as f64) as usize).min(BINS - 1)
}

impl Histogram {
    /// The waits of `traces` at `t` on their `scale` ([`Scale::of`] the same traces), drawn
    /// `width` pixels wide.
    pub fn at(traces: &[&Trace], scale: Scale, t: SimTime, width: f64) -> Histogram {
        let runs = traces.len().max(1);
        let Scale { max, peak } = scale;
        let plot_w = (width - LEFT - RIGHT).max(40.0);
        let base = HEIGHT - AXIS_H;
        // The one time-to-x mapping, here for waits rather than moments.
        let axis = Axis::new(LEFT, plot_w, max);
        let bin_w = plot_w / BINS as f64;
        let bin_s = axis.end.as_secs_f64() / BINS as f64;
        let mut columns = Vec::new();
        let mut counted = Vec::new();
        let mut marks: Vec<Mark> = Vec::new();
        for (run, tr) in traces.iter().enumerate() {
            let bins = bins(tr, t, max);
            counted.push(bins.iter().sum());
            for (i, &n) in bins.iter().enumerate().filter(|(_, n)| **n > 0) {
                let h = (base - 4.0) * f64::from(n) / f64::from(peak);
                let w = (bin_w - 1.0).max(1.0) / runs as f64;
                let (from, to) = (bin_s * i as f64, bin_s * (i + 1) as f64);
                columns.push(Column {
                    run,
                    x: LEFT + bin_w * i as f64 + w * run as f64,
                    y: base - h,
                    w,
                    h,
                    count: n,
                    words: format!(
                        "{} of {} to {}",
                        format::plural(n.into(), "wait", "waits"),
                        format::secs(from),
                        format::secs(to)
                    ),
                });
            }
            let latency = tr.metrics_at(t).latency;
            if counted[run] > 0 {
                // The index of the mark that carries the current label.
                let mut head = marks.len();
                for (name, value) in [
                    ("p50", latency.p50),
                    ("p95", latency.p95),
                    ("p99", latency.p99),
                ] {
                    let x = axis.x(value);
                    let mut label = name.to_string();
                    if marks.len() > head && x - marks[head].x < MARK_GAP {
                        let shared = format!("{}/{name}", marks[head].label);
                        marks[head].label = shared;
                        label.clear();
                    } else {
                        head = marks.len();
                    }
                    let (label_x, anchor) = if x < LABEL_ROOM {
                        (x + 2.0, "start")
                    } else if x > width - LABEL_ROOM {
                        (x - 2.0, "end")
                    } else {
                        (x, "middle")
                    };
                    marks.push(Mark {
                        run,
                        name,
                        label,
                        x,
                        label_x,
                        anchor,
                        value_s: value.as_secs_f64(),
                    });
                }
            }
        }
        let ticks = axis.ticks(90.0, Unit::Seconds);
        Histogram {
            width,
            height: HEIGHT,
            base,
            columns,
            marks,
            ticks,
            counted,
        }
    }

    /// The picture in words, for a screen reader: what is counted and where the marks are, per
    /// run (named by `titles` when there are two).
    pub fn summary(&self, titles: &[&str]) -> String {
        let counted: u32 = self.counted.iter().sum();
        if counted == 0 {
            return "No waits yet.".to_string();
        }
        let runs: Vec<String> = (0..self.counted.len())
            .map(|run| {
                let marks: Vec<String> = (self.marks.iter().filter(|m| m.run == run))
                    .map(|m| format!("{} {}", m.name, format::secs(m.value_s)))
                    .collect();
                match titles.get(run).filter(|_| self.counted.len() > 1) {
                    Some(title) => format!("{title}: {}", marks.join(", ")),
                    None => marks.join(", "),
                }
            })
            .collect();
        format!(
            "The distribution of {} so far: {}.",
            format::plural(counted.into(), "wait", "waits"),
            runs.join("; ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{simulate, Scenario};

    #[test]
    fn the_blocking_queue_spreads_waits_evenly_and_the_marks_are_the_strips() {
        let trace = simulate(&Scenario::default()).unwrap();
        let end = Histogram::at(&[&trace], Scale::of(&[&trace]), trace.end, 600.0);
        // 100 waits of 2, 4, ... 200 s across 24 bins: every bin has four or five.
        assert_eq!(end.counted, vec![100]);
        let counts: Vec<u32> = end.columns.iter().map(|c| c.count).collect();
        assert_eq!(counts.iter().sum::<u32>(), 100);
        assert!(counts.iter().all(|n| (4..=5).contains(n)), "{counts:?}");
        let m = trace.metrics.latency;
        let values: Vec<f64> = end.marks.iter().map(|m| m.value_s).collect();
        assert_eq!(
            values,
            vec![
                m.p50.as_secs_f64(),
                m.p95.as_secs_f64(),
                m.p99.as_secs_f64()
            ]
        );
        // Halfway, the waits so far: the same axis, fewer and shorter.
        let half = Histogram::at(
            &[&trace],
            Scale::of(&[&trace]),
            SimTime::from_secs(100),
            600.0,
        );
        assert_eq!(half.counted, vec![100]);
        assert_eq!(half.ticks, end.ticks);
        assert!(half.marks[2].value_s <= 100.0);
        assert!(end
            .summary(&[])
            .starts_with("The distribution of 100 waits so far: p50 100 s"));
    }

    #[test]
    fn two_runs_share_one_axis() {
        let blocking = simulate(&Scenario::default()).unwrap();
        let async_run = simulate(&Scenario::parse_args(&["mode=async"]).unwrap()).unwrap();
        let h = Histogram::at(
            &[&blocking, &async_run],
            Scale::of(&[&blocking, &async_run]),
            blocking.end,
            600.0,
        );
        assert_eq!(h.counted, vec![100, 100]);
        // Every async wait (2 s) is in the first bin of a 200 s axis, beside blocking's.
        let async_columns: Vec<&Column> = h.columns.iter().filter(|c| c.run == 1).collect();
        assert_eq!(async_columns.len(), 1);
        assert_eq!(async_columns[0].count, 100);
        // Async's three marks sit together at 2 s: one label.
        let labels: Vec<&str> = h.marks.iter().map(|m| m.label.as_str()).collect();
        assert_eq!(labels, ["p50", "p95/p99", "", "p50/p95/p99", "", ""]);
        assert!(h
            .summary(&["Blocking", "Async"])
            .ends_with("; Async: p50 2 s, p95 2 s, p99 2 s."));
    }
}
