//! The load curve (`scene=load`): how the waits grow as students arrive faster, for the setup and
//! for the other mode, simulated at [`RATES`] steady Poisson rates up to past the setup's
//! capacity, every run as long in time ([`run_s`]), so that past capacity the waits grow with the
//! run. Beside the simulated mean, the closed form where queueing theory has one (M/D/1 for one
//! blocking worker with fixed times, Erlang C for M/M/c). Numbers, words and shapes in pixels;
//! the runs are the core's.

use crate::sim::scenario::{Arrival, HandlerKind, IoDist, Mode, Overflow, Scenario};
use crate::sim::{simulate_metrics_only, simulate_pool_use, Pooled};
use crate::view::format::{self, Fixed};
use crate::view::page::{compare_with, mode_title};

/// Rates simulated per curve.
pub const RATES: usize = 16;
/// The most students a run at capacity has, whatever the setup's `students`: the page simulates
/// about 27 times that many for the two curves.
pub const MAX_STUDENTS: u32 = 10_000;
/// The highest rate, as a multiple of the capacity: far enough past it that the waits visibly
/// grow without bound.
const TOP: f64 = 1.5;

/// What one request asks of its worker, in milliseconds: the time it holds a slot when nothing
/// else waits (`service`), the part of it that holds the worker itself (`held`: its Python,
/// which runs one request's at a time, and in async mode the calls made without `await`, which
/// hold the loop), and its CPU (`cpu`).
/// `pools` is the most requests per second its pools let through (a lock, a thread, a
/// connection held for part of each request), whatever else the setup has.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Demand {
    service: f64,
    held: f64,
    cpu: f64,
    pools: f64,
}

/// The students a measured [`Demand`] is averaged over.
const PROBE_STUDENTS: u32 = 100;

/// What one request of `s` asks. The article's handler does what the setup's numbers say:
/// validate's and the framework's CPU, then the database and the email. Any other handler (the
/// race's, the reader's `code`) is measured: its first students run one after another on one
/// worker with one slot, each call at its mean time, where nothing waits for anything else, so
/// the run's length, CPU and held time per student are the handler's own, and so is the time
/// each pool's units were in use: a pool of `n` units, each in use `h` ms a request, lets
/// `n × 1000 ÷ h` through a second (one per worker process, but the database's one row lock).
fn demand(s: &Scenario) -> Demand {
    let cpu = s.validate_ms + s.framework_ms;
    let setup = Demand {
        service: cpu + s.db_ms + s.email_ms,
        held: cpu
            + match s.mode {
                Mode::Async => {
                    unawaited(s.await_db, s.db_ms) + unawaited(s.await_email, s.email_ms)
                }
                _ => 0.0,
            },
        cpu,
        // Each save holds one of a worker's `db_pool` connections for its `db_ms`.
        pools: match s.db_pool {
            Some(n) if s.db_ms > 0.0 => f64::from(s.workers * n) * 1000.0 / s.db_ms,
            _ => f64::INFINITY,
        },
    };
    if is_article(s) {
        return setup;
    }
    // Set field by field: a struct built anew would copy every field of the clone again.
    let mut alone = s.clone();
    (alone.workers, alone.concurrency, alone.threads) = (1, 1, 1);
    // Always as many, whatever the setup's `students`: the curve's runs at each rate carry
    // other counts, and the strip and the curve must measure the same handler alike.
    alone.students = PROBE_STUDENTS;
    alone.overflow = Overflow::Queue;
    alone.arrival = Arrival::Burst;
    alone.extra_arrivals.clear();
    // Every call at its mean time, as the setup's numbers are for the article's handler: a
    // figure, not a draw of the few students a scene may have (the race has three).
    alone.io_dist = IoDist::Fixed;
    let Ok((m, pools_used)) = simulate_pool_use(&alone) else {
        return setup;
    };
    let students = f64::from(m.completed.max(1));
    let each = m.makespan.as_secs_f64() * 1000.0 / students;
    let mut pools = f64::INFINITY;
    for pool in pools_used {
        let hold_ms = pool.used.as_secs_f64() * 1000.0 / students;
        let (count, size) = match pool.kind {
            // The probe ran on one thread; the setup has `threads`.
            Pooled::Threads => (s.workers, s.threads),
            Pooled::RowLock => (1, pool.size),
            _ => (s.workers, pool.size),
        };
        if hold_ms > 0.0 && size != u32::MAX {
            pools = pools.min(f64::from(count) * f64::from(size) * 1000.0 / hold_ms);
        }
    }
    Demand {
        service: each,
        held: each * m.utilization,
        cpu: each * m.cpu_busy,
        pools,
    }
}

/// Whether `s` runs the article's handler (no `code`, the registration preset).
pub fn is_article(s: &Scenario) -> bool {
    s.code.is_none() && s.handler == HandlerKind::Register
}

/// The time a call made without `await` holds an async worker's loop.
fn unawaited(awaited: bool, ms: f64) -> f64 {
    if awaited {
        0.0
    } else {
        ms
    }
}

/// Requests one worker serves at once: 1 when blocking, `concurrency` in async mode, `threads`
/// in a thread pool.
fn slots(s: &Scenario) -> u32 {
    s.capacity_per_worker()
}

/// The steady rate beyond which the waits grow without bound, per second: `workers × slots ÷
/// time per request`; no more than each worker can run one at a time (its [`Demand`]'s `held`;
/// in blocking mode that is the whole request, which the slots already say); no more CPU than
/// the `cores` have; and no more than its pools let through.
pub fn capacity_per_s(s: &Scenario) -> f64 {
    let d = demand(s);
    let workers = f64::from(s.workers);
    let mut capacity = workers * f64::from(slots(s)) * 1000.0 / d.service.max(1e-3);
    if d.held > 0.0 {
        capacity = capacity.min(workers * 1000.0 / d.held);
    }
    // The workers share the cores: past `cores` requests' CPU at once, the machine is full.
    if d.cpu > 0.0 {
        capacity = capacity.min(f64::from(s.cores.max(1)) * 1000.0 / d.cpu);
    }
    capacity.min(d.pools)
}

/// The closed-form mean wait (arrival to finish) at `rate`, where one exists: M/D/1 for one
/// blocking worker with fixed times (Pollaczek-Khinchine), M/M/c for blocking workers whose one
/// step takes an exponential time (Erlang C); `None` otherwise, and at or past saturation. Only
/// for the article's handler, whose steps the setup's numbers give: another handler's time is
/// measured as a mean, which says nothing of how it varies.
pub fn closed_form_mean_s(s: &Scenario, rate: f64) -> Option<f64> {
    if s.mode != Mode::Blocking || rate <= 0.0 || !is_article(s) {
        return None;
    }
    let cpu_ms = s.validate_ms + s.framework_ms;
    let service = demand(s).service / 1000.0;
    let rho = rate * service / f64::from(s.workers);
    if rho >= 1.0 || service <= 0.0 {
        return None;
    }
    match s.io_dist {
        IoDist::Fixed if s.workers == 1 => Some(service + rho * service / (2.0 * (1.0 - rho))),
        // A single exponential step: the email alone.
        IoDist::Exp if cpu_ms == 0.0 && s.db_ms == 0.0 => {
            let c = s.workers;
            let a = rate * service; // offered load in Erlangs
            Some(erlang_c(c, a) * service / (f64::from(c) - a) + service)
        }
        _ => None,
    }
}

/// The probability that an arrival waits, for `c` servers offered `a` Erlangs (`a < c`).
fn erlang_c(c: u32, a: f64) -> f64 {
    // Σ a^k/k! for k < c, and a^c/c! · c/(c−a), built term by term to stay finite.
    let (mut term, mut sum) = (1.0, 0.0);
    for k in 0..c {
        sum += term;
        term *= a / f64::from(k + 1);
    }
    let top = term * f64::from(c) / (f64::from(c) - a);
    top / (sum + top)
}

/// The length of every run of the curve, in seconds: as long as the setup's students (at most
/// [`MAX_STUDENTS`]) take to arrive at the setup's capacity. A run sized by time, not by a count,
/// is what shows a queue past capacity growing for as long as students keep coming: a fixed
/// count would end each run sooner the faster they come, and the waits would seem to level off.
pub fn run_s(s: &Scenario) -> f64 {
    run_s_at(s, capacity_per_s(s))
}

/// [`run_s`] for a setup whose capacity is known: the capacity of a handler other than the
/// article's is a run of its own, made once.
fn run_s_at(s: &Scenario, capacity: f64) -> f64 {
    f64::from(s.students.clamp(1, MAX_STUDENTS)) / capacity
}

/// The curve's run at one rate: `setup` in `mode`, students arriving as a Poisson stream at
/// `rate` for [`run_s`] of the setup.
pub fn at_rate(setup: &Scenario, mode: Mode, rate: f64) -> Scenario {
    run_of(setup, mode, rate, run_s(setup))
}

/// `setup` in `mode` with students arriving as a Poisson stream at `rate` for `seconds`.
fn run_of(setup: &Scenario, mode: Mode, rate: f64, seconds: f64) -> Scenario {
    let mut s = setup.clone();
    (s.mode, s.arrival, s.rate) = (mode, Arrival::Poisson, rate);
    s.students = ((rate * seconds).round() as u32).max(1);
    s.extra_arrivals.clear();
    s
}

/// One simulated point of a curve.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub rate: f64,
    /// Students in its run.
    pub students: u32,
    pub p95_s: f64,
    pub mean_s: f64,
    pub throughput_per_s: f64,
}

impl Point {
    /// `run` simulated, if the core takes it.
    fn of(run: &Scenario) -> Option<Point> {
        let m = simulate_metrics_only(run).ok()?;
        Some(Point {
            rate: run.rate,
            students: run.students,
            p95_s: m.latency.p95.as_secs_f64(),
            mean_s: m.latency.mean_s,
            throughput_per_s: m.throughput_per_s,
        })
    }
}

/// A curve: a setup's points, and the closed-form means beside them where they exist.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    pub title: &'static str,
    pub mode: Mode,
    pub points: Vec<Point>,
    pub closed_form: Vec<Option<f64>>,
}

impl Curve {
    /// A point's tooltip.
    pub fn point_title(&self, p: &Point) -> String {
        format!(
            "{}: {} students at {}, p95 wait {}. Click to watch this run.",
            self.title,
            format::count(p.students.into()),
            format::per_sec(p.rate),
            format::secs(p.p95_s)
        )
    }
}

/// The two curves and the capacity.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadCurve {
    pub capacity_per_s: f64,
    /// How long every run lasts ([`run_s`]).
    pub run_s: f64,
    /// The rates, shared by both curves.
    pub rates: Vec<f64>,
    /// The setup's, then the other mode's.
    pub curves: Vec<Curve>,
    /// The setup's mode at the highest rate in a run twice as long: past capacity, its waits
    /// are about twice as long too.
    pub longer: Option<Point>,
}

impl LoadCurve {
    /// Simulates `scenario` and the other mode at every rate (a run the core refuses is left out
    /// of its curve).
    pub fn new(scenario: &Scenario) -> LoadCurve {
        let capacity = capacity_per_s(scenario);
        let seconds = run_s_at(scenario, capacity);
        let rates: Vec<f64> = (1..=RATES)
            .map(|i| capacity * TOP * i as f64 / RATES as f64)
            .collect();
        let curve = |mode: Mode| {
            let mut s = scenario.clone();
            s.mode = mode;
            let points: Vec<Point> = rates
                .iter()
                .filter_map(|&r| Point::of(&run_of(&s, mode, r, seconds)))
                .collect();
            Curve {
                title: mode_title(mode),
                mode,
                closed_form: points
                    .iter()
                    .map(|p| closed_form_mean_s(&s, p.rate))
                    .collect(),
                points,
            }
        };
        let top = rates.last().copied().unwrap_or(capacity);
        LoadCurve {
            capacity_per_s: capacity,
            run_s: seconds,
            curves: vec![curve(scenario.mode), curve(compare_with(scenario).mode)],
            longer: Point::of(&run_of(scenario, scenario.mode, top, 2.0 * seconds)),
            rates,
        }
    }

    /// Where the setup falls over, and that past it the waits grow with the run's length.
    pub fn caption(&self) -> String {
        let Some(own) = self.curves.first() else {
            return String::new();
        };
        let before = own.points.iter().rfind(|p| p.rate <= self.capacity_per_s);
        match (before, own.points.last(), &self.longer) {
            (Some(b), Some(a), Some(l)) => format!(
                "{}: capacity {}. Every run lasts {}. At {} the p95 wait is {}. Past capacity \
                 the queue grows for as long as students keep coming, so the waits grow with \
                 the run: at {} the p95 wait is {}, and {} in a run twice as long.",
                own.title,
                format::per_sec(self.capacity_per_s),
                format::secs(self.run_s),
                format::per_sec(b.rate),
                format::secs(b.p95_s),
                format::per_sec(a.rate),
                format::secs(a.p95_s),
                format::secs(l.p95_s),
            ),
            _ => String::new(),
        }
    }

    /// The key's words for each curve: what it draws, and where it leaves the chart.
    pub fn key(&self, plot: &Plot) -> Vec<String> {
        self.curves
            .iter()
            .map(|c| {
                let above = c.points.iter().find(|p| p.p95_s > plot.max_wait);
                let most = c.points.iter().map(|p| p.p95_s).fold(0.0, f64::max);
                match above {
                    Some(p) => format!(
                        "{}: p95 wait, above the chart from {} (up to {})",
                        c.title,
                        format::per_sec(p.rate),
                        format::secs(most)
                    ),
                    None => format!("{}: p95 wait", c.title),
                }
            })
            .collect()
    }
}

/// A line across the plot at a rate, and its label above the plot (where no curve goes).
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// `al-load-capacity` or `al-load-own`.
    pub class: &'static str,
    pub x: f64,
    /// Where its label starts and its baseline.
    pub label_x: f64,
    pub label_y: f64,
    pub text: String,
}

/// About the widest a character of the plot's 12 px labels is drawn, to keep labels apart.
const CHAR_W: f64 = 7.0;

/// The picture's geometry: rate across, p95 wait up, both from 0 on linear axes with round
/// ticks, the wait axis fitted to the setup's own curve (the other mode's may leave the top:
/// the drawing is clipped at [`Plot::clip_top`] and the key says where).
#[derive(Clone, Debug, PartialEq)]
pub struct Plot {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub top: f64,
    pub bottom: f64,
    pub right: f64,
    pub max_rate: f64,
    /// The top of the wait axis, a round number of seconds.
    pub max_wait: f64,
    rate_ticks: Vec<f64>,
    wait_ticks: Vec<f64>,
}

impl Plot {
    /// The plot of `curve`, `width` pixels wide (never narrower than 320: a phone scrolls).
    pub fn new(curve: &LoadCurve, width: f64) -> Plot {
        let width = width.max(320.0);
        let own_max = curve.curves.first().map_or(0.0, |c| {
            c.points.iter().map(|p| p.p95_s).fold(0.0, f64::max)
        });
        let max_rate = curve.rates.last().copied().unwrap_or(1.0);
        let wait_ticks = round_ticks(own_max, true);
        Plot {
            width,
            height: 330.0,
            left: 64.0,
            // Two rows of labels above the plot.
            top: 44.0,
            bottom: 290.0,
            right: width - 36.0,
            max_rate,
            max_wait: wait_ticks.last().copied().unwrap_or(1.0),
            rate_ticks: round_ticks(max_rate, false),
            wait_ticks,
        }
    }

    pub fn x(&self, rate: f64) -> f64 {
        self.left + (self.right - self.left) * (rate / self.max_rate).clamp(0.0, 1.0)
    }

    /// Not clamped: a wait above the axis is drawn above it, and clipped.
    pub fn y(&self, wait_s: f64) -> f64 {
        self.bottom - (self.bottom - self.top) * wait_s / self.max_wait
    }

    /// Where the drawing of the curves is cut: a little above the axis's top, so a point on it
    /// shows whole.
    pub fn clip_top(&self) -> f64 {
        self.top - 6.0
    }

    /// The y ticks: round numbers of seconds.
    pub fn wait_ticks(&self) -> Vec<(f64, String)> {
        let label = |w| format!("{} s", format::plain(w));
        self.wait_ticks
            .iter()
            .map(|&w| (self.y(w), label(w)))
            .collect()
    }

    /// The x ticks: round rates.
    pub fn rate_ticks(&self) -> Vec<(f64, String)> {
        let label = |r| format!("{} /s", format::plain(r));
        self.rate_ticks
            .iter()
            .map(|&r| (self.x(r), label(r)))
            .collect()
    }

    /// The capacity and the setup's own rate, each a line with its label above the plot, on the
    /// side of its line that has room; the second a row higher when the two would touch.
    pub fn marks(&self, curve: &LoadCurve, own_rate: f64) -> Vec<Mark> {
        let mut marks: Vec<Mark> = Vec::new();
        let lines = [
            ("al-load-capacity", curve.capacity_per_s, "capacity"),
            ("al-load-own", own_rate, "this setup"),
        ];
        for (class, rate, words) in lines {
            let text = format!("{words} {}", format::per_sec(rate));
            let x = self.x(rate);
            let w = text.chars().count() as f64 * CHAR_W;
            let label_x = if x + 4.0 + w <= self.width {
                x + 4.0
            } else {
                (x - 4.0 - w).max(0.0)
            };
            let touches = marks
                .iter()
                .any(|m| m.label_x < label_x + w + 8.0 && label_x < m.label_x + m.width() + 8.0);
            marks.push(Mark {
                class,
                x,
                label_x,
                label_y: self.top - if touches { 28.0 } else { 12.0 },
                text,
            });
        }
        marks
    }

    /// An SVG path through `points` (`M x,y L x,y ...`).
    pub fn path(&self, points: impl Iterator<Item = (f64, f64)>) -> String {
        let mut d = String::new();
        for (i, (rate, wait)) in points.enumerate() {
            let (x, y) = (self.x(rate), self.y(wait));
            let (x, y) = (Fixed(x, 1), Fixed(y, 1));
            d.push_str(&format!("{}{x},{y}", if i == 0 { "M" } else { "L" }));
        }
        d
    }
}

impl Mark {
    fn width(&self) -> f64 {
        self.text.chars().count() as f64 * CHAR_W
    }
}

/// Round ticks from 0 for an axis up to `max`: steps of 1, 2 or 5 times a power of ten, about
/// four of them, ending at the first at or above `max` (`cover`) or the last at or below it.
/// Each is a whole number of steps times a power of ten, divided once, so that `0.6` is the
/// nearest double to 0.6 and is written so.
fn round_ticks(max: f64, cover: bool) -> Vec<f64> {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let raw = max / 4.0;
    // The power of ten at or below `raw`, counted rather than taken from `log10` (its code
    // would be the page's only use of it).
    let mut e = 0;
    while 10f64.powi(e + 1) <= raw {
        e += 1;
    }
    while 10f64.powi(e) > raw {
        e -= 1;
    }
    let scale = |n: f64| {
        if e >= 0 {
            n * 10f64.powi(e)
        } else {
            n / 10f64.powi(-e)
        }
    };
    let f = raw / scale(1.0);
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|m| f <= *m * (1.0 + 1e-9))
        .unwrap_or(10.0);
    let mut ticks = Vec::new();
    for k in 0..=20 {
        let v = scale(step * f64::from(k));
        if v > max * (1.0 + 1e-9) && !cover {
            break;
        }
        ticks.push(v);
        if v >= max * (1.0 - 1e-9) {
            break;
        }
    }
    ticks
}

#[cfg(test)]
mod tests;
