//! The load curve (`scene=load`): how the waits grow as students arrive faster, for the setup and
//! for the other mode, simulated at [`RATES`] steady Poisson rates of [`STUDENTS`] students each,
//! up to past the setup's capacity. Beside the simulated mean, the closed form where queueing
//! theory has one (M/D/1 for one blocking worker with fixed times, Erlang C for M/M/c). Numbers
//! and shapes in pixels; the runs are the core's.

use crate::sim::decimal;
use crate::sim::scenario::{Arrival, IoDist, Mode, Scenario};
use crate::sim::{simulate_metrics_only, Metrics};
use crate::view::format::{self, Fixed};
use crate::view::page::{compare_with, mode_title};

/// Rates simulated per curve.
pub const RATES: usize = 16;
/// Students per rate.
pub const STUDENTS: u32 = 2_000;
/// The highest rate, as a multiple of the capacity: far enough past it that the waits visibly
/// grow without bound.
const TOP: f64 = 1.5;

/// Seconds one request holds a slot when nothing else limits: validate + database + email.
fn service_s(s: &Scenario) -> f64 {
    (s.validate_ms + s.db_ms + s.email_ms) / 1000.0
}

/// Requests one worker serves at once: 1 when blocking, `concurrency` in async mode, `threads`
/// in a thread pool.
fn slots(s: &Scenario) -> u32 {
    s.capacity_per_worker()
}

/// The steady rate beyond which the waits grow without bound, per second: `workers × slots ÷
/// time per request`, and for async or a thread pool no more than the CPU can run (one worker runs
/// one request's Python at a time).
pub fn capacity_per_s(s: &Scenario) -> f64 {
    let workers = f64::from(s.workers);
    let by_slots = workers * f64::from(slots(s)) / service_s(s).max(1e-6);
    let cpu_s = s.validate_ms / 1000.0;
    if s.mode != Mode::Blocking && cpu_s > 0.0 {
        by_slots.min(workers / cpu_s)
    } else {
        by_slots
    }
}

/// The closed-form mean wait (arrival to finish) at `rate`, where one exists: M/D/1 for one
/// blocking worker with fixed times (Pollaczek-Khinchine), M/M/c for blocking workers whose one
/// step takes an exponential time (Erlang C); `None` otherwise, and at or past saturation.
pub fn closed_form_mean_s(s: &Scenario, rate: f64) -> Option<f64> {
    if s.mode != Mode::Blocking || rate <= 0.0 {
        return None;
    }
    let service = service_s(s);
    let rho = rate * service / f64::from(s.workers);
    if rho >= 1.0 || service <= 0.0 {
        return None;
    }
    match s.io_dist {
        IoDist::Fixed if s.workers == 1 => Some(service + rho * service / (2.0 * (1.0 - rho))),
        // A single exponential step: the email alone.
        IoDist::Exp if s.validate_ms == 0.0 && s.db_ms == 0.0 => {
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

/// The run at one rate: `scenario` with students arriving as a Poisson stream at `rate`.
pub fn at_rate(s: &Scenario, rate: f64) -> Scenario {
    Scenario {
        arrival: Arrival::Poisson,
        rate,
        students: STUDENTS,
        extra_arrivals: Vec::new(),
        ..s.clone()
    }
}

/// One simulated point of a curve.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub rate: f64,
    pub p95_s: f64,
    pub mean_s: f64,
    pub throughput_per_s: f64,
}

impl Point {
    fn of(rate: f64, m: &Metrics) -> Point {
        Point {
            rate,
            p95_s: m.latency.p95.as_secs_f64(),
            mean_s: m.latency.mean_s,
            throughput_per_s: m.throughput_per_s,
        }
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

/// The two curves and the capacity.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadCurve {
    pub capacity_per_s: f64,
    /// The rates, shared by both curves.
    pub rates: Vec<f64>,
    /// The setup's, then the other mode's.
    pub curves: Vec<Curve>,
}

impl LoadCurve {
    /// Simulates `scenario` and the other mode at every rate (a run the core refuses is left out
    /// of its curve).
    pub fn new(scenario: &Scenario) -> LoadCurve {
        let capacity = capacity_per_s(scenario);
        let rates: Vec<f64> = (1..=RATES)
            .map(|i| capacity * TOP * i as f64 / RATES as f64)
            .collect();
        let curve = |s: &Scenario| {
            let points: Vec<Point> = rates
                .iter()
                .filter_map(|&r| {
                    let m = simulate_metrics_only(&at_rate(s, r)).ok()?;
                    Some(Point::of(r, &m))
                })
                .collect();
            Curve {
                title: mode_title(s.mode),
                mode: s.mode,
                closed_form: points
                    .iter()
                    .map(|p| closed_form_mean_s(s, p.rate))
                    .collect(),
                points,
            }
        };
        LoadCurve {
            capacity_per_s: capacity,
            curves: vec![curve(scenario), curve(&compare_with(scenario))],
            rates,
        }
    }

    /// One sentence: where the setup falls over.
    pub fn caption(&self) -> String {
        let Some(own) = self.curves.first() else {
            return String::new();
        };
        let before = own.points.iter().rfind(|p| p.rate <= self.capacity_per_s);
        let after = own.points.last();
        match (before, after) {
            (Some(b), Some(a)) => format!(
                "{}: capacity {}. At {} the p95 wait is {}; at {} it is {}.",
                own.title,
                format::per_sec(self.capacity_per_s),
                format::per_sec(b.rate),
                format::secs(b.p95_s),
                format::per_sec(a.rate),
                format::secs(a.p95_s),
            ),
            _ => String::new(),
        }
    }
}

/// The picture's geometry: rate across, p95 wait up on a log scale (seconds).
#[derive(Clone, Debug, PartialEq)]
pub struct Plot {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub top: f64,
    pub bottom: f64,
    pub right: f64,
    pub max_rate: f64,
    /// log10 of the lowest and highest wait on the y axis.
    pub lo: f64,
    pub hi: f64,
}

impl Plot {
    pub fn new(curve: &LoadCurve, width: f64) -> Plot {
        let waits = curve
            .curves
            .iter()
            .flat_map(|c| c.points.iter().map(|p| p.p95_s))
            .filter(|w| *w > 0.0);
        let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
        for w in waits {
            lo = lo.min(w);
            hi = hi.max(w);
        }
        if !lo.is_finite() {
            (lo, hi) = (0.001, 1.0);
        }
        Plot {
            width,
            height: 320.0,
            left: 72.0,
            top: 16.0,
            bottom: 280.0,
            right: width - 36.0,
            max_rate: curve.rates.last().copied().unwrap_or(1.0),
            lo: lo.log10().floor(),
            hi: hi.log10().ceil().max(lo.log10().floor() + 1.0),
        }
    }

    pub fn x(&self, rate: f64) -> f64 {
        self.left + (self.right - self.left) * (rate / self.max_rate).clamp(0.0, 1.0)
    }

    pub fn y(&self, wait_s: f64) -> f64 {
        let v = wait_s.max(pow10(self.lo)).log10();
        self.bottom
            - (self.bottom - self.top) * ((v - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0)
    }

    /// The y ticks: one per power of ten, labelled in seconds.
    pub fn wait_ticks(&self) -> Vec<(f64, String)> {
        (self.lo as i32..=self.hi as i32)
            .map(|e| {
                let s = 10f64.powi(e);
                // Powers of ten need no minutes: `0.1 s`, `1000 s`.
                let label = if s >= 1.0 {
                    format!("{} s", s as u64)
                } else {
                    format!("{} s", format::plain(s))
                };
                (self.y(s), label)
            })
            .collect()
    }

    /// The x ticks: five rates, the last the highest simulated.
    pub fn rate_ticks(&self) -> Vec<(f64, String)> {
        (0..=4)
            .map(|i| {
                let r = self.max_rate * f64::from(i) / 4.0;
                (self.x(r), format::per_sec(r))
            })
            .collect()
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

/// 10^`e` for the whole (or infinite) exponents of the plot's decades, correctly rounded, so
/// that the wasm carries no general `pow` for this one use: `powi` is exact up to 10^22 (and
/// its reciprocal rounded once), the text `1eN` is read beyond. Within 10^±22, where every
/// wait a run can have lies, that is `10f64.powf(e)` exactly.
fn pow10(e: f64) -> f64 {
    if (-22.0..=22.0).contains(&e) {
        10f64.powi(e as i32)
    } else if e.is_finite() {
        decimal::parse(&format!("1e{}", e as i32)).unwrap_or(f64::NAN)
    } else if e < 0.0 {
        0.0
    } else {
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::scenes::SceneId;

    #[test]
    fn decades_are_powf_s() {
        for e in -22..=22 {
            let e = f64::from(e);
            assert_eq!(pow10(e), 10f64.powf(e), "10^{e}");
        }
        for e in [f64::NEG_INFINITY, f64::INFINITY, -400.0, 400.0] {
            assert_eq!(pow10(e), 10f64.powf(e));
        }
        assert_eq!(pow10(-30.0), 1e-30);
        assert!(pow10(f64::NAN).is_nan());
    }

    #[test]
    fn capacity_is_slots_over_the_time_per_request() {
        let blocking = SceneId::Load.defaults();
        assert_eq!(capacity_per_s(&blocking), 0.5);
        let async4 = Scenario {
            mode: Mode::Async,
            workers: 4,
            ..blocking.clone()
        };
        assert_eq!(capacity_per_s(&async4), 500.0);
        // An async worker with room for 1,000 requests and 5 ms of CPU each runs out of CPU
        // first: 1 / 5 ms = 200 /s (its slots alone would take 1000 / 2.005 s = 499 /s).
        let cpu = Scenario {
            mode: Mode::Async,
            concurrency: 1000,
            validate_ms: 5.0,
            ..blocking
        };
        assert_eq!(capacity_per_s(&cpu), 200.0);
    }

    #[test]
    fn the_simulated_mean_follows_pollaczek_khinchine() {
        // One blocking worker, fixed 2 s: at ρ = 0.5 the mean time in the system is 3 s.
        let s = SceneId::Load.defaults();
        assert_eq!(closed_form_mean_s(&s, 0.25), Some(3.0));
        assert_eq!(closed_form_mean_s(&s, 0.5), None, "saturated");
        let curve = LoadCurve::new(&s);
        assert_eq!(curve.rates.len(), RATES);
        let own = &curve.curves[0];
        assert_eq!(own.points.len(), RATES);
        for (p, cf) in own.points.iter().zip(&own.closed_form) {
            if let Some(cf) = cf.filter(|_| p.rate <= 0.3) {
                let err = (p.mean_s - cf).abs() / cf;
                assert!(
                    err < 0.15,
                    "rate {}: simulated {} vs {cf}",
                    p.rate,
                    p.mean_s
                );
            }
        }
        // Past the capacity the waits run away; async at the same rates barely waits.
        let last = own.points.last().unwrap();
        assert!(last.p95_s > 100.0 * own.points[0].p95_s / 10.0);
        let other = &curve.curves[1];
        assert_eq!(other.mode, Mode::Async);
        assert!(other.points.iter().all(|p| p.p95_s < 2.1));
    }

    #[test]
    fn erlang_c_matches_the_textbook() {
        // c = 2, a = 1 Erlang: C = 1/3.
        assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
        // M/M/1: C = ρ.
        assert!((erlang_c(1, 0.7) - 0.7).abs() < 1e-12);
        let s = Scenario {
            io_dist: IoDist::Exp,
            workers: 2,
            ..SceneId::Load.defaults()
        };
        // μ = 0.5/s, λ = 0.5/s, a = 1: W = C/(cμ − λ) + 1/μ = (1/3)/0.5 + 2.
        let w = closed_form_mean_s(&s, 0.5).unwrap();
        assert!((w - (2.0 / 3.0 + 2.0)).abs() < 1e-9, "{w}");
    }
}
