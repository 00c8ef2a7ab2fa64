//! The numbers of a run, at its end or at any moment of it, computed by one function from the
//! per-student times, so the page's figures at the end equal the command line's exactly.

use serde::{Deserialize, Serialize};

use super::decimal::fixed;
use super::order;
use super::time::SimTime;
use super::trace::State;

/// Waits of the students arrived so far: a finished student's latency (completion time minus
/// arrival time, so queueing counts), and for one still waiting at the moment described, that
/// moment minus its arrival. At the end of a complete run every student has finished, so these are
/// the latencies of all of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LatencySummary {
    /// Mean, in seconds (not rounded to the microsecond grid).
    pub mean_s: f64,
    /// Median by nearest rank: the `ceil(0.5 n)`-th smallest.
    pub p50: SimTime,
    /// The `ceil(0.95 n)`-th smallest.
    pub p95: SimTime,
    /// The `ceil(0.99 n)`-th smallest.
    pub p99: SimTime,
    /// The longest.
    pub max: SimTime,
}

/// The state of a run at one moment `time`; the final metrics are those at the last completion.
/// The fields added later (`rejected`, `cpu_busy`, `blocked`) default to zero when reading older
/// serialized metrics.
///
/// With no arrival yet every wait is zero; with `time` zero the throughput and the utilization
/// are zero rather than undefined.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// The moment described.
    pub time: SimTime,
    /// Students finished at or before `time`.
    pub completed: u32,
    /// Students turned away (`overflow=reject`) at or before `time`: never served, not
    /// completed, and without a wait.
    #[serde(default)]
    pub rejected: u32,
    /// Students accepted by a worker and not finished at `time`.
    pub in_flight: u32,
    /// The most students in flight at any moment of `[0, time]`.
    pub max_in_flight: u32,
    /// The last completion at or before `time` (zero if none).
    pub makespan: SimTime,
    /// `completed / time`, per second.
    pub throughput_per_s: f64,
    /// Share of worker time in `[0, time]` during which a worker's lane was held (running handler
    /// code, or stuck in a blocking call or a blocking wait for a connection), from 0 to 1; equal
    /// to `cpu_busy + blocked` up to rounding.
    pub utilization: f64,
    /// Share of worker time in `[0, time]` during which a worker's lane ran handler code (state
    /// `Running`), from 0 to 1.
    #[serde(default)]
    pub cpu_busy: f64,
    /// Share of worker time in `[0, time]` during which a worker's lane was held by a blocking call
    /// or a blocking wait for a connection (states `Blocked` and `WaitingConnection`), from 0 to 1.
    /// In threadpool mode a blocking call holds only its thread, not the lane, and is not counted.
    #[serde(default)]
    pub blocked: f64,
    /// Waits of the students arrived by `time`: finish minus arrival for those finished by
    /// `time`, `time` minus arrival for those still waiting (queued or in flight), so a long
    /// queue shows at once rather than only as its students finish.
    pub latency: LatencySummary,
}

/// One student's times, as the metrics need them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Times {
    pub arrival: SimTime,
    pub accepted: Option<SimTime>,
    pub finish: Option<SimTime>,
    /// When its response was sent, if before its finish (work after the response:
    /// `BackgroundTasks`): its wait ends there.
    pub responded: Option<SimTime>,
    pub rejected: bool,
}

/// Worker time during which lanes were held, in microseconds, split by what held them. Integer
/// sums, so `utilization` and `cpu_busy + blocked` differ by float rounding only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Busy {
    /// Held running handler code.
    pub cpu: u64,
    /// Held by a blocking call or a blocking wait for a connection.
    pub blocked: u64,
}

impl Busy {
    /// Adds `micros` of a lane held in `state` (a worker span's state).
    pub fn add(&mut self, state: State, micros: u64) {
        if state == State::Running {
            self.cpu += micros;
        } else {
            self.blocked += micros;
        }
    }

    /// Both together.
    pub fn total(self) -> u64 {
        self.cpu + self.blocked
    }
}

impl std::ops::AddAssign for Busy {
    fn add_assign(&mut self, other: Busy) {
        self.cpu += other.cpu;
        self.blocked += other.blocked;
    }
}

/// The nearest-rank percentile `p` (in percent) of sorted values; zero when there are none.
fn nearest_rank(sorted: &[u64], p: u64) -> SimTime {
    let n = sorted.len() as u64;
    if n == 0 {
        return SimTime::ZERO;
    }
    let rank = (n * p).div_ceil(100).max(1);
    SimTime::from_micros(sorted[(rank - 1) as usize])
}

/// The wait of a student at `time`, as the metrics count it: from its arrival to its finish, or
/// to `time` while it still waits; `None` before it arrives and for a request turned away.
pub(crate) fn wait_at(s: &Times, time: SimTime) -> Option<SimTime> {
    if s.arrival > time || s.rejected {
        return None;
    }
    let answered = s.responded.or(s.finish);
    Some(answered.filter(|f| *f <= time).unwrap_or(time) - s.arrival)
}

/// Metrics at `time` for `workers` workers whose lanes were held `busy` in `[0, time]`. The
/// students come as a `dyn` iterator: the executor and a finished trace each hand theirs over,
/// and a generic one would be a copy of this function for each.
pub(crate) fn compute(
    time: SimTime,
    workers: u32,
    students: &mut dyn Iterator<Item = Times>,
    busy: Busy,
) -> Metrics {
    let mut waits: Vec<u64> = Vec::new();
    let mut accepts: Vec<u64> = Vec::new();
    let mut finishes: Vec<u64> = Vec::new();
    let mut in_flight = 0u32;
    let mut makespan = SimTime::ZERO;
    let (mut completed, mut rejected) = (0u32, 0u32);
    for s in students {
        if s.arrival > time {
            continue;
        }
        if s.rejected {
            rejected += 1;
            continue;
        }
        let done = s.finish.filter(|f| *f <= time);
        if let Some(f) = done {
            completed += 1;
            finishes.push(f.as_micros());
            makespan = makespan.max(f);
        }
        waits.extend(wait_at(&s, time).map(SimTime::as_micros));
        if let Some(a) = s.accepted.filter(|a| *a <= time) {
            accepts.push(a.as_micros());
            if done.is_none() {
                in_flight += 1;
            }
        }
    }
    order::micros(&mut waits);
    order::micros(&mut accepts);
    order::micros(&mut finishes);

    // In flight at x = accepted at or before x and not finished at or before x; its maximum is
    // reached right after some instant's events, all applied together.
    let (mut i, mut j, mut current, mut max_in_flight) = (0, 0, 0i64, 0i64);
    while i < accepts.len() || j < finishes.len() {
        let next = match (accepts.get(i), finishes.get(j)) {
            (Some(a), Some(f)) => (*a).min(*f),
            (Some(a), None) => *a,
            (None, Some(f)) => *f,
            (None, None) => break,
        };
        while accepts.get(i) == Some(&next) {
            current += 1;
            i += 1;
        }
        while finishes.get(j) == Some(&next) {
            current -= 1;
            j += 1;
        }
        max_in_flight = max_in_flight.max(current);
    }

    let waiting = waits.len() as u32;
    let total: u128 = waits.iter().map(|l| u128::from(*l)).sum();
    let latency = LatencySummary {
        mean_s: if waiting == 0 {
            0.0
        } else {
            total as f64 / f64::from(waiting) / 1e6
        },
        p50: nearest_rank(&waits, 50),
        p95: nearest_rank(&waits, 95),
        p99: nearest_rank(&waits, 99),
        max: SimTime::from_micros(waits.last().copied().unwrap_or(0)),
    };
    let seconds = time.as_secs_f64();
    let share = |micros: u64| {
        if time == SimTime::ZERO || workers == 0 {
            0.0
        } else {
            micros as f64 / (f64::from(workers) * time.as_micros() as f64)
        }
    };
    Metrics {
        time,
        completed,
        rejected,
        in_flight,
        max_in_flight: max_in_flight as u32,
        makespan,
        throughput_per_s: if time == SimTime::ZERO {
            0.0
        } else {
            f64::from(completed) / seconds
        },
        utilization: share(busy.total()),
        cpu_busy: share(busy.cpu),
        blocked: share(busy.blocked),
        latency,
    }
}

/// The command line's JSON object, every time in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricsJson {
    /// Students finished.
    pub completed: u32,
    /// Students turned away with a 503 (`overflow=reject`).
    pub rejected: u32,
    /// Most students in flight at once.
    pub max_in_flight: u32,
    /// Time of the last completion.
    pub makespan_s: f64,
    /// Completions per second.
    pub throughput_per_s: f64,
    /// Share of worker time occupied, 0 to 1.
    pub utilization: f64,
    /// Share of worker time running handler code, 0 to 1.
    pub cpu_busy: f64,
    /// Share of worker time held by a blocking call or connection wait, 0 to 1.
    pub blocked: f64,
    /// Latency figures.
    pub latency_s: LatencyJson,
}

/// Latency figures in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatencyJson {
    /// Mean.
    pub mean: f64,
    /// Median (nearest rank).
    pub p50: f64,
    /// 95th percentile (nearest rank).
    pub p95: f64,
    /// 99th percentile (nearest rank).
    pub p99: f64,
    /// Longest.
    pub max: f64,
}

impl Metrics {
    /// The figures of the command line's `format=json`.
    pub fn to_json_struct(&self) -> MetricsJson {
        MetricsJson {
            completed: self.completed,
            rejected: self.rejected,
            max_in_flight: self.max_in_flight,
            makespan_s: self.makespan.as_secs_f64(),
            throughput_per_s: self.throughput_per_s,
            utilization: self.utilization,
            cpu_busy: self.cpu_busy,
            blocked: self.blocked,
            latency_s: LatencyJson {
                mean: self.latency.mean_s,
                p50: self.latency.p50.as_secs_f64(),
                p95: self.latency.p95.as_secs_f64(),
                p99: self.latency.p99.as_secs_f64(),
                max: self.latency.max.as_secs_f64(),
            },
        }
    }

    /// One JSON object: `{"completed", "rejected", "max_in_flight", "makespan_s",
    /// "throughput_per_s", "utilization", "cpu_busy", "blocked", "latency_s": {"mean", "p50",
    /// "p95", "p99", "max"}}`.
    pub fn to_json(&self) -> String {
        // Only numbers and fixed keys: serialization cannot fail.
        serde_json::to_string(&self.to_json_struct()).unwrap_or_default()
    }

    /// A small table for people, one figure per line.
    pub fn to_text(&self) -> String {
        let l = &self.latency;
        let secs = |s: f64| format!("{} s", fixed(s, 3));
        let pct = |share: f64| format!("{} %", fixed(share * 100.0, 1));
        let rows = [
            ("completed", self.completed.to_string()),
            ("rejected", self.rejected.to_string()),
            ("max in flight", self.max_in_flight.to_string()),
            ("makespan", secs(self.makespan.as_secs_f64())),
            (
                "throughput",
                format!("{} /s", fixed(self.throughput_per_s, 3)),
            ),
            ("utilization", pct(self.utilization)),
            ("  cpu busy", pct(self.cpu_busy)),
            ("  blocked", pct(self.blocked)),
            ("latency mean", secs(l.mean_s)),
            ("latency p50", secs(l.p50.as_secs_f64())),
            ("latency p95", secs(l.p95.as_secs_f64())),
            ("latency p99", secs(l.p99.as_secs_f64())),
            ("latency max", secs(l.max.as_secs_f64())),
        ];
        let mut out = String::new();
        for (name, value) in rows {
            out.push_str(&format!("{name:<15} {value:>14}\n"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_is_the_ceiling_rank() {
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!(nearest_rank(&v, 50), SimTime::from_micros(50));
        assert_eq!(nearest_rank(&v, 95), SimTime::from_micros(95));
        assert_eq!(nearest_rank(&[7], 99), SimTime::from_micros(7));
        assert_eq!(nearest_rank(&[1, 2, 3], 50), SimTime::from_micros(2));
        assert_eq!(nearest_rank(&[], 50), SimTime::ZERO);
    }

    #[test]
    fn same_instant_accept_and_finish_do_not_overlap() {
        // A finishes at 2 and B is accepted at 2: never two in flight.
        let times = [
            Times {
                responded: None,
                arrival: SimTime::from_micros(0),
                accepted: Some(SimTime::from_micros(0)),
                finish: Some(SimTime::from_micros(2)),
                rejected: false,
            },
            Times {
                responded: None,
                arrival: SimTime::from_micros(0),
                accepted: Some(SimTime::from_micros(2)),
                finish: Some(SimTime::from_micros(4)),
                rejected: false,
            },
        ];
        let busy = Busy { cpu: 1, blocked: 3 };
        let m = compute(SimTime::from_micros(4), 1, &mut times.into_iter(), busy);
        assert_eq!(m.max_in_flight, 1);
        assert_eq!((m.utilization, m.cpu_busy, m.blocked), (1.0, 0.25, 0.75));
        assert_eq!(m.latency.max, SimTime::from_micros(4));
        assert_eq!(m.latency.mean_s, 3e-6);
    }
}
